"""Dates of claims: "le 12 mars 2024", "en 2016", "hier", "el martes pasado", "three days ago".

``resolve_date`` turns one expression into an ISO string as precise as the text
allows ("2016", "2024-01", "2024-03-12"), relative expressions counted from the
article's publication date. It asks dateparser first and falls back on our own
rules where dateparser gives up (weekday + "dernier"/"pasado", number words in
"hace tres días", "l'an dernier", fillers such as "el" in "el 3 de mayo de 2021").
``find_dates`` finds candidate expressions with the regexes of
``lang/<code>.dates.yaml`` (key ``dates:``) and resolves them.

Usage::

    >>> resolve_date("mardi dernier", "fr", "2024-03-15")
    '2024-03-12'
    >>> resolve_date("en janvier 2024", "fr", None)
    '2024-01'
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from newsgraph.errors import UnsupportedLanguage
from newsgraph.lang import load_language
from newsgraph.model import Document
from newsgraph.text import word_key, word_regex

__all__ = ["DateStage", "find_dates", "resolve_date"]

_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_DAY = r"(?<!\d)(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_YEAR = r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)"

# Without a publication date, an expression is resolved against two unrelated
# days; it is absolute (and kept) only when both answers agree.
_PROBES = (datetime(2001, 2, 3), datetime(2013, 9, 24))

# ISO precision of each dateparser period and of each unit of our own rules.
_PRECISION = {"year": 4, "month": 7, "week": 10, "day": 10, "time": 10}


@dataclass(frozen=True)
class _DateGrammar:
    """The date data of one language, compiled."""

    candidates: tuple[re.Pattern[str], ...]
    weekday_pattern: re.Pattern[str]
    ago_pattern: re.Pattern[str]
    past_pattern: re.Pattern[str]
    filler_pattern: re.Pattern[str] | None
    weekdays: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, str]
    relative: dict[str, dict[str, int]]


def _bounded(words: Any) -> str:
    """Whole words only; an entry ending in "-" or "." may touch what follows."""
    alts = []
    for w in sorted({str(w) for w in words}, key=lambda w: (-len(w), w)):
        tail = "" if not w[-1].isalnum() else _NOT_LETTER_AFTER
        alts.append(word_regex(w) + tail)
    return rf"{_NOT_LETTER_BEFORE}(?:{'|'.join(alts)})"


def _pattern_regex(pattern: str) -> str:
    """A data-file regex, with its apostrophes matching the typographic one too."""
    return pattern.replace("'", "['’]")


@cache
def _grammar(lang: str) -> _DateGrammar:
    """Compile (once per language) the data of ``lang/<lang>.dates.yaml``."""
    try:
        data = load_language(lang)["dates"]
    except KeyError as e:
        raise UnsupportedLanguage(lang) from e
    numbers = {word_key(k): int(v) for k, v in data["numbers"].items()}
    parts = {
        "day": _DAY,
        "year": _YEAR,
        "month": _bounded(data["months"]),
        "weekday": _bounded(data["weekdays"]),
        "past": _bounded(data["past"]),
        "unit": _bounded(data["units"]),
        "number": rf"(?:\d{{1,3}}|{_bounded(data['numbers'])})",
    }
    candidates = tuple(
        re.compile(_NOT_LETTER_BEFORE + _pattern_regex(p).format(**parts), re.IGNORECASE)
        for p in data["patterns"]
    )
    ago = rf"(?P<number>{parts['number']})\s+(?P<unit>{parts['unit']})"
    fillers = data.get("fillers") or []
    return _DateGrammar(
        candidates=candidates,
        weekday_pattern=re.compile(parts["weekday"], re.IGNORECASE),
        ago_pattern=re.compile(ago, re.IGNORECASE),
        past_pattern=re.compile(parts["past"], re.IGNORECASE),
        filler_pattern=re.compile(_bounded(fillers), re.IGNORECASE) if fillers else None,
        weekdays={word_key(k): int(v) for k, v in data["weekdays"].items()},
        numbers=numbers,
        units={word_key(k): str(v) for k, v in data["units"].items()},
        relative={word_key(k): dict(v) for k, v in (data.get("relative") or {}).items()},
    )


@lru_cache(maxsize=64)
def _parser(lang: str, base: datetime) -> Any:
    """A dateparser parser for one language and relative base, built once."""
    # dateparser takes ~0.1 s to import: only pay for it when a date is resolved.
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        # An explicit zone keeps dateparser away from tzlocal, which fails (and
        # warns) when the machine's TZ is unusual; our dates carry no time.
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return DateDataParser(languages=[lang], settings=settings)


def _iso(day: date, width: int) -> str:
    return day.isoformat()[:width]


def _dateparser(expression: str, lang: str, base: datetime) -> str | None:
    result = _parser(lang, base).get_date_data(expression)
    if result is None or result.date_obj is None:
        return None
    return _iso(result.date_obj.date(), _PRECISION.get(result.period or "day", 10))


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _shift(base: date, unit: str, count: int) -> str:
    """``count`` units before ``base``, as precise as the unit."""
    if unit == "day":
        return _iso(base - timedelta(days=count), 10)
    if unit == "week":
        return _iso(base - timedelta(weeks=count), 10)
    if unit == "month":
        return _iso(_months_back(base, count), 7)
    return str(base.year - count)


def _rules(expression: str, grammar: _DateGrammar, base: date) -> str | None:
    """Our own rules, for what dateparser does not understand."""
    text = word_key(expression)
    offset = grammar.relative.get(text)
    if offset is not None:
        if "years" in offset:
            return str(base.year + offset["years"])
        if "months" in offset:
            return _iso(_months_back(base, -offset["months"]), 7)
        return _iso(base + timedelta(days=offset.get("days", 0)), 10)

    ago = grammar.ago_pattern.search(text)
    if ago:
        raw = word_key(ago.group("number"))
        count = int(raw) if raw.isdigit() else grammar.numbers.get(raw)
        unit = grammar.units.get(word_key(ago.group("unit")))
        if count is not None and unit:
            return _shift(base, unit, count)

    weekday = grammar.weekday_pattern.search(text)
    if weekday:
        target = grammar.weekdays[word_key(weekday.group(0))]
        back = (base.weekday() - target) % 7
        if back == 0 and grammar.past_pattern.search(text):
            back = 7  # "mardi dernier" said on a Tuesday is a week ago
        return _iso(base - timedelta(days=back), 10)
    return None


def _resolve(expression: str, lang: str, grammar: _DateGrammar, base: datetime) -> str | None:
    stripped = expression
    if grammar.filler_pattern is not None:
        stripped = " ".join(grammar.filler_pattern.sub(" ", expression).split())
    if grammar.weekday_pattern.fullmatch(grammar.past_pattern.sub("", stripped).strip(" ,")):
        # A bare weekday is this week's, the publication day included ("a annoncé
        # mardi" in Tuesday's paper); dateparser would go back a week.
        return _rules(expression, grammar, base.date())
    found = _dateparser(expression, lang, base)
    if found is None and stripped and stripped != expression.strip():
        found = _dateparser(stripped, lang, base)
    if found is None:
        found = _rules(expression, grammar, base.date())
    return found


def _published(published: str | None) -> datetime | None:
    """The article's date as a naive midnight datetime, or None if unreadable."""
    if not published:
        return None
    try:
        day = date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day)


def resolve_date(expression: str, lang: str, published: str | None) -> str | None:
    """ISO date ("YYYY", "YYYY-MM" or "YYYY-MM-DD") of one date expression.

    Args:
        expression: "le 12 mars 2024", "en 2016", "hier", "hace tres días", …
        lang: language code with a ``lang/<lang>.dates.yaml`` file.
        published: the article's date (ISO, a time part is ignored); relative
            expressions count from it. Without it only expressions that name
            their own date resolve.

    Returns:
        The date as precise as the text allows, or None.

    Raises:
        UnsupportedLanguage: no date data for ``lang`` (E005).

    Example::

        >>> resolve_date("hace tres días", "es", "2024-03-15")
        '2024-03-12'
    """
    _grammar(lang)  # an unsupported language raises even for an empty expression
    if not expression.strip():
        return None
    return _resolve_cached(expression, lang, published)


@lru_cache(maxsize=4096)
def _resolve_cached(expression: str, lang: str, published: str | None) -> str | None:
    """``resolve_date`` for one expression; articles repeat theirs ("hier", "mardi")."""
    grammar = _grammar(lang)
    base = _published(published)
    if base is not None:
        return _resolve(expression, lang, grammar, base)
    answers = {_resolve(expression, lang, grammar, probe) for probe in _PROBES}
    return answers.pop() if len(answers) == 1 else None


def find_dates(text: str, lang: str, published: str | None) -> list[tuple[int, int, str]]:
    """(start, end, iso) of every date expression of ``text`` that resolves.

    Candidates come from the ``patterns`` of ``lang/<lang>.dates.yaml``; where
    they overlap the longest wins. See ``resolve_date`` for the rest.

    Example::

        >>> find_dates("Annoncé hier, signé le 12 mars 2024.", "fr", "2024-03-15")
        [(8, 12, '2024-03-14'), (20, 35, '2024-03-12')]
    """
    grammar = _grammar(lang)
    spans = {(m.start(), m.end()) for p in grammar.candidates for m in p.finditer(text)}
    found: list[tuple[int, int, str]] = []
    for start, end in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if start == end or any(start < b and a < end for a, b, _ in found):
            continue
        iso = resolve_date(text[start:end], lang, published)
        if iso is not None:
            found.append((start, end, iso))
    return sorted(found)


class DateStage:
    """Give each claim the date its sentence states, else the article's date.

    The date nearest the claim's trigger in its evidence sentence wins
    (ONTOLOGY.md: "ISO date of the event when the text gives or implies one,
    else the article's date").
    """

    name = "dates"
    requires: tuple[str, ...] = ("relations",)

    def __call__(self, doc: Document) -> Document:
        base = _published(doc.published)
        fallback = base.date().isoformat() if base else None
        dates: list[tuple[int, int, str]] = []
        if doc.lang and doc.claims:
            # An unsupported language was already reported by the language stage (W001).
            with contextlib.suppress(UnsupportedLanguage):
                dates = find_dates(doc.text, doc.lang, doc.published)
        for claim in doc.claims:
            if 0 <= claim.sentence < len(doc.sentences):
                sent = doc.sentences[claim.sentence]
                lo, hi = sent.start, sent.end
            else:
                lo, hi = claim.evidence.start, claim.evidence.end
            inside = [d for d in dates if lo <= d[0] and d[1] <= hi]
            if inside:
                trigger = claim.evidence.trigger.start
                claim.date = min(inside, key=lambda d: (_gap(d, trigger), d[0]))[2]
            else:
                claim.date = fallback
        return doc


def _gap(span: tuple[int, int, str], point: int) -> int:
    start, end, _ = span
    if start <= point < end:
        return 0
    return min(abs(start - point), abs(end - point))

"""Money amounts: find and normalise "13 000 millions de dollars", "$13bn", "1 billón de euros".

No parser on PyPI handles scale words, currencies and the decimal conventions of
French, English and Spanish together, so this is our own. The words (currency
names and symbols, scale words, number words, bound cues) are data, in
``lang/<code>.amounts.yaml`` under ``amounts:``; this module only knows the shape
of an amount::

    [bound cue] currency-before number [scale words]
    [bound cue] number [scale words] [connector] [currency-after]

Usage::

    >>> parse_amount("plus de 13 000 millions de dollars", "fr")
    Amount(value=13000000000.0, currency='USD', bound='min', ...)
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from newsgraph.errors import UnsupportedLanguage
from newsgraph.lang import load_language
from newsgraph.model import Amount, Document
from newsgraph.text import word_key, word_regex

__all__ = ["AMOUNT_RELATIONS", "AmountStage", "find_amounts", "parse_amount"]

# Relations whose claims may carry an amount (ONTOLOGY.md).
AMOUNT_RELATIONS = frozenset(
    {"INVESTS_IN", "ACQUIRES", "MERGES_WITH", "FINES", "SUES", "PARTNERS_WITH", "SUPPLIES", "OWNS"}
)

# An amount with no currency counts only from this scale up ("1.000 millones").
_MIN_BARE_EXPONENT = 6

_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
# Spaces that separate groups of three digits: space, no-break, narrow no-break, thin.
_GROUP_SPACES = " \u00a0\u202f\u2009"
_DIGITS = (
    r"(?<![\w.,])"
    rf"(?:\d{{1,3}}(?:[{_GROUP_SPACES}]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
    r"(?!\d)"
)


@dataclass(frozen=True)
class _Grammar:
    """The compiled amount pattern of one language and the lookups it needs."""

    pattern: re.Pattern[str]
    scale_pattern: re.Pattern[str]
    number_word_pattern: re.Pattern[str]
    decimal_mark: str
    currency_before: dict[str, str]
    currency_after: dict[str, str]
    scales: dict[str, int]
    numbers: dict[str, int]
    bounds: dict[str, str]
    bare_followers: frozenset[str]
    per_unit: re.Pattern[str] | None = None


def _alternation(words: Any) -> str:
    """Longest-first alternation so that "dollars US" wins over "dollars"."""
    ordered = sorted({str(w) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(word_regex(w) for w in ordered)


def _cue_regex(cue: str) -> str:
    """A bound cue and the space after it (none needed after an elided "d'")."""
    tail = r"\s*" if cue.endswith(("'", "’")) else r"\s+"
    return word_regex(cue) + tail


@cache
def _grammar(lang: str) -> _Grammar:
    """Build (once per language) the amount pattern from ``lang/<lang>.amounts.yaml``."""
    try:
        data = load_language(lang)["amounts"]
    except KeyError as e:
        raise UnsupportedLanguage(lang) from e

    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for code, forms in data["currencies"].items():
        for form in forms.get("before", []):
            before[word_key(form)] = code
        for form in forms.get("after", []):
            after[word_key(form)] = code
    scales = {word_key(k): int(v) for k, v in data["scales"].items()}
    numbers = {word_key(k): int(v) for k, v in data["numbers"].items()}
    bounds = {word_key(cue): kind for kind, cues in data["bounds"].items() for cue in cues}

    word = rf"(?:{_alternation(data['numbers'])}){_NOT_LETTER_AFTER}"
    joiners = _alternation(data.get("number_joiners", [])) or "(?!)"
    number_words = rf"{_NOT_LETTER_BEFORE}{word}(?:[\s-]+(?:(?:{joiners})[\s-]+)?{word})*"
    number = rf"(?:{_DIGITS}|{number_words})"
    scale = rf"(?:{_alternation(data['scales'])}){_NOT_LETTER_AFTER}"
    scale_chain = rf"\s{{0,2}}{scale}(?:\s+{scale})?"
    connectors = "|".join(_cue_regex(c) for c in data.get("connectors", []))
    connector = rf"(?:{connectors})?" if connectors else ""
    bound = "|".join(_cue_regex(c) for c in sorted(bounds, key=len, reverse=True))
    cur_before = _alternation(before)
    cur_after = _alternation(after)

    pattern = (
        # Amounts never start inside a word: failing there first keeps the scan fast.
        rf"{_NOT_LETTER_BEFORE}(?P<bound>(?:{bound}))?"
        r"(?:"
        rf"(?P<cur_before>{_NOT_LETTER_BEFORE}(?:{cur_before}))\s{{0,2}}"
        rf"(?P<num1>{number})(?P<scale1>{scale_chain})?"
        r"|"
        rf"(?P<num2>{number})(?P<scale2>{scale_chain})?"
        rf"(?:\s{{0,2}}{connector}(?P<cur_after>{cur_after}){_NOT_LETTER_AFTER})?"
        r")"
    )
    return _Grammar(
        pattern=re.compile(pattern, re.IGNORECASE),
        scale_pattern=re.compile(scale, re.IGNORECASE),
        number_word_pattern=re.compile(word, re.IGNORECASE),
        decimal_mark=str(data.get("decimal_mark", ".")),
        currency_before=before,
        currency_after=after,
        scales=scales,
        numbers=numbers,
        bounds=bounds,
        bare_followers=frozenset(word_key(w) for w in data.get("bare_followers", [])),
        per_unit=(
            re.compile(r"\s*(?:" + _alternation(data["per_unit"]) + r")(?!\w)", re.IGNORECASE)
            if data.get("per_unit")
            else None
        ),
    )


def _parse_digits(raw: str, decimal_mark: str) -> Decimal | None:
    """Digits with separators as the language writes them.

    Spaces always group thousands. With both "." and ",", the last one is the
    decimal mark. One kind repeated groups thousands ("1.000.000"). One single
    mark is decimal when it is the language's decimal mark, or when it is not
    followed by exactly three digits ("1.7" in French, "1,7" in English).
    """
    s = "".join(ch for ch in raw if ch not in _GROUP_SPACES)
    marks = [ch for ch in s if ch in ".,"]
    if not marks:
        integer, fraction = s, ""
    elif len(set(marks)) == 2:
        cut = max(s.rfind("."), s.rfind(","))
        integer, fraction = s[:cut], s[cut + 1 :]
    elif len(marks) > 1:
        integer, fraction = s, ""
    else:
        cut = s.find(marks[0])
        tail = s[cut + 1 :]
        if marks[0] == decimal_mark or len(tail) != 3:
            integer, fraction = s[:cut], tail
        else:
            integer, fraction = s, ""
    integer = integer.replace(".", "").replace(",", "")
    try:
        return Decimal(f"{integer}.{fraction}" if fraction else integer)
    except InvalidOperation:
        return None


def _parse_words(raw: str, grammar: _Grammar) -> Decimal | None:
    """Number words: "deux mille" = 2000, "ciento veinte" = 120, "a" = 1."""
    total = current = 0
    seen = False
    for m in grammar.number_word_pattern.finditer(raw):
        value = grammar.numbers.get(word_key(m.group(0)))
        if value is None:
            continue
        seen = True
        if value == 100:
            current = max(current, 1) * 100
        elif value == 1000:
            total += max(current, 1) * 1000
            current = 0
        else:
            current += value
    return Decimal(total + current) if seen else None


def _scale_exponent(raw: str | None, grammar: _Grammar) -> int:
    if not raw:
        return 0
    return sum(
        grammar.scales.get(word_key(m.group(0)), 0) for m in grammar.scale_pattern.finditer(raw)
    )


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"\s*([^\W\d_]+)", text[pos:])
    return word_key(m.group(1)) if m else ""


def _iter_amounts(text: str, lang: str, *, require_currency: bool) -> list[Amount]:
    grammar = _grammar(lang)
    found: list[Amount] = []
    for m in grammar.pattern.finditer(text):
        raw_number = m.group("num1") or m.group("num2")
        if not raw_number:
            continue
        scale_text = m.group("scale1") or m.group("scale2")
        exponent = _scale_exponent(scale_text, grammar)
        currency: str | None = None
        if m.group("cur_before"):
            currency = grammar.currency_before.get(word_key(m.group("cur_before")))
        elif m.group("cur_after"):
            currency = grammar.currency_after.get(word_key(m.group("cur_after")))
        if currency is None:
            # No currency: money only when a large scale word says so and what
            # follows is not a count of something else ("2 millions d'abonnés").
            if require_currency or exponent < _MIN_BARE_EXPONENT:
                continue
            follower = _next_word(text, m.end())
            if follower and follower not in grammar.bare_followers:
                continue
        if raw_number[0].isdigit():
            number = _parse_digits(raw_number, grammar.decimal_mark)
        else:
            number = _parse_words(raw_number, grammar)
        if number is None:
            continue
        value = float(number.scaleb(exponent))
        bound = grammar.bounds.get(word_key(m.group("bound"))) if m.group("bound") else None
        start, end = m.start(), m.end()
        # The pattern may end on spaces when nothing optional followed the number.
        while end > start and text[end - 1].isspace():
            end -= 1
        if grammar.per_unit is not None and grammar.per_unit.match(word_key(text[end : end + 40])):
            continue  # a price per share or per unit is no deal amount
        found.append(Amount(value, currency, bound, text[start:end], start, end))
    return found


def find_amounts(text: str, lang: str, *, require_currency: bool = True) -> list[Amount]:
    """Every money expression in ``text``, in order, with offsets into ``text``.

    Args:
        text: any text.
        lang: language code with a ``lang/<lang>.amounts.yaml`` file.
        require_currency: when False, also return large amounts with no
            currency ("1.000 millones en OpenAI") with ``currency=None``.

    Returns:
        Amounts with ``value`` in full units, ISO ``currency``, ``bound`` and
        ``text == text[start:end]``. Percentages, years and bare numbers are not
        amounts.

    Raises:
        UnsupportedLanguage: no amount data for ``lang`` (E005).

    Example::

        >>> [a.value for a in find_amounts("$13bn and €1.7 billion", "en")]
        [13000000000.0, 1700000000.0]
    """
    return _iter_amounts(text, lang, require_currency=require_currency)


def parse_amount(text: str, lang: str, *, require_currency: bool = True) -> Amount | None:
    """The first money amount of ``text`` (see ``find_amounts``), else None."""
    amounts = _iter_amounts(text, lang, require_currency=require_currency)
    return amounts[0] if amounts else None


def _distance(amount: Amount, point: int) -> int:
    if amount.start <= point < amount.end:
        return 0
    return min(abs(amount.start - point), abs(amount.end - point))


def _with_inherited_currency(amounts: list[Amount]) -> list[Amount]:
    """Give a currency-less amount the currency of the nearest amount that has one.

    Articles name the currency once and then write "1.000 millones" again.
    Amounts that find no currency anywhere in the article are dropped.
    """
    known = [a for a in amounts if a.currency]
    out: list[Amount] = []
    for amount in amounts:
        if amount.currency is None:
            if not known:
                continue
            nearest = min(known, key=lambda k: (amount.start < k.start, _distance(k, amount.start)))
            amount = dataclasses.replace(amount, currency=nearest.currency)
        out.append(amount)
    return out


class AmountStage:
    """Attach to each money-bearing claim the amount nearest its trigger.

    Needs the relations stage (claims with evidence); sets ``doc.amounts`` to every
    amount of the article and ``claim.amount`` for claims of the relations in
    ``AMOUNT_RELATIONS`` whose sentence states one. Offsets are article offsets.
    """

    name = "amounts"
    requires: tuple[str, ...] = ("relations",)

    def __call__(self, doc: Document) -> Document:
        if not doc.lang:
            return doc
        try:
            amounts = find_amounts(doc.text, doc.lang, require_currency=False)
        except UnsupportedLanguage:
            return doc  # the language stage has already warned (W001)
        doc.amounts = _with_inherited_currency(amounts)
        for claim in doc.claims:
            if claim.relation not in AMOUNT_RELATIONS:
                continue
            if 0 <= claim.sentence < len(doc.sentences):
                sent = doc.sentences[claim.sentence]
                lo, hi = sent.start, sent.end
            else:
                lo, hi = claim.evidence.start, claim.evidence.end
            inside = [a for a in doc.amounts if lo <= a.start and a.end <= hi]
            if inside:
                trigger = claim.evidence.trigger.start
                best = min(inside, key=lambda a: (_distance(a, trigger), a.start))
                claim.amount = dataclasses.replace(best)
        return doc

"""Dates: absolute and relative fr/en/es expressions, the stage, and round-trip properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.errors import UnsupportedLanguage
from newsgraph.model import Claim, Document, Evidence, Sentence, TriggerSpan
from newsgraph.stages.dates import DateStage, find_dates, resolve_date

PUBLISHED = "2024-03-15"  # a Friday

CASES = [
    # (lang, expression, expected with PUBLISHED, expected without a published date)
    ("fr", "en 2016", "2016", "2016"),
    ("fr", "en janvier 2024", "2024-01", "2024-01"),
    ("fr", "le 12 mars 2024", "2024-03-12", "2024-03-12"),
    ("fr", "le 1er mars 2024", "2024-03-01", "2024-03-01"),
    ("fr", "le 12 mars", "2024-03-12", None),
    ("fr", "le 12 mars dernier", "2024-03-12", None),
    ("fr", "début mars 2024", "2024-03", "2024-03"),
    ("fr", "hier", "2024-03-14", None),
    ("fr", "avant-hier", "2024-03-13", None),
    ("fr", "mardi dernier", "2024-03-12", None),
    ("fr", "vendredi dernier", "2024-03-08", None),
    ("fr", "mardi", "2024-03-12", None),
    ("fr", "il y a trois jours", "2024-03-12", None),
    ("fr", "il y a 3 jours", "2024-03-12", None),
    ("fr", "il y a deux mois", "2024-01", None),
    ("fr", "la semaine dernière", "2024-03-08", None),
    ("fr", "l'an dernier", "2023", None),
    ("fr", "l’année dernière", "2023", None),
    ("en", "in 2016", "2016", "2016"),
    ("en", "in January 2024", "2024-01", "2024-01"),
    ("en", "March 3, 2021", "2021-03-03", "2021-03-03"),
    ("en", "the 12th of March, 2024", "2024-03-12", "2024-03-12"),
    ("en", "early March 2024", "2024-03", "2024-03"),
    ("en", "yesterday", "2024-03-14", None),
    ("en", "last Tuesday", "2024-03-12", None),
    ("en", "last Friday", "2024-03-08", None),
    ("en", "three days ago", "2024-03-12", None),
    ("en", "a few days ago", "2024-03-12", None),
    ("en", "last year", "2023", None),
    ("es", "en 2016", "2016", "2016"),
    ("es", "en el año 2016", "2016", "2016"),
    ("es", "en enero de 2024", "2024-01", "2024-01"),
    ("es", "el 3 de mayo de 2021", "2021-05-03", "2021-05-03"),
    ("es", "el pasado 3 de mayo", "2023-05-03", None),
    ("es", "ayer", "2024-03-14", None),
    ("es", "anteayer", "2024-03-13", None),
    ("es", "el martes pasado", "2024-03-12", None),
    ("es", "el pasado martes", "2024-03-12", None),
    ("es", "hace tres días", "2024-03-12", None),
    ("es", "hace 2 años", "2022", None),
    ("es", "la semana pasada", "2024-03-08", None),
]


@pytest.mark.parametrize(("lang", "expression", "expected", "absolute"), CASES)
def test_resolve(lang: str, expression: str, expected: str, absolute: str | None) -> None:
    assert resolve_date(expression, lang, PUBLISHED) == expected
    assert resolve_date(expression, lang, None) == absolute


def test_published_with_time_and_bad_published() -> None:
    assert resolve_date("hier", "fr", "2024-03-15T08:30:00+01:00") == "2024-03-14"
    assert resolve_date("hier", "fr", "not a date") is None
    assert resolve_date("le 12 mars 2024", "fr", "not a date") == "2024-03-12"


def test_weekday_named_on_that_day() -> None:
    # Published on a Tuesday: "mardi" is that day, "mardi dernier" the week before.
    assert resolve_date("mardi", "fr", "2024-03-12") == "2024-03-12"
    assert resolve_date("mardi dernier", "fr", "2024-03-12") == "2024-03-05"
    assert resolve_date("el martes pasado", "es", "2024-03-12") == "2024-03-05"


def test_nothing_to_resolve() -> None:
    assert resolve_date("", "fr", PUBLISHED) is None
    assert resolve_date("Microsoft", "en", PUBLISHED) is None


def test_unknown_language() -> None:
    with pytest.raises(UnsupportedLanguage, match="xx"):
        resolve_date("hier", "xx", PUBLISHED)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "Annoncé hier, signé le 12 mars 2024. En 2016, Microsoft a investi; "
            "mardi dernier aussi.",
            [
                ("hier", "2024-03-14"),
                ("le 12 mars 2024", "2024-03-12"),
                ("En 2016", "2016"),
                ("mardi dernier", "2024-03-12"),
            ],
        ),
        (
            "es",
            "El pasado 3 de mayo, Telefónica firmó; hace tres días la CNMC multó.",
            [("El pasado 3 de mayo", "2023-05-03"), ("hace tres días", "2024-03-12")],
        ),
        (
            "en",
            "On Tuesday, Microsoft said it invested $10bn three days ago, in January 2023.",
            [
                ("On Tuesday", "2024-03-12"),
                ("three days ago", "2024-03-12"),
                ("in January 2023", "2023-01"),
            ],
        ),
        ("fr", "Microsoft détient 49 % d'OpenAI et 13 000 salariés.", []),
    ],
)
def test_find_dates(lang: str, text: str, expected: list[tuple[str, str]]) -> None:
    found = find_dates(text, lang, PUBLISHED)
    assert [(text[s:e], iso) for s, e, iso in found] == expected


# --- the stage ---------------------------------------------------------------


def _document(text: str, lang: str, published: str | None) -> Document:
    doc = Document(id="d1", text=text, lang=lang, published=published)
    start = 0
    for i, part in enumerate(text.split("\n")):
        doc.sentences.append(Sentence(i, start, start + len(part), part))
        start += len(part) + 1
    return doc


def _claim(doc: Document, sentence: int, trigger: str) -> Claim:
    sent = doc.sentences[sentence]
    start = doc.text.index(trigger, sent.start)
    evidence = Evidence(
        doc.id,
        sent.text,
        sent.start,
        sent.end,
        TriggerSpan(trigger, start, start + len(trigger)),
        (sent.start, sent.start + 1),
        (sent.end - 1, sent.end),
    )
    return Claim("Q1", "INVESTS_IN", "Q2", evidence, sentence=sentence)


def test_stage_takes_nearest_date_else_published() -> None:
    text = (
        "Fondée en 2015, OpenAI a reçu hier un investissement de Microsoft.\n"
        "Google a investi dans Anthropic."
    )
    doc = _document(text, "fr", PUBLISHED)
    first, second = _claim(doc, 0, "reçu"), _claim(doc, 1, "investi")
    doc.claims = [first, second]
    stage = DateStage()
    assert (stage.name, stage.requires) == ("dates", ("relations",))
    stage(doc)
    assert first.date == "2024-03-14"
    assert second.date == PUBLISHED


def test_stage_without_published_or_language() -> None:
    doc = _document("OpenAI a reçu hier un investissement.", "fr", None)
    doc.claims = [_claim(doc, 0, "reçu")]
    DateStage()(doc)
    assert doc.claims[0].date is None

    doc = _document("OpenAI got it on March 3, 2021.", "xx", "2024-03-15T10:00:00Z")
    doc.claims = [_claim(doc, 0, "got")]
    DateStage()(doc)
    assert doc.claims[0].date == "2024-03-15"


# --- properties ----------------------------------------------------------------

MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}
NUMBER_WORDS = {
    "fr": ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"],
    "en": ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    "es": ["un", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"],
}
AGO = {
    "fr": ("il y a {n} jour", "il y a {n} jours"),
    "en": ("{n} day ago", "{n} days ago"),
    "es": ("hace {n} día", "hace {n} días"),
}
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
published_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


def _written(lang: str, day: date, *, first_as_ordinal: bool) -> str:
    month = MONTHS[lang][day.month - 1]
    if lang == "fr":
        d = "1er" if day.day == 1 and first_as_ordinal else str(day.day)
        return f"le {d} {month} {day.year}"
    if lang == "en":
        return f"{month} {day.day}, {day.year}"
    return f"el {day.day} de {month} de {day.year}"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["fr", "en", "es"]), dates, st.none() | published_dates, st.booleans())
def test_written_dates_round_trip(
    lang: str, day: date, published: date | None, first_as_ordinal: bool
) -> None:
    expression = _written(lang, day, first_as_ordinal=first_as_ordinal)
    pub = published.isoformat() if published else None
    assert resolve_date(expression, lang, pub) == day.isoformat()
    text = f"Selon le communiqué, {expression}, l'accord a été signé."
    assert [iso for _, _, iso in find_dates(text, lang, pub)] == [day.isoformat()]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["fr", "en", "es"]),
    st.integers(min_value=1, max_value=60),
    st.booleans(),
    published_dates,
)
def test_days_ago(lang: str, n: int, as_word: bool, published: date) -> None:
    count = NUMBER_WORDS[lang][n - 1] if as_word and n <= 10 else str(n)
    expression = AGO[lang][n > 1].format(n=count)
    expected = (published - timedelta(days=n)).isoformat()
    assert resolve_date(expression, lang, published.isoformat()) == expected
    found = find_dates(f"Microsoft l'a dit {expression}.", lang, published.isoformat())
    assert [iso for _, _, iso in found] == [expected]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["fr", "en", "es"]), st.text(max_size=60), st.none() | published_dates)
def test_any_text_never_raises(lang: str, text: str, published: date | None) -> None:
    pub = published.isoformat() if published else None
    for start, end, iso in find_dates(text, lang, pub):
        assert 0 <= start < end <= len(text)
        assert len(iso) in (4, 7, 10)

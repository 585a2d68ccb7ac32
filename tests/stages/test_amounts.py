"""Money amounts: hand-written fr/en/es forms, a stage test, and round-trip properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.errors import UnsupportedLanguage
from newsgraph.model import Claim, Document, Evidence, Sentence, TriggerSpan
from newsgraph.stages.amounts import AmountStage, find_amounts, parse_amount

NNBSP = "\u202f"
NBSP = "\u00a0"

CASES = [
    # (lang, text, value, currency, bound)
    ("fr", "13 000 millions de dollars", 13e9, "USD", None),
    ("fr", f"13{NNBSP}000 millions de dollars", 13e9, "USD", None),
    ("fr", f"13{NBSP}000 millions de dollars", 13e9, "USD", None),
    ("es", "13.000 millones de dólares", 13e9, "USD", None),
    ("en", "$13bn", 13e9, "USD", None),
    ("en", "$13 billion", 13e9, "USD", None),
    ("en", "US$2.5 billion", 2.5e9, "USD", None),
    ("fr", "1,7 milliard d'euros", 1.7e9, "EUR", None),
    ("fr", "1,7 milliards d'euros", 1.7e9, "EUR", None),
    ("en", "€1.7 billion", 1.7e9, "EUR", None),
    ("en", "£68.7bn", 68.7e9, "GBP", None),
    ("fr", "4,665 millions d'euros", 4.665e6, "EUR", None),
    ("fr", "4 665 000 euros", 4_665_000, "EUR", None),
    ("fr", "20 millions d’euros", 20e6, "EUR", None),
    ("fr", "194 M€", 194e6, "EUR", None),
    ("fr", "10 Md€", 10e9, "EUR", None),
    ("es", "2,5 millones de euros", 2.5e6, "EUR", None),
    ("es", "mil millones de dólares", 1e9, "USD", None),
    ("es", "dos mil millones de euros", 2e9, "EUR", None),
    ("es", "13 mil millones de dólares", 13e9, "USD", None),
    ("fr", "un milliard de dollars", 1e9, "USD", None),
    ("fr", "deux cents millions d'euros", 200e6, "EUR", None),
    ("en", "a billion dollars", 1e9, "USD", None),
    ("en", "two hundred million dollars", 200e6, "USD", None),
    ("en", "USD 10 billion", 10e9, "USD", None),
    ("en", "10 billion US dollars", 10e9, "USD", None),
    ("en", "EUR 500 million", 500e6, "EUR", None),
    ("en", "It paid 4,665 million euros.", 4.665e9, "EUR", None),
    ("fr", "jusqu'à 100 milliards de dollars", 100e9, "USD", "max"),
    ("fr", "jusqu’à 100 milliards de dollars", 100e9, "USD", "max"),
    ("fr", "plus de 13 000 millions de dollars", 13e9, "USD", "min"),
    ("fr", "plus d’un milliard de dollars", 1e9, "USD", "min"),
    ("fr", "au moins 5 millions d'euros", 5e6, "EUR", "min"),
    ("fr", "supérieur à 2 millions d'euros", 2e6, "EUR", "min"),
    ("fr", "environ 3 milliards d'euros", 3e9, "EUR", "approx"),
    ("fr", "près d'un milliard d'euros", 1e9, "EUR", "approx"),
    ("en", "more than $500 million", 500e6, "USD", "min"),
    ("en", "over $2bn", 2e9, "USD", "min"),
    ("en", "at least €40m", 40e6, "EUR", "min"),
    ("en", "up to $10 billion", 10e9, "USD", "max"),
    ("en", "as much as $10 billion", 10e9, "USD", "max"),
    ("en", "no more than $10 billion", 10e9, "USD", "max"),
    ("en", "about $3bn", 3e9, "USD", "approx"),
    ("en", "around £1bn", 1e9, "GBP", "approx"),
    ("en", "nearly $3bn", 3e9, "USD", "approx"),
    ("es", "más de 500 millones de euros", 500e6, "EUR", "min"),
    ("es", "hasta 100.000 millones de dólares", 100e9, "USD", "max"),
    ("es", "unos 500 millones de euros", 500e6, "EUR", "approx"),
    ("es", "alrededor de 20 millones de euros", 20e6, "EUR", "approx"),
    ("es", "cerca de 1.500 millones de euros", 1.5e9, "EUR", "approx"),
    ("en", "¥1 trillion", 1e12, "JPY", None),
    ("es", "1 billón de euros", 1e12, "EUR", None),
    ("fr", "un billion d'euros", 1e12, "EUR", None),
    ("fr", "5 milliards de yuans", 5e9, "CNY", None),
    ("fr", "300 millions de francs suisses", 300e6, "CHF", None),
    ("en", "CHF 300 million", 300e6, "CHF", None),
    ("es", "una multa de 2.400 millones de euros", 2.4e9, "EUR", None),
    ("fr", "une amende de 4,34 milliards d'euros", 4.34e9, "EUR", None),
    ("en", "a fine of $1,000,000", 1e6, "USD", None),
    ("en", "a $1,234.5 million deal", 1234.5e6, "USD", None),
    ("fr", "1 234,5 millions d'euros", 1234.5e6, "EUR", None),
    ("es", "1.234,5 millones de euros", 1234.5e6, "EUR", None),
]


@pytest.mark.parametrize(("lang", "text", "value", "currency", "bound"), CASES)
def test_forms(lang: str, text: str, value: float, currency: str, bound: str | None) -> None:
    amount = parse_amount(text, lang)
    assert amount is not None, text
    assert amount.value == pytest.approx(value, rel=1e-12)
    assert amount.currency == currency
    assert amount.bound == bound
    assert text[amount.start : amount.end] == amount.text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Microsoft détient 49 % d'OpenAI depuis 2024."),
        ("en", "In 2024 it took a 49% stake."),
        ("es", "una participación del 49 % en 2023"),
        ("fr", "deux millions d'abonnés"),
        ("en", "500 million users"),
        ("es", "1.000 millones de usuarios"),
        ("fr", "le 12 mars 2024, 3 000 salariés"),
        ("en", "Windows 11 runs on 1.4 billion devices"),
        ("es", "1.000 millones"),  # no currency: not money unless asked for
        ("fr", "leur 5 millions"),
    ],
)
def test_not_amounts(lang: str, text: str) -> None:
    assert find_amounts(text, lang) == []


def test_currencyless_amount_on_request() -> None:
    amount = parse_amount("invertirá 1.000 millones en OpenAI", "es", require_currency=False)
    assert amount is not None
    assert (amount.value, amount.currency, amount.text) == (1e9, None, "1.000 millones")
    # A count of something else is still not money.
    assert find_amounts("1.000 millones de usuarios", "es", require_currency=False) == []


def test_several_amounts_in_order_with_offsets() -> None:
    text = "The $13 billion investment, up from $1bn in 2019, and €2.5 billion later."
    amounts = find_amounts(text, "en")
    assert [(a.value, a.currency) for a in amounts] == [
        (13e9, "USD"),
        (1e9, "USD"),
        (2.5e9, "EUR"),
    ]
    assert [text[a.start : a.end] for a in amounts] == ["$13 billion", "$1bn", "€2.5 billion"]


def test_sentence_offsets() -> None:
    text = "Microsoft a investi 10 milliards de dollars dans OpenAI en 2023."
    (amount,) = find_amounts(text, "fr")
    assert (amount.start, amount.end) == (20, 43)
    assert amount.to_dict() == {"value": 10_000_000_000, "currency": "USD"}


def test_unknown_language() -> None:
    with pytest.raises(UnsupportedLanguage, match="xx"):
        find_amounts("$13bn", "xx")


# --- the stage ---------------------------------------------------------------


def _claim(doc: Document, relation: str, sentence: int, trigger: str) -> Claim:
    sent = doc.sentences[sentence]
    start = doc.text.index(trigger, sent.start)
    evidence = Evidence(
        doc_id=doc.id,
        sentence=sent.text,
        start=sent.start,
        end=sent.end,
        trigger=TriggerSpan(trigger, start, start + len(trigger)),
        subject_span=(sent.start, sent.start + 1),
        object_span=(sent.end - 1, sent.end),
    )
    return Claim("Q1", relation, "Q2", evidence, sentence=sentence)


def _document(text: str, lang: str) -> Document:
    doc = Document(id="d1", text=text, lang=lang)
    start = 0
    for i, part in enumerate(text.split("\n")):
        doc.sentences.append(Sentence(i, start, start + len(part), part))
        start += len(part) + 1
    return doc


def test_stage_attaches_nearest_amount_in_article_offsets() -> None:
    text = (
        "Microsoft a levé 2 milliards d'euros l'an dernier.\n"
        "Il a racheté Activision pour 69 milliards de dollars, après une offre de 60 milliards "
        "de dollars.\n"
        "Google a investi 1.000 millions dans Anthropic."
    )
    doc = _document(text, "fr")
    acquires = _claim(doc, "ACQUIRES", 1, "racheté")
    leads = _claim(doc, "LEADS", 1, "racheté")
    invests = _claim(doc, "INVESTS_IN", 2, "investi")
    doc.claims = [acquires, leads, invests]
    stage = AmountStage()
    assert (stage.name, stage.requires) == ("amounts", ("relations",))
    stage(doc)
    assert acquires.amount is not None
    assert (acquires.amount.value, acquires.amount.currency) == (69e9, "USD")
    assert text[acquires.amount.start : acquires.amount.end] == "69 milliards de dollars"
    assert leads.amount is None
    # No currency in its sentence: it takes the currency of the nearest earlier amount.
    assert invests.amount is not None
    assert (invests.amount.value, invests.amount.currency) == (1e9, "USD")
    assert [a.value for a in doc.amounts] == [2e9, 69e9, 60e9, 1e9]
    assert all(text[a.start : a.end] == a.text for a in doc.amounts)


def test_stage_skips_unsupported_language() -> None:
    doc = _document("$13bn", "xx")
    doc.claims = [_claim(doc, "INVESTS_IN", 0, "$")]
    AmountStage()(doc)
    assert doc.amounts == []
    assert doc.claims[0].amount is None


# --- properties ----------------------------------------------------------------

# How each language writes a number: thousands separators and decimal mark.
THOUSANDS = {"fr": [" ", NBSP, NNBSP], "en": [","], "es": [".", " "]}
DECIMAL = {"fr": ",", "en": ".", "es": ","}
# (text, power of ten) of scale words written after the number.
SCALES = {
    "fr": [("", 0), ("millions", 6), ("million", 6), ("milliards", 9), ("Md", 9), ("M", 6)],
    "en": [("", 0), ("million", 6), ("billion", 9), ("bn", 9), ("m", 6), ("trillion", 12)],
    "es": [("", 0), ("millones", 6), ("mil millones", 9), ("billones", 12), ("millón", 6)],
}
# Currency written after the amount, written before it.
AFTER = {
    "fr": {
        "USD": ["dollars", "$"],
        "EUR": ["euros", "€"],
        "GBP": ["livres sterling"],
        "JPY": ["yens"],
        "CHF": ["francs suisses"],
    },
    "en": {
        "USD": ["dollars", "US dollars"],
        "EUR": ["euros"],
        "GBP": ["pounds"],
        "JPY": ["yen"],
        "CHF": ["Swiss francs"],
    },
    "es": {
        "USD": ["dólares"],
        "EUR": ["euros", "€"],
        "GBP": ["libras"],
        "JPY": ["yenes"],
        "CHF": ["francos suizos"],
    },
}
BEFORE = {
    "fr": {},
    "en": {
        "USD": ["$", "US$", "USD "],
        "EUR": ["€", "EUR "],
        "GBP": ["£"],
        "JPY": ["¥"],
        "CHF": ["CHF "],
    },
    "es": {"USD": ["US$"]},
}
BOUNDS = {
    "fr": {
        None: [""],
        "min": ["plus de ", "au moins "],
        "max": ["jusqu'à "],
        "approx": ["environ ", "près de "],
    },
    "en": {
        None: [""],
        "min": ["more than ", "over "],
        "max": ["up to ", "as much as "],
        "approx": ["about ", "around "],
    },
    "es": {
        None: [""],
        "min": ["más de "],
        "max": ["hasta "],
        "approx": ["unos ", "alrededor de ", "cerca de "],
    },
}


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(groups)


@st.composite
def written_amounts(draw: st.DrawFn) -> tuple[str, str, Decimal, str, str | None]:
    lang = draw(st.sampled_from(["fr", "en", "es"]))
    integer = draw(st.integers(min_value=1, max_value=999_999))
    fraction = draw(st.sampled_from(["", "5", "25", "125", "75", "1"]))
    scale, exponent = draw(st.sampled_from(SCALES[lang]))
    bound = draw(st.sampled_from([None, "min", "max", "approx"]))
    cue = draw(st.sampled_from(BOUNDS[lang][bound]))
    digits = str(integer)
    if integer >= 1000 and draw(st.booleans()):
        digits = _group(digits, draw(st.sampled_from(THOUSANDS[lang])))
    number = digits + (DECIMAL[lang] + fraction if fraction else "")
    value = Decimal(f"{integer}.{fraction}" if fraction else str(integer)).scaleb(exponent)

    before = BEFORE[lang]
    if before and draw(st.booleans()):
        currency = draw(st.sampled_from(sorted(before)))
        symbol = draw(st.sampled_from(before[currency]))
        scale_text = (" " if draw(st.booleans()) or len(scale) > 2 else "") + scale
        text = f"{cue}{symbol}{number}{scale_text if scale else ''}"
    else:
        currency = draw(st.sampled_from(sorted(AFTER[lang])))
        name = draw(st.sampled_from(AFTER[lang][currency]))
        if not scale or len(scale) <= 2 or not name[0].isalpha() or lang == "en":
            connector = " "
        elif lang == "fr" and name[0] in "aeiouy":
            connector = " d'"
        else:
            connector = " de "
        if scale in ("M", "Md") and name == "€":
            connector = ""
        text = f"{cue}{number}{' ' + scale if scale else ''}{connector}{name}"
    return lang, text, value, currency, bound


@settings(max_examples=400, deadline=None)
@given(
    written_amounts(),
    st.sampled_from(["", "Le groupe a annoncé ", "Deal: "]),
    st.sampled_from(["", ".", " pour OpenAI.", ", en 2024."]),
)
def test_written_amounts_round_trip(
    written: tuple[str, str, Decimal, str, str | None], prefix: str, suffix: str
) -> None:
    lang, text, value, currency, bound = written
    sentence = prefix + text + suffix
    amounts = find_amounts(sentence, lang)
    assert len(amounts) == 1, (sentence, amounts)
    (amount,) = amounts
    assert amount.value == pytest.approx(float(value), rel=1e-9), sentence
    assert amount.currency == currency
    assert amount.bound == bound
    assert (amount.start, amount.end) == (len(prefix), len(prefix) + len(text))
    assert sentence[amount.start : amount.end] == amount.text


FRAGMENTS = [
    "13",
    "000",
    "1,7",
    "4.665",
    " ",
    NBSP,
    NNBSP,
    "millions",
    "milliard",
    "millones",
    "mil",
    "billion",
    "bn",
    "M",
    "Md",
    "€",
    "$",
    "US$",
    "£",
    "¥",
    "de",
    "d'",
    "d’",
    "dollars",
    "euros",
    "dólares",
    "plus de",
    "up to",
    "unos",
    "%",
    "2024",
    ",",
    ".",
    "a",
    "un",
    "-",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["fr", "en", "es"]),
    st.one_of(
        st.text(max_size=80),
        st.lists(st.sampled_from(FRAGMENTS), max_size=20).map(" ".join),
        st.lists(st.sampled_from(FRAGMENTS), max_size=20).map("".join),
    ),
)
def test_any_text_never_raises_and_offsets_slice(lang: str, text: str) -> None:
    for require_currency in (True, False):
        amounts = find_amounts(text, lang, require_currency=require_currency)
        for amount in amounts:
            assert text[amount.start : amount.end] == amount.text
            assert amount.value >= 0
            assert amount.bound in (None, "min", "max", "approx")
            if require_currency:
                assert amount.currency is not None
        assert [a.start for a in amounts] == sorted(a.start for a in amounts)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "lanzó la oferta a 35,75 dólares por acción"),
        ("en", "Exxon paid $253 a share"),
    ],
)
def test_prices_per_share_are_not_deal_amounts(lang: str, text: str) -> None:
    assert find_amounts(text, lang) == []

"""Modality stage: negated > speculative > reported > asserted, from cues in fr/en/es."""

from __future__ import annotations

import pytest

from newsgraph import analyze
from newsgraph.model import MODALITY_PRECEDENCE, Modality


def _modality(text: str, lang: str, relation: str) -> Modality:
    doc = analyze(text, lang=lang)
    found = [c.modality for c in doc.claims if c.relation == relation]
    assert found, (
        f"no {relation} claim in {[(c.subject, c.relation, c.object) for c in doc.claims]}"
    )
    assert len(set(found)) == 1, found
    return found[0]


def test_precedence_is_the_ontology_order() -> None:
    assert MODALITY_PRECEDENCE == (
        Modality.NEGATED,
        Modality.SPECULATIVE,
        Modality.REPORTED,
        Modality.ASSERTED,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text", "relation"),
    [
        ("fr", "Microsoft a investi 10 milliards de dollars dans OpenAI.", "INVESTS_IN"),
        ("en", "Microsoft acquired LinkedIn in 2016.", "ACQUIRES"),
        ("es", "Telefónica compró MásMóvil.", "ACQUIRES"),
        # The parties' own announcement is the article's fact.
        ("en", "Microsoft said it had signed a deal with OpenAI.", "PARTNERS_WITH"),
    ],
)
def test_asserted(lang: str, text: str, relation: str) -> None:
    assert _modality(text, lang, relation) is Modality.ASSERTED


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text", "relation"),
    [
        ("fr", "Amazon n'a pas investi dans OpenAI.", "INVESTS_IN"),
        ("fr", "Aucun accord n'a été signé entre Apple et OpenAI.", "PARTNERS_WITH"),
        ("en", "Apple did not acquire Mistral AI.", "ACQUIRES"),
        ("en", "Microsoft abandoned its plans to buy TikTok.", "ACQUIRES"),
        ("es", "Google no ha comprado Mistral AI.", "ACQUIRES"),
        ("es", "Google ya no compite con Microsoft en la nube.", "COMPETES_WITH"),
    ],
)
def test_negated(lang: str, text: str, relation: str) -> None:
    assert _modality(text, lang, relation) is Modality.NEGATED


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text", "relation"),
    [
        # The French conditional of a planning verb, read from the form.
        ("fr", "Apple préparerait une offre de rachat sur Mistral AI.", "ACQUIRES"),
        ("fr", "Apple envisagerait de racheter Mistral AI.", "ACQUIRES"),
        (
            "fr",
            "Amazon prévoit d'investir jusqu'à 4 milliards de dollars dans Anthropic.",
            "INVESTS_IN",
        ),
        ("en", "Microsoft could acquire TikTok.", "ACQUIRES"),
        ("en", "Apple is in talks to invest in Mistral AI.", "INVESTS_IN"),
        ("es", "Apple podría comprar Mistral AI.", "ACQUIRES"),
        ("es", "Telefónica estudia una alianza con Microsoft.", "PARTNERS_WITH"),
    ],
)
def test_speculative(lang: str, text: str, relation: str) -> None:
    assert _modality(text, lang, relation) is Modality.SPECULATIVE


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text", "relation"),
    [
        ("fr", "Selon Reuters, Microsoft a investi dans Mistral AI.", "INVESTS_IN"),
        # The hearsay conditional of a lexical verb.
        ("fr", "Microsoft investirait 10 milliards de dollars dans OpenAI.", "INVESTS_IN"),
        (
            "en",
            "According to people familiar with the matter, Microsoft bought LinkedIn.",
            "ACQUIRES",
        ),
        ("en", "Microsoft has reportedly acquired LinkedIn.", "ACQUIRES"),
        ("es", "Según fuentes del sector, Telefónica compró MásMóvil.", "ACQUIRES"),
        ("es", "Telefónica habría comprado MásMóvil por 5.000 millones de euros.", "ACQUIRES"),
    ],
)
def test_reported(lang: str, text: str, relation: str) -> None:
    assert _modality(text, lang, relation) is Modality.REPORTED


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text", "relation", "expected"),
    [
        # negated beats speculative and reported
        (
            "fr",
            "Selon Reuters, Apple n'envisage pas de racheter Mistral AI.",
            "ACQUIRES",
            Modality.NEGATED,
        ),
        (
            "en",
            "According to Reuters, Apple is not in talks to buy Mistral AI.",
            "ACQUIRES",
            Modality.NEGATED,
        ),
        ("es", "Según fuentes, Apple no podría comprar Mistral AI.", "ACQUIRES", Modality.NEGATED),
        # speculative beats reported
        (
            "fr",
            "Selon Reuters, Apple envisage de racheter Mistral AI.",
            "ACQUIRES",
            Modality.SPECULATIVE,
        ),
        ("es", "Según fuentes, Apple podría comprar Mistral AI.", "ACQUIRES", Modality.SPECULATIVE),
        (
            "en",
            "According to Bloomberg, Microsoft could acquire TikTok.",
            "ACQUIRES",
            Modality.SPECULATIVE,
        ),
    ],
)
def test_precedence(lang: str, text: str, relation: str, expected: Modality) -> None:
    assert _modality(text, lang, relation) is expected


@pytest.mark.slow
def test_negation_in_another_clause_does_not_leak() -> None:
    text = "Microsoft a investi dans OpenAI, mais Google n'a pas commenté."
    assert _modality(text, "fr", "INVESTS_IN") is Modality.ASSERTED


@pytest.mark.slow
def test_conditional_lookalike_noun_is_not_a_conditional() -> None:
    # "portrait" ends like a conditional ("-rait") but is a noun.
    text = "Microsoft a racheté LinkedIn après un portrait flatteur."
    assert _modality(text, "fr", "ACQUIRES") is Modality.ASSERTED

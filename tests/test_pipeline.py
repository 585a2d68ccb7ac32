"""The pipeline: stage order, empty input, unsupported languages, offsets, JSON keys."""

from __future__ import annotations

import pytest

from newsgraph import analyze
from newsgraph.errors import EmptyInput, InvalidDate
from newsgraph.pipeline import Pipeline, make_document
from newsgraph.stages.coref import CorefStage
from newsgraph.stages.language import LanguageStage
from newsgraph.stages.linking import LinkingStage
from newsgraph.stages.mentions import MentionStage
from newsgraph.stages.parse import ParseStage

ORDER = [
    "language",
    "parse",
    "mentions",
    "coref",
    "linking",
    "relations",
    "modality",
    "amounts",
    "dates",
    "tone",
    "confidence",
]


def test_default_order() -> None:
    assert [s.name for s in Pipeline.default().stages] == ORDER


def test_wrong_order_is_refused() -> None:
    with pytest.raises(ValueError, match="parse"):
        Pipeline([LanguageStage(), MentionStage(), ParseStage()])


def test_missing_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="mentions"):
        Pipeline([LanguageStage(), ParseStage(), CorefStage()])


def test_prefix_of_the_default_order_is_accepted() -> None:
    stages = [LanguageStage(), ParseStage(), MentionStage(), CorefStage(), LinkingStage()]
    assert Pipeline(stages).stages == stages


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"])
def test_empty_input(text: str) -> None:
    with pytest.raises(EmptyInput):
        analyze(text, lang="fr")


@pytest.mark.slow
def test_unsupported_language_warns_and_finds_kb_entities() -> None:
    text = (
        "Microsoft investiert weitere zehn Milliarden Dollar in OpenAI, wie der Konzern "
        "am Montag mitteilte."
    )
    doc = analyze(text)
    assert doc.lang == "de"
    assert [w[:4] for w in doc.warnings] == ["W001"]
    assert {"Q2283", "Q21708200"} <= set(doc.entities)
    for entity in doc.entities.values():
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text


@pytest.mark.slow
def test_stages_run_in_order() -> None:
    doc = analyze("Microsoft a investi dans OpenAI.", lang="fr")
    assert doc.stages_done == ORDER


ARTICLES = [
    (
        "fr",
        "Microsoft renforce son alliance avec OpenAI\n"
        "Le géant de Redmond a investi 10 milliards de dollars dans OpenAI, selon Reuters. "
        "La Commission européenne enquête sur Microsoft. "
        "Les propriétaires de ChatGPT ont aussi signé un accord avec Apple.",
    ),
    (
        "en",
        "Amazon doubles down on Anthropic\n"
        "Amazon invested $4bn in Anthropic. The startup relies on Amazon Web Services. "
        "The FTC's probe into Amazon continues.",
    ),
    (
        "es",
        "Telefónica se alía con Microsoft\n"
        "Telefónica firmó una alianza con Microsoft. La CNMC multó a Telefónica con 6 "
        "millones de euros. Según fuentes, la operadora podría comprar MásMóvil.",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text"), ARTICLES)
def test_offsets_slice_the_article(lang: str, text: str) -> None:
    doc = analyze(text, lang=lang, doc_id="a1")
    assert doc.claims
    out = doc.to_dict()
    for entity in out["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    for claim in out["claims"]:
        ev = claim["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["sentence"]
        trigger = ev["trigger"]
        assert text[trigger["start"] : trigger["end"]] == trigger["text"]
        for key in ("subject_span", "object_span"):
            start, end = ev[key]
            assert ev["start"] <= start < end <= ev["end"], (claim, key)
    for claim in doc.claims:
        # The spans name the claim's arguments.
        spans = {(m.start, m.end): m.entity_id for m in doc.mentions}
        subject = spans.get(claim.evidence.subject_span)
        obj = spans.get(claim.evidence.object_span)
        assert subject in (None, claim.subject) or claim.relation == "PRODUCT_OF"
        assert obj in (None, claim.object) or claim.relation == "PRODUCT_OF"


@pytest.mark.slow
def test_to_dict_matches_the_ontology_keys() -> None:
    text = (
        "Microsoft investit dans OpenAI\n"
        "Le géant de Redmond a investi plus de 13 000 millions de dollars dans OpenAI."
    )
    out = analyze(text, lang="fr", published="2025-06-17", doc_id="000_x").to_dict()
    assert list(out) == ["id", "lang", "published", "title", "warnings", "entities", "claims"]
    assert (out["id"], out["lang"], out["published"]) == ("000_x", "fr", "2025-06-17")
    assert out["title"] == "Microsoft investit dans OpenAI"
    assert out["entities"] and out["claims"]
    for entity in out["entities"]:
        assert list(entity) == ["id", "name", "type", "qid", "aliases", "mentions"]
        for mention in entity["mentions"]:
            assert list(mention) == ["text", "start", "end"]
    ids = {e["id"] for e in out["entities"]}
    for claim in out["claims"]:
        assert list(claim) == [
            "subject",
            "relation",
            "object",
            "modality",
            "amount",
            "date",
            "tone",
            "confidence",
            "evidence",
        ]
        assert claim["subject"] in ids
        assert claim["object"] in ids
        assert claim["modality"] in ("asserted", "reported", "speculative", "negated")
        evidence = claim["evidence"]
        assert list(evidence) == [
            "sentence",
            "start",
            "end",
            "trigger",
            "subject_span",
            "object_span",
        ]
        assert list(evidence["trigger"]) == ["text", "start", "end"]
    invest = [
        c
        for c in out["claims"]
        if c["relation"] == "INVESTS_IN" and "13 000" in c["evidence"]["sentence"]
    ]
    assert invest
    assert invest[0]["amount"] == {"value": 13000000000, "currency": "USD", "bound": "min"}
    microsoft = next(e for e in out["entities"] if e["id"] == "Q2283")
    assert microsoft["qid"] == "Q2283"
    assert "géant de Redmond" in microsoft["aliases"]


@pytest.mark.parametrize("date", ["2025-02-30", "2025-13-01", "2025-6-1", "2025-06-17T10:00"])
def test_published_must_be_a_real_iso_day(date: str) -> None:
    with pytest.raises(InvalidDate):
        make_document("Apple sues Samsung.", lang="en", published=date)
    assert make_document("Apple sues Samsung.", published="2024-02-29").published == "2024-02-29"

"""Confidence stage: every score is in [0, 1]."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph import analyze
from newsgraph.model import Claim, Evidence, Modality, TriggerSpan
from newsgraph.stages.confidence import claim_confidence

_KINDS = st.sampled_from(
    [
        "name",
        "alias",
        "epithet",
        "owner",
        "description",
        "pronoun",
        "object_pronoun",
        "ner",
        "cue",
        "context",
        "unknown",
    ]
)


@given(
    st.sampled_from(["dep", "linear", "context", "other"]),
    st.sampled_from(list(Modality)),
    _KINDS,
    _KINDS,
)
def test_claim_confidence_in_unit_interval(
    method: str, modality: Modality, subject_kind: str, object_kind: str
) -> None:
    evidence = Evidence("d", "s", 0, 1, TriggerSpan("s", 0, 1), (0, 1), (0, 1))
    claim = Claim("a", "INVESTS_IN", "b", evidence, modality=modality)
    claim.method = method
    assert 0.0 <= claim_confidence(claim, (subject_kind, object_kind)) <= 1.0


def test_parse_is_surer_than_position() -> None:
    evidence = Evidence("d", "s", 0, 1, TriggerSpan("s", 0, 1), (0, 1), (0, 1))
    dep = Claim("a", "INVESTS_IN", "b", evidence)
    linear = Claim("a", "INVESTS_IN", "b", evidence)
    linear.method = "linear"
    assert claim_confidence(dep, ("name", "name")) > claim_confidence(linear, ("name", "name"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Microsoft a investi dans OpenAI. Il a aussi signé un accord avec Mistral AI."),
        ("en", "According to Reuters, Apple could acquire a stake in Mistral AI."),
        ("es", "La CNMC multó a Telefónica. La operadora no ha recurrido la sanción."),
    ],
)
def test_pipeline_confidence_in_unit_interval(lang: str, text: str) -> None:
    doc = analyze(text, lang=lang)
    assert doc.claims
    for claim in doc.claims:
        assert 0.0 <= claim.confidence <= 1.0
        assert 0.0 <= claim.to_dict()["confidence"] <= 1.0

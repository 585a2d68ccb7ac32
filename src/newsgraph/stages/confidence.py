"""Confidence stage: a score in [0, 1] from how each claim was found.

Arguments found through the parse are surer than those found by position, and
both surer than those borrowed from context; references (pronouns,
descriptions) and names the knowledge base does not know lower it a little.
"""

from __future__ import annotations

from newsgraph.model import Claim, Document, Modality

_METHOD = {"dep": 0.85, "linear": 0.7, "context": 0.5}
_MENTION = {
    "pronoun": 0.9,
    "object_pronoun": 0.85,
    "description": 0.9,
    "ner": 0.85,
    "cue": 0.85,
    "context": 0.9,
}


def claim_confidence(claim: Claim, kinds: tuple[str, str]) -> float:
    score = _METHOD.get(claim.method, 0.6)
    for kind in kinds:
        score *= _MENTION.get(kind, 1.0)
    if claim.modality is Modality.REPORTED:
        score *= 0.95
    return max(0.05, min(1.0, score))


class ConfidenceStage:
    name = "confidence"
    requires = ("modality",)

    def __call__(self, doc: Document) -> Document:
        by_span = {(m.start, m.end): m.kind for m in doc.mentions}
        for claim in doc.claims:
            kinds = (
                by_span.get(claim.evidence.subject_span, "context"),
                by_span.get(claim.evidence.object_span, "context"),
            )
            claim.confidence = claim_confidence(claim, kinds)
        return doc

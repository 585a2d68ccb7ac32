"""The data contract of ONTOLOGY.md as dataclasses.

Everything the pipeline produces, the CLI prints and the store keeps is one of
these classes; ``Document.to_dict()`` is exactly the ontology's "JSON output of
one article".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ENTITY_TYPES = ("ORG", "REGULATOR", "PER", "PRODUCT", "LOC")


class Modality(StrEnum):
    """How a claim is stated. ``PRECEDENCE`` decides when several cues apply."""

    ASSERTED = "asserted"
    REPORTED = "reported"
    SPECULATIVE = "speculative"
    NEGATED = "negated"


# When several cues apply to one claim, the first of these wins (ONTOLOGY.md).
MODALITY_PRECEDENCE = (
    Modality.NEGATED,
    Modality.SPECULATIVE,
    Modality.REPORTED,
    Modality.ASSERTED,
)


@dataclass(frozen=True)
class RelationSpec:
    """One of the ontology's 19 relations, with its argument types."""

    name: str
    subject_types: tuple[str, ...]
    object_types: tuple[str, ...]
    symmetric: bool
    klass: str  # cooperation | conflict | neutral
    wikidata: str | None = None


_ORG = ("ORG",)
_ORGPER = ("ORG", "PER")
_ORGPROD = ("ORG", "PRODUCT")
# Regulators also invest, sue, partner and get sued; we allow them wherever an ORG
# may stand, except where the ontology asks for a REGULATOR specifically.
_ORGREG = ("ORG", "REGULATOR")

RELATIONS: dict[str, RelationSpec] = {
    spec.name: spec
    for spec in (
        RelationSpec("INVESTS_IN", ("ORG", "PER", "REGULATOR"), _ORG, False, "cooperation"),
        RelationSpec("ACQUIRES", _ORG, _ORGPROD, False, "cooperation", "P127"),
        RelationSpec("MERGES_WITH", _ORG, _ORG, True, "cooperation"),
        RelationSpec("PARTNERS_WITH", _ORGREG, _ORGREG, True, "cooperation"),
        RelationSpec("SUPPLIES", _ORGPROD, _ORGREG, False, "cooperation"),
        RelationSpec("DEPENDS_ON", _ORG, _ORGPROD, False, "neutral"),
        RelationSpec("INTEGRATES", _ORGPROD, ("PRODUCT",), False, "cooperation"),
        RelationSpec("PRODUCT_OF", ("PRODUCT",), _ORG, False, "neutral", "P178"),
        RelationSpec("OWNS", ("ORG", "PER", "REGULATOR"), _ORGPROD, False, "neutral", "P1830"),
        RelationSpec("CONTROLS", _ORGREG, _ORG, False, "neutral"),
        RelationSpec("COMPETES_WITH", _ORG, _ORG, True, "conflict"),
        RelationSpec("ACCUSES", ("ORG", "PER", "REGULATOR"), ("ORG", "PER"), False, "conflict"),
        RelationSpec("SUES", ("ORG", "PER", "REGULATOR"), _ORGREG, False, "conflict"),
        RelationSpec("INVESTIGATES", ("REGULATOR",), _ORGPER, False, "conflict"),
        RelationSpec("FINES", ("REGULATOR",), _ORGPER, False, "conflict"),
        RelationSpec("ENDS_PARTNERSHIP", _ORG, _ORG, True, "conflict"),
        RelationSpec("LEADS", ("PER",), _ORGREG, False, "neutral", "P169"),
        RelationSpec("EMPLOYS", _ORGREG, ("PER",), False, "neutral", "P108"),
        RelationSpec("HEADQUARTERED_IN", _ORGREG, ("LOC",), False, "neutral", "P159"),
    )
}


@dataclass
class Amount:
    """A sum of money: ``value`` in full units, ISO 4217 ``currency``.

    ``bound`` is ``"min"`` for "more than", ``"max"`` for "up to", ``"approx"``
    for "about", else None.
    """

    value: float
    currency: str | None
    bound: str | None = None
    text: str = ""
    start: int = -1
    end: int = -1

    def to_dict(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        out: dict[str, Any] = {"value": value, "currency": self.currency}
        if self.bound:
            out["bound"] = self.bound
        return out


@dataclass
class Sentence:
    """A sentence of the article, with character offsets into the text."""

    index: int
    start: int
    end: int
    text: str
    # Runtime only: the spaCy Span of this sentence and the offset of its chunk.
    span: Any = field(default=None, repr=False, compare=False)
    base: int = 0


@dataclass
class Mention:
    """A span that names or refers to an entity.

    ``kind`` says how it refers: name, alias, epithet, owner (product-owner
    description), description (definite description), pronoun, ner (named by
    the statistical model only), cue (unknown organisation found by shape).
    """

    text: str
    start: int
    end: int
    type: str
    kind: str = "name"
    entity_id: str | None = None
    sentence: int = -1
    # Tokens of the parsed chunk covered by the mention (set by the mention stage).
    token_start: int = -1
    token_end: int = -1
    # Set by coreference: the earlier mention this one refers back to.
    antecedent: Mention | None = field(default=None, repr=False, compare=False)
    # Set by the mention stage for a source ("selon Reuters"): not an actor.
    is_source: bool = False
    # For an owner description ("les propriétaires de ChatGPT"): the product it names.
    product_id: str | None = None
    # For a definite description ("la startup"): the knowledge-base kind it fits.
    description_kind: str | None = None
    # ...and the country its nationality adjective names ("le groupe canadien").
    description_country: str | None = None
    # For a plural reference ("les deux groupes"): the parties it names.
    referents: list[Mention] = field(default_factory=list, repr=False, compare=False)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class Entity:
    """A canonical entity: from the knowledge base (``qid`` may be set) or local."""

    id: str
    name: str
    type: str
    qid: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    in_kb: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "qid": self.qid,
            "aliases": list(self.aliases),
            "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in self.mentions],
        }


@dataclass
class TriggerSpan:
    text: str
    start: int
    end: int


@dataclass
class Evidence:
    """Where a claim comes from: the sentence and the offsets of its parts."""

    doc_id: str
    sentence: str
    start: int
    end: int
    trigger: TriggerSpan
    subject_span: tuple[int, int]
    object_span: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "trigger": {
                "text": self.trigger.text,
                "start": self.trigger.start,
                "end": self.trigger.end,
            },
            "subject_span": list(self.subject_span),
            "object_span": list(self.object_span),
        }


@dataclass
class Claim:
    """One sentence stating one relation between two entities."""

    subject: str
    relation: str
    object: str
    evidence: Evidence
    modality: Modality = Modality.ASSERTED
    amount: Amount | None = None
    date: str | None = None
    tone: float = 0.0
    confidence: float = 0.5
    sentence: int = -1
    # Why the modality was chosen (cue words); kept for debugging, not serialised.
    cues: list[str] = field(default_factory=list)
    # Runtime only: index of the trigger token in its parsed chunk, and how the
    # arguments were found ("dep", "linear", "context"), read by later stages.
    trigger_i: int = field(default=-1, repr=False, compare=False)
    method: str = field(default="dep", repr=False, compare=False)

    def key(self) -> tuple[str, str, str]:
        """(subject, relation, object), order-free for symmetric relations."""
        if RELATIONS[self.relation].symmetric and self.object < self.subject:
            return (self.object, self.relation, self.subject)
        return (self.subject, self.relation, self.object)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "relation": self.relation,
            "object": self.object,
            "modality": self.modality.value,
            "amount": self.amount.to_dict() if self.amount else None,
            "date": self.date,
            "tone": round(self.tone, 3),
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence.to_dict(),
        }


@dataclass
class Document:
    """An article travelling through the pipeline; each stage fills its part."""

    id: str
    text: str
    lang: str | None = None
    published: str | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    # Runtime-only objects (the spaCy Doc, the language data); never serialised.
    spacy_doc: Any = None
    stages_done: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The ontology's JSON output of one article."""
        used = {c.subject for c in self.claims} | {c.object for c in self.claims}
        entities = [e for e in self.entities.values() if e.mentions or e.id in used]
        return {
            "id": self.id,
            "lang": self.lang,
            "published": self.published,
            "title": self.title,
            "warnings": list(self.warnings),
            "entities": [e.to_dict() for e in entities],
            "claims": [c.to_dict() for c in self.claims],
        }

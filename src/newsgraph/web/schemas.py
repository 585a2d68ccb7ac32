"""Pydantic models of the HTTP API: what the OpenAPI schema documents.

Field names are the ONTOLOGY's, the same as ``newsgraph … --format json``.
Nested analytics (timeline periods, dependency listings, analysed articles)
are described in the docs and typed loosely here, as objects.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Modality = Literal["asserted", "reported", "speculative", "negated"]
RelationClass = Literal["cooperation", "conflict", "neutral"]


class ErrorBody(BaseModel):
    """Every error: the newsgraph code, a message a person can act on."""

    code: str = Field(examples=["E020"])
    detail: str
    suggestions: list[str] = Field(default_factory=list)
    errors: list[dict[str, Any]] = Field(default_factory=list)


class Stats(BaseModel):
    store: str
    read_only: bool
    counts: dict[str, int]


class EntityHit(BaseModel):
    id: str
    name: str
    type: str
    qid: str | None
    matched: str = Field(description="the folded name, alias or surface form that matched")
    n_claims: int


class Amount(BaseModel):
    value: float
    currency: str | None = None
    bound: str | None = None


class Trigger(BaseModel):
    text: str
    start: int
    end: int


class Evidence(BaseModel):
    sentence: str
    start: int = Field(description="offset of the sentence in the document text")
    end: int
    trigger: Trigger
    subject_span: list[int]
    object_span: list[int]


class Edge(BaseModel):
    subject: str
    subject_name: str
    relation: str
    object: str
    object_name: str
    class_: RelationClass = Field(alias="class")
    modality: Modality = Field(description="the strongest modality of the edge's claims")
    n_claims: int
    n_stories: int
    first_date: str | None
    last_date: str | None
    max_amount: float | None

    model_config = ConfigDict(populate_by_name=True)


class GraphEdge(Edge):
    id: str


class Mention(BaseModel):
    text: str
    count: int


class EntityDetail(BaseModel):
    id: str
    name: str
    type: str
    qid: str | None
    in_kb: bool
    aliases: list[str]
    n_claims: int
    mentions: list[Mention]
    edges: dict[str, list[Edge]] = Field(description="the entity's edges by relation")


class Node(BaseModel):
    id: str
    name: str
    type: str | None
    centre: bool
    weight: int = Field(description="stories backing the edges between this node and the centre")


class Neighbourhood(BaseModel):
    entity: dict[str, Any]
    nodes: list[Node]
    edges: list[GraphEdge]
    partners: int = Field(description="partners in all, before the limit")


class Claim(BaseModel):
    id: str
    subject: str
    subject_name: str
    relation: str
    object: str
    object_name: str
    modality: Modality
    class_: RelationClass = Field(alias="class")
    date: str | None
    amount: Amount | None
    tone: float
    confidence: float
    document_id: str
    document_name: str
    title: str | None
    lang: str | None
    story_id: str
    evidence: Evidence

    model_config = ConfigDict(populate_by_name=True)


class ClaimPage(BaseModel):
    a: dict[str, Any]
    b: dict[str, Any]
    total: int
    limit: int
    offset: int
    claims: list[Claim]


class DocumentMention(BaseModel):
    start: int
    end: int
    text: str
    entity_id: str
    entity_name: str
    type: str
    kind: str


class Source(BaseModel):
    location: str
    name: str
    url: str | None


class DocumentDetail(BaseModel):
    id: str
    name: str
    title: str | None
    lang: str | None
    published: str | None
    url: str | None
    site: str | None
    story_id: str
    warnings: list[str]
    text: str
    sources: list[Source]
    mentions: list[DocumentMention]
    claims: list[Claim]


class ArticleIn(BaseModel):
    """An article to analyse (or, on a server started with --allow-ingest, to store)."""

    text: str = Field(min_length=1, description="the article, title line first if any")
    lang: str | None = Field(
        default=None,
        pattern=r"^[a-z]{2}$",
        description="fr, en or es; detected when left out; another code gets warning W001 "
        "and knowledge-base entities only",
    )
    published: str | None = Field(
        default=None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        json_schema_extra={"format": "date"},
        description="YYYY-MM-DD, for relative dates",
    )
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)

    model_config = ConfigDict(extra="forbid")


class Ingested(BaseModel):
    document_id: str
    new: bool = Field(description="false when the same text was already stored")
    summary: dict[str, Any]


__all__ = [
    "Amount",
    "ArticleIn",
    "Claim",
    "ClaimPage",
    "DocumentDetail",
    "Edge",
    "EntityDetail",
    "EntityHit",
    "ErrorBody",
    "Ingested",
    "Neighbourhood",
    "Stats",
]

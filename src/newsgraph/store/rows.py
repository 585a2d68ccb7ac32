"""An analysed article as plain rows for the store: picklable, so workers can send it.

The worker process analyses the text and builds an :class:`ArticleRows`; the
process that owns the DuckDB connection writes it in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from newsgraph.model import Document

_SPACE = re.compile(r"\s+")

ENTITY_COLUMNS = ("id", "name", "type", "qid", "in_kb", "aliases")
MENTION_COLUMNS = ("document_id", "start", "end", "text", "entity_id", "kind")
CLAIM_COLUMNS = (
    "id",
    "document_id",
    "seq",
    "subject",
    "relation",
    "object",
    "modality",
    "amount_value",
    "amount_currency",
    "amount_bound",
    "date",
    "tone",
    "confidence",
    "sentence",
    "sentence_start",
    "sentence_end",
    "trigger",
    "trigger_start",
    "trigger_end",
    "subject_start",
    "subject_end",
    "object_start",
    "object_end",
)
DOCUMENT_COLUMNS = (
    "id",
    "name",
    "title",
    "lang",
    "published",
    "url",
    "site",
    "text",
    "warnings",
)


def content_hash(text: str) -> str:
    """The document id: a hash of the text with its whitespace collapsed.

    The same article saved with other line endings or indentation is the same
    document; any change of a word makes another one.

    >>> content_hash("Apple  sues\\r\\nSamsung.") == content_hash("Apple sues Samsung.")
    True
    """
    canonical = _SPACE.sub(" ", text).strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:24]


@dataclass
class ArticleRows:
    """Everything the store keeps of one analysed article."""

    document: dict[str, Any]
    location: str
    entities: list[tuple[Any, ...]] = field(default_factory=list)
    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    claims: list[tuple[Any, ...]] = field(default_factory=list)
    minhash: list[int] = field(default_factory=list)
    embedding: list[float] | None = None

    @property
    def id(self) -> str:
        return str(self.document["id"])


def article_rows(
    doc: Document,
    *,
    document_id: str,
    name: str,
    location: str,
    url: str | None = None,
    site: str | None = None,
) -> ArticleRows:
    """The rows of an analysed ``doc`` whose content hash is ``document_id``."""
    document = {
        "id": document_id,
        "name": name,
        "title": doc.title or _first_line(doc.text),
        "lang": doc.lang,
        "published": doc.published,
        "url": url,
        "site": site,
        "text": doc.text,
        "warnings": list(doc.warnings),
    }
    rows = ArticleRows(document=document, location=location)
    used = {c.subject for c in doc.claims} | {c.object for c in doc.claims}
    for entity in doc.entities.values():
        if not entity.mentions and entity.id not in used:
            continue
        aliases = sorted(set(entity.aliases))
        rows.entities.append(
            (entity.id, entity.name, entity.type, entity.qid, entity.in_kb, aliases)
        )
    seen: set[tuple[int, int, str]] = set()
    for entity in doc.entities.values():
        for mention in entity.mentions:
            key = (mention.start, mention.end, entity.id)
            if key in seen:
                continue
            seen.add(key)
            rows.mentions.append(
                (document_id, mention.start, mention.end, mention.text, entity.id, mention.kind)
            )
    for seq, claim in enumerate(doc.claims):
        ev = claim.evidence
        amount = claim.amount
        rows.claims.append(
            (
                f"{document_id}:{seq}",
                document_id,
                seq,
                claim.subject,
                claim.relation,
                claim.object,
                claim.modality.value,
                float(amount.value) if amount else None,
                amount.currency if amount else None,
                amount.bound if amount else None,
                claim.date,
                round(claim.tone, 3),
                round(claim.confidence, 3),
                ev.sentence,
                ev.start,
                ev.end,
                ev.trigger.text,
                ev.trigger.start,
                ev.trigger.end,
                ev.subject_span[0],
                ev.subject_span[1],
                ev.object_span[0],
                ev.object_span[1],
            )
        )
    return rows


def amount_json(
    value: float | None, currency: str | None, bound: str | None
) -> dict[str, Any] | None:
    """The ONTOLOGY's amount object from the store's three amount columns.

    >>> amount_json(13e9, "USD", None)
    {'value': 13000000000, 'currency': 'USD'}
    """
    if value is None:
        return None
    shown: float | int = int(value) if float(value).is_integer() else value
    out: dict[str, Any] = {"value": shown, "currency": currency}
    if bound:
        out["bound"] = bound
    return out


#: The store's evidence columns, in the order :func:`evidence_json` takes them.
EVIDENCE_COLUMNS = CLAIM_COLUMNS[-10:]


def evidence_json(*columns: Any) -> dict[str, Any]:
    """The ONTOLOGY's evidence object from the store's ``EVIDENCE_COLUMNS`` values.

    >>> evidence_json("A sues B.", 0, 9, "sues", 2, 6, 0, 1, 7, 8)["trigger"]
    {'text': 'sues', 'start': 2, 'end': 6}
    """
    (sentence, start, end, trigger, trigger_start, trigger_end,
     subject_start, subject_end, object_start, object_end) = columns  # fmt: skip
    return {
        "sentence": sentence,
        "start": start,
        "end": end,
        "trigger": {"text": trigger, "start": trigger_start, "end": trigger_end},
        "subject_span": [subject_start, subject_end],
        "object_span": [object_start, object_end],
    }


def iso(value: Any) -> str | None:
    """A date as ISO text (``None`` stays ``None``)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return None if value is None else str(value)


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return None


__all__ = [
    "CLAIM_COLUMNS",
    "DOCUMENT_COLUMNS",
    "ENTITY_COLUMNS",
    "EVIDENCE_COLUMNS",
    "MENTION_COLUMNS",
    "ArticleRows",
    "amount_json",
    "article_rows",
    "content_hash",
    "evidence_json",
    "iso",
]

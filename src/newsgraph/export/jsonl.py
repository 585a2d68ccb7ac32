"""JSON Lines: one ONTOLOGY "JSON output of one article" object per stored document.

The documents are read a page at a time in id order (keyset paging), and a
page's mentions, entities and claims with one query each over its id range,
so memory stays flat however large the store is.

    >>> write(store.con, "articles.jsonl")
    {'format': 'jsonl', 'path': '/…/articles.jsonl', 'documents': 10, 'claims': 25}
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from newsgraph.export.base import atomic_file, document_pages, iso, target
from newsgraph.store.rows import amount_json, evidence_json

#: Documents read per page.
PAGE = 256

_DOCUMENTS = "id, name, lang, published, title, url, site, story_id, warnings"
_MENTIONS = """
SELECT document_id, entity_id, text, start, "end" FROM mentions
WHERE document_id BETWEEN $lo AND $hi ORDER BY document_id, start, "end", entity_id
"""
# The entities of a document: those it mentions, then its claims' arguments,
# in the order of their first mention.
_ENTITIES = """
WITH used AS (
    SELECT document_id, entity_id, start FROM mentions WHERE document_id BETWEEN $lo AND $hi
    UNION ALL
    SELECT document_id, subject, NULL FROM claims WHERE document_id BETWEEN $lo AND $hi
    UNION ALL
    SELECT document_id, object, NULL FROM claims WHERE document_id BETWEEN $lo AND $hi
), firsts AS (
    SELECT document_id, entity_id, min(start) AS first FROM used GROUP BY ALL
)
SELECT f.document_id, e.id, e.name, e.type, e.qid, e.aliases
FROM firsts f JOIN entities e ON e.id = f.entity_id
ORDER BY f.document_id, f.first NULLS LAST, e.id
"""
_CLAIMS = """
SELECT document_id, id, subject, relation, object, modality,
       amount_value, amount_currency, amount_bound, date, tone, confidence,
       sentence, sentence_start, sentence_end, trigger, trigger_start, trigger_end,
       subject_start, subject_end, object_start, object_end
FROM claims WHERE document_id BETWEEN $lo AND $hi ORDER BY document_id, seq
"""


def write(con: Any, out: str | os.PathLike[str]) -> dict[str, Any]:
    """Write every document of the store to ``out``, one JSON object a line, UTF-8.

    Args:
        con: an open DuckDB connection to a store (``Store.con``).
        out: the file to write; it is replaced only once complete.

    Returns:
        ``{"format", "path", "documents", "claims"}``: what was written.

    Raises:
        OutputNotWritable: ``out`` cannot be written; nothing was written.

    >>> write(store.con, "articles.jsonl")["documents"]
    10
    """
    path = target(out)
    documents = claims = 0
    with atomic_file(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as f:
        for article in articles(con):
            f.write(json.dumps(article, ensure_ascii=False))
            f.write("\n")
            documents += 1
            claims += len(article["claims"])
    return {
        "format": "jsonl",
        "path": str(path),
        "documents": documents,
        "claims": claims,
    }


def articles(con: Any, *, page: int = PAGE) -> Iterator[dict[str, Any]]:
    """Every stored document as the ONTOLOGY's JSON object of one article, in id order.

    Besides the contract's fields (id, lang, published, title, warnings,
    entities, claims) each object has the document's name, url, site and
    story_id, and each claim its id. Amount values that are whole numbers are
    ints, as in ``newsgraph analyze`` output.

    Args:
        con: an open DuckDB connection to a store.
        page: documents read per query; memory grows with it, not with the store.

    >>> next(articles(store.con))["claims"][0]["relation"]
    'INVESTS_IN'
    """
    for docs in document_pages(con, _DOCUMENTS, page=page):
        bounds = {"lo": docs[0][0], "hi": docs[-1][0]}
        mentions = _grouped(con.execute(_MENTIONS, bounds).fetchall())
        entities = _grouped(con.execute(_ENTITIES, bounds).fetchall())
        claims = _grouped(con.execute(_CLAIMS, bounds).fetchall())
        for doc in docs:
            yield _article(doc, entities[doc[0]], mentions[doc[0]], claims[doc[0]])


def _grouped(rows: list[tuple[Any, ...]]) -> defaultdict[str, list[tuple[Any, ...]]]:
    """Rows whose first column is a document id, grouped by it (the id dropped)."""
    out: defaultdict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(row[1:])
    return out


def _article(
    doc: tuple[Any, ...],
    entities: list[tuple[Any, ...]],
    mentions: list[tuple[Any, ...]],
    claims: list[tuple[Any, ...]],
) -> dict[str, Any]:
    id_, name, lang, published, title, url, site, story_id, warnings = doc
    by_entity: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for entity_id, text, start, end in mentions:
        by_entity[entity_id].append({"text": text, "start": start, "end": end})
    return {
        "id": id_,
        "name": name,
        "lang": lang,
        "published": iso(published),
        "title": title,
        "url": url,
        "site": site,
        "story_id": story_id,
        "warnings": list(warnings),
        "entities": [
            {
                "id": eid,
                "name": ename,
                "type": etype,
                "qid": qid,
                "aliases": list(aliases),
                "mentions": by_entity.get(eid, []),
            }
            for eid, ename, etype, qid, aliases in entities
        ],
        "claims": [_claim(row) for row in claims],
    }


def _claim(row: tuple[Any, ...]) -> dict[str, Any]:
    (
        id_, subject, relation, object_, modality, amount_value, amount_currency, amount_bound,
        date, tone, confidence,
    ) = row[:-10]  # fmt: skip
    amount = amount_json(amount_value, amount_currency, amount_bound)
    return {
        "id": id_,
        "subject": subject,
        "relation": relation,
        "object": object_,
        "modality": modality,
        "amount": amount,
        "date": iso(date),
        "tone": tone,
        "confidence": confidence,
        "evidence": evidence_json(*row[-10:]),
    }


__all__ = ["PAGE", "articles", "write"]

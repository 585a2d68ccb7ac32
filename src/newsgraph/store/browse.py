"""Read the graph for browsing: name search, an entity's neighbourhood, one document.

Like :mod:`newsgraph.store.queries`, every function takes an open DuckDB
connection and returns plain dicts ready for JSON; the web explorer is built on
them, and so can any other front end.
"""

from __future__ import annotations

from typing import Any

from newsgraph.errors import DocumentNotFound
from newsgraph.store.queries import CLAIM_SELECT, EDGE_FIELDS, claim_json, resolve
from newsgraph.store.rows import iso
from newsgraph.text import norm_key

_EDGE_SELECT = """
SELECT e.subject, s.name, e.relation, e.object, o.name, e.class, e.modality,
       e.n_claims, e.n_stories, e.first_date, e.last_date, e.max_amount
FROM edges e JOIN entities s ON s.id = e.subject JOIN entities o ON o.id = e.object
"""


def search_entities(con: Any, query: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """Entities whose name, alias or a surface form starts with ``query`` (folded),
    then those where it appears inside; the most-cited first.

    Each hit says which of the entity's names matched, so an autocomplete can
    show "Redmond giant → Microsoft".
    """
    key = norm_key(query)
    if not key:
        return []
    rows = con.execute(
        """
        WITH hits AS (
            SELECT k.entity_id, min(CASE WHEN starts_with(k.key, ?) THEN 0 ELSE 1 END) AS rank,
                   arg_min(k.key, (NOT starts_with(k.key, ?))::INTEGER * 100000 + length(k.key))
                       AS matched
            FROM entity_keys k
            WHERE contains(k.key, ?)
            GROUP BY k.entity_id
        ), cited AS (
            SELECT id, count(*) AS n FROM (
                SELECT subject AS id FROM claims UNION ALL SELECT object FROM claims)
            WHERE id IN (SELECT entity_id FROM hits) GROUP BY id
        )
        SELECT e.id, e.name, e.type, e.qid, h.matched, coalesce(c.n, 0) AS n_claims
        FROM hits h JOIN entities e ON e.id = h.entity_id LEFT JOIN cited c ON c.id = e.id
        ORDER BY h.rank, n_claims DESC, length(e.name), e.name, e.id
        LIMIT ?
        """,
        [key, key, key, limit],
    ).fetchall()
    return [
        {"id": id_, "name": name, "type": type_, "qid": qid, "matched": matched, "n_claims": n}
        for id_, name, type_, qid, matched, n in rows
    ]


def neighbourhood(con: Any, name: str, *, limit: int = 40) -> dict[str, Any]:
    """The entity ``name``, its partners and the edges between it and them.

    The ``limit`` partners backed by the most stories are kept. Each edge
    carries its cooperation/conflict class and strongest modality, so a
    drawing can colour it and dash what is only speculated.
    """
    centre = resolve(con, name)
    rows = con.execute(
        _EDGE_SELECT + "WHERE e.subject = ? OR e.object = ?",
        [centre["id"], centre["id"]],
    ).fetchall()
    edges = [dict(zip(EDGE_FIELDS, row, strict=True)) for row in rows]
    weight: dict[str, int] = {}
    for edge in edges:
        partner = edge["object"] if edge["subject"] == centre["id"] else edge["subject"]
        if partner == centre["id"]:
            continue  # a loop: the entity is not its own partner (nor a second node)
        weight[partner] = weight.get(partner, 0) + edge["n_stories"]
    kept = sorted(weight, key=lambda p: (-weight[p], p))[:limit]
    types = _types(con, [centre["id"], *kept])
    nodes = [_node(centre["id"], centre["name"], types, centre=True)]
    names = {e["subject"]: e["subject_name"] for e in edges}
    names.update({e["object"]: e["object_name"] for e in edges})
    nodes += [_node(p, names[p], types, centre=False, weight=weight[p]) for p in kept]
    chosen = set(kept) | {centre["id"]}
    out_edges = []
    for edge in edges:
        if edge["subject"] in chosen and edge["object"] in chosen:
            edge["id"] = f"{edge['subject']}|{edge['relation']}|{edge['object']}"
            edge["first_date"], edge["last_date"] = iso(edge["first_date"]), iso(edge["last_date"])
            out_edges.append(edge)
    out_edges.sort(key=lambda e: e["id"])
    return {"entity": centre, "nodes": nodes, "edges": out_edges, "partners": len(weight)}


def _types(con: Any, ids: list[str]) -> dict[str, str]:
    rows = con.execute("SELECT id, type FROM entities WHERE list_contains(?, id)", [ids])
    return dict(rows.fetchall())


def _node(
    id_: str, name: str, types: dict[str, str], *, centre: bool, weight: int = 0
) -> dict[str, Any]:
    return {"id": id_, "name": name, "type": types.get(id_), "centre": centre, "weight": weight}


def document_detail(con: Any, document_id: str) -> dict[str, Any]:
    """One stored article: its text, sources, mentions (with their entities) and claims.

    Offsets of mentions and evidence are in characters of ``text``.

    Raises:
        DocumentNotFound: no document has this id.
    """
    row = con.execute(
        """
        SELECT id, name, title, lang, published, url, site, text, warnings,
               coalesce(story_id, id)
        FROM documents WHERE id = ?
        """,
        [document_id],
    ).fetchone()
    if row is None:
        raise DocumentNotFound(document_id)
    id_, name, title, lang, published, url, site, text, warnings, story_id = row
    mentions = con.execute(
        """
        SELECT m.start, m."end", m.text, m.entity_id, e.name, e.type, m.kind
        FROM mentions m JOIN entities e ON e.id = m.entity_id
        WHERE m.document_id = ? ORDER BY m.start, m."end" DESC, m.entity_id
        """,
        [id_],
    ).fetchall()
    claims = con.execute(CLAIM_SELECT + "WHERE f.document_id = ? ORDER BY f.seq", [id_]).fetchall()
    sources = con.execute(
        "SELECT location, name, url FROM sources WHERE document_id = ? ORDER BY location",
        [id_],
    ).fetchall()
    return {
        "id": id_,
        "name": name,
        "title": title,
        "lang": lang,
        "published": iso(published),
        "url": url,
        "site": site,
        "story_id": story_id,
        "warnings": list(warnings),
        "text": text,
        "sources": [{"location": loc, "name": n, "url": u} for loc, n, u in sources],
        "mentions": [
            {
                "start": start,
                "end": end,
                "text": surface,
                "entity_id": entity_id,
                "entity_name": entity_name,
                "type": type_,
                "kind": kind,
            }
            for start, end, surface, entity_id, entity_name, type_, kind in mentions
        ],
        "claims": [claim_json(row) for row in claims],
    }


__all__ = ["document_detail", "neighbourhood", "search_entities"]

"""Read the graph: find entities by name, list edges and claims.

Every function takes an open DuckDB connection (``Store.con``) and returns
plain dicts whose keys are the ONTOLOGY's field names, ready for JSON, CSV or a
table. Timelines and dependencies are in :mod:`newsgraph.analysis`.
"""

from __future__ import annotations

import difflib
from typing import Any

from newsgraph.errors import EntityNotFound
from newsgraph.store.rows import amount_json, evidence_json, iso
from newsgraph.text import norm_key

#: Columns of a claim row as the queries return it.
CLAIM_FIELDS = (
    "id",
    "subject",
    "subject_name",
    "relation",
    "object",
    "object_name",
    "modality",
    "class",
    "date",
    "amount",
    "tone",
    "confidence",
    "document_id",
    "document_name",
    "title",
    "lang",
    "story_id",
    "evidence",
)

CLAIM_SELECT = """
SELECT f.id, f.subject, s.name, f.relation, f.object, o.name, f.modality, f.class, f.day,
       f.amount_value, f.amount_currency, f.amount_bound, f.tone, f.confidence,
       f.document_id, f.document_name, f.document_title, f.lang, f.story_id,
       f.sentence, f.sentence_start, f.sentence_end, f.trigger, f.trigger_start,
       f.trigger_end, f.subject_start, f.subject_end, f.object_start, f.object_end
FROM claim_facts f
JOIN entities s ON s.id = f.subject
JOIN entities o ON o.id = f.object
"""


def resolve(con: Any, name: str) -> dict[str, Any]:
    """The entity ``name`` designates: an id, a canonical name, an alias or a surface form.

    Case and accents are folded. When several entities answer, the one with
    the most claims wins (then the knowledge-base one, then the smallest id).

    Raises:
        EntityNotFound: nothing matches; the message suggests close names.
    """
    rows = con.execute(
        """
        SELECT e.id, e.name, e.type, e.qid, e.in_kb, e.aliases FROM entities e
        WHERE e.id = ? OR e.id IN (SELECT entity_id FROM entity_keys WHERE key = ?)
        """,
        [name, norm_key(name)],
    ).fetchall()
    if not rows:
        raise EntityNotFound(name, suggest(con, name))
    exact = [row for row in rows if row[0] == name]
    if exact or len(rows) == 1:
        best = (exact or rows)[0]
    else:  # an ambiguous name: the entity with the most claims wins
        counts = claim_counts(con, [row[0] for row in rows])
        best = min(rows, key=lambda r: (-counts.get(r[0], 0), not r[4], r[0]))
    id_, canonical, type_, qid, in_kb, aliases = best
    return {
        "id": id_,
        "name": canonical,
        "type": type_,
        "qid": qid,
        "in_kb": in_kb,
        "aliases": list(aliases),
    }


def claim_counts(con: Any, ids: list[str]) -> dict[str, int]:
    """How many claims each of the entities ``ids`` takes part in (as subject or object)."""
    rows = con.execute(
        """
        SELECT id, count(*) FROM (
            SELECT subject AS id FROM claims WHERE list_contains(?, subject)
            UNION ALL SELECT object FROM claims WHERE list_contains(?, object))
        GROUP BY id
        """,
        [ids, ids],
    ).fetchall()
    return {id_: int(n) for id_, n in rows}


def suggest(con: Any, name: str, *, limit: int = 3) -> list[str]:
    """Entity names close to ``name`` (for "did you mean")."""
    names = [row[0] for row in con.execute("SELECT DISTINCT name FROM entities").fetchall()]
    by_key = {norm_key(n): n for n in names}
    close = difflib.get_close_matches(norm_key(name), list(by_key), n=limit, cutoff=0.6)
    return [by_key[k] for k in close]


def entity_detail(con: Any, name: str, *, surface_forms: int = 20) -> dict[str, Any]:
    """The entity, its aliases and the surface forms seen, and its edges by relation."""
    entity = resolve(con, name)
    entity["n_claims"] = claim_counts(con, [entity["id"]]).get(entity["id"], 0)
    forms = con.execute(
        """
        SELECT text, count(*) AS n FROM mentions WHERE entity_id = ?
        GROUP BY text ORDER BY n DESC, text LIMIT ?
        """,
        [entity["id"], surface_forms],
    ).fetchall()
    entity["mentions"] = [{"text": text, "count": n} for text, n in forms]
    edges = con.execute(
        """
        SELECT e.subject, s.name, e.relation, e.object, o.name, e.class, e.modality,
               e.n_claims, e.n_stories, e.first_date, e.last_date, e.max_amount
        FROM edges e JOIN entities s ON s.id = e.subject JOIN entities o ON o.id = e.object
        WHERE e.subject = ? OR e.object = ?
        ORDER BY e.relation, e.n_stories DESC, e.last_date DESC, s.name, o.name
        """,
        [entity["id"], entity["id"]],
    ).fetchall()
    by_relation: dict[str, list[dict[str, Any]]] = {}
    for row in edges:
        by_relation.setdefault(row[2], []).append(_edge(row))
    entity["edges"] = by_relation
    return entity


EDGE_FIELDS = (
    "subject",
    "subject_name",
    "relation",
    "object",
    "object_name",
    "class",
    "modality",
    "n_claims",
    "n_stories",
    "first_date",
    "last_date",
    "max_amount",
)


def _edge(row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(EDGE_FIELDS, row, strict=True))
    for key in ("first_date", "last_date"):
        out[key] = iso(out[key])
    return out


def top_edges(con: Any, *, limit: int = 20, relation: str | None = None) -> list[dict[str, Any]]:
    """The edges backed by the most stories (then claims, then the most recent)."""
    where, params = ("WHERE e.relation = ?", [relation]) if relation else ("", [])
    rows = con.execute(
        f"""
        SELECT e.subject, s.name, e.relation, e.object, o.name, e.class, e.modality,
               e.n_claims, e.n_stories, e.first_date, e.last_date, e.max_amount
        FROM edges e JOIN entities s ON s.id = e.subject JOIN entities o ON o.id = e.object
        {where}
        ORDER BY e.n_stories DESC, e.n_claims DESC, e.last_date DESC, s.name, o.name
        LIMIT ?
        """,
        [*params, limit],
    ).fetchall()
    return [_edge(row) for row in rows]


def edges_between(
    con: Any,
    a: str,
    b: str,
    *,
    relation: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The claims between entities ``a`` and ``b``, either direction, oldest first.

    Args:
        relation: only claims of this relation.
        limit: at most this many (None: all of them); with ``offset``, a page.
    """
    first, second = resolve(con, a), resolve(con, b)
    sql = (
        CLAIM_SELECT
        + """
        WHERE ((f.subject = ? AND f.object = ?) OR (f.subject = ? AND f.object = ?))
          AND (? IS NULL OR f.relation = ?)
        ORDER BY f.day NULLS LAST, f.id
        """
    )
    params: list[Any] = [first["id"], second["id"], second["id"], first["id"], relation, relation]
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [claim_json(row) for row in con.execute(sql, params).fetchall()]


def count_between(con: Any, a: str, b: str, *, relation: str | None = None) -> int:
    """How many claims there are between entities ``a`` and ``b``, either direction."""
    first, second = resolve(con, a), resolve(con, b)
    rows = con.execute(
        """
        SELECT count(*) FROM claims
        WHERE ((subject = ? AND object = ?) OR (subject = ? AND object = ?))
          AND (? IS NULL OR relation = ?)
        """,
        [first["id"], second["id"], second["id"], first["id"], relation, relation],
    ).fetchall()
    return int(rows[0][0])


def find_claims(
    con: Any,
    *,
    modality: str | None = None,
    relation: str | None = None,
    entity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    lang: str | None = None,
    limit: int | None = 100,
) -> list[dict[str, Any]]:
    """Claims filtered by modality, relation, an entity on either side, dates and language."""
    filters = [
        ("f.modality = ?", modality),
        ("f.relation = ?", relation),
        ("f.day >= ?::DATE", since),
        ("f.day <= ?::DATE", until),
        ("f.lang = ?", lang),
    ]
    where = [clause for clause, value in filters if value]
    params: list[Any] = [value for _, value in filters if value]
    if entity:
        found = resolve(con, entity)
        where.append("(f.subject = ? OR f.object = ?)")
        params += [found["id"], found["id"]]
    sql = CLAIM_SELECT
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY f.day NULLS LAST, f.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [claim_json(row) for row in con.execute(sql, params).fetchall()]


def claim_json(row: tuple[Any, ...]) -> dict[str, Any]:
    """A claim dict (``CLAIM_FIELDS``) from a row of ``CLAIM_SELECT``."""
    (
        id_, subject, subject_name, relation, object_, object_name, modality, klass, day,
        amount_value, amount_currency, amount_bound, tone, confidence, document_id,
        document_name, title, lang, story_id,
    ) = row[:-10]  # fmt: skip
    amount = amount_json(amount_value, amount_currency, amount_bound)
    return {
        "id": id_,
        "subject": subject,
        "subject_name": subject_name,
        "relation": relation,
        "object": object_,
        "object_name": object_name,
        "modality": modality,
        "class": klass,
        "date": iso(day),
        "amount": amount,
        "tone": tone,
        "confidence": confidence,
        "document_id": document_id,
        "document_name": document_name,
        "title": title,
        "lang": lang,
        "story_id": story_id,
        "evidence": evidence_json(*row[-10:]),
    }


__all__ = [
    "CLAIM_FIELDS",
    "CLAIM_SELECT",
    "EDGE_FIELDS",
    "claim_counts",
    "claim_json",
    "count_between",
    "edges_between",
    "entity_detail",
    "find_claims",
    "resolve",
    "suggest",
    "top_edges",
]

"""CSV for Neo4j's bulk importer (``neo4j-admin database import full``).

The folder holds node files (entities, documents, claims), relationship files
(the edges between entities; each claim's SUBJECT, OBJECT and source
document, FROM) with headers in the importer's syntax, and a README.txt with
the import command. Files are UTF-8, comma-separated, quoted as RFC 4180 says
(a quote inside a field is doubled; a field with a comma, quote or line break
is quoted), hence ``--multiline-fields=true`` in the command. An empty field
is an absent property.

    >>> write(store.con, "graph-neo4j")["files"]["claims.csv"]
    25
"""

from __future__ import annotations

import csv
import os
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsgraph.export.base import atomic_dir, iso, stream, target

#: Node files: name -> (header, query). Entities also get the label Entity from the command.
NODES: dict[str, tuple[tuple[str, ...], str]] = {
    "entities.csv": (
        ("id:ID(Entity)", "name", "type", "qid", ":LABEL"),
        "SELECT id, name, type, qid, type FROM entities ORDER BY id",
    ),
    "documents.csv": (
        ("id:ID(Document)", "title", "published:date", "lang", "url", ":LABEL"),
        "SELECT id, title, published, lang, url, 'Document' FROM documents ORDER BY id",
    ),
}
EDGES_HEADER = (
    ":START_ID(Entity)",
    ":END_ID(Entity)",
    ":TYPE",
    "class",
    "modality",
    "n_claims:int",
    "n_stories:int",
    "n_documents:int",
    "first_date:date",
    "last_date:date",
    "max_amount:float",
)
_EDGES = """
SELECT subject, object, relation, class, modality, n_claims, n_stories, n_documents,
       first_date, last_date, max_amount
FROM edges ORDER BY subject, relation, object
"""
CLAIMS_HEADER = (
    "id:ID(Claim)",
    "relation",
    "modality",
    "date:date",
    "amount:float",
    "currency",
    "bound",
    "tone:float",
    "confidence:float",
    "sentence",
    "trigger",
    ":LABEL",
)
_CLAIMS = """
SELECT id, relation, modality, day, amount_value, amount_currency, amount_bound,
       tone, confidence, sentence, trigger, subject, object, document_id
FROM claim_facts ORDER BY document_id, seq
"""
#: Relationship files from each claim: name -> (end id space, relationship type).
CLAIM_LINKS = {
    "claim_subject.csv": ("Entity", "SUBJECT"),
    "claim_object.csv": ("Entity", "OBJECT"),
    "claim_document.csv": ("Document", "FROM"),
}
#: Every file of a Neo4j export.
FILES = (*NODES, "claims.csv", "edges.csv", *CLAIM_LINKS, "README.txt")


def write(con: Any, out: str | os.PathLike[str]) -> dict[str, Any]:
    """Write the store as CSV files for ``neo4j-admin database import`` into the folder ``out``.

    Args:
        con: an open DuckDB connection to a store.
        out: the folder to write; an earlier Neo4j export there is replaced once
            the new one is complete.

    Returns:
        ``{"format", "path", "files", "command"}``: rows per CSV file and the import command.

    Raises:
        OutputNotWritable: ``out`` cannot be written; nothing was written.

    >>> print(write(store.con, "graph-neo4j")["command"])
    neo4j-admin database import full neo4j --overwrite-destination …
    """
    path = target(out)
    files: dict[str, int] = {}
    with atomic_dir(path, names=FILES) as tmp:
        for name, (header, query) in NODES.items():
            files[name] = _write_csv(tmp / name, header, stream(con, query))
        files["edges.csv"] = _write_csv(tmp / "edges.csv", EDGES_HEADER, stream(con, _EDGES))
        files.update(_write_claims(con, tmp))
        command = import_command(path)
        (tmp / "README.txt").write_text(_readme(command, files), encoding="utf-8")
    return {"format": "csv", "path": str(path), "files": files, "command": command}


def _write_claims(con: Any, folder: Path) -> dict[str, int]:
    """claims.csv and the three relationship files of the claims, in one pass."""
    names = ("claims.csv", *CLAIM_LINKS)
    handles = [(folder / name).open("w", encoding="utf-8", newline="") for name in names]
    try:
        claims, *links = (csv.writer(h) for h in handles)
        claims.writerow(CLAIMS_HEADER)
        for writer, (space, _type) in zip(links, CLAIM_LINKS.values(), strict=True):
            writer.writerow((":START_ID(Claim)", f":END_ID({space})", ":TYPE"))
        n = 0
        for row in stream(con, _CLAIMS):
            *fields, subject, object_, document_id = row
            claims.writerow([_cell(v) for v in fields] + ["Claim"])
            for writer, end, (_space, type_) in zip(
                links, (subject, object_, document_id), CLAIM_LINKS.values(), strict=True
            ):
                writer.writerow((fields[0], end, type_))
            n += 1
    finally:
        for handle in handles:
            handle.close()
    return dict.fromkeys(names, n)


def _write_csv(file: Path, header: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> int:
    n = 0
    with file.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            n += 1
    return n


def _cell(value: Any) -> Any:
    """A value as the importer reads it: ISO dates, empty for absent."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return iso(value) if hasattr(value, "isoformat") else value


def import_command(folder: str | os.PathLike[str], *, database: str = "neo4j") -> str:
    """The ``neo4j-admin`` command that imports the export in ``folder`` into ``database``.

    The database name comes first: since Neo4j 5.19 a name after ``--nodes`` is
    read as one more file.

    >>> import_command("/data/graph-neo4j").splitlines()[0]
    'cd /data/graph-neo4j && \\\\'
    """
    options = [
        "--overwrite-destination=true",
        "--multiline-fields=true",
        "--input-encoding=UTF-8",
        "--nodes=Entity=entities.csv",
        "--nodes=documents.csv",
        "--nodes=claims.csv",
        "--relationships=edges.csv",
        *(f"--relationships={name}" for name in CLAIM_LINKS),
    ]
    lines = [
        f"cd {shlex.quote(os.fspath(folder))} && \\",
        f"neo4j-admin database import full {shlex.quote(database)} \\",
    ]
    lines += [f"    {option} \\" for option in options[:-1]]
    lines.append(f"    {options[-1]}")
    return "\n".join(lines)


def _readme(command: str, files: dict[str, int]) -> str:
    counts = "\n".join(f"  {name:<20} {n:>9,} rows" for name, n in files.items())
    return f"""newsgraph graph for Neo4j
=========================

Nodes: entities.csv (labels Entity and ORG/REGULATOR/PER/PRODUCT/LOC),
documents.csv (Document), claims.csv (Claim).
Relationships: edges.csv (one per subject, relation and object, typed by the
relation: INVESTS_IN, PARTNERS_WITH, ...; symmetric relations go from the
smaller id to the larger), claim_subject.csv (SUBJECT) and claim_object.csv
(OBJECT) from a claim to its entities, claim_document.csv (FROM) from a claim
to the article it was read in.

{counts}

Import into an empty or stopped Neo4j 5 database (this replaces the database
"neo4j"; on Neo4j Community stop the server first, then start it again):

{command}

Then, for example:

  MATCH (a:Entity)-[e:INVESTS_IN]->(b:Entity)
  RETURN a.name, b.name, e.n_claims, e.first_date ORDER BY e.n_stories DESC
"""


__all__ = [
    "CLAIMS_HEADER",
    "CLAIM_LINKS",
    "EDGES_HEADER",
    "FILES",
    "NODES",
    "import_command",
    "write",
]

"""Exports of the store: JSON Lines, Parquet, GraphML, Turtle and CSV for Neo4j.

Every export reads an open store and writes whole or not at all: into a
temporary file or folder next to ``out``, renamed to ``out`` at the end.

==========  ======  ==========================================================
format      out     what
==========  ======  ==========================================================
jsonl       file    one ONTOLOGY "JSON output of one article" per line
parquet     folder  documents, sources, stories, entities, mentions, claims,
                    edges: one ``.parquet`` file each, the store's columns
graphml     file    entities and edges (networkx, Gephi)
turtle      file    RDF: Wikidata IRIs and properties, claims reified
csv         folder  nodes and relationships for ``neo4j-admin database import``
==========  ======  ==========================================================

    >>> from newsgraph.store import Store
    >>> from newsgraph.export import export
    >>> with Store.open("newsgraph.duckdb", read_only=True) as store:
    ...     export(store.con, format="graphml", out="graph.graphml")
    {'format': 'graphml', 'path': '/…/graph.graphml', 'nodes': 14, 'edges': 18}
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from newsgraph.errors import UsageError
from newsgraph.export import graphml, jsonl, neo4j, parquet, turtle

Writer = Callable[..., dict[str, Any]]

#: The export formats, by name, and their writers.
FORMATS: dict[str, Writer] = {
    "jsonl": jsonl.write,
    "parquet": parquet.write,
    "graphml": graphml.write,
    "turtle": turtle.write,
    "csv": neo4j.write,
}


def export(
    con: Any,
    *,
    format: str,
    out: str | os.PathLike[str],
    base: str | None = None,
) -> dict[str, Any]:
    """Export the store in ``format`` to ``out`` (a file or a folder, by format).

    Args:
        con: an open DuckDB connection to a store (``Store.con``; a ``Store``
            is accepted too). A read-only store is enough.
        format: one of :data:`FORMATS`: jsonl, parquet, graphml, turtle, csv.
        out: the file (jsonl, graphml, turtle) or folder (parquet, csv) to
            write. Its folder must exist. An existing ``out`` is replaced only
            once the export is complete; an existing folder only if it holds
            nothing but files of an earlier export of the same format.
        base: turtle only: the namespace of newsgraph's own terms
            (default ``https://newsgraph.invalid/``).

    Returns:
        What was written: ``format``, ``path`` and the counts of the format
        (documents, claims, rows per file, nodes, edges, triples).

    Raises:
        UsageError: unknown format, or ``base`` given for a format other than turtle.
        OutputNotWritable: ``out`` cannot be written; nothing was written.

    >>> export(store.con, format="csv", out="graph-neo4j")["files"]["entities.csv"]
    14
    """
    writer = FORMATS.get(format)
    if writer is None:
        known = ", ".join(FORMATS)
        raise UsageError(f"unknown export format {format!r}; use one of {known}.")
    con = getattr(con, "con", con)
    if base is not None:
        if format != "turtle":
            raise UsageError(f"base= is an option of the turtle export, not of {format}.")
        return turtle.write(con, out, base=base)
    return writer(con, out)


__all__ = ["FORMATS", "export"]

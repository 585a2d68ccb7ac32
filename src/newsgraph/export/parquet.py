"""Parquet: one file per table of the store, plus the edges, for Spark, pandas or DuckDB.

Each file is written by DuckDB itself (``COPY … TO … (FORMAT parquet)``), so its
columns have the store's names and types (DATE stays a date, VARCHAR[] a list
of strings) and nothing passes through Python. ``fingerprints`` and
``entity_keys`` are internal to the store and not exported.

    >>> write(store.con, "graph-parquet")["files"]["claims.parquet"]
    25
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from newsgraph.errors import OutputNotWritable
from newsgraph.export.base import atomic_dir, target

#: What is exported, as (name, query); rows are ordered by key so files are reproducible.
TABLES: tuple[tuple[str, str], ...] = (
    ("documents", "SELECT * FROM documents ORDER BY id"),
    ("sources", "SELECT * FROM sources ORDER BY document_id, location"),
    ("stories", "SELECT * FROM stories ORDER BY id"),
    ("entities", "SELECT * FROM entities ORDER BY id"),
    ("mentions", 'SELECT * FROM mentions ORDER BY document_id, start, "end", entity_id'),
    ("claims", "SELECT * FROM claims ORDER BY document_id, seq"),
    (
        "edges",
        "SELECT * REPLACE (list_sort(modalities) AS modalities) FROM edges "
        "ORDER BY subject, relation, object",
    ),
)

#: The files of a parquet export.
FILES = tuple(f"{name}.parquet" for name, _ in TABLES)


def write(con: Any, out: str | os.PathLike[str]) -> dict[str, Any]:
    """Write the tables and the edges of the store as Parquet files in the folder ``out``.

    Args:
        con: an open DuckDB connection to a store (read-only is fine).
        out: the folder to write; an earlier parquet export there is replaced
            once the new one is complete.

    Returns:
        ``{"format", "path", "files"}``, ``files`` mapping each file name to its rows.

    Raises:
        OutputNotWritable: ``out`` cannot be written; nothing was written.

    >>> import pyarrow.parquet as pq
    >>> pq.read_table("graph-parquet/edges.parquet").num_rows
    18
    """
    path = target(out)
    files: dict[str, int] = {}
    with atomic_dir(path, names=FILES) as tmp:
        for name, query in TABLES:
            file = f"{name}.parquet"
            files[file] = _copy(con, query, tmp / file, shown=path / file)
    return {"format": "parquet", "path": str(path), "files": files}


def _copy(con: Any, query: str, file: Path, *, shown: Path) -> int:
    """Run ``COPY (query) TO file``; the number of rows written."""
    import duckdb

    literal = "'" + str(file).replace("'", "''") + "'"
    try:
        rows = con.execute(f"COPY ({query}) TO {literal} (FORMAT parquet)").fetchall()
    except duckdb.IOException as e:
        raise OutputNotWritable(str(shown), str(e).splitlines()[0]) from e
    return int(rows[0][0])


__all__ = ["FILES", "TABLES", "write"]

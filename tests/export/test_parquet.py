"""Parquet export: one file per table, the store's columns, read back with pyarrow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsgraph.export import parquet

from .conftest import N_EDGES, TRICKY

TABLES = ("documents", "sources", "stories", "entities", "mentions", "claims", "edges")


def _columns(con: Any, relation: str) -> list[str]:
    return [d[0] for d in con.execute(f"SELECT * FROM {relation} LIMIT 0").description]


def test_one_file_per_table_with_the_store_rows_and_columns(con: Any, tmp_path: Path) -> None:
    out = tmp_path / "pq"
    result = parquet.write(con, out)

    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    for table in TABLES:
        read = pq.read_table(out / f"{table}.parquet")
        stored = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        assert read.num_rows == stored == result["files"][f"{table}.parquet"], table
        assert read.column_names == _columns(con, table), table
    assert result["files"]["edges.parquet"] == N_EDGES
    assert not (out / "fingerprints.parquet").exists()
    assert not (out / "entity_keys.parquet").exists()


def test_types_are_kept(con: Any, tmp_path: Path) -> None:
    parquet.write(con, tmp_path / "pq")
    documents = pq.read_schema(tmp_path / "pq" / "documents.parquet")
    claims = pq.read_table(tmp_path / "pq" / "claims.parquet")
    edges = pq.read_table(tmp_path / "pq" / "edges.parquet")

    assert documents.field("published").type == pa.date32()
    warnings = documents.field("warnings").type
    assert pa.types.is_list(warnings) and warnings.value_type == pa.string()
    assert claims.schema.field("seq").type == pa.int32()
    assert claims.schema.field("amount_value").type == pa.float64()
    assert TRICKY in claims.column("sentence").to_pylist()
    assert edges.schema.field("n_claims").type == pa.int64()
    partners = [row for row in edges.to_pylist() if row["relation"] == "PARTNERS_WITH"]
    assert partners[0]["modalities"] == ["asserted", "reported"]

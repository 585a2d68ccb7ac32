"""The export entry point: dispatch, errors, and outputs that appear whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import newsgraph.export
from newsgraph.errors import OutputNotWritable, UsageError
from newsgraph.export import FORMATS, export, neo4j, parquet
from newsgraph.store import Store

FILE_FORMATS = ("jsonl", "graphml", "turtle")
FOLDER_FORMATS = ("parquet", "csv")


def test_public_api() -> None:
    assert newsgraph.export.__all__ == ["FORMATS", "export"]
    assert set(FORMATS) == {"jsonl", "parquet", "graphml", "turtle", "csv"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_writes_its_output(store: Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out-{fmt}"
    result = export(store, format=fmt, out=out)  # a Store is accepted as well as its connection

    assert result["format"] == fmt and result["path"] == str(out)
    assert out.is_file() if fmt in FILE_FORMATS else out.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary left


def test_unknown_format_lists_the_formats(con: Any, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as error:
        export(con, format="xlsx", out=tmp_path / "x")
    assert "xlsx" in str(error.value)
    for name in FORMATS:
        assert name in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_base_is_a_turtle_option(con: Any, tmp_path: Path) -> None:
    export(con, format="turtle", out=tmp_path / "g.ttl", base="https://example.org/")
    assert "https://example.org/claim/" in (tmp_path / "g.ttl").read_text(encoding="utf-8")
    with pytest.raises(UsageError, match="turtle"):
        export(con, format="jsonl", out=tmp_path / "a.jsonl", base="https://example.org/")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_missing_folder(con: Any, tmp_path: Path, fmt: str) -> None:
    with pytest.raises(OutputNotWritable, match="does not exist"):
        export(con, format=fmt, out=tmp_path / "missing" / "out")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_read_only_folder(con: Any, tmp_path: Path, fmt: str) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputNotWritable):
            export(con, format=fmt, out=locked / "out")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_unwritable_folder_as_the_os_reports_it(
    con: Any, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same check as test_read_only_folder, where root ignores permissions.
    monkeypatch.setattr("newsgraph.export.base.os.access", lambda *args: False)
    with pytest.raises(OutputNotWritable, match="not writable"):
        export(con, format=fmt, out=tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_a_folder_is_not_replaced_by_a_file(con: Any, tmp_path: Path, fmt: str) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(OutputNotWritable, match="folder"):
        export(con, format=fmt, out=tmp_path / "out")
    assert (tmp_path / "out").is_dir()


@pytest.mark.parametrize("fmt", FOLDER_FORMATS)
def test_folder_outputs_refuse_a_file_or_a_foreign_folder(
    con: Any, tmp_path: Path, fmt: str
) -> None:
    (tmp_path / "file").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputNotWritable, match="is a file"):
        export(con, format=fmt, out=tmp_path / "file")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputNotWritable, match=r"thesis\.docx"):
        export(con, format=fmt, out=foreign)
    assert (tmp_path / "file").read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in foreign.iterdir()] == ["thesis.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "foreign"]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_an_earlier_export_is_replaced(con: Any, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    export(con, format=fmt, out=out)
    first = _snapshot(out)
    con.execute("DELETE FROM claims WHERE document_id = 'cccc'")
    export(con, format=fmt, out=out)
    assert _snapshot(out) != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failed_export_leaves_the_earlier_one(
    con: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_file, out_dir = tmp_path / "g.graphml", tmp_path / "neo"
    export(con, format="graphml", out=out_file)
    export(con, format="csv", out=out_dir)
    before = (_snapshot(out_file), _snapshot(out_dir))

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("networkx.write_graphml", boom)
    monkeypatch.setattr(neo4j, "_write_claims", boom)
    with pytest.raises(RuntimeError):
        export(con, format="graphml", out=out_file)
    with pytest.raises(RuntimeError):
        export(con, format="csv", out=out_dir)

    assert (_snapshot(out_file), _snapshot(out_dir)) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.graphml", "neo"]


def test_a_duckdb_write_error_is_output_not_writable(
    con: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The temporary folder vanishes under DuckDB's feet (e.g. a full or lost disk).
    original = parquet._copy

    def vanishing(con: Any, query: str, file: Path, *, shown: Path) -> int:
        if not any(file.parent.iterdir()):
            file.parent.rmdir()
        return original(con, query, file, shown=shown)

    monkeypatch.setattr(parquet, "_copy", vanishing)
    with pytest.raises(OutputNotWritable):
        export(con, format="parquet", out=tmp_path / "pq")
    assert list(tmp_path.iterdir()) == []


def _snapshot(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}

"""Ingest end to end: summary, duplicates, bad items, parallel = serial, and kill -9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newsgraph.ingest.run import ingest
from newsgraph.store import Store

MINI = Path(__file__).resolve().parents[1] / "data" / "mini_corpus"
SRC = Path(__file__).resolve().parents[2] / "src"
pytestmark = pytest.mark.slow

TABLES = ("documents", "sources", "fingerprints", "entities", "entity_keys", "mentions",
          "claims", "stories", "meta")  # fmt: skip


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: two stores are equal when their dumps are."""
    with Store.open(path, read_only=True) as store:
        return {
            table: sorted(store.con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in TABLES
        }


def corpus(tmp_path: Path) -> Path:
    """A copy of the mini corpus, with one article twice (a wire copy in a subfolder)."""
    folder = tmp_path / "corpus"
    shutil.copytree(MINI, folder)
    (folder / "wire").mkdir()
    shutil.copy(folder / "2024-08-01_en_ms_rival.txt", folder / "wire" / "copy.txt")
    return folder


def test_ingest_reports_what_it_did_and_a_second_run_adds_nothing(tmp_path: Path) -> None:
    folder, db = corpus(tmp_path), tmp_path / "g.duckdb"
    first = ingest([str(folder)], db=str(db), processes=1, batch_size=4)
    assert (first.read, first.analysed, first.duplicates) == (11, 10, 1)
    assert first.skipped == [] and first.failed == []
    assert first.documents == 10 and 1 <= first.stories < 10
    before = dump(db)
    assert len(before["sources"]) == 11, "the wire copy is kept as a second source"
    again = ingest([str(folder)], db=str(db), processes=1)
    assert (again.analysed, again.already_stored) == (0, 11)
    assert dump(db) == before


def test_bad_items_are_reported_and_the_rest_is_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(MINI / "2023-09-25_en_amazon_anthropic.txt", folder)
    (folder / "empty.txt").write_text("   \n")
    lines = [
        {"id": "ok", "text": "Google invested $2bn in Anthropic.", "published": "2023-10-27"},
        "{not json",
        {"id": "no-text"},
    ]
    (folder / "feed.jsonl").write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    )
    summary = ingest([str(folder)], db=str(tmp_path / "g.duckdb"), processes=1)
    assert summary.analysed == 2
    codes = sorted(s.code for s in summary.skipped)
    assert codes == ["E001", "E013", "E013"]
    locations = {s.location for s in summary.skipped}
    assert str(folder / "feed.jsonl") + ":2" in locations


def test_two_processes_write_the_same_store_as_one(tmp_path: Path, mini_store_path: Path) -> None:
    db = tmp_path / "parallel.duckdb"
    summary = ingest([str(MINI)], db=str(db), processes=2, batch_size=3)
    assert summary.analysed == 10
    assert dump(db) == dump(mini_store_path)


def _wal_changes(wal: Path, last: tuple[int, float] | None) -> tuple[int, float] | None:
    try:
        stat = wal.stat()
    except FileNotFoundError:
        return last
    return (stat.st_size, stat.st_mtime)


def _ingest_process(db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-m", "newsgraph.cli", "ingest", str(MINI), "--db", str(db),
               "--processes", "1", "--batch-size", "2"]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_after_commits(db: Path, commits: int, *, timeout: float = 120) -> bool:
    """Run an ingest and kill -9 it after it has committed ``commits`` more times.

    Commits are seen from outside as changes of DuckDB's write-ahead log.
    Returns False if the ingest finished before (then nothing was killed).
    """
    wal = db.with_name(db.name + ".wal")
    process = _ingest_process(db)
    seen, state = 0, _wal_changes(wal, None)
    deadline = time.monotonic() + timeout
    try:
        while process.poll() is None and time.monotonic() < deadline:
            now = _wal_changes(wal, state)
            if now != state:
                seen, state = seen + 1, now
                if seen >= commits:
                    process.send_signal(signal.SIGKILL)
                    process.wait()
                    return True
            time.sleep(0.005)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_an_ingest_killed_at_any_moment_and_rerun_ends_with_the_same_store(
    tmp_path: Path, mini_store_path: Path
) -> None:
    db = tmp_path / "killed.duckdb"
    kills = [_kill_after_commits(db, n) for n in (1, 2, 3)]
    assert any(kills), "the ingest was never killed: it finished too fast to test"
    process = _ingest_process(db)
    assert process.wait(timeout=300) == 0
    assert dump(db) == dump(mini_store_path)

"""The store: schema and version, migrations, refusals, idempotent and order-free writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.store.builders import article_rows

from newsgraph.errors import NotAStore, StoreLocked, StoreMissing, StoreTooNew
from newsgraph.store import SCHEMA_VERSION, ArticleRows, Store
from newsgraph.store import schema as schema_module


def article(doc_id: str, *, published: str = "2024-01-10", entities: Any = None) -> ArticleRows:
    """A synthetic analysed article: Microsoft invests in OpenAI."""
    text = f"Microsoft invests in OpenAI ({doc_id})."
    rows = article_rows(doc_id, text, name=f"name-{doc_id}", published=published)
    rows.entities = entities or [
        ("Q2283", "Microsoft", "ORG", "Q2283", True, ["MSFT"]),
        ("Q21708200", "OpenAI", "ORG", "Q21708200", True, ["Open AI"]),
    ]
    rows.mentions = [
        (doc_id, 0, 9, "Microsoft", "Q2283", "name"),
        (doc_id, 20, 26, "OpenAI", "Q21708200", "name"),
    ]
    rows.claims = [
        (f"{doc_id}:0", doc_id, 0, "Q2283", "INVESTS_IN", "Q21708200", "asserted", 1e9, "USD",
         None, "2023-01", 0.2, 0.8, text, 0, len(text), "invests", 10, 17, 0, 9, 20, 26)
    ]  # fmt: skip
    return rows


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    tables = ("documents", "sources", "fingerprints", "entities", "entity_keys", "mentions",
              "claims", "stories", "meta")  # fmt: skip
    return {t: sorted(store.con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def test_a_new_store_records_its_schema_version(tmp_path: Path) -> None:
    with Store.open(tmp_path / "g.duckdb") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.counts()["documents"] == 0


def test_writing_twice_adds_nothing_and_duplicates_become_sources() -> None:
    store = Store.open(":memory:")
    store.write([article("a")])
    before = dump(store)
    store.write([article("a")])
    assert dump(store) == before
    store.write([], duplicates=[("a", "copy/a.txt", "a-copy", None)])
    assert store.counts()["sources"] == 2
    assert store.counts()["documents"] == 1


def test_entities_merge_the_same_way_whatever_the_order() -> None:
    one = [("local:org:acme", "ACME", "ORG", None, False, ["Acme Corp"])]
    two = [("local:org:acme", "Acme", "ORG", None, False, ["ACME Inc."])]
    stores = []
    for order in ((one, two), (two, one)):
        store = Store.open(":memory:")
        store.write([article("a", entities=order[0])])
        store.write([article("b", entities=order[1])])
        stores.append(store.con.execute("SELECT * FROM entities").fetchall())
    assert (
        stores[0]
        == stores[1]
        == [("local:org:acme", "ACME", "ORG", None, False, ["ACME Inc.", "Acme Corp"])]
    )


def test_edges_keep_first_and_last_date_and_the_strongest_modality() -> None:
    store = Store.open(":memory:")
    first, second = article("a", published="2023-05-01"), article("b", published="2024-02-02")
    second.claims = [(*c[:6], "speculative", *c[7:10], None, *c[11:]) for c in second.claims]
    store.write([first, second])
    rows = store.con.execute(
        "SELECT subject, relation, object, n_claims, first_date, last_date, modality FROM edges"
    ).fetchall()
    assert [(r[0], r[1], r[2], r[3], str(r[4]), str(r[5]), r[6]) for r in rows] == [
        ("Q2283", "INVESTS_IN", "Q21708200", 2, "2023-01-01", "2024-02-02", "asserted")
    ]


def test_a_story_counts_its_repeated_claims_once() -> None:
    store = Store.open(":memory:")
    store.write([article("a"), article("b")])
    store.set_stories({"a": "a", "b": "a"})
    rows = store.con.execute("SELECT story_id, n_claims, n_documents FROM story_claims").fetchall()
    assert rows == [("a", 2, 2)]
    assert store.con.execute("SELECT n_stories FROM edges").fetchall() == [(1,)]


def test_a_store_from_a_newer_newsgraph_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    Store.open(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreTooNew, match="newer than this newsgraph reads"):
        Store.open(path)


def test_an_older_store_is_migrated_in_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.duckdb"
    with Store.open(path) as store:
        store.write([article("a")])

    def add_note_column(con: Any) -> None:
        con.execute("ALTER TABLE documents ADD COLUMN note VARCHAR DEFAULT 'migrated'")

    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr("newsgraph.store.db.SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema_module.MIGRATIONS, SCHEMA_VERSION, add_note_column)
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION + 1
        assert store.con.execute("SELECT note FROM documents").fetchall() == [("migrated",)]


def test_a_failing_migration_leaves_the_store_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.duckdb"
    with Store.open(path) as store:
        store.write([article("a")])

    def broken(con: Any) -> None:
        con.execute("ALTER TABLE documents ADD COLUMN note VARCHAR")
        raise RuntimeError("disk full")

    monkeypatch.setattr("newsgraph.store.db.SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema_module.MIGRATIONS, SCHEMA_VERSION, broken)
    with pytest.raises(RuntimeError):
        Store.open(path)
    monkeypatch.undo()
    with Store.open(path, read_only=True) as store:
        assert store.schema_version == SCHEMA_VERSION
        columns = [r[0] for r in store.con.execute("DESCRIBE documents").fetchall()]
        assert "note" not in columns


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database at all " * 100)
    with pytest.raises(NotAStore, match="not a DuckDB database file"):
        Store.open(text)
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(NotAStore, match="without newsgraph tables"):
        Store.open(other)
    with pytest.raises(NotAStore, match="directory"):
        Store.open(tmp_path)


def test_querying_a_missing_store_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing, match="newsgraph ingest"):
        Store.open(tmp_path / "nope.duckdb", read_only=True)
    assert not (tmp_path / "nope.duckdb").exists()


def test_a_store_locked_by_another_process_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    Store.open(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
         "time.sleep(30)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreLocked, match=rf"in use by another process \(PID {holder.pid}\)"):
            Store.open(path)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_stories_are_stale_after_a_write_until_they_are_regrouped() -> None:
    store = Store.open(":memory:")
    assert not store.stories_stale
    store.write([article("a")])
    assert store.stories_stale
    store.set_stories({})
    assert not store.stories_stale
    store.write([article("a")], duplicates=[("a", "copy.txt", "copy", None)])
    assert not store.stories_stale, "a known article or another source changes no story"

"""Open, create, migrate and write the DuckDB store.

One process writes at a time (DuckDB's file lock); queries open the file
read-only. Every write is one transaction, so a killed ingest leaves the store
as it was after its last complete batch, and running it again finishes the job.

    >>> with Store.open("newsgraph.duckdb") as store:
    ...     store.write([rows], duplicates=[])
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any

from newsgraph.errors import NotAStore, StoreLocked, StoreMissing, StoreTooNew
from newsgraph.store.rows import (
    CLAIM_COLUMNS,
    DOCUMENT_COLUMNS,
    MENTION_COLUMNS,
    ArticleRows,
)
from newsgraph.store.schema import MIGRATIONS, SCHEMA_VERSION, TABLES_V1, views_sql
from newsgraph.text import norm_key

DEFAULT_DB = "newsgraph.duckdb"
MEMORY = ":memory:"
_PID = re.compile(r"\(PID (\d+)\)")

#: A duplicate input: (document id, location, name, url).
Duplicate = tuple[str, str, str, str | None]


class Store:
    """A newsgraph store: one DuckDB database file (or ``:memory:``)."""

    def __init__(self, connection: Any, path: str, *, read_only: bool) -> None:
        self.con = connection
        self.path = path
        self.read_only = read_only

    # --- opening ------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] = DEFAULT_DB, *, read_only: bool = False) -> Store:
        """Open the store at ``path``, creating it (unless ``read_only``) and migrating it.

        Raises:
            StoreMissing: ``read_only`` and there is no file.
            StoreLocked: another process is writing it.
            StoreTooNew: it was written by a newer newsgraph.
            NotAStore: the file is not a DuckDB database, or not ours.
        """
        import duckdb

        name = os.fspath(path)
        if name != MEMORY:
            file = Path(name)
            if read_only and not file.exists():
                raise StoreMissing(name)
            if file.is_dir():
                raise NotAStore(name, "it is a directory")
            if not read_only and not file.parent.exists():
                raise NotAStore(name, f"the folder {file.parent} does not exist")
        try:
            con = duckdb.connect(name, read_only=read_only and name != MEMORY)
        except duckdb.Error as e:
            raise _open_error(name, e) from e
        store = cls(con, name, read_only=read_only)
        try:
            store._prepare()
        except BaseException:
            con.close()
            raise
        return store

    def _prepare(self) -> None:
        import duckdb

        tables = {
            row[0] for row in self.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
        if not tables:
            if self.read_only:
                raise NotAStore(self.path, "the database is empty")
            self._create()
            return
        if "meta" not in tables:
            raise NotAStore(self.path, "a DuckDB database without newsgraph tables")
        try:
            rows = self.con.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchall()
            version = int(rows[0][0]) if rows else 0
        except (duckdb.Error, ValueError) as e:
            raise NotAStore(self.path, f"unreadable schema version: {e}") from e
        if version > SCHEMA_VERSION:
            raise StoreTooNew(self.path, found=version, supported=SCHEMA_VERSION)
        if version < 1:
            raise NotAStore(self.path, "no schema version recorded")
        if version < SCHEMA_VERSION:
            if self.read_only:
                raise NotAStore(
                    self.path,
                    f"schema version {version} needs a migration to {SCHEMA_VERSION}; "
                    "open it once for writing (e.g. `newsgraph ingest` with no new input)",
                )
            self._migrate(version)
        if not self.read_only:
            self.con.execute(views_sql())

    def _create(self) -> None:
        with self.transaction():
            self.con.execute(TABLES_V1)
            for version in range(1, SCHEMA_VERSION):
                MIGRATIONS[version](self.con)
            self._set_version(SCHEMA_VERSION)
            self.con.execute(views_sql())

    def _migrate(self, version: int) -> None:
        with self.transaction():
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](self.con)
            self._set_version(SCHEMA_VERSION)
            self.con.execute(views_sql())

    def _set_version(self, version: int) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])

    @property
    def schema_version(self) -> int:
        rows = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        return int(rows[0][0])

    # --- transactions -------------------------------------------------------

    class _Transaction:
        def __init__(self, con: Any) -> None:
            self.con = con

        def __enter__(self) -> None:
            self.con.execute("BEGIN TRANSACTION")

        def __exit__(
            self,
            kind: type[BaseException] | None,
            error: BaseException | None,
            tb: TracebackType | None,
        ) -> None:
            self.con.execute("COMMIT" if kind is None else "ROLLBACK")

    def transaction(self) -> Store._Transaction:
        """A context manager: everything inside commits together or not at all."""
        return Store._Transaction(self.con)

    # --- writing ------------------------------------------------------------

    def known(self, ids: Iterable[str]) -> set[str]:
        """The subset of document ``ids`` already in the store."""
        wanted = sorted(set(ids))
        if not wanted:
            return set()
        rows = self.con.execute(
            "SELECT id FROM documents WHERE list_contains(?, id)", [wanted]
        ).fetchall()
        return {row[0] for row in rows}

    def write(
        self, articles: Sequence[ArticleRows], *, duplicates: Sequence[Duplicate] = ()
    ) -> None:
        """Write analysed articles and the extra sources of known ones, in one transaction.

        Articles whose id is already stored are ignored, so writing a batch twice
        (an ingest killed after its commit, then re-run) changes nothing.
        """
        with self.transaction():
            fresh = self._fresh(articles)
            if fresh:
                # Stories must be regrouped; set_stories clears the mark in its
                # own transaction, so a kill in between leaves it for the next run.
                self.con.execute("INSERT OR REPLACE INTO meta VALUES ('stories_stale', '1')")
            self._insert("documents", DOCUMENT_COLUMNS, [_document_row(a) for a in fresh])
            sources = [(a.id, a.location, a.document["name"], a.document.get("url")) for a in fresh]
            sources += list(duplicates)
            self._insert_sources(sources)
            self._insert(
                "fingerprints",
                ("document_id", "minhash", "embedding"),
                [(a.id, a.minhash, a.embedding) for a in fresh],
            )
            self._upsert_entities([e for a in fresh for e in a.entities])
            self._insert_keys(fresh)
            self._insert("mentions", MENTION_COLUMNS, [m for a in fresh for m in a.mentions])
            self._insert("claims", CLAIM_COLUMNS, [c for a in fresh for c in a.claims])

    def _fresh(self, articles: Sequence[ArticleRows]) -> list[ArticleRows]:
        stored = self.known(a.id for a in articles)
        fresh: dict[str, ArticleRows] = {}
        for article in articles:
            if article.id not in stored and article.id not in fresh:
                fresh[article.id] = article
        return list(fresh.values())

    def _insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        source, types = self._arrow(table, columns, rows)
        quoted = ", ".join(f'"{c}"' for c in columns)
        # A malformed date is stored as NULL rather than failing the whole batch.
        values = ", ".join(
            f'TRY_CAST("{c}" AS DATE)' if types[c] == "DATE" else f'"{c}"' for c in columns
        )
        with self._registered(source):
            self.con.execute(f"INSERT INTO {table} ({quoted}) SELECT {values} FROM _incoming")

    @contextmanager
    def _registered(self, source: Any, name: str = "_incoming") -> Iterator[None]:
        """``source`` (an Arrow table) visible to SQL as ``name`` for the block."""
        import duckdb

        self.con.register(name, source)
        try:
            yield
        finally:
            # An aborted transaction refuses it; the error in flight is the one to report.
            with suppress(duckdb.Error):
                self.con.unregister(name)

    def _arrow(
        self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
    ) -> tuple[Any, dict[str, str]]:
        """The rows as an Arrow table typed like the store's ``table``, and those types."""
        import pyarrow as pa

        types = dict(
            self.con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?",
                [table],
            ).fetchall()
        )
        arrays = []
        for index, column in enumerate(columns):
            values = [row[index] for row in rows]
            arrays.append(pa.array(values, type=_ARROW_TYPES[types[column]]()))
        return pa.table(arrays, names=list(columns)), types

    def _insert_sources(self, sources: Sequence[Duplicate]) -> None:
        unique = sorted({(s[0], s[1]): s for s in sources}.values())
        if not unique:
            return
        existing = {
            (row[0], row[1])
            for row in self.con.execute(
                "SELECT document_id, location FROM sources WHERE list_contains(?, document_id)",
                [sorted({s[0] for s in unique})],
            ).fetchall()
        }
        new = [s for s in unique if (s[0], s[1]) not in existing]
        self._insert("sources", ("document_id", "location", "name", "url"), new)

    def _upsert_entities(self, entities: Sequence[tuple[Any, ...]]) -> None:
        """Merge entities by id: the same knowledge-base id, or the same local id
        (normalised name and type). The merged row does not depend on the order
        the articles arrive in: the smallest name wins, aliases are unioned."""
        merged: dict[str, list[Any]] = {}
        for id_, name, type_, qid, in_kb, aliases in entities:
            row = merged.get(id_)
            if row is None:
                merged[id_] = [id_, name, type_, qid, in_kb, set(aliases)]
                continue
            row[1] = min(row[1], name)
            row[3] = row[3] or qid
            row[4] = row[4] or in_kb
            row[5].update(aliases)
        rows = [(r[0], r[1], r[2], r[3], r[4], sorted(r[5])) for r in merged.values()]
        if not rows:
            return
        source, _ = self._arrow("entities", ("id", "name", "type", "qid", "in_kb", "aliases"), rows)
        with self._registered(source):
            self.con.execute(
                """
                INSERT INTO entities SELECT * FROM _incoming
                ON CONFLICT (id) DO UPDATE SET
                    name = least(entities.name, excluded.name),
                    qid = coalesce(entities.qid, excluded.qid),
                    in_kb = entities.in_kb OR excluded.in_kb,
                    aliases = list_sort(
                        list_distinct(list_concat(entities.aliases, excluded.aliases))
                    )
                """
            )

    def _insert_keys(self, articles: Sequence[ArticleRows]) -> None:
        keys: set[tuple[str, str]] = set()
        for article in articles:
            for id_, name, _type, _qid, _in_kb, aliases in article.entities:
                keys.update((norm_key(n), id_) for n in (name, *aliases))
            for mention in article.mentions:
                if mention[5] in ("name", "alias", "ner", "cue"):
                    keys.add((norm_key(mention[3]), mention[4]))
        if not keys:
            return
        import pyarrow as pa

        rows = sorted(k for k in keys if k[0])
        table = pa.table({"key": [k[0] for k in rows], "entity_id": [k[1] for k in rows]})
        with self._registered(table):
            self.con.execute(
                "INSERT INTO entity_keys SELECT key, entity_id FROM _incoming "
                "ON CONFLICT DO NOTHING"
            )

    # --- stories ------------------------------------------------------------

    def fingerprints(self) -> Iterator[tuple[str, str | None, Any, Any, list[str], Any]]:
        """What story grouping reads of every document, in (published, id) order,
        undated documents last: (id, lang, published, MinHash as a uint64 array,
        ids of the entities it names, lead embedding as a float32 array or None).

        Streamed, the arrays converted at once: lists of Python numbers would
        cost 4 to 8 times more.
        """
        import numpy as np

        cursor = self.con.cursor()
        cursor.execute(
            """
            SELECT d.id, d.lang, d.published, f.minhash, coalesce(e.ids, []), f.embedding
            FROM documents d
            JOIN fingerprints f ON f.document_id = d.id
            LEFT JOIN (
                SELECT document_id, list_sort(list_distinct(list(entity_id))) AS ids
                FROM mentions WHERE kind IN ('name', 'alias') GROUP BY document_id
            ) e ON e.document_id = d.id
            ORDER BY d.published NULLS LAST, d.id
            """
        )
        while chunk := cursor.fetchmany(500):
            for doc_id, lang, published, minhash, entities, embedding in chunk:
                yield (
                    doc_id,
                    lang,
                    published,
                    np.asarray(minhash, dtype=np.uint64),
                    entities,
                    None if embedding is None else np.asarray(embedding, dtype=np.float32),
                )
        cursor.close()

    def set_embeddings(self, vectors: dict[str, Sequence[float]]) -> None:
        """Keep the lead embeddings computed for story grouping (one transaction)."""
        if not vectors:
            return
        import pyarrow as pa

        ids = sorted(vectors)
        table = pa.table(
            {
                "id": pa.array(ids, pa.string()),
                "embedding": pa.array(
                    [[float(x) for x in vectors[i]] for i in ids], pa.list_(pa.float32())
                ),
            }
        )
        with self.transaction(), self._registered(table, "_vectors"):
            self.con.execute(
                "UPDATE fingerprints SET embedding = v.embedding FROM _vectors v "
                "WHERE fingerprints.document_id = v.id"
            )

    @property
    def stories_stale(self) -> bool:
        """Whether documents were written since the stories were last grouped."""
        return bool(self.con.execute("SELECT 1 FROM meta WHERE key = 'stories_stale'").fetchall())

    def set_stories(self, story_of: dict[str, str]) -> None:
        """Record each document's story (documents not named are their own story)."""
        pairs = sorted(story_of.items())
        with self.transaction():
            self.con.execute(
                "UPDATE documents SET story_id = id WHERE story_id IS DISTINCT FROM id"
            )
            if pairs:
                import pyarrow as pa

                table = pa.table({"id": [p[0] for p in pairs], "story": [p[1] for p in pairs]})
                with self._registered(table, "_stories"):
                    self.con.execute(
                        "UPDATE documents SET story_id = s.story FROM _stories s "
                        "WHERE documents.id = s.id"
                    )
            self.con.execute("DELETE FROM meta WHERE key = 'stories_stale'")
            self.con.execute("DELETE FROM stories")
            self.con.execute(
                """
                INSERT INTO stories
                SELECT story_id,
                       arg_min(title, coalesce(published, DATE '9999-12-31')::VARCHAR || id),
                       min(published), max(published), count(*),
                       coalesce(list_sort(list_distinct(
                           list(lang) FILTER (WHERE lang IS NOT NULL))), [])
                FROM documents GROUP BY story_id
                """
            )

    # --- misc ---------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables and of the edges view (see :func:`table_counts`)."""
        return table_counts(self.con)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


#: What :func:`table_counts` counts: the main tables, then the edges view.
COUNTED = ("documents", "sources", "stories", "entities", "mentions", "claims", "edges")


def table_counts(con: Any) -> dict[str, int]:
    """Row counts of ``COUNTED``, in one query, on any connection or cursor to a store."""
    selects = ", ".join(f"(SELECT count(*) FROM {name})" for name in COUNTED)
    row = con.execute(f"SELECT {selects}").fetchall()[0]
    return {name: int(n) for name, n in zip(COUNTED, row, strict=True)}


def _arrow_types() -> dict[str, Any]:
    import pyarrow as pa

    return {
        "VARCHAR": pa.string,
        "INTEGER": pa.int32,
        "BIGINT": pa.int64,
        "DOUBLE": pa.float64,
        "BOOLEAN": pa.bool_,
        "DATE": pa.string,  # ISO text; DuckDB casts it on insert
        "VARCHAR[]": lambda: pa.list_(pa.string()),
        "UBIGINT[]": lambda: pa.list_(pa.uint64()),
        "FLOAT[]": lambda: pa.list_(pa.float32()),
    }


class _LazyTypes(dict[str, Any]):
    def __missing__(self, key: str) -> Any:
        self.update(_arrow_types())
        return dict.__getitem__(self, key)


_ARROW_TYPES = _LazyTypes()


def _document_row(article: ArticleRows) -> tuple[Any, ...]:
    return tuple(article.document.get(column) for column in DOCUMENT_COLUMNS)


def _open_error(path: str, error: Exception) -> Exception:
    message = " ".join(str(error).split())
    if "lock" in message.lower():
        pid = _PID.search(message)
        return StoreLocked(path, f"PID {pid.group(1)}" if pid else "a conflicting lock is held")
    if "database does not exist" in message:
        return StoreMissing(path)
    reason = message.removeprefix("IO Error: ")
    if "not a valid DuckDB database" in message:
        reason = "not a DuckDB database file"
    return NotAStore(path, reason[:200])


__all__ = ["COUNTED", "DEFAULT_DB", "MEMORY", "Duplicate", "Store", "table_counts"]

"""``Graph``: the library face of a store — ingest articles, then ask questions.

    >>> from newsgraph import Graph
    >>> graph = Graph("newsgraph.duckdb")
    >>> graph.ingest(["articles/"])
    >>> graph.timeline("Microsoft", "OpenAI", by="quarter")["periods"][0]
    >>> graph.export("graphml", "graph.graphml")

Every question returns plain dicts and lists with the ONTOLOGY's field names,
the same the CLI prints with ``--format json``.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any

from newsgraph.store.db import DEFAULT_DB, Store


class Graph:
    """A knowledge graph kept in a DuckDB store (``newsgraph.duckdb`` by default).

    Queries open the file read-only, so several processes may query it while
    no ingest runs; :meth:`ingest` takes the write lock for its duration.
    """

    def __init__(self, db: str | os.PathLike[str] = DEFAULT_DB) -> None:
        self.db = os.fspath(db)
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The open store (opened read-only on first use; the file must exist)."""
        if self._store is None:
            # ":memory:" cannot be reopened: it is opened for writing, once.
            self._store = Store.open(self.db, read_only=self.db != ":memory:")
        return self._store

    @property
    def con(self) -> Any:
        return self.store.con

    def ingest(self, paths: list[str], **options: Any) -> Any:
        """Ingest ``paths`` into this graph's store; see :func:`newsgraph.ingest.run.ingest`."""
        from newsgraph.ingest.run import ingest

        if self.db == ":memory:":
            raise ValueError("an in-memory graph cannot be ingested into by worker processes")
        self.close()
        return ingest(paths, db=self.db, **options)

    def entity(self, name: str) -> dict[str, Any]:
        """The entity ``name``, its aliases and its edges by relation."""
        from newsgraph.store.queries import entity_detail

        return entity_detail(self.con, name)

    def edges(self, a: str, b: str, **options: Any) -> list[dict[str, Any]]:
        """The claims between ``a`` and ``b``, with evidence, modality and date;
        options ``relation``, ``limit`` and ``offset`` give one relation or a page."""
        from newsgraph.store.queries import edges_between

        return edges_between(self.con, a, b, **options)

    def count_edges(self, a: str, b: str, *, relation: str | None = None) -> int:
        """How many claims there are between ``a`` and ``b``."""
        from newsgraph.store.queries import count_between

        return count_between(self.con, a, b, relation=relation)

    def top_edges(self, *, limit: int = 20, relation: str | None = None) -> list[dict[str, Any]]:
        """The edges backed by the most stories."""
        from newsgraph.store.queries import top_edges

        return top_edges(self.con, limit=limit, relation=relation)

    def claims(self, **filters: Any) -> list[dict[str, Any]]:
        """Claims filtered by modality, relation, entity, since, until, lang (and limit)."""
        from newsgraph.store.queries import find_claims

        return find_claims(self.con, **filters)

    def timeline(self, a: str, b: str, **options: Any) -> dict[str, Any]:
        """The relationship between ``a`` and ``b`` per period, with a health score."""
        from newsgraph.analysis import timeline

        return timeline(self.con, a, b, **options)

    def dependencies(self, name: str) -> dict[str, Any]:
        """Who supplies, funds, controls and integrates with ``name``, and how concentrated."""
        from newsgraph.analysis import dependencies

        return dependencies(self.con, name)

    def export(self, format: str, out: str | os.PathLike[str]) -> dict[str, Any]:
        """Write the graph as jsonl, parquet, graphml, turtle or csv (Neo4j) to ``out``."""
        from newsgraph.export import export

        return export(self.con, format=format, out=out)

    def counts(self) -> dict[str, int]:
        """Row counts of the store's tables."""
        return self.store.counts()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Graph:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


__all__ = ["Graph"]

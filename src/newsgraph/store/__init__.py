"""The graph store: a DuckDB file holding documents, stories, entities, mentions,
claims and the edges over them (ONTOLOGY.md).

    >>> from newsgraph.store import Store
    >>> with Store.open("newsgraph.duckdb", read_only=True) as store:
    ...     store.counts()
"""

from newsgraph.store.db import DEFAULT_DB, MEMORY, Store
from newsgraph.store.rows import ArticleRows, article_rows, content_hash
from newsgraph.store.schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_DB",
    "MEMORY",
    "SCHEMA_VERSION",
    "ArticleRows",
    "Store",
    "article_rows",
    "content_hash",
]

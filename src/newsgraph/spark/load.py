"""``newsgraph load DIR``: bring the Parquet tables of a Spark ingest into a store.

The tables are read one published month at a time (their partitions), so
memory follows a month of news, not the archive. Each article's rows are put
back together as the local ingest's :class:`~newsgraph.store.rows.ArticleRows`
and written by :meth:`Store.write` — the same transaction per batch, the same
entity merging, the same keys — and stories are regrouped at the end as after
a local ingest. Loading twice adds nothing. Needs pyarrow only, not Spark.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsgraph.errors import FileNotReadable, NotFound
from newsgraph.ingest.records import Skipped
from newsgraph.ingest.run import IngestSummary, regroup_stories
from newsgraph.spark.job import PARTITION, TABLES
from newsgraph.store.db import DEFAULT_DB, Duplicate, Store
from newsgraph.store.rows import CLAIM_COLUMNS, DOCUMENT_COLUMNS, MENTION_COLUMNS, ArticleRows

#: Articles per store transaction.
BATCH = 64


def load(
    folder: str | os.PathLike[str],
    *,
    db: str | os.PathLike[str] = DEFAULT_DB,
    batch_size: int = BATCH,
) -> IngestSummary:
    """Load the tables under ``folder`` (written by ``ingest --engine spark``) into ``db``.

    Returns:
        An :class:`IngestSummary`: ``analysed`` counts the articles written,
        ``already_stored`` those the store held, ``duplicates`` the extra
        sources, ``failed`` the failures the Spark ingest recorded.

    Raises:
        NotFound: ``folder`` does not exist.
        FileNotReadable: it holds no ``documents`` table.
    """
    root = Path(folder)
    if not root.exists():
        raise NotFound(os.fspath(root))
    if not (root / "documents").is_dir():
        raise FileNotReadable(
            os.fspath(root), reason="no documents/ table: not the output of ingest --engine spark"
        )
    started = time.perf_counter()
    summary = IngestSummary()
    with Store.open(db) as store:
        for month in _months(root):
            tables = {t: _rows(root, t, month) for t in TABLES if t != "failures"}
            articles, duplicates = _articles(tables)
            summary.read += len(articles)
            for start in range(0, max(len(articles), 1), batch_size):
                batch = articles[start : start + batch_size]
                ids = {a.id for a in batch}
                known = store.known(ids)
                store.write(batch, duplicates=[d for d in duplicates if d[0] in ids])
                summary.already_stored += len(known)
                summary.analysed += len(batch) - len(known)
            summary.duplicates += len(duplicates)
        for row in _all_rows(root, "failures"):
            summary.failed.append(Skipped(row["location"], row["code"], row["message"]))
        if store.stories_stale:
            regroup_stories(store)
        counts = store.counts()
        summary.stories, summary.documents = counts["stories"], counts["documents"]
    summary.seconds = time.perf_counter() - started
    return summary


def _months(root: Path) -> list[str]:
    prefix = f"{PARTITION}="
    return sorted(
        p.name[len(prefix) :]
        for p in (root / "documents").iterdir()
        if p.is_dir() and p.name.startswith(prefix)
    )


def _rows(root: Path, table: str, month: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    folder = root / table / f"{PARTITION}={month}"
    if not folder.is_dir():
        return []
    files = sorted(str(f) for f in folder.iterdir() if f.suffix == ".parquet")
    rows: list[dict[str, Any]] = []
    for file in files:
        rows += pq.read_table(file).to_pylist()
    return rows


def _all_rows(root: Path, table: str) -> Iterator[dict[str, Any]]:
    folder = root / table
    if not folder.is_dir():
        return
    for part in sorted(p for p in folder.iterdir() if p.is_dir()):
        yield from _rows(root, table, part.name.split("=", 1)[1])


def _articles(tables: dict[str, list[dict[str, Any]]]) -> tuple[list[ArticleRows], list[Duplicate]]:
    """The month's articles as ArticleRows (in id order), and their extra sources."""
    by_doc: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for table in ("sources", "fingerprints", "entities", "mentions", "claims"):
        for row in tables[table]:
            by_doc[row["document_id"]][table].append(row)
    articles: list[ArticleRows] = []
    duplicates: list[Duplicate] = []
    for document in sorted(tables["documents"], key=lambda d: d["id"]):
        parts = by_doc[document["id"]]
        # Store.write records the article's own source under the document's name, so
        # the analysed copy is the source of that name; the others are extra sources.
        sources = sorted(parts["sources"], key=lambda s: s["location"])
        primary = next(
            (s for s in sources if s["name"] == document["name"]), sources[0] if sources else None
        )
        location = primary["location"] if primary else document["id"]
        duplicates += [
            (document["id"], s["location"], s["name"], s["url"])
            for s in sources
            if s is not primary
        ]
        fingerprint = parts["fingerprints"][0] if parts["fingerprints"] else {}
        rows = ArticleRows(
            document={c: document[c] for c in DOCUMENT_COLUMNS},
            location=location,
            minhash=list(fingerprint.get("minhash") or []),
            embedding=fingerprint.get("embedding"),
        )
        rows.document["warnings"] = list(rows.document["warnings"] or [])
        published = rows.document["published"]
        if published is not None and not isinstance(published, str):
            rows.document["published"] = published.isoformat()  # Parquet DATE → the ISO text
        rows.entities = [
            (e["id"], e["name"], e["type"], e["qid"], e["in_kb"], list(e["aliases"] or []))
            for e in parts["entities"]
        ]
        rows.mentions = sorted(tuple(m[c] for c in MENTION_COLUMNS) for m in parts["mentions"])
        rows.claims = sorted(
            (tuple(c[col] for col in CLAIM_COLUMNS) for c in parts["claims"]),
            key=lambda c: c[2],  # seq
        )
        articles.append(rows)
    return articles, duplicates


__all__ = ["BATCH", "load"]

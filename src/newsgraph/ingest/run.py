"""``newsgraph ingest``: read a pile of news, analyse it in parallel, store one graph.

The process that owns the store reads the inputs, keys each article by a hash
of its text, and sends only articles the store does not hold to the worker
processes (spaCy models are loaded once per worker). Results are written back in
input order, one transaction per batch; at the end the stories are regrouped.
An ingest killed at any moment and run again therefore ends with exactly the
store an uninterrupted run writes.

    >>> summary = ingest(["articles/"], db="newsgraph.duckdb")
    >>> summary.analysed, summary.duplicates
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from newsgraph.errors import NewsgraphError
from newsgraph.ingest.records import RawArticle, Skipped
from newsgraph.store.db import DEFAULT_DB, MEMORY, Duplicate, Store
from newsgraph.store.rows import ArticleRows, content_hash

BATCH = 16


@dataclass
class IngestSummary:
    """What an ingest did; ``skipped`` and ``failed`` say which input and why."""

    read: int = 0
    analysed: int = 0
    already_stored: int = 0
    duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[Skipped] = field(default_factory=list)
    stories: int = 0
    documents: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "analysed": self.analysed,
            "already_stored": self.already_stored,
            "duplicates": self.duplicates,
            "skipped": [s.__dict__ for s in self.skipped],
            "failed": [s.__dict__ for s in self.failed],
            "stories": self.stories,
            "documents": self.documents,
            "seconds": round(self.seconds, 2),
        }


@dataclass(frozen=True)
class _Task:
    """An article to analyse, with its content hash."""

    id: str
    article: RawArticle


Progress = Callable[[IngestSummary], None]


def ingest(
    paths: Sequence[str | os.PathLike[str]],
    *,
    db: str | os.PathLike[str] = DEFAULT_DB,
    processes: int = 2,
    batch_size: int = BATCH,
    lang: str | None = None,
    progress: Progress | None = None,
    regroup: bool = True,
) -> IngestSummary:
    """Ingest articles from ``paths`` (files and folders) into the store ``db``.

    Args:
        paths: .txt, .html, .jsonl, RSS/Atom and WARC files, or folders of them.
        db: the DuckDB file (created if missing) or ``":memory:"``.
        processes: analysis worker processes; 1 analyses in this process.
        batch_size: articles per worker task and per store transaction.
        lang: force the language of every article (default: the source's, else detected).
        progress: called with the running summary after each batch.
        regroup: regroup the stories at the end if documents were written since
            they were last grouped (off when a caller ingests in parts).

    Returns:
        An :class:`IngestSummary`.

    Raises:
        StoreLocked, StoreTooNew, NotAStore: the store cannot be written.
    """
    from newsgraph.ingest.readers import iter_articles

    return ingest_articles(
        iter_articles(paths),
        db=db,
        processes=processes,
        batch_size=batch_size,
        lang=lang,
        progress=progress,
        regroup=regroup,
    )


def ingest_articles(
    articles: Iterable[RawArticle | Skipped],
    *,
    db: str | os.PathLike[str] = DEFAULT_DB,
    processes: int = 2,
    batch_size: int = BATCH,
    lang: str | None = None,
    progress: Progress | None = None,
    regroup: bool = True,
) -> IngestSummary:
    """Ingest articles already read (``RawArticle``, or ``Skipped`` to report) into ``db``.

    :func:`ingest` reads files into this; the web app's upload feeds it directly.
    The arguments and the result are those of :func:`ingest`.
    """
    started = time.perf_counter()
    summary = IngestSummary()
    name = os.fspath(db)
    created = name != MEMORY and not os.path.exists(name)
    with Store.open(db) as store:
        tasks = _tasks(articles, store, summary, batch_size=batch_size)
        for batch, duplicates in _analysed(tasks, processes=processes, lang=lang, summary=summary):
            store.write(batch, duplicates=duplicates)
            summary.analysed += len(batch)
            if progress is not None:
                progress(summary)
        if regroup and store.stories_stale:
            regroup_stories(store)
        counts = store.counts()
        summary.stories = counts["stories"]
        summary.documents = counts["documents"]
    if created and summary.read == 0:
        # Nothing to read (a mistyped path): leave no empty store behind.
        for leftover in (name, name + ".wal"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(leftover)
    summary.seconds = time.perf_counter() - started
    return summary


def regroup_stories(store: Store) -> None:
    """Recompute the stories of every stored document (see :mod:`newsgraph.ingest.dedup`).

    Streams the documents in date order, so memory follows the number of
    articles in a few days, not the size of the store.
    """
    from newsgraph.ingest.dedup import Fingerprint, group_stories

    _embed_missing(store)
    fingerprints = (
        Fingerprint(id_, lang, published, minhash, frozenset(entities), embedding)
        for id_, lang, published, minhash, entities, embedding in store.fingerprints()
    )
    store.set_stories(group_stories(fingerprints))


def _embed_missing(store: Store) -> None:
    """Embed the leads of stored documents that have none (written by an older
    newsgraph, or loaded from elsewhere), 64 at a time."""
    from newsgraph.ingest.dedup import embed

    missing = [
        row[0]
        for row in store.con.execute(
            "SELECT document_id FROM fingerprints WHERE embedding IS NULL ORDER BY document_id"
        ).fetchall()
    ]
    for start in range(0, len(missing), 64):
        part = missing[start : start + 64]
        texts = dict(
            store.con.execute(
                "SELECT id, text FROM documents WHERE list_contains(?, id)", [part]
            ).fetchall()
        )
        store.set_embeddings(dict(zip(part, embed([texts[d] for d in part]), strict=True)))


_Batch = tuple[list[_Task], list[Duplicate]]


def _tasks(
    items: Iterable[RawArticle | Skipped],
    store: Store,
    summary: IngestSummary,
    *,
    batch_size: int,
) -> Iterator[_Batch]:
    """Batches of new articles, each with the duplicates read alongside it.

    An article whose text is already stored, or already met in this run, is
    not analysed again: its location is kept as another source of the document.
    """
    pending: list[tuple[str, RawArticle]] = []
    seen: set[str] = set()

    def flush() -> Iterator[_Batch]:
        stored = store.known(doc_id for doc_id, _ in pending)
        tasks: list[_Task] = []
        duplicates: list[Duplicate] = []
        for doc_id, article in pending:
            if doc_id in seen or doc_id in stored:
                # Met earlier in this run (whether or not written yet): a duplicate.
                if doc_id in seen:
                    summary.duplicates += 1
                else:
                    summary.already_stored += 1
                duplicates.append((doc_id, article.location, article.name, article.url))
                continue
            seen.add(doc_id)
            tasks.append(_Task(doc_id, article))
        pending.clear()
        if tasks or duplicates:
            yield tasks, duplicates

    for item in items:
        if isinstance(item, Skipped):
            summary.skipped.append(item)
            continue
        summary.read += 1
        pending.append((content_hash(item.text), item))
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()


def _analysed(
    batches: Iterator[_Batch],
    *,
    processes: int,
    lang: str | None,
    summary: IngestSummary,
) -> Iterator[tuple[list[ArticleRows], list[Duplicate]]]:
    """The analysed rows of each batch, in input order; failures go to ``summary``."""
    if processes <= 1:
        for tasks, duplicates in batches:
            yield _collect(analyse_tasks(tasks, lang=lang), summary), duplicates
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_warm_up
    ) as pool:
        # A bounded window of batches in flight keeps memory flat on any corpus size.
        window: deque[tuple[Future[list[ArticleRows | Skipped]], list[Duplicate]]] = deque()
        for tasks, duplicates in batches:
            window.append((pool.submit(analyse_tasks, tasks, lang=lang), duplicates))
            if len(window) > 2 * processes:
                future, dups = window.popleft()
                yield _collect(future.result(), summary), dups
        while window:
            future, dups = window.popleft()
            yield _collect(future.result(), summary), dups


def _collect(results: list[ArticleRows | Skipped], summary: IngestSummary) -> list[ArticleRows]:
    rows = []
    for result in results:
        if isinstance(result, Skipped):
            summary.failed.append(result)
        else:
            rows.append(result)
    return rows


def _warm_up() -> None:
    """Worker initializer: load the pipeline's shared data before the first task."""
    from newsgraph.pipeline import _pipeline

    _pipeline()


def analyse_tasks(
    tasks: Sequence[_Task], *, lang: str | None = None
) -> list[ArticleRows | Skipped]:
    """Analyse a batch of articles (in a worker): rows for each, or why it failed."""
    from newsgraph.ingest.dedup import embed, minhash_signature
    from newsgraph.pipeline import analyze_many, make_document
    from newsgraph.store.rows import article_rows

    def document(article: RawArticle) -> Any:
        doc = make_document(
            article.text,
            lang=lang or article.lang,
            published=article.published,
            doc_id=article.name,
            title=article.title,
        )
        doc.warnings[:0] = list(article.warnings)
        return doc

    docs = []
    out: list[ArticleRows | Skipped | None] = []
    for task in tasks:
        try:
            docs.append((len(out), task, document(task.article)))
        except NewsgraphError as e:
            out.append(Skipped(task.article.location, e.code, e.describe()))
            continue
        out.append(None)
    analysed = _analyse_docs(
        [doc for _, _, doc in docs],
        lambda: [document(task.article) for _, task, _ in docs],
        analyze_many,
    )
    for (slot, task, _), result in zip(docs, analysed, strict=True):
        article = task.article
        if isinstance(result, Exception):
            out[slot] = _failure(article.location, result)
            continue
        rows = article_rows(
            result,
            document_id=task.id,
            name=article.name,
            location=article.location,
            url=article.url,
            site=article.site,
        )
        rows.minhash = minhash_signature(result.text)
        # Embedded here, in parallel, rather than when stories are regrouped in
        # the one writing process: at scale nearly every article has a
        # cross-lingual candidate, and the encoder costs as much as a parse.
        rows.embedding = [float(x) for x in embed([result.text])[0]]
        out[slot] = rows
    return [r for r in out if r is not None]


def _analyse_docs(
    docs: list[Any], rebuild: Callable[[], list[Any]], analyze_many: Callable[..., Iterator[Any]]
) -> list[Any]:
    """Analyse in one batch; if the batch fails, one by one, so that only the bad article fails.

    Stages change the documents they run on, so the retry starts from fresh
    documents (``rebuild``).
    """
    try:
        return list(analyze_many(docs))
    except Exception:
        pass
    results: list[Any] = []
    for doc in rebuild():
        try:
            results.extend(analyze_many([doc]))
        except Exception as e:
            results.append(e)
    return results


def _failure(location: str, error: Exception) -> Skipped:
    if isinstance(error, NewsgraphError):
        return Skipped(location, error.code, error.describe())
    detail = " ".join(str(error).split())[:200]
    return Skipped(
        location,
        "E070",
        f"internal error while analysing ({type(error).__name__}: {detail}); "
        "this is a bug, please report it",
    )


__all__ = ["IngestSummary", "analyse_tasks", "ingest", "ingest_articles", "regroup_stories"]

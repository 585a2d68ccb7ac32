"""Throughput benchmark: the bare spaCy pipelines against the whole ``analyze``.

The 45 dev articles (eval/dev/articles) are replicated to about 30,000 words and
run, in this one process, through (a) ``load_model(lang).pipe(texts)`` (bare
spaCy), (b) ``newsgraph.analyze`` one document at a time and (c)
``newsgraph.analyze_many`` (the batch API: spaCy parses in batches), then
through a pool of forked workers; the stages of ``Pipeline.default()`` are also
timed one by one, per document and batched. The figures go to a Markdown report
(above the ``<!-- bench:end -->`` marker) and to ``bench/results.json``.

    python bench/run.py --output docs/performance.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "eval" / "dev" / "articles"
TARGET_WORDS = 30_000
LANGS = ("fr", "en", "es")
WARMUP_PER_LANG = 2  # articles per language run before any timing
TASK_WORDS = 3_000  # about this many words per task sent to a worker
BATCH_SIZE = 32  # analyze_many's default batch size
KINDS = ("bare", "analyze", "many")  # bare spaCy, analyze per document, analyze_many


@dataclass(frozen=True)
class Article:
    """One text of the benchmark corpus; copies of an article share its text."""

    id: str
    lang: str
    text: str
    published: str | None = None

    @property
    def words(self) -> int:
        return count_words(self.text)


def count_words(text: str) -> int:
    """Words as the benchmark counts them: runs of non-space characters."""
    return len(text.split())


def load_articles(directory: Path = ARTICLES) -> list[Article]:
    """The dev articles, language from the file name prefix, date from the gold files."""
    published: dict[str, str] = {}
    for gold in sorted(directory.parent.glob("gold*.jsonl")):
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                if record.get("published"):
                    published[record["id"]] = record["published"]
    articles = []
    for path in sorted(directory.glob("*.txt")):
        lang = path.stem.split("_", 1)[0]
        if lang not in LANGS:
            raise ValueError(f"{path.name}: file name does not start with one of {LANGS}")
        text = path.read_text(encoding="utf-8")
        articles.append(Article(path.stem, lang, text, published.get(path.stem)))
    if not articles:
        raise ValueError(f"no *.txt article in {directory}")
    return articles


def build_corpus(articles: Sequence[Article], *, target_words: int = TARGET_WORDS) -> list[Article]:
    """Replicate ``articles`` until the corpus holds at least ``target_words`` words.

    Languages are interleaved (fr, en, es, fr, …) so that a partial last round
    keeps them balanced; copies get ids ``<id>#2``, ``<id>#3``… The corpus
    overshoots ``target_words`` by less than one article.

    >>> corpus = build_corpus([Article("en_01", "en", "one two three")], target_words=7)
    >>> [a.id for a in corpus], sum(a.words for a in corpus)
    (['en_01', 'en_01#2', 'en_01#3'], 9)
    """
    if not articles:
        raise ValueError("no article to replicate")
    by_lang: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_lang[article.lang].append(article)
    queues = [by_lang[lang] for lang in sorted(by_lang, key=_lang_order)]
    order = [q[i] for i in range(max(map(len, queues))) for q in queues if i < len(q)]
    corpus: list[Article] = []
    total = 0
    copy = 1
    while total < target_words:
        for article in order:
            suffix = "" if copy == 1 else f"#{copy}"
            corpus.append(
                Article(article.id + suffix, article.lang, article.text, article.published)
            )
            total += article.words
            if total >= target_words:
                break
        copy += 1
    return corpus


def _lang_order(lang: str) -> tuple[int, str]:
    return (LANGS.index(lang) if lang in LANGS else len(LANGS), lang)


# --- work done in the measuring process or in a worker -------------------------


def _bare(tasks: Sequence[tuple[str, list[str]]]) -> int:
    """Parse texts with the bare spaCy pipeline of their language; returns tokens."""
    from newsgraph.stages.parse import load_model

    tokens = 0
    for lang, texts in tasks:
        for parsed in load_model(lang).pipe(texts):
            tokens += len(parsed)
    return tokens


def _analyze(articles: Sequence[Article]) -> int:
    """Run ``newsgraph.analyze`` on articles; returns the number of claims."""
    import newsgraph

    claims = 0
    for a in articles:
        doc = newsgraph.analyze(a.text, lang=a.lang, published=a.published, doc_id=a.id)
        claims += len(doc.claims)
    return claims


def _analyze_many(articles: Sequence[Article], batch_size: int = BATCH_SIZE) -> int:
    """Run ``newsgraph.analyze_many`` on articles; returns the number of claims."""
    import newsgraph

    docs = [
        newsgraph.make_document(a.text, lang=a.lang, published=a.published, doc_id=a.id)
        for a in articles
    ]
    return sum(len(doc.claims) for doc in newsgraph.analyze_many(docs, batch_size=batch_size))


def _stage_times(articles: Sequence[Article], *, batch_size: int | None = None) -> dict[str, float]:
    """Seconds spent in each stage, calling them as ``Pipeline`` does.

    With ``batch_size`` None, one document at a time (``Pipeline.__call__``, as
    ``analyze`` runs); otherwise as ``Pipeline.pipe``: the stages before parse per
    document, ``ParseStage.parse_many`` per batch, the stages after it per document.
    """
    from newsgraph.pipeline import Pipeline, make_document
    from newsgraph.stages.parse import ParseStage

    stages = Pipeline.default().stages
    spent = dict.fromkeys((s.name for s in stages), 0.0)

    def run(doc: Any, todo: Sequence[Any]) -> Any:
        for stage in todo:
            start = time.perf_counter()
            doc = stage(doc)
            spent[stage.name] += time.perf_counter() - start
            doc.stages_done.append(stage.name)
        return doc

    docs = [
        make_document(a.text, lang=a.lang, published=a.published, doc_id=a.id) for a in articles
    ]
    if batch_size is None:
        for doc in docs:
            run(doc, stages)
        return spent
    at = next(i for i, s in enumerate(stages) if isinstance(s, ParseStage))
    parser = stages[at]
    assert isinstance(parser, ParseStage)
    for i in range(0, len(docs), batch_size):
        batch = [run(doc, stages[:at]) for doc in docs[i : i + batch_size]]
        start = time.perf_counter()
        parser.parse_many(batch)
        spent[parser.name] += time.perf_counter() - start
        for doc in batch:
            doc.stages_done.append(parser.name)
            run(doc, stages[at + 1 :])
    return spent


def _load_models(langs: Iterable[str]) -> dict[str, float]:
    """Load each language's spaCy model (once per process); seconds per language."""
    from newsgraph.stages.parse import load_model

    seconds = {}
    for lang in langs:
        start = time.perf_counter()
        load_model(lang)
        seconds[lang] = time.perf_counter() - start
    return seconds


def _warm_up(warmup: Sequence[Article]) -> None:
    """Load models, knowledge base and language data; fill the regex and spaCy caches."""
    _bare(_bare_tasks(warmup, size=len(warmup)))
    _analyze(warmup)
    _analyze_many(warmup)


_BARRIER: Any = None


def _worker_init(warmup: Sequence[Article], barrier: Any) -> None:
    global _BARRIER
    _BARRIER = barrier
    _warm_up(warmup)


def _peak_kib() -> int:
    """Peak resident memory of this process, in KiB (Linux ``ru_maxrss``)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _pss_kib() -> int | None:
    """Current proportional set size in KiB: shared pages divided among their sharers."""
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _each_worker_memory(_: object) -> tuple[int, int | None]:
    """(peak RSS, current PSS) in KiB; waits for every worker to take one such task."""
    _BARRIER.wait()
    return _peak_kib(), _pss_kib()


def _bare_tasks(articles: Sequence[Article], *, size: int) -> list[tuple[str, list[str]]]:
    """Texts grouped by language, ``size`` texts at most per group."""
    out = []
    for lang in sorted({a.lang for a in articles}, key=_lang_order):
        texts = [a.text for a in articles if a.lang == lang]
        out += [(lang, texts[i : i + size]) for i in range(0, len(texts), size)]
    return out


def _batches(articles: Sequence[Article], *, words: int) -> list[list[Article]]:
    """Consecutive articles cut into batches of about ``words`` words."""
    out: list[list[Article]] = [[]]
    count = 0
    for a in articles:
        if count >= words:
            out.append([])
            count = 0
        out[-1].append(a)
        count += a.words
    return out


# --- measurements ------------------------------------------------------------------


def _timed(fn: Any, *args: Any) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result) of ``fn(*args)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _best(runs: list[tuple[float, float, Any]]) -> tuple[float, float, Any]:
    """The fastest of repeated runs: the one least disturbed by other work."""
    return min(runs, key=lambda r: r[0])


def measure_one_process(
    corpus: Sequence[Article], warmup: Sequence[Article], *, repeat: int
) -> dict[str, Any]:
    """Model load, bare spaCy, analyze, analyze_many and per-stage times in this process.

    The three kinds are timed in turn (bare, analyze, many, bare, …) so that a
    change of load on the machine falls on all of them alike.
    """
    load = _load_models(sorted({a.lang for a in corpus}, key=_lang_order))
    _warm_up(warmup)
    jobs = {
        "bare": (_bare, _bare_tasks(corpus, size=len(corpus))),
        "analyze": (_analyze, corpus),
        "many": (_analyze_many, corpus),
    }
    runs: dict[str, list[tuple[float, float, Any]]] = {k: [] for k in KINDS}
    for _ in range(repeat):
        for kind in KINDS:
            fn, arg = jobs[kind]
            runs[kind].append(_timed(fn, arg))
    return _summary(runs) | {
        "model_load_s": load,
        "stages_s": _stage_times(corpus),
        "stages_batched_s": _stage_times(corpus, batch_size=BATCH_SIZE),
        "peak_rss_mib": _peak_kib() / 1024,
        "pss_mib": _mib(_pss_kib()),
    }


def measure_pool(
    corpus: Sequence[Article], warmup: Sequence[Article], *, processes: int, repeat: int
) -> dict[str, Any]:
    """Bare spaCy, analyze and analyze_many spread over ``processes`` forked workers.

    The workers are forked from this process after it has loaded the models, so
    each starts with them (copy-on-write) and only warms up. Each task holds
    about ``TASK_WORDS`` words: one language's texts for bare spaCy, consecutive
    articles for analyze and analyze_many. CPU seconds are summed over the workers.
    """
    ctx = multiprocessing.get_context("fork")
    start = time.perf_counter()
    barrier = ctx.Barrier(processes)
    per_task = max(1, len(corpus) * TASK_WORDS // sum(a.words for a in corpus))
    batches = _batches(corpus, words=TASK_WORDS)
    tasks = {
        "bare": (_bare_task, _bare_tasks(corpus, size=per_task)),
        "analyze": (_analyze_task, batches),
        "many": (_analyze_many_task, batches),
    }
    with ctx.Pool(processes, initializer=_worker_init, initargs=(list(warmup), barrier)) as pool:
        # One task per worker, each waiting for all: returns once every worker is warm.
        pool.map(_each_worker_memory, range(processes), chunksize=1)
        ready_s = time.perf_counter() - start

        def spread(fn: Any, work: list[Any]) -> tuple[float, float, int]:
            wall = time.perf_counter()
            done = list(pool.imap_unordered(fn, work))
            wall = time.perf_counter() - wall
            return wall, sum(cpu for _, cpu in done), sum(n for n, _ in done)

        runs: dict[str, list[tuple[float, float, Any]]] = {k: [] for k in KINDS}
        for _ in range(repeat):
            for kind in KINDS:
                runs[kind].append(spread(*tasks[kind]))
        memory = pool.map(_each_worker_memory, range(processes), chunksize=1)
        pool.close()
        pool.join()
    return _summary(runs) | {
        "tasks": {kind: len(work) for kind, (_, work) in tasks.items()},
        "workers_ready_s": ready_s,
        "worker_peak_rss_mib": [peak / 1024 for peak, _ in memory],
        "worker_pss_mib": [_mib(pss) for _, pss in memory],
        "parent_pss_mib": _mib(_pss_kib()),
        "children_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _summary(runs: dict[str, list[tuple[float, float, Any]]]) -> dict[str, Any]:
    """Fastest wall-clock and CPU seconds per kind; tokens (bare) and claims (others)."""
    out: dict[str, Any] = {}
    for kind, timings in runs.items():
        wall, cpu, count = _best(timings)
        out[f"{kind}_s"] = wall
        out[f"{kind}_cpu_s"] = cpu
        out[f"{kind}_s_all"] = [r[0] for r in timings]
        out[f"{kind}_cpu_s_all"] = [r[1] for r in timings]
        out["tokens" if kind == "bare" else f"{kind}_claims"] = count
    return out


def _bare_task(task: tuple[str, list[str]]) -> tuple[int, float]:
    cpu = time.process_time()
    tokens = _bare([task])
    return tokens, time.process_time() - cpu


def _analyze_task(articles: list[Article]) -> tuple[int, float]:
    cpu = time.process_time()
    claims = _analyze(articles)
    return claims, time.process_time() - cpu


def _analyze_many_task(articles: list[Article]) -> tuple[int, float]:
    cpu = time.process_time()
    claims = _analyze_many(articles)
    return claims, time.process_time() - cpu


def _mib(kib: int | None) -> float | None:
    return kib / 1024 if kib is not None else None


# --- orchestration -------------------------------------------------------------------


def machine_facts() -> dict[str, Any]:
    """CPU, Python and platform facts shared by every benchmark's report."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }


def machine() -> dict[str, Any]:
    """Where the figures were taken."""
    import spacy

    return {**machine_facts(), "spacy": spacy.__version__}


def run(
    *, articles_dir: Path, target_words: int, processes: Sequence[int], repeat: int = 2
) -> dict[str, Any]:
    """Every measurement, each timed ``repeat`` times (the fastest is kept); JSON-ready."""
    started = time.perf_counter()
    load_before = os.getloadavg()
    articles = load_articles(articles_dir)
    corpus = build_corpus(articles, target_words=target_words)
    warmup = [
        a for lang in LANGS for a in [x for x in articles if x.lang == lang][:WARMUP_PER_LANG]
    ]
    words = sum(a.words for a in corpus)
    by_lang = {lang: sum(a.words for a in corpus if a.lang == lang) for lang in LANGS}

    print(f"corpus: {len(corpus)} texts, {words:,} words", file=sys.stderr)
    single = measure_one_process(corpus, warmup, repeat=repeat)
    _report_progress(1, words, single)
    runs = {"1": _rates(single, words)}
    runs["1"].update(single)
    for n in processes:
        if n == 1:
            continue
        pooled = measure_pool(corpus, warmup, processes=n, repeat=repeat)
        _report_progress(n, words, pooled)
        runs[str(n)] = _rates(pooled, words) | pooled

    total_stage = sum(single["stages_s"].values())
    total_batched = sum(single["stages_batched_s"].values())
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "corpus": {
            "articles": len(articles),
            "texts": len(corpus),
            "words": words,
            "words_by_lang": by_lang,
            "chars": sum(len(a.text) for a in corpus),
            "word_definition": "whitespace-separated tokens (str.split)",
        },
        "runs": runs,
        "stage_shares": {k: v / total_stage for k, v in single["stages_s"].items()},
        "stage_shares_batched": {
            k: v / total_batched for k, v in single["stages_batched_s"].items()
        },
        "batch_size": BATCH_SIZE,
        "task_words": TASK_WORDS,
        "repeat": repeat,
        "load_average_before": load_before[0],
        "load_average_after": os.getloadavg()[0],
        "load_averages_before": list(load_before),
        "load_averages_after": list(os.getloadavg()),
        "bench_seconds": time.perf_counter() - started,
    }


def _rates(result: dict[str, Any], words: int) -> dict[str, float]:
    """Words/s (wall-clock and CPU time) of each kind, and ratios to bare spaCy."""
    out = {}
    for kind in KINDS:
        out[f"{kind}_wps"] = words / result[f"{kind}_s"]
        out[f"{kind}_wps_cpu"] = words / result[f"{kind}_cpu_s"]
    for kind in KINDS[1:]:
        out[f"{kind}_ratio"] = out[f"{kind}_wps"] / out["bare_wps"]
        out[f"{kind}_ratio_cpu"] = out[f"{kind}_wps_cpu"] / out["bare_wps_cpu"]
    return out


def _report_progress(n: int, words: int, result: dict[str, Any]) -> None:
    r = _rates(result, words)
    print(
        f"{n} process(es): bare {r['bare_wps']:,.0f} w/s, analyze {r['analyze_wps']:,.0f} w/s "
        f"(ratio {r['analyze_ratio']:.2f}, CPU {r['analyze_ratio_cpu']:.2f}), analyze_many "
        f"{r['many_wps']:,.0f} w/s (ratio {r['many_ratio']:.2f}, CPU {r['many_ratio_cpu']:.2f}); "
        f"load average {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="example: python bench/run.py --output docs/performance.md",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "performance.md",
        help="Markdown report; text below '<!-- bench:end -->' is kept",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=ROOT / "bench" / "results.json",
        help="raw results (default: bench/results.json)",
    )
    parser.add_argument(
        "--articles", type=Path, default=ARTICLES, help="directory of fr_/en_/es_*.txt articles"
    )
    parser.add_argument(
        "--words",
        type=int,
        default=TARGET_WORDS,
        help=f"corpus size in words (default {TARGET_WORDS:,})",
    )
    parser.add_argument(
        "--processes", default="1,2", help="comma-separated process counts (default 1,2)"
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="timings per figure, fastest kept (default 2)"
    )
    args = parser.parse_args(argv)

    # One BLAS thread per process, so that "1 process" means one core. spaCy (and
    # numpy with it) is only imported after this point.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from report import write_report

    processes = sorted({int(n) for n in args.processes.split(",")} | {1})
    results = run(
        articles_dir=args.articles,
        target_words=args.words,
        processes=processes,
        repeat=max(1, args.repeat),
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    if args.json.exists():  # keep the store benchmark's figures (bench/store.py)
        previous = json.loads(args.json.read_text(encoding="utf-8"))
        if "store" in previous:
            results = {**results, "store": previous["store"]}
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_report(results, args.output)
    print(f"wrote {args.output} and {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

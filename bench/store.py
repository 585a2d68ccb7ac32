"""Store benchmark: ingest throughput, peak memory and query latency of the DuckDB store.

A corpus of N synthetic articles is recombined from the demo articles
(src/newsgraph/demo): each takes the title of one article and 2–4 paragraphs of
articles in the same language, and a date in 2019–2025; about 3% are exact
copies of an earlier article, which the ingest's dedup must skip. For each size
(1,000 and 10,000 by default) a fresh store is written by
``newsgraph.ingest.run.ingest`` in a process of its own, while a thread of this
process samples the memory of that process and of its workers from /proc; then
the store's queries are timed on a warm ``Graph``. The figures are merged into
``bench/results.json`` (key ``"store"``) and rendered as a section of the report
(above the ``<!-- bench:end -->`` marker, beside bench/run.py's).

    python bench/store.py --output docs/performance.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
SIZES = (1_000, 10_000)
PROCESSES = 2
BATCH_SIZE = 16
SAMPLE_SECONDS = 0.2  # interval of the /proc memory sampler
REPEAT = 30  # timed calls per query
WARMUP = 3  # untimed calls per query before timing
PAIR = ("Microsoft", "OpenAI")
_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


# The corpus generator lives in store_corpus.py; its names are re-exported here.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import add_output_arguments, merge_results, one_blas_thread  # noqa: E402
from store_corpus import (  # noqa: E402
    DUPLICATE_SHARE,
    PARAGRAPHS,
    SEED,
    corpus_facts,
    generate_corpus,
    load_demo,
    write_jsonl,
)

# --- memory of a process tree ----------------------------------------------------


def process_tree(root: int) -> dict[int, int]:
    """Resident memory (KiB) of ``root`` and of every process descended from it."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # the process has just ended
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children[ppid].append(int(entry.name))
    rss: dict[int, int] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            rss[pid] = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_KIB
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(children.get(pid, ()))
    return rss


class TreeSampler:
    """Samples the RSS of a process and its descendants every ``interval`` seconds.

    The root is the *main* process; descendants are *workers*, except
    multiprocessing's resource tracker, a *helper*. Times are ``time.monotonic()``,
    which other processes of the machine share.

        >>> sampler = TreeSampler(pid).start()
        >>> ...
        >>> memory = sampler.stop()
    """

    def __init__(self, root: int, *, interval: float = SAMPLE_SECONDS) -> None:
        self.root = root
        self.interval = interval
        self.samples: list[tuple[float, int, int, int]] = []  # t, main, workers, helpers (KiB)
        self.peaks: dict[int, int] = {}
        self.roles: dict[int, str] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-sampler", daemon=True)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            self.sample()
            if self._done.wait(self.interval):
                return

    def sample(self) -> None:
        """Take one sample of the tree now."""
        now = time.monotonic()
        totals = {"main": 0, "worker": 0, "helper": 0}
        for pid, kib in process_tree(self.root).items():
            role = self.roles.setdefault(pid, self._role(pid))
            totals[role] += kib
            self.peaks[pid] = max(kib, self.peaks.get(pid, 0))
        if totals["main"]:
            self.samples.append((now, totals["main"], totals["worker"], totals["helper"]))

    def _role(self, pid: int) -> str:
        if pid == self.root:
            return "main"
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            cmdline = b""
        return "helper" if b"resource_tracker" in cmdline else "worker"

    def stop(self) -> dict[str, Any]:
        """Stop sampling; the peaks in MiB and a short series of the samples."""
        self._done.set()
        self._thread.join()
        workers = sorted(
            (kib for pid, kib in self.peaks.items() if self.roles[pid] == "worker"), reverse=True
        )
        step = max(1, math.ceil(len(self.samples) / 60))
        return {
            "main_peak_mib": _mib(self.peaks.get(self.root, 0)),
            "worker_peak_mib": _mib(workers[0]) if workers else None,
            "worker_peaks_mib": [_mib(w) for w in workers],
            "workers_peak_sum_mib": _mib(max((s[2] for s in self.samples), default=0)),
            "tree_peak_mib": _mib(max((s[1] + s[2] + s[3] for s in self.samples), default=0)),
            "samples": len(self.samples),
            "interval_s": self.interval,
            # (monotonic seconds, main MiB, workers MiB), at most about 60 points
            "series": [(t, _mib(m), _mib(w)) for t, m, w, _ in self.samples[::step]],
            "_main_peak_at": max(self.samples, key=lambda s: s[1])[0] if self.samples else None,
        }


def _mib(kib: float) -> float:
    return kib / 1024


# --- ingest, in a process of its own ----------------------------------------------


def _ingest_child(corpus: str, db: str, processes: int, batch_size: int, out: Any) -> None:
    """Run one ingest and send back its summary, timestamps and ``getrusage`` peaks."""
    try:
        from newsgraph.ingest.run import ingest

        marks: list[tuple[float, int, int]] = []

        def progress(summary: Any) -> None:
            marks.append((time.monotonic(), summary.read, summary.analysed))

        start = time.monotonic()
        summary = ingest(
            [corpus], db=db, processes=processes, batch_size=batch_size, progress=progress
        )
        end = time.monotonic()
        facts = summary.to_dict()
        facts["skipped"] = len(summary.skipped)
        facts["failed"] = len(summary.failed)
        facts["failed_first"] = [s.__dict__ for s in summary.failed[:3]]
        out.send(
            {
                "summary": facts,
                "start": start,
                "end": end,
                "marks": marks,
                "main_maxrss_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
                # The largest of the reaped workers (the pool is shut down by now).
                "children_maxrss_mib": _mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
            }
        )
    except BaseException as e:  # reported by the parent, which has the terminal
        out.send({"error": f"{type(e).__name__}: {e}"})
        raise
    finally:
        out.close()


def measure_ingest(
    corpus: Path, db: Path, *, processes: int, batch_size: int, words: int
) -> dict[str, Any]:
    """Ingest ``corpus`` into a fresh store ``db`` in a spawned process, sampling its memory.

    Returns wall seconds, rates (``words``: of the texts analysed), the three
    phases (until the first batch is stored: worker start-up and one batch;
    steady analysis; after the last batch: regrouping stories), memory peaks
    and the store's size.
    """
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_ingest_child,
        args=(str(corpus), str(db), processes, batch_size, send),
        name="bench-ingest",
    )
    child.start()
    sampler = TreeSampler(child.pid or 0).start()
    send.close()
    try:
        got = receive.recv()
    except EOFError:
        got = {"error": "the ingest process died without a word"}
    child.join()
    memory = sampler.stop()
    if "error" in got:
        raise RuntimeError(f"ingest of {corpus} failed: {got['error']}")
    summary, marks = got["summary"], got["marks"] or [(got["end"], 0, 0)]
    wall = got["end"] - got["start"]
    first, last = marks[0], marks[-1]
    steady_s = last[0] - first[0]
    peak_at = memory.pop("_main_peak_at") or got["start"]
    phase = "start-up" if peak_at <= first[0] else "analysis" if peak_at <= last[0] else "regroup"
    memory["series"] = [(round(t - got["start"], 2), m, w) for t, m, w in memory["series"]]
    memory |= {
        "main_maxrss_mib": got["main_maxrss_mib"],
        "children_maxrss_mib": got["children_maxrss_mib"],
        "main_peak_phase": phase,
    }
    return {
        "summary": summary,
        "wall_s": wall,
        "read_per_s": summary["read"] / wall,
        "analysed_per_s": summary["analysed"] / wall,
        "words_per_s": words / wall,
        "first_batch_s": first[0] - got["start"],
        "steady_analysed_per_s": (last[2] - first[2]) / steady_s if steady_s > 0 else None,
        "regroup_s": got["end"] - last[0],
        "memory": memory,
        "store_mib": sum(
            p.stat().st_size / 2**20 for p in (db, db.with_name(db.name + ".wal")) if p.exists()
        ),
        "embedded": _embedded(db),
    }


def _embedded(db: Path) -> int | None:
    """How many stored documents have a lead embedding (computed while regrouping stories)."""
    import duckdb

    try:
        with duckdb.connect(str(db), read_only=True) as con:
            row = con.execute("SELECT count(embedding) FROM fingerprints").fetchone()
    except duckdb.Error:
        return None
    return int(row[0]) if row else None


# --- queries ---------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` percentile (0 < q <= 100) of ``values``.

    >>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 95)
    5.0
    """
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def latency(ms: Sequence[float]) -> dict[str, Any]:
    """Median, p95, min and max of timings in milliseconds, and how many."""
    return {
        "median_ms": statistics.median(ms),
        "p95_ms": percentile(ms, 95),
        "min_ms": min(ms),
        "max_ms": max(ms),
        "runs": len(ms),
    }


def _rows(result: Any) -> int:
    """A size for a query's answer: rows, timeline periods, or an entity's edges."""
    if isinstance(result, dict):
        if "periods" in result:
            return len(result["periods"])
        return sum(len(v) for v in result.get("edges", {}).values())
    return len(result)


def _queries(graph: Any) -> dict[str, Callable[[], Any]]:
    """The queries timed, by the call written in the report; timeline only if it exists."""
    a, b = PAIR
    queries: dict[str, Callable[[], Any]] = {
        # The CLI's default page (`newsgraph edges --between A B`), then every claim.
        f'edges("{a}", "{b}", limit=100)': lambda: graph.edges(a, b, limit=100),
        f'edges("{a}", "{b}")': lambda: graph.edges(a, b),
    }
    try:
        import newsgraph.analysis.timeline  # noqa: F401
    except ImportError:
        pass
    else:
        queries[f'timeline("{a}", "{b}", by="quarter")'] = lambda: graph.timeline(
            a, b, by="quarter"
        )
    queries |= {
        "top_edges(limit=20)": lambda: graph.top_edges(limit=20),
        f'entity("{b}")': lambda: graph.entity(b),
        'claims(modality="speculative")': lambda: graph.claims(modality="speculative"),
    }
    return queries


def measure_queries(db: Path, *, repeat: int = REPEAT, warmup: int = WARMUP) -> dict[str, Any]:
    """Latency of each query on one warm ``Graph(db)``; the queries are timed in turn.

    A query that raises a newsgraph error (an entity the store does not hold)
    is reported with its message instead of timings.
    """
    from newsgraph.errors import NewsgraphError
    from newsgraph.graph import Graph

    out: dict[str, Any] = {}
    with Graph(db) as graph:
        start = time.perf_counter()
        graph.store  # noqa: B018 (opens the store)
        open_ms = (time.perf_counter() - start) * 1000
        queries = _queries(graph)
        ok: dict[str, Callable[[], Any]] = {}
        for name, query in queries.items():
            start = time.perf_counter()
            try:
                result = query()
            except NewsgraphError as e:
                out[name] = {"error": e.describe()}
                continue
            out[name] = {"first_ms": (time.perf_counter() - start) * 1000, "rows": _rows(result)}
            for _ in range(warmup - 1):
                query()
            ok[name] = query
        timings: dict[str, list[float]] = {name: [] for name in ok}
        for _ in range(repeat):
            for name, query in ok.items():
                start = time.perf_counter()
                query()
                timings[name].append((time.perf_counter() - start) * 1000)
        for name, ms in timings.items():
            out[name] |= latency(ms)
    return {"open_ms": open_ms, "queries": out, "timeline": any("timeline" in q for q in out)}


def measure_cli(db: Path) -> dict[str, Any]:
    """One cold ``newsgraph edges --between A B --db DB``: a new process, wall seconds."""
    exe = Path(sys.executable).with_name("newsgraph")
    command = [str(exe) if exe.exists() else shutil.which("newsgraph") or "newsgraph"]
    command += ["edges", "--between", *PAIR, "--db", str(db)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"command": "newsgraph " + " ".join(command[1:]), "error": str(e)}
    return {
        "command": "newsgraph " + " ".join(command[1:-1]) + " …",
        "seconds": time.perf_counter() - start,
        "returncode": done.returncode,
    }


# --- orchestration ---------------------------------------------------------------


def machine() -> dict[str, Any]:
    """Where the figures were taken."""
    import duckdb
    from run import machine_facts

    return {**machine_facts(), "duckdb": duckdb.__version__}


def run(
    *,
    sizes: Sequence[int],
    processes: int = PROCESSES,
    batch_size: int = BATCH_SIZE,
    seed: int = SEED,
    repeat: int = REPEAT,
    workdir: Path = CACHE,
    keep: bool = False,
) -> dict[str, Any]:
    """Generate, ingest and query a store for each size; JSON-ready results."""
    started = time.perf_counter()
    load_before = os.getloadavg()
    demo = load_demo()
    runs: dict[str, Any] = {}
    for size in sorted(sizes):
        records = generate_corpus(demo, size, seed=seed)
        facts = corpus_facts(records)
        corpus = write_jsonl(records, workdir / f"store-corpus-{size}-{seed}.jsonl")
        db = workdir / f"store-{size}.duckdb"
        print(f"{size:,} articles: ingesting ({facts['unique']:,} unique) …", file=sys.stderr)
        ingested = measure_ingest(
            corpus,
            db,
            processes=processes,
            batch_size=batch_size,
            words=facts["unique_words"],
        )
        print(f"{size:,} articles: timing queries …", file=sys.stderr)
        queries = measure_queries(db, repeat=repeat)
        cli = measure_cli(db)
        runs[str(size)] = {"corpus": facts, "ingest": ingested, **queries, "cli": cli}
        _report_progress(size, runs[str(size)])
        if not keep:
            for path in (corpus, db, db.with_name(db.name + ".wal")):
                path.unlink(missing_ok=True)
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "demo": {
            "articles": len(demo),
            "by_lang": {
                lang: sum(a.lang == lang for a in demo) for lang in sorted({a.lang for a in demo})
            },
            "paragraphs": sum(len(a.paragraphs) for a in demo),
        },
        "seed": seed,
        "duplicate_share": DUPLICATE_SHARE,
        "paragraphs": list(PARAGRAPHS),
        "processes": processes,
        "batch_size": batch_size,
        "repeat": repeat,
        "warmup": WARMUP,
        "runs": runs,
        "load_average_before": load_before[0],
        "load_average_after": os.getloadavg()[0],
        "load_averages_before": list(load_before),
        "load_averages_after": list(os.getloadavg()),
        "bench_seconds": time.perf_counter() - started,
    }


def _report_progress(size: int, run: dict[str, Any]) -> None:
    ingest, memory = run["ingest"], run["ingest"]["memory"]
    timed = {
        name.split("(", 1)[0]: q["median_ms"]
        for name, q in run["queries"].items()
        if "median_ms" in q
    }
    print(
        f"{size:,} articles: {ingest['wall_s']:.1f} s, {ingest['analysed_per_s']:.1f} analysed/s, "
        f"main peak {memory['main_peak_mib']:.0f} MiB, worker peak "
        f"{memory['worker_peak_mib'] or 0:.0f} MiB; median ms "
        + ", ".join(f"{k} {v:.1f}" for k, v in timed.items())
        + f"; load average {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )


def _sizes(value: str) -> list[int]:
    try:
        sizes = sorted({int(v.replace("_", "")) for v in value.split(",") if v.strip()})
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a list of integers: {value!r}") from e
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        epilog="example: python bench/store.py --sizes 1000,10000 --output docs/performance.md",
    )
    add_output_arguments(parser, ROOT)  # the store section of --output, key "store" of --json
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(SIZES),
        help="comma-separated corpus sizes in articles (default 1000,10000)",
    )
    parser.add_argument(
        "--processes", type=int, default=PROCESSES, help="ingest worker processes (default 2)"
    )
    parser.add_argument(
        "--batch-size", type=int, default=BATCH_SIZE, help="ingest batch size (default 16)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"corpus seed (default {SEED})")
    parser.add_argument(
        "--repeat", type=int, default=REPEAT, help=f"timed calls per query (default {REPEAT})"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=CACHE,
        help="where corpora and stores are written (default bench/.cache)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the corpora and stores after the run"
    )
    args = parser.parse_args(argv)

    one_blas_thread()  # as bench/run.py: the workers are as many as the cores
    from store_report import write_store_section

    results = run(
        sizes=args.sizes,
        processes=max(1, args.processes),
        batch_size=max(1, args.batch_size),
        seed=args.seed,
        repeat=max(1, args.repeat),
        workdir=args.workdir,
        keep=args.keep,
    )
    merge_results(results, args.json, key="store")
    write_store_section(results, args.output)
    print(f"wrote {args.output} and {args.json} (key 'store')", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

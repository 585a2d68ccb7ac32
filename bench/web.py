"""Web benchmark: latency of the HTTP API and the pages of ``newsgraph serve``.

A real uvicorn server on a loopback port serves a store (by default the demo
corpus, ingested into bench/.cache/web-demo.duckdb when missing; ``--db`` takes
any store, e.g. the 10,000-article one bench/store.py leaves with ``--keep``).
Each request is sent ``--repeat`` times over one keep-alive connection after a
few untimed ones; the median and 95th percentile of the wall time seen by the
client are reported, with the size of the answer. Results are merged into
bench/results.json (key "web") and written as a section of docs/performance.md.

Our target for an interactive explorer: every read answers in under 100 ms at
the 95th percentile. ``POST /api/analyze`` runs the whole pipeline on a short
article and has no target; it is reported for scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
BIG = CACHE / "store-10000.duckdb"  # left by `bench/store.py --keep`
DEMO = ROOT / "src" / "newsgraph" / "demo"
REPEAT = 50
WARMUP = 3
TARGET_MS = 100.0
PAIR = ("Microsoft", "OpenAI")
ARTICLE = (
    "Nvidia puts $5bn into Intel\n\nNvidia said on Thursday it will invest $5 billion in "
    "Intel, and the two companies will design data-centre chips together."
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import (  # noqa: E402
    add_output_arguments,
    merge_results,
    one_blas_thread,
    write_section,
)


def requests_for(con: Any) -> list[tuple[str, str, str, Any]]:
    """(label, method, path, JSON body) of the requests timed, resolved on this store."""
    from newsgraph.store.queries import resolve

    a, b = (resolve(con, name)["id"] for name in PAIR)
    (document,) = con.execute(
        "SELECT document_id FROM claims GROUP BY document_id ORDER BY count(*) DESC, "
        "document_id LIMIT 1"
    ).fetchone()
    return [
        ("stats", "GET", "/api/stats", None),
        ("search (autocomplete)", "GET", "/api/entities?q=micro&limit=8", None),
        ("entity detail", "GET", f"/api/entities/{a}", None),
        ("entity graph", "GET", f"/api/entities/{a}/graph?limit=30", None),
        ("claims page (50)", "GET", f"/api/claims?a={a}&b={b}&limit=50", None),
        ("timeline by year", "GET", f"/api/timeline?a={a}&b={b}&by=year", None),
        ("dependencies", "GET", f"/api/entities/{b}/dependencies", None),
        ("document", "GET", f"/api/documents/{document}", None),
        ("page: home", "GET", "/", None),
        ("page: entity", "GET", f"/entity/{a}", None),
        ("page: article", "GET", f"/document/{document}", None),
        ("analyze (pipeline)", "POST", "/api/analyze", {"text": ARTICLE, "lang": "en"}),
    ]


def _ids(planned: list[tuple[str, str, str, Any]]) -> dict[str, str]:
    """The store's ids in the timed paths, and how the report shows them."""
    paths = [path for _, _, path, _ in planned]
    a = next(p for p in paths if p.startswith("/api/entities/")).split("/")[3]
    b = next(p for p in paths if p.endswith("/dependencies")).split("/")[3]
    document = next(p for p in paths if p.startswith("/api/documents/")).split("/")[3]
    return {a: "{a}", b: "{b}", document: "{id}"}


def _route(path: str, ids: dict[str, str]) -> str:
    route = path.split("?")[0]
    for id_, shown in ids.items():
        route = route.replace(id_, shown)
    return route


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile by nearest rank (p95 of 50 values is the 48th)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def measure(db: Path, *, repeat: int = REPEAT) -> dict[str, Any]:
    """Time every request of :func:`requests_for` against a server over ``db``."""
    import httpx

    from newsgraph.store.db import table_counts
    from newsgraph.web import create_app
    from newsgraph.web.threaded import ThreadedServer

    app = create_app(db)
    with app.state.access.reading() as con:
        planned = requests_for(con)
        planned_ids = _ids(planned)
        counts = table_counts(con)
    timings: dict[str, Any] = {}
    with ThreadedServer(app) as server, httpx.Client(base_url=server.url, timeout=120) as client:
        for label, method, path, body in planned:
            times = repeat if body is None else max(3, repeat // 10)
            for _ in range(WARMUP):
                client.request(method, path, json=body).raise_for_status()
            seconds: list[float] = []
            size = 0
            for _ in range(times):
                started = time.perf_counter()
                response = client.request(method, path, json=body)
                seconds.append(time.perf_counter() - started)
                response.raise_for_status()
                size = len(response.content)
            ms = [s * 1000 for s in seconds]
            timings[label] = {
                "method": method,
                "path": path,
                "route": _route(path, planned_ids),
                "n": times,
                "median_ms": statistics.median(ms),
                "p95_ms": percentile(ms, 0.95),
                "bytes": size,
                "targeted": body is None,
            }
            print(f"{label}: median {timings[label]['median_ms']:.1f} ms", file=sys.stderr)
    app.state.access.close()
    return {"counts": counts, "requests": timings}


def demo_store(path: Path) -> Path:
    """The demo corpus ingested into ``path`` (once; reused while it exists)."""
    if not path.exists():
        from newsgraph.ingest.run import ingest

        path.parent.mkdir(parents=True, exist_ok=True)
        ingest([str(DEMO)], db=str(path), processes=2)
    return path


def render(results: dict[str, Any]) -> str:
    """The web section of docs/performance.md: one column pair per store measured."""
    m, stores = results["machine"], results["stores"]
    described = "; ".join(
        f"{s['name']} ({s['counts']['documents']:,} documents, {s['counts']['entities']:,} "
        f"entities, {s['counts']['claims']:,} claims)"
        for s in stores
    )
    lines = [
        "## Web explorer and HTTP API",
        "",
        "<!-- Generated by `make bench` (bench/web.py). -->",
        "",
        f"Measured {results['date'][:10]} on {m['nproc']} CPUs ({m['cpu']}), Python "
        f"{m['python']}: `newsgraph serve` (uvicorn, one process) over {described}; an httpx "
        f"client on the same machine over one keep-alive connection; {WARMUP} untimed "
        f"requests, then {results['repeat']} timed ones per read (a tenth for the "
        f"analysis). Our target: every read under {TARGET_MS:.0f} ms at the 95th percentile "
        "on the largest store. The benchmark took "
        f"{results['bench_seconds']:.0f} s.",
        "",
        "| request | "
        + " | ".join(f"{s['name']}: median / p95 ms" for s in stores)
        + " | answer | target |",
        "|---|" + "---:|" * len(stores) + "---:|---|",
    ]
    for label, last in stores[-1]["requests"].items():
        cells = []
        for store in stores:
            r = store["requests"][label]
            cells.append(f"{r['median_ms']:.1f} / {r['p95_ms']:.1f}")
        verdict = "none"
        if last["targeted"]:
            verdict = "pass" if last["p95_ms"] < TARGET_MS else "**fail**"
        lines.append(
            f"| {label} (`{last['method']} {last['route']}`) | "
            + " | ".join(cells)
            + f" | {last['bytes'] / 1024:.1f} KiB | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--db",
        type=Path,
        action="append",
        help="a store to serve (repeatable; default: the demo corpus, and the "
        f"10,000-article store of bench/store.py --keep if present: {BIG.name})",
    )
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed requests per read")
    add_output_arguments(parser, ROOT)
    args = parser.parse_args(argv)
    one_blas_thread()
    from run import machine_facts

    started = time.perf_counter()
    if args.db:
        stores = [(db.name, db) for db in args.db]
    else:
        stores = [("demo corpus", demo_store(CACHE / "web-demo.duckdb"))]
        if BIG.exists():
            stores.append(("10,000 articles", BIG))
    measured = [{"name": name, **measure(db, repeat=max(1, args.repeat))} for name, db in stores]
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_facts(),
        "repeat": max(1, args.repeat),
        "bench_seconds": time.perf_counter() - started,
        "stores": measured,
    }
    merge_results(results, args.json, key="web")
    write_section("web", render(results), args.output)
    print(f"wrote {args.output} and {args.json} (key 'web')", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

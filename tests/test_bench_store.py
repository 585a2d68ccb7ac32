"""bench/store.py generates its corpus and bench/store_report.py renders its section as documented.

No model is loaded and nothing is timed: the report is rendered from made-up figures.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest


@pytest.fixture(scope="module")
def store(bench_module: Any) -> ModuleType:
    return bench_module("store")


@pytest.fixture(scope="module")
def store_report(bench_module: Any) -> ModuleType:
    return bench_module("store_report")


@pytest.fixture(scope="module")
def demo(store: ModuleType) -> list[Any]:
    return store.load_demo()


# --- the corpus -------------------------------------------------------------------


def test_demo_articles_are_cut_into_title_and_paragraphs(
    store: ModuleType, demo: list[Any]
) -> None:
    assert len(demo) >= 9  # more are being added: no exact count
    assert {"en", "es", "fr"} <= {a.lang for a in demo}
    for article in demo:
        assert article.name.split("_")[1] == article.lang
        assert article.title and "\n" not in article.title
        assert article.paragraphs and all(p == p.strip() and p for p in article.paragraphs)
        assert article.title not in article.paragraphs


def test_corpus_is_deterministic_for_a_seed(store: ModuleType, demo: list[Any]) -> None:
    first = store.generate_corpus(demo, 300, seed=7)
    assert store.generate_corpus(demo, 300, seed=7) == first
    assert store.generate_corpus(demo, 300, seed=8) != first
    assert [r["id"] for r in first] == [f"synth-{i:06d}" for i in range(300)]


@pytest.mark.parametrize("size", [0, 1, 2, 33, 500])
def test_corpus_has_the_size_and_share_of_copies_asked(
    store: ModuleType, demo: list[Any], size: int
) -> None:
    records = store.generate_corpus(demo, size)
    assert len(records) == size
    facts = store.corpus_facts(records)
    copies = round(size * store.DUPLICATE_SHARE) if size > 1 else 0
    assert (facts["articles"], facts["duplicates"], facts["unique"]) == (
        size,
        copies,
        size - copies,
    )
    assert len({r["id"] for r in records}) == size


def test_each_article_keeps_one_language(store: ModuleType, demo: list[Any]) -> None:
    titles = defaultdict(set)
    pools = defaultdict(set)
    for a in demo:
        titles[a.lang].add(a.title)
        pools[a.lang].update(a.paragraphs)
    records = store.generate_corpus(demo, 400)
    for r in records:
        paragraphs = r["text"].split("\n\n")
        assert r["title"] in titles[r["lang"]]
        assert set(paragraphs) <= pools[r["lang"]]
        low, high = store.PARAGRAPHS
        assert low <= len(paragraphs) <= high
        assert len(set(paragraphs)) == len(paragraphs)
    # every language of the demo is represented
    assert {r["lang"] for r in records} == set(titles)


def test_copies_share_text_title_and_date(store: ModuleType, demo: list[Any]) -> None:
    records = store.generate_corpus(demo, 1_000)
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for r in records:
        groups[(r["title"], r["text"])].append(r)
    copied = [g for g in groups.values() if len(g) > 1]
    assert sum(len(g) - 1 for g in copied) == 30
    for group in copied:
        assert len({(r["published"], r["lang"]) for r in group}) == 1
        assert len({r["id"] for r in group}) == len(group)


def test_corpus_is_valid_jsonl_that_the_ingest_reads(
    store: ModuleType, demo: list[Any], tmp_path: Path
) -> None:
    from newsgraph.ingest.readers import iter_articles
    from newsgraph.ingest.records import RawArticle
    from newsgraph.store.rows import content_hash

    records = store.generate_corpus(demo, 200)
    path = store.write_jsonl(records, tmp_path / "sub" / "corpus.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 200
    for line, record in zip(lines, records, strict=True):
        parsed = json.loads(line)
        assert parsed == record
        assert set(parsed) == {"id", "text", "title", "published", "lang"}
        assert dt.date(2019, 1, 1) <= dt.date.fromisoformat(parsed["published"])
        assert dt.date.fromisoformat(parsed["published"]) <= dt.date(2025, 12, 31)
    read = list(iter_articles([path]))
    assert all(isinstance(a, RawArticle) for a in read)
    first = read[0]
    assert isinstance(first, RawArticle)
    assert first.text == f"{records[0]['title']}\n\n{records[0]['text']}"
    assert (first.name, first.lang, first.published) == (
        records[0]["id"],
        records[0]["lang"],
        records[0]["published"],
    )
    # what the ingest's dedup keys on: the copies, and only they, hash alike
    hashes = Counter(content_hash(a.text) for a in read if isinstance(a, RawArticle))
    assert sum(n - 1 for n in hashes.values()) == store.corpus_facts(records)["duplicates"]


def test_corpus_facts_count_words_of_title_and_text(store: ModuleType) -> None:
    records = [
        {"id": "1", "title": "A b", "text": "c d e", "published": "2020-01-01", "lang": "en"},
        {"id": "2", "title": "A b", "text": "c d e", "published": "2020-01-01", "lang": "en"},
        {"id": "3", "title": "F", "text": "g", "published": "2020-01-02", "lang": "fr"},
    ]
    facts = store.corpus_facts(records)
    assert facts == {
        "articles": 3,
        "unique": 2,
        "duplicates": 1,
        "words": 12,
        "unique_words": 7,
        "by_lang": {"en": 2, "fr": 1},
    }


def test_too_small_a_demo_is_an_error(store: ModuleType) -> None:
    from store_corpus import DemoArticle

    tiny = [DemoArticle("a", "en", "T", ("p1", "p2"))]
    with pytest.raises(ValueError, match="fewer than 5 distinct"):
        store.generate_corpus(tiny, 5, duplicate_share=0)
    with pytest.raises(ValueError, match="at least 2 paragraphs"):
        store.generate_corpus([DemoArticle("a", "en", "T", ("p1",))], 1)
    with pytest.raises(ValueError, match=">= 0"):
        store.generate_corpus(tiny, -1)


def test_demo_file_names_are_checked(store: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "2020-01-01_en_ok.txt").write_text("Title\n\nOne.\n\n  Two.  \n", "utf-8")
    [article] = store.load_demo(tmp_path)
    assert (article.lang, article.title, article.paragraphs) == ("en", "Title", ("One.", "Two."))
    (tmp_path / "notes.txt").write_text("x", "utf-8")
    with pytest.raises(ValueError, match=r"notes\.txt"):
        store.load_demo(tmp_path)
    with pytest.raises(ValueError, match=r"no \*\.txt"):
        store.load_demo(tmp_path / "missing")


# --- helpers of the measurements (nothing timed) -----------------------------------


def test_percentile_and_latency(store: ModuleType) -> None:
    ms = [float(i) for i in range(1, 41)]  # 1 … 40
    assert store.percentile(ms, 95) == 38.0
    assert store.percentile([3.0], 95) == 3.0
    assert store.latency(ms) == {
        "median_ms": 20.5,
        "p95_ms": 38.0,
        "min_ms": 1.0,
        "max_ms": 40.0,
        "runs": 40,
    }


def test_process_tree_sees_this_process(store: ModuleType) -> None:
    tree = store.process_tree(os.getpid())
    assert tree[os.getpid()] > 0
    sampler = store.TreeSampler(os.getpid())
    sampler.sample()
    assert sampler.roles[os.getpid()] == "main" and sampler.samples[0][1] > 0


def test_results_are_merged_under_their_key(bench_module: Any, tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"date": "x", "runs": {"1": {}}, "store": {"old": 1}}))
    bench_module("report").merge_results({"new": 2}, path, key="store")
    assert json.loads(path.read_text()) == {"date": "x", "runs": {"1": {}}, "store": {"new": 2}}


# --- the report ---------------------------------------------------------------------


def _run(*, size: int, main: float, worker: float, edges_p95: float) -> dict[str, Any]:
    """One size's results, shaped as ``run()`` returns them, with made-up figures."""

    def query(median: float, p95: float, rows: int) -> dict[str, Any]:
        return {"first_ms": 90.0, "rows": rows, "median_ms": median, "p95_ms": p95}

    return {
        "corpus": {
            "articles": size,
            "unique": size - size * 3 // 100,
            "duplicates": size * 3 // 100,
            "words": size * 250,
            "unique_words": size * 240,
            "by_lang": {"en": size // 2, "fr": size - size // 2},
        },
        "ingest": {
            "summary": {
                "read": size,
                "analysed": size - size * 3 // 100,
                "duplicates": size * 3 // 100,
                "skipped": 0,
                "failed": 0,
            },
            "wall_s": size / 20,
            "read_per_s": 20.0,
            "analysed_per_s": 19.4,
            "words_per_s": 4_800.0,
            "first_batch_s": 12.0,
            "steady_analysed_per_s": 25.0,
            "regroup_s": 3.0,
            "store_mib": size / 100,
            "embedded": size // 2,
            "memory": {
                "main_peak_mib": main,
                "worker_peak_mib": worker,
                "worker_peaks_mib": [worker, worker - 5],
                "workers_peak_sum_mib": 2 * worker - 5,
                "tree_peak_mib": main + 2 * worker,
                "samples": 100,
                "interval_s": 0.2,
                "series": [],
                "main_maxrss_mib": main + 1,
                "children_maxrss_mib": worker + 1,
                "main_peak_phase": "regroup",
            },
        },
        "open_ms": 150.0,
        "queries": {
            'edges("Microsoft", "OpenAI")': query(10.0, edges_p95, 12),
            'timeline("Microsoft", "OpenAI", by="quarter")': query(20.0, 30.0, 18),
            "top_edges(limit=20)": query(15.0, 25.0, 20),
            'entity("OpenAI")': {"error": "E050 no entity named 'OpenAI'"},
        },
        "timeline": True,
        "cli": {
            "command": "newsgraph edges --between Microsoft OpenAI --db …",
            "seconds": 1.5,
            "returncode": 0,
        },
    }


def _results(*, main: float = 200.0, edges_p95: float = 40.0, load: float = 0.1) -> dict[str, Any]:
    return {
        "date": "2026-01-01T00:00:00+00:00",
        "machine": {"nproc": 2, "cpu": "test CPU", "python": "3.11", "duckdb": "1.0"},
        "demo": {"articles": 50, "by_lang": {"en": 25, "fr": 25}, "paragraphs": 300},
        "seed": 1,
        "duplicate_share": 0.03,
        "paragraphs": [2, 4],
        "processes": 2,
        "batch_size": 16,
        "repeat": 30,
        "warmup": 3,
        "runs": {
            "10000": _run(size=10_000, main=main, worker=600.0, edges_p95=edges_p95),
            "1000": _run(size=1_000, main=200.0, worker=590.0, edges_p95=20.0),
        },
        "load_average_before": load,
        "load_average_after": load,
        "bench_seconds": 600.0,
    }


def _assert_tables_well_formed(text: str) -> None:
    table: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:  # every row of a table has as many cells as its header
            assert len({row.count("|") for row in table}) == 1, table
            table = []


def test_store_report_renders_the_figures(store_report: ModuleType) -> None:
    text = store_report.render_store(_results())
    _assert_tables_well_formed(text)
    # sizes in increasing order, whatever the order of the keys
    assert text.index("| 1,000 | 970 |") < text.index("| 10,000 | 9,700 |")
    assert "| 10,000 | 9,700 | 2,400,000 | 500.0 | 20.0 | 19.4 | 4,800 | 12.0 | 25.0 |" in text
    assert "| 1,000 | 200 | 590 | 1,175 | 1,380 | 201 / 591 | regroup |" in text
    assert "main process ×1.00, largest worker ×1.02, whole tree ×1.01: flat" in text
    assert '| `edges("Microsoft", "OpenAI")` | 12 / 12 | 10.0 / 20.0 | 10.0 / 40.0 | pass |' in text
    assert "| `top_edges(limit=20)` | 20 / 20 | 15.0 / 25.0 | 15.0 / 25.0 | — |" in text
    assert '| `entity("OpenAI")` | — / — | — | — | — |' in text
    assert 'Not timed: `entity("OpenAI")` at 1,000: E050' in text
    assert "1.5 s (1,000), 1.5 s (10,000)" in text
    assert "dedup`): 500 of 970 (1,000), 5,000 of 9,700 (10,000)." in text
    assert "The machine was idle" in text and "not idle" not in text
    assert "was not measured" not in text


def test_store_report_flags_targets_missed(store_report: ModuleType) -> None:
    text = store_report.render_store(_results(main=800.0, edges_p95=60.0, load=3.0))
    _assert_tables_well_formed(text)
    assert "**not flat**: main process, whole tree grew by more than ×1.25" in text
    assert "| 10.0 / 60.0 | **fail** (the median passes) |" in text
    assert "**The machine was not idle**" in text


def test_store_report_says_when_timeline_was_not_measured(store_report: ModuleType) -> None:
    results = _results()
    for run in results["runs"].values():
        del run["queries"]['timeline("Microsoft", "OpenAI", by="quarter")']
    text = store_report.render_store(results)
    assert "`timeline` was not measured" in text


def test_store_section_sits_above_the_marker_and_is_replaced(
    store_report: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "performance.md"
    path.write_text("# Performance\n\nfigures\n\n<!-- bench:end -->\n\nHand-written notes.\n")
    store_report.write_store_section(_results(), path)
    store_report.write_store_section(_results(main=400.0), path)
    text = path.read_text()
    assert text.startswith("# Performance\n\nfigures\n\n<!-- bench:store:start -->\n")
    assert text.count("## Store: ingest and queries") == 1 and "**not flat**" in text
    assert text.endswith("<!-- bench:store:end -->\n\n<!-- bench:end -->\n\nHand-written notes.\n")

    fresh = tmp_path / "new.md"
    store_report.write_store_section(_results(), fresh)
    assert fresh.read_text().startswith("<!-- bench:store:start -->\n## Store")
    assert fresh.read_text().endswith("<!-- bench:store:end -->\n\n<!-- bench:end -->\n")


def test_extraction_report_keeps_the_store_section(
    store_report: ModuleType,
    bench_module: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = bench_module("report")
    monkeypatch.setattr(report, "render", lambda results: f"# Performance\n\n{results}\n")
    path = tmp_path / "performance.md"
    path.write_text("stale figures\n\n<!-- bench:end -->\n\nHand-written notes.\n")
    store_report.write_store_section(_results(), path)
    report.write_report("new figures", path)
    report.write_report("newer figures", path)
    text = path.read_text()
    assert "stale figures" not in text and "new figures" not in text
    assert text.startswith("# Performance\n\nnewer figures\n\n<!-- bench:store:start -->")
    assert text.count("<!-- bench:store:start -->") == 1
    assert text.endswith("<!-- bench:store:end -->\n\n<!-- bench:end -->\n\nHand-written notes.\n")

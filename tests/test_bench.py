"""bench/run.py builds its corpus and bench/report.py its report as documented.

No model is loaded and nothing is timed: the report is rendered from made-up figures.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest


@pytest.fixture(scope="module")
def bench_run(bench_module: Any) -> ModuleType:
    return bench_module("run")


@pytest.fixture(scope="module")
def bench_report(bench_module: Any) -> ModuleType:
    return bench_module("report")


def test_corpus_replicates_the_dev_articles_to_the_target(bench_run: ModuleType) -> None:
    articles = bench_run.load_articles()
    corpus = bench_run.build_corpus(articles, target_words=30_000)

    words = sum(bench_run.count_words(a.text) for a in corpus)
    longest = max(a.words for a in articles)
    assert len(articles) == 45
    assert 30_000 <= words < 30_000 + longest
    assert {a.id.split("#")[0] for a in corpus} == {a.id for a in articles}
    assert len({a.id for a in corpus}) == len(corpus)
    texts = {a.id: a.text for a in articles}
    assert all(a.text == texts[a.id.split("#")[0]] for a in corpus)
    share = {
        lang: sum(a.words for a in corpus if a.lang == lang) / words for lang in ["fr", "en", "es"]
    }
    assert all(0.2 < s < 0.5 for s in share.values()), share


def test_small_target_gives_at_least_one_article(bench_run: ModuleType) -> None:
    articles = [bench_run.Article("en_01", "en", "one two three")]
    corpus = bench_run.build_corpus(articles, target_words=7)
    assert [a.id for a in corpus] == ["en_01", "en_01#2", "en_01#3"]


def test_batches_cut_consecutive_articles_by_words(bench_run: ModuleType) -> None:
    articles = [bench_run.Article(f"en_{i}", "en", "a b c") for i in range(5)]
    batches = bench_run._batches(articles, words=6)
    assert [[a.id for a in b] for b in batches] == [["en_0", "en_1"], ["en_2", "en_3"], ["en_4"]]


def _results(bench_run: ModuleType, *, load: float) -> dict[str, Any]:
    """Results shaped as ``run()`` returns them, with made-up seconds."""
    stages = {"language": 0.1, "parse": 6.0, "relations": 2.0, "tone": 0.9}
    timed = {"bare_s": 5.0, "bare_cpu_s": 4.0, "analyze_s": 10.0, "analyze_cpu_s": 8.0}
    timed |= {"many_s": 8.0, "many_cpu_s": 5.0, "analyze_claims": 7, "many_claims": 7}
    one = timed | {
        "model_load_s": {"fr": 1.0, "en": 0.5, "es": 0.5},
        "stages_s": stages,
        "stages_batched_s": stages | {"parse": 5.5},
        "peak_rss_mib": 800.0,
        "pss_mib": 790.0,
    }
    two = timed | {
        "worker_peak_rss_mib": [810.0, 812.0],
        "worker_pss_mib": [400.0, 401.0],
        "parent_pss_mib": 500.0,
    }
    words = 10_000
    return {
        "date": "2026-01-01T00:00:00+00:00",
        "machine": {"nproc": 2, "cpu": "test CPU", "python": "3.11", "spacy": "3.8"},
        "corpus": {
            "articles": 3,
            "texts": 9,
            "words": words,
            "words_by_lang": {"fr": 3000, "en": 3000, "es": 4000},
        },
        "runs": {
            "1": bench_run._rates(one, words) | one,
            "2": bench_run._rates(two, words) | two,
        },
        "stage_shares": {k: v / sum(stages.values()) for k, v in stages.items()},
        "stage_shares_batched": {k: 0.25 for k in stages},
        "batch_size": 32,
        "task_words": 3000,
        "repeat": 2,
        "load_average_before": load,
        "load_average_after": load,
        "bench_seconds": 60.0,
    }


def test_rates_and_ratios(bench_run: ModuleType) -> None:
    rates = bench_run._rates(
        {"bare_s": 5.0, "bare_cpu_s": 4.0, "analyze_s": 10.0, "analyze_cpu_s": 8.0}
        | {"many_s": 8.0, "many_cpu_s": 5.0},
        10_000,
    )
    assert rates["bare_wps"] == 2000 and rates["many_wps_cpu"] == 2000
    assert rates["analyze_ratio"] == pytest.approx(0.5)
    assert rates["many_ratio"] == pytest.approx(0.625)
    assert rates["many_ratio_cpu"] == pytest.approx(0.8)


def test_report_tables_are_well_formed(bench_run: ModuleType, bench_report: ModuleType) -> None:
    text = bench_report.render(_results(bench_run, load=0.1))
    table: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:  # every row of a table has as many cells as its header
            assert len({row.count("|") for row in table}) == 1, table
            table = []
    wall, cpu = text.split("CPU time (", 1)
    # words/s and ratios: 10,000 words in 5 s (bare), 10 s (analyze), 8 s (analyze_many)
    assert "| 2 | 2,000 | 1,000 | 1,250 | 0.50 (below target) | 0.62 (below target) |" in wall
    # and in 4, 8 and 5 CPU seconds
    assert "| 1 | 2,500 | 1,250 | 2,000 | 0.50 (below target) | 0.80 (below target) |" in cpu
    assert "analyze 7, analyze_many 7 (the same)" in text
    assert "The machine was idle" in text and "not idle" not in text
    assert "**The machine was not idle**" in bench_report.render(_results(bench_run, load=3.0))


def test_report_keeps_the_text_below_the_marker(
    bench_run: ModuleType, bench_report: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "performance.md"
    path.write_text("old figures\n\n<!-- bench:end -->\n\nHand-written notes.\n")
    bench_report.write_report(_results(bench_run, load=0.1), path)
    text = path.read_text()
    assert "old figures" not in text
    assert text.endswith("<!-- bench:end -->\n\nHand-written notes.\n")

"""bench/spark.py: its report (the Spark runs themselves are measured by `make bench`)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest


@pytest.fixture(scope="module")
def spark_bench(bench_module: Any) -> ModuleType:
    return bench_module("spark")


def _results(one: float, two: float) -> dict[str, Any]:
    def run(master: str, rate: float) -> dict[str, Any]:
        return {
            "master": master,
            "session_seconds": 5.2,
            "warm_up_seconds": 14.0,
            "seconds": 9700 / rate,
            "analysed": 9700,
            "per_second": rate,
        }

    return {
        "date": "2026-11-30T00:00:00+00:00",
        "machine": {"nproc": 2, "cpu": "test", "python": "3.11"},
        "pyspark": "4.3.0",
        "java": 17,
        "size": 10_000,
        "unique": 9_700,
        "runs": [run("local[1]", one), run("local[2]", two)],
        "ratio": two / one,
        "bench_seconds": 900.0,
    }


@pytest.mark.parametrize(("one", "two", "verdict"), [(20.0, 37.0, "pass"), (20.0, 30.0, "fail")])
def test_the_report_gives_the_ratio_against_the_goal(
    spark_bench: ModuleType, tmp_path: Path, one: float, two: float, verdict: str
) -> None:
    text = spark_bench.render(_results(one, two))
    assert f"**{two / one:.2f}**" in text and f"goal ≥ {spark_bench.GOAL}" in text
    assert verdict in text
    assert "| local[1] | 5.2 | 14.0 |" in text and "| local[2] |" in text
    report = tmp_path / "performance.md"
    report.write_text("# Performance\n\n<!-- bench:end -->\n")
    spark_bench.write_section("spark", text, report)
    assert report.read_text().count("<!-- bench:spark:start -->") == 1

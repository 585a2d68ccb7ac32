"""bench/web.py: the latency benchmark of the web app, on the mini store."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest


@pytest.fixture(scope="module")
def web(bench_module: Any) -> ModuleType:
    return bench_module("web")


def test_percentile_is_the_nearest_rank(web: ModuleType) -> None:
    values = [float(v) for v in range(1, 51)]
    assert web.percentile(values, 0.95) == 48.0
    assert web.percentile(values, 0.5) == 26.0
    assert web.percentile([7.0], 0.95) == 7.0


@pytest.mark.slow
def test_every_request_is_timed_and_rendered(
    web: ModuleType, mini_store_path: Path, tmp_path: Path
) -> None:
    measured = web.measure(mini_store_path, repeat=3)
    requests = measured["requests"]
    assert len(requests) == 12 and measured["counts"]["documents"] == 10
    for label, r in requests.items():
        assert r["n"] == 3 and 0 < r["median_ms"] <= r["p95_ms"], label
        assert r["bytes"] > 0
    assert [r["targeted"] for r in requests.values()].count(False) == 1  # the analysis only
    results = {
        "date": "2026-11-30T00:00:00+00:00",
        "machine": {"nproc": 2, "cpu": "test", "python": "3.11"},
        "repeat": 3,
        "bench_seconds": 1.0,
        "stores": [{"name": "mini", **measured}, {"name": "mini again", **measured}],
    }
    report = tmp_path / "performance.md"
    report.write_text("# Performance\n\n<!-- bench:end -->\n\nNotes.\n")
    web.write_section("web", web.render(results), report)
    text = report.read_text()
    assert text.count("<!-- bench:web:start -->") == 1 and text.endswith("Notes.\n")
    assert "| mini: median / p95 ms | mini again: median / p95 ms |" in text
    assert "| stats (`GET /api/stats`) |" in text and "| none |" in text
    assert "`GET /api/entities/{a}/graph`" in text and "`GET /document/{id}`" in text

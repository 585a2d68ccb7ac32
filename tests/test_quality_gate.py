"""The quality gate (STYLE.md rule 9): scores must not fall below eval/floors.json.

The dev set is scored per language (edge and claim F1), the seed overall (edge
F1, claim F1, linking accuracy). Floors are fractions 0–1, as
:class:`newsgraph.evaluate.Report` gives them. Re-pin them with
``python eval/report.py --pin-floors``; a floor only goes down in its own commit
that says why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsgraph.evaluate import Report, Scores, evaluate

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "eval" / "floors.json"
DEV_GOLD = [ROOT / "eval" / "dev" / f"gold.{lang}.jsonl" for lang in ("fr", "en", "es")]
DEV_ARTICLES = ROOT / "eval" / "dev" / "articles"
SEED = ROOT.parent / "shared" / "seed"


def load_floors() -> dict[str, Any]:
    return json.loads(FLOORS.read_text(encoding="utf-8"))


def value_of(scores: Scores, metric: str) -> float | None:
    """A floor's metric from the scores: edge_f1, claim_f1 or linking (0–1)."""
    if metric == "edge_f1":
        return scores.edges.f1
    if metric == "claim_f1":
        return scores.claims.f1
    if metric == "linking":
        return scores.linking.value
    raise KeyError(f"unknown metric {metric!r} in {FLOORS.name}")


def below_floors(
    corpus: str, report: Report, floors: dict[str, float], lang: str | None
) -> list[str]:
    """Messages for every metric of ``lang`` (None: overall) that is below its floor."""
    scores = report.overall if lang is None else report.by_lang.get(lang)
    where = f"{corpus} {lang or 'overall'}"
    if scores is None or scores.articles == 0:
        return [f"{where}: no article scored"]
    messages = []
    for metric, floor in floors.items():
        value = value_of(scores, metric)
        if value is None or value < floor:
            shown = "none" if value is None else f"{value:.4f}"
            messages.append(f"{where}: {metric} = {shown} is below its floor {floor:.2f}")
    return messages


def fail_if_any(messages: list[str]) -> None:
    if messages:
        pytest.fail(
            "quality gate: " + "; ".join(messages) + f" (floors in {FLOORS.relative_to(ROOT)}; "
            "lower a floor only on purpose, in its own commit that says why)",
            pytrace=False,
        )


def test_floors_file_is_well_formed() -> None:
    floors = load_floors()
    assert set(floors["dev"]) == {"fr", "en", "es"}
    for lang in ("fr", "en", "es"):
        assert set(floors["dev"][lang]) == {"edge_f1", "claim_f1"}
    assert set(floors["seed"]) == {"edge_f1", "claim_f1", "linking"}
    for value in [*floors["seed"].values()] + [
        v for metrics in floors["dev"].values() for v in metrics.values()
    ]:
        assert 0.0 <= value <= 1.0, "floors are fractions 0-1"


def test_dev_set_above_floors() -> None:
    floors = load_floors()["dev"]
    report = evaluate(DEV_GOLD, DEV_ARTICLES)
    assert not report.missing, f"dev articles missing: {report.missing}"
    messages = []
    for lang, metrics in floors.items():
        messages += below_floors("dev", report, metrics, lang)
    fail_if_any(messages)


def test_seed_above_floors() -> None:
    if not (SEED / "gold.jsonl").is_file():
        pytest.skip(f"no seed corpus at {SEED}")
    floors = load_floors()["seed"]
    report = evaluate([SEED / "gold.jsonl"], SEED)
    assert not report.missing, f"seed articles missing: {report.missing}"
    fail_if_any(below_floors("seed", report, floors, None))

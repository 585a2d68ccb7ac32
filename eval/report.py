"""Evaluate newsgraph on its three gold corpora and write the quality report.

Corpora (paths relative to the repository root):

- seed: ``../shared/seed/gold.jsonl`` with the articles in ``../shared/seed``;
- dev: ``eval/dev/gold.{fr,en,es}.jsonl`` with ``eval/dev/articles``;
- realnews: ``../shared/realnews/gold.jsonl`` with ``../shared/realnews/articles``.

A corpus whose gold file or articles folder is missing is skipped and the
report says so. Writes the Markdown report (``--output``, generated text above
``<!-- report:end -->``; what is below the marker is kept) and the raw numbers
(``--results``, default ``eval/results.json``). ``--pin-floors`` also rewrites
``eval/floors.json`` from this measurement: each floor is the measured score
minus 0.02, rounded down to two decimals (STYLE.md rule 9: commit a lowered
floor on its own, saying why).

Usage:
    .venv/bin/python eval/report.py --output docs/quality.md
    .venv/bin/python eval/report.py --output docs/quality.md --pin-floors
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "eval" / "floors.json"
RESULTS = ROOT / "eval" / "results.json"
MARKER = "<!-- report:end -->"
LANGS = ("fr", "en", "es")
MARGIN = 0.02

if str(ROOT / "src") not in sys.path:  # run from a checkout without an install
    sys.path.insert(0, str(ROOT / "src"))


@dataclass
class Corpus:
    """A gold corpus: gold files and the folder of ``<id>.txt`` articles."""

    name: str
    gold: list[str]
    articles: str
    per_relation: bool = False

    def missing(self) -> list[str]:
        """The gold files and folders that do not exist (paths as written)."""
        paths = [*self.gold, self.articles]
        return [p for p in paths if not (ROOT / p).exists()]


CORPORA = [
    Corpus("seed", ["../shared/seed/gold.jsonl"], "../shared/seed"),
    Corpus(
        "dev",
        [f"eval/dev/gold.{lang}.jsonl" for lang in LANGS],
        "eval/dev/articles",
        per_relation=True,
    ),
    Corpus(
        "realnews",
        ["../shared/realnews/gold.jsonl"],
        "../shared/realnews/articles",
        per_relation=True,
    ),
]


@dataclass
class Target:
    """A goal from the issue: ``metric`` of ``corpus`` (one language or "all") ≥ ``goal``."""

    corpus: str
    lang: str
    metric: str
    goal: float


TARGETS = [
    Target("seed", "all", "edge_f1", 0.85),
    Target("seed", "all", "claim_f1", 0.70),
    Target("seed", "all", "linking", 0.85),
    *(Target("dev", lang, "edge_f1", 0.75) for lang in LANGS),
    Target("realnews", "all", "edge_f1", 0.60),
]

METRIC_LABELS = {"edge_f1": "edge F1", "claim_f1": "claim F1", "linking": "linking accuracy"}


@dataclass
class Measurement:
    """The outcome of one corpus: its report as a dict, or why it was skipped."""

    corpus: Corpus
    report: dict[str, Any] | None = None
    skipped: str | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- measuring -------------------------------------------------------------------


def measure(corpus: Corpus, *, kb: Any = None) -> Measurement:
    """Run :func:`newsgraph.evaluate.evaluate` on one corpus (skipped when missing)."""
    from newsgraph.errors import NewsgraphError
    from newsgraph.evaluate import evaluate

    missing = corpus.missing()
    if missing:
        return Measurement(corpus, skipped="missing: " + ", ".join(f"`{p}`" for p in missing))
    result = Measurement(corpus)

    def note(doc_id: str, error: NewsgraphError) -> None:
        result.problems.append(f"{doc_id}: {error.describe()}")

    started = time.perf_counter()
    report = evaluate(
        [ROOT / p for p in corpus.gold], ROOT / corpus.articles, kb=kb, on_problem=note
    )
    result.seconds = time.perf_counter() - started
    result.report = report.to_dict()
    return result


def metric(scores: dict[str, Any], name: str) -> float | None:
    """``edge_f1``, ``claim_f1`` or ``linking`` (fractions 0–1) of a ``Scores.to_dict()``."""
    if name == "edge_f1":
        return float(scores["edges"]["f1"])
    if name == "claim_f1":
        return float(scores["claims"]["f1"])
    if name == "linking":
        value = scores["linking"]["accuracy"]
        return None if value is None else float(value)
    raise KeyError(name)


def scores_of(report: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """The scores of one language, or overall for "all"."""
    return report["overall"] if lang == "all" else report["by_lang"].get(lang)


# --- floors ----------------------------------------------------------------------


def floor_of(value: float) -> float:
    """The measured value minus 0.02, rounded down to two decimals (never below 0)."""
    # round() first so that 0.87 - 0.02 = 0.8499999… does not become 0.84.
    return max(0.0, math.floor(round((value - MARGIN) * 100, 6)) / 100)


def pinned_floors(measurements: dict[str, Measurement]) -> dict[str, Any]:
    """The floors file for this measurement (dev per language; seed overall)."""
    floors: dict[str, Any] = {
        "_comment": (
            "Quality gate (STYLE.md rule 9), checked by tests/test_quality_gate.py. "
            "Scores are fractions 0-1 as newsgraph.evaluate.Report gives them: "
            "edge_f1 = Report edges.f1, claim_f1 = claims.f1, linking = linking accuracy. "
            "dev floors are per language, seed floors are overall. Pinned by "
            "`python eval/report.py --pin-floors` at measured - 0.02, rounded down. "
            "Lower a floor only on purpose, in its own commit that says why."
        ),
    }
    dev = measurements.get("dev")
    if dev and dev.report:
        floors["dev"] = {}
        for lang in LANGS:
            scores = scores_of(dev.report, lang)
            if scores is None:
                continue
            floors["dev"][lang] = {
                name: floor_of(metric(scores, name) or 0.0) for name in ("edge_f1", "claim_f1")
            }
    seed = measurements.get("seed")
    if seed and seed.report:
        scores = seed.report["overall"]
        floors["seed"] = {
            name: floor_of(value)
            for name in ("edge_f1", "claim_f1", "linking")
            if (value := metric(scores, name)) is not None
        }
    return floors


def check_floors(
    measurements: dict[str, Measurement], floors: dict[str, Any]
) -> list[tuple[str, str, str, float | None, float, bool]]:
    """(corpus, lang, metric, value, floor, ok) for every floor of a measured corpus."""
    rows = []
    for corpus, by_key in floors.items():
        if corpus.startswith("_") or corpus not in measurements:
            continue
        report = measurements[corpus].report
        if report is None:
            continue
        # dev: {lang: {metric: floor}}; seed: {metric: floor} (overall).
        groups = by_key.items() if corpus == "dev" else [("all", by_key)]
        for lang, metrics in groups:
            scores = scores_of(report, lang)
            for name, floor in metrics.items():
                value = None if scores is None else metric(scores, name)
                ok = value is not None and value >= floor
                rows.append((corpus, lang, name, value, float(floor), ok))
    return rows


# --- rendering -------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _ratio(ratio: dict[str, Any]) -> str:
    if not ratio["total"]:
        return "–"
    return f"{100 * ratio['accuracy']:.1f} ({ratio['correct']}/{ratio['total']})"


def git_commit() -> str:
    """The short commit hash, with "+ uncommitted changes" when the tree is dirty."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} + uncommitted changes" if dirty else head


def render(
    measurements: dict[str, Measurement],
    floors: dict[str, Any],
    *,
    date: str,
    commit: str,
) -> str:
    """The generated Markdown (everything above the marker)."""
    out = [
        "# Quality",
        "",
        "<!-- Generated by `make eval` (eval/report.py); edit below the report:end marker. -->",
        "",
        f"Measured {date} on commit `{commit}`. Scores in %, micro-averaged over the",
        'articles of each language (ONTOLOGY.md, "Gold files and scoring"); raw numbers in',
        "`eval/results.json`.",
        "",
        "## Scores",
        "",
        "| corpus | lang | articles | edge P | edge R | edge F1 | claim P | claim R | claim F1 "
        "| amount acc | linking acc |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, m in measurements.items():
        if m.report is None:
            out.append(f"| {name} | – | skipped ({m.skipped}) |  |  |  |  |  |  |  |  |")
            continue
        langs = [lang for lang in LANGS if lang in m.report["by_lang"]]
        langs += sorted(set(m.report["by_lang"]) - set(langs))
        rows = [(lang, m.report["by_lang"][lang]) for lang in langs]
        rows.append(("all", m.report["overall"]))
        for lang, s in rows:
            e, c = s["edges"], s["claims"]
            label = f"**{lang}**" if lang == "all" else lang
            out.append(
                f"| {name} | {label} | {s['articles']} | {_pct(e['precision'])} "
                f"| {_pct(e['recall'])} | {_pct(e['f1'])} | {_pct(c['precision'])} "
                f"| {_pct(c['recall'])} | {_pct(c['f1'])} | {_ratio(s['amounts'])} "
                f"| {_ratio(s['linking'])} |"
            )
    out.append("")
    for name, m in measurements.items():
        notes = []
        if m.report is not None:
            if m.report["missing"]:
                notes.append("not scored (no article): " + ", ".join(m.report["missing"]))
            if m.report["failed"]:
                notes.append("analysis failed: " + ", ".join(sorted(m.report["failed"])))
            notes += m.problems
        for note in dict.fromkeys(notes):
            out.append(f"- {name}: {note}")
        if notes:
            out.append("")

    out += [
        "## Targets",
        "",
        "| corpus | lang | metric | target | measured | status |",
        "|---|---|---|--:|--:|---|",
    ]
    for t in TARGETS:
        target_of = measurements.get(t.corpus)
        report = target_of.report if target_of else None
        scores = scores_of(report, t.lang) if report else None
        value = None if scores is None else metric(scores, t.metric)
        if report is None:
            status = "not measured (corpus skipped)"
        elif value is None:
            status = "not measured"
        else:
            status = "met" if value >= t.goal else "**not met**"
        out.append(
            f"| {t.corpus} | {t.lang} | {METRIC_LABELS[t.metric]} | ≥ {_pct(t.goal)} "
            f"| {_pct(value)} | {status} |"
        )
    out.append("")

    checks = check_floors(measurements, floors)
    out += [
        "## Quality gate",
        "",
        "Floors pinned in `eval/floors.json`, checked by `tests/test_quality_gate.py` "
        "(STYLE.md rule 9).",
        "",
    ]
    if checks:
        out += [
            "| corpus | lang | metric | floor | measured | status |",
            "|---|---|---|--:|--:|---|",
        ]
        for corpus, lang, name, value, floor, ok in checks:
            out.append(
                f"| {corpus} | {lang} | {METRIC_LABELS.get(name, name)} | {_pct(floor)} "
                f"| {_pct(value)} | {'ok' if ok else '**below floor**'} |"
            )
    else:
        out.append("No floors pinned yet (`python eval/report.py --pin-floors`).")
    out.append("")

    for name, m in measurements.items():
        if not m.corpus.per_relation or m.report is None:
            continue
        out += [
            f"## Edges by relation: {name}",
            "",
            "| relation | TP | FP | FN | P | R | F1 |",
            "|---|--:|--:|--:|--:|--:|--:|",
        ]
        for relation, c in sorted(m.report["by_relation"].items()):
            out.append(
                f"| {relation} | {c['tp']} | {c['fp']} | {c['fn']} | {_pct(c['precision'])} "
                f"| {_pct(c['recall'])} | {_pct(c['f1'])} |"
            )
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def write_report(path: Path, generated: str) -> None:
    """Write ``generated`` above the marker, keeping the hand-written text below it."""
    tail = f"{MARKER}\n"
    if path.exists():
        old = path.read_text(encoding="utf-8")
        at = old.find(MARKER)
        if at >= 0:
            tail = old[at:]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generated + "\n" + tail, encoding="utf-8")


def results_json(
    measurements: dict[str, Measurement], floors: dict[str, Any], *, date: str, commit: str
) -> dict[str, Any]:
    """The raw numbers: each corpus's ``Report.to_dict()``, targets and floor checks."""
    corpora: dict[str, Any] = {}
    for name, m in measurements.items():
        if m.report is None:
            corpora[name] = {"skipped": m.skipped}
        else:
            corpora[name] = {
                "gold": m.corpus.gold,
                "articles_dir": m.corpus.articles,
                "seconds": round(m.seconds, 1),
                "problems": m.problems,
                **m.report,
            }
    targets = []
    for t in TARGETS:
        target_of = measurements.get(t.corpus)
        report = target_of.report if target_of else None
        scores = scores_of(report, t.lang) if report else None
        value = None if scores is None else metric(scores, t.metric)
        targets.append(
            {
                "corpus": t.corpus,
                "lang": t.lang,
                "metric": t.metric,
                "target": t.goal,
                "value": value,
                "met": None if value is None else value >= t.goal,
            }
        )
    gate = [
        {"corpus": c, "lang": lang, "metric": n, "value": v, "floor": f, "ok": ok}
        for c, lang, n, v, f, ok in check_floors(measurements, floors)
    ]
    return {
        "date": date,
        "commit": commit,
        "scale": "fractions 0-1",
        "corpora": corpora,
        "targets": targets,
        "floors": gate,
    }


# --- command line ----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output", type=Path, default=ROOT / "docs" / "quality.md", help="Markdown report"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="raw numbers (JSON)")
    parser.add_argument(
        "--pin-floors",
        action="store_true",
        help=f"rewrite {FLOORS.relative_to(ROOT)} from this measurement (measured - 0.02)",
    )
    args = parser.parse_args(argv)

    from newsgraph.kb import KnowledgeBase

    kb = KnowledgeBase.default()
    measurements: dict[str, Measurement] = {}
    for corpus in CORPORA:
        m = measure(corpus, kb=kb)
        measurements[corpus.name] = m
        if m.report is None:
            print(f"{corpus.name}: skipped ({m.skipped})", file=sys.stderr)
        else:
            o = m.report["overall"]
            print(
                f"{corpus.name}: {o['articles']} articles, edge F1 {_pct(o['edges']['f1'])}, "
                f"claim F1 {_pct(o['claims']['f1'])} ({m.seconds:.0f} s)",
                file=sys.stderr,
            )

    if args.pin_floors:
        for needed in ("dev", "seed"):
            if measurements[needed].report is None:
                print(f"warning: {needed} not measured, it gets no floors", file=sys.stderr)
        new = pinned_floors(measurements)
        FLOORS.write_text(json.dumps(new, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"pinned {FLOORS.relative_to(ROOT)}", file=sys.stderr)
    floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}

    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    commit = git_commit()
    write_report(args.output, render(measurements, floors, date=date, commit=commit))
    args.results.write_text(
        json.dumps(results_json(measurements, floors, date=date, commit=commit), indent=2) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.output} and {args.results}", file=sys.stderr)
    below = [c for c in check_floors(measurements, floors) if not c[5]]
    for corpus_name, lang, name, value, floor, _ in below:
        print(
            f"below floor: {corpus_name} {lang} {name} = {value} < {floor}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

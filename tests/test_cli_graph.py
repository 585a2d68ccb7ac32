"""The graph commands on the mini-corpus store: formats, exit codes, clear errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from newsgraph.cli import main

pytestmark = pytest.mark.slow


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_entity_by_alias_in_three_formats(
    mini_store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(mini_store_path)
    code, out, _ = run(capsys, "entity", "open ai", "--db", db, "--format", "json")
    assert code == 0
    found = json.loads(out)
    assert (found["id"], found["name"], found["qid"]) == ("Q21708200", "OpenAI", "Q21708200")
    assert "INVESTS_IN" in found["edges"]
    code, out, _ = run(capsys, "entity", "OPENAI", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and {"subject_name", "relation", "object_name", "n_stories"} <= set(rows[0])
    code, out, _ = run(capsys, "entity", "OpenAI", "--db", db)
    assert code == 0 and "OpenAI (ORG, Q21708200)" in out and "INVESTS_IN" in out


def test_edges_between_lists_claims_with_evidence(
    mini_store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "edges", "--between", "Microsoft", "OpenAI", "--db", str(mini_store_path),
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    claims = json.loads(out)
    invest = [c for c in claims if c["relation"] == "INVESTS_IN"]
    assert invest and invest[0]["amount"] == {"value": 1_000_000_000, "currency": "USD"}
    assert invest[0]["evidence"]["sentence"] and invest[0]["date"].startswith("2019-07")
    assert {c["modality"] for c in claims} >= {"asserted", "speculative"}
    dates = [c["date"] for c in claims]
    assert dates == sorted(dates)


def test_edges_between_pages_and_filters_by_relation(
    mini_store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(mini_store_path)
    args = ["edges", "--between", "Microsoft", "OpenAI", "--db", db, "--format", "json"]
    code, out, _ = run(capsys, *args, "--limit", "0")
    every = json.loads(out)
    code, out, err = run(capsys, *args, "--limit", "2")
    assert code == 0 and json.loads(out) == every[:2] and len(every) > 2
    assert f"showing the first 2 of {len(every)} claims" in err
    code, out, _ = run(capsys, *args, "--relation", "INVESTS_IN")
    assert {c["relation"] for c in json.loads(out)} == {"INVESTS_IN"}


def test_top_edges_and_claims_filters(
    mini_store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(mini_store_path)
    code, out, _ = run(capsys, "edges", "--top", "3", "--db", db, "--format", "json")
    assert code == 0 and len(json.loads(out)) == 3
    code, out, _ = run(
        capsys, "claims", "--modality", "speculative", "--db", db, "--format", "json"
    )
    claims = json.loads(out)
    assert code == 0 and claims and {c["modality"] for c in claims} == {"speculative"}
    code, out, _ = run(
        capsys, "claims", "--relation", "INVESTS_IN", "--since", "2023-01-01", "--db", db,
        "--format", "csv",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows
    assert all(r["relation"] == "INVESTS_IN" and r["date"] >= "2023-01-01" for r in rows)
    assert "evidence.sentence" in rows[0]


def test_timeline_and_dependencies(
    mini_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(mini_store_path)
    plot = tmp_path / "ms_openai.png"
    code, out, err = run(
        capsys, "timeline", "Microsoft", "OpenAI", "--by", "year", "--db", db,
        "--format", "json", "--plot", str(plot),
    )  # fmt: skip
    assert code == 0, err
    periods = json.loads(out)["periods"]
    assert periods[0]["period"].startswith("2019") and periods[-1]["period"].startswith("2025")
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, out, err = run(capsys, "timeline", "Microsoft", "OpenAI", "--db", db)
    assert code == 0 and "2019" in out, err
    code, out, err = run(capsys, "dependencies", "OpenAI", "--db", db, "--format", "json")
    assert code == 0, err
    names = {p["name"] for p in json.loads(out)["suppliers"]}
    assert {"Oracle", "Nvidia"} <= names
    code, out, err = run(capsys, "dependencies", "OpenAI", "--db", db)
    assert code == 0 and "Oracle" in out, err


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "graphml", "turtle", "csv"])
def test_export_every_format(
    fmt: str, mini_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"graph.{fmt}"
    code, _, err = run(
        capsys, "export", "--format", fmt, "-o", str(out), "--db", str(mini_store_path)
    )
    assert code == 0, err
    assert out.exists() and f"wrote {out}" in err


def test_unknown_entity_suggests_names(
    mini_store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "entity", "Microsft", "--db", str(mini_store_path))
    assert code == 3
    assert "error E020: no entity named 'Microsft'" in err and "did you mean Microsoft" in err


def test_queries_on_a_missing_store_say_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.duckdb"
    for args in (["entity", "OpenAI"], ["edges", "--top", "3"], ["export", "--format", "jsonl",
                 "-o", str(tmp_path / "x.jsonl")]):  # fmt: skip
        code, _, err = run(capsys, *args, "--db", str(missing))
        assert code == 3 and "error E021" in err and "newsgraph ingest" in err
    assert not missing.exists()


def test_ingest_command_summary_and_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2024-05-02_en_a.txt").write_text("Apple sued Qualcomm over modem royalties.\n")
    (folder / "bad.jsonl").write_text('{"id": "x"}\n')
    db = str(tmp_path / "g.duckdb")
    code, out, err = run(capsys, "ingest", str(folder), "--db", db, "--processes", "1",
                         "--format", "json")  # fmt: skip
    assert code == 1, err
    summary = json.loads(out)
    assert summary["analysed"] == 1 and summary["skipped"][0]["code"] == "E013"
    assert "bad.jsonl:1" in err
    code, _, err = run(capsys, "ingest", str(folder / "2024-05-02_en_a.txt"), "--db", db,
                       "--processes", "1")  # fmt: skip
    assert code == 0 and "already stored 1" in err
    code, _, err = run(capsys, "ingest", str(tmp_path / "nothing"), "--db", db)
    assert code == 3 and "E007" in err
    fresh = tmp_path / "fresh.duckdb"
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "ingest", str(tmp_path / "empty"), "--db", str(fresh))
    assert code == 3 and "error E011: no article file found" in err
    assert not fresh.exists(), "a mistyped path leaves no empty store behind"

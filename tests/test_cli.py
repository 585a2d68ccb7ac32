"""The newsgraph command: help texts, exit codes, batches, error lines.

Tests marked ``slow`` run the real pipeline with its spaCy models.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.cli import build_parser, main

SRC = Path(__file__).resolve().parents[1] / "src"
FR = "Microsoft a investi 13 milliards de dollars dans OpenAI, a annoncé la société."
EN = "Microsoft invested $13bn in OpenAI, the company said on Tuesday."
ES = "Microsoft invirtió 13.000 millones de dólares en OpenAI."


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m newsgraph.cli`` as a user would."""
    environ = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "newsgraph.cli", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=600,
    )


# --- help and usage --------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["analyze"], ["eval"]])
def test_every_command_has_help_with_an_example(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert "newsgraph " + (command[0] if command else "analyze") in out


def test_every_subcommand_is_documented() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.choices and "analyze" in a.choices)
    for name, sub in subparsers.choices.items():
        assert sub.epilog and "examples:" in sub.epilog, name
        assert f"newsgraph {name}" in sub.epilog
        assert sub.description


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("newsgraph ")


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--bogus", "a.txt"]) == 2
    assert "usage:" in capsys.readouterr().err


@pytest.mark.parametrize("date", ["17/06/2025", "2025-13-01", "2025-02-30", "2025-6-1", "soon"])
def test_bad_published_date(date: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "x.txt", "--published", date]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsgraph: error E009: ")
    assert "YYYY-MM-DD" in err
    assert "Traceback" not in err


# --- analyze, with a fake pipeline -------------------------------------------------


@pytest.mark.usefixtures("fake_pipeline")
def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["analyze", str(missing)]) == 3
    err = capsys.readouterr().err
    assert f"newsgraph: error E007: {missing}: no such file" in err
    assert "0 analysed, 1 failed" in err


@pytest.mark.usefixtures("fake_pipeline")
def test_batch_with_one_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "01_fr.txt").write_text(FR, encoding="utf-8")
    (tmp_path / "02_empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "03_en.txt").write_text(EN, encoding="utf-8")
    assert main(["analyze", str(tmp_path), "--format", "jsonl"]) == 1
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [d["id"] for d in lines] == ["01_fr", "03_en"]
    assert lines[0]["claims"][0]["relation"] == "INVESTS_IN"
    assert "newsgraph: error E001: " in captured.err and "02_empty.txt" in captured.err
    assert "2 analysed, 1 failed" in captured.err


@pytest.mark.usefixtures("fake_pipeline")
def test_all_inputs_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "b.txt").write_text("")
    assert main(["analyze", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 3
    err = capsys.readouterr().err
    assert "E002" in err and "E001" in err and "0 analysed, 2 failed" in err


@pytest.mark.usefixtures("fake_pipeline")
def test_pipeline_error_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(EN)
    assert main(["analyze", str(tmp_path / "a.txt"), "--lang", "xx"]) == 3
    err = capsys.readouterr().err
    assert f"newsgraph: error E005: {tmp_path / 'a.txt'}: language 'xx'" in err


@pytest.mark.usefixtures("fake_pipeline")
def test_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(tmp_path)]) == 3
    assert "newsgraph: error E011: no .txt file found" in capsys.readouterr().err


@pytest.mark.usefixtures("fake_pipeline")
def test_table_output_and_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(FR.encode("cp1252")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["analyze", "-", "--published", "2025-06-17"]) == 0
    captured = capsys.readouterr()
    assert "stdin" in captured.out
    assert "INVESTS_IN" in captured.out and "Microsoft" in captured.out
    # The reader's encoding warning reaches the user.
    assert "W004" in captured.err and "1 analysed, 0 failed" in captured.err


@pytest.mark.usefixtures("fake_pipeline")
def test_jsonl_keeps_reader_warnings_and_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_bytes(FR.encode("latin-1"))
    assert (
        main(["analyze", str(tmp_path / "a.txt"), "--format", "jsonl", "--published", "2024-02-29"])
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["published"] == "2024-02-29"
    assert doc["warnings"][0].startswith("W004")


@pytest.mark.usefixtures("fake_pipeline")
def test_unexpected_exception_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(sys.modules["newsgraph.pipeline"], "analyze", broken)
    (tmp_path / "a.txt").write_text(EN)
    assert main(["analyze", str(tmp_path / "a.txt")]) == 70
    err = capsys.readouterr().err
    assert "internal error (RuntimeError: boom)" in err and "NEWSGRAPH_DEBUG" in err
    assert "Traceback" not in err
    monkeypatch.setenv("NEWSGRAPH_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["analyze", str(tmp_path / "a.txt")])


# --- eval, with a fake pipeline ----------------------------------------------------


def _gold_files(tmp_path: Path) -> tuple[Path, Path]:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a1.txt").write_text(FR, encoding="utf-8")
    record = {
        "id": "a1",
        "lang": "fr",
        "published": None,
        "entities": [
            {"name": "Microsoft", "type": "ORG", "mentions": ["Microsoft"]},
            {"name": "OpenAI", "type": "ORG", "mentions": ["OpenAI"]},
        ],
        "facts": [
            {
                "subject": "Microsoft",
                "relation": "INVESTS_IN",
                "object": "OpenAI",
                "modality": "asserted",
                "amount": {"value": 13e9, "currency": "USD"},
            }
        ],
    }
    missing = {**record, "id": "a2", "lang": "en"}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record) + "\n" + json.dumps(missing) + "\n", encoding="utf-8")
    return gold, articles


@pytest.mark.usefixtures("fake_pipeline")
def test_eval_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    gold, articles = _gold_files(tmp_path)
    assert main(["eval", str(gold), "--articles", str(articles), "--details"]) == 1
    captured = capsys.readouterr()
    assert "edge F1" in captured.out and "100.0" in captured.out
    assert "E007" in captured.err and "a2.txt: no such file" in captured.err
    assert "1 article(s) scored" in captured.err and "1 missing" in captured.err


@pytest.mark.usefixtures("fake_pipeline")
def test_eval_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold, articles = _gold_files(tmp_path)
    assert main(["eval", str(gold), "--articles", str(articles), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["edges"]["f1"] == 1.0
    assert data["by_lang"]["fr"]["articles"] == 1
    assert data["missing"] == ["a2"]


@pytest.mark.usefixtures("fake_pipeline")
def test_eval_malformed_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a1", "lang": "fr"}\n', encoding="utf-8")
    assert main(["eval", str(gold), "--articles", str(tmp_path)]) == 4
    err = capsys.readouterr().err
    assert err.startswith(f"newsgraph: error E008: {gold}:1: malformed gold record")


@pytest.mark.usefixtures("fake_pipeline")
def test_eval_missing_articles_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold, _ = _gold_files(tmp_path)
    assert main(["eval", str(gold), "--articles", str(tmp_path / "nope")]) == 3
    assert "E007" in capsys.readouterr().err


def test_eval_requires_articles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "gold.jsonl"]) == 2
    assert "--articles" in capsys.readouterr().err


# --- as a process --------------------------------------------------------------------


def test_process_help_and_errors_have_no_traceback(tmp_path: Path) -> None:
    done = run("analyze", "--help")
    assert done.returncode == 0 and "examples:" in done.stdout
    done = run("analyze", str(tmp_path / "missing.txt"), "--published", "yesterday")
    assert done.returncode == 2
    assert done.stderr.startswith("newsgraph: error E009: ")
    assert "Traceback" not in done.stderr


# --- with the real pipeline ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text"), [("fr", FR), ("en", EN), ("es", ES)])
def test_real_pipeline_jsonl(lang: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / f"{lang}.txt"
    path.write_text(text, encoding="utf-8")
    done = run("analyze", str(path), "--format", "jsonl", "--lang", lang)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["id"] == lang and doc["lang"] == lang
    names = {e["id"]: e["name"] for e in doc["entities"]}
    triples = {(names[c["subject"]], c["relation"], names[c["object"]]) for c in doc["claims"]}
    assert ("Microsoft", "INVESTS_IN", "OpenAI") in triples
    claim = next(c for c in doc["claims"] if c["relation"] == "INVESTS_IN")
    assert claim["amount"]["value"] == 13_000_000_000
    assert claim["amount"]["currency"] == "USD"
    assert claim["modality"] == "asserted"


@pytest.mark.slow
def test_real_pipeline_batch_table(tmp_path: Path) -> None:
    for lang, text in (("fr", FR), ("en", EN), ("es", ES)):
        (tmp_path / f"{lang}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "zz_bad.txt").write_bytes(b"\x00\x00")
    done = run("analyze", str(tmp_path))
    assert done.returncode == 1, done.stderr
    assert "INVESTS_IN" in done.stdout
    assert "3 analysed, 1 failed" in done.stderr
    assert "E002" in done.stderr


@pytest.mark.slow
def test_real_pipeline_detects_language_and_reports_speculation(tmp_path: Path) -> None:
    path = tmp_path / "spec.txt"
    path.write_text(
        "Selon Le Figaro, Microsoft envisagerait de racheter Activision Blizzard "
        "pour 69 milliards de dollars.",
        encoding="utf-8",
    )
    done = run("analyze", str(path), "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["lang"] == "fr"
    acquires = [c for c in doc["claims"] if c["relation"] == "ACQUIRES"]
    assert acquires and acquires[0]["modality"] == "speculative"


@pytest.mark.slow
def test_real_eval_on_seed(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[1].parent / "shared" / "seed"
    if not (seed / "gold.jsonl").exists():
        pytest.skip("no seed corpus on this machine")
    done = run("eval", str(seed / "gold.jsonl"), "--articles", str(seed), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["overall"]["articles"] == 1


def test_date_in_file_name() -> None:
    from newsgraph.cli import date_in_name

    assert date_in_name("2023-03-16_en_microsoft_openai") == "2023-03-16"
    assert date_in_name("2023-02-30_fr_x") is None
    assert date_in_name("fr_01_nvidia") is None

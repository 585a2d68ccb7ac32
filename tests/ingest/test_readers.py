"""The input readers of ``newsgraph ingest``: text, JSONL, folders, paths, streaming.

Every fixture is written by the test itself; the article sentences are invented.
"""

from __future__ import annotations

import inspect
import io
import json
import os
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsgraph.ingest
from newsgraph.ingest import RawArticle, Skipped, iter_articles
from newsgraph.ingest import readers as readers_module
from newsgraph.ingest import records as records_module
from newsgraph.ingest.records import date_in_name, iso_date, lang_code, url_slug

from .builders import EN, EN2, ES, FR, articles, page, read, skipped, write_jsonl

# --- the package ---------------------------------------------------------------------------


def test_exported_names() -> None:
    assert newsgraph.ingest.__all__ == ["RawArticle", "Skipped", "iter_articles"]


def test_iter_articles_is_lazy(tmp_path: Path) -> None:
    items = iter_articles([tmp_path / "missing.txt"])
    assert inspect.isgenerator(items)
    assert next(items).code == "E007"


# --- .txt ----------------------------------------------------------------------------------


def test_txt_with_date_in_name(tmp_path: Path) -> None:
    path = tmp_path / "2023-03-16_en_airbus.txt"
    path.write_text(EN + "\n", encoding="utf-8")
    [art] = read(path)
    assert art == RawArticle(
        text=EN + "\n", name="2023-03-16_en_airbus", location=str(path), published="2023-03-16"
    )


def test_txt_in_cp1252_warns(tmp_path: Path) -> None:
    path = tmp_path / "renault.txt"
    path.write_bytes(FR.encode("cp1252"))
    [art] = read(path)
    assert isinstance(art, RawArticle)
    assert art.text == FR and art.published is None
    assert art.warnings and art.warnings[0].startswith("W004")


def test_empty_txt_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    [item] = read(path)
    assert item == Skipped(str(path), "E001", item.message)
    assert item.message.startswith(f"error E001: {path}:")


def test_date_in_name() -> None:
    assert date_in_name("2024-02-29_fr_x") == "2024-02-29"
    assert date_in_name("2023-02-29_fr_x") is None
    assert date_in_name("x_2024-02-01") is None
    assert date_in_name("2024-02-01") == "2024-02-01"


def test_small_helpers() -> None:
    assert iso_date("2024-03-05") == "2024-03-05"
    assert iso_date("2024-03-05T23:30:00-05:00") == "2024-03-05"
    assert iso_date("2024-03-05 10:00:00Z") == "2024-03-05"
    assert iso_date("5 March 2024") is None and iso_date("2024-13-01") is None
    assert lang_code("FR") == "fr" and lang_code("es-MX") == "es" and lang_code("fra") is None
    assert url_slug("https://www.elpais.com/economia/2024/telefonica.html?x=1") == (
        "elpais-com-economia-2024-telefonica"
    )
    assert url_slug("not a url") == "not-a-url"
    assert url_slug("") is None


# --- JSONL ---------------------------------------------------------------------------------


def test_jsonl_records(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {
                "id": "lesechos-1",
                "title": "Renault et Nissan",
                "text": FR,
                "published": "2024-03-05T08:15:00+01:00",
                "url": "https://www.lesechos.fr/renault",
                "lang": "FR",
                "source": "Les Echos",
                "extra": [1, 2],
            },
            "",
            {"id": 42, "text": ES},
            {"id": "html-1", "html": page("Telefónica vende", [ES])},
        ],
    )
    first, second, third = read(path)
    assert first == RawArticle(
        text=f"Renault et Nissan\n\n{FR}",
        name="lesechos-1",
        location=f"{path}:1",
        title="Renault et Nissan",
        published="2024-03-05",
        url="https://www.lesechos.fr/renault",
        lang="fr",
        site="Les Echos",
    )
    assert second == RawArticle(text=ES, name="42", location=f"{path}:3")
    assert isinstance(third, RawArticle)
    assert third.location == f"{path}:4" and third.title == "Telefónica vende"
    assert third.text == f"Telefónica vende\n\n{ES}"


def test_bad_json_line_is_reported_and_the_others_read(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "news.jsonl",
        [{"id": "a", "text": EN}, '{"id": "b", "text": ', {"id": "c", "text": FR}],
    )
    items = read(path)
    assert [type(i).__name__ for i in items] == ["RawArticle", "Skipped", "RawArticle"]
    bad = items[1]
    assert isinstance(bad, Skipped)
    assert (bad.location, bad.code) == (f"{path}:2", "E013")
    assert bad.message.startswith(f"error E013: {path}:2: invalid JSON line (")
    assert [a.name for a in articles(items)] == ["a", "c"]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"text": EN}, "missing key 'id'"),
        ({"id": "x"}, "neither 'text' nor 'html'"),
        ({"id": "x", "text": EN, "published": "05/03/2024"}, "invalid date '05/03/2024'"),
        ({"id": "x", "text": EN, "lang": "english"}, "invalid 'lang' 'english'"),
        ({"id": "x", "text": 3}, "'text' must be a string, not int"),
        ({"id": True, "text": EN}, "'id' must be a non-empty string"),
        ([1, 2], "a JSON list where an object was expected"),
    ],
)
def test_invalid_jsonl_records(tmp_path: Path, record: object, reason: str) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [record])
    [item] = read(path)
    assert isinstance(item, Skipped) and item.code == "E013"
    assert f"{path}:1: invalid JSON line ({reason}" in item.message


def test_jsonl_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(json.dumps({"id": "x", "text": "é"}, ensure_ascii=False).encode("latin-1"))
    [item] = read(path)
    assert isinstance(item, Skipped) and "not UTF-8: byte 0xe9" in item.message


def test_jsonl_html_without_text(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "html": "<html><body></body></html>"}])
    [item] = read(path)
    assert (item.location, item.code) == (f"{path}:1", "E015")


def test_text_over_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records_module, "MAX_CHARS", 100)
    path = write_jsonl(
        tmp_path / "a.jsonl", [{"id": "long", "text": EN * 3}, {"id": "ok", "text": EN}]
    )
    big, ok = read(path)
    assert isinstance(big, Skipped) and big.code == "E004" and big.location == f"{path}:1"
    assert isinstance(ok, RawArticle)


def test_jsonl_gz(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "news.jsonl.gz", [{"id": "a", "text": EN}, {"id": "b", "text": ES}]
    )
    assert [a.name for a in articles(read(path))] == ["a", "b"]


def test_truncated_jsonl_gz(tmp_path: Path) -> None:
    lines = [{"id": f"n{i}", "text": f"{EN} ({i})"} for i in range(400)]
    path = write_jsonl(tmp_path / "news.jsonl.gz", lines)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    items = read(path)
    *good, last = items
    assert good and all(isinstance(i, RawArticle) for i in good)
    assert [a.name for a in articles(good)] == [f"n{i}" for i in range(len(good))]
    assert isinstance(last, Skipped) and (last.code, last.location) == ("E014", str(path))
    assert f"the {len(good)} record(s) before the damage were read" in last.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_jsonl_is_streamed(tmp_path: Path) -> None:
    """The first article comes out while its writer still holds back the rest of the file."""
    fifo = tmp_path / "live.jsonl"
    os.mkfifo(fifo)
    go_on = threading.Event()
    state = {"waited_out": False}

    def writer() -> None:
        with open(fifo, "w", encoding="utf-8") as f:
            f.write(json.dumps({"id": "first", "text": EN}) + "\n")
            f.flush()
            state["waited_out"] = not go_on.wait(timeout=10)
            f.write("{not json\n")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        items = iter_articles([fifo])
        first = next(items)
        go_on.set()
        rest = list(items)
    finally:
        go_on.set()
        thread.join()
    assert not state["waited_out"]
    assert isinstance(first, RawArticle) and first.name == "first"
    assert [(s.location, s.code) for s in skipped(rest)] == [(f"{fifo}:2", "E013")]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=st.dictionaries(st.text().filter(lambda k: k != "id"), _JSON, max_size=5))
def test_any_object_without_id_is_skipped(
    tmp_path_factory: pytest.TempPathFactory, record: dict
) -> None:
    path = tmp_path_factory.mktemp("prop") / "a.jsonl"
    write_jsonl(path, [record, {"id": "ok", "text": EN}])
    first, second = read(path)
    assert isinstance(first, Skipped) and first.code == "E013"
    assert "missing key 'id'" in first.message
    assert isinstance(second, RawArticle)


@settings(max_examples=60, deadline=None)
@given(line=st.binary(max_size=200))
def test_any_line_never_raises(tmp_path_factory: pytest.TempPathFactory, line: bytes) -> None:
    path = tmp_path_factory.mktemp("prop") / "a.jsonl"
    path.write_bytes(line.replace(b"\n", b" ") + b"\n" + json.dumps({"id": 1, "text": FR}).encode())
    items = read(path)
    assert isinstance(items[-1], RawArticle) and items[-1].location == f"{path}:2"
    assert all(i.location == f"{path}:1" for i in items[:-1])


# --- folders and paths ---------------------------------------------------------------------


def test_folder_recursion_and_order(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "z.txt").write_text(EN)
    (root / "a.txt").write_text(FR)
    (root / "b" / "deep" / "c.html").write_text(page("Deep", [ES]))
    (root / "b" / "m.jsonl").write_text(json.dumps({"id": "m", "text": EN2}) + "\n")
    (root / "b-side.txt").write_text(EN2)
    (root / ".hidden.txt").write_text(EN)
    (root / ".git" / "notes.txt").write_text(EN)
    (root / "report.pdf").write_bytes(b"%PDF-1.4")
    (root / "README").write_text("notes")
    items = read(root)
    assert [i.location for i in items] == [
        str(root / "a.txt"),
        str(root / "b" / "deep" / "c.html"),
        f"{root / 'b' / 'm.jsonl'}:1",
        str(root / "b-side.txt"),
        str(root / "z.txt"),
    ]
    assert read(root) == items


def test_explicit_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(EN)
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    items = read(tmp_path / "a.txt", tmp_path / "nope.txt", tmp_path / "notes.docx")
    assert isinstance(items[0], RawArticle)
    assert items[1] == Skipped(
        str(tmp_path / "nope.txt"),
        "E007",
        f"error E007: {tmp_path / 'nope.txt'}: no such file or directory; check the path.",
    )
    assert isinstance(items[2], Skipped) and items[2].code == "E016"
    assert "unknown extension '.docx'" in items[2].message


def test_overlong_jsonl_line_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers_module, "MAX_LINE_BYTES", 200)
    path = write_jsonl(
        tmp_path / "a.jsonl", [{"id": "big", "text": EN * 30}, {"id": "ok", "text": EN}]
    )
    big, ok = read(path)
    assert isinstance(big, Skipped) and (big.code, big.location) == ("E004", f"{path}:1")
    assert isinstance(ok, RawArticle) and ok.location == f"{path}:2"


def test_stdin_is_one_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(FR.encode("utf-8"))))
    [art] = read("-")
    assert art == RawArticle(text=FR, name="stdin", location="-")


def test_empty_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    path.write_text("\n  \n")
    assert [(i.location, i.code) for i in skipped(read(path))] == [(str(path), "E001")]

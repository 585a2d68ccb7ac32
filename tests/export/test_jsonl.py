"""JSON Lines export: the ONTOLOGY's object per article, read back and compared to the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsgraph.export import jsonl
from newsgraph.store.rows import CLAIM_COLUMNS

from .conftest import ACME, DOC_A, DOC_B, DOC_C, DOC_D, MS, N_CLAIMS, OAI, TRICKY


def _read(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _flatten(claim: dict[str, Any], document_id: str, seq: int) -> tuple[Any, ...]:
    """A claim of the JSON output back as a claims row."""
    ev, amount = claim["evidence"], claim["amount"] or {}
    return (
        claim["id"], document_id, seq, claim["subject"], claim["relation"], claim["object"],
        claim["modality"], amount.get("value"), amount.get("currency"), amount.get("bound"),
        claim["date"], claim["tone"], claim["confidence"], ev["sentence"], ev["start"], ev["end"],
        ev["trigger"]["text"], ev["trigger"]["start"], ev["trigger"]["end"],
        *ev["subject_span"], *ev["object_span"],
    )  # fmt: skip


def test_one_object_per_document_with_the_contract_fields(con: Any, tmp_path: Path) -> None:
    result = jsonl.write(con, tmp_path / "out.jsonl")
    articles = _read(tmp_path / "out.jsonl")

    assert result == {
        "format": "jsonl",
        "path": str(tmp_path / "out.jsonl"),
        "documents": 4,
        "claims": N_CLAIMS,
    }
    assert [a["id"] for a in articles] == [DOC_A, DOC_B, DOC_C, DOC_D]
    for a in articles:
        assert {"id", "lang", "published", "title", "warnings", "entities", "claims"} <= set(a)
        ids = {e["id"] for e in a["entities"]}
        assert {c["subject"] for c in a["claims"]} | {c["object"] for c in a["claims"]} <= ids
    first = articles[0]
    assert (first["lang"], first["published"], first["url"]) == (
        "en",
        "2023-01-23",
        "https://example.com/a?x=1&y=2",
    )
    assert articles[1]["story_id"] == DOC_A
    assert articles[2]["published"] is None and articles[2]["title"] is None
    assert articles[3]["warnings"] == ["W002: low confidence"] and articles[3]["claims"] == []


def test_claims_equal_the_stored_rows(con: Any, tmp_path: Path) -> None:
    jsonl.write(con, tmp_path / "out.jsonl")
    exported = [
        _flatten(claim, a["id"], seq)
        for a in _read(tmp_path / "out.jsonl")
        for seq, claim in enumerate(a["claims"])
    ]
    columns = ", ".join(f'"{c}"' for c in CLAIM_COLUMNS)
    stored = con.execute(f"SELECT {columns} FROM claims ORDER BY document_id, seq").fetchall()
    normalised = [
        tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row) for row in stored
    ]
    assert exported == normalised
    assert exported[0][13] == TRICKY


def test_amount_entities_aliases_and_mentions(con: Any, tmp_path: Path) -> None:
    jsonl.write(con, tmp_path / "out.jsonl")
    first, second, *_ = _read(tmp_path / "out.jsonl")

    assert first["claims"][0]["amount"] == {
        "value": 10_000_000_000,
        "currency": "USD",
        "bound": "min",
    }
    assert isinstance(first["claims"][0]["amount"]["value"], int)
    assert first["claims"][1]["amount"] is None
    microsoft = next(e for e in first["entities"] if e["id"] == MS)
    assert microsoft == {
        "id": MS,
        "name": "Microsoft",
        "type": "ORG",
        "qid": MS,
        "aliases": ["MSFT", "the Redmond giant"],
        "mentions": [{"text": "Microsoft", "start": 0, "end": 9}],
    }
    # Entities come in the order of their first mention.
    assert [e["id"] for e in second["entities"]][:2] == [OAI, MS]
    acme = next(e for e in second["entities"] if e["id"] == ACME)
    assert acme["qid"] is None


def test_pages_do_not_change_the_output(con: Any) -> None:
    assert list(jsonl.articles(con, page=1)) == list(jsonl.articles(con, page=3))
    assert list(jsonl.articles(con, page=4)) == list(jsonl.articles(con))


def test_an_empty_store_writes_an_empty_file(tmp_path: Path) -> None:
    from newsgraph.store import Store

    with Store.open(":memory:") as empty:
        result = jsonl.write(empty.con, tmp_path / "empty.jsonl")
    assert result["documents"] == 0
    assert (tmp_path / "empty.jsonl").read_text(encoding="utf-8") == ""

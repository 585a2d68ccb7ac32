"""CSV for Neo4j: headers in neo4j-admin syntax, every relationship end is a node, RFC 4180."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from newsgraph.export import neo4j

from .conftest import ENTITIES, N_CLAIMS, N_EDGES, TRICKY

_ID_SPACE = re.compile(r"(?::ID|:START_ID|:END_ID)\((\w+)\)$")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, [dict(zip(header, row, strict=True)) for row in body]


def test_files_and_headers(con: Any, tmp_path: Path) -> None:
    result = neo4j.write(con, tmp_path / "neo")
    folder = tmp_path / "neo"

    assert sorted(p.name for p in folder.iterdir()) == sorted(neo4j.FILES)
    assert _read(folder / "entities.csv")[0] == ["id:ID(Entity)", "name", "type", "qid", ":LABEL"]
    assert _read(folder / "edges.csv")[0][:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert "n_claims:int" in _read(folder / "edges.csv")[0]
    assert "max_amount:float" in _read(folder / "edges.csv")[0]
    assert _read(folder / "claims.csv")[0][0] == "id:ID(Claim)"
    assert _read(folder / "claim_document.csv")[0] == [
        ":START_ID(Claim)",
        ":END_ID(Document)",
        ":TYPE",
    ]
    assert result["files"] == {
        "entities.csv": len(ENTITIES),
        "documents.csv": 4,
        "edges.csv": N_EDGES,
        "claims.csv": N_CLAIMS,
        "claim_subject.csv": N_CLAIMS,
        "claim_object.csv": N_CLAIMS,
        "claim_document.csv": N_CLAIMS,
    }


def test_every_relationship_end_is_a_node(con: Any, tmp_path: Path) -> None:
    neo4j.write(con, tmp_path / "neo")
    folder = tmp_path / "neo"
    ids: dict[str, set[str]] = {}
    for name in ("entities.csv", "documents.csv", "claims.csv"):
        header, rows = _read(folder / name)
        space = _ID_SPACE.search(header[0])
        assert space, header[0]
        ids[space.group(1)] = {row[header[0]] for row in rows}
        assert len(ids[space.group(1)]) == len(rows)  # unique ids

    for name in ("edges.csv", "claim_subject.csv", "claim_object.csv", "claim_document.csv"):
        header, rows = _read(folder / name)
        start, end = (_ID_SPACE.search(h) for h in header[:2])
        assert start and end and header[2] == ":TYPE"
        for row in rows:
            assert row[header[0]] in ids[start.group(1)], (name, row)
            assert row[header[1]] in ids[end.group(1)], (name, row)
            assert row[":TYPE"]


def test_values_round_trip_through_rfc4180(con: Any, tmp_path: Path) -> None:
    neo4j.write(con, tmp_path / "neo")
    folder = tmp_path / "neo"
    _, claims = _read(folder / "claims.csv")
    _, entities = _read(folder / "entities.csv")
    _, edges = _read(folder / "edges.csv")

    first = claims[0]
    assert first["sentence"] == TRICKY
    assert (first["amount:float"], first["currency"], first["bound"]) == (
        "10000000000.0",
        "USD",
        "min",
    )
    assert first["date:date"] == "2023-01-23" and first[":LABEL"] == "Claim"
    assert float(first["tone:float"]) == 0.1
    acme = next(e for e in entities if e["id:ID(Entity)"] == "local:org:acme-widgets")
    assert acme == {
        "id:ID(Entity)": "local:org:acme-widgets",
        "name": 'Acme "Widgets", Inc. <&>',
        "type": "ORG",
        "qid": "",
        ":LABEL": "ORG",
    }
    partners = [e for e in edges if e[":TYPE"] == "PARTNERS_WITH"]
    assert len(partners) == 1 and partners[0]["n_claims:int"] == "2"
    raw = (folder / "claims.csv").read_bytes()
    assert b'"Microsoft said ""we\'re all in"", investing $10bn,\nin OpenAI <&> more;' in raw


def test_readme_holds_the_import_command(con: Any, tmp_path: Path) -> None:
    result = neo4j.write(con, tmp_path / "neo")
    readme = (tmp_path / "neo" / "README.txt").read_text(encoding="utf-8")

    assert result["command"] in readme
    assert "neo4j-admin database import full neo4j" in readme
    assert f"cd {tmp_path / 'neo'}" in readme
    for name in neo4j.FILES:
        if name.endswith(".csv"):
            assert f"={name}" in readme, name
    assert "--multiline-fields=true" in readme

"""End to end: every format on the store of the ten mini-corpus articles (real pipeline)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pyarrow.parquet as pq
import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from newsgraph.export import export

pytestmark = pytest.mark.slow


def _count(con: Any, relation: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {relation}").fetchall()[0][0])


def test_jsonl(mini_store: Any, tmp_path: Path) -> None:
    result = export(mini_store.con, format="jsonl", out=tmp_path / "a.jsonl")
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    articles = [json.loads(line) for line in lines]

    assert len(articles) == result["documents"] == _count(mini_store.con, "documents") == 10
    assert sum(len(a["claims"]) for a in articles) == _count(mini_store.con, "claims")
    for article in articles:
        ids = {e["id"] for e in article["entities"]}
        for claim in article["claims"]:
            assert {claim["subject"], claim["object"]} <= ids


def test_parquet(mini_store: Any, tmp_path: Path) -> None:
    result = export(mini_store.con, format="parquet", out=tmp_path / "pq")
    for file, rows in result["files"].items():
        assert pq.read_table(tmp_path / "pq" / file).num_rows == rows
        assert rows == _count(mini_store.con, file.removesuffix(".parquet"))


def test_graphml(mini_store: Any, tmp_path: Path) -> None:
    export(mini_store.con, format="graphml", out=tmp_path / "g.graphml")
    g = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert g.number_of_nodes() == _count(mini_store.con, "entities")
    assert g.number_of_edges() == _count(mini_store.con, "edges")
    assert g.nodes["Q2283"]["label"] == "Microsoft"


def test_turtle(mini_store: Any, tmp_path: Path) -> None:
    result = export(mini_store.con, format="turtle", out=tmp_path / "g.ttl")
    graph = Graph().parse(tmp_path / "g.ttl", format="turtle")
    assert len(graph) == result["triples"]
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    assert len(statements) == _count(mini_store.con, "claims")


def test_csv(mini_store: Any, tmp_path: Path) -> None:
    result = export(mini_store.con, format="csv", out=tmp_path / "neo")
    entity_ids: set[str] = set()
    with (tmp_path / "neo" / "entities.csv").open(encoding="utf-8", newline="") as f:
        entity_ids = {row["id:ID(Entity)"] for row in csv.DictReader(f)}
    with (tmp_path / "neo" / "edges.csv").open(encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    assert len(edges) == result["files"]["edges.csv"] == _count(mini_store.con, "edges")
    for edge in edges:
        assert {edge[":START_ID(Entity)"], edge[":END_ID(Entity)"]} <= entity_ids

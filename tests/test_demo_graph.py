"""The demo corpus end to end: ingest → questions → every export, parsed back.

The demo articles (src/newsgraph/demo/) are written by us about six
relationships that changed over 2019–2025; several stories are told in two
languages. These tests check what an analyst would: the store holds them all,
the bilingual pairs become single stories, the Microsoft–OpenAI timeline spans
the years and has both cooperation and conflict, and each export reads back
with the tool it is meant for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph import Graph

DEMO = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "demo"
pytestmark = pytest.mark.slow


@pytest.fixture
def graph(demo_db: Path) -> Iterator[Graph]:
    with Graph(demo_db) as graph:
        yield graph


def same_day_pairs() -> list[tuple[str, str]]:
    """Demo files published the same day in two languages about the same companies."""
    by_day: dict[str, list[Path]] = {}
    for path in sorted(DEMO.glob("*.txt")):
        by_day.setdefault(path.name[:10], []).append(path)
    pairs = []
    for files in by_day.values():
        for i, a in enumerate(files):
            for b in files[i + 1 :]:
                if a.name[11:13] != b.name[11:13]:
                    pairs.append((a.stem, b.stem))
    return pairs


def test_the_store_holds_the_whole_corpus(graph: Graph) -> None:
    counts = graph.counts()
    files = list(DEMO.glob("*.txt"))
    assert counts["documents"] == counts["sources"] == len(files) >= 60
    assert counts["claims"] > 5 * len(files)
    langs = {row[0] for row in graph.con.execute("SELECT DISTINCT lang FROM documents").fetchall()}
    assert langs == {"fr", "en", "es"}


def test_stories_told_in_two_languages_are_one_story(graph: Graph) -> None:
    story = dict(graph.con.execute("SELECT name, story_id FROM documents").fetchall())
    pairs = same_day_pairs()
    assert len(pairs) >= 3
    together = [(a, b) for a, b in pairs if story[a] == story[b]]
    assert len(together) >= len(pairs) - 1, f"not grouped: {set(pairs) - set(together)}"
    years = graph.con.execute(
        "SELECT count(DISTINCT year(published)) FROM documents GROUP BY story_id "
        "ORDER BY 1 DESC LIMIT 1"
    ).fetchall()
    assert years == [(1,)], "a story never spans years: stories are not relationships"


def test_microsoft_openai_moves_over_time(graph: Graph) -> None:
    result = graph.timeline("Microsoft", "OpenAI", by="year")
    periods = {p["period"]: p for p in result["periods"]}
    assert {"2019", "2023", "2025"} <= set(periods)
    assert all(-1 <= p["health"] <= 1 for p in periods.values() if p["health"] is not None)
    counts = result["overall"]["counts"]
    assert counts["cooperation"] > 0 and counts["conflict"] > 0
    early, late = periods["2019"]["health"], periods["2025"]["health"]
    assert early is not None and late is not None and late < early
    event = periods["2019"]["events"][0]
    assert event["sentence"] and event["document_name"].startswith("20")


def test_edges_between_and_claims_filters(graph: Graph) -> None:
    claims = graph.edges("Microsoft", "OpenAI")
    assert any(c["relation"] == "INVESTS_IN" and c["amount"] for c in claims)
    for claim in claims:
        evidence = claim["evidence"]
        text = graph.con.execute(
            "SELECT text FROM documents WHERE id = ?", [claim["document_id"]]
        ).fetchall()[0][0]
        assert text[evidence["start"] : evidence["end"]] == evidence["sentence"]
        start, end = evidence["trigger"]["start"], evidence["trigger"]["end"]
        assert text[start:end] == evidence["trigger"]["text"]
    speculative = graph.claims(modality="speculative", limit=None)
    assert speculative and all(c["modality"] == "speculative" for c in speculative)


def test_dependencies_of_openai_and_anthropic(graph: Graph) -> None:
    openai = graph.dependencies("OpenAI")
    assert "Microsoft" in {p["name"] for p in openai["suppliers"]}
    assert 0 < openai["concentration"]["suppliers"]["hhi"] <= 1
    anthropic = graph.dependencies("Anthropic")
    assert "Amazon" in {p["name"] for p in anthropic["funders"]}


def test_jsonl_export_reads_back(graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "graph.jsonl"
    graph.export("jsonl", out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    counts = graph.counts()
    assert len(lines) == counts["documents"]
    assert sum(len(doc["claims"]) for doc in lines) == counts["claims"]
    for doc in lines:
        ids = {e["id"] for e in doc["entities"]}
        assert all(c["subject"] in ids and c["object"] in ids for c in doc["claims"])


def test_parquet_export_reads_back(graph: Graph, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    graph.export("parquet", tmp_path / "tables")
    counts = graph.counts()
    for table in ("documents", "stories", "entities", "mentions", "claims", "edges"):
        assert pq.read_table(tmp_path / "tables" / f"{table}.parquet").num_rows == counts[table]


def test_graphml_export_reads_back(graph: Graph, tmp_path: Path) -> None:
    import networkx as nx

    graph.export("graphml", tmp_path / "graph.graphml")
    read: Any = nx.read_graphml(tmp_path / "graph.graphml")
    counts = graph.counts()
    assert read.number_of_edges() == counts["edges"]
    assert read.nodes["Q2283"]["label"] == "Microsoft"
    assert any(d["relation"] == "INVESTS_IN" for _, _, d in read.edges("Q2283", data=True))


def test_turtle_export_reads_back(graph: Graph, tmp_path: Path) -> None:
    import rdflib

    graph.export("turtle", tmp_path / "graph.ttl")
    rdf = rdflib.Graph().parse(tmp_path / "graph.ttl", format="turtle")
    microsoft = rdflib.URIRef("http://www.wikidata.org/entity/Q2283")
    assert (microsoft, rdflib.RDFS.label, None) in rdf
    statements = set(rdf.subjects(rdflib.RDF.type, rdflib.RDF.Statement))
    assert len(statements) == graph.counts()["claims"]


def test_neo4j_csv_export_reads_back(graph: Graph, tmp_path: Path) -> None:
    import csv

    graph.export("csv", tmp_path / "neo4j")
    with open(tmp_path / "neo4j" / "entities.csv", encoding="utf-8", newline="") as f:
        nodes = {row["id:ID(Entity)"] for row in csv.DictReader(f)}
    with open(tmp_path / "neo4j" / "edges.csv", encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    assert len(edges) == graph.counts()["edges"]
    assert all(e[":START_ID(Entity)"] in nodes and e[":END_ID(Entity)"] in nodes for e in edges)
    readme = (tmp_path / "neo4j" / "README.txt").read_text(encoding="utf-8")
    assert re.search(r"neo4j-admin database import full", readme)

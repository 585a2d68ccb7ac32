"""Turtle export: parsed back with rdflib; Wikidata IRIs, property directions, reified claims."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from newsgraph.errors import UsageError
from newsgraph.export import turtle
from newsgraph.model import RELATIONS

from .conftest import DOC_A, DOC_B, N_CLAIMS, TRICKY

WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
NG = Namespace("https://newsgraph.invalid/")
ACME = NG["entity/local:org:acme-widgets"]
JANE = NG["entity/local:per:jane-doe"]
COPILOT = NG["entity/kb:copilot"]


@pytest.fixture
def graph(con: Any, tmp_path: Path) -> Graph:
    turtle.write(con, tmp_path / "g.ttl")
    return Graph().parse(tmp_path / "g.ttl", format="turtle")


def test_entities_use_qids_or_the_newsgraph_namespace(graph: Graph) -> None:
    assert graph.value(WD.Q2283, RDFS.label) == Literal("Microsoft")
    assert graph.value(WD.Q2283, NG.type) == Literal("ORG")
    assert graph.value(ACME, RDFS.label) == Literal('Acme "Widgets", Inc. <&>')
    assert graph.value(COPILOT, NG.type) == Literal("PRODUCT")
    assert not list(graph.subjects(RDFS.label, Literal("Microsoft")))[1:]


def test_wikidata_properties_point_the_way_wikidata_reads_them(graph: Graph) -> None:
    assert (WD.Q2283, WDT.P1830, COPILOT) in graph  # OWNS: owner P1830 owned
    assert (ACME, WDT.P127, WD.Q95) in graph  # ACQUIRES: acquired P127 (owned by) buyer
    assert (WD.Q95, WDT.P127, ACME) not in graph
    assert (ACME, WDT.P169, JANE) in graph  # LEADS: organisation P169 person
    assert (JANE, WDT.P108, WD.Q2283) in graph  # EMPLOYS: person P108 employer
    assert (ACME, WDT.P159, WD.Q62) in graph  # HEADQUARTERED_IN
    assert (WD.Q2283, NG.INVESTS_IN, WD.Q21708200) in graph
    assert (WD.Q21708200, NG.PARTNERS_WITH, WD.Q2283) in graph
    assert (
        NG.PARTNERS_WITH,
        RDF.type,
        URIRef("http://www.w3.org/2002/07/owl#SymmetricProperty"),
    ) in graph


def test_only_factual_edges_get_a_direct_triple(graph: Graph) -> None:
    # Google's acquisition of OpenAI is negated, their competition speculative.
    assert (WD.Q21708200, WDT.P127, WD.Q95) not in graph
    assert (WD.Q21708200, NG.COMPETES_WITH, WD.Q95) not in graph


def test_one_statement_per_claim_with_its_modality(con: Any, graph: Graph) -> None:
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    assert len(statements) == N_CLAIMS
    stored = dict(con.execute("SELECT id, modality FROM claims").fetchall())
    for claim_id, modality in stored.items():
        node = NG["claim/" + claim_id]
        assert node in statements
        assert graph.value(node, NG.modality) == Literal(modality)

    negated = NG["claim/cccc:0"]
    assert graph.value(negated, RDF.subject) == WD.Q21708200
    assert graph.value(negated, RDF.predicate) == WDT.P127
    assert graph.value(negated, RDF.object) == WD.Q95
    assert graph.value(negated, NG.relation) == Literal("ACQUIRES")


def test_claim_details_and_document(graph: Graph) -> None:
    claim = NG["claim/aaaa:0"]
    assert graph.value(claim, NG.evidence) == Literal(TRICKY, lang="en")
    assert graph.value(claim, NG.amount).toPython() == Decimal(10_000_000_000)
    assert graph.value(claim, NG.currency) == Literal("USD")
    assert graph.value(claim, NG.bound) == Literal("min")
    assert graph.value(claim, NG.date) == Literal("2023-01-23", datatype=XSD.date)
    assert graph.value(claim, NG.confidence).toPython() == Decimal("0.75")
    assert graph.value(claim, NG.trigger) == Literal("verb", lang="en")
    document = graph.value(claim, NG.document)
    assert document == NG["document/" + DOC_A]
    assert graph.value(document, DCTERMS.title) == Literal(
        'Microsoft, OpenAI & "friends"', lang="en"
    )
    assert graph.value(document, DCTERMS.date) == Literal("2023-01-23", datatype=XSD.date)
    assert graph.value(document, DCTERMS.language) == Literal("en")
    assert graph.value(document, PROV.wasDerivedFrom) == URIRef("https://example.com/a?x=1&y=2")
    # A source URL with a space becomes a valid IRI.
    mirror = set(graph.objects(NG["document/" + DOC_B], PROV.wasDerivedFrom))
    assert mirror == {URIRef("https://mirror.example/b%20page")}


def test_counts_and_base(con: Any, tmp_path: Path) -> None:
    result = turtle.write(con, tmp_path / "g.ttl", base="https://example.org/ng")
    graph = Graph().parse(tmp_path / "g.ttl", format="turtle")

    assert result["triples"] == len(graph)
    assert (result["entities"], result["claims"], result["documents"], result["edges"]) == (
        7,
        N_CLAIMS,
        4,
        7,
    )
    assert (URIRef("https://example.org/ng/claim/aaaa:0"), RDF.type, RDF.Statement) in graph
    with pytest.raises(UsageError, match="not an http"):
        turtle.write(con, tmp_path / "x.ttl", base="not a url")
    assert not (tmp_path / "x.ttl").exists()


def test_mapping_agrees_with_the_model() -> None:
    for name, (prop, _inverse) in turtle.WIKIDATA.items():
        assert RELATIONS[name].wikidata == prop, name
    assert {n for n, spec in RELATIONS.items() if spec.wikidata} == set(turtle.WIKIDATA)

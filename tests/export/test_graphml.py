"""GraphML export: read back with networkx, nodes and edges with their attributes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from newsgraph.export import graphml

from .conftest import ACME, ENTITIES, GOOG, MS, N_EDGES, OAI


def test_nodes_and_edges_read_back(con: Any, tmp_path: Path) -> None:
    result = graphml.write(con, tmp_path / "g.graphml")
    g = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)

    assert result["nodes"] == g.number_of_nodes() == len(ENTITIES)
    assert result["edges"] == g.number_of_edges() == N_EDGES
    assert g.is_directed() and g.is_multigraph()
    assert g.nodes[MS] == {"label": "Microsoft", "type": "ORG", "qid": MS, "in_kb": True}
    # No QID: the attribute is left out, not written as "None".
    assert g.nodes[ACME] == {"label": 'Acme "Widgets", Inc. <&>', "type": "ORG", "in_kb": False}


def test_edge_attributes(con: Any, tmp_path: Path) -> None:
    graphml.write(con, tmp_path / "g.graphml")
    g = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)

    invests = g.get_edge_data(MS, OAI)["INVESTS_IN"]
    assert invests == {
        "label": "INVESTS_IN",
        "relation": "INVESTS_IN",
        "class": "cooperation",
        "symmetric": False,
        "modality": "asserted",
        "n_claims": 1,
        "n_stories": 1,
        "n_documents": 1,
        "weight": 1,
        "first_date": "2023-01-23",
        "last_date": "2023-01-23",
        "max_amount": 1e10,
    }
    # A symmetric relation stated both ways is one edge, from the smaller id.
    partners = g.get_edge_data(OAI, MS)["PARTNERS_WITH"]
    assert partners["symmetric"] is True and partners["n_claims"] == 2
    assert g.get_edge_data(MS, OAI).keys() == {"INVESTS_IN"}
    # Without dates or amount the attributes are absent.
    negated = g.get_edge_data(GOOG, OAI)["ACQUIRES"]
    assert negated["modality"] == "negated"
    assert not {"first_date", "last_date", "max_amount"} & negated.keys()


def test_graph_is_a_multidigraph(con: Any) -> None:
    g = graphml.graph(con)
    assert isinstance(g, nx.MultiDiGraph)
    assert all(
        isinstance(v, str | int | float | bool) for *_, d in g.edges(data=True) for v in d.values()
    )


def test_xml_forbidden_characters_are_replaced(tmp_path: Path) -> None:
    from newsgraph.store import Store

    with Store.open(":memory:") as store:
        store.con.execute(
            "INSERT INTO entities VALUES ('x', 'Bad\x0bname', 'ORG', NULL, false, [])"
        )
        graphml.write(store.con, tmp_path / "g.graphml")
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.nodes["x"]["label"] == "Bad\ufffdname"

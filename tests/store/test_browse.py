"""Browsing queries: name search, an entity's neighbourhood, one document with offsets.

The first tests run on small synthetic stores (exact control of names, claims
and stories); the ``slow`` ones on the mini-corpus store built by the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.store.builders import article_rows

from newsgraph.errors import DocumentNotFound, EntityNotFound
from newsgraph.store import ArticleRows, Store
from newsgraph.store.browse import document_detail, neighbourhood, search_entities

ENTITIES = [
    ("Q1", "Acme", "ORG", "Q1", True, ["Acme Corp"]),
    ("Q2", "Nacme Holdings", "ORG", "Q2", True, []),
    ("Q3", "Acme Labs", "ORG", None, False, []),
    ("Q4", "Société Générale", "ORG", "Q4", True, ["SocGen"]),
    ("Q5", "Globex", "ORG", "Q5", True, ["Globex Corporation"]),
    ("Q6", "Initech", "ORG", None, False, []),
    ("Q7", "Umbrella", "ORG", None, False, []),
]


def claim_row(
    doc_id: str, seq: int, subject: str, relation: str, object_: str, text: str
) -> tuple[Any, ...]:
    return (f"{doc_id}:{seq}", doc_id, seq, subject, relation, object_, "asserted", None, None,
            None, None, 0.0, 0.8, text, 0, len(text), "x", 0, 1, 0, 1, 2, 3)  # fmt: skip


def article(doc_id: str, claims: list[tuple[str, str, str]]) -> ArticleRows:
    """A document (its own story) holding ``claims`` as (subject, relation, object)."""
    text = f"Article {doc_id}."
    rows = article_rows(doc_id, text)
    rows.entities = list(ENTITIES)
    rows.claims = [claim_row(doc_id, i, s, r, o, text) for i, (s, r, o) in enumerate(claims)]
    return rows


#: Acme (Q1) and its partners: Globex in 3 stories, Initech in 2, the others in 1.
ACME_CLAIMS = {
    "d1": [("Q1", "INVESTS_IN", "Q5"), ("Q6", "SUES", "Q1"), ("Q1", "SUPPLIES", "Q7"),
           ("Q1", "PARTNERS_WITH", "Q4")],
    "d2": [("Q1", "INVESTS_IN", "Q5"), ("Q6", "SUES", "Q1")],
    "d3": [("Q5", "PARTNERS_WITH", "Q1")],
}  # fmt: skip
#: Claims without Acme: Nacme Holdings (Q2) is cited more than Acme.
OTHER_CLAIMS = {
    "d3": [("Q5", "SUES", "Q6")],
    "d4": [("Q2", "ACQUIRES", "Q7"), ("Q2", "SUES", "Q6"), ("Q2", "INVESTS_IN", "Q5"),
           ("Q7", "SUES", "Q2"), ("Q2", "PARTNERS_WITH", "Q6"), ("Q5", "SUPPLIES", "Q2"),
           ("Q2", "SUPPLIES", "Q4"), ("Q2", "SUES", "Q5")],
}  # fmt: skip


@pytest.fixture
def con() -> Iterator[Any]:
    """A synthetic store of four documents, each its own story."""
    store = Store.open(":memory:")
    ids = sorted(set(ACME_CLAIMS) | set(OTHER_CLAIMS))
    store.write([article(i, ACME_CLAIMS.get(i, []) + OTHER_CLAIMS.get(i, [])) for i in ids])
    yield store.con
    store.close()


# --- search_entities ------------------------------------------------------------


def test_names_that_start_with_the_query_come_before_those_that_contain_it(con: Any) -> None:
    hits = search_entities(con, "acme")
    assert [h["id"] for h in hits] == ["Q1", "Q3", "Q2"]
    # Nacme is cited most, but only contains "acme"
    assert hits[2]["n_claims"] > hits[0]["n_claims"] > hits[1]["n_claims"] == 0
    assert [h["matched"] for h in hits] == ["acme", "acme labs", "nacme holdings"]
    assert set(hits[0]) == {"id", "name", "type", "qid", "matched", "n_claims"}


def test_case_and_accents_are_folded(con: Any) -> None:
    for query in ("société", "SOCIETE", "Societe Gen", "  société   générale "):
        hits = search_entities(con, query)
        assert [(h["id"], h["matched"]) for h in hits] == [("Q4", "societe generale")], query


def test_an_alias_finds_its_entity_and_says_it_matched(con: Any) -> None:
    assert [(h["name"], h["matched"]) for h in search_entities(con, "socg")] == [
        ("Société Générale", "socgen")
    ]
    assert [(h["name"], h["matched"]) for h in search_entities(con, "corporation")] == [
        ("Globex", "globex corporation")
    ]


def test_an_empty_or_blank_query_finds_nothing(con: Any) -> None:
    assert search_entities(con, "") == []
    assert search_entities(con, "   \t") == []
    assert search_entities(con, "zzz") == []


def test_the_query_is_not_a_pattern(con: Any) -> None:
    assert search_entities(con, "%") == []
    assert search_entities(con, "_") == []
    assert search_entities(con, "a'); DROP TABLE entities; --") == []
    assert len(search_entities(con, "a", limit=50)) == 6


def test_the_limit_is_respected(con: Any) -> None:
    everything = search_entities(con, "e", limit=50)
    assert len(everything) == len(ENTITIES) == 7
    assert search_entities(con, "e", limit=2) == everything[:2]


# --- neighbourhood --------------------------------------------------------------


def test_the_neighbourhood_keeps_the_partners_backed_by_most_stories(con: Any) -> None:
    found = neighbourhood(con, "Acme", limit=2)
    assert found["entity"]["id"] == "Q1"
    assert found["partners"] == 4
    assert [(n["id"], n["centre"], n["weight"]) for n in found["nodes"]] == [
        ("Q1", True, 0),
        ("Q5", False, 3),  # INVESTS_IN in 2 stories, PARTNERS_WITH in 1
        ("Q6", False, 2),
    ]
    kept = {n["id"] for n in found["nodes"]}
    assert found["edges"], "no edge"
    for edge in found["edges"]:
        assert {edge["subject"], edge["object"]} <= kept
        assert "Q1" in (edge["subject"], edge["object"])
        assert edge["id"] == f"{edge['subject']}|{edge['relation']}|{edge['object']}"
    assert sorted(e["id"] for e in found["edges"]) == [e["id"] for e in found["edges"]]
    assert {e["relation"] for e in found["edges"]} == {"INVESTS_IN", "PARTNERS_WITH", "SUES"}


def test_every_limit_keeps_a_consistent_graph(con: Any) -> None:
    everything = neighbourhood(con, "Q1", limit=200)
    assert [n["id"] for n in everything["nodes"]] == ["Q1", "Q5", "Q6", "Q4", "Q7"]  # ties by id
    for limit in range(1, 6):
        found = neighbourhood(con, "Q1", limit=limit)
        ids = [n["id"] for n in found["nodes"]]
        assert ids == [n["id"] for n in everything["nodes"]][: limit + 1]
        assert len(set(ids)) == len(ids)
        assert found["partners"] == 4
        assert all({e["subject"], e["object"]} <= set(ids) for e in found["edges"])
        assert found["edges"] == [
            e for e in everything["edges"] if {e["subject"], e["object"]} <= set(ids)
        ]


def test_neighbourhood_edges_carry_class_modality_and_iso_dates(con: Any) -> None:
    edges = {e["relation"]: e for e in neighbourhood(con, "Acme Corp")["edges"]}
    assert edges["INVESTS_IN"]["class"] == "cooperation"
    assert edges["SUES"]["class"] == "conflict"
    assert edges["SUPPLIES"]["modality"] == "asserted"
    assert edges["INVESTS_IN"]["n_stories"] == 2
    assert edges["INVESTS_IN"]["first_date"] == edges["INVESTS_IN"]["last_date"] == "2024-01-10"


def test_a_loop_is_drawn_but_the_entity_is_not_its_own_partner() -> None:
    store = Store.open(":memory:")
    store.write([article("d1", [("Q1", "PARTNERS_WITH", "Q1"), ("Q1", "SUES", "Q5")])])
    found = neighbourhood(store.con, "Q1")
    assert [(n["id"], n["centre"]) for n in found["nodes"]] == [("Q1", True), ("Q5", False)]
    assert found["partners"] == 1
    assert {e["id"] for e in found["edges"]} == {"Q1|PARTNERS_WITH|Q1", "Q1|SUES|Q5"}
    store.close()


def test_an_entity_without_claims_is_alone(con: Any) -> None:
    found = neighbourhood(con, "Acme Labs")
    assert found["partners"] == 0 and found["edges"] == []
    assert [(n["id"], n["centre"], n["type"]) for n in found["nodes"]] == [("Q3", True, "ORG")]


def test_an_unknown_entity_is_refused_with_suggestions(con: Any) -> None:
    with pytest.raises(EntityNotFound) as raised:
        neighbourhood(con, "Acmee")
    assert raised.value.code == "E020"
    assert "Acme" in raised.value.suggestions


# --- document_detail ------------------------------------------------------------


def test_a_document_with_its_claims_and_sources(con: Any) -> None:
    found = document_detail(con, "d2")
    assert (found["id"], found["name"], found["published"], found["story_id"]) == (
        "d2",
        "d2",
        "2024-01-10",
        "d2",
    )
    assert found["text"] == "Article d2."
    assert found["sources"] == [{"location": "d2.txt", "name": "d2", "url": None}]
    assert [
        (c["id"], c["subject_name"], c["relation"], c["object_name"]) for c in found["claims"]
    ] == [
        ("d2:0", "Acme", "INVESTS_IN", "Globex"),
        ("d2:1", "Initech", "SUES", "Acme"),
    ]
    for claim in found["claims"]:
        assert claim["evidence"]["sentence"] == found["text"]
        assert claim["amount"] is None and claim["modality"] == "asserted"


def test_an_unknown_document_is_refused(con: Any) -> None:
    with pytest.raises(DocumentNotFound) as raised:
        document_detail(con, "nope")
    assert raised.value.code == "E023"
    assert "nope" in raised.value.message


# --- the mini-corpus store (real pipeline) ----------------------------------------


@pytest.mark.slow
def test_mini_store_search(mini_store: Any) -> None:
    con = mini_store.con
    assert [h["name"] for h in search_entities(con, "micro")] == ["Microsoft", "Microsoft Azure"]
    # "az" starts Azure's names; Amazon's only contain it, though Amazon is cited as much
    hits = search_entities(con, "az")
    assert hits[0]["name"] == "Microsoft Azure" and hits[0]["matched"] == "azure"
    assert {h["name"] for h in hits[1:]} >= {"Amazon", "Amazon Web Services"}
    # an alias in Spanish, accents and case folded
    for query in ("Comisión Federal", "COMISION", "comision federal de comercio"):
        (hit,) = search_entities(con, query)
        assert (hit["name"], hit["matched"]) == (
            "Federal Trade Commission",
            "comision federal de comercio",
        )
    assert search_entities(con, "msft")[0]["name"] == "Microsoft"
    assert search_entities(con, "") == []
    assert len(search_entities(con, "o", limit=3)) == 3


@pytest.mark.slow
def test_mini_store_neighbourhood(mini_store: Any) -> None:
    con = mini_store.con
    everything = neighbourhood(con, "OpenAI", limit=200)
    assert everything["partners"] == len(everything["nodes"]) - 1 >= 4
    partners = {n["name"] for n in everything["nodes"] if not n["centre"]}
    assert {"Microsoft", "Oracle", "Nvidia"} <= partners
    assert everything["nodes"][1]["name"] == "Microsoft"  # the most stories

    found = neighbourhood(con, "OpenAI", limit=2)
    assert len(found["nodes"]) == 3
    kept = {n["id"] for n in found["nodes"]}
    assert all({e["subject"], e["object"]} <= kept for e in found["edges"])
    assert {e["relation"] for e in found["edges"]} >= {"INVESTS_IN", "COMPETES_WITH"}
    assert all(e["class"] in ("cooperation", "conflict", "neutral") for e in found["edges"])


@pytest.mark.slow
def test_mini_store_document_offsets_are_those_of_the_text(mini_store: Any) -> None:
    con = mini_store.con
    ids = [row[0] for row in con.execute("SELECT id FROM documents ORDER BY id").fetchall()]
    assert len(ids) == 10
    n_claims = 0
    for id_ in ids:
        found = document_detail(con, id_)
        text = found["text"]
        assert found["mentions"], id_
        for m in found["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
        for c in found["claims"]:
            ev = c["evidence"]
            assert text[ev["start"] : ev["end"]] == ev["sentence"]
            assert text[ev["trigger"]["start"] : ev["trigger"]["end"]] == ev["trigger"]["text"]
            assert ev["start"] <= ev["trigger"]["start"] < ev["trigger"]["end"] <= ev["end"]
            n_claims += 1
    assert n_claims == con.execute("SELECT count(*) FROM claims").fetchone()[0]
    with pytest.raises(DocumentNotFound):
        document_detail(con, ids[0][:-1])

"""The ONTOLOGY scorer on hand-made gold records and predictions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.errors import MalformedGold, NotFound
from newsgraph.evaluate import (
    Counts,
    amount_matches,
    evaluate,
    fold,
    load_gold,
    score,
)
from newsgraph.evaluate_tables import report_tables

TEXT = (
    "Microsoft a investi 13 milliards de dollars dans OpenAI. "
    "Le géant de Redmond et la start-up sont partenaires."
)


def gold(facts: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    record = {
        "id": kw.pop("id", "a1"),
        "lang": kw.pop("lang", "fr"),
        "published": None,
        "entities": kw.pop(
            "entities",
            [
                {"name": "Microsoft", "type": "ORG", "mentions": ["Microsoft"]},
                {"name": "OpenAI", "type": "ORG", "mentions": ["OpenAI"]},
            ],
        ),
        "facts": facts,
    }
    record.update(kw)
    return record


def fact(s: str, r: str, o: str, modality: str = "asserted", amount: Any = None) -> dict:
    return {"subject": s, "relation": r, "object": o, "modality": modality, "amount": amount}


def ent(eid: str, name: str, *spans: tuple[int, int], aliases: list[str] | None = None) -> dict:
    return {
        "id": eid,
        "name": name,
        "type": "ORG",
        "qid": None,
        "aliases": aliases or [],
        "mentions": [{"text": TEXT[s:e], "start": s, "end": e} for s, e in spans],
    }


def claim(s: str, r: str, o: str, modality: str = "asserted", amount: Any = None) -> dict:
    return {"subject": s, "relation": r, "object": o, "modality": modality, "amount": amount}


MS = ent("Q2283", "Microsoft", (0, 9))
OA = ent("Q21708200", "OpenAI", (49, 55))


def pred(*claims: dict, entities: list[dict] | None = None) -> dict[str, Any]:
    return {"id": "a1", "entities": entities or [MS, OA], "claims": list(claims)}


def test_fold() -> None:
    assert fold("Autorité de la Concurrence") == fold("AUTORITE DE LA CONCURRENCE")
    assert fold("L’Oréal") == fold("l'oreal") == "l'oreal"
    assert fold("Hewlett–Packard") == "hewlett-packard"
    assert fold("  Open \u00a0 AI\n") == "open ai"
    assert fold("Comisión Europea") == "comision europea"
    assert fold("Œuvre") == "oeuvre"
    assert fold("Straße") == "strasse"


@given(st.text())
def test_fold_is_idempotent_and_case_blind(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(text.upper()) == fold(text.lower()) or not text.isascii()


def test_perfect_prediction(kb: Any) -> None:
    g = gold([fact("Microsoft", "INVESTS_IN", "OpenAI")])
    report = score([g], {"a1": pred(claim("Q2283", "INVESTS_IN", "Q21708200"))}, kb)
    assert report.overall.edges == Counts(1, 0, 0)
    assert report.overall.claims == Counts(1, 0, 0)
    assert report.overall.edges.f1 == 1.0
    assert report.by_relation["INVESTS_IN"] == Counts(1, 0, 0)


def test_symmetric_relations_are_order_free(kb: Any) -> None:
    g = gold(
        [
            fact("Microsoft", "PARTNERS_WITH", "OpenAI"),
            fact("OpenAI", "COMPETES_WITH", "Microsoft"),
            fact("OpenAI", "SUES", "Microsoft"),
        ]
    )
    p = pred(
        claim("Q21708200", "PARTNERS_WITH", "Q2283"),
        claim("Q2283", "COMPETES_WITH", "Q21708200"),
        claim("Q2283", "SUES", "Q21708200"),  # directed: the wrong way round
    )
    report = score([g], {"a1": p}, kb)
    assert report.overall.edges == Counts(tp=2, fp=1, fn=1)
    result = report.articles[0]
    assert result.edge_fp == [("Microsoft", "SUES", "OpenAI")]
    assert result.edge_fn == [("OpenAI", "SUES", "Microsoft")]


def test_other_relations_are_ignored(kb: Any) -> None:
    g = gold([fact("Microsoft", "INVESTS_IN", "OpenAI"), fact("Microsoft", "OTHER:PAYS", "OpenAI")])
    report = score([g], {"a1": pred(claim("Q2283", "INVESTS_IN", "Q21708200"))}, kb)
    assert report.overall.edges == Counts(1, 0, 0)
    assert "OTHER:PAYS" not in report.by_relation


def test_duplicates_count_once_and_modality_makes_claims(kb: Any) -> None:
    g = gold(
        [
            fact("Microsoft", "INVESTS_IN", "OpenAI", "asserted"),
            fact("Microsoft", "INVESTS_IN", "OpenAI", "asserted"),
            fact("Microsoft", "INVESTS_IN", "OpenAI", "speculative"),
        ]
    )
    p = pred(
        claim("Q2283", "INVESTS_IN", "Q21708200", "asserted"),
        claim("Q2283", "INVESTS_IN", "Q21708200", "asserted"),
        claim("Q2283", "INVESTS_IN", "Q21708200", "reported"),
    )
    report = score([g], {"a1": p}, kb)
    assert report.overall.edges == Counts(1, 0, 0)
    assert report.overall.claims == Counts(tp=1, fp=1, fn=1)
    assert report.articles[0].claim_fn == [("Microsoft", "INVESTS_IN", "OpenAI", "speculative")]


def test_names_match_by_alias_kb_and_folding(kb: Any) -> None:
    entities = [
        {"name": "Microsoft", "type": "ORG", "mentions": []},
        {"name": "OpenAI", "type": "ORG", "mentions": []},
        {"name": "Commission européenne", "type": "REGULATOR", "mentions": []},
        {"name": "Autorité de la concurrence", "type": "REGULATOR", "mentions": []},
    ]
    g = gold(
        [
            fact("Microsoft", "INVESTS_IN", "OpenAI"),
            fact("Commission européenne", "INVESTIGATES", "Microsoft"),
            fact("Autorité de la concurrence", "INVESTIGATES", "OpenAI"),
        ],
        entities=entities,
    )
    p = pred(
        claim("local:ORG:msft", "INVESTS_IN", "Q21708200"),
        claim("Q8880", "INVESTIGATES", "local:ORG:msft"),
        claim("kb:adlc", "INVESTIGATES", "Q21708200"),
        entities=[
            # an alias in the JSON output
            {"id": "local:ORG:msft", "name": "MSFT corp", "aliases": ["MICROSOFT"]},
            # case of the canonical name folded
            {"id": "Q21708200", "name": "Openai"},
            # a name known only to the knowledge base ("Commission européenne")
            {"id": "Q8880", "name": "European Commission"},
            # accents folded
            {"id": "kb:adlc", "name": "AUTORITE DE LA CONCURRENCE"},
        ],
    )
    assert score([g], {"a1": p}, kb).overall.edges == Counts(3, 0, 0)
    # Without the knowledge base the Commission is not recognised.
    assert score([g], {"a1": p}, None).overall.edges == Counts(2, 1, 1)


def test_unknown_predicted_entity_is_a_false_positive(kb: Any) -> None:
    g = gold([fact("Microsoft", "INVESTS_IN", "OpenAI")])
    p = pred(
        claim("Q2283", "INVESTS_IN", "local:ORG:anthropic"),
        entities=[MS, {"id": "local:ORG:anthropic", "name": "Anthropic"}],
    )
    report = score([g], {"a1": p}, kb)
    assert report.overall.edges == Counts(0, 1, 1)
    assert report.articles[0].edge_fp == [
        ("Microsoft", "INVESTS_IN", "Anthropic [local:ORG:anthropic]")
    ]


def test_amount_matches() -> None:
    gold_amount = {"value": 13_000_000_000, "currency": "USD"}
    assert amount_matches({"value": 13e9, "currency": "USD"}, gold_amount)
    assert amount_matches({"value": 13.1e9, "currency": "usd", "bound": "min"}, gold_amount)
    assert not amount_matches({"value": 13.2e9, "currency": "USD"}, gold_amount)
    assert not amount_matches({"value": 13e9, "currency": "EUR"}, gold_amount)
    assert not amount_matches({"value": None, "currency": "USD"}, gold_amount)


def test_amount_accuracy_on_matched_edges(kb: Any) -> None:
    usd = {"value": 13_000_000_000, "currency": "USD"}
    g = gold(
        [
            fact("Microsoft", "INVESTS_IN", "OpenAI", amount=usd),
            fact("Microsoft", "ACQUIRES", "OpenAI", amount=usd),
            fact("Microsoft", "OWNS", "OpenAI", amount=usd),  # not predicted: not counted
            fact("Microsoft", "SUPPLIES", "OpenAI"),  # no gold amount: not counted
        ]
    )
    p = pred(
        claim("Q2283", "INVESTS_IN", "Q21708200"),  # this claim has no amount …
        claim(
            "Q2283", "INVESTS_IN", "Q21708200", "reported", {"value": 12.95e9, "currency": "USD"}
        ),
        claim("Q2283", "ACQUIRES", "Q21708200", amount={"value": 13e9, "currency": "EUR"}),
        claim("Q2283", "SUPPLIES", "Q21708200", amount={"value": 1, "currency": "EUR"}),
    )
    report = score([g], {"a1": p}, kb)
    assert (report.overall.amounts.correct, report.overall.amounts.total) == (1, 2)
    assert report.overall.amounts.value == 0.5
    assert len(report.articles[0].amount_errors) == 1
    assert "ACQUIRES" in report.articles[0].amount_errors[0]


def test_linking_by_overlap(kb: Any) -> None:
    entities = [
        {"name": "Microsoft", "type": "ORG", "mentions": ["Microsoft", "Le géant de Redmond"]},
        {"name": "OpenAI", "type": "ORG", "mentions": ["OpenAI", "la start-up", "OpenAI"]},
        {"name": "Google", "type": "ORG", "mentions": ["Google"]},  # not in the text: ignored
    ]
    g = gold([], entities=entities)
    redmond = TEXT.index("Le géant")
    startup = TEXT.index("la start-up")
    p = pred(
        entities=[
            # "géant de Redmond" overlaps "Le géant de Redmond"
            ent("Q2283", "Microsoft", (0, 9), (redmond + 3, redmond + 19)),
            ent("Q21708200", "OpenAI", (49, 55)),
            # "la start-up" linked to the wrong entity
            ent("local:ORG:x", "Startup X", (startup, startup + 11)),
        ]
    )
    report = score([g], {"a1": p}, kb, texts={"a1": TEXT})
    linking = report.overall.linking
    assert (linking.correct, linking.total) == (3, 4)
    errors = report.articles[0].linking_errors
    assert any("'la start-up' linked to Startup X" in e for e in errors)
    assert any("'Google' not found" in e for e in errors)


def test_linking_without_text_compares_mention_strings(kb: Any) -> None:
    g = gold([])
    report = score([g], {"a1": pred()}, kb)
    assert (report.overall.linking.correct, report.overall.linking.total) == (2, 2)


def test_micro_averaging_and_languages(kb: Any) -> None:
    g1 = gold([fact("Microsoft", "INVESTS_IN", "OpenAI")], id="a1", lang="fr")
    g2 = gold(
        [fact("Microsoft", "ACQUIRES", "OpenAI"), fact("Microsoft", "OWNS", "OpenAI")],
        id="a2",
        lang="en",
    )
    g3 = gold([fact("Microsoft", "SUES", "OpenAI")], id="a3", lang="en")
    predictions = {
        "a1": pred(claim("Q2283", "INVESTS_IN", "Q21708200")),  # 1/1
        "a2": pred(claim("Q2283", "ACQUIRES", "Q21708200"), claim("Q2283", "LEADS", "Q21708200")),
        "a3": pred(),  # nothing found
    }
    report = score([g1, g2, g3], predictions, kb)
    assert report.overall.articles == 3
    assert report.overall.edges == Counts(tp=2, fp=1, fn=2)  # summed, not averaged
    assert report.overall.edges.precision == pytest.approx(2 / 3)
    assert report.overall.edges.recall == pytest.approx(2 / 4)
    assert report.by_lang["fr"].edges == Counts(1, 0, 0)
    assert report.by_lang["en"].edges == Counts(1, 1, 2)
    assert report.by_lang["en"].articles == 2
    assert report.by_relation["LEADS"] == Counts(0, 1, 0)


def test_missing_prediction_is_listed_not_scored(kb: Any) -> None:
    report = score([gold([fact("Microsoft", "SUES", "OpenAI")])], {}, kb)
    assert report.missing == ["a1"]
    assert report.overall.articles == 0


def test_report_to_dict_and_tables(kb: Any) -> None:
    g = gold([fact("Microsoft", "SUES", "OpenAI")])
    report = score([g], {"a1": pred(claim("Q2283", "SUES", "Q21708200", "negated"))}, kb)
    data = json.loads(json.dumps(report.to_dict(details=True)))
    assert data["overall"]["edges"]["f1"] == 1.0
    assert data["overall"]["claims"]["f1"] == 0.0
    assert data["articles"][0]["claim_fp"] == [["Microsoft", "SUES", "OpenAI", "negated"]]
    assert len(report_tables(report, details=True)) == 3


# --- gold files ------------------------------------------------------------------


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_gold(tmp_path: Path) -> None:
    record = gold([fact("Microsoft", "SUES", "OpenAI")])
    path = write_lines(tmp_path / "gold.jsonl", json.dumps(record), "", "   ")
    loaded = load_gold(path)
    assert len(loaded) == 1 and loaded[0]["id"] == "a1"
    assert loaded[0]["_source"] == f"{path}:1"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ('{"id": "x", "lang": "fr", "entities": [], ', "invalid JSON"),
        ('{"id": "x", "lang": "fr", "entities": []}', "missing key(s) facts"),
        ('{"lang": "fr", "entities": [], "facts": []}', "missing key(s) id"),
        ("[1, 2]", "JSON object"),
        (
            '{"id": "x", "lang": "fr", "entities": [], "facts": '
            '[{"subject": "A", "relation": "BUYS", "object": "B"}]}',
            "unknown relation 'BUYS'",
        ),
        (
            '{"id": "x", "lang": "fr", "entities": [], "facts": '
            '[{"subject": "A", "relation": "SUES", "object": "B", "modality": "maybe"}]}',
            "unknown modality",
        ),
        ('{"id": "a1", "lang": "fr", "entities": [], "facts": []}', "already used on line 1"),
    ],
)
def test_malformed_gold_names_file_and_line(tmp_path: Path, bad: str, reason: str) -> None:
    path = write_lines(tmp_path / "gold.jsonl", json.dumps(gold([])), "", bad)
    with pytest.raises(MalformedGold) as info:
        load_gold(path)
    assert info.value.line == 3
    assert f"{path}:3" in str(info.value)
    assert reason in str(info.value)
    assert info.value.exit_code == 4


def test_missing_gold_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        load_gold(tmp_path / "nope.jsonl")


def test_evaluate_runs_the_analyzer(tmp_path: Path, kb: Any, analyzer: Any) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a1.txt").write_text(TEXT, encoding="utf-8")
    (articles / "a2.txt").write_text("OpenAI", encoding="utf-8")
    records = [
        gold([fact("Microsoft", "INVESTS_IN", "OpenAI")], id="a1"),
        gold([fact("Microsoft", "SUES", "OpenAI")], id="a2", lang="xx"),  # analysis fails
        gold([], id="a3"),  # no article
    ]
    path = write_lines(tmp_path / "gold.jsonl", *map(json.dumps, records))
    problems: list[str] = []
    report = evaluate(
        [path],
        articles,
        analyze=analyzer,
        kb=kb,
        on_problem=lambda doc_id, e: problems.append(f"{doc_id} {e.code}"),
    )
    assert report.missing == ["a3"]
    assert list(report.failed) == ["a2"]
    assert problems == ["a2 E005", "a3 E007"]
    assert report.overall.articles == 2
    assert report.overall.edges == Counts(tp=1, fp=0, fn=1)
    # a2 failed: its "OpenAI" mention counts, unlinked.
    assert (report.overall.linking.correct, report.overall.linking.total) == (2, 3)


def test_evaluate_duplicate_id_across_files(tmp_path: Path, kb: Any, analyzer: Any) -> None:
    one = write_lines(tmp_path / "one.jsonl", json.dumps(gold([])))
    two = write_lines(tmp_path / "two.jsonl", json.dumps(gold([])))
    with pytest.raises(MalformedGold) as info:
        evaluate([one, two], tmp_path, analyze=analyzer, kb=kb)
    assert f"{two}:1" in str(info.value)

"""dependencies(): partner groups, product roll-up, shares and concentration."""

from __future__ import annotations

from typing import Any

import pytest

from newsgraph.analysis import dependencies
from newsgraph.analysis.dependencies import GROUPS, herfindahl
from newsgraph.errors import EntityNotFound
from newsgraph.kb import KBEntry, KnowledgeBase

from .conftest import C, StoreFactory, article, ids

MS, OA, AMZ, GOOG, ORCL, NVDA, SB = (
    "Q2283",
    "Q21708200",
    "Q3884",
    "Q95",
    "Q19900",
    "Q182477",
    "Q14772",
)
ANTHROPIC, FTC = "kb:anthropic", "Q1234"
AZURE, GPT4, COPILOT = "kb:microsoft-azure", "kb:gpt-4", "kb:microsoft-copilot"
WIDGET, WIDGET_CLOUD = "local:org:widget", "local:product:widget-cloud"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:  # shadows the fake of tests/conftest.py on purpose
    """A small knowledge base: Azure and Copilot are Microsoft's, GPT-4 is OpenAI's."""
    return KnowledgeBase(
        [
            KBEntry(id=MS, name="Microsoft", type="ORG", qid=MS),
            KBEntry(id=OA, name="OpenAI", type="ORG", qid=OA),
            KBEntry(id=AZURE, name="Microsoft Azure", type="PRODUCT", owner="Microsoft"),
            KBEntry(id=COPILOT, name="Microsoft Copilot", type="PRODUCT", owner="Microsoft"),
            KBEntry(id=GPT4, name="GPT-4", type="PRODUCT", owner="OpenAI"),
        ]
    )


def partner(rows: list[dict[str, Any]], id_: str) -> dict[str, Any]:
    (found,) = [row for row in rows if row["id"] == id_]
    return found


def stories(n: int, claim: C, *, start: int = 1) -> list[Any]:
    """``n`` one-claim articles (hence ``n`` stories), one a month of 2023."""
    return [
        article(f"s{claim.subject}{start + i}", f"2023-{start + i:02d}-01", [claim])
        for i in range(n)
    ]


# --- concentration --------------------------------------------------------------------


def test_herfindahl() -> None:
    assert herfindahl([3, 1]) == pytest.approx(0.625)
    assert herfindahl([1]) == pytest.approx(1.0)
    assert herfindahl([1, 1, 1, 1]) == pytest.approx(0.25)
    assert herfindahl([]) is None
    assert herfindahl([0.0]) is None


def test_hhi_of_two_suppliers_with_three_and_one_stories(
    make_store: StoreFactory, kb: KnowledgeBase
) -> None:
    store = make_store(
        [*stories(3, C(MS, "SUPPLIES", OA)), *stories(1, C(ORCL, "SUPPLIES", OA), start=5)]
    )
    result = dependencies(store.con, "OpenAI", kb=kb)
    concentration = result["concentration"]["suppliers"]
    assert concentration["hhi"] == pytest.approx(0.625)
    assert concentration["hhi_10000"] == pytest.approx(6250)
    assert concentration["n_suppliers"] == 2
    assert concentration["top"] == {"id": MS, "name": "Microsoft", "share": pytest.approx(0.75)}
    assert ids(result["suppliers"]) == [MS, ORCL]
    microsoft = result["suppliers"][0]
    assert microsoft["n_stories"] == 3 and microsoft["relations"] == ["SUPPLIES"]
    assert (microsoft["first_date"], microsoft["last_date"]) == ("2023-01-01", "2023-03-01")
    assert microsoft["modality"] == "asserted"


def test_depends_on_makes_a_supplier(make_store: StoreFactory, kb: KnowledgeBase) -> None:
    store = make_store([article("d1", "2025-01-21", [C(OA, "DEPENDS_ON", NVDA)])])
    result = dependencies(store.con, "OpenAI", kb=kb)
    assert ids(result["suppliers"]) == [NVDA]
    assert result["suppliers"][0]["relations"] == ["DEPENDS_ON"]
    # …and OpenAI a customer of Nvidia
    assert ids(dependencies(store.con, "Nvidia", kb=kb)["customers"]) == [OA]


def test_a_product_supplier_is_rolled_up_to_its_owner(
    make_store: StoreFactory, kb: KnowledgeBase
) -> None:
    store = make_store(
        [
            article("d1", "2019-07-22", [C(AZURE, "SUPPLIES", OA)]),
            # one story saying it twice, by product and by owner: counted once
            article("d2", "2023-01-23", [C(AZURE, "SUPPLIES", OA), C(MS, "SUPPLIES", OA)]),
            article("d3", "2023-01-24", [C(AZURE, "SUPPLIES", OA)]),
            article("d4", "2025-01-21", [C(ORCL, "SUPPLIES", OA)]),
        ],
        stories={"d3": "d2"},
    )
    result = dependencies(store.con, "OpenAI", kb=kb)
    microsoft = partner(result["suppliers"], MS)
    assert microsoft["name"] == "Microsoft" and microsoft["type"] == "ORG"
    assert microsoft["via"] == ["Microsoft Azure"]
    assert microsoft["n_stories"] == 2
    assert result["concentration"]["suppliers"]["hhi"] == pytest.approx((2 / 3) ** 2 + (1 / 3) ** 2)
    assert AZURE not in ids(result["suppliers"])


def test_stored_product_of_edge_rolls_up_an_unknown_product(
    make_store: StoreFactory, kb: KnowledgeBase
) -> None:
    store = make_store(
        [
            article("d1", "2024-01-01", [C(WIDGET_CLOUD, "PRODUCT_OF", WIDGET)]),
            article("d2", "2024-02-01", [C(WIDGET_CLOUD, "SUPPLIES", ANTHROPIC)]),
        ]
    )
    suppliers = dependencies(store.con, "Anthropic", kb=kb)["suppliers"]
    assert [(s["id"], s["via"]) for s in suppliers] == [(WIDGET, ["Widget Cloud"])]
    # and the owner sees Anthropic as a customer through its product
    customers = dependencies(store.con, "Widget", kb=kb)["customers"]
    assert [(c["id"], c["through"]) for c in customers] == [(ANTHROPIC, ["Widget Cloud"])]


def test_the_bundled_knowledge_base_rolls_azure_up(make_store: StoreFactory) -> None:
    store = make_store([article("d1", "2019-07-22", [C(AZURE, "SUPPLIES", OA)])])
    (supplier,) = dependencies(store.con, "OpenAI")["suppliers"]
    assert (supplier["id"], supplier["name"], supplier["via"]) == (
        MS,
        "Microsoft",
        ["Microsoft Azure"],
    )


def test_negated_claims_are_listed_but_not_shared(
    make_store: StoreFactory, kb: KnowledgeBase
) -> None:
    store = make_store(
        [
            *stories(3, C(MS, "SUPPLIES", OA)),
            *stories(1, C(ORCL, "SUPPLIES", OA), start=5),
            article("n1", "2023-09-01", [C(GOOG, "SUPPLIES", OA, "negated")]),
        ]
    )
    result = dependencies(store.con, "OpenAI", kb=kb)
    google = partner(result["suppliers"], GOOG)
    assert (google["n_stories"], google["n_negated"], google["weight"]) == (0, 1, 0.0)
    assert google["share"] == 0.0 and google["modality"] == "negated"
    assert result["concentration"]["suppliers"]["hhi"] == pytest.approx(0.625)
    assert result["concentration"]["suppliers"]["n_suppliers"] == 2


def test_speculative_and_reported_stories_are_weighted(
    make_store: StoreFactory, kb: KnowledgeBase
) -> None:
    store = make_store(
        [
            article("d1", "2024-01-01", [C(MS, "SUPPLIES", OA)]),
            article("d2", "2024-02-01", [C(ORCL, "SUPPLIES", OA, "speculative")]),
            article("d3", "2024-03-01", [C(NVDA, "SUPPLIES", OA, "reported")]),
        ]
    )
    result = dependencies(store.con, "OpenAI", kb=kb)
    oracle = partner(result["suppliers"], ORCL)
    assert oracle["weight"] == pytest.approx(0.4)
    assert oracle["modalities"] == {"asserted": 0, "reported": 0, "speculative": 1, "negated": 0}
    assert oracle["share"] == pytest.approx(0.4 / 2.1)
    assert ids(result["suppliers"]) == [MS, NVDA, ORCL]
    shares = [1 / 2.1, 0.7 / 2.1, 0.4 / 2.1]
    assert result["concentration"]["suppliers"]["hhi"] == pytest.approx(sum(s * s for s in shares))


def test_a_storys_repeated_claims_count_once(make_store: StoreFactory, kb: KnowledgeBase) -> None:
    articles = [
        article("d1", "2023-01-23", [C(MS, "SUPPLIES", OA), C(MS, "SUPPLIES", OA)]),
        article("d2", "2023-01-24", [C(MS, "SUPPLIES", OA, "reported")]),
        article("d3", "2023-05-01", [C(ORCL, "SUPPLIES", OA)]),
    ]
    store = make_store(articles, stories={"d2": "d1"})
    result = dependencies(store.con, "OpenAI", kb=kb)
    assert partner(result["suppliers"], MS)["n_stories"] == 1
    assert result["concentration"]["suppliers"]["hhi"] == pytest.approx(0.5)


# --- funders and amounts ------------------------------------------------------------


def test_funders_amount_shares_per_currency(make_store: StoreFactory, kb: KnowledgeBase) -> None:
    store = make_store(
        [
            article("d1", "2019-07-22", [C(MS, "INVESTS_IN", OA, amount=1e9)]),
            article("d2", "2023-01-23", [C(MS, "INVESTS_IN", OA, amount=1e10)]),
            article("d3", "2024-10-01", [C(SB, "INVESTS_IN", OA, "speculative", amount=3e10)]),
            article("d4", "2024-11-01", [C(NVDA, "INVESTS_IN", OA, amount=1e9, currency="EUR")]),
            article("d5", "2024-12-01", [C(AMZ, "INVESTS_IN", OA, "negated", amount=5e9)]),
            article("d6", "2024-12-02", [C(GOOG, "INVESTS_IN", OA)]),
        ]
    )
    result = dependencies(store.con, "OpenAI", kb=kb)
    microsoft = partner(result["funders"], MS)
    assert microsoft["amounts"] == {"USD": {"sum": 1.1e10, "max": 1e10, "weighted": 1.1e10}}
    assert partner(result["funders"], AMZ)["amounts"] == {}  # negated: no money
    assert partner(result["funders"], GOOG)["amounts"] == {}  # no amount stated
    usd = result["concentration"]["funders"]["USD"]
    assert usd["total"] == pytest.approx(1.1e10 + 0.4 * 3e10)
    assert [(s["id"], s["share"]) for s in usd["shares"]] == [
        (SB, pytest.approx(1.2 / 2.3)),
        (MS, pytest.approx(1.1 / 2.3)),
    ]
    assert usd["top"]["id"] == SB and usd["n_funders"] == 2
    assert usd["hhi"] == pytest.approx((1.2 / 2.3) ** 2 + (1.1 / 2.3) ** 2)
    eur = result["concentration"]["funders"]["EUR"]
    assert (eur["total"], eur["hhi"], eur["top"]["name"]) == (1e9, 1.0, "Nvidia")


# --- the other groups ---------------------------------------------------------------


@pytest.fixture
def web(make_store: StoreFactory) -> Any:
    return make_store(
        [
            article(
                "d1",
                "2024-01-01",
                [
                    C(MS, "OWNS", OA),
                    C(FTC, "CONTROLS", OA, "speculative"),
                    C(AMZ, "ACQUIRES", OA, "negated"),
                    C(OA, "ACQUIRES", WIDGET),
                    C(OA, "INVESTS_IN", ANTHROPIC, amount=1e8),
                    C(COPILOT, "INTEGRATES", GPT4),
                    C(MS, "INTEGRATES", COPILOT),
                    C(AZURE, "SUPPLIES", OA),
                    C(ANTHROPIC, "DEPENDS_ON", MS),
                    C(MS, "SUPPLIES", ANTHROPIC, "reported"),
                ],
            )
        ]
    )


def test_upstream_and_downstream_groups(web: Any, kb: KnowledgeBase) -> None:
    openai = dependencies(web.con, "OpenAI", kb=kb)
    assert openai["entity"] == {"id": OA, "name": "OpenAI", "type": "ORG"}
    assert list(openai)[2 : 2 + len(GROUPS)] == list(GROUPS)
    assert ids(openai["owners_and_controllers"]) == [MS, FTC, AMZ]
    assert partner(openai["owners_and_controllers"], AMZ)["n_negated"] == 1
    assert ids(openai["holdings"]) == [WIDGET]
    (investment,) = openai["investments"]
    assert investment["name"] == "Anthropic" and investment["amounts"]["USD"]["max"] == 1e8
    assert [(p["id"], p["via"]) for p in openai["suppliers"]] == [(MS, ["Microsoft Azure"])]
    assert openai["customers"] == [] and openai["funders"] == []


def test_integrations_through_products_either_way(web: Any, kb: KnowledgeBase) -> None:
    openai = dependencies(web.con, "OpenAI", kb=kb)
    (integration,) = openai["integrations"]
    assert (integration["id"], integration["via"], integration["through"]) == (
        MS,
        ["Microsoft Copilot"],
        ["GPT-4"],
    )
    microsoft = dependencies(web.con, "Microsoft", kb=kb)
    # Microsoft INTEGRATES Copilot is internal and left out
    assert [(p["id"], p["via"], p["through"]) for p in microsoft["integrations"]] == [
        (OA, ["GPT-4"], ["Microsoft Copilot"])
    ]
    assert {p["id"]: p["name"] for p in microsoft["products"]} == {
        AZURE: "Microsoft Azure",
        COPILOT: "Microsoft Copilot",
    }


def test_customers_include_those_served_through_products(web: Any, kb: KnowledgeBase) -> None:
    microsoft = dependencies(web.con, "Microsoft", kb=kb)
    customers = {p["id"]: p for p in microsoft["customers"]}
    assert customers[OA]["through"] == ["Microsoft Azure"]
    assert customers[ANTHROPIC]["relations"] == ["DEPENDS_ON", "SUPPLIES"]
    assert customers[ANTHROPIC]["n_stories"] == 1  # one story, two claims
    assert customers[ANTHROPIC]["modality"] == "asserted"
    assert ids(microsoft["holdings"]) == [OA]


def test_unknown_entity(make_store: StoreFactory, kb: KnowledgeBase) -> None:
    store = make_store([article("d1", "2023-01-01", [C(MS, "SUPPLIES", OA)])])
    with pytest.raises(EntityNotFound, match="OpenAI"):
        dependencies(store.con, "OpenAl", kb=kb)


def test_rules_are_returned(make_store: StoreFactory, kb: KnowledgeBase) -> None:
    store = make_store([article("d1", "2023-01-01", [C(MS, "SUPPLIES", OA)])])
    rules = dependencies(store.con, "OpenAI", kb=kb)["rules"]
    assert rules["weights"] == {
        "asserted": 1.0,
        "reported": 0.7,
        "speculative": 0.4,
        "negated": 0.0,
    }


# --- the mini corpus, analysed by the real pipeline ------------------------------------


@pytest.mark.slow
def test_mini_corpus_openai_suppliers(mini_store: Any) -> None:
    result = dependencies(mini_store.con, "OpenAI")
    suppliers = {p["name"]: p for p in result["suppliers"]}
    assert "Microsoft Azure" in suppliers["Microsoft"]["via"]  # rolled up to its owner
    assert {"Microsoft", "Oracle", "Nvidia"} <= set(suppliers)
    assert "Microsoft Azure" not in suppliers
    concentration = result["concentration"]["suppliers"]
    assert concentration["top"]["name"] == "Microsoft"
    assert 0 < concentration["hhi"] < 1
    assert concentration["hhi_10000"] == pytest.approx(concentration["hhi"] * 10_000)
    funders = {p["name"]: p for p in result["funders"]}
    assert funders["Microsoft"]["amounts"]["USD"]["max"] >= 1e9


@pytest.mark.slow
def test_mini_corpus_anthropic_and_microsoft(mini_store: Any) -> None:
    anthropic = dependencies(mini_store.con, "Anthropic")
    assert {"Amazon Web Services", "Google"} <= {p["name"] for p in anthropic["suppliers"]}
    amazon = partner(anthropic["funders"], "Q3884")
    assert amazon["n_stories"] == 2 and amazon["amounts"]["USD"]["max"] == 4e9
    microsoft = dependencies(mini_store.con, "Microsoft")
    customers = {p["name"]: p for p in microsoft["customers"]}
    assert "Microsoft Azure" in customers["OpenAI"]["through"]

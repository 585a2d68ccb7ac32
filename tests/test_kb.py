"""The bundled knowledge base: size, ids, references and folded look-ups."""

from __future__ import annotations

import pytest

from newsgraph.kb import KBEntry, KnowledgeBase, local_id
from newsgraph.model import ENTITY_TYPES


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:  # shadows the fake of conftest.py on purpose
    return KnowledgeBase.default()


def test_loads_with_at_least_400_entries(kb: KnowledgeBase) -> None:
    assert len(kb) >= 400


def test_default_is_loaded_once(kb: KnowledgeBase) -> None:
    assert KnowledgeBase.default() is kb


def test_ids_are_unique_and_types_known(kb: KnowledgeBase) -> None:
    ids = [e.id for e in kb.entries.values()]
    assert len(ids) == len(set(ids))
    assert all(e.type in ENTITY_TYPES for e in kb.entries.values())


def test_duplicate_ids_are_refused() -> None:
    twice = [KBEntry(id="Q2283", name="Microsoft", type="ORG")] * 2
    with pytest.raises(ValueError, match="duplicate"):
        KnowledgeBase(twice)


@pytest.mark.parametrize(
    ("field", "types"),
    [("owner", {"ORG", "REGULATOR"}), ("org", {"ORG", "REGULATOR"}), ("headquarters", {"LOC"})],
)
def test_every_reference_resolves(kb: KnowledgeBase, field: str, types: set[str]) -> None:
    broken = []
    for entry in kb.entries.values():
        ref = getattr(entry, field)
        if ref is None:
            continue
        target = kb.by_name.get(ref)
        if target is None or target.type not in types:
            broken.append((entry.name, ref))
    assert broken == []


def test_every_flagship_is_a_product(kb: KnowledgeBase) -> None:
    broken = [
        (entry.name, name)
        for entry in kb.entries.values()
        for name in entry.flagship
        if name not in kb.by_name or kb.by_name[name].type != "PRODUCT"
    ]
    assert broken == []


def test_products_name_an_owner(kb: KnowledgeBase) -> None:
    assert kb.named("ChatGPT").owner == "OpenAI"  # type: ignore[union-attr]
    assert {p.name for p in kb.products_of("OpenAI")} >= {"ChatGPT"}


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("openai", "OpenAI"),
        ("OPENAI", "OpenAI"),
        ("Openai", "OpenAI"),
        ("microsoft", "Microsoft"),
        ("telefonica", "Telefónica"),
        ("TELEFÓNICA", "Telefónica"),
        ("masmovil", "MásMóvil"),
        ("commission europeenne", "European Commission"),
        ("Comisión Europea", "European Commission"),
        ("autorite de la concurrence", "Autorité de la concurrence"),
    ],
)
def test_lookup_folds_case_and_accents(kb: KnowledgeBase, written: str, name: str) -> None:
    assert [e.name for e in kb.lookup(written)] == [name]


def test_lookup_of_unknown_name_is_empty(kb: KnowledgeBase) -> None:
    assert kb.lookup("Roquette Frères") == []


def test_known_qids(kb: KnowledgeBase) -> None:
    assert kb.named("Microsoft").id == "Q2283"  # type: ignore[union-attr]
    assert kb.named("OpenAI").id == "Q21708200"  # type: ignore[union-attr]
    assert kb.get("Q2283").qid == "Q2283"  # type: ignore[union-attr]


def test_entry_without_qid_gets_a_kb_slug(kb: KnowledgeBase) -> None:
    assert kb.named("Autorité de la concurrence").id == "kb:autorite-de-la-concurrence"  # type: ignore[union-attr]


def test_names_for(kb: KnowledgeBase) -> None:
    assert kb.names_for("Q2283") >= {"Microsoft", "MSFT", "Microsoft Corporation"}
    assert kb.names_for("Q21708200") >= {"OpenAI", "Open AI"}
    assert kb.names_for("local:org:nobody") == set()


def test_names_for_includes_short_aliases(kb: KnowledgeBase) -> None:
    office = kb.named("Microsoft Office")
    assert office is not None
    assert "Office" in kb.names_for(office.id)


def test_person_stands_for_an_organisation(kb: KnowledgeBase) -> None:
    gates = kb.named("Bill Gates")
    assert gates is not None
    assert kb.organisation_of(gates).name == "Microsoft"  # type: ignore[union-attr]


def test_outlets_are_sources(kb: KnowledgeBase) -> None:
    assert kb.named("Reuters").is_source  # type: ignore[union-attr]
    assert not kb.named("Microsoft").is_source  # type: ignore[union-attr]


def test_local_id_is_stable() -> None:
    first = local_id("Roquette Frères", "ORG")
    assert first == local_id("Roquette Frères", "ORG")
    assert first == "local:org:roquette-freres"
    assert local_id("roquette  FRERES", "ORG") == first
    assert local_id("Roquette Frères", "PER") != first

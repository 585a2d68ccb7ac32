"""Linking stage: knowledge-base ids, local ids, shorter later names, references."""

from __future__ import annotations

import pytest

from newsgraph import analyze
from newsgraph.kb import local_id

pytestmark = pytest.mark.slow


def test_kb_mentions_share_the_canonical_entity() -> None:
    doc = analyze(
        "Microsoft a investi dans Mistral AI. Le géant de Redmond a aussi signé avec "
        "Anthropic. MSFT a progressé.",
        lang="fr",
    )
    microsoft = doc.entities["Q2283"]
    assert microsoft.name == "Microsoft"
    assert microsoft.qid == "Q2283"
    assert [m.text for m in microsoft.mentions] == ["Microsoft", "géant de Redmond", "MSFT"]
    assert "géant de Redmond" in microsoft.aliases


def test_unknown_organisation_gets_a_local_id() -> None:
    doc = analyze("La société Roquette Frères a signé un accord avec Microsoft.", lang="fr")
    expected = local_id("Roquette Frères", "ORG")
    assert expected in doc.entities
    entity = doc.entities[expected]
    assert entity.name == "Roquette Frères"
    assert entity.type == "ORG"
    assert entity.qid is None
    assert (expected, "PARTNERS_WITH", "Q2283") in {
        (c.subject, c.relation, c.object) for c in doc.claims
    }


def test_local_id_is_the_same_across_articles() -> None:
    first = analyze("La société Roquette Frères a signé un accord avec Microsoft.", lang="fr")
    second = analyze("Microsoft a signé un accord avec la société Roquette Frères.", lang="fr")
    assert set(first.entities) == set(second.entities)


def test_shorter_later_name_links_to_the_full_name() -> None:
    doc = analyze(
        "La société Roquette Frères a signé un accord avec Microsoft. "
        "Roquette a aussi investi dans Mistral AI.",
        lang="fr",
    )
    full = local_id("Roquette Frères", "ORG")
    assert [m.text for m in doc.entities[full].mentions] == ["Roquette Frères", "Roquette"]
    assert not any(e.startswith("local:per:") for e in doc.entities)
    assert (full, "INVESTS_IN", "kb:mistral-ai") in {
        (c.subject, c.relation, c.object) for c in doc.claims
    }


def test_person_surname_links_to_the_full_name() -> None:
    doc = analyze(
        "Satya Nadella a présenté les résultats. Nadella a salué la croissance du cloud.",
        lang="fr",
    )
    nadella = doc.entities["kb:satya-nadella"]
    assert [m.text for m in nadella.mentions] == ["Satya Nadella", "Nadella"]


def test_references_take_the_id_of_their_antecedent() -> None:
    doc = analyze(
        "Apple unveiled a new iPhone. The company also signed a deal with OpenAI.", lang="en"
    )
    apple = doc.entities["Q312"]
    assert [m.text for m in apple.mentions] == ["Apple", "The company"]
    assert all(m.entity_id == "Q312" for m in apple.mentions)


def test_hyphenated_name_and_its_short_form_are_one_entity() -> None:
    doc = analyze(
        "Le groupe canadien Alimentation Couche-Tard a renoncé à racheter Carrefour. "
        "Selon Couche-Tard, le gouvernement s'y opposait.",
        lang="fr",
    )
    full = local_id("Alimentation Couche-Tard", "ORG")
    assert full in doc.entities
    assert not any("alimentation-couche" in e and e != full for e in doc.entities)


def test_subsidiary_is_not_linked_to_its_parent() -> None:
    doc = analyze(
        "Zegona compró Vodafone España a Vodafone. Vodafone España tiene 12 millones de clientes.",
        lang="es",
    )
    spain = local_id("Vodafone España", "ORG")
    assert [m.text for m in doc.entities[spain].mentions] == ["Vodafone España", "Vodafone España"]
    assert [m.text for m in doc.entities["kb:vodafone"].mentions] == ["Vodafone"]


def test_ordinary_word_name_is_the_usual_name() -> None:
    doc = analyze("Orange and Oracle signed a cloud agreement.", lang="en")
    assert {e.name for e in doc.entities.values()} >= {"Orange", "Oracle"}

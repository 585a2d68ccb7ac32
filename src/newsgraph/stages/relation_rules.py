"""Relation data of a language, compiled once: the ``relations:`` triggers of
``lang/<code>.yaml`` with their role prepositions, and the grammar words the
relation stage needs (determiners, contractions, coordinators, deal nouns…)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsgraph.lang import load_language
from newsgraph.model import RELATIONS
from newsgraph.text import fold


@dataclass
class LangRules:
    verbs: dict[str, list[tuple[str, tuple[str, ...], bool]]]
    nouns: dict[str, list[tuple[str, tuple[str, ...], bool]]]
    phrases: list[tuple[re.Pattern[str], str, bool, bool]]  # pattern, relation, nominal, inverse
    subject_preps: dict[str, set[str]]
    # Mark the subject only when an object phrase follows too: "la inversión de
    # Amazon en Anthropic" (but "la financiación de OpenAI" names the investee).
    genitive_subject_preps: dict[str, set[str]]
    # Agent nouns whose possessor is the relation's object: "Anthropic's provider".
    possessor_object_nouns: set[str]
    object_preps: dict[str, set[str]]
    agent_preps: set[str]
    determiners: set[str]
    contractions: dict[str, str]
    coordinators: list[str]
    genitive_preps: set[str]
    product_nouns: set[str]
    implicit_object: set[str]
    possessive: str | None
    all_preps: set[str]
    prepositions: set[str]
    inflections: tuple[str, ...]
    deal_nouns: set[str]
    passive_auxiliaries: set[str]
    relative_pronouns: set[str]
    transparent: list[re.Pattern[str]]
    # Fixed expressions in which a trigger word names no relation ("salida a bolsa").
    not_triggers: re.Pattern[str] | None


@cache
def rules_for(lang: str) -> LangRules:
    data = load_language(lang)
    verbs: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {}
    nouns: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {}
    phrases: list[tuple[re.Pattern[str], str, bool, bool]] = []
    subject_preps: dict[str, set[str]] = {}
    genitive_subject_preps: dict[str, set[str]] = {}
    possessor_object_nouns: set[str] = set()
    object_preps: dict[str, set[str]] = {}
    implicit: set[str] = set()
    for relation, spec in (data.get("relations") or {}).items():
        if relation not in RELATIONS:
            raise ValueError(f"lang/{lang}.yaml: unknown relation {relation}")
        for key, table in (("verbs", verbs), ("nouns", nouns)):
            for item in spec.get(key) or []:
                lemma, preps, inverse = _trigger_item(item)
                if " " in lemma.strip():
                    # Several words ("chief executive", "prise de contrôle"): a phrase.
                    pattern = re.compile(r"(?<![\w-])" + re.escape(fold(lemma)) + r"s?(?![\w-])")
                    phrases.append((pattern, relation, key == "nouns", inverse))
                else:
                    table.setdefault(fold(lemma), []).append((relation, preps, inverse))
        for item in spec.get("phrases") or []:
            phrase, _, inverse = _trigger_item(item)
            pattern = re.compile(r"(?<![\w-])" + fold(phrase) + r"(?![\w-])")
            phrases.append((pattern, relation, False, inverse))
        subject_preps[relation] = {fold(p) for p in spec.get("subject_preps") or []}
        genitive_subject_preps[relation] = {
            fold(p) for p in spec.get("genitive_subject_preps") or []
        }
        possessor_object_nouns.update(fold(n) for n in spec.get("possessor_object_nouns") or [])
        object_preps[relation] = {fold(p) for p in spec.get("object_preps") or []}
        if spec.get("implicit_object"):
            implicit.add(relation)
    product_of = (data.get("relations") or {}).get("PRODUCT_OF", {})
    return LangRules(
        verbs=verbs,
        nouns=nouns,
        phrases=phrases,
        subject_preps=subject_preps,
        genitive_subject_preps=genitive_subject_preps,
        possessor_object_nouns=possessor_object_nouns,
        object_preps=object_preps,
        agent_preps={fold(p) for p in data.get("agent_preps", [])},
        determiners={fold(d) for d in data.get("determiners", [])},
        contractions={fold(k): fold(v) for k, v in (data.get("contractions") or {}).items()},
        coordinators=[fold(c) for c in data.get("coordinators", [])],
        genitive_preps={fold(p) for p in product_of.get("genitive_preps") or []},
        product_nouns={fold(n) for n in product_of.get("product_nouns") or []},
        implicit_object=implicit,
        possessive=data.get("possessive"),
        prepositions={fold(p) for p in data.get("prepositions", [])},
        inflections=tuple(fold(p) for p in data.get("inflections", [])),
        deal_nouns={fold(n) for n in data.get("deal_nouns", [])},
        passive_auxiliaries={fold(n) for n in data.get("passive_auxiliaries", [])},
        relative_pronouns={fold(n) for n in data.get("relative_pronouns", [])},
        transparent=[re.compile(fold(p) + r"\s*$") for p in data.get("transparent", [])],
        not_triggers=re.compile(
            "|".join(r"(?<![\w-])" + fold(p) + r"(?![\w-])" for p in data["not_triggers"])
        )
        if data.get("not_triggers")
        else None,
        all_preps=set().union(
            *subject_preps.values(),
            *genitive_subject_preps.values(),
            *object_preps.values(),
            {fold(p) for p in data.get("agent_preps", [])},
        ),
    )


def _trigger_item(item: Any) -> tuple[str, tuple[str, ...], bool]:
    """A trigger entry: "lemma", or {lemma: …, requires: [preps], inverse: true}.

    ``requires`` keeps an ambiguous noun for when one of these prepositions
    introduces an argument; ``inverse`` swaps the roles found ("filiale de").
    """
    if isinstance(item, str):
        return item, (), False
    return (
        str(item["lemma"]),
        tuple(fold(p) for p in item.get("requires") or []),
        bool(item.get("inverse")),
    )


def is_trigger_word(tok: Any, *, lang: str) -> bool:
    """Whether a token is a verb or noun that triggers some relation."""
    rules = rules_for(lang)
    keys = {fold(tok.lemma_), fold(tok.text)}
    return any(k in rules.verbs or k in rules.nouns for k in keys)

"""Linking stage: give every mention a canonical entity and build ``doc.entities``.

Knowledge-base matches already carry their id. Names found by NER or cues are
looked up in the knowledge base (folded), then matched to an earlier entity of
the article whose name contains them ("Chausson" after "Chausson Matériaux"),
else given a stable local id. References (pronouns, descriptions) take the id
of their antecedent.
"""

from __future__ import annotations

import re

from newsgraph.kb import KnowledgeBase, local_id
from newsgraph.lang import available_languages, load_language
from newsgraph.model import Document, Entity, Mention
from newsgraph.stages import KBStage
from newsgraph.text import norm_key


class LinkingStage(KBStage):
    name = "linking"
    requires = ("coref",)

    def __call__(self, doc: Document) -> Document:
        kb = self.kb
        entities: dict[str, Entity] = {}
        data = load_language(doc.lang) if doc.lang in available_languages() else {}
        # "l'Autorité", "the Commission" found as names by NER: the institution meant.
        acronyms: dict[str, str] = {}
        for word, name in (data.get("capitalised_referents") or {}).items():
            entry = kb.named(name)
            if entry is not None:
                acronyms[word] = entry.id
        for mention in doc.mentions:
            if mention.antecedent is not None:
                continue
            if mention.entity_id is None:
                mention.entity_id = acronyms.get(mention.text) or _link_name(mention, entities, kb)
            _metonymy(mention, doc, kb)
            _add(entities, mention, kb)
            acronym = _acronym_after(doc.text, mention)
            if acronym:
                acronyms[acronym] = mention.entity_id
        for mention in doc.mentions:
            if mention.antecedent is not None:
                root = mention.antecedent
                while root.antecedent is not None:
                    root = root.antecedent
                mention.entity_id = root.entity_id
                mention.type = root.type
                if mention.entity_id is not None:
                    _add(entities, mention, kb)
        doc.entities = entities
        return doc


_PAREN = re.compile(r"\s*\(([A-Z][A-Za-z0-9&.\-]{1,9})\)")


def _acronym_after(text: str, mention: Mention) -> str | None:
    """ "Syndicat des éditeurs de la presse magazine (SEPM)": SEPM names it too."""
    m = _PAREN.match(text, mention.end)
    return m.group(1) if m and sum(c.isupper() for c in m.group(1)) >= 2 else None


def _metonymy(mention: Mention, doc: Document, kb: KnowledgeBase) -> None:
    """A place that acts ("Bruxelles autorise…", "Bruselas multa…") is the
    institution the knowledge base says it stands for; "siège à Bruxelles" stays
    the city."""
    entry = kb.get(mention.entity_id or "")
    if entry is None or entry.type != "LOC" or not entry.stands_for or mention.sentence < 0:
        return
    span = doc.sentences[mention.sentence].span.doc[mention.token_start : mention.token_end]
    if not any(t.dep_.startswith("nsubj") for t in span):
        return
    target = kb.organisation_of(entry)
    if target is not None:
        mention.entity_id, mention.type = target.id, target.type


def _link_name(mention: Mention, entities: dict[str, Entity], kb: KnowledgeBase) -> str:
    found = kb.lookup(mention.text)
    if found:
        mention.type = found[0].type
        return found[0].id
    key = norm_key(mention.text).split()
    for entity in entities.values():
        # NER types are unreliable on company names (fr/es models), so a name
        # found by NER may take the type of the entity it shortens.
        if entity.type != mention.type and mention.kind != "ner":
            continue
        words = norm_key(entity.name).split()
        # A shorter later form of a name already seen: "Chausson", "Nadella".
        shortens = words[: len(key)] == key or words[-len(key) :] == key
        if key and len(key) < len(words) and shortens:
            mention.type = entity.type
            return entity.id
    return local_id(mention.text, mention.type)


def _add(entities: dict[str, Entity], mention: Mention, kb: KnowledgeBase) -> None:
    assert mention.entity_id is not None
    entity = entities.get(mention.entity_id)
    if entity is None:
        entry = kb.get(mention.entity_id)
        if entry is not None:
            entity = entry.to_entity()
        else:
            entity = Entity(id=mention.entity_id, name=mention.text, type=mention.type)
        entities[entity.id] = entity
    entity.mentions.append(mention)
    if (
        mention.kind in ("epithet", "owner", "alias", "ner", "cue")
        and mention.text != entity.name
        and mention.text not in entity.aliases
    ):
        entity.aliases.append(mention.text)

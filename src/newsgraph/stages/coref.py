"""Coreference stage: our own resolver for pronouns and definite descriptions.

No coreference library works offline with these models, so this is a small
salience-based resolver: subject pronouns go to the most salient earlier
subject, object pronouns to the most recent other party, definite descriptions
("la startup", "the company", "la tecnológica") to the most recent entity whose
knowledge-base kind fits. Epithets and owner descriptions ("le géant de
Redmond", "the ChatGPT maker") are matched from the knowledge base by the
mention stage and need no resolution here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from newsgraph.kb import KnowledgeBase
from newsgraph.lang import available_languages, load_language
from newsgraph.model import Document, Mention, Sentence
from newsgraph.stages.mentions import tokens_of
from newsgraph.text import fold

_LOOKBACK = 3  # sentences searched for a pronoun's antecedent
_DESCRIPTION_LOOKBACK = 6
_ACTOR_TYPES = ("ORG", "REGULATOR", "PER")
_OBJECT_DEPS = ("obj", "iobj", "dobj", "dative", "pobj", "obl", "obl:arg", "nmod")


class CorefStage:
    """Adds pronoun and description mentions whose ``antecedent`` is set."""

    name = "coref"
    requires = ("mentions",)

    def __init__(self, *, kb: KnowledgeBase | None = None) -> None:
        self._kb = kb

    def __call__(self, doc: Document) -> Document:
        if doc.lang not in available_languages():
            return doc
        data = load_language(doc.lang)
        kb = self._kb or KnowledgeBase.default()
        by_sentence: dict[int, list[Mention]] = {}
        for m in doc.mentions:
            by_sentence.setdefault(m.sentence, []).append(m)
        added: list[Mention] = []
        for sentence in doc.sentences:
            own = by_sentence.setdefault(sentence.index, [])
            new = _descriptions(sentence, own, doc.lang) + _pronouns(sentence, own, data)
            for mention in sorted(new, key=lambda m: m.start):
                antecedent = _resolve(mention, by_sentence, sentence.index, kb, data, sentence.span)
                if antecedent is not None:
                    mention.antecedent = antecedent
                    mention.type = antecedent.type
                elif not _capitalised_referent(mention, kb, data):
                    continue
                own.append(mention)
                own.sort(key=lambda m: m.start)
                added.append(mention)
        doc.mentions = sorted(doc.mentions + added, key=lambda m: m.start)
        return doc


def _capitalised_referent(mention: Mention, kb: KnowledgeBase, data: dict[str, Any]) -> bool:
    """With no antecedent, a capitalised description names the institution the
    language's press means by it: "l'Autorité", "the Commission"."""
    if mention.kind != "description":
        return False
    referents = {fold(k): v for k, v in (data.get("capitalised_referents") or {}).items()}
    for word in mention.text.replace("'", "' ").replace("’", "’ ").split():
        name = referents.get(fold(word.strip("'’"))) if word[:1].isupper() else None
        entry = kb.named(name) if name else None
        if entry is not None:
            mention.entity_id, mention.type, mention.kind = entry.id, entry.type, "alias"
            return True
    return False


def _overlaps(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _pronouns(sentence: Sentence, own: list[Mention], data: dict[str, Any]) -> list[Mention]:
    pronouns = data.get("pronouns", {})
    # Compared lower-cased but not accent-folded: Spanish "él" is not "el".
    subject = {p.lower() for p in pronouns.get("subject", [])}
    objects = {p.lower() for p in pronouns.get("object", [])}
    possessive = {p.lower() for p in pronouns.get("possessive", [])}
    out = []
    for tok in sentence.span:
        form = tok.text.lower().replace("’", "'")
        if form in possessive and tok.pos_ in ("DET", "PRON") and tok.head.pos_ == "NOUN":
            kind = "pronoun"  # "su presidente", "its chief executive"
        elif tok.pos_ != "PRON" or tok.dep_.startswith("expl"):
            continue
        elif form in objects and tok.dep_ in _OBJECT_DEPS:
            kind = "object_pronoun"
        elif form in subject:
            kind = "pronoun"
        else:
            continue
        start = tok.idx + sentence.base
        end = start + len(tok.text)
        if _overlaps(start, end, own):
            continue
        out.append(
            Mention(
                text=tok.text,
                start=start,
                end=end,
                type="ORG",
                kind=kind,
                sentence=sentence.index,
                token_start=tok.i,
                token_end=tok.i + 1,
            )
        )
    return out


def _descriptions(sentence: Sentence, own: list[Mention], lang: str) -> list[Mention]:
    """Definite descriptions: "la startup", "le groupe canadien", "the Japanese group"."""
    pattern, nouns = _description_pattern(lang)
    nationalities = {fold(k): v for k, v in load_language(lang).get("nationalities", {}).items()}
    if pattern is None:
        return []
    text = fold(sentence.text)
    out = []
    for m in pattern.finditer(text):
        start, end = sentence.start + m.start(), sentence.start + m.end()
        if _overlaps(start, end, own):
            continue
        rest = sentence.text[m.end() :]
        # "la société Criteo": the noun introduces a name, it does not refer back.
        if rest.lstrip()[:1].isupper() or _overlaps(
            end, end + len(rest) - len(rest.lstrip()) + 1, own
        ):
            continue
        span = tokens_of(sentence, start, end)
        if span is None:
            continue
        noun = m.group("noun")
        if any(
            ("Number=Plur" in str(t.morph) or t.tag_ in ("NNS", "NNPS"))
            for t in span
            if fold(t.text) == noun.split()[-1]
        ):
            continue  # "les deux sociétés": plural descriptions name several parties
        nationality = m.group("pre") or m.group("post")
        out.append(
            Mention(
                text=sentence.text[m.start() : m.end()],
                start=start,
                end=end,
                type="ORG",
                kind="description",
                sentence=sentence.index,
                token_start=span.start,
                token_end=span.end,
                description_kind=nouns[noun],
                description_country=nationalities.get(nationality or ""),
            )
        )
    return out


@cache
def _description_pattern(lang: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    data = load_language(lang)
    descriptions: dict[str, list[str]] = data.get("descriptions", {})
    # Contracted articles too ("al banco", "du groupe"): the relation stage reads
    # their preposition from the mention's first word.
    determiners = [*data.get("definite_determiners", []), *(data.get("contractions") or {})]
    if not descriptions or not determiners:
        return None, {}
    nouns = {fold(n): kind for kind, ns in descriptions.items() for n in ns}
    det = "|".join(re.escape(fold(d)) for d in sorted(determiners, key=len, reverse=True))
    noun = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    nats = (
        "|".join(
            re.escape(fold(n)) for n in sorted(data.get("nationalities", {}), key=len, reverse=True)
        )
        or "(?!)"
    )
    intens = "|".join(re.escape(fold(i)) for i in data.get("intensifiers", [])) or "(?!)"
    pattern = re.compile(
        rf"(?<![\w-])(?:{det})\s*(?:(?P<pre>{nats})\s+)?(?P<noun>{noun})"
        rf"(?:\s+(?P<post>{nats}))?(?:\s+(?:{intens}))?(?![\w-])"
    )
    return pattern, nouns


def _is_subject(m: Mention, sentence_span: Any) -> bool:
    doc = sentence_span.doc
    return any(doc[i].dep_.startswith("nsubj") for i in range(m.token_start, m.token_end))


def _resolve(
    mention: Mention,
    by_sentence: dict[int, list[Mention]],
    index: int,
    kb: KnowledgeBase,
    data: dict[str, Any],
    span: Any,
) -> Mention | None:
    """The earlier mention that ``mention`` refers to, or None."""
    if mention.kind == "description":
        kind = mention.description_kind or "any"
        candidates = _earlier(by_sentence, index, mention.start, _DESCRIPTION_LOOKBACK)
        country = mention.description_country
        own_subject = _clause_subject(mention, by_sentence.get(index, []), span)
        for cand in reversed(candidates):
            if cand is own_subject or (
                own_subject is not None
                and _root(cand).entity_id
                and _root(cand).entity_id == _root(own_subject).entity_id
            ):
                continue  # "Amazon invested in the company": not Amazon itself
            if _kind_fits(cand, kind, kb) and _country_fits(cand, country, kb):
                return cand
        return None
    candidates = _earlier(by_sentence, index, mention.start, _LOOKBACK)
    actors = [c for c in candidates if c.type in _ACTOR_TYPES and c.kind != "object_pronoun"]
    if not actors:
        return None
    if mention.kind == "object_pronoun":
        same = [c for c in actors if c.sentence == index]
        subject = same[0] if same else None
        for cand in reversed(actors):
            if subject is None or _root(cand) is not _root(subject):
                return cand
        return None
    # Subject pronoun: the subject of the nearest sentence that has one.
    for sent_index in sorted({c.sentence for c in actors}, reverse=True):
        in_sentence = [c for c in actors if c.sentence == sent_index]
        subjects = [
            c for c in in_sentence if c.kind != "object_pronoun" and _first_clause(c, in_sentence)
        ]
        if subjects:
            return subjects[0]
    return actors[-1]


def _clause_subject(mention: Mention, in_sentence: list[Mention], span: Any) -> Mention | None:
    """For a description that is not itself a subject, the sentence's first actor
    before it: "Amazon invested in the company" cannot mean Amazon."""
    tokens = span.doc[mention.token_start : mention.token_end]
    if any(t.dep_.startswith("nsubj") for t in tokens):
        return None
    return next(
        (m for m in in_sentence if m.start < mention.start and m.kind != "object_pronoun"), None
    )


def _first_clause(cand: Mention, in_sentence: list[Mention]) -> bool:
    """The first actor mention of a sentence is its most salient one."""
    return cand is in_sentence[0]


def _earlier(
    by_sentence: dict[int, list[Mention]], index: int, start: int, back: int
) -> list[Mention]:
    out: list[Mention] = []
    for i in range(max(0, index - back), index + 1):
        out += [
            m
            for m in by_sentence.get(i, [])
            if m.start < start
            and not m.is_source
            and (m.entity_id or m.antecedent or m.kind in ("ner", "cue"))
        ]
    return out


def _root(m: Mention) -> Mention:
    while m.antecedent is not None:
        m = m.antecedent
    return m


def _country_fits(cand: Mention, country: str | None, kb: KnowledgeBase) -> bool:
    """ "le groupe canadien" only refers back to a Canadian entity (when known)."""
    if country is None:
        return True
    entry = kb.get(_root(cand).entity_id or "")
    return entry is None or entry.country is None or entry.country == country


def _kind_fits(cand: Mention, kind: str, kb: KnowledgeBase) -> bool:
    root = _root(cand)
    if kind == "person":
        return root.type == "PER"
    if kind == "regulator":
        return root.type == "REGULATOR"
    if root.type not in ("ORG",):
        return False
    if kind == "any":
        return True
    entry = kb.get(root.entity_id) if root.entity_id else None
    if entry is None:
        return True  # unknown organisation: any description may fit
    if kind == "startup":
        return entry.kind in ("startup", "lab")
    return entry.kind == kind

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
from typing import Any

from newsgraph.kb import KnowledgeBase
from newsgraph.lang import available_languages, load_language
from newsgraph.model import Document, Mention, Sentence
from newsgraph.stages.mentions import tokens_of
from newsgraph.text import fold

_LOOKBACK = 3  # sentences searched for a pronoun's antecedent
_DESCRIPTION_LOOKBACK = 6
_ACTOR_TYPES = ("ORG", "REGULATOR", "PER")


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
            new = _descriptions(sentence, own, data) + _pronouns(sentence, own, data)
            for mention in sorted(new, key=lambda m: m.start):
                antecedent = _resolve(mention, by_sentence, sentence.index, kb, data)
                if antecedent is not None:
                    mention.antecedent = antecedent
                    mention.type = antecedent.type
                    own.append(mention)
                    own.sort(key=lambda m: m.start)
                    added.append(mention)
        doc.mentions = sorted(doc.mentions + added, key=lambda m: m.start)
        return doc


def _overlaps(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _pronouns(sentence: Sentence, own: list[Mention], data: dict[str, Any]) -> list[Mention]:
    pronouns = data.get("pronouns", {})
    subject = {fold(p) for p in pronouns.get("subject", [])}
    objects = {fold(p) for p in pronouns.get("object", [])}
    out = []
    for tok in sentence.span:
        form = fold(tok.text)
        if tok.pos_ != "PRON" and form not in subject:
            continue
        if form in subject and not tok.dep_.startswith("expl"):
            kind = "pronoun"
        elif form in objects and tok.pos_ == "PRON" and tok.dep_ in ("obj", "iobj", "dobj", "dative"):
            kind = "object_pronoun"
        else:
            continue
        start = tok.idx + sentence.base
        end = start + len(tok.text)
        if _overlaps(start, end, own):
            continue
        out.append(Mention(text=tok.text, start=start, end=end, type="ORG", kind=kind,
                           sentence=sentence.index, token_start=tok.i, token_end=tok.i + 1))
    return out


def _descriptions(sentence: Sentence, own: list[Mention], data: dict[str, Any]) -> list[Mention]:
    descriptions: dict[str, list[str]] = data.get("descriptions", {})
    determiners = data.get("definite_determiners", [])
    intensifiers = data.get("intensifiers", [])
    if not descriptions or not determiners:
        return []
    nouns = {fold(n): kind for kind, ns in descriptions.items() for n in ns}
    det = "|".join(re.escape(fold(d)) for d in sorted(determiners, key=len, reverse=True))
    noun = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    intens = "|".join(re.escape(fold(i)) for i in intensifiers) or "(?!)"
    pattern = re.compile(
        rf"(?<![\w-])(?:{det})\s*(?P<noun>{noun})(?:\s+(?:{intens}))?(?![\w-])"
    )
    text = fold(sentence.text)
    out = []
    for m in pattern.finditer(text):
        start, end = sentence.start + m.start(), sentence.start + m.end()
        if _overlaps(start, end, own):
            continue
        rest = sentence.text[m.end() :].lstrip()
        # "la société Criteo": the noun introduces a name, it does not refer back.
        if rest[:1].isupper() or _overlaps(end, end + 2 + len(sentence.text[m.end():]) - len(rest), own):
            continue
        span = tokens_of(sentence, start, end)
        if span is None:
            continue
        if any(t.tag_ == "NNS" or "Number=Plur" in str(t.morph) for t in span if fold(t.text) == m.group("noun")):
            continue  # "les deux sociétés": plural descriptions name several parties
        out.append(Mention(text=sentence.text[m.start() : m.end()], start=start, end=end,
                           type="ORG", kind="description", sentence=sentence.index,
                           token_start=span.start, token_end=span.end))
        out[-1].description_kind = nouns[m.group("noun")]
    return out


def _is_subject(m: Mention, sentence_span: Any) -> bool:
    doc = sentence_span.doc
    return any(doc[i].dep_.startswith("nsubj") for i in range(m.token_start, m.token_end))


def _resolve(
    mention: Mention,
    by_sentence: dict[int, list[Mention]],
    index: int,
    kb: KnowledgeBase,
    data: dict[str, Any],
) -> Mention | None:
    """The earlier mention that ``mention`` refers to, or None."""
    if mention.kind == "description":
        kind = mention.description_kind or "any"
        candidates = _earlier(by_sentence, index, mention.start, _DESCRIPTION_LOOKBACK)
        for cand in reversed(candidates):
            if _kind_fits(cand, kind, kb):
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
        subjects = [c for c in in_sentence if c.kind != "object_pronoun" and _first_clause(c, in_sentence)]
        if subjects:
            return subjects[0]
    return actors[-1]


def _first_clause(cand: Mention, in_sentence: list[Mention]) -> bool:
    """The first actor mention of a sentence is its most salient one."""
    return cand is in_sentence[0]


def _earlier(by_sentence: dict[int, list[Mention]], index: int, start: int, back: int) -> list[Mention]:
    out: list[Mention] = []
    for i in range(max(0, index - back), index + 1):
        out += [
            m for m in by_sentence.get(i, [])
            if m.start < start and not m.is_source and (m.entity_id or m.antecedent or m.kind in ("ner", "cue"))
        ]
    return out


def _root(m: Mention) -> Mention:
    while m.antecedent is not None:
        m = m.antecedent
    return m


def _kind_fits(cand: Mention, kind: str, kb: KnowledgeBase) -> bool:
    root = _root(cand)
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

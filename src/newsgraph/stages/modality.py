"""Modality stage: asserted, reported, speculative or negated, by precedence.

Cues come from the language file (``modality:``). A cue counts when it sits on
the trigger's chain of heads (the trigger, the verbs that govern it) or is a
dependent of that chain, so that a negation in a neighbouring clause does not
leak. The French and Spanish conditional of lexical verbs is detected from the
word form: the fr models tag "préparerait" as indicative imperfect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from newsgraph.lang import available_languages, load_language
from newsgraph.model import MODALITY_PRECEDENCE, Claim, Document, Modality, Sentence
from newsgraph.stages.relation_rules import is_trigger_word
from newsgraph.text import fold


@dataclass
class _Cues:
    negation_words: set[str]
    negation_verbs: set[str]
    negation_phrases: list[re.Pattern[str]]
    speculative_verbs: set[str]
    speculative_words: set[str]
    speculative_phrases: list[re.Pattern[str]]
    reported_phrases: list[re.Pattern[str]]
    reporting_verbs: set[str]
    conditional_suffixes: tuple[str, ...]
    conditional_exceptions: set[str]


def _patterns(items: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(r"(?<![\w-])" + fold(p) + r"(?![\w-])") for p in items]


@cache
def _cues(lang: str) -> _Cues:
    data = load_language(lang).get("modality", {})
    return _Cues(
        negation_words={w.lower() for w in data.get("negation_words", [])},
        negation_verbs={fold(w) for w in data.get("negation_verbs", [])},
        negation_phrases=_patterns(data.get("negation_phrases", [])),
        speculative_verbs={fold(w) for w in data.get("speculative_verbs", [])},
        speculative_words={w.lower() for w in data.get("speculative_words", [])},
        speculative_phrases=_patterns(data.get("speculative_phrases", [])),
        reported_phrases=_patterns(data.get("reported_phrases", [])),
        reporting_verbs={fold(w) for w in data.get("reporting_verbs", [])},
        conditional_suffixes=tuple(fold(s) for s in data.get("conditional_suffixes", [])),
        conditional_exceptions={fold(w) for w in data.get("conditional_exceptions", [])},
    )


# An apposition or a relative clause is a statement of its own.
_SEPARATE_ASSERTIONS = frozenset({"appos", "acl:relcl", "relcl", "parataxis"})


def _chain(tok: Any, start: int, end: int, is_trigger: Any = lambda t: False) -> list[Any]:
    """The trigger and the words that govern it, up to the root of its sentence.

    A conjunct's head is its sibling, not its governor ("cleared the deal but
    barred Sheffield"): the chain jumps from the first conjunct to what governs
    the coordination.
    """
    chain = [tok]
    node = tok
    while node.head.i != node.i and len(chain) < 6:
        while node.dep_ == "conj" and node.head.i != node.i:
            node = node.head
        if node.head.i == node.i or not start <= node.head.i < end:
            break  # the parse may run past our sentence: cues stay inside it
        if node.dep_ in _SEPARATE_ASSERTIONS:
            break  # "Foxconn, assembleur d'Apple, se serait intéressé…"
        if node.dep_.startswith("nsubj") and node.pos_ in ("NOUN", "PROPN"):
            break  # "le partenariat ne constituait pas une fusion": said of it, not denied
        if node.i != tok.i and is_trigger(node):
            break  # "renonce à une enquête sur l'alliance": the cue is the probe's
        node = node.head
        chain.append(node)
    return chain


def classify(
    claim: Claim, sentence: Sentence, lang: str, *, has_source: bool = False
) -> tuple[Modality, list[str]]:
    """Modality of one claim and the cues that decided it."""
    cues = _cues(lang)
    tok = sentence.span.doc[claim.trigger_i]
    sentence_text, sentence_start = sentence.text, sentence.start
    chunk_offset = sentence.start - sentence.base
    chain = _chain(tok, sentence.span.start, sentence.span.end, partial(is_trigger_word, lang=lang))
    scope = list(chain) + [c for node in chain for c in node.children]
    found: dict[Modality, list[str]] = {m: [] for m in Modality}
    trigger_offset = claim.evidence.trigger.start - sentence_start
    before = fold(sentence_text[:trigger_offset])
    text = fold(sentence_text)

    for t in scope:
        # Forms keep their accents here: French "né" is not the negation "ne".
        form, lemma = t.text.lower().replace("’", "'"), t.lemma_.lower()
        if form in cues.negation_words or lemma in cues.negation_words:
            found[Modality.NEGATED].append(t.text)
        if form in cues.speculative_words or lemma in cues.speculative_words:
            found[Modality.SPECULATIVE].append(t.text)
    for t in chain:
        lemma = fold(t.lemma_)
        if t.i != tok.i and lemma in cues.negation_verbs:
            negated_itself = any(c.text.lower() in cues.negation_words for c in t.children)
            # "n'exclut pas", "no descarta": denying a denial leaves it open.
            target = Modality.SPECULATIVE if negated_itself else Modality.NEGATED
            found[target].append(t.text)
        if t.i != tok.i and lemma in cues.speculative_verbs:
            found[Modality.SPECULATIVE].append(t.text)
        if t.i != tok.i and lemma in cues.reporting_verbs:
            found[Modality.REPORTED].append(t.text)
        auxiliaries = [c for c in t.children if c.dep_.startswith("aux")]
        if _is_conditional(t, cues) or any(_is_conditional(a, cues) for a in auxiliaries):
            found[Modality.REPORTED].append(t.text)  # "préparerait", "habría comprado"
    for pattern in cues.negation_phrases:
        if pattern.search(before):
            found[Modality.NEGATED].append(pattern.pattern)
    allowed = _clause_offsets(tok, chain)
    for pattern in cues.speculative_phrases:
        for m in pattern.finditer(text):
            if m.start() + chunk_offset in allowed:
                found[Modality.SPECULATIVE].append(m.group())
                break
    for pattern in cues.reported_phrases:
        if pattern.search(text):
            found[Modality.REPORTED].append(pattern.pattern)
    if has_source:
        found[Modality.REPORTED].append("source")
    for modality in MODALITY_PRECEDENCE:
        if found[modality]:
            return modality, found[modality]
    return Modality.ASSERTED, []


_CLAUSAL = ("acl", "acl:relcl", "relcl", "advcl", "ccomp", "parataxis", "csubj")


def _clause_offsets(tok: Any, chain: list[Any]) -> set[int]:
    """Character offsets (in the parsed chunk) of the trigger's own clause: the
    sentence less the subordinate clauses that do not contain the trigger."""
    root = chain[-1]
    inside = {t.i for t in chain}
    banned: set[int] = set()
    for t in root.subtree:
        if t.dep_ in _CLAUSAL and t.i not in inside and not any(a.i == tok.i for a in t.subtree):
            banned |= {x.i for x in t.subtree}
    return {t.idx for t in root.subtree if t.i not in banned}


def _is_conditional(tok: Any, cues: _Cues) -> bool:
    if "Mood=Cnd" in str(tok.morph):
        return True
    if tok.pos_ not in ("VERB", "AUX") or not cues.conditional_suffixes:
        return False
    form = fold(tok.text)
    return form.endswith(cues.conditional_suffixes) and form not in cues.conditional_exceptions


class ModalityStage:
    name = "modality"
    requires = ("relations",)

    def __call__(self, doc: Document) -> Document:
        if doc.lang not in available_languages():
            return doc
        sources = {m.sentence for m in doc.mentions if m.is_source}
        for claim in doc.claims:
            sentence = doc.sentences[claim.sentence]
            claim.modality, claim.cues = classify(
                claim, sentence, doc.lang, has_source=claim.sentence in sources
            )
        return doc

"""Tone stage: sentence tone in [-1, 1] from a curated lexicon in the language file.

Off-the-shelf sentiment lexicons misjudge business prose (DEPENDENCIES.md), so
the words that carry tone in news about companies are listed per language.
"""

from __future__ import annotations

import math
from functools import cache

from newsgraph.lang import available_languages, load_language
from newsgraph.model import Document
from newsgraph.text import fold


@cache
def _lexicon(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    data = load_language(lang).get("tone", {})
    return (
        frozenset(fold(w) for w in data.get("positive", [])),
        frozenset(fold(w) for w in data.get("negative", [])),
    )


def sentence_tone(words: list[tuple[str, str]], lang: str) -> float:
    """Tone of a sentence given (form, lemma) pairs: squashed positive minus negative."""
    positive, negative = _lexicon(lang)
    score = 0
    for form, lemma in words:
        f, lem = fold(form), fold(lemma)
        if f in positive or lem in positive:
            score += 1
        elif f in negative or lem in negative:
            score -= 1
    return round(math.tanh(score / 2), 3)


class ToneStage:
    name = "tone"
    requires = ("relations",)

    def __call__(self, doc: Document) -> Document:
        if doc.lang not in available_languages():
            return doc
        cache: dict[int, float] = {}
        for claim in doc.claims:
            if claim.sentence not in cache:
                span = doc.sentences[claim.sentence].span
                cache[claim.sentence] = sentence_tone([(t.text, t.lemma_) for t in span], doc.lang)
            claim.tone = cache[claim.sentence]
        return doc

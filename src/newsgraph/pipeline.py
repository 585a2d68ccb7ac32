"""Assemble the stages, check their order, run them on an article.

The order is language → parse → mentions → coref → linking → relations →
modality → amounts → dates → tone → confidence; each stage names the stages it
needs and ``Pipeline`` refuses an order that breaks a need.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence

from newsgraph.errors import EmptyInput, InputTooLarge, InvalidDate, Warnings
from newsgraph.model import Document
from newsgraph.stages import Stage
from newsgraph.stages.amounts import AmountStage
from newsgraph.stages.confidence import ConfidenceStage
from newsgraph.stages.coref import CorefStage
from newsgraph.stages.dates import DateStage
from newsgraph.stages.language import LanguageStage
from newsgraph.stages.linking import LinkingStage
from newsgraph.stages.mentions import MentionStage
from newsgraph.stages.modality import ModalityStage
from newsgraph.stages.parse import CHUNK_CHARS, ParseStage
from newsgraph.stages.relations import RelationStage
from newsgraph.stages.tone import ToneStage

MAX_CHARS = 5_000_000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Pipeline:
    """An ordered list of stages whose requirements are checked at build time."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        done: set[str] = set()
        for stage in stages:
            missing = [r for r in stage.requires if r not in done]
            if missing:
                raise ValueError(f"stage {stage.name!r} needs {missing} to run before it")
            done.add(stage.name)
        self.stages = list(stages)

    @classmethod
    def default(cls) -> Pipeline:
        return cls(
            [
                LanguageStage(),
                ParseStage(),
                MentionStage(),
                CorefStage(),
                LinkingStage(),
                RelationStage(),
                ModalityStage(),
                AmountStage(),
                DateStage(),
                ToneStage(),
                ConfidenceStage(),
            ]
        )

    def __call__(self, doc: Document) -> Document:
        for stage in self.stages:
            doc = stage(doc)
            doc.stages_done.append(stage.name)
        return doc

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]:
        """Run the stages over many documents, parsing them in batches.

        spaCy is much faster on batches; the other stages run per document.
        Documents come back in the order they went in.
        """
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> list[Document]:
        parse_at = next((i for i, s in enumerate(self.stages) if isinstance(s, ParseStage)), None)
        if parse_at is None:
            return [self(doc) for doc in batch]
        for doc in batch:
            for stage in self.stages[:parse_at]:
                doc = stage(doc)
                doc.stages_done.append(stage.name)
        parser = self.stages[parse_at]
        assert isinstance(parser, ParseStage)
        parser.parse_many(batch)
        out = []
        for doc in batch:
            doc.stages_done.append(parser.name)
            for stage in self.stages[parse_at + 1 :]:
                doc = stage(doc)
                doc.stages_done.append(stage.name)
            out.append(doc)
        return out


_DEFAULT: Pipeline | None = None


def analyze(
    text: str,
    *,
    lang: str | None = None,
    published: str | None = None,
    doc_id: str | None = None,
    title: str | None = None,
) -> Document:
    """Extract entities and claims from one article.

    Args:
        text: the article as read (title line first, if any).
        lang: "fr", "en", "es"…; detected when None. Other languages get a
            warning and knowledge-base entities only.
        published: the article's date, YYYY-MM-DD, used for relative dates.
        doc_id: the document id written in the output (default "doc").
        title: the title, when it is not the first line of ``text``.

    Returns:
        The ``Document`` with ``entities`` and ``claims`` (see ONTOLOGY.md).

    >>> doc = analyze("Microsoft a investi 10 milliards de dollars dans OpenAI.", lang="fr")
    >>> [(c.subject, c.relation, c.object) for c in doc.claims]
    [('Q2283', 'INVESTS_IN', 'Q21708200')]
    """
    return next(
        _pipeline().pipe(
            [make_document(text, lang=lang, published=published, doc_id=doc_id, title=title)]
        )
    )


def make_document(
    text: str,
    *,
    lang: str | None = None,
    published: str | None = None,
    doc_id: str | None = None,
    title: str | None = None,
) -> Document:
    """Check an article's text and date and wrap them in a ``Document``."""
    if not text or not text.strip():
        raise EmptyInput(source=doc_id or "<input>")
    if len(text) > MAX_CHARS:
        raise InputTooLarge(
            source=doc_id or "<input>", chars=len(text), unit="characters", limit=MAX_CHARS
        )
    if published is not None:
        validate_date(published)
    doc = Document(id=doc_id or "doc", text=text, lang=lang, published=published, title=title)
    if len(text) > CHUNK_CHARS:
        chunks = -(-len(text) // CHUNK_CHARS)
        doc.warnings.append(Warnings.text("W003", chars=len(text), chunks=chunks))
    return doc


def validate_date(value: str) -> str:
    """``value`` if it is ``YYYY-MM-DD`` naming a real day, else raise InvalidDate.

    >>> validate_date("2024-02-29")
    '2024-02-29'
    """
    if not _ISO_DATE.fullmatch(value):
        raise InvalidDate(value)
    try:
        dt.date.fromisoformat(value)
    except ValueError as e:  # 2024-02-30 has the shape of a day but is none
        raise InvalidDate(value) from e
    return value


def analyze_many(docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]:
    """Analyse many documents (from ``make_document``), parsing them in batches.

    >>> docs = [make_document(t, lang="en") for t in ("Apple sues Samsung.", "Google buys Fitbit.")]
    >>> [len(d.claims) for d in analyze_many(docs)]
    [1, 1]
    """
    return _pipeline().pipe(docs, batch_size=batch_size)


def _pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline.default()
    return _DEFAULT

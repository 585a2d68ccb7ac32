"""Pipeline stages: each takes a Document and returns it enriched.

A stage declares what it needs (``requires``: names of earlier stages) and its
own ``name``; ``newsgraph.pipeline`` checks the order when it is built. Heavy
resources (spaCy models, the knowledge base, language data) are loaded once
and cached by the modules that own them, never per document.
"""

from __future__ import annotations

from typing import Protocol

from newsgraph.kb import KnowledgeBase
from newsgraph.model import Document


class Stage(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def requires(self) -> tuple[str, ...]: ...

    def __call__(self, doc: Document) -> Document: ...


class KBStage:
    """Base of the stages that read the knowledge base: the bundled one unless a
    test or an application passes its own."""

    def __init__(self, *, kb: KnowledgeBase | None = None) -> None:
        self._kb = kb

    @property
    def kb(self) -> KnowledgeBase:
        return self._kb or KnowledgeBase.default()

"""Pipeline stages: each takes a Document and returns it enriched.

A stage declares what it needs (``requires``: names of earlier stages) and its
own ``name``; ``newsgraph.pipeline`` checks the order when it is built. Heavy
resources (spaCy models, the knowledge base, language data) are loaded once
and cached by the modules that own them, never per document.
"""

from __future__ import annotations

from typing import Protocol

from newsgraph.model import Document


class Stage(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def requires(self) -> tuple[str, ...]: ...

    def __call__(self, doc: Document) -> Document: ...

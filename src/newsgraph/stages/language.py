"""Language stage: identify the article's language among those we have data for."""

from __future__ import annotations

from functools import cache
from typing import Any

from newsgraph.lang import available_languages
from newsgraph.model import Document

# Languages we recognise so as to say "unsupported" rather than guess a wrong one.
_RECOGNISED_EXTRA = ("de", "it", "pt", "nl", "ca")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages([*available_languages(), *_RECOGNISED_EXTRA])
    return ident


def detect_language(text: str) -> tuple[str, float]:
    """Most likely language code of ``text`` and its probability."""
    code, prob = _identifier().classify(text[:5000])
    return str(code), float(prob)


class LanguageStage:
    """Sets ``doc.lang`` when the caller did not; warns on unsupported languages."""

    name = "language"
    requires: tuple[str, ...] = ()

    def __call__(self, doc: Document) -> Document:
        from newsgraph.errors import Warnings

        if doc.lang is None:
            code, prob = detect_language(doc.text)
            doc.lang = code
            if prob < 0.5:
                doc.warnings.append(Warnings.text("W002", lang=code, confidence=prob))
        if doc.lang not in available_languages():
            doc.warnings.append(
                Warnings.text(
                    "W001",
                    lang=doc.lang,
                    supported=", ".join(available_languages()),
                    fallback="knowledge-base only",
                )
            )
        return doc

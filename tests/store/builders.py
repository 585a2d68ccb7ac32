"""Synthetic analysed articles for the store tests (every text is invented)."""

from __future__ import annotations

from newsgraph.store import ArticleRows


def article_rows(
    doc_id: str, text: str, *, name: str | None = None, published: str = "2024-01-10"
) -> ArticleRows:
    """An English article ``doc_id`` with ``text``, no entities or claims yet."""
    return ArticleRows(
        document={
            "id": doc_id,
            "name": name or doc_id,
            "title": text,
            "lang": "en",
            "published": published,
            "url": None,
            "site": None,
            "text": text,
            "warnings": [],
        },
        location=f"{doc_id}.txt",
        minhash=[1, 2, 3],
        embedding=None,
    )

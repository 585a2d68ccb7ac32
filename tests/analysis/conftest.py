"""Synthetic in-memory stores for the analysis tests: rows written by hand, no spaCy."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from newsgraph.store import ArticleRows, Store

#: Entities of the synthetic stores: id -> (name, type, aliases).
ENTITIES: dict[str, tuple[str, str, list[str]]] = {
    "Q2283": ("Microsoft", "ORG", ["MSFT"]),
    "Q21708200": ("OpenAI", "ORG", ["Open AI"]),
    "Q3884": ("Amazon", "ORG", []),
    "Q95": ("Google", "ORG", []),
    "Q19900": ("Oracle", "ORG", []),
    "Q182477": ("Nvidia", "ORG", []),
    "Q14772": ("SoftBank", "ORG", []),
    "kb:anthropic": ("Anthropic", "ORG", []),
    "kb:microsoft-azure": ("Microsoft Azure", "PRODUCT", ["Azure"]),
    "kb:gpt-4": ("GPT-4", "PRODUCT", []),
    "kb:microsoft-copilot": ("Microsoft Copilot", "PRODUCT", ["Copilot"]),
    "local:product:widget-cloud": ("Widget Cloud", "PRODUCT", []),
    "local:org:widget": ("Widget", "ORG", []),
    "Q1234": ("Federal Trade Commission", "REGULATOR", ["FTC"]),
}


@dataclass
class C:
    """One synthetic claim: ``C("Q2283", "INVESTS_IN", "Q21708200", amount=1e9)``."""

    subject: str
    relation: str
    object: str
    modality: str = "asserted"
    tone: float = 0.0
    amount: float | None = None
    currency: str | None = "USD"
    date: str | None = None
    sentence: str = ""


def article(doc_id: str, published: str | None, claims: Sequence[C]) -> ArticleRows:
    """The store rows of a synthetic article ``doc_id`` holding ``claims``."""
    used = {c.subject for c in claims} | {c.object for c in claims}
    rows = ArticleRows(
        document={
            "id": doc_id,
            "name": f"{doc_id}.txt",
            "title": f"Title of {doc_id}",
            "lang": "en",
            "published": published,
            "url": None,
            "site": None,
            "text": " ".join(c.sentence or _sentence(c) for c in claims) or doc_id,
            "warnings": [],
        },
        location=f"/corpus/{doc_id}.txt",
    )
    for id_ in sorted(used):
        name, type_, aliases = ENTITIES[id_]
        qid = id_ if id_.startswith("Q") else None
        rows.entities.append((id_, name, type_, qid, id_.startswith(("Q", "kb:")), aliases))
    for seq, c in enumerate(claims):
        sentence = c.sentence or _sentence(c)
        rows.claims.append(
            (
                f"{doc_id}:{seq}",
                doc_id,
                seq,
                c.subject,
                c.relation,
                c.object,
                c.modality,
                c.amount,
                c.currency if c.amount is not None else None,
                None,
                c.date,
                c.tone,
                0.9,
                sentence,
                0,
                len(sentence),
                c.relation.lower(),
                0,
                1,
                0,
                1,
                2,
                3,
            )
        )
    return rows


def _sentence(c: C) -> str:
    subject, obj = ENTITIES[c.subject][0], ENTITIES[c.object][0]
    return f"{subject} {c.relation.lower().replace('_', ' ')} {obj} ({c.modality})."


StoreFactory = Callable[..., Store]


@pytest.fixture
def make_store() -> Iterator[StoreFactory]:
    """Build in-memory stores: ``make_store([article(...), ...], stories={doc: story})``."""
    opened: list[Store] = []

    def build(articles: Sequence[ArticleRows], *, stories: dict[str, str] | None = None) -> Store:
        store = Store.open(":memory:")
        opened.append(store)
        store.write(list(articles))
        store.set_stories(stories or {})
        return store

    yield build
    for store in opened:
        store.close()


def ids(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The ``id`` of each row, in order."""
    return [row["id"] for row in rows]

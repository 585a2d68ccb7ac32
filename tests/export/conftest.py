"""A small synthetic store for the export tests: four articles written as rows, no spaCy.

It holds a symmetric relation stated both ways (one edge, two claims), entities
without a QID, an amount with a bound, a negated claim (no direct RDF triple),
an article without claims or date, a second source with a URL, and a sentence
full of characters that CSV, XML and Turtle must escape.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from newsgraph.store import ArticleRows, Store

MS, OAI, GOOG, SF = "Q2283", "Q21708200", "Q95", "Q62"
ACME = "local:org:acme-widgets"
JANE = "local:per:jane-doe"
COPILOT = "kb:copilot"

#: A sentence with quotes, commas, line breaks, a backslash and XML's special characters.
TRICKY = (
    'Microsoft said "we\'re all in", investing $10bn,\nin OpenAI <&> more; '
    'a \\ backslash, """triple""" quotes\r\nand a "last"'
)

ENTITIES = {
    MS: (MS, "Microsoft", "ORG", MS, True, ["MSFT", "the Redmond giant"]),
    OAI: (OAI, "OpenAI", "ORG", OAI, True, ["Open AI"]),
    GOOG: (GOOG, "Google", "ORG", GOOG, True, []),
    SF: (SF, "San Francisco", "LOC", SF, True, []),
    ACME: (ACME, 'Acme "Widgets", Inc. <&>', "ORG", None, False, []),
    JANE: (JANE, "Jane Doe", "PER", None, False, []),
    COPILOT: (COPILOT, "Copilot", "PRODUCT", None, True, ["GitHub Copilot"]),
}

DOC_A, DOC_B, DOC_C, DOC_D = "aaaa", "bbbb", "cccc", "dddd"


def claim(
    doc: str,
    seq: int,
    subject: str,
    relation: str,
    object_: str,
    modality: str = "asserted",
    *,
    amount: tuple[float, str, str | None] | None = None,
    date: str | None = None,
    sentence: str = "A plain sentence.",
    tone: float = 0.1,
) -> tuple[Any, ...]:
    """A claims row (CLAIM_COLUMNS order)."""
    value, currency, bound = amount or (None, None, None)
    return (
        f"{doc}:{seq}", doc, seq, subject, relation, object_, modality,
        value, currency, bound, date, tone, 0.75,
        sentence, 10 * seq, 10 * seq + len(sentence), "verb", 10 * seq + 3, 10 * seq + 7,
        10 * seq, 10 * seq + 2, 10 * seq + 8, 10 * seq + 9,
    )  # fmt: skip


def article(
    doc: str,
    *,
    lang: str | None,
    published: str | None,
    title: str | None,
    url: str | None = None,
    entities: list[str],
    claims: list[tuple[Any, ...]],
) -> ArticleRows:
    """An ArticleRows with one mention per entity."""
    rows = ArticleRows(
        document={
            "id": doc,
            "name": f"name-{doc}",
            "title": title,
            "lang": lang,
            "published": published,
            "url": url,
            "site": "example.com" if url else None,
            "text": f"Text of {doc}.",
            "warnings": ["W002: low confidence"] if lang is None else [],
        },
        location=f"in/{doc}.txt",
    )
    for i, entity_id in enumerate(entities):
        rows.entities.append(ENTITIES[entity_id])
        name = ENTITIES[entity_id][1]
        rows.mentions.append((doc, 100 * i, 100 * i + len(name), name, entity_id, "name"))
    rows.claims.extend(claims)
    return rows


ARTICLES = [
    article(
        DOC_A,
        lang="en",
        published="2023-01-23",
        title='Microsoft, OpenAI & "friends"',
        url="https://example.com/a?x=1&y=2",
        entities=[MS, OAI, COPILOT],
        claims=[
            claim(DOC_A, 0, MS, "INVESTS_IN", OAI, amount=(1e10, "USD", "min"), sentence=TRICKY),
            claim(DOC_A, 1, MS, "PARTNERS_WITH", OAI),
            claim(DOC_A, 2, MS, "OWNS", COPILOT, date="2023-01-20"),
        ],
    ),
    article(
        DOC_B,
        lang="fr",
        published="2024-03-01",
        title="Google rachète Acme",
        entities=[OAI, MS, GOOG, ACME, JANE],
        claims=[
            claim(DOC_B, 0, OAI, "PARTNERS_WITH", MS, "reported", tone=-0.25),
            claim(DOC_B, 1, GOOG, "ACQUIRES", ACME, amount=(2.5e9, "EUR", None)),
            claim(DOC_B, 2, JANE, "LEADS", ACME),
            claim(DOC_B, 3, MS, "EMPLOYS", JANE),
        ],
    ),
    article(
        DOC_C,
        lang="es",
        published=None,
        title=None,
        entities=[GOOG, OAI, ACME, SF],
        claims=[
            claim(DOC_C, 0, GOOG, "ACQUIRES", OAI, "negated"),
            claim(DOC_C, 1, ACME, "HEADQUARTERED_IN", SF, date="2020-05-01"),
            claim(DOC_C, 2, OAI, "COMPETES_WITH", GOOG, "speculative"),
        ],
    ),
    article(DOC_D, lang=None, published="2024-06-30", title="Nothing", entities=[MS], claims=[]),
]

#: Claims in the synthetic store, and edges (the two PARTNERS_WITH claims are one edge).
N_CLAIMS = 10
N_EDGES = 9


@pytest.fixture
def store() -> Iterator[Store]:
    """The synthetic store, in memory; stories: A with B, C with D."""
    store = Store.open(":memory:")
    mirror = (DOC_B, "mirror/b.html", "b", "https://mirror.example/b page")
    store.write(ARTICLES, duplicates=[mirror])
    # D (no language) shares C's story: a story whose documents all lack a
    # language fails Store.set_stories (stories.langs NOT NULL; reported).
    store.set_stories({DOC_B: DOC_A, DOC_D: DOC_C})
    yield store
    store.close()


@pytest.fixture
def con(store: Store) -> Any:
    """The synthetic store's DuckDB connection."""
    return store.con

"""Story grouping: wire copies by MinHash, translations by embeddings, order-free ids."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from newsgraph.ingest.dedup import (
    Fingerprint,
    cross_lingual_candidates,
    group_stories,
    minhash_signature,
)

WIRE = (
    "Amazon will invest up to four billion dollars in Anthropic, the San Francisco "
    "start-up, and Amazon Web Services becomes its main cloud provider, the companies "
    "said on Monday in a joint statement published in Seattle."
)
MS = frozenset({"Q2283", "Q21708200"})
AMAZON = frozenset({"Q3884", "kb:anthropic"})


def doc(
    id_: str, text: str, *, lang: str = "en", day: int = 1, entities: frozenset[str] = AMAZON
) -> Fingerprint:
    return Fingerprint(id_, lang, dt.date(2024, 3, day), minhash_signature(text), entities)


def embeddings_from(table: dict[str, list[float]]):  # type: ignore[no-untyped-def]
    asked: list[Sequence[str]] = []

    def embed(ids: Sequence[str]) -> dict[str, list[float]]:
        asked.append(list(ids))
        return {i: table[i] for i in ids if i in table}

    return embed, asked


def test_a_lightly_edited_wire_copy_joins_the_original() -> None:
    edited = WIRE.replace("on Monday", "on Monday morning")
    stories = group_stories([doc("b", WIRE), doc("a", edited), doc("c", "Nvidia sues Arm.")])
    assert stories == {"a": "a", "b": "a"}


def test_a_translation_needs_close_dates_shared_entities_and_a_close_embedding() -> None:
    vectors = {"en": [1.0, 0.0], "es": [0.8, 0.6], "fr": [-0.6, 0.8], "es2": [0.8, 0.6]}
    embed, asked = embeddings_from(vectors)
    docs = [
        doc("en", WIRE),
        doc("es", "Amazon invertirá hasta 4.000 millones en Anthropic.", lang="es", day=2),
        doc("fr", "Amazon investit dans Anthropic.", lang="fr", day=2),  # cosine -0.6 and 0
        doc("es2", "Amazon invertirá en Anthropic.", lang="es", day=20),  # too late
    ]
    assert group_stories(docs, embeddings=embed) == {"en": "en", "es": "en"}
    assert sorted(asked[0]) == ["en", "es", "fr"], "only candidates are embedded"


def test_no_cross_lingual_candidate_without_two_shared_entities_or_another_language() -> None:
    docs = [
        doc("a", WIRE),
        doc("b", "Microsoft invests in OpenAI.", lang="fr", entities=MS),
        doc("c", "Amazon backs Anthropic again.", lang="en"),
    ]
    assert cross_lingual_candidates(docs) == []


def test_grouping_does_not_depend_on_input_order() -> None:
    vectors = {f"d{i}": [1.0, 0.0] for i in range(6)}
    docs = [
        doc(
            f"d{i}",
            WIRE if i % 2 else f"Amazon and Anthropic, take {i}.",
            lang="en" if i < 3 else "es",
        )
        for i in range(6)
    ]
    expected = group_stories(docs, embeddings=embeddings_from(vectors)[0])
    for seed in range(5):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        assert group_stories(shuffled, embeddings=embeddings_from(vectors)[0]) == expected
    assert set(expected.values()) == {"d0"}

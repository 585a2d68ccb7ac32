"""Story grouping: wire copies by MinHash, translations by embeddings, in date order."""

from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.ingest.dedup import Fingerprint, group_stories, minhash_signature

WIRE = (
    "Amazon will invest up to four billion dollars in Anthropic, the San Francisco "
    "start-up, and Amazon Web Services becomes its main cloud provider, the companies "
    "said on Monday in a joint statement published in Seattle."
)
MS = frozenset({"Q2283", "Q21708200"})
AMAZON = frozenset({"Q3884", "kb:anthropic"})


def doc(
    id_: str,
    text: str,
    *,
    lang: str = "en",
    day: int | None = 1,
    entities: frozenset[str] = AMAZON,
    vector: list[float] | None = None,
) -> Fingerprint:
    published = None if day is None else dt.date(2024, 3, day)
    return Fingerprint(id_, lang, published, minhash_signature(text), entities, vector)


def in_order(docs: list[Fingerprint]) -> list[Fingerprint]:
    return sorted(docs, key=lambda d: (d.published is None, d.published or dt.date.max, d.id))


def test_a_lightly_edited_wire_copy_joins_the_original() -> None:
    edited = WIRE.replace("on Monday", "on Monday morning")
    docs = [doc("b", WIRE), doc("a", edited, day=3), doc("c", "Nvidia sues Arm.")]
    assert group_stories(in_order(docs)) == {"a": "a", "b": "a"}


def test_copies_more_than_the_window_apart_stay_apart_unless_both_undated() -> None:
    docs = [doc("a", WIRE), doc("b", WIRE, day=20), doc("c", WIRE, day=None)]
    docs.append(doc("d", WIRE, day=None))
    assert group_stories(in_order(docs)) == {"c": "c", "d": "c"}


def test_a_translation_needs_close_dates_shared_entities_and_a_close_embedding() -> None:
    docs = [
        doc("en", WIRE, vector=[1.0, 0.0]),
        doc("es", "Amazon invertirá 4.000 millones en Anthropic.", lang="es", day=2,
            vector=[0.8, 0.6]),
        doc("fr", "Amazon investit dans Anthropic.", lang="fr", day=2, vector=[-0.6, 0.8]),
        doc("es2", "Amazon invertirá en Anthropic.", lang="es", day=20, vector=[0.8, 0.6]),
        doc("ms", "Microsoft invierte en OpenAI.", lang="es", entities=MS, vector=[1.0, 0.0]),
        doc("en2", "Amazon backs Anthropic again.", day=2, vector=[1.0, 0.0]),
        doc("none", "Amazon y Anthropic.", lang="es", day=2, vector=None),
    ]  # fmt: skip
    assert group_stories(in_order(docs)) == {"en": "en", "es": "en", "en2": "en"}


def test_story_ids_are_the_smallest_document_id() -> None:
    docs = [doc(f"d{i}", WIRE, day=1 + i) for i in (3, 1, 2)]
    assert set(group_stories(in_order(docs)).values()) == {"d1"}


def test_fingerprints_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="order"):
        group_stories([doc("a", WIRE, day=5), doc("b", WIRE, day=1)])

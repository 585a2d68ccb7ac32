"""The benchmark corpus of bench/store.py: synthetic articles recombined from the demo corpus.

Each synthetic article takes its title from one demo article and 2–4 paragraphs
from demo articles of the same language, gets a date in 2019–2025, and a share
of them are exact copies (to exercise deduplication). Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "newsgraph" / "demo"
SEED = 2024
DUPLICATE_SHARE = 0.03
PARAGRAPHS = (2, 4)  # paragraphs per synthetic article, inclusive
FIRST_DAY, LAST_DAY = dt.date(2019, 1, 1), dt.date(2025, 12, 31)
_BLANK_LINE = re.compile(r"\n\s*\n")


# --- corpus ---------------------------------------------------------------------


@dataclass(frozen=True)
class DemoArticle:
    """One demo article cut into its title and paragraphs."""

    name: str
    lang: str
    title: str
    paragraphs: tuple[str, ...]


def load_demo(directory: Path = DEMO) -> list[DemoArticle]:
    """The demo articles (``<date>_<lang>_<slug>.txt``: line 1 title, blank-line paragraphs)."""
    articles = []
    for path in sorted(directory.glob("*.txt")):
        parts = path.stem.split("_", 2)
        if len(parts) < 3 or not re.fullmatch(r"[a-z]{2}", parts[1]):
            raise ValueError(f"{path.name}: not named <date>_<lang>_<slug>.txt")
        title, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        paragraphs = tuple(p.strip() for p in _BLANK_LINE.split(body) if p.strip())
        articles.append(DemoArticle(path.stem, parts[1], title.strip(), paragraphs))
    if not articles:
        raise ValueError(f"no *.txt article in {directory}")
    return articles


def generate_corpus(
    articles: Sequence[DemoArticle],
    size: int,
    *,
    seed: int = SEED,
    duplicate_share: float = DUPLICATE_SHARE,
) -> list[dict[str, str]]:
    """``size`` synthetic articles recombined from ``articles``, the same for the same seed.

    Each record has ``id``, ``title``, ``text`` (its paragraphs, blank-line
    separated, without the title), ``published`` (ISO day) and ``lang``. An
    original takes the title of a random article and 2–4 distinct paragraphs
    drawn from all the articles of that language; no two originals are the
    same. ``round(size * duplicate_share)`` records, at random places after the
    first, copy an earlier original under a new id (same title, text and date).

    >>> demo = [DemoArticle("a", "en", "T", ("p1", "p2", "p3"))]
    >>> [r["id"] for r in generate_corpus(demo, 3, duplicate_share=0)]
    ['synth-000000', 'synth-000001', 'synth-000002']
    """
    if size < 0:
        raise ValueError("size must be >= 0")
    pools: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        pools[article.lang].extend(article.paragraphs)
    if not articles or any(len(pool) < PARAGRAPHS[0] for pool in pools.values()):
        raise ValueError(f"every language needs at least {PARAGRAPHS[0]} paragraphs")
    rng = random.Random(seed)
    copies = round(size * duplicate_share) if size > 1 else 0
    copy_at = set(rng.sample(range(1, size), copies))
    first, last = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    records: list[dict[str, str]] = []
    originals: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for i in range(size):
        doc_id = f"synth-{i:06d}"
        if i in copy_at:
            records.append(originals[rng.randrange(len(originals))] | {"id": doc_id})
            continue
        for _ in range(1_000):
            article = rng.choice(articles)
            pool = pools[article.lang]
            count = min(rng.randint(*PARAGRAPHS), len(pool))
            text = "\n\n".join(rng.sample(pool, count))
            if (article.title, text) not in seen:
                break
        else:
            raise ValueError(f"the demo articles give fewer than {size} distinct articles")
        seen.add((article.title, text))
        record = {
            "id": doc_id,
            "title": article.title,
            "text": text,
            "published": dt.date.fromordinal(rng.randint(first, last)).isoformat(),
            "lang": article.lang,
        }
        originals.append(record)
        records.append(record)
    return records


def write_jsonl(records: Iterable[dict[str, str]], path: Path) -> Path:
    """Write one JSON object per line (UTF-8, non-ASCII kept); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def count_words(record: dict[str, str]) -> int:
    """Words of the text an article is analysed as (title and paragraphs), as bench/run.py."""
    return len(record["title"].split()) + len(record["text"].split())


def corpus_facts(records: Sequence[dict[str, str]]) -> dict[str, Any]:
    """Counts of a generated corpus: articles, unique texts, copies, words, languages."""
    unique: dict[tuple[str, str], dict[str, str]] = {}
    for r in records:
        unique.setdefault((r["title"], r["text"]), r)
    by_lang: dict[str, int] = defaultdict(int)
    for r in records:
        by_lang[r["lang"]] += 1
    return {
        "articles": len(records),
        "unique": len(unique),
        "duplicates": len(records) - len(unique),
        "words": sum(count_words(r) for r in records),
        "unique_words": sum(count_words(r) for r in unique.values()),
        "by_lang": dict(sorted(by_lang.items())),
    }

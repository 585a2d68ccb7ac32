"""bench/run.py builds its corpus as documented (no model is loaded, nothing is timed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def bench_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_bench_run", BENCH / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_corpus_replicates_the_dev_articles_to_the_target(bench_run: ModuleType) -> None:
    articles = bench_run.load_articles()
    corpus = bench_run.build_corpus(articles, target_words=30_000)

    words = sum(bench_run.count_words(a.text) for a in corpus)
    longest = max(a.words for a in articles)
    assert len(articles) == 45
    assert 30_000 <= words < 30_000 + longest
    assert {a.id.split("#")[0] for a in corpus} == {a.id for a in articles}
    assert len({a.id for a in corpus}) == len(corpus)
    texts = {a.id: a.text for a in articles}
    assert all(a.text == texts[a.id.split("#")[0]] for a in corpus)
    share = {
        lang: sum(a.words for a in corpus if a.lang == lang) / words for lang in ["fr", "en", "es"]
    }
    assert all(0.2 < s < 0.5 for s in share.values()), share


def test_small_target_gives_at_least_one_article(bench_run: ModuleType) -> None:
    articles = [bench_run.Article("en_01", "en", "one two three")]
    corpus = bench_run.build_corpus(articles, target_words=7)
    assert [a.id for a in corpus] == ["en_01", "en_01#2", "en_01#3"]

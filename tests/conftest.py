"""Shared fixtures: make ``src`` importable without an install, and fake pipeline/KB."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any, ClassVar

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


class FakeKB:
    """A knowledge base that knows OpenAI's and the European Commission's aliases."""

    NAMES: ClassVar[dict[str, set[str]]] = {
        "Q21708200": {"OpenAI", "Open AI"},
        "Q2283": {"Microsoft", "MSFT", "Microsoft Corporation"},
        "Q8880": {"European Commission", "Commission européenne", "Comisión Europea"},
    }

    def names_for(self, entity_id: str) -> set[str]:
        return set(self.NAMES.get(entity_id, set()))

    @classmethod
    def default(cls) -> FakeKB:
        return cls()


def fake_analyze(
    text: str,
    *,
    lang: str | None = None,
    published: str | None = None,
    doc_id: str | None = None,
    title: str | None = None,
) -> Any:
    """Finds "Microsoft" and "OpenAI" and says Microsoft invests in OpenAI."""
    from newsgraph.errors import UnsupportedLanguage
    from newsgraph.model import Claim, Document, Entity, Evidence, Mention, TriggerSpan

    if lang == "xx":
        raise UnsupportedLanguage(lang)
    doc = Document(id=doc_id or "doc", text=text, lang=lang or "en", published=published)
    for qid, name in (("Q2283", "Microsoft"), ("Q21708200", "OpenAI")):
        at = text.find(name)
        if at >= 0:
            mention = Mention(text=name, start=at, end=at + len(name), type="ORG", entity_id=qid)
            doc.entities[qid] = Entity(qid, name, "ORG", qid=qid, mentions=[mention])
    if len(doc.entities) == 2:
        ms, oa = (doc.entities[q].mentions[0] for q in ("Q2283", "Q21708200"))
        evidence = Evidence(
            doc.id, text, 0, len(text), TriggerSpan("invests", 0, 0), ms.span, oa.span
        )
        doc.claims.append(Claim("Q2283", "INVESTS_IN", "Q21708200", evidence))
    return doc


@pytest.fixture
def kb() -> FakeKB:
    """A small fake knowledge base (``names_for`` only)."""
    return FakeKB()


@pytest.fixture
def analyzer() -> Any:
    """A fake ``analyze`` that only knows Microsoft investing in OpenAI."""
    return fake_analyze


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace ``newsgraph.pipeline`` and ``newsgraph.kb`` by the fakes above."""
    pipeline = types.ModuleType("newsgraph.pipeline")
    pipeline.analyze = fake_analyze  # type: ignore[attr-defined]
    kb = types.ModuleType("newsgraph.kb")
    kb.KnowledgeBase = FakeKB  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "newsgraph.pipeline", pipeline)
    monkeypatch.setitem(sys.modules, "newsgraph.kb", kb)


MINI_CORPUS = Path(__file__).resolve().parent / "data" / "mini_corpus"


@pytest.fixture(scope="session")
def mini_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file holding the ten short articles of ``tests/data/mini_corpus``.

    Built once per test session with the real pipeline; open it with
    ``Store.open(path, read_only=True)``.
    """
    from newsgraph.ingest.run import ingest

    path = tmp_path_factory.mktemp("store") / "mini.duckdb"
    ingest([str(MINI_CORPUS)], db=str(path), processes=1)
    return path


@pytest.fixture
def mini_store(mini_store_path: Path) -> Any:
    """The mini-corpus store, opened read-only (closed after the test)."""
    from newsgraph.store import Store

    store = Store.open(mini_store_path, read_only=True)
    yield store
    store.close()


DEMO_CORPUS = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "demo"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the whole demo corpus (about a minute), built once per test session."""
    from newsgraph.ingest.run import ingest

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    summary = ingest([str(DEMO_CORPUS)], db=str(db), processes=1)
    assert summary.failed == [] and summary.skipped == []
    return db


BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="session")
def bench_module() -> Any:
    """Load a benchmark script of bench/ as a module: ``bench_module("run")``."""
    import importlib.util

    def load(name: str) -> types.ModuleType:
        spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCH / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up by name
        try:
            spec.loader.exec_module(module)
        finally:
            del sys.modules[spec.name]
        return module

    return load

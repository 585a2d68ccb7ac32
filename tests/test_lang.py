"""Per-language data files: they load, name a model, and only use ontology relations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import newsgraph.lang as lang
from newsgraph.lang import available_languages, load_language
from newsgraph.model import RELATIONS


@pytest.fixture
def lang_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The loader reads from ``tmp_path``; its cache is cleared before and after."""
    load_language.cache_clear()
    available_languages.cache_clear()
    monkeypatch.setattr(lang, "_DIR", tmp_path)
    yield tmp_path
    load_language.cache_clear()
    available_languages.cache_clear()


def test_fr_en_es_are_available() -> None:
    assert set(available_languages()) >= {"fr", "en", "es"}


@pytest.mark.parametrize("code", available_languages())
def test_language_file_loads_and_names_a_model(code: str) -> None:
    data = load_language(code)
    assert isinstance(data["model"], str)
    assert data["model"]


@pytest.mark.parametrize("code", available_languages())
def test_relation_keys_are_ontology_relations(code: str) -> None:
    relations = load_language(code).get("relations") or {}
    assert relations
    assert set(relations) <= set(RELATIONS)


@pytest.mark.parametrize("code", available_languages())
def test_every_relation_has_a_trigger(code: str) -> None:
    relations = load_language(code)["relations"]
    missing = [
        name
        for name in RELATIONS
        if name != "PRODUCT_OF"  # also found from genitives and owner descriptions
        and not any(relations.get(name, {}).get(k) for k in ("verbs", "nouns", "phrases"))
    ]
    assert missing == []


def test_unknown_language_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        load_language("tlh")


@pytest.mark.parametrize("word", ["on", "no", "yes", "off"])
def test_bare_boolean_word_is_refused(lang_dir: Path, word: str) -> None:
    (lang_dir / "xx.yaml").write_text(
        f"model: xx_model\nmodality:\n  negation_words: [not, {word}]\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="quote"):
        load_language("xx")


def test_quoted_word_is_accepted(lang_dir: Path) -> None:
    (lang_dir / "xx.yaml").write_text(
        'model: xx_model\nmodality:\n  negation_words: [not, "no"]\n', encoding="utf-8"
    )
    assert load_language("xx")["modality"]["negation_words"] == ["not", "no"]


def test_topic_files_are_merged(lang_dir: Path) -> None:
    (lang_dir / "xx.yaml").write_text("model: xx_model\n", encoding="utf-8")
    (lang_dir / "xx.dates.yaml").write_text("months: [janvier]\n", encoding="utf-8")
    assert load_language("xx") == {"model": "xx_model", "months": ["janvier"]}
    assert available_languages() == ("xx",)


def test_a_key_defined_twice_is_refused(lang_dir: Path) -> None:
    (lang_dir / "xx.yaml").write_text("model: xx_model\n", encoding="utf-8")
    (lang_dir / "xx.dates.yaml").write_text("model: other\n", encoding="utf-8")
    with pytest.raises(ValueError, match="already defined"):
        load_language("xx")

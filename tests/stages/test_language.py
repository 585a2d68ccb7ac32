"""Language stage: detection among fr/en/es and a warning for other languages."""

from __future__ import annotations

import pytest

from newsgraph.model import Document
from newsgraph.stages.language import LanguageStage, detect_language

SENTENCES = [
    ("fr", "Le groupe de Redmond a annoncé jeudi un nouvel investissement dans la start-up."),
    ("en", "The company said on Thursday that it would invest more money in the startup."),
    ("es", "La compañía anunció el jueves una nueva inversión en la empresa emergente."),
]


@pytest.mark.parametrize(("code", "text"), SENTENCES)
def test_detects_language(code: str, text: str) -> None:
    found, prob = detect_language(text)
    assert found == code
    assert 0.5 <= prob <= 1.0


@pytest.mark.parametrize(("code", "text"), SENTENCES)
def test_stage_sets_lang_without_warning(code: str, text: str) -> None:
    doc = LanguageStage()(Document(id="t", text=text))
    assert doc.lang == code
    assert doc.warnings == []


def test_given_language_is_kept() -> None:
    doc = LanguageStage()(Document(id="t", text=SENTENCES[1][1], lang="fr"))
    assert doc.lang == "fr"


def test_german_is_recognised_and_warned() -> None:
    text = "Der Konzern aus Redmond hat am Donnerstag eine neue Investition angekündigt."
    doc = LanguageStage()(Document(id="t", text=text))
    assert doc.lang == "de"
    assert [w[:4] for w in doc.warnings] == ["W001"]


def test_stage_contract() -> None:
    assert LanguageStage.name == "language"
    assert LanguageStage.requires == ()

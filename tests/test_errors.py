"""The error catalogue: codes, exit codes, one-line messages that say what to do."""

from __future__ import annotations

import re

import pytest

from newsgraph import errors
from newsgraph.errors import (
    BinaryInput,
    EmptyInput,
    Errors,
    FileNotReadable,
    InputTooLarge,
    InvalidDate,
    MalformedGold,
    MissingDependency,
    NewsgraphError,
    NoInputs,
    NotFound,
    UndecodableInput,
    UnsupportedLanguage,
    UsageError,
    Warnings,
)

INSTANCES: list[NewsgraphError] = [
    EmptyInput("a.txt"),
    BinaryInput("a.bin", reason="NUL bytes"),
    UndecodableInput("a.txt"),
    InputTooLarge("big.txt", chars=6_000_000, limit=5_000_000),
    UnsupportedLanguage("de"),
    FileNotReadable("a.txt", reason="permission denied"),
    NotFound("nope.txt"),
    MalformedGold("gold.jsonl", 7, "missing key(s) facts"),
    InvalidDate("2025-13-01"),
    UsageError("--details needs --format table"),
    NoInputs("empty/"),
    MissingDependency("the spaCy model fr_core_news_md", "make install"),
]


@pytest.mark.parametrize("error", INSTANCES, ids=lambda e: type(e).__name__)
def test_every_error_has_a_code_and_a_one_line_message(error: NewsgraphError) -> None:
    assert re.fullmatch(r"E\d{3}", error.code)
    assert isinstance(error, Exception)
    message = str(error)
    assert message and "\n" not in message
    assert "{" not in message, "a template field was left unfilled"
    assert error.describe() == f"error {error.code}: {message}"


def test_codes_are_unique_per_class() -> None:
    classes = [type(e) for e in INSTANCES]
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert Errors.template(code)


def test_exit_codes() -> None:
    assert (errors.EXIT_OK, errors.EXIT_PARTIAL, errors.EXIT_USAGE) == (0, 1, 2)
    assert (errors.EXIT_BAD_INPUT, errors.EXIT_BAD_GOLD, errors.EXIT_INTERNAL) == (3, 4, 70)
    assert EmptyInput().exit_code == 3
    assert NotFound("x").exit_code == 3
    assert MalformedGold("g", 1, "r").exit_code == 4
    assert InvalidDate("x").exit_code == 2
    assert UsageError("x").exit_code == 2


def test_malformed_gold_names_file_and_line() -> None:
    error = MalformedGold("eval/gold.jsonl", 12, "invalid JSON")
    assert "eval/gold.jsonl:12" in str(error)
    assert (error.path, error.line) == ("eval/gold.jsonl", 12)


def test_messages_say_what_to_do() -> None:
    assert "UTF-8" in str(UndecodableInput("a.txt"))
    assert "split" in str(InputTooLarge("a", chars=6_000_001, limit=5_000_000))
    assert "6,000,001" in str(InputTooLarge("a", chars=6_000_001, limit=5_000_000))
    assert "YYYY-MM-DD" in str(InvalidDate("17/06/2025"))
    assert "fr, en, es" in str(UnsupportedLanguage("de"))
    assert "make install" in str(MissingDependency("x", "make install"))


def test_catching_the_base_class() -> None:
    with pytest.raises(NewsgraphError) as info:
        raise NotFound("missing.txt")
    assert info.value.code == "E007"


def test_warnings_catalogue() -> None:
    w1 = Warnings.text("W001", lang="de", fallback="en")
    assert w1.startswith("W001: ") and "'de'" in w1 and "fr, en, es" in w1
    w2 = Warnings.text("W002", lang="fr", confidence=0.412)
    assert w2.startswith("W002: ") and "0.41" in w2 and "--lang" in w2
    w3 = Warnings.text("W003", chars=1_200_000, chunks=3)
    assert w3.startswith("W003: ") and "3 chunks" in w3
    w4 = Warnings.text("W004", source="a.txt", encoding="cp1252")
    assert "cp1252" in w4
    for text in (w1, w2, w3, w4):
        assert "\n" not in text and "{" not in text
    with pytest.raises(KeyError):
        Warnings.template("W999")

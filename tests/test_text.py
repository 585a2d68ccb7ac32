"""Text helpers: offset-preserving folding and the phrase trie used by the gazetteer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.text import fold, trie_regex


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Le Géant de Redmond", "le geant de redmond"),
        ("Télefónica", "telefonica"),
        ("MÁSMÓVIL", "masmovil"),
        ("Autorité de la Concurrence", "autorite de la concurrence"),
        ("L’Oréal", "l'oreal"),
        ("l‘accord", "l'accord"),
        ("Google´s", "google's"),
        ("Comisión\u00a0Europea", "comision europea"),
        ("Hewlett–Packard", "hewlett-packard"),
    ],
)
def test_fold_accents_case_apostrophes(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@given(st.text())
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzàâçéèêëîïôûùüÿñáíóú ’'", max_size=40))
def test_fold_is_case_insensitive_on_latin_text(text: str) -> None:
    assert fold(text) == fold(text.upper())


def test_fold_offsets_point_to_the_same_words() -> None:
    text = "Selon l’Autorité, Télefónica a été sanctionnée."
    start = fold(text).index("telefonica")
    assert text[start : start + len("telefonica")] == "Télefónica"


def test_trie_regex_empty_is_none() -> None:
    assert trie_regex([]) is None
    assert trie_regex(["", ""]) is None


def test_trie_regex_prefers_the_longest_phrase() -> None:
    pattern = trie_regex(["microsoft", "microsoft azure", "azure"])
    assert pattern is not None
    found = [m.group() for m in pattern.finditer("microsoft azure et azure")]
    assert found == ["microsoft azure", "azure"]


def test_trie_regex_respects_word_boundaries() -> None:
    pattern = trie_regex(["open", "ses", "canal+", "gpt-4"])
    assert pattern is not None
    assert pattern.search("openai") is None
    assert pattern.search("reopen") is None
    assert pattern.search("gpt-4o") is None
    assert pattern.search("sesame") is None
    assert [m.group() for m in pattern.finditer("canal+ et gpt-4, open.")] == [
        "canal+",
        "gpt-4",
        "open",
    ]


def test_trie_regex_escapes_special_characters() -> None:
    pattern = trie_regex(["c++", "s.a."])
    assert pattern is not None
    assert pattern.search("sxa.") is None
    assert [m.group() for m in pattern.finditer("c++ et s.a. ici")] == ["c++", "s.a."]


_WORD = st.text(alphabet="abcdeéñxyz", min_size=1, max_size=6)
_PHRASE = st.builds(
    lambda words, seps, plus: (
        "".join(w + s for w, s in zip(words[:-1], seps, strict=False))
        + words[-1]
        + ("+" if plus else "")
    ),
    st.lists(_WORD, min_size=1, max_size=4),
    st.lists(st.sampled_from([" ", "-", " & ", "."]), min_size=3, max_size=3),
    st.booleans(),
)


@given(st.lists(_PHRASE, min_size=1, max_size=12))
def test_trie_regex_finds_every_phrase_of_a_text_made_of_them(phrases: list[str]) -> None:
    pattern = trie_regex(phrases)
    assert pattern is not None
    text = " ; ".join(phrases)
    assert [m.group() for m in pattern.finditer(text)] == phrases

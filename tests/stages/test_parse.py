"""Parse stage: sentences with article offsets, title lines, chunked long texts."""

from __future__ import annotations

from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsgraph.stages.parse as parse
from newsgraph.model import Document
from newsgraph.stages.language import LanguageStage
from newsgraph.stages.parse import ParseStage, chunks


def _parse(text: str, lang: str) -> Document:
    return ParseStage()(LanguageStage()(Document(id="t", text=text, lang=lang)))


def _check_offsets(doc: Document) -> None:
    previous_end = 0
    for i, sentence in enumerate(doc.sentences):
        assert sentence.index == i
        assert doc.text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end


def test_stage_contract() -> None:
    assert ParseStage.name == "parse"
    assert ParseStage.requires == ("language",)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text", "title"),
    [
        (
            "fr",
            "Microsoft investit dans Mistral AI\nLe groupe américain a annoncé un accord. "
            "Il porte sur plusieurs années.",
            "Microsoft investit dans Mistral AI",
        ),
        (
            "en",
            "Nvidia backs a French startup\nThe chipmaker took a stake in Mistral AI. "
            "The amount was not disclosed.",
            "Nvidia backs a French startup",
        ),
        (
            "es",
            "Telefónica se alía con Microsoft\nLa operadora firmó un acuerdo el lunes. "
            "El pacto durará cinco años.",
            "Telefónica se alía con Microsoft",
        ),
    ],
)
def test_title_line_is_its_own_sentence(lang: str, text: str, title: str) -> None:
    doc = _parse(text, lang)
    assert doc.sentences[0].text == title
    assert doc.title == title
    assert len(doc.sentences) == 3
    _check_offsets(doc)


@pytest.mark.slow
def test_given_title_is_kept() -> None:
    doc = Document(id="t", text="Apple a racheté Shazam.\nLe montant est secret.", lang="fr")
    doc.title = "Autre titre"
    doc = ParseStage()(LanguageStage()(doc))
    assert doc.title == "Autre titre"


@pytest.mark.slow
def test_text_without_title_line_has_no_title() -> None:
    doc = _parse("Apple a racheté Shazam. Le montant est resté secret.", "fr")
    assert doc.title is None
    assert [s.text for s in doc.sentences] == [
        "Apple a racheté Shazam.",
        "Le montant est resté secret.",
    ]


@pytest.mark.slow
def test_sentences_carry_their_spacy_span() -> None:
    doc = _parse("Google a racheté Fitbit. Le rachat a été approuvé.", "fr")
    for sentence in doc.sentences:
        span_text = sentence.span.text
        assert sentence.base + sentence.span.start_char == sentence.start
        assert span_text == sentence.text


PARAGRAPHS = [
    "Microsoft a investi dans Mistral AI. L'accord a été signé à Paris.",
    "Nvidia fournit des puces à OpenAI. Les livraisons commencent en mars.",
    "Google a racheté Fitbit. Le montant dépasse deux milliards de dollars.",
    "Amazon a pris une participation dans Anthropic. La jeune pousse est basée à San Francisco.",
    "Apple a signé un accord avec OpenAI. Le partenariat porte sur Siri.",
    "Renault s'est associé à Nissan. Les deux groupes partagent des usines.",
]


@pytest.mark.slow
def test_long_text_is_parsed_in_chunks_with_article_offsets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "\n\n".join(PARAGRAPHS * 3)
    # Chunks of 300 characters always hold a paragraph break in their second half.
    monkeypatch.setattr(parse, "chunks", partial(chunks, size=300))
    assert len(parse.chunks(text)) > 3
    doc = _parse(text, "fr")
    assert any(s.base > 0 for s in doc.sentences)
    _check_offsets(doc)
    # No character lost or read twice.
    assert " ".join(s.text for s in doc.sentences).split() == text.split()
    assert doc.sentences[-1].end == len(text)


@pytest.mark.slow
def test_hyphenated_word_does_not_end_a_sentence() -> None:
    doc = _parse("Amazon a investi dans Anthropic. La start-up est basée à San Francisco.", "fr")
    assert [s.text for s in doc.sentences] == [
        "Amazon a investi dans Anthropic.",
        "La start-up est basée à San Francisco.",
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    ["Nvidia fournit des puces à OpenAI.", "Nvidia fournit des puces à OpenAI depuis 2016."],
)
def test_first_sentence_is_not_split_after_its_subject(text: str) -> None:
    assert [s.text for s in _parse(text, "fr").sentences] == [text]


def test_short_text_is_one_chunk() -> None:
    assert chunks("Apple a racheté Shazam.", size=100) == [(0, "Apple a racheté Shazam.")]


def test_chunks_cut_at_line_breaks() -> None:
    text = "\n".join(["a" * 40] * 10)
    pieces = chunks(text, size=100)
    assert all(piece.endswith("\n") for _, piece in pieces[:-1])


@given(st.text(alphabet="ab \n.", min_size=0, max_size=600), st.integers(10, 120))
def test_chunks_cover_the_text_with_offsets(text: str, size: int) -> None:
    pieces = chunks(text, size=size)
    assert "".join(piece for _, piece in pieces) == text
    for offset, piece in pieces:
        assert text[offset : offset + len(piece)] == piece
        assert len(piece) <= size

"""Tone stage: the sign of the tone of clearly positive and negative sentences."""

from __future__ import annotations

import pytest

from newsgraph import analyze
from newsgraph.stages.tone import sentence_tone


def test_lexicon_sign() -> None:
    assert sentence_tone([("succès", "succès"), ("accord", "accord")], "fr") > 0
    assert sentence_tone([("amende", "amende"), ("abus", "abus")], "fr") < 0
    assert sentence_tone([("lunes", "lunes")], "es") == 0
    assert -1 <= sentence_tone([("fine", "fine")] * 50, "en") <= 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text", "sign"),
    [
        (
            "fr",
            "La collaboration fructueuse entre Microsoft et OpenAI est un succès historique.",
            1,
        ),
        ("en", "Microsoft and OpenAI celebrated a successful, landmark partnership.", 1),
        ("es", "La alianza histórica entre Telefónica y Microsoft es un éxito.", 1),
        ("fr", "Epic Games accuse Apple d'abus illégal et de pratiques anticoncurrentielles.", -1),
        ("en", "Epic Games accused Apple of illegal and anticompetitive abuse.", -1),
        ("es", "Epic Games acusó a Apple de abuso ilegal y prácticas anticompetitivas.", -1),
    ],
)
def test_sentence_tone_sign(lang: str, text: str, sign: int) -> None:
    doc = analyze(text, lang=lang)
    assert doc.claims
    for claim in doc.claims:
        assert -1 <= claim.tone <= 1
        assert claim.tone * sign > 0, (claim.relation, claim.tone)

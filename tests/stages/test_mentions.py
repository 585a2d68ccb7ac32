"""Mention stage: knowledge-base names, epithets, owner descriptions, acronyms, sources."""

from __future__ import annotations

import pytest

from newsgraph import analyze
from newsgraph.model import Document, Mention

pytestmark = pytest.mark.slow

MICROSOFT, OPENAI = "Q2283", "Q21708200"


def _mentions(text: str, lang: str) -> list[Mention]:
    return analyze(text, lang=lang).mentions


def _find(doc_or_mentions: Document | list[Mention], text: str) -> Mention:
    mentions = (
        doc_or_mentions.mentions if isinstance(doc_or_mentions, Document) else doc_or_mentions
    )
    found = [m for m in mentions if m.text.lower() == text.lower()]
    assert found, f"no mention {text!r} in {[m.text for m in mentions]}"
    return found[0]


@pytest.mark.parametrize(
    ("lang", "text", "name", "entity_id"),
    [
        ("fr", "Microsoft a signé un accord avec Mistral AI.", "Microsoft", MICROSOFT),
        ("en", "OpenAI signed a deal with Apple.", "OpenAI", OPENAI),
        ("es", "Telefónica firmó un acuerdo con Microsoft.", "Telefónica", "kb:telefonica"),
        ("en", "Openai signed a deal with Apple.", "Openai", OPENAI),
        ("fr", "Le partenariat avec OPENAI a été prolongé.", "OPENAI", OPENAI),
        ("es", "Telefonica firmó un acuerdo con Microsoft.", "Telefonica", "kb:telefonica"),
    ],
)
def test_kb_names_case_and_accent_insensitive(
    lang: str, text: str, name: str, entity_id: str
) -> None:
    mention = _find(_mentions(text, lang), name)
    assert mention.entity_id == entity_id
    assert mention.kind in ("name", "alias")
    assert text[mention.start : mention.end] == name


def test_alias_is_found() -> None:
    mention = _find(_mentions("MSFT a progressé en bourse après l'annonce.", "fr"), "MSFT")
    assert mention.entity_id == MICROSOFT


def test_longest_name_wins() -> None:
    mentions = _mentions("Microsoft Azure héberge les modèles de Mistral AI.", "fr")
    azure = _find(mentions, "Microsoft Azure")
    assert azure.type == "PRODUCT"
    assert not any(m.text == "Microsoft" for m in mentions)


@pytest.mark.parametrize(
    ("lang", "text", "epithet"),
    [
        ("fr", "Le géant de Redmond a investi dans Mistral AI.", "géant de Redmond"),
        ("en", "The Redmond giant invested in Mistral AI.", "Redmond giant"),
        ("es", "El gigante de Redmond invirtió en Mistral AI.", "gigante de Redmond"),
    ],
)
def test_headquarters_epithet_is_microsoft(lang: str, text: str, epithet: str) -> None:
    mention = _find(_mentions(text, lang), epithet)
    assert mention.entity_id == MICROSOFT
    assert mention.kind == "epithet"


@pytest.mark.parametrize(
    ("lang", "text", "description"),
    [
        (
            "fr",
            "Les propriétaires de ChatGPT ont signé un accord avec Apple.",
            "propriétaires de ChatGPT",
        ),
        ("en", "The ChatGPT maker signed a deal with Apple.", "ChatGPT maker"),
        ("es", "El creador de ChatGPT firmó un acuerdo con Apple.", "creador de ChatGPT"),
    ],
)
def test_owner_description_is_openai(lang: str, text: str, description: str) -> None:
    mentions = _mentions(text, lang)
    mention = _find(mentions, description)
    assert mention.entity_id == OPENAI
    assert text[mention.start : mention.end] == description


def test_acronym_is_case_sensitive() -> None:
    mentions = _mentions("Orange a présenté ses résultats et ses nouvelles offres.", "fr")
    assert not any(m.entity_id == "kb:ses" for m in mentions)
    assert not any(m.text == "ses" for m in mentions)


def test_acronym_in_capitals_is_found() -> None:
    mention = _find(_mentions("SES a lancé un nouveau satellite depuis la Guyane.", "fr"), "SES")
    assert mention.entity_id == "kb:ses"


def test_short_alias_needs_a_capital() -> None:
    mentions = _mentions("Microsoft a intégré GPT-4 dans Office.", "fr")
    assert _find(mentions, "Office").entity_id == "kb:microsoft-office"
    mentions = _mentions("Le bureau de Microsoft est au dernier étage, près de l'office.", "fr")
    assert not any(m.entity_id == "kb:microsoft-office" for m in mentions)


@pytest.mark.parametrize(
    ("lang", "text", "source"),
    [
        ("fr", "Selon Reuters, Microsoft a investi dans Mistral AI.", "Reuters"),
        ("en", "According to Bloomberg, Apple took a stake in Mistral AI.", "Bloomberg"),
        ("es", "Según Expansión, Telefónica compró MásMóvil.", "Expansión"),
    ],
)
def test_source_after_reporting_preposition(lang: str, text: str, source: str) -> None:
    mentions = _mentions(text, lang)
    assert _find(mentions, source).is_source
    assert not any(m.is_source for m in mentions if m.text != source)


def test_outlet_followed_by_reporting_verb_is_a_source() -> None:
    mentions = _mentions("Reuters rapporte que Microsoft a investi dans Mistral AI.", "fr")
    assert _find(mentions, "Reuters").is_source


def test_company_after_selon_is_a_source_not_an_actor() -> None:
    doc = analyze("Selon Microsoft, Apple a investi dans Mistral AI.", lang="fr")
    assert _find(doc, "Microsoft").is_source
    assert all(MICROSOFT not in (c.subject, c.object) for c in doc.claims)


def test_mentions_carry_sentence_and_tokens() -> None:
    doc = analyze("Apple a racheté Shazam. Google a racheté Fitbit.", lang="fr")
    google = _find(doc, "Google")
    assert google.sentence == 1
    span = doc.sentences[1].span.doc[google.token_start : google.token_end]
    assert span.text == "Google"


@pytest.mark.parametrize(
    ("lang", "text", "longer", "inner"),
    [
        (
            "fr",
            "La CNIL a infligé une amende à Amazon France Logistique, filiale d'Amazon.",
            "Amazon France Logistique",
            "Q3884",
        ),
        ("fr", "Il détient 37 % d'Adani Total Gas depuis 2021.", "Adani Total Gas", None),
        ("fr", "Lagardère est la maison mère de Paris Match et d'Europe 1.", "Paris Match", "Q90"),
        ("es", "Zegona compró Vodafone España a Vodafone el año pasado.", "Vodafone España", None),
    ],
)
def test_longer_capitalised_name_is_another_organisation(
    lang: str, text: str, longer: str, inner: str | None
) -> None:
    mentions = _mentions(text, lang)
    mention = _find(mentions, longer)
    assert mention.type == "ORG"
    assert mention.entity_id is None or mention.entity_id.startswith("local:")
    assert not any(
        m.start >= mention.start and m.end <= mention.end and m is not mention for m in mentions
    )
    if inner:
        assert inner not in {
            m.entity_id for m in mentions if m.start < mention.end and mention.start < m.end
        }


@pytest.mark.parametrize(
    ("lang", "text", "name", "entity_id"),
    [
        ("en", "Microsoft Azure hosts the models of Mistral AI.", "Microsoft Azure", None),
        ("en", "Stellantis NV bought a stake in Leapmotor.", "Stellantis NV", "kb:stellantis"),
        ("en", "Apple CEO Tim Cook met the press on Monday.", "Apple", "Q312"),
        ("es", "Según Cinco Días, Telefónica negocia con Indra.", "Cinco Días", None),
        ("en", "Microsoft Invests Billions In OpenAI", "Microsoft", "Q2283"),
    ],
)
def test_known_names_are_kept(lang: str, text: str, name: str, entity_id: str | None) -> None:
    mention = _find(_mentions(text, lang), name)
    assert mention.kind in ("name", "alias")
    if entity_id:
        assert mention.entity_id == entity_id


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        (
            "fr",
            "Le groupe canadien Alimentation Couche-Tard a renoncé à Carrefour.",
            "Alimentation Couche-Tard",
        ),
        (
            "fr",
            "Sanofi négocie avec le fonds Clayton, Dubilier & Rice pour céder Opella.",
            "Clayton, Dubilier & Rice",
        ),
        (
            "en",
            "The deal was advised by Clayton, Dubilier & Rice last year.",
            "Clayton, Dubilier & Rice",
        ),
    ],
)
def test_ner_spans_extend_over_hyphens_and_ampersands(lang: str, text: str, name: str) -> None:
    mention = _find(_mentions(text, lang), name)
    assert mention.type == "ORG"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Le fonds a vendu sa participation dans Adani Green Energy, selon la presse."),
        ("es", "El fondo vendió su participación en Adani Green Energy, según la prensa."),
    ],
)
def test_person_with_an_organisation_head_is_an_organisation(lang: str, text: str) -> None:
    assert _find(_mentions(text, lang), "Adani Green Energy").type == "ORG"


@pytest.mark.parametrize(
    ("lang", "text", "name", "entity_name"),
    [
        ("fr", "Orange a signé un accord avec MasMovil.", "Orange", "Orange"),
        ("en", "Oracle signed a cloud deal with OpenAI.", "Oracle", "Oracle"),
        ("es", "Arm rechazó la oferta de Nvidia.", "Arm", "Arm"),
        ("en", "Alphabet Inc. reported higher profits.", "Alphabet Inc.", "Alphabet"),
    ],
)
def test_ordinary_word_names_match_with_their_capital(
    lang: str, text: str, name: str, entity_name: str
) -> None:
    doc = analyze(text, lang=lang)
    mention = _find(doc, name)
    assert mention.entity_id is not None
    assert doc.entities[mention.entity_id].name == entity_name


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Il a mangé une orange avant de consulter un oracle."),
        ("en", "He broke his arm while reading about the oracle of Delphi."),
    ],
)
def test_ordinary_words_in_lower_case_are_no_names(lang: str, text: str) -> None:
    ids = {m.entity_id for m in _mentions(text, lang)}
    assert not ids & {"Q1431486", "Q19900", "kb:arm"}


@pytest.mark.parametrize(
    ("lang", "text", "name", "entity_name"),
    [
        ("en", "Exxon Mobil agreed to buy Pioneer Natural Resources.", "Exxon Mobil", "ExxonMobil"),
        (
            "es",
            "La CNMC multó a Booking por abuso de posición dominante.",
            "Booking",
            "Booking.com",
        ),
        ("en", "Disney and Fox will launch a sports streaming service.", "Fox", "Fox Corporation"),
    ],
)
def test_usual_variants_are_aliases(lang: str, text: str, name: str, entity_name: str) -> None:
    doc = analyze(text, lang=lang)
    mention = _find(doc, name)
    assert mention.entity_id is not None
    assert doc.entities[mention.entity_id].name == entity_name

"""Coreference stage: pronouns and definite descriptions resolve to the right entity."""

from __future__ import annotations

import pytest

from newsgraph import analyze
from newsgraph.model import Document, Mention

pytestmark = pytest.mark.slow


def _reference(doc: Document, text: str) -> Mention:
    found = [m for m in doc.mentions if m.text == text]
    assert found, f"no mention {text!r} in {[m.text for m in doc.mentions]}"
    return found[-1]


def _triples(doc: Document) -> set[tuple[str, str, str]]:
    return {(c.subject, c.relation, c.object) for c in doc.claims}


@pytest.mark.parametrize(
    ("lang", "text", "pronoun", "entity_id", "claim"),
    [
        (
            "fr",
            "Microsoft a publié des résultats record. Il a aussi investi dans Mistral AI.",
            "Il",
            "Q2283",
            ("Q2283", "INVESTS_IN", "kb:mistral-ai"),
        ),
        (
            "en",
            "Nvidia reported record sales. It also invested in Mistral AI.",
            "It",
            "Q182477",
            ("Q182477", "INVESTS_IN", "kb:mistral-ai"),
        ),
        (
            "es",
            "Satya Nadella llegó a Microsoft en 1992. Él dirige la compañía desde 2014.",
            "Él",
            "kb:satya-nadella",
            ("kb:satya-nadella", "LEADS", "Q2283"),
        ),
    ],
)
def test_subject_pronoun(
    lang: str, text: str, pronoun: str, entity_id: str, claim: tuple[str, str, str]
) -> None:
    doc = analyze(text, lang=lang)
    mention = _reference(doc, pronoun)
    assert mention.kind == "pronoun"
    assert mention.entity_id == entity_id
    assert claim in _triples(doc)


def test_pronoun_goes_to_the_subject_not_the_object() -> None:
    doc = analyze(
        "Google a signé un accord avec Samsung. Il a ensuite investi dans Anthropic.", lang="fr"
    )
    assert _reference(doc, "Il").entity_id == "Q95"


@pytest.mark.parametrize(
    ("lang", "text", "description", "entity_id", "claim"),
    [
        (
            "fr",
            "Microsoft a investi dans Mistral AI. La startup a aussi signé un accord avec Amazon.",
            "La startup",
            "kb:mistral-ai",
            ("kb:mistral-ai", "PARTNERS_WITH", "Q3884"),
        ),
        (
            "en",
            "Apple unveiled a new iPhone. The company also signed a deal with OpenAI.",
            "The company",
            "Q312",
            ("Q312", "PARTNERS_WITH", "Q21708200"),
        ),
        (
            "es",
            "Google presentó sus resultados. La tecnológica firmó además un acuerdo con "
            "Telefónica.",
            "La tecnológica",
            "Q95",
            ("Q95", "PARTNERS_WITH", "kb:telefonica"),
        ),
        (
            "es",
            "Satya Nadella llegó a Microsoft en 1992. Él dirige la compañía desde 2014.",
            "la compañía",
            "Q2283",
            ("kb:satya-nadella", "LEADS", "Q2283"),
        ),
    ],
)
def test_definite_description(
    lang: str, text: str, description: str, entity_id: str, claim: tuple[str, str, str]
) -> None:
    doc = analyze(text, lang=lang)
    mention = _reference(doc, description)
    assert mention.kind == "description"
    assert mention.entity_id == entity_id
    assert claim in _triples(doc)


def test_startup_skips_an_established_company() -> None:
    # "la start-up" is Anthropic, even though Amazon is mentioned after it.
    doc = analyze(
        "Anthropic a reçu le soutien d'Amazon. La start-up a signé un accord avec Google.",
        lang="fr",
    )
    assert _reference(doc, "La start-up").entity_id == "kb:anthropic"


def test_regulator_description_goes_to_the_regulator() -> None:
    doc = analyze(
        "La Commission européenne examine le rachat. Le régulateur enquête sur Microsoft.",
        lang="fr",
    )
    assert _reference(doc, "Le régulateur").entity_id == "Q8880"
    assert ("Q8880", "INVESTIGATES", "Q2283") in _triples(doc)


def test_description_followed_by_a_name_is_not_a_reference() -> None:
    doc = analyze("Microsoft a signé un accord. La société Mistral AI a confirmé.", lang="fr")
    assert not any(m.kind == "description" for m in doc.mentions)


def test_plural_description_is_not_resolved_to_one_entity() -> None:
    doc = analyze(
        "Renault et Nissan ont signé un accord. Les sociétés partagent des usines.", lang="fr"
    )
    assert not any(m.kind == "description" for m in doc.mentions)


@pytest.mark.parametrize(
    ("lang", "text", "description", "entity_id"),
    [
        (
            "fr",
            "Microsoft a investi dans Mistral AI. Amazon, le géant du commerce en ligne, a aussi "
            "signé un accord avec Nvidia.",
            "le géant",
            "Q3884",
        ),
        (
            "en",
            "Microsoft invested in OpenAI. Amazon, the e-commerce giant, also signed a deal with "
            "Nvidia.",
            "the e-commerce giant",
            "Q3884",
        ),
        (
            "es",
            "Microsoft invirtió en OpenAI. Amazon, el gigante del comercio electrónico, firmó un "
            "acuerdo con Nvidia.",
            "el gigante",
            "Q3884",
        ),
    ],
)
def test_apposition_takes_the_name_it_follows(
    lang: str, text: str, description: str, entity_id: str
) -> None:
    doc = analyze(text, lang=lang)
    assert _reference(doc, description).entity_id == entity_id


@pytest.mark.parametrize(
    ("lang", "text", "description"),
    [
        (
            "fr",
            "Amazon a annoncé un investissement dans Anthropic, ce qui porte le montant injecté "
            "par le géant dans la start-up à 8 milliards.",
            "le géant",
        ),
        (
            "en",
            "Amazon invested in Anthropic on Friday. The giant said the deal was long planned.",
            "The giant",
        ),
        (
            "es",
            "Amazon ha invertido en Anthropic. La inversión del gigante supera los 8.000 millones.",
            "del gigante",
        ),
    ],
)
def test_giant_is_never_a_startup(lang: str, text: str, description: str) -> None:
    doc = analyze(text, lang=lang)
    assert _reference(doc, description).entity_id == "Q3884"


def test_description_prefers_the_salient_subject_of_the_right_country() -> None:
    # TotalEnergies is the subject and French; Hindenburg Research is only mentioned.
    doc = analyze(
        "TotalEnergies a gelé ses investissements en Inde. TotalEnergies détient 20 % "
        "d'Adani Green. Le rapport de Hindenburg Research a fait chuter les titres. "
        "Le groupe français précise qu'il n'avait pas été informé.",
        lang="fr",
    )
    assert _reference(doc, "Le groupe français").entity_id == "kb:totalenergies"


def test_sector_complement_prefers_the_matching_kind() -> None:
    doc = analyze(
        "Nvidia a renoncé au rachat d'Arm. SoftBank garde la société. "
        "Le fabricant de puces a payé une indemnité.",
        lang="fr",
    )
    assert _reference(doc, "Le fabricant").entity_id == "Q182477"


def test_name_inside_the_description_is_the_referent() -> None:
    doc = analyze(
        "Stellantis y el fabricante chino de baterías CATL han acordado levantar una planta.",
        lang="es",
    )
    assert _reference(doc, "el fabricante chino").entity_id == "kb:catl"


@pytest.mark.parametrize(
    ("lang", "text", "description", "entity_id"),
    [
        (
            "fr",
            "Elon Musk a fondé xAI. La start-up de l'homme d'affaires lève des fonds auprès "
            "du milliardaire.",
            "du milliardaire",
            "kb:elon-musk",
        ),
        (
            "en",
            "Elon Musk sued OpenAI in March. The billionaire says the lab betrayed its mission.",
            "The billionaire",
            "kb:elon-musk",
        ),
        (
            "es",
            "Amancio Ortega controla Inditex. El empresario compró un edificio a Telefónica.",
            "El empresario",
            "kb:amancio-ortega",
        ),
    ],
)
def test_person_description_goes_to_a_person(
    lang: str, text: str, description: str, entity_id: str
) -> None:
    doc = analyze(text, lang=lang)
    mention = _reference(doc, description)
    assert mention.type == "PER"
    assert mention.entity_id == entity_id


@pytest.mark.parametrize(
    ("lang", "text", "description", "entity_id"),
    [
        (
            "fr",
            "Vivendi contrôle Lagardère. Les actionnaires du groupe ont voté.",
            "du groupe",
            None,
        ),
        ("fr", "Sanofi a cédé Opella. La décision revient au groupe.", "au groupe", None),
        (
            "es",
            "BBVA lanzó una opa sobre Sabadell. La junta del banco la rechazó.",
            "del banco",
            None,
        ),
    ],
)
def test_contracted_article_descriptions_are_found(
    lang: str, text: str, description: str, entity_id: str | None
) -> None:
    doc = analyze(text, lang=lang)
    mention = _reference(doc, description)
    assert mention.kind == "description"
    assert mention.entity_id is not None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Honda et Nissan discutent depuis décembre. Les deux groupes vont fusionner."),
        ("en", "Honda and Nissan have held talks since December. The two groups will merge."),
        ("es", "Honda y Nissan negocian desde diciembre. Ambas compañías se fusionarán."),
    ],
)
def test_pair_reference_names_both_parties(lang: str, text: str) -> None:
    doc = analyze(text, lang=lang)
    merges = {frozenset((c.subject, c.object)) for c in doc.claims if c.relation == "MERGES_WITH"}
    assert frozenset(("kb:honda", "Q20165")) in merges


@pytest.mark.parametrize(
    ("lang", "text", "possessive", "owner"),
    [
        (
            "es",
            "La Comisión Federal de Comercio investiga a Microsoft por su inversión en OpenAI.",
            "su",
            "Q2283",
        ),
        ("en", "The FTC sued Microsoft over its investment in OpenAI.", "its", "Q2283"),
        ("es", "La CNMC multó a Amazon por su acuerdo con Apple.", "su", "Q3884"),
    ],
)
def test_possessive_in_an_adjunct_refers_to_the_object(
    lang: str, text: str, possessive: str, owner: str
) -> None:
    doc = analyze(text, lang=lang)
    assert _reference(doc, possessive).entity_id == owner


def test_an_english_possessive_names_the_actor_of_the_event_noun() -> None:
    doc = analyze("The FTC sued Microsoft over its investment in OpenAI.", lang="en")
    assert ("Q2283", "INVESTS_IN", "Q21708200") in _triples(doc)
    assert not [c for c in doc.claims if c.relation == "INVESTS_IN" and c.subject != "Q2283"]


def test_possessive_elsewhere_still_refers_to_the_subject() -> None:
    doc = analyze("Microsoft invested in OpenAI for its growth.", lang="en")
    assert _reference(doc, "its").entity_id == "Q2283"

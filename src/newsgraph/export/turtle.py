"""Turtle (RDF): entities, edges as direct triples, and every claim as a reified statement.

- An entity with a QID is ``wd:Q…``; any other is ``ng:entity/<id>``. Each has
  ``rdfs:label`` (its name, no language tag) and ``ng:type``.
- An edge is one direct triple, with the Wikidata property when the ONTOLOGY
  maps one (:data:`WIKIDATA`, turned the way Wikidata reads it), else
  ``ng:<RELATION>``. Only edges that some claim states as a fact (strongest
  modality asserted or reported) get a direct triple: a plain triple carries
  no modality, and "Nvidia abandons its plan to buy Arm" must not become
  ``Nvidia owns Arm``. Every claim, whatever its modality, is kept below.
- A claim is an ``rdf:Statement`` ``ng:claim/<id>`` (rdf:subject, rdf:predicate
  and rdf:object as its direct triple would be; a reified statement asserts
  nothing) with ng:relation, ng:modality, ng:date, ng:amount, ng:currency,
  ng:bound, ng:tone, ng:confidence, ng:evidence (the sentence), ng:trigger and
  ng:document ``ng:document/<id>`` (dcterms:title, dcterms:date,
  dcterms:language, prov:wasDerivedFrom its URLs).

The file is written one subject at a time, each IRI and text literal rendered
(and escaped, or refused if invalid) by rdflib: memory stays flat, and 100,000
claims take seconds where building an ``rdflib.Graph`` and running its Turtle
serializer takes minutes.

    >>> write(store.con, "graph.ttl")["claims"]
    25
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Collection
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from newsgraph.errors import UsageError
from newsgraph.export.base import atomic_file, document_pages, stream, target
from newsgraph.model import RELATIONS

#: The default namespace of newsgraph's own terms (a reserved .invalid domain).
DEFAULT_BASE = "https://newsgraph.invalid/"
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"

#: relation -> (Wikidata property, inverse). Inverse: the property goes from the
#: relation's object to its subject.
WIKIDATA: dict[str, tuple[str, bool]] = {
    # P178 developer, not P176 manufacturer: our products are software, models
    # and services (GPT-4, Azure, Copilot), and Wikidata keeps P176 for made goods.
    "PRODUCT_OF": ("P178", False),
    "OWNS": ("P1830", False),  # owner of: owner P1830 owned
    "ACQUIRES": ("P127", True),  # owned by: acquired P127 acquirer
    "LEADS": ("P169", True),  # chief executive officer: organisation P169 person
    "EMPLOYS": ("P108", True),  # employer: person P108 organisation
    "HEADQUARTERED_IN": ("P159", False),  # headquarters location
}

#: The edge modalities that get a direct triple.
DIRECT = frozenset({"asserted", "reported"})

#: Documents read per query.
PAGE = 500

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "wd": WD,
    "wdt": WDT,
}

_QID = re.compile(r"Q[1-9][0-9]*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_BASE = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"

_ENTITIES = "SELECT id, name, type, qid FROM entities ORDER BY id"
_EDGES = "SELECT subject, relation, object, modality FROM edges ORDER BY subject, relation, object"
_CLAIMS = """
SELECT id, document_id, subject, relation, object, modality, amount_value, amount_currency,
       amount_bound, day, tone, confidence, sentence, trigger, lang
FROM claim_facts WHERE document_id BETWEEN $lo AND $hi ORDER BY document_id, seq
"""
_SOURCES = """
SELECT document_id, url FROM sources WHERE url IS NOT NULL AND document_id BETWEEN $lo AND $hi
"""


def write(
    con: Any,
    out: str | os.PathLike[str],
    *,
    base: str = DEFAULT_BASE,
    direct: Collection[str] = DIRECT,
) -> dict[str, Any]:
    """Write the store as RDF Turtle to ``out``.

    Args:
        con: an open DuckDB connection to a store.
        out: the file to write; it is replaced only once complete.
        base: the namespace of newsgraph's terms (``ng:``), an http(s) IRI.
        direct: the edge modalities that get a direct triple.

    Returns:
        ``{"format", "path", "triples", "entities", "edges", "claims", "documents"}``;
        ``edges`` counts the direct triples.

    Raises:
        UsageError: ``base`` is not an http(s) IRI.
        OutputNotWritable: ``out`` cannot be written; nothing was written.

    >>> write(store.con, "graph.ttl", base="https://example.org/ng/")["triples"]
    412
    """
    if not _BASE.fullmatch(base):
        raise UsageError(f"the RDF base {base!r} is not an http(s) IRI, e.g. {DEFAULT_BASE}")
    ng = base if base.endswith(("/", "#")) else base + "/"
    path = target(out)
    counts = dict.fromkeys(("entities", "edges", "claims", "documents"), 0)
    with atomic_file(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as f:
        ttl = _Turtle(f, ng)
        ttl.relations()
        for id_, name, type_, qid in stream(con, _ENTITIES):
            ttl.subject(
                ttl.entity(id_, qid), [("rdfs:label", _text(name)), ("ng:type", _text(type_))]
            )
            counts["entities"] += 1
        for subject, relation, object_, modality in stream(con, _EDGES):
            if modality in direct:
                s, p, o = ttl.triple(subject, relation, object_)
                ttl.subject(s, [(p, o)])
                counts["edges"] += 1
        for docs in document_pages(con, "id, title, published, lang, url", page=PAGE):
            counts["documents"] += len(docs)
            counts["claims"] += _documents(con, ttl, docs)
    return {"format": "turtle", "path": str(path), "triples": ttl.triples, **counts}


class _Turtle:
    """Writes Turtle one subject at a time: ``subject p1 o1 ; p2 o2 .``"""

    def __init__(self, f: IO[str], ng: str) -> None:
        self.f = f
        self.ng = ng
        self.triples = 0
        self.entities: dict[str, str] = {}
        for prefix, namespace in {**PREFIXES, "ng": ng}.items():
            f.write(f"@prefix {prefix}: {_iri(namespace)} .\n")
        f.write("\n")

    def subject(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        if pairs:
            body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
            self.f.write(f"{subject} {body} .\n\n")
            self.triples += len(pairs)

    def local(self, kind: str, id_: str) -> str:
        """The IRI of ``ng:<kind>/<id>``, the id percent-encoded."""
        return _iri(f"{self.ng}{kind}/{quote(id_, safe=':')}")

    def entity(self, id_: str, qid: str | None = None) -> str:
        """``wd:<qid>`` when the entity has a QID (remembered by id), else ``ng:entity/<id>``."""
        if id_ not in self.entities:
            wikidata = qid is not None and _QID.fullmatch(qid) is not None
            self.entities[id_] = f"wd:{qid}" if wikidata else self.local("entity", id_)
        return self.entities[id_]

    def predicate(self, relation: str) -> tuple[str, bool]:
        """The property of ``relation`` and whether it goes from object to subject."""
        if relation in WIKIDATA:
            prop, inverse = WIKIDATA[relation]
            return f"wdt:{prop}", inverse
        if _NAME.fullmatch(relation):
            return f"ng:{relation}", False
        return _iri(self.ng + quote(relation, safe="")), False

    def triple(self, subject: str, relation: str, object_: str) -> tuple[str, str, str]:
        """The direct triple of (subject, relation, object), turned as its property reads."""
        prop, inverse = self.predicate(relation)
        s, o = self.entity(subject), self.entity(object_)
        return (o, prop, s) if inverse else (s, prop, o)

    def relations(self) -> None:
        """Declare newsgraph's own relation properties, symmetric ones as such."""
        for name, spec in RELATIONS.items():
            if name not in WIKIDATA:
                kinds = ["rdf:Property"] + (["owl:SymmetricProperty"] if spec.symmetric else [])
                self.subject(
                    f"ng:{name}", [*(("a", k) for k in kinds), ("rdfs:label", _text(name))]
                )


def _documents(con: Any, ttl: _Turtle, docs: list[tuple[Any, ...]]) -> int:
    """Write a page of documents and their claims; the number of claims."""
    bounds = {"lo": docs[0][0], "hi": docs[-1][0]}
    urls: dict[str, set[str]] = {}
    for document_id, url in con.execute(_SOURCES, bounds).fetchall():
        urls.setdefault(document_id, set()).add(url)
    for id_, title, published, lang, url in docs:
        pairs = []
        if title:
            pairs.append(("dcterms:title", _text(title, lang)))
        if published is not None:
            pairs.append(("dcterms:date", _date(published)))
        if lang:
            pairs.append(("dcterms:language", _text(lang)))
        for link in sorted(urls.get(id_, set()) | ({url} if url else set())):
            if _SCHEME.match(link):
                pairs.append(("prov:wasDerivedFrom", _iri(quote(link, safe=_URL_SAFE))))
        ttl.subject(ttl.local("document", id_), pairs)
    claims = con.execute(_CLAIMS, bounds).fetchall()
    for row in claims:
        _claim(ttl, row)
    return len(claims)


def _claim(ttl: _Turtle, row: tuple[Any, ...]) -> None:
    (id_, document_id, subject, relation, object_, modality, amount, currency, bound,
     day, tone, confidence, sentence, trigger, lang) = row  # fmt: skip
    s, p, o = ttl.triple(subject, relation, object_)
    pairs = [
        ("a", "rdf:Statement"),
        ("rdf:subject", s),
        ("rdf:predicate", p),
        ("rdf:object", o),
        ("ng:relation", _text(relation)),
        ("ng:modality", _text(modality)),
    ]
    if day is not None:
        pairs.append(("ng:date", _date(day)))
    if amount is not None:
        pairs.append(("ng:amount", _decimal(amount)))
        if currency:
            pairs.append(("ng:currency", _text(currency)))
        if bound:
            pairs.append(("ng:bound", _text(bound)))
    pairs += [
        ("ng:tone", _decimal(tone)),
        ("ng:confidence", _decimal(confidence)),
        ("ng:evidence", _text(sentence, lang)),
        ("ng:trigger", _text(trigger, lang)),
        ("ng:document", ttl.local("document", document_id)),
    ]
    ttl.subject(ttl.local("claim", id_), pairs)


def _iri(iri: str) -> str:
    """``<iri>``, rendered by rdflib (which refuses characters an IRI cannot hold)."""
    from rdflib import URIRef

    return str(URIRef(iri).n3())


def _text(text: str, lang: str | None = None) -> str:
    """A string literal, escaped by rdflib, tagged with ``lang`` when it is a valid tag."""
    from rdflib import Literal

    tag = lang if lang and _LANG.fullmatch(lang) else None
    return str(Literal(text, lang=tag).n3())


def _date(value: dt.date) -> str:
    return f'"{value.isoformat()}"^^xsd:date'


def _decimal(value: float) -> str:
    """A float as an exact xsd:decimal, e.g. ``0.462`` or ``10000000000.0``."""
    text = format(Decimal(repr(float(value))), "f")
    return text if "." in text else text + ".0"


__all__ = ["DEFAULT_BASE", "DIRECT", "PAGE", "PREFIXES", "WD", "WDT", "WIKIDATA", "write"]

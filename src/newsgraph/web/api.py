"""The JSON API under ``/api``: the store's questions over HTTP.

Every route reads through its own cursor (:class:`StoreAccess`); errors are
newsgraph errors turned into JSON by the app (see :mod:`newsgraph.web.app`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from newsgraph.errors import InputTooLarge, ReadOnlyServer, UploadFailed
from newsgraph.model import RELATIONS
from newsgraph.web.access import StoreAccess
from newsgraph.web.schemas import (
    ArticleIn,
    ClaimPage,
    DocumentDetail,
    EntityDetail,
    EntityHit,
    ErrorBody,
    Ingested,
    Neighbourhood,
    Stats,
)

#: The errors every route may answer with, documented in the OpenAPI schema.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "the body cannot be parsed (not UTF-8)"},
    404: {"model": ErrorBody, "description": "no such entity or document"},
    422: {"model": ErrorBody, "description": "a parameter is missing or invalid"},
}
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    403: {"model": ErrorBody, "description": "the server is read-only"},
    413: {"model": ErrorBody, "description": "the text or the body is too large"},
}

router = APIRouter(prefix="/api", responses=ERRORS)

Name = Annotated[str, Query(min_length=1, max_length=200)]
PERIODS = r"^(month|quarter|year)$"
RELATION = "^(" + "|".join(sorted(RELATIONS)) + ")$"
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
DATE = {"format": "date"}  # a real day: 2024-02-30 matches the pattern but is refused (E009)
# spaCy's pipeline is not documented as thread-safe: one analysis at a time.
_ANALYSIS = threading.Lock()


def access(request: Request) -> StoreAccess:
    found: StoreAccess = request.app.state.access
    return found


def cursor(request: Request) -> Iterator[Any]:
    """A read cursor for this request, closed after it."""
    with access(request).reading() as con:
        yield con


Con = Annotated[Any, Depends(cursor)]


@router.get("/stats", response_model=Stats, summary="Row counts of the store")
def stats(request: Request, con: Con) -> dict[str, Any]:
    from newsgraph.store.db import table_counts

    settings = request.app.state.settings
    return {
        "store": settings.store_name,
        "read_only": not settings.allow_ingest,
        "counts": table_counts(con),
    }


@router.get("/entities", response_model=list[EntityHit], summary="Search entities by name")
def search(
    con: Con,
    q: Annotated[str, Query(max_length=200, description="start of a name, alias or form")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[dict[str, Any]]:
    """Entities whose name, alias or a surface form starts with (then contains) ``q``,
    case and accents folded; the most-cited first."""
    from newsgraph.store.browse import search_entities

    return search_entities(con, q, limit=limit)


@router.get("/entities/{name}", response_model=EntityDetail, summary="One entity and its edges")
def entity(con: Con, name: str) -> dict[str, Any]:
    """The entity (by id, name, alias or surface form), its aliases, the forms
    seen in articles and its edges grouped by relation."""
    from newsgraph.store.queries import entity_detail

    return entity_detail(con, name)


@router.get(
    "/entities/{name}/graph", response_model=Neighbourhood, summary="An entity's neighbourhood"
)
def graph(con: Con, name: str, limit: Annotated[int, Query(ge=1, le=200)] = 40) -> dict[str, Any]:
    """The entity, its ``limit`` partners backed by the most stories, and the
    edges between it and them."""
    from newsgraph.store.browse import neighbourhood

    return neighbourhood(con, name, limit=limit)


@router.get("/entities/{name}/dependencies", summary="Who an entity depends on, and how much")
def dependencies(con: Con, name: str) -> dict[str, Any]:
    """Suppliers, funders, owners and controllers, integrations and the
    downstream side, with concentration (HHI); see ``newsgraph dependencies``."""
    from newsgraph.analysis import dependencies as depends

    return depends(con, name)


@router.get("/claims", response_model=ClaimPage, summary="Claims between two entities")
def claims(
    con: Con,
    a: Name,
    b: Name,
    relation: Annotated[str | None, Query(pattern=RELATION)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The claims between ``a`` and ``b`` in either direction, oldest first, one page."""
    from newsgraph.store.queries import count_between, edges_between, resolve

    first, second = resolve(con, a), resolve(con, b)  # once; ids below resolve exactly
    ids = (first["id"], second["id"])
    found = edges_between(con, *ids, relation=relation, limit=limit, offset=offset)
    # A short page ends the list, so its total is known without counting (as the CLI does).
    short = len(found) < limit and (bool(found) or offset == 0)
    total = offset + len(found) if short else count_between(con, *ids, relation=relation)
    return {
        "a": first,
        "b": second,
        "total": total,
        "limit": limit,
        "offset": offset,
        "claims": found,
    }


@router.get("/timeline", summary="The relationship between two entities over time")
def timeline(
    con: Con,
    a: Name,
    b: Name,
    by: Annotated[str, Query(pattern=PERIODS)] = "year",
    since: Annotated[str | None, Query(pattern=ISO_DAY, json_schema_extra=DATE)] = None,
    until: Annotated[str | None, Query(pattern=ISO_DAY, json_schema_extra=DATE)] = None,
) -> dict[str, Any]:
    """Claim counts and a health score in [-1, 1] per period, with the events that
    moved each period; see ``newsgraph timeline``."""
    from newsgraph.analysis import timeline as relationship

    return relationship(con, a, b, by=by, since=since, until=until)


@router.get("/documents/{document_id}", response_model=DocumentDetail, summary="One article")
def document(con: Con, document_id: str) -> dict[str, Any]:
    """A stored article: text, sources, entity mentions and claims with offsets."""
    from newsgraph.store.browse import document_detail

    return document_detail(con, document_id)


@router.post(
    "/analyze",
    responses={413: _WRITE_ERRORS[413]},
    summary="Analyse a text (nothing is stored)",
)
def analyze(article: ArticleIn, request: Request) -> dict[str, Any]:
    """Entities and claims of one article, as the ONTOLOGY's document object."""
    from newsgraph.pipeline import analyze as run

    _check_size(article, request.app.state.settings.max_chars)
    with _ANALYSIS:
        doc = run(article.text, lang=article.lang, published=article.published, title=article.title)
    return doc.to_dict()


@router.post(
    "/documents",
    response_model=Ingested,
    responses={
        **_WRITE_ERRORS,
        500: {"model": ErrorBody, "description": "the analysis failed; nothing was stored"},
    },
    status_code=201,
    summary="Store an article (only with --allow-ingest)",
)
def upload(article: ArticleIn, request: Request) -> dict[str, Any]:
    """Analyse an article and add it to the store, as ``newsgraph ingest`` does."""
    from newsgraph.ingest.records import make_article
    from newsgraph.ingest.run import ingest_articles
    from newsgraph.pipeline import make_document
    from newsgraph.store.rows import content_hash

    settings = request.app.state.settings
    if not settings.allow_ingest:
        raise ReadOnlyServer()
    _check_size(article, settings.max_chars)
    make_document(article.text, lang=article.lang, published=article.published)  # validates
    received = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    raw = make_article(
        article.text,
        name=article.title or f"upload {received}",
        location=f"http-upload:{received}",
        title=article.title,
        published=article.published,
        url=article.url,
        lang=article.lang,
    )
    with _ANALYSIS, access(request).writing() as path:
        summary = ingest_articles([raw], db=path, processes=1)
    if summary.failed:  # nothing was stored: say why rather than answer 201
        raise UploadFailed(f"{summary.failed[0].code}: {summary.failed[0].message}")
    return {
        "document_id": content_hash(raw.text),
        "new": summary.analysed == 1,
        "summary": summary.to_dict(),
    }


#: One short sentence per language, analysed at start-up so that spaCy's models
#: are loaded before the first pasted article (2–7 s each, on first use).
WARM_UP = {
    "en": "Acme bought Initech last year.",
    "fr": "Acme a racheté Initech l'an dernier.",
    "es": "Acme compró Initech el año pasado.",
}


def warm_up() -> None:
    """Load the analysis models now (``newsgraph serve`` runs this in a thread)."""
    from newsgraph.pipeline import analyze as run

    with _ANALYSIS:  # a request arriving meanwhile waits instead of loading them twice
        for lang, text in WARM_UP.items():
            run(text, lang=lang)


def _check_size(article: ArticleIn, limit: int) -> None:
    if len(article.text) > limit:
        raise InputTooLarge(
            source="<request>", chars=len(article.text), unit="characters", limit=limit
        )


__all__ = ["WARM_UP", "router", "warm_up"]

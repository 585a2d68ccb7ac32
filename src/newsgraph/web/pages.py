"""The HTML pages: search, entity, article and "analyse a text".

Pages are Jinja templates rendered with autoescaping; what they show beyond
the server-rendered part is fetched by their scripts from the JSON API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from newsgraph.web.assets import missing
from newsgraph.web.highlight import segments

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

#: Relations in the colours of their class, for the legend.
CLASSES = ("cooperation", "conflict", "neutral")
#: Partners offered for the relationship timeline (those with the most stories).
MAX_PARTNERS = 300


def wants_html(request: Request) -> bool:
    """A page (not an API call) was asked for: errors then render as pages."""
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def error_page(request: Request, status: int, message: str) -> Response:
    return _render(request, "error.html", {"status": status, "message": message}, status=status)


def _render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> Response:
    context = {"missing_assets": missing(), "settings": request.app.state.settings, **context}
    return templates.TemplateResponse(request, name, context, status_code=status)


def _cursor(request: Request) -> Any:
    return request.app.state.access.reading()


@router.get("/")
def home(request: Request) -> Response:
    from newsgraph.store.db import table_counts
    from newsgraph.store.queries import top_edges

    with _cursor(request) as con:
        edges = top_edges(con, limit=15)
        documents = con.execute(
            """
            SELECT id, coalesce(title, name), published, lang FROM documents
            ORDER BY published DESC NULLS LAST, id LIMIT 10
            """
        ).fetchall()
        counts = table_counts(con)
    return _render(
        request, "index.html", {"edges": edges, "documents": documents, "counts": counts}
    )


@router.get("/entity/{name}")
def entity(request: Request, name: str) -> Response:
    from newsgraph.store.browse import neighbourhood
    from newsgraph.store.queries import entity_detail

    with _cursor(request) as con:
        detail = entity_detail(con, name)
        # The partners the graph ranks (most stories first), for the timeline's choice.
        nodes = neighbourhood(con, detail["id"], limit=MAX_PARTNERS)["nodes"]
    partners = [(n["id"], n["name"], n["weight"]) for n in nodes if not n["centre"]]
    return _render(
        request, "entity.html", {"entity": detail, "partners": partners, "classes": CLASSES}
    )


@router.get("/document/{document_id}")
def document(request: Request, document_id: str) -> Response:
    from newsgraph.store.browse import document_detail

    with _cursor(request) as con:
        detail = document_detail(con, document_id)
    runs = segments(detail["text"], detail["mentions"], detail["claims"])
    entities: dict[str, dict[str, Any]] = {}
    for m in detail["mentions"]:
        seen = entities.setdefault(
            m["entity_id"], {"id": m["entity_id"], "name": m["entity_name"], "type": m["type"]}
        )
        seen["count"] = seen.get("count", 0) + 1
    listed = sorted(entities.values(), key=lambda e: (-e["count"], e["name"]))
    return _render(request, "document.html", {"doc": detail, "runs": runs, "entities": listed})


@router.get("/search")
def search(request: Request, q: str = "") -> Response:
    """The search box without JavaScript, or on Enter: one hit opens, several are listed."""
    from fastapi.responses import RedirectResponse

    from newsgraph.store.browse import search_entities

    with _cursor(request) as con:
        hits = search_entities(con, q[:200], limit=30)
    if len(hits) == 1:
        return RedirectResponse(f"/entity/{quote(hits[0]['id'], safe='')}", status_code=303)
    return _render(request, "search.html", {"q": q, "hits": hits})


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    """Swagger UI over the OpenAPI schema, from npm's swagger-ui-dist (no CDN, no inline script)."""
    return _render(request, "api_docs.html", {})


@router.get("/analyze")
def analyze(request: Request) -> Response:
    return _render(request, "analyze.html", {"max_chars": request.app.state.settings.max_chars})


__all__ = ["error_page", "router", "wants_html"]

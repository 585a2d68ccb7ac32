"""The web explorer: a FastAPI app over one store — JSON API and HTML pages.

    >>> from newsgraph.web import create_app
    >>> app = create_app("newsgraph.duckdb")          # read-only, no CORS
    >>> # uvicorn.run(app, host="127.0.0.1", port=8000)

Safety, by construction rather than by care at each use:

- pages are Jinja templates with autoescaping, and the scripts build the DOM
  with ``textContent``; a Content-Security-Policy allows scripts from this
  origin only, so an injected inline script or ``onerror=`` cannot run;
- request bodies are capped (413) before they are read whole;
- no path from a request reaches the file system: static files are served by
  Starlette (which refuses to leave its folder) and the JavaScript libraries
  from a fixed table of names;
- CORS is off unless origins are given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsgraph import __version__
from newsgraph.errors import (
    BodyTooLarge,
    DocumentNotFound,
    EmptyInput,
    EntityNotFound,
    InputTooLarge,
    InvalidDate,
    NewsgraphError,
    ReadOnlyServer,
    UnsupportedLanguage,
    UploadFailed,
    UsageError,
)
from newsgraph.web.access import StoreAccess
from newsgraph.web.assets import vendor_file

HERE = Path(__file__).resolve().parent
#: Largest request body, in bytes.
MAX_BODY = 1_000_000
#: Longest text ``POST /api/analyze`` takes, in characters (about 30,000 words).
MAX_CHARS = 200_000

_STATUS: dict[type[NewsgraphError], int] = {
    EntityNotFound: 404,
    DocumentNotFound: 404,
    InputTooLarge: 413,
    BodyTooLarge: 413,
    ReadOnlyServer: 403,
    UploadFailed: 500,
    EmptyInput: 422,
    InvalidDate: 422,
    UnsupportedLanguage: 422,
    UsageError: 422,
}
_SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        b"frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


@dataclass(frozen=True)
class Settings:
    store_name: str
    allow_ingest: bool
    max_body: int
    max_chars: int


def create_app(
    db: str | os.PathLike[str],
    *,
    allow_ingest: bool = False,
    max_body: int = MAX_BODY,
    max_chars: int = MAX_CHARS,
    cors_origins: tuple[str, ...] = (),
) -> FastAPI:
    """The app over the store ``db``; read-only unless ``allow_ingest``.

    Raises:
        StoreMissing: ``db`` does not exist (with ``allow_ingest`` an empty
            store is created instead).
    """
    from newsgraph.web.api import router as api_router
    from newsgraph.web.pages import router as page_router

    access = StoreAccess(db, create=allow_ingest)
    app = FastAPI(
        title="newsgraph",
        version=__version__,
        description=(
            "Who does what to whom between organisations, from news: entities, "
            "sourced claims, relationship timelines and dependencies. Read-only "
            "unless the server was started with --allow-ingest."
        ),
        docs_url=None,  # FastAPI's page loads Swagger UI from a CDN: see pages.api_docs
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.access = access
    app.state.settings = Settings(
        store_name=os.path.basename(access.path),
        allow_ingest=allow_ingest,
        max_body=max_body,
        max_chars=max_chars,
    )
    app.include_router(api_router)
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        path = vendor_file(name)  # a fixed table: the name only selects an entry
        if path is None:
            return _error(404, "E010", f"no library {name!r}; run `make install` (npm ci).")
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        return FileResponse(path, media_type=kind)

    _handle_errors(app)
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"]
        )
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(SecurityHeaders)
    app.router.on_shutdown.append(access.close)
    return app


def _error(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"code": code, "detail": detail, **extra}, status_code=status)


def _handle_errors(app: FastAPI) -> None:
    from newsgraph.web.pages import error_page, wants_html

    @app.exception_handler(NewsgraphError)
    def newsgraph_error(request: Request, error: NewsgraphError) -> Response:
        status = next((s for k, s in _STATUS.items() if isinstance(error, k)), 400)
        if wants_html(request):
            return error_page(request, status, error.message)
        suggestions = getattr(error, "suggestions", [])
        return _error(status, error.code, error.message, suggestions=suggestions)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError) -> Response:
        errors = [
            {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in error.errors()
        ]
        where = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return _error(422, "E010", f"invalid request ({where}).", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404 and wants_html(request):
            return error_page(request, 404, "There is no such page.")
        return JSONResponse(  # keeps the exception's headers (Allow on a 405)
            {"code": "E010", "detail": str(error.detail)}, error.status_code, error.headers
        )


class SecurityHeaders:
    """Adds the Content-Security-Policy and its companions to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Answers 413 to a body over ``limit`` bytes, by its Content-Length or as it streams."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(int(declared), scope, receive, send)
            return
        # Read the body up front (it is at most ``limit`` bytes), then replay it.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(size, scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, size: int, scope: Scope, receive: Receive, send: Send) -> None:
        error = BodyTooLarge(size=size, limit=self.limit)
        response = _error(413, error.code, error.message)
        await response(scope, receive, send)


__all__ = ["MAX_BODY", "MAX_CHARS", "create_app"]

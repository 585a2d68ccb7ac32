"""``newsgraph serve``: the web explorer and HTTP API over a store."""

from __future__ import annotations

import argparse
import ipaddress
import sys
import threading
from typing import Any

from newsgraph.cli_graph import _db, _positive

SERVE_EPILOG = """\
The pages are at http://HOST:PORT/, the API under /api (OpenAPI schema at
/api/openapi.json, interactive docs at /api/docs).

The server has no authentication: it listens on 127.0.0.1 unless --host says
otherwise, and it only reads the store unless --allow-ingest is given. While
it runs, `newsgraph ingest` cannot write the same store (DuckDB allows one
writer or several readers); upload through POST /api/documents instead.

examples:
  newsgraph serve --db demo.duckdb
  newsgraph serve --db news.duckdb --port 8080 --allow-ingest
"""


def add_command(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    """Add ``serve`` to the ``newsgraph`` sub-parsers."""
    serve = commands.add_parser(
        "serve",
        help="explore the graph in a browser, or query it over HTTP",
        description="Serve the web explorer and the JSON API of a store.",
        epilog=SERVE_EPILOG,
        formatter_class=formatter,
    )
    _db(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (default: %(default)s)")
    serve.add_argument(
        "--allow-ingest",
        action="store_true",
        help="accept new articles (POST /api/documents); creates the store if missing",
    )
    serve.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="let pages of ORIGIN call the API (repeatable; default: none)",
    )
    serve.add_argument(
        "--max-body", type=_positive, default=1_000_000, metavar="BYTES",
        help="largest request body accepted (default: %(default)s)",
    )  # fmt: skip
    serve.set_defaults(handler=run_serve)


def _port(value: str) -> int:
    port = _positive(value)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"not a port: {value}")
    return port


def run_serve(args: argparse.Namespace) -> int:
    """Start uvicorn on the app; returns when the server stops (Ctrl-C)."""
    import uvicorn

    from newsgraph.web import create_app

    app = create_app(
        args.db,
        allow_ingest=args.allow_ingest,
        max_body=args.max_body,
        cors_origins=tuple(args.cors_origin),
    )
    if not _loopback(args.host):
        print(
            f"warning: listening on {args.host}, reachable from other machines; "
            "the server has no authentication.",
            file=sys.stderr,
        )
    from newsgraph.web.api import warm_up

    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    mode = "read-write (uploads allowed)" if args.allow_ingest else "read-only"
    print(f"newsgraph: serving {args.db} ({mode}) at http://{_url_host(args.host)}:{args.port}/")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


__all__ = ["add_command"]

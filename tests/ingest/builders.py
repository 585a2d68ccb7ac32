"""Fixture builders shared by the ingest tests; every article sentence is invented."""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path

from newsgraph.ingest import RawArticle, Skipped, iter_articles

EN = "Airbus said on Tuesday that Air France ordered twelve A350 jets for its long-haul fleet."
EN2 = "The deal is worth about two billion euros, according to the aircraft maker."
FR = "Renault et Nissan ont signé mardi un nouvel accord sur les véhicules électriques à Douai."
ES = "Telefónica vendió su filial de fibra a Liberty Global por 900 millones de euros."


def page(
    title: str,
    paragraphs: Iterable[str],
    *,
    head: str = "",
    charset: str = "utf-8",
) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><meta charset="{charset}"><title>{title}</title>{head}</head>'
        f"<body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>"
    )


def read(*paths: str | os.PathLike[str]) -> list[RawArticle | Skipped]:
    return list(iter_articles(paths))


def articles(items: list[RawArticle | Skipped]) -> list[RawArticle]:
    return [i for i in items if isinstance(i, RawArticle)]


def skipped(items: list[RawArticle | Skipped]) -> list[Skipped]:
    return [i for i in items if isinstance(i, Skipped)]


def write_jsonl(path: Path, lines: Iterable[object | str]) -> Path:
    text = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def warc_bytes(pages: list[tuple[str, str, str]], *, gzipped: bool) -> bytes:
    """A WARC of request/response pairs; ``pages`` are (url, content type, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "pytest"}))
    for url, content_type, body in pages:
        request = f"GET / HTTP/1.1\r\nHost: {url.split('/')[2]}\r\n\r\n".encode()
        payload = io.BytesIO(request)
        record = writer.create_warc_record(url, "request", payload=payload, length=len(request))
        writer.write_record(record)
        status = "404 Not Found" if "missing" in url else "200 OK"
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        data = body.encode("utf-8")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(data), length=len(data), http_headers=headers
            )
        )
    return out.getvalue()

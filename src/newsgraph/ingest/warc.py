"""Read the HTML pages of WARC archives (plain or gzipped), streaming one record at a time.

Damage is detected as well as warcio allows: an exception while parsing, a
record shorter than its Content-Length, a header block cut short, or bytes
left after the last complete record. The pages read before the damage are
kept; the damage itself is one TruncatedArchive.

    >>> for item in iter_warc("crawl.warc.gz"):
    ...     print(item.location)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputTooLarge, NewsgraphError, TruncatedArchive, Warnings
from ..reader import MAX_CHARS
from .records import RawArticle, Skipped, iso_date, make_article, url_slug
from .web import MAX_HTML_BYTES, decode_html, extract_html, open_binary, regular_size

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def iter_warc(path: str) -> Iterator[RawArticle | Skipped]:
    """Yield the HTML pages of a WARC file, plain or gzipped, located ``path#N``.

    N counts every record of the file, 1-based. Only ``response`` records with
    a 2xx status and an HTML content type, and ``resource`` records of type
    ``text/html``, are read; other records are passed over. The file is
    streamed: one record is in memory at a time.

    Raises:
        NotFound, FileNotReadable; TruncatedArchive after the records before
        the damage when the file is cut short or corrupt.
    """
    from warcio.archiveiterator import ArchiveIterator

    stream = open_binary(path)
    with stream:
        size = regular_size(stream.fileno())
        records = ArchiveIterator(stream)
        stem = Path(path).stem
        index = 0
        while True:
            # warcio raises many kinds of errors (ArchiveLoadFailed, EOFError,
            # zlib.error, AttributeError, ...) on damaged input: all mean "corrupt".
            try:
                record = next(records, None)
                if record is None:
                    break
                index += 1
                location = f"{path}#{index}"
                page = _warc_html(record, location)
                damage = _record_damage(record)
            except Exception as e:
                raise TruncatedArchive(path, reason=_reason(e), read=index - 1) from e
            if damage:
                raise TruncatedArchive(path, reason=damage, read=index - 1)
            if page is None:
                continue
            item: RawArticle | Skipped
            try:
                item = _warc_article(record, page, location=location, name=f"{stem}-{index}")
            except NewsgraphError as e:
                item = Skipped.from_error(location, e)
            yield item
        if size is not None and records.offset < size:
            raise TruncatedArchive(path, reason="the file ends inside a record", read=index)


def _warc_html(record: Any, location: str) -> bytes | NewsgraphError | None:
    """The HTML payload of a record, an error to report, or None to pass it over."""
    if record.rec_type == "response":
        headers = record.http_headers
        if headers is None or not (headers.get_statuscode() or "").startswith("2"):
            return None
        content_type = headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    if not content_type.strip().lower().startswith(_HTML_TYPES):
        return None
    payload: bytes = record.content_stream().read(MAX_HTML_BYTES + 1)
    if len(payload) > MAX_HTML_BYTES:
        return InputTooLarge(location, chars=len(payload), limit=MAX_CHARS, unit="bytes")
    return payload


def _record_damage(record: Any) -> str | None:
    """Read the rest of a record; say what is wrong if it is incomplete."""
    raw = record.raw_stream
    while raw.read(65536):
        pass
    if getattr(raw, "limit", 0) > 0:
        return "the last record is cut short"
    if record.rec_headers.get_header("Content-Length") is None:
        return "a record header is cut short"
    return None


def _warc_article(
    record: Any, page: bytes | NewsgraphError, *, location: str, name: str
) -> RawArticle:
    if isinstance(page, NewsgraphError):
        raise page
    url = record.rec_headers.get_header("WARC-Target-URI")
    headers = record.http_headers or record.rec_headers
    content_type = headers.get_header("Content-Type")
    m = _HEADER_CHARSET.search(content_type or "")
    html, warnings = decode_html(page, source=location, charset=m.group(1) if m else None)
    found = extract_html(html, source=location, url=url)
    published = found.published
    if published is None:
        # A news crawl fetches pages within hours of publication: the crawl date
        # is a better date than none (a timeline leaves undated claims out).
        published = iso_date(record.rec_headers.get_header("WARC-Date") or "")
        if published is not None:
            warnings = [*warnings, Warnings.text("W006", source=location, date=published)]
    return make_article(
        found.text,
        name=(url_slug(url) if url else None) or name,
        location=location,
        title=found.title,
        published=published,
        url=url or found.url,
        site=found.site,
        warnings=warnings,
    )


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if len(text) > 120:
        text = text[:117] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


__all__ = ["iter_warc"]

"""Readers for web formats: HTML pages and RSS/Atom feeds (WARC: :mod:`.warc`).

The article text of a page is found by trafilatura (boilerplate removed); its
title, date, site name and URL come from the page's metadata. A feed entry's
HTML is a fragment that trafilatura often finds too short to be an article:
its text then comes from the markup itself. The third-party libraries are
imported when first used, so that importing :mod:`newsgraph.ingest` is cheap.

    >>> page = extract_html("<html><body><p>Airbus delivered 12 jets.</p></body></html>",
    ...                     source="a.html")
    >>> page.text
    'Airbus delivered 12 jets.'
"""

from __future__ import annotations

import codecs
import email.utils
import io
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import (
    EmptyInput,
    FileNotReadable,
    InputTooLarge,
    NewsgraphError,
    NoTextInHtml,
    NotFound,
    TruncatedArchive,
    UnsupportedFormat,
)
from ..reader import MAX_CHARS, decode_bytes
from .records import RawArticle, Skipped, date_in_name, iso_date, make_article, url_slug

#: Pages, feeds and WARC payloads larger than this many bytes are refused.
MAX_HTML_BYTES = 4 * MAX_CHARS
_CHARSET = re.compile(
    rb"""(?:<meta[^>]+charset|<\?xml[^>]+encoding)\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE
)
_FEED_ROOT = re.compile(rb"<(?:[\w.-]+:)?(rss|feed|RDF)[\s>/]")
_XML_NOISE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL | re.IGNORECASE)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BLOCKS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "blockquote", "pre", "table", "tr", "section", "article", "figure", "figcaption",
    "dl", "dt", "dd",
)  # fmt: skip
_TRUNCATED_XML = ("no element found", "unclosed token")


@dataclass(frozen=True)
class Page:
    """The text and metadata trafilatura found in one HTML page."""

    text: str
    title: str | None = None
    published: str | None = None
    site: str | None = None
    url: str | None = None


def extract_html(html: str, *, source: str, url: str | None = None) -> Page:
    """Find the article text and metadata of one HTML page.

    Args:
        html: the page, decoded.
        source: how to name the page in messages (a path, ``path#N``).
        url: the page's URL when known (a WARC record's target URI).

    Returns:
        The page's text, title, date (``YYYY-MM-DD``), site name and URL.

    Raises:
        NoTextInHtml: trafilatura finds no text in the page.

    Example:
        >>> extract_html(open("page.html").read(), source="page.html").title
    """
    doc = _trafilatura(html, source=source, url=url, metadata=True)
    if doc is None or not (doc.text or "").strip():
        raise NoTextInHtml(source)
    date = iso_date(doc.date) if isinstance(doc.date, str) else None
    return Page(
        text=doc.text,
        title=doc.title,
        published=date,
        site=doc.sitename or doc.hostname,
        url=doc.url or url,
    )


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed entry's content), one line per block.

    trafilatura is tried first; for fragments it finds too short, the text of
    the markup is taken, with a line break at each block element.

    Example:
        >>> fragment_text("<p>Renault &amp; Nissan</p><p>Second.</p>")
        'Renault & Nissan\\nSecond.'
    """
    doc = _trafilatura(html, source="<fragment>", url=None, metadata=False)
    if doc is not None and (doc.text or "").strip():
        return str(doc.text)
    return _markup_text(html)


def decode_html(data: bytes, *, source: str, charset: str | None = None) -> tuple[str, list[str]]:
    """Decode an HTML page, honouring the charset it declares.

    A byte-order mark wins, then ``charset`` (from an HTTP header), then a
    ``<meta charset>``; without any, or when the declared charset does not
    decode the bytes, :func:`newsgraph.reader.decode_bytes` guesses (and warns).

    Returns:
        ``(text, warnings)``.

    Raises:
        EmptyInput, BinaryInput, UndecodableInput, InputTooLarge.
    """
    if len(data) > MAX_HTML_BYTES:
        raise InputTooLarge(source, chars=len(data), limit=MAX_CHARS, unit="bytes")
    declared = charset or _meta_charset(data)
    if declared and not data.startswith(_BOMS):
        try:
            encoding = codecs.lookup(declared).name
        except LookupError:
            encoding = None
        if encoding in ("latin-1", "iso8859-1", "ascii"):
            encoding = "cp1252"  # what browsers do (WHATWG encoding standard)
        if encoding and encoding != "utf-8":
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                pass
            else:
                if text.strip() and "\x00" not in text:
                    return text, []
    return decode_bytes(data, source=source)


def read_html_file(path: str) -> RawArticle:
    """Read one ``.html`` file into an article named after the file.

    The date that starts the file name (``2024-03-05_lemonde.html``) wins over
    the page's own date.

    Raises:
        NotFound, FileNotReadable, the errors of :func:`decode_html`, NoTextInHtml.
    """
    data = _read_bytes(path)
    html, warnings = decode_html(data, source=path)
    page = extract_html(html, source=path)
    stem = Path(path).stem
    return make_article(
        page.text,
        name=stem,
        location=path,
        title=page.title,
        published=date_in_name(stem) or page.published,
        url=page.url,
        site=page.site,
        warnings=warnings,
    )


def is_feed(path: str) -> bool:
    """Whether the XML file at ``path`` is an RSS or Atom feed (by its root element).

    Raises:
        NotFound, FileNotReadable.
    """
    with open_binary(path) as f:
        try:
            head = f.read(8192)
        except OSError as e:
            raise FileNotReadable(path, reason=e.strerror or type(e).__name__) from e
    head = _XML_NOISE.sub(b"", head.replace(b"\x00", b""))
    m = re.search(rb"<[A-Za-z_]", head)
    return m is not None and _FEED_ROOT.match(head, m.start()) is not None


def iter_feed(path: str) -> Iterator[RawArticle | Skipped]:
    """Yield the entries of an RSS or Atom feed, located ``path#N``.

    An entry's text is its title and its content (or summary); an entry with
    only a title is an article of one line. A feed cut short yields the entries
    before the cut and then raises TruncatedArchive.

    Raises:
        NotFound, FileNotReadable, InputTooLarge, UnsupportedFormat (not a
        feed), TruncatedArchive (a damaged feed), EmptyInput (a feed without
        entries).
    """
    import feedparser

    data = _read_bytes(path)
    try:
        # A stream, not bytes: feedparser opens bytes that name a file.
        feed = feedparser.parse(io.BytesIO(data))
    except Exception as e:  # feedparser on untrusted bytes: any failure means "not a feed"
        raise UnsupportedFormat(path, reason=f"not a readable feed: {e}") from e
    entries = list(feed.get("entries") or [])
    problem = feed.get("bozo_exception") if feed.get("bozo") else None
    truncated = problem is not None and _is_truncated_xml(problem)
    if truncated and entries:
        entries.pop()  # the entry the cut went through is incomplete
    if not entries:
        if not feed.get("version"):
            why = "no RSS or Atom feed found" + (f" ({problem})" if problem else "")
            raise UnsupportedFormat(path, reason=why)
        if problem is not None:
            raise TruncatedArchive(path, reason=f"invalid XML: {problem}", read=0)
        raise EmptyInput(path)
    site = (feed.get("feed") or {}).get("title")
    stem = Path(path).stem
    for index, entry in enumerate(entries, start=1):
        location = f"{path}#{index}"
        item: RawArticle | Skipped
        try:
            item = _feed_article(entry, location=location, fallback=f"{stem}-{index}", site=site)
        except NewsgraphError as e:
            item = Skipped.from_error(location, e)
        yield item
    if truncated:
        raise TruncatedArchive(path, reason=f"the XML ends early: {problem}", read=len(entries))


def _feed_article(entry: Any, *, location: str, fallback: str, site: str | None) -> RawArticle:
    title = entry.get("title")
    if title and "html" in (entry.get("title_detail") or {}).get("type", ""):
        title = _markup_text(title)
    body = ""
    contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    detail = contents[0] if contents else entry.get("summary_detail") or {}
    value = detail.get("value") or entry.get("summary") or ""
    if value.strip():
        body = fragment_text(value) if "html" in detail.get("type", "text/html") else value
    if not body.strip() and not (title or "").strip():
        raise NoTextInHtml(location)
    link = entry.get("link")
    return make_article(
        body,
        name=(url_slug(link) if link else None) or fallback,
        location=location,
        title=title,
        published=_entry_date(entry),
        url=link,
        site=site,
    )


def _entry_date(entry: Any) -> str | None:
    """The day an entry was published, as written (not converted to UTC)."""
    for key in ("published", "updated"):
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            day = iso_date(raw)
            if day is None:
                try:
                    day = email.utils.parsedate_to_datetime(raw).date().isoformat()
                except (TypeError, ValueError, IndexError):
                    day = None
            if day is not None:
                return day
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            return time.strftime("%Y-%m-%d", parsed)
    return None


def _trafilatura(html: str, *, source: str, url: str | None, metadata: bool) -> Any:
    from trafilatura import bare_extraction

    try:
        return bare_extraction(
            html,
            url=url,
            with_metadata=metadata,
            include_comments=False,
            # A page: boilerplate (teasers, "read also") would give claims the
            # article does not make, so precision first. A feed fragment is all
            # article: recall first.
            favor_precision=metadata,
            favor_recall=not metadata,
            # No date guessed from free text or a copyright year: only markup.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # lxml/trafilatura on untrusted markup: treat as no text
        raise NoTextInHtml(source) from e


def _markup_text(html: str) -> str:
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    lxml.etree.strip_elements(root, "script", "style", "noscript", with_tail=False)
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _meta_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def _is_truncated_xml(problem: object) -> bool:
    get_message = getattr(problem, "getMessage", None)
    return callable(get_message) and get_message() in _TRUNCATED_XML


def _read_bytes(path: str) -> bytes:
    with open_binary(path) as f:
        size = regular_size(f.fileno())
        if size is not None and size > MAX_HTML_BYTES:
            raise InputTooLarge(path, chars=size, limit=MAX_CHARS, unit="bytes")
        try:
            data: bytes = f.read(MAX_HTML_BYTES + 1)
        except OSError as e:
            raise FileNotReadable(path, reason=e.strerror or type(e).__name__) from e
    if len(data) > MAX_HTML_BYTES:
        raise InputTooLarge(path, chars=len(data), limit=MAX_CHARS, unit="bytes")
    return data


def open_binary(path: str) -> Any:
    """Open ``path`` for reading bytes; the errors are newsgraph's.

    Raises:
        NotFound, FileNotReadable.
    """
    try:
        return open(path, "rb")
    except FileNotFoundError as e:
        raise NotFound(path) from e
    except IsADirectoryError as e:
        raise FileNotReadable(path, reason="it is a directory") from e
    except PermissionError as e:
        raise FileNotReadable(path, reason="permission denied") from e
    except OSError as e:
        raise FileNotReadable(path, reason=e.strerror or type(e).__name__) from e


def regular_size(fd: int) -> int | None:
    """The size of an open regular file, None for a pipe or a device."""
    info = os.fstat(fd)
    return info.st_size if stat.S_ISREG(info.st_mode) else None


__all__ = [
    "MAX_HTML_BYTES",
    "Page",
    "decode_html",
    "extract_html",
    "fragment_text",
    "is_feed",
    "iter_feed",
    "open_binary",
    "read_html_file",
    "regular_size",
]

"""Turn the paths given to ``newsgraph ingest`` into a stream of articles.

:func:`iter_articles` expands folders, picks a reader by file type and never
raises for a bad input item: each problem becomes a :class:`Skipped` and
reading goes on. Everything streams: one record is in memory at a time.

    >>> for item in iter_articles(["corpus/", "feeds/lemonde.xml"]):
    ...     if isinstance(item, Skipped):
    ...         print(item.message)
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import (
    EmptyInput,
    FileNotReadable,
    InputTooLarge,
    InvalidJsonLine,
    NewsgraphError,
    NotFound,
    TruncatedArchive,
    UnsupportedFormat,
)
from ..reader import MAX_CHARS, STDIN, read_text_file
from .records import RawArticle, Skipped, date_in_name, iso_date, lang_code, make_article
from .warc import iter_warc
from .web import MAX_HTML_BYTES, extract_html, is_feed, iter_feed, open_binary, read_html_file

Item = RawArticle | Skipped

#: Longest JSONL line read (an article's HTML fits): longer lines are skipped.
MAX_LINE_BYTES = MAX_HTML_BYTES
_CHUNK = 1 << 20
#: File name endings, longest first, and the kind of reader for each.
_KINDS = (
    (".jsonl.gz", "jsonl"),
    (".warc.gz", "warc"),
    (".jsonl", "jsonl"),
    (".warc", "warc"),
    (".txt", "txt"),
    (".html", "html"),
    (".htm", "html"),
    (".rss", "feed"),
    (".atom", "feed"),
    (".xml", "xml"),
)


def iter_articles(paths: Sequence[str | os.PathLike[str]]) -> Iterator[RawArticle | Skipped]:
    """Read the articles of files and folders, in order, skipping what cannot be read.

    A folder is read recursively, sorted by path; inside it, hidden files and
    folders and files of unknown type (and ``.xml`` files that are not feeds)
    are ignored. A path given explicitly is always read or reported. ``"-"``
    is one text article on standard input.

    Formats: ``.txt``; ``.html``/``.htm``; ``.jsonl`` and ``.jsonl.gz`` (one
    article per line); RSS/Atom feeds (``.rss``, ``.atom``, ``.xml``); WARC
    (``.warc``, ``.warc.gz``).

    Args:
        paths: files and folders.

    Returns:
        A generator of :class:`RawArticle` and :class:`Skipped` (whose
        ``message`` is the matching error's line, e.g. E013 for a bad JSON line,
        E014 after the records read from a truncated archive).

    Example:
        >>> items = list(iter_articles(["a.jsonl"]))
        >>> [type(i).__name__ for i in items]
        ['RawArticle', 'Skipped', 'RawArticle']
    """
    for raw in paths:
        name = os.fspath(raw)
        if name == STDIN:
            yield from _guarded(STDIN, _read_txt(STDIN))
            continue
        path = Path(name)
        if path.is_dir():
            yield from _iter_folder(name)
        elif not path.exists():
            yield Skipped.from_error(name, NotFound(name))
        else:
            yield from _read_file(name, explicit=True)


def _iter_folder(root: str) -> Iterator[Item]:
    """The files of a folder and its sub-folders, sorted by path, hidden ones left out."""
    problems: list[OSError] = []
    files: list[tuple[tuple[str, ...], str]] = []
    for folder, dirs, names in os.walk(root, onerror=problems.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file_name in names:
            if not file_name.startswith(".") and _kind(file_name) is not None:
                full = os.path.join(folder, file_name)
                files.append((Path(os.path.relpath(full, root)).parts, full))
    for problem in problems:
        where = problem.filename or root
        yield Skipped.from_error(where, FileNotReadable(where, reason=problem.strerror or "error"))
    for _, full in sorted(files):
        yield from _read_file(full, explicit=False)


def _read_file(path: str, *, explicit: bool) -> Iterator[Item]:
    kind = _kind(path)
    if kind == "xml":
        try:
            feed = is_feed(path)
        except NewsgraphError as e:
            yield Skipped.from_error(path, e)
            return
        if not feed:
            if explicit:
                reason = "an XML file that is not an RSS or Atom feed"
                yield Skipped.from_error(path, UnsupportedFormat(path, reason=reason))
            return
        kind = "feed"
    if kind is None:
        yield Skipped.from_error(path, UnsupportedFormat(path, reason=_unknown(path)))
        return
    yield from _guarded(path, _READERS[kind](path))


def _guarded(location: str, items: Iterator[Item]) -> Iterator[Item]:
    """Pass ``items`` on; an error that ends them early becomes a last Skipped."""
    try:
        yield from items
    except NewsgraphError as e:
        yield Skipped.from_error(location, e)


def _read_txt(path: str) -> Iterator[Item]:
    text, warnings = read_text_file(path)
    if path == STDIN:
        yield make_article(text, name="stdin", location=STDIN, warnings=warnings)
        return
    stem = Path(path).stem
    published = date_in_name(stem)
    yield make_article(text, name=stem, location=path, published=published, warnings=warnings)


def _read_html(path: str) -> Iterator[Item]:
    yield read_html_file(path)


def _iter_jsonl(path: str) -> Iterator[Item]:
    """One article per line of a ``.jsonl`` or ``.jsonl.gz`` file, located ``path:LINE``.

    Blank lines are passed over; a file with none but blank lines is EmptyInput.
    """
    gzipped = path.lower().endswith(".gz")
    with (
        open_binary(path) as raw,
        gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else contextlib.nullcontext(raw) as stream,
    ):
        number = records = 0
        while True:
            try:
                line = stream.readline(MAX_LINE_BYTES + 1)
                too_long = len(line) > MAX_LINE_BYTES and not line.endswith(b"\n")
                size = len(line) + _skip_line(stream) if too_long else 0
            except (EOFError, zlib.error, gzip.BadGzipFile) as e:
                raise TruncatedArchive(path, reason=str(e) or type(e).__name__, read=number) from e
            except OSError as e:
                raise FileNotReadable(path, reason=e.strerror or type(e).__name__) from e
            if not line:
                break
            number += 1
            if not line.strip():
                continue
            records += 1
            location = f"{path}:{number}"
            item: Item
            try:
                if size:
                    raise InputTooLarge(location, chars=size, limit=MAX_CHARS, unit="bytes")
                item = _jsonl_article(line, path=path, number=number)
            except NewsgraphError as e:
                item = Skipped.from_error(location, e)
            yield item
    if records == 0:
        raise EmptyInput(path)


def _skip_line(stream: Any) -> int:
    """Read to the end of the current line; the number of bytes passed over."""
    skipped = 0
    while chunk := stream.readline(_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _jsonl_article(line: bytes, *, path: str, number: int) -> RawArticle:
    location = f"{path}:{number}"

    def bad(reason: str) -> InvalidJsonLine:
        return InvalidJsonLine(path, number, reason)

    try:
        record = json.loads(line.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as e:
        raise bad(f"not UTF-8: byte {line[e.start]:#04x} at position {e.start}") from e
    except json.JSONDecodeError as e:
        raise bad(f"{e.msg} at column {e.colno}") from e
    except (ValueError, RecursionError) as e:
        raise bad(str(e) or "nested too deeply") from e
    if not isinstance(record, dict):
        raise bad(f"a JSON {type(record).__name__} where an object was expected")
    doc_id = record.get("id")
    if doc_id is None:
        raise bad("missing key 'id'")
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int) or not str(doc_id).strip():
        raise bad("'id' must be a non-empty string or an integer")
    fields = {key: _string(record, key, bad) for key in _STRINGS}
    published = fields["published"]
    if published is not None:
        published = iso_date(published)
        if published is None:
            raise bad(f"invalid date {fields['published']!r} in 'published'; use YYYY-MM-DD")
    lang = fields["lang"]
    if lang is not None:
        lang = lang_code(lang)
        if lang is None:
            raise bad(f"invalid 'lang' {fields['lang']!r}; use a 2-letter code such as 'en'")
    title, url, site, body = fields["title"], fields["url"], fields["source"], fields["text"]
    if body is None and fields["html"] is None:
        raise bad("neither 'text' nor 'html'")
    if body is None or (not body.strip() and fields["html"] is not None):
        page = extract_html(fields["html"] or "", source=location, url=url)
        body, title = page.text, title or page.title
        published, url, site = published or page.published, url or page.url, site or page.site
    return make_article(
        body,
        name=str(doc_id).strip(),
        location=location,
        title=title,
        published=published,
        url=url,
        lang=lang,
        site=site,
    )


_STRINGS = ("text", "html", "title", "published", "url", "lang", "source")


def _string(record: dict[str, Any], key: str, bad: Callable[[str], InvalidJsonLine]) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad(f"{key!r} must be a string, not {type(value).__name__}")
    return value


_READERS: dict[str, Callable[[str], Iterator[Item]]] = {
    "txt": _read_txt,
    "html": _read_html,
    "jsonl": _iter_jsonl,
    "feed": iter_feed,
    "warc": iter_warc,
}


def _kind(path: str) -> str | None:
    name = os.path.basename(path).lower()
    return next((kind for suffix, kind in _KINDS if name.endswith(suffix)), None)


def _unknown(path: str) -> str:
    suffixes = [s.lower() for s in Path(path).suffixes]
    if not suffixes:
        return "the file name has no extension"
    ending = "".join(suffixes[-2:]) if suffixes[-1] == ".gz" else suffixes[-1]
    return f"unknown extension {ending!r}"


__all__ = ["MAX_LINE_BYTES", "iter_articles"]

"""What the readers of ``newsgraph ingest`` yield: an article read, or an item skipped.

Every reader builds its articles with :func:`make_article`, so that the rules
on the text (a separate title becomes its first line, the size limit) are the
same for every format::

    >>> art = make_article("Airbus delivered 12 jets.", name="a", location="a.jsonl:1",
    ...                    title="Airbus deliveries")
    >>> art.text
    'Airbus deliveries\\n\\nAirbus delivered 12 jets.'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import EmptyInput, InputTooLarge, NewsgraphError
from ..reader import MAX_CHARS

_NAME_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[_\-.]|$)")
_LANG = re.compile(r"([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*")
_PAGE_SUFFIX = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cgi)$", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+")
_SLUG_MAX = 80


@dataclass(frozen=True)
class RawArticle:
    """One article read from an input, before analysis.

    ``text`` is what is analysed and stored; when the source has a separate
    title, the text is ``title + "\\n\\n" + body`` (a title line counts as
    text). ``location`` is unique per input item: ``path`` for a file,
    ``path:LINE`` for a JSONL line, ``path#N`` for the N-th feed entry or WARC
    record (1-based).
    """

    text: str
    name: str
    location: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    lang: str | None = None
    site: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An input item that could not be read; reading goes on after it.

    ``code`` is the error code (``"E013"``) and ``message`` the error's
    :meth:`~newsgraph.errors.NewsgraphError.describe` line.
    """

    location: str
    code: str
    message: str

    @classmethod
    def from_error(cls, location: str, error: NewsgraphError) -> Skipped:
        """The record of ``error`` met while reading ``location``.

        Example:
            >>> Skipped.from_error("a.txt", EmptyInput("a.txt")).code
            'E001'
        """
        return cls(location=location, code=error.code, message=error.describe())


def make_article(
    body: str,
    *,
    name: str,
    location: str,
    title: str | None = None,
    published: str | None = None,
    url: str | None = None,
    lang: str | None = None,
    site: str | None = None,
    warnings: tuple[str, ...] | list[str] = (),
) -> RawArticle:
    """Build a :class:`RawArticle`, putting the title first and checking the size.

    The title is put on one line; when the body already starts with it (an
    ``<h1>`` repeated by the extractor), that first line is not repeated.

    Args:
        body: the article text without its title.
        name, location, title, published, url, lang, site, warnings: as in
            :class:`RawArticle`; blank strings become ``None``.

    Returns:
        The article.

    Raises:
        EmptyInput: neither a title nor a body.
        InputTooLarge: the text is longer than ``MAX_CHARS``.
    """
    title = " ".join(title.split()) if title else None
    text = body
    if title:
        first, _, rest = body.lstrip().partition("\n")
        if " ".join(first.split()) == title:
            body = rest.lstrip("\r\n")
        text = f"{title}\n\n{body}" if body.strip() else title
    if not text.strip():
        raise EmptyInput(location)
    if len(text) > MAX_CHARS:
        raise InputTooLarge(location, chars=len(text), limit=MAX_CHARS)
    return RawArticle(
        text=text,
        name=name,
        location=location,
        title=title or None,
        published=published or None,
        url=url.strip() if url and url.strip() else None,
        lang=lang or None,
        site=" ".join(site.split()) if site and site.strip() else None,
        warnings=tuple(warnings),
    )


def date_in_name(name: str) -> str | None:
    """The date that starts a file name, if it is a valid ISO date.

    Example:
        >>> date_in_name("2023-03-16_en_microsoft")
        '2023-03-16'
        >>> date_in_name("2023-02-30_x") is None
        True
    """
    m = _NAME_DATE.match(name)
    if m is None:
        return None
    try:
        dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None
    return m.group(1)


def iso_date(value: str) -> str | None:
    """The ``YYYY-MM-DD`` day of an ISO date or date-time, or None if it is not one.

    The day is the one written (its own time zone), not converted to UTC.

    Example:
        >>> iso_date("2024-03-05T23:30:00-05:00")
        '2024-03-05'
        >>> iso_date("05/03/2024") is None
        True
    """
    value = value.strip()
    if not value[:4].isdigit():
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return None


def lang_code(value: str) -> str | None:
    """The lowercase 2-letter language of a tag such as ``"en"``, ``"FR"``, ``"es-MX"``.

    Example:
        >>> lang_code("es-MX")
        'es'
        >>> lang_code("english") is None
        True
    """
    m = _LANG.fullmatch(value.strip())
    return m.group(1).lower() if m else None


def url_slug(url: str) -> str | None:
    """A short readable name for ``url``: host and path, lowercase, dashed.

    Example:
        >>> url_slug("https://www.lemonde.fr/economie/article/airbus-a350.html")
        'lemonde-fr-economie-article-airbus-a350'
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return None
    host = host.removeprefix("www.")
    path = _PAGE_SUFFIX.sub("", parts.path.rstrip("/"))
    slug = _NOT_WORD.sub("-", f"{host}{path}".lower()).strip("-")
    if len(slug) > _SLUG_MAX:
        slug = slug[:_SLUG_MAX].rsplit("-", 1)[0] or slug[:_SLUG_MAX]
    return slug or None


__all__ = [
    "RawArticle",
    "Skipped",
    "date_in_name",
    "iso_date",
    "lang_code",
    "make_article",
    "url_slug",
]

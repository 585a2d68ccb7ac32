"""Every user-facing message of newsgraph, with a code.

Errors (``E…``) are exceptions: each subclass of :class:`NewsgraphError` owns one
code, one message template and the process exit code the CLI uses for it.
Warnings (``W…``) are strings kept in ``Document.warnings``; build them with
:meth:`Warnings.text`::

    raise EmptyInput(source="article.txt")
    doc.warnings.append(Warnings.text("W002", lang="fr", confidence=0.41))

Exit codes of the ``newsgraph`` command:

==  ===================================================================
0   everything went well
1   some inputs of a batch failed (reported on stderr); the others are done
2   usage error (bad option or argument)
3   every input failed, or the input is unusable
4   the gold file is malformed (``newsgraph eval``)
70  unexpected internal error (a bug: rerun with NEWSGRAPH_DEBUG=1)
==  ===================================================================
"""

from __future__ import annotations

from typing import Any, ClassVar

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3
EXIT_BAD_GOLD = 4
EXIT_INTERNAL = 70

SUPPORTED_LANGUAGES = ("fr", "en", "es")


class Errors:
    """Message templates of the errors, by code. Fields are filled by ``str.format``."""

    E001 = "{source}: the text is empty or only whitespace; give a file that contains the article."
    E002 = (
        "{source}: this looks like binary data, not text ({reason}); "
        "give a plain-text file (convert PDF or Word documents to .txt first)."
    )
    E003 = (
        "{source}: cannot decode the bytes as text (not UTF-8 and no other encoding "
        "detected); re-save the file as UTF-8."
    )
    E004 = (
        "{source}: the text is too large ({size:,} {unit}, the limit is {limit:,} "
        "characters); split it into smaller files."
    )
    E005 = (
        "language {lang!r} is not supported; use one of {supported} "
        "(or leave --lang out to detect the language)."
    )
    E006 = "{path}: cannot read the file ({reason}); check that it is a readable file."
    E007 = "{path}: no such file or directory; check the path."
    E008 = "{path}:{line}: malformed gold record: {reason}; fix this line (see ONTOLOGY.md)."
    E009 = "invalid date {value!r}; use the ISO format YYYY-MM-DD, e.g. 2025-06-17."
    E010 = "{message}"
    E011 = "no {kinds} file found in {path}; give {give}."
    E012 = "{what} is not installed; install it with: {hint}"
    E013 = (
        "{path}:{line}: invalid JSON line ({reason}); the line is skipped, fix it and ingest again."
    )
    E014 = (
        "{path}: the archive is truncated or corrupt ({reason}); the {read} record(s) "
        "before the damage were read, re-download the file for the rest."
    )
    E015 = "{source}: no article text found in the HTML; the page is skipped."
    E016 = (
        "{path}: not an article format newsgraph reads ({reason}); give .txt, .html, "
        ".jsonl, RSS/Atom (.xml, .rss, .atom) or WARC (.warc, .warc.gz) files."
    )
    E017 = (
        "{path}: the store is in use by another process ({detail}); wait for it to "
        "finish or use another --db file."
    )
    E018 = (
        "{path}: the store has schema version {found}, newer than this newsgraph "
        "reads ({supported}); upgrade newsgraph (pip install -U newsgraph)."
    )
    E019 = "{path}: not a newsgraph store ({reason}); give a file written by `newsgraph ingest`."
    E020 = "no entity named {name!r} in the store{hint}"
    E021 = "{path}: no store here; create one with `newsgraph ingest ARTICLES --db {path}`."
    E022 = "{path}: cannot write the output ({reason}); nothing was written."
    E023 = "no document with id {id!r} in the store; document ids are listed by `newsgraph claims`."
    E024 = (
        "the request body is too large ({size:,} bytes, the limit is {limit:,}); "
        "send a shorter text."
    )
    E025 = (
        "this server is read-only; start it with `newsgraph serve --allow-ingest` to add articles."
    )
    E026 = "the article could not be analysed ({reason}); nothing was stored."

    @classmethod
    def template(cls, code: str) -> str:
        """The message template of ``code`` (``KeyError`` if there is none)."""
        value = cls.__dict__.get(code)
        if not isinstance(value, str):
            raise KeyError(code)
        return value


class Warnings:
    """Message templates of the warnings, by code.

    The pipeline and the reader add ``Warnings.text(code, **fields)`` to a
    document's ``warnings``; the text starts with the code (``"W001: …"``).
    """

    W001 = (
        "language {lang!r} is not supported (supported: {supported}); "
        "processed with the {fallback!r} rules, expect poor results."
    )
    W002 = (
        "language guessed as {lang!r} with low confidence ({confidence:.2f}); "
        "pass --lang to set it."
    )
    W003 = (
        "long text ({chars:,} characters) processed in {chunks} chunks; relations that "
        "span a chunk boundary may be missed."
    )
    W004 = "{source}: not valid UTF-8; decoded as {encoding}. Check the accents in the output."
    W005 = "{source}: text truncated to {limit:,} characters."
    W006 = (
        "{source}: the page gives no publication date; the crawl date {date} is used "
        "instead (WARC-Date)."
    )

    @classmethod
    def template(cls, code: str) -> str:
        """The message template of ``code`` (``KeyError`` if there is none)."""
        value = cls.__dict__.get(code)
        if not isinstance(value, str):
            raise KeyError(code)
        return value

    @classmethod
    def text(cls, code: str, **fields: Any) -> str:
        """The warning ``code`` filled with ``fields``, prefixed with its code.

        >>> Warnings.text("W002", lang="fr", confidence=0.4)
        "W002: language guessed as 'fr' with low confidence (0.40); pass --lang to set it."
        """
        fields.setdefault("supported", ", ".join(SUPPORTED_LANGUAGES))
        return f"{code}: {cls.template(code).format(**fields)}"


class NewsgraphError(Exception):
    """Base of every error newsgraph reports to its user.

    ``code`` names the message in :class:`Errors`; ``exit_code`` is what the CLI
    exits with when this error stops it. ``str(error)`` is the message, one line.
    """

    code: ClassVar[str] = "E010"
    exit_code: ClassVar[int] = EXIT_BAD_INPUT

    def __init__(self, message: str | None = None, **fields: Any) -> None:
        self.fields = fields
        if message is None:
            message = Errors.template(self.code).format(**fields)
        self.message = " ".join(message.split())
        super().__init__(self.message)

    def describe(self) -> str:
        """The line the CLI prints: ``error E001: …``."""
        return f"error {self.code}: {self.message}"


class EmptyInput(NewsgraphError):
    """The text is empty or only whitespace."""

    code = "E001"

    def __init__(self, source: str = "<input>") -> None:
        super().__init__(source=source)


class BinaryInput(NewsgraphError):
    """The bytes are binary data (NUL bytes, many control characters)."""

    code = "E002"

    def __init__(self, source: str = "<input>", reason: str = "control bytes") -> None:
        super().__init__(source=source, reason=reason)


class UndecodableInput(NewsgraphError):
    """The bytes are neither UTF-8 nor any encoding charset-normalizer detects."""

    code = "E003"

    def __init__(self, source: str = "<input>") -> None:
        super().__init__(source=source)


class InputTooLarge(NewsgraphError):
    """The text is over the size limit (see ``newsgraph.reader.MAX_CHARS``)."""

    code = "E004"

    def __init__(
        self, source: str = "<input>", *, chars: int, limit: int, unit: str = "characters"
    ) -> None:
        self.chars = chars
        self.limit = limit
        super().__init__(source=source, size=chars, unit=unit, limit=limit)


class UnsupportedLanguage(NewsgraphError):
    """A language newsgraph has no model or data for (W001 when only warned)."""

    code = "E005"
    exit_code = EXIT_USAGE

    def __init__(self, lang: str) -> None:
        self.lang = lang
        super().__init__(lang=lang, supported=", ".join(SUPPORTED_LANGUAGES))


class FileNotReadable(NewsgraphError):
    """The path exists but cannot be read (permissions, a directory, I/O error)."""

    code = "E006"

    def __init__(self, path: str, reason: str = "permission denied") -> None:
        super().__init__(path=path, reason=reason)


class NotFound(NewsgraphError):
    """The path does not exist."""

    code = "E007"

    def __init__(self, path: str) -> None:
        super().__init__(path=path)


class MalformedGold(NewsgraphError):
    """A gold file line is not a valid gold record; says which file and line."""

    code = "E008"
    exit_code = EXIT_BAD_GOLD

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(path=path, line=line, reason=reason)


class InvalidDate(NewsgraphError):
    """A date option or argument is not an ISO date."""

    code = "E009"
    exit_code = EXIT_USAGE

    def __init__(self, value: str) -> None:
        super().__init__(value=value)


class UsageError(NewsgraphError):
    """A command was called with options that do not make sense together."""

    code = "E010"
    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


class NoInputs(NewsgraphError):
    """The inputs hold no file of the kinds the command reads."""

    code = "E011"

    def __init__(
        self,
        path: str,
        kinds: str = ".txt",
        give: str = ".txt files, a folder that contains some, or - to read standard input",
    ) -> None:
        super().__init__(path=path, kinds=kinds, give=give)


class MissingDependency(NewsgraphError):
    """A model or optional extra is not installed; the message says how to install it."""

    code = "E012"

    def __init__(self, what: str, hint: str) -> None:
        super().__init__(what=what, hint=hint)


class InvalidJsonLine(NewsgraphError):
    """A line of a .jsonl input is not a valid article record; says which file and line."""

    code = "E013"

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        super().__init__(path=path, line=line, reason=reason)


class TruncatedArchive(NewsgraphError):
    """A gzip or WARC file ends early or is corrupt; the records before are kept."""

    code = "E014"

    def __init__(self, path: str, reason: str, read: int = 0) -> None:
        super().__init__(path=path, reason=reason, read=read)


class NoTextInHtml(NewsgraphError):
    """An HTML page (file, feed entry or WARC record) holds no extractable text."""

    code = "E015"

    def __init__(self, source: str) -> None:
        super().__init__(source=source)


class UnsupportedFormat(NewsgraphError):
    """A file given to ``ingest`` is of no format newsgraph reads."""

    code = "E016"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path=path, reason=reason)


class StoreLocked(NewsgraphError):
    """Another process holds the DuckDB file's write lock."""

    code = "E017"

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(path=path, detail=detail)


class StoreTooNew(NewsgraphError):
    """The store was written by a newer newsgraph whose schema this one cannot read."""

    code = "E018"

    def __init__(self, path: str, found: int, supported: int) -> None:
        super().__init__(path=path, found=found, supported=supported)


class NotAStore(NewsgraphError):
    """The file is not a DuckDB database, or a DuckDB database without our schema."""

    code = "E019"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path=path, reason=reason)


class EntityNotFound(NewsgraphError):
    """A query names an entity the store does not hold; suggests close names."""

    code = "E020"

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.suggestions = list(suggestions or [])
        hint = "; did you mean " + ", ".join(self.suggestions) + "?" if self.suggestions else "."
        super().__init__(name=name, hint=hint)


class StoreMissing(NewsgraphError):
    """A query command was pointed at a store file that does not exist."""

    code = "E021"

    def __init__(self, path: str) -> None:
        super().__init__(path=path)


class OutputNotWritable(NewsgraphError):
    """An export or a plot cannot be written where asked."""

    code = "E022"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path=path, reason=reason)


class DocumentNotFound(NewsgraphError):
    """A query names a document id the store does not hold."""

    code = "E023"

    def __init__(self, id: str) -> None:
        super().__init__(id=id)


class BodyTooLarge(NewsgraphError):
    """An HTTP request body over the server's cap (answered with 413)."""

    code = "E024"

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(size=size, limit=limit)


class ReadOnlyServer(NewsgraphError):
    """A write was asked of a server started without ``--allow-ingest``."""

    code = "E025"
    exit_code = EXIT_USAGE


class UploadFailed(NewsgraphError):
    """An article sent to the server could not be analysed (answered 500)."""

    code = "E026"
    exit_code = EXIT_INTERNAL

    def __init__(self, reason: str) -> None:
        super().__init__(reason=reason)


__all__ = [
    "EXIT_BAD_GOLD",
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "SUPPORTED_LANGUAGES",
    "BinaryInput",
    "BodyTooLarge",
    "DocumentNotFound",
    "EmptyInput",
    "EntityNotFound",
    "Errors",
    "FileNotReadable",
    "InputTooLarge",
    "InvalidDate",
    "InvalidJsonLine",
    "MalformedGold",
    "MissingDependency",
    "NewsgraphError",
    "NoInputs",
    "NoTextInHtml",
    "NotAStore",
    "NotFound",
    "OutputNotWritable",
    "ReadOnlyServer",
    "StoreLocked",
    "StoreMissing",
    "StoreTooNew",
    "TruncatedArchive",
    "UndecodableInput",
    "UnsupportedFormat",
    "UnsupportedLanguage",
    "UploadFailed",
    "UsageError",
    "Warnings",
]

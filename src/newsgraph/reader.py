"""Read article text from files and standard input, refusing what is not text.

The text returned is exactly what the pipeline's character offsets refer to:
the decoded bytes, with a leading byte-order mark removed and nothing else
changed (line endings included).

    >>> for doc_id, path in iter_inputs(["articles/"]):
    ...     text, warnings = read_text_file(path)
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import (
    BinaryInput,
    EmptyInput,
    FileNotReadable,
    InputTooLarge,
    NotFound,
    UndecodableInput,
    Warnings,
)

#: Texts longer than this many characters are refused (InputTooLarge); the
#: pipeline chunks anything below it.
MAX_CHARS = 5_000_000
#: A UTF-8 character is at most 4 bytes: more bytes than this is surely too long.
_MAX_BYTES = 4 * MAX_CHARS
#: Share of control bytes (other than tab, newlines, form feed) above which
#: the data is taken for binary.
_CONTROL_RATIO = 0.05
_SAMPLE = 65_536
STDIN = "-"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\v\f\r\x1b")
# Characters a French, English or Spanish text decoded as cp1252 may contain.
_WESTERN = frozenset(
    "àâäáãåæçéèêëíìîïñóòôöõøœúùûüýÿßÀÂÄÁÃÅÆÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØŒÚÙÛÜÝŸ"
    "€£¥«»‹›–—‘’‚“”„…•°§©®™·¿¡ºª±×÷µ¢¤¦¨¯´¸¹²³¼½¾\u00a0"
)


def decode_bytes(data: bytes, *, source: str = "<input>") -> tuple[str, list[str]]:
    """Decode the bytes of one article into text.

    Args:
        data: the raw bytes.
        source: how to name the input in messages (a path, ``<stdin>``).

    Returns:
        ``(text, warnings)``; a warning (W004) says which encoding was used
        when the bytes are not UTF-8.

    Raises:
        EmptyInput, BinaryInput, UndecodableInput, InputTooLarge.
    """
    if len(data) > _MAX_BYTES:
        raise InputTooLarge(source, chars=len(data), limit=MAX_CHARS, unit="bytes")
    warnings: list[str] = []
    text = _decode_with_bom(data, source)
    if text is None:
        _refuse_binary(data, source)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, encoding = _guess_encoding(data, source)
            warnings.append(Warnings.text("W004", source=source, encoding=encoding))
    if "\x00" in text:
        raise BinaryInput(source, reason="NUL characters")
    if not text.strip():
        raise EmptyInput(source)
    if len(text) > MAX_CHARS:
        raise InputTooLarge(source, chars=len(text), limit=MAX_CHARS)
    return text, warnings


def read_text_file(path: str | os.PathLike[str]) -> tuple[str, list[str]]:
    """Read one article from ``path`` (``"-"`` is standard input).

    Returns:
        ``(text, warnings)``.

    Raises:
        NotFound, FileNotReadable, and the errors of :func:`decode_bytes`.

    Example:
        >>> text, warnings = read_text_file("article.txt")
    """
    name = os.fspath(path)
    if name == STDIN:
        return decode_bytes(_read_stdin(), source="<stdin>")
    file = Path(name)
    if not file.exists():
        raise NotFound(name)
    if file.is_dir():
        raise FileNotReadable(name, reason="it is a directory")
    try:
        size = file.stat().st_size
        if size > _MAX_BYTES:
            raise InputTooLarge(name, chars=size, limit=MAX_CHARS, unit="bytes")
        data = file.read_bytes()
    except PermissionError as e:
        raise FileNotReadable(name, reason="permission denied") from e
    except OSError as e:
        raise FileNotReadable(name, reason=e.strerror or type(e).__name__) from e
    return decode_bytes(data, source=name)


def iter_inputs(paths: list[str]) -> Iterator[tuple[str, str]]:
    """Expand command-line inputs into ``(doc_id, path)`` pairs.

    A folder gives its ``*.txt`` files, recursively, sorted by path; ``"-"`` is
    standard input (doc id ``stdin``); anything else is taken as a file, even if
    it does not exist (reading it then raises NotFound, so that a batch can
    report it and go on). The doc id is the file name without its extension.

    Example:
        >>> list(iter_inputs(["a.txt", "-"]))
        [('a', 'a.txt'), ('stdin', '-')]
    """
    for raw in paths:
        if raw == STDIN:
            yield "stdin", STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".txt")
            for file in files:
                yield file.stem, str(file)
        else:
            yield path.stem if path.suffix else path.name, raw


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is not None:
        return bytes(stream.read(_MAX_BYTES + 1))
    # A text stream without a buffer (tests, embedded interpreters).
    return sys.stdin.read(MAX_CHARS + 1).encode("utf-8")


def _decode_with_bom(data: bytes, source: str) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as e:
                raise UndecodableInput(source) from e
    return None


def _refuse_binary(data: bytes, source: str) -> None:
    if not data:
        raise EmptyInput(source)
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        raise BinaryInput(source, reason="NUL bytes")
    controls = sum(1 for b in sample if (b < 0x20 or b == 0x7F) and b not in _TEXT_CONTROLS)
    if controls / len(sample) > _CONTROL_RATIO:
        raise BinaryInput(source, reason=f"{controls} control bytes in the first {len(sample)}")


def _guess_encoding(data: bytes, source: str) -> tuple[str, str]:
    """Decode non-UTF-8 bytes: cp1252 when it reads as Western text, else detect."""
    western = _as_western(data)
    if western is not None:
        return western, "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UndecodableInput(source)
    text = str(best)
    if _control_share(text) > _CONTROL_RATIO:
        raise UndecodableInput(source)
    return text, best.encoding


def _as_western(data: bytes) -> str | None:
    """The cp1252 decoding of ``data`` if it looks like fr/en/es text, else None.

    charset-normalizer often names cp1250 for short Latin-1 French; the texts
    newsgraph reads are Western European, so cp1252 is tried first, and kept
    only when every non-ASCII character is a usual Western one and most letters
    are ASCII (Russian or Greek bytes also decode as cp1252, into accented soup).
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = non_ascii = 0
    for char in text:
        if char.isascii():
            letters += char.isalpha()
            continue
        if char not in _WESTERN:
            return None
        non_ascii += 1
        letters += char.isalpha()
    if letters == 0 or non_ascii / letters > 0.3:
        return None
    return text


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for c in text if ord(c) < 0x20 and c not in "\t\n\v\f\r\x1b")
    return controls / len(text)


__all__ = ["MAX_CHARS", "STDIN", "decode_bytes", "iter_inputs", "read_text_file"]

"""Reading article text: encodings, BOMs, binary data, empty and huge inputs, stdin."""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pytest

from newsgraph import reader
from newsgraph.errors import (
    BinaryInput,
    EmptyInput,
    FileNotReadable,
    InputTooLarge,
    NotFound,
    UndecodableInput,
)
from newsgraph.reader import MAX_CHARS, decode_bytes, iter_inputs, read_text_file

FR = "Le géant de Redmond a investi 13 milliards de dollars dans la société d’Altman."
ES = "La Comisión Nacional sancionó a Apple y Amazon con 194 millones de euros."


def test_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(FR, encoding="utf-8")
    assert read_text_file(path) == (FR, [])


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + FR.encode("utf-8"))
    text, warnings = read_text_file(path)
    assert text == FR and warnings == []


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(FR.encode("utf-16"))  # BOM + UTF-16 LE: has NUL bytes, yet is text
    assert read_text_file(path)[0] == FR


def test_line_endings_are_kept() -> None:
    text, _ = decode_bytes(b"Title\r\n\r\nBody.\r\n")
    assert text == "Title\r\n\r\nBody.\r\n"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
@pytest.mark.parametrize("text", [FR.replace("’", "'"), ES, "Crème brûlée à Málaga, très réussie."])
def test_western_legacy_encodings_are_detected(text: str, encoding: str) -> None:
    decoded, warnings = decode_bytes(text.encode(encoding), source="old.txt")
    assert decoded == text
    assert len(warnings) == 1 and warnings[0].startswith("W004: old.txt")
    assert "cp1252" in warnings[0]


def test_cp1252_curly_quotes_and_euro() -> None:
    text = "L’Autorité inflige 20 M€ à Fnac Darty — « sanction »."
    decoded, warnings = decode_bytes(text.encode("cp1252"))
    assert decoded == text and warnings


def test_other_encoding_is_detected_by_charset_normalizer() -> None:
    text = "Компания Яндекс объявила о покупке стартапа за сто миллионов рублей."
    decoded, warnings = decode_bytes(text.encode("cp1251"))
    assert decoded == text
    assert "cp1251" in warnings[0]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        bytes(range(1, 32)) * 20,
        b"text with a NUL\x00 inside",
    ],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryInput) as info:
        decode_bytes(data, source="x.bin")
    assert info.value.code == "E002" and "x.bin" in str(info.value)


def test_undecodable_bytes() -> None:
    # Random high bytes: not UTF-8, and no encoding reads them as language.
    rng = random.Random(1)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(200))
    with pytest.raises(UndecodableInput) as info:
        decode_bytes(data, source="noise.txt")
    assert info.value.code == "E003" and "noise.txt" in str(info.value)


def test_undecodable_bom_body() -> None:
    with pytest.raises(UndecodableInput):
        decode_bytes(b"\xef\xbb\xbf" + b"caf\xe9")


@pytest.mark.parametrize("data", [b"", b"   \n\t \r\n", "\u00a0\u2003\n".encode()])
def test_empty_and_whitespace(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(EmptyInput) as info:
        read_text_file(path)
    assert str(path) in str(info.value)


def test_bom_only_is_empty() -> None:
    with pytest.raises(EmptyInput):
        decode_bytes(b"\xef\xbb\xbf")


def test_too_large_in_characters() -> None:
    data = b"a" * (MAX_CHARS + 1)
    with pytest.raises(InputTooLarge) as info:
        decode_bytes(data, source="big.txt")
    assert "5,000,001" in str(info.value) and "split" in str(info.value)


def test_at_the_limit_is_accepted() -> None:
    text, _ = decode_bytes(b"a" * MAX_CHARS)
    assert len(text) == MAX_CHARS


def test_too_large_in_bytes_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "_MAX_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_text("x" * 11)
    with pytest.raises(InputTooLarge) as info:
        read_text_file(path)
    assert "bytes" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as info:
        read_text_file(tmp_path / "nope.txt")
    assert "nope.txt" in str(info.value)


def test_directory_is_not_readable(tmp_path: Path) -> None:
    with pytest.raises(FileNotReadable):
        read_text_file(tmp_path)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(ES.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert read_text_file("-") == (ES, [])


def test_stdin_latin1(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(ES.encode("latin-1")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    text, warnings = read_text_file("-")
    assert text == ES and "<stdin>" in warnings[0]


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8"))
    with pytest.raises(EmptyInput) as info:
        read_text_file("-")
    assert "<stdin>" in str(info.value)


def test_iter_inputs(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "02_en.txt").write_text("x")
    (tmp_path / "01_fr.txt").write_text("x")
    (tmp_path / "b" / "notes.md").write_text("x")
    (tmp_path / "c.TXT").write_text("x")
    single = tmp_path / "single.txt"
    found = list(iter_inputs([str(tmp_path), "-", str(tmp_path / "missing.txt")]))
    assert found == [
        ("01_fr", str(tmp_path / "01_fr.txt")),
        ("02_en", str(tmp_path / "b" / "02_en.txt")),
        ("c", str(tmp_path / "c.TXT")),
        ("stdin", "-"),
        ("missing", str(tmp_path / "missing.txt")),  # reported when read, not here
    ]
    assert list(iter_inputs([str(single)])) == [("single", str(single))]
    assert [d for d, _ in iter_inputs([str(tmp_path / "b" / "notes.md")])] == ["notes"]


def test_iter_inputs_empty_folder(tmp_path: Path) -> None:
    assert list(iter_inputs([str(tmp_path)])) == []

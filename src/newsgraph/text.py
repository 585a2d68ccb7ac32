"""Text helpers shared by the stages: offset-preserving folding and fast phrase search."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-"})


@cache
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    base = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in base if not unicodedata.combining(c)) or ch
    low = base.lower()
    # Keep one character per character so that offsets survive folding.
    return (low if len(low) == 1 else base[:1]).translate(_APOSTROPHES).translate(_DASHES)


class _FoldTable(dict[int, str]):
    """A str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, strip accents and normalise quotes/dashes/spaces, keeping length.

    >>> fold("Le Géant de Redmond’s")
    "le geant de redmond's"
    """
    return text.translate(_TABLE)


def norm_key(text: str) -> str:
    """A folded, space-collapsed key for dictionary look-ups of names."""
    return " ".join(fold(text).replace("'", "' ").split()).replace("' ", "'")


def word_key(word: str) -> str:
    """Lookup key of a data-file word: lower case, single spaces, straight apostrophe
    (accents kept, unlike ``fold``)."""
    return " ".join(word.replace("’", "'").split()).casefold()


def word_regex(word: str) -> str:
    """Regex for one data-file entry: any run of spaces, either apostrophe."""
    parts = [re.escape(p) for p in word.split()]
    return r"\s+".join(parts).replace("'", "['’]")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def trie_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One compiled regex matching any phrase, longest first, on word boundaries.

    A trie of the phrases keeps the alternation fast with thousands of names.
    """
    trie: dict[str, dict] = {}
    count = 0
    for phrase in phrases:
        if not phrase:
            continue
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
        count += 1
    if not count:
        return None

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return re.compile(r"(?<![\w-])" + build(trie) + r"(?![\w-])")

"""Per-language data: relation triggers, modality cues, epithet patterns, tone words.

A language is the files ``lang/<code>.yaml`` and ``lang/<code>.<topic>.yaml``
beside this module; their top-level keys are merged (a key may appear in one
file only). Adding a language is adding its files and naming its spaCy model
under ``model:``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

_DIR = Path(__file__).parent


@cache
def available_languages() -> tuple[str, ...]:
    """Codes of the languages that have a main data file."""
    return tuple(sorted(p.stem for p in _DIR.glob("*.yaml") if "." not in p.stem))


@cache
def load_language(code: str) -> dict[str, Any]:
    """Merged data of one language; raises KeyError for an unknown code."""
    main = _DIR / f"{code}.yaml"
    if not main.exists():
        raise KeyError(code)
    data: dict[str, Any] = {}
    for path in [main, *sorted(_DIR.glob(f"{code}.*.yaml"))]:
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        _check_no_booleans(part, path.name)
        for key, value in part.items():
            if key in data:
                raise ValueError(f"{path.name}: key {key!r} is already defined for {code}")
            data[key] = value
    return data


def _check_no_booleans(node: Any, source: str) -> None:
    """YAML 1.1 reads bare on/off/yes/no as booleans: a word list must quote them."""
    if isinstance(node, dict):
        for value in node.values():
            _check_no_booleans(value, source)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, bool) or item is None:
                raise ValueError(f'{source}: {item!r} in a word list; quote the word ("on", "no")')
            _check_no_booleans(item, source)

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
        for key, value in part.items():
            if key in data:
                raise ValueError(f"{path.name}: key {key!r} is already defined for {code}")
            data[key] = value
    return data

"""Print query results as a Rich table, JSON or CSV (the ``--format`` of graph commands).

Results are lists of flat-ish dicts; CSV flattens nested fields into dotted
columns (``evidence.sentence``, ``amount.value``).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMATS = ("table", "json", "csv")


def flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` → ``{"a.b": 1}``; lists become ``; ``-joined text.

    >>> flatten({"amount": {"value": 5, "currency": "USD"}, "id": "x"})
    {'amount.value': 5, 'amount.currency': 'USD', 'id': 'x'}
    """
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            out[name] = "; ".join(_cell(v) for v in value)
        else:
            out[name] = value
    return out


def write_csv(rows: Iterable[dict[str, Any]], *, file: TextIO | None = None) -> None:
    """Rows as CSV with a header; columns in first-seen order."""
    flat = [flatten(r) for r in rows]
    columns: dict[str, None] = {}
    for row in flat:
        columns.update(dict.fromkeys(row))
    writer = csv.DictWriter(file or sys.stdout, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in flat:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})


def write_json(value: Any, *, file: TextIO | None = None) -> None:
    json.dump(value, file or sys.stdout, ensure_ascii=False, indent=2, default=str)
    (file or sys.stdout).write("\n")


def table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
    caption: str | None = None,
    wrap: Sequence[str] = (),
) -> Any:
    """A Rich table of ``rows``: ``columns`` are (key, header) pairs; keys may be dotted."""
    from rich.table import Table
    from rich.text import Text

    out = Table(title=Text(title) if title else None, title_justify="left", caption=caption)
    for key, header in columns:
        if key in wrap:
            out.add_column(header, ratio=1, min_width=20)
        else:
            out.add_column(header, no_wrap=False, max_width=28)
    for row in rows:
        flat = flatten(row)
        out.add_row(*(Text(_cell(flat.get(key))) for key, _ in columns))
    return out


def amount_text(amount: dict[str, Any] | None) -> str:
    """``{"value": 1.3e10, "currency": "USD"}`` → ``13 bn USD``."""
    if not amount:
        return ""
    bound = {"min": "≥ ", "max": "≤ ", "approx": "~ "}.get(amount.get("bound") or "", "")
    value = amount.get("value")
    if isinstance(value, int | float):
        for scale, unit in ((1e12, " tn"), (1e9, " bn"), (1e6, " M")):
            if abs(value) >= scale:
                shown = f"{value / scale:.4g}{unit}"
                break
        else:
            shown = f"{value:,.0f}"
    else:
        shown = str(value)
    return f"{bound}{shown} {amount.get('currency') or ''}".strip()


def excerpt(sentence: str, trigger: str = "", *, width: int = 90) -> str:
    """The sentence, cut to a window around the trigger when it is long."""
    sentence = " ".join(str(sentence or "").split())
    if len(sentence) <= width:
        return sentence
    at = max(sentence.find(trigger) if trigger else -1, 0)
    start = max(0, min(at - width // 2, len(sentence) - width))
    end = start + width
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


__all__ = ["FORMATS", "amount_text", "excerpt", "flatten", "table", "write_csv", "write_json"]

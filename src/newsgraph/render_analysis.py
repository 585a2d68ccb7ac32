"""Terminal views of the analytics: a relationship timeline and a dependency map."""

from __future__ import annotations

from typing import Any

from newsgraph.render import amount_text, excerpt, table

_GROUPS = (
    ("suppliers", "suppliers (supply it, or it depends on them)"),
    ("funders", "funders"),
    ("owners_and_controllers", "owners and controllers"),
    ("integrations", "integrations"),
    ("customers", "customers (it supplies them)"),
    ("investments", "its investments"),
    ("holdings", "its holdings"),
)


def health_bar(health: float | None, *, width: int = 10) -> str:
    """A signed bar for a health score in [-1, 1]: ``-0.5`` → ``▇▇▇▇▇|``.

    >>> health_bar(0.5, width=4)
    '    |▇▇'
    """
    if health is None:
        return " " * width + "·"
    cells = round(abs(health) * width)
    if health < 0:
        return " " * (width - cells) + "▇" * cells + "|"
    return " " * width + "|" + "▇" * cells


def _event_text(event: dict[str, Any]) -> str:
    amount = amount_text(event.get("amount"))
    head = f"{event['subject_name']} {event['relation']} {event['object_name']}"
    head += f" ({event['modality']}{', ' + amount if amount else ''})"
    return f"{head}: {excerpt(event.get('sentence') or '', event.get('trigger') or '', width=70)}"


def _mover(period: dict[str, Any]) -> dict[str, Any] | None:
    """The claim that pushed the period's health the way it changed (else the largest)."""
    scored = [
        c for c in period.get("claims") or period.get("events") or [] if c.get("contribution")
    ]
    if not scored:
        return None
    change = period.get("change") or 0.0
    if change < 0:
        return min(scored, key=lambda c: c["contribution"])
    if change > 0:
        return max(scored, key=lambda c: c["contribution"])
    return max(scored, key=lambda c: abs(c["contribution"]))


def timeline_view(result: dict[str, Any]) -> Any:
    """A Rich table: one row per period, its health, counts and the event that moved it."""
    from rich.console import Group
    from rich.text import Text

    a, b = (e["name"] for e in result["entities"])
    overall = result["overall"]
    rows = []
    for period in result["periods"]:
        health = period.get("health")
        counts = period.get("counts", {})
        mover = _mover(period)
        rows.append(
            {
                "period": period["period"],
                "health": "" if health is None else f"{health:+.2f}",
                "bar": health_bar(health),
                "change": "" if period.get("change") is None else f"{period['change']:+.2f}",
                "counts": f"{counts.get('cooperation', 0)} / {counts.get('conflict', 0)} / "
                f"{counts.get('neutral', 0)}",
                "event": _event_text(mover) if mover else "",
            }
        )
    columns = (
        ("period", "period"),
        ("health", "health"),
        ("bar", "−1 … +1"),
        ("change", "change"),
        ("counts", "coop / conflict / neutral"),
        ("event", "what moved it"),
    )
    health = overall.get("health")
    title = f"{a} – {b}: relationship health by {result['by']}"
    caption = (
        f"overall {health:+.2f} over {overall.get('n_claims', 0)} story claims"
        if health is not None
        else "no cooperation or conflict claim"
    )
    if result.get("undated"):
        caption += f"; {result['undated']} undated claim(s) left out"
    view = table(rows, columns, title=title, caption=caption, wrap=("event",))
    return Group(view, Text("health: Σ weight·value / Σ weight; see --format json 'scoring'"))


def dependency_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The partners of every group as flat rows (for CSV), with a ``group`` column."""
    rows = []
    for group, _ in _GROUPS:
        for partner in result.get(group) or []:
            rows.append({"group": group, **partner})
    return rows


def dependencies_view(result: dict[str, Any]) -> Any:
    """Rich tables of who supplies, funds, controls and integrates with an entity."""
    from rich.console import Group
    from rich.text import Text

    entity = result["entity"]
    parts: list[Any] = [Text(f"{entity['name']} ({entity.get('type', '')}) — dependencies")]
    suppliers = (result.get("concentration") or {}).get("suppliers") or {}
    if suppliers.get("n_suppliers"):
        top = suppliers.get("top") or {}
        parts.append(
            Text(
                f"supplier concentration: HHI {suppliers['hhi']:.2f} "
                f"({suppliers['hhi_10000']:,.0f} / 10,000) over {suppliers['n_suppliers']} "
                f"supplier(s); top {top.get('name')} {top.get('share', 0):.0%}"
            )
        )
    for currency, funders in ((result.get("concentration") or {}).get("funders") or {}).items():
        top = funders.get("top") or {}
        total = amount_text({"value": funders["total"], "currency": currency})
        parts.append(
            Text(
                f"funding in {currency}: {total} from {funders['n_funders']} funder(s), "
                f"HHI {funders['hhi']:.2f}; "
                f"top {top.get('name')} {top.get('share', 0):.0%}"
            )
        )
    columns = (
        ("name", "partner"),
        ("via", "via"),
        ("relations", "relations"),
        ("modality", "strongest"),
        ("n_stories", "stories"),
        ("share", "share"),
        ("first_date", "first"),
        ("last_date", "last"),
    )
    for group, label in _GROUPS:
        partners = result.get(group) or []
        if partners:
            parts.append(table(partners, columns, title=f"{label}: {len(partners)}"))
    if len(parts) == 1:
        parts.append(Text("no supplier, funder, controller or integration found"))
    return Group(*parts)


__all__ = ["dependencies_view", "dependency_rows", "health_bar", "timeline_view"]

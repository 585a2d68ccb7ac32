"""Who supplies, funds, controls and integrates with whom around one entity.

Read from the store's ``story_claims`` view, so a story's repeated claims count
once. Partners are grouped by what they are to NAME:

- upstream: ``suppliers`` (X SUPPLIES NAME, NAME DEPENDS_ON X), ``funders``
  (X INVESTS_IN NAME), ``owners_and_controllers`` (X OWNS / CONTROLS /
  ACQUIRES NAME);
- ``integrations``: INTEGRATES between NAME (or one of its products) and X,
  either direction;
- downstream: ``customers`` (NAME SUPPLIES X, X DEPENDS_ON NAME),
  ``investments`` (NAME INVESTS_IN X), ``holdings`` (NAME OWNS / CONTROLS /
  ACQUIRES X).

In the supply and integration groups (suppliers, customers, integrations)
products stand for their owners. NAME's products stand for NAME: "Azure
supplies OpenAI" makes OpenAI a customer of Microsoft, ``through`` Azure. A
partner that is a PRODUCT is rolled up to its owning organisation (the
knowledge base, else a stored PRODUCT_OF edge) and listed ``via`` the product:
the same sentence makes Microsoft a supplier of OpenAI via Microsoft Azure.
Claims between NAME and its own products are internal and left out. Funding and
ownership are between organisations as stated: "Microsoft acquires GitHub" is a
holding of GitHub, not rolled up.

Shares and concentration (rules also returned under ``"rules"``):

- a story counts with the weight of its strongest modality: asserted 1.0,
  reported 0.7, speculative 0.4 — a rough belief that the relation holds, so
  "could switch to Google Cloud" weighs less than a signed contract;
- negated stories ("abandoned the deal") are listed and counted in
  ``n_negated`` but weigh 0: they are excluded from every share;
- a supplier's share is its weighted stories over all suppliers'; the
  Herfindahl–Hirschman index is the sum of squared shares, in [0, 1]
  (``hhi_10000`` on the antitrust 0–10,000 scale): two suppliers with 3 and 1
  asserted stories give 0.75² + 0.25² = 0.625;
- a funder's amount share is, per currency, its weighted sum of stated
  amounts (one per story, the story's largest) over all funders' (a
  speculative $4bn counts 1.6bn). Restatements of one investment in separate
  stories add up: read ``amounts[...]["max"]`` beside the sum.

    >>> deps = dependencies(store.con, "OpenAI")
    >>> deps["concentration"]["suppliers"]["top"]
    {'id': 'Q2283', 'name': 'Microsoft', 'share': 0.6}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from newsgraph.analysis.timeline import MODALITY_WEIGHTS
from newsgraph.kb import KnowledgeBase
from newsgraph.store.queries import resolve
from newsgraph.store.schema import MODALITY_RANK

#: The weight of a story in the shares, by its strongest modality.
SHARE_WEIGHTS = {**MODALITY_WEIGHTS, "negated": 0.0}
#: The groups, in the order they are returned.
GROUPS = (
    "suppliers",
    "funders",
    "owners_and_controllers",
    "integrations",
    "customers",
    "investments",
    "holdings",
)
_CONTROL = frozenset({"OWNS", "CONTROLS", "ACQUIRES"})
# (group, relations, NAME's side, whether NAME's products stand for NAME)
_RULES: tuple[tuple[str, frozenset[str], str, bool], ...] = (
    ("suppliers", frozenset({"SUPPLIES"}), "object", True),
    ("suppliers", frozenset({"DEPENDS_ON"}), "subject", True),
    ("funders", frozenset({"INVESTS_IN"}), "object", False),
    ("owners_and_controllers", _CONTROL, "object", False),
    ("integrations", frozenset({"INTEGRATES"}), "either", True),
    ("customers", frozenset({"SUPPLIES"}), "subject", True),
    ("customers", frozenset({"DEPENDS_ON"}), "object", True),
    ("investments", frozenset({"INVESTS_IN"}), "subject", False),
    ("holdings", _CONTROL, "subject", False),
)
_RELATIONS = sorted({r for _, relations, _, _ in _RULES for r in relations})
_MODALITIES = sorted(MODALITY_RANK, key=MODALITY_RANK.__getitem__)

_SQL = f"""
SELECT sc.story_id, sc.subject, s.name, s.type, sc.relation, sc.object, o.name, o.type,
       sc.modality, sc.day, sc.amount_value, sc.amount_currency
FROM story_claims sc
JOIN entities s ON s.id = sc.subject
JOIN entities o ON o.id = sc.object
WHERE sc.relation IN ({", ".join(f"'{r}'" for r in _RELATIONS)})
  AND (list_contains($ids, sc.subject) OR list_contains($ids, sc.object))
ORDER BY sc.day NULLS LAST, sc.story_id, sc.relation, sc.subject, sc.object
"""

_PRODUCT_OF_SQL = """
SELECT sc.subject, sc.object, e.name, e.type, count(*) AS n
FROM story_claims sc JOIN entities e ON e.id = sc.object
WHERE sc.relation = 'PRODUCT_OF' AND sc.modality <> 'negated'
GROUP BY ALL
ORDER BY n DESC, e.name
"""


@dataclass
class _Partner:
    id: str
    name: str
    type: str
    relations: set[str] = field(default_factory=set)
    via: set[str] = field(default_factory=set)
    through: set[str] = field(default_factory=set)
    # story id -> [strength, first day, {currency: largest amount}]
    stories: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, story: str, modality: str, day: Any, amount: Any, currency: Any) -> None:
        strength = MODALITY_RANK.get(modality, MODALITY_RANK["negated"])
        seen = self.stories.setdefault(story, [strength, day, {}])
        seen[0] = min(seen[0], strength)
        if day is not None and (seen[1] is None or day < seen[1]):
            seen[1] = day
        if amount is not None:
            key = currency or "unknown"
            seen[2][key] = max(seen[2].get(key, amount), amount)


def dependencies(con: Any, name: str, *, kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """The suppliers, funders, owners, integrations and downstream partners of ``name``.

    Args:
        con: an open DuckDB connection to a store (``Store.con``).
        name: a name, alias, surface form or id of the entity.
        kb: the knowledge base that rolls products up to their owner (default:
            the bundled one).

    Returns:
        ``{"entity": {"id", "name", "type"}, "products": [{"id", "name"}],
        "suppliers": [...], "funders": [...], "owners_and_controllers": [...],
        "integrations": [...], "customers": [...], "investments": [...],
        "holdings": [...], "concentration": {"suppliers": {...}, "funders":
        {currency: {...}}}, "rules": {...}}``. A partner is ``{"id", "name",
        "type", "via", "through", "relations", "n_stories", "n_negated",
        "modalities", "modality", "first_date", "last_date", "weight", "share",
        "amounts": {currency: {"sum", "max", "weighted"}}}``; ``n_stories``
        counts the stories that do not deny the relation. The supplier
        concentration is ``{"basis", "n_suppliers", "hhi", "hhi_10000",
        "top": {"id", "name", "share"}}``; per currency, the funders' is
        ``{"total", "n_funders", "hhi", "hhi_10000", "top", "shares": [{"id",
        "name", "amount", "share"}]}``.

    Raises:
        EntityNotFound: ``name`` names no entity of the store.

    Example:
        >>> deps = dependencies(store.con, "OpenAI")
        >>> [(p["name"], p["via"], p["n_stories"]) for p in deps["suppliers"]]
        [('Microsoft', ['Microsoft Azure'], 3), ('Nvidia', [], 1), ('Oracle', [], 1)]
    """
    kb = kb if kb is not None else KnowledgeBase.default()
    entity = resolve(con, name)
    product_of: dict[str, tuple[str, str, str]] = {}
    own: dict[str, str] = {}
    for product, owner, owner_name, owner_type, _n in con.execute(_PRODUCT_OF_SQL).fetchall():
        product_of.setdefault(product, (owner, owner_name, owner_type))
        if owner == entity["id"]:
            own[product] = product
    kb_entry = kb.get(entity["id"])
    if kb_entry is not None:
        own.update({p.id: p.name for p in kb.products_of(kb_entry.name)})
    own.pop(entity["id"], None)

    rows = con.execute(_SQL, {"ids": [entity["id"], *sorted(own)]}).fetchall()
    partners: dict[str, dict[str, _Partner]] = {group: {} for group in GROUPS}
    product_names: dict[str, str] = {}
    for row in rows:
        story, subject, s_name, s_type, relation, obj, o_name, o_type = row[:8]
        modality, day, amount, currency = row[8:]
        for s_id, s_label in ((subject, s_name), (obj, o_name)):
            if s_id in own:
                product_names[s_id] = s_label
        for group, relations, side, products in _RULES:
            if relation not in relations:
                continue
            for mine, theirs, their_name, their_type in _sides(
                side, (subject, s_name, s_type), (obj, o_name, o_type)
            ):
                if not (mine == entity["id"] or (products and mine in own)):
                    continue
                if theirs == entity["id"] or (products and theirs in own):
                    continue  # NAME and its own product: internal
                owner = _owner(kb, product_of, theirs, their_name, their_type) if products else None
                if owner is not None and owner[0] == entity["id"]:
                    continue
                key, key_name, key_type = owner or (theirs, their_name, their_type)
                partner = partners[group].setdefault(key, _Partner(key, key_name, key_type))
                partner.relations.add(relation)
                if owner is not None:
                    partner.via.add(their_name)
                if mine != entity["id"]:
                    partner.through.add(product_names.get(mine, mine))
                partner.add(story, modality, day, amount, currency)
                break

    out: dict[str, Any] = {
        "entity": {"id": entity["id"], "name": entity["name"], "type": entity["type"]},
        "products": [{"id": pid, "name": product_names.get(pid, own[pid])} for pid in sorted(own)],
    }
    for group in GROUPS:
        out[group] = _listing(partners[group].values())
    out["concentration"] = {
        "suppliers": _supplier_concentration(out["suppliers"]),
        "funders": _amount_concentration(out["funders"]),
    }
    out["rules"] = rules()
    return out


def rules() -> dict[str, Any]:
    """The share and concentration rules, as returned with every result."""
    return {
        "unit": "story: a story's repeated claims count once",
        "weights": dict(SHARE_WEIGHTS),
        "negated": "listed and counted in n_negated, excluded from shares (weight 0)",
        "suppliers": "share = weighted stories / all suppliers' weighted stories",
        "funders": "share = weighted sum of stated amounts / all funders', per currency",
        "hhi": "sum of squared shares, in [0, 1]; hhi_10000 = hhi * 10000",
        "products": (
            "in suppliers, customers and integrations a product partner is rolled up to "
            "its owner (listed via the product) and NAME's products stand for NAME"
        ),
    }


def herfindahl(weights: list[float]) -> float | None:
    """The Herfindahl–Hirschman index of ``weights``: the sum of squared shares.

    >>> herfindahl([3, 1])
    0.625
    """
    total = sum(w for w in weights if w > 0)
    if total <= 0:
        return None
    return sum((w / total) ** 2 for w in weights if w > 0)


def _sides(
    side: str, subject: tuple[str, str, str], obj: tuple[str, str, str]
) -> list[tuple[str, str, str, str]]:
    """(NAME's side id, partner id, partner name, partner type) candidates."""
    as_subject = (subject[0], *obj)
    as_object = (obj[0], *subject)
    if side == "subject":
        return [as_subject]
    if side == "object":
        return [as_object]
    return [as_subject, as_object]


def _owner(
    kb: KnowledgeBase,
    product_of: dict[str, tuple[str, str, str]],
    entity_id: str,
    name: str,
    entity_type: str,
) -> tuple[str, str, str] | None:
    """The (id, name, type) of the organisation owning a PRODUCT, else None."""
    if entity_type != "PRODUCT":
        return None
    entry = kb.get(entity_id) or kb.named(name)
    if entry is not None and entry.type == "PRODUCT":
        org = kb.organisation_of(entry) or (kb.named(entry.owner) if entry.owner else None)
        if org is not None and org.id != entry.id:
            return org.id, org.name, org.type
    return product_of.get(entity_id)


def _listing(partners: Any) -> list[dict[str, Any]]:
    rows = [_partner_row(p) for p in partners]
    total = sum(r["weight"] for r in rows)
    for row in rows:
        row["share"] = row["weight"] / total if total > 0 else None
    rows.sort(key=lambda r: (-r["weight"], -r["n_stories"], r["name"], r["id"]))
    return rows


def _partner_row(partner: _Partner) -> dict[str, Any]:
    modalities = dict.fromkeys(_MODALITIES, 0)
    amounts: dict[str, dict[str, float]] = {}
    weight = 0.0
    days = []
    for strength, day, story_amounts in partner.stories.values():
        modality = _MODALITIES[strength]
        modalities[modality] += 1
        w = SHARE_WEIGHTS[modality]
        weight += w
        if day is not None:
            days.append(day)
        if modality == "negated":
            continue
        for currency, value in story_amounts.items():
            slot = amounts.setdefault(currency, {"sum": 0.0, "max": 0.0, "weighted": 0.0})
            slot["sum"] += value
            slot["max"] = max(slot["max"], value)
            slot["weighted"] += w * value
    strongest = min(s[0] for s in partner.stories.values())
    return {
        "id": partner.id,
        "name": partner.name,
        "type": partner.type,
        "via": sorted(partner.via),
        "through": sorted(partner.through),
        "relations": sorted(partner.relations),
        "n_stories": len(partner.stories) - modalities["negated"],
        "n_negated": modalities["negated"],
        "modalities": modalities,
        "modality": _MODALITIES[strongest],
        "first_date": _iso(min(days)) if days else None,
        "last_date": _iso(max(days)) if days else None,
        "weight": weight,
        "share": None,
        "amounts": amounts,
    }


def _supplier_concentration(suppliers: list[dict[str, Any]]) -> dict[str, Any]:
    counted = [s for s in suppliers if s["weight"] > 0]
    hhi = herfindahl([s["weight"] for s in counted])
    top = counted[0] if counted else None
    return {
        "basis": "weighted stories",
        "n_suppliers": len(counted),
        "hhi": hhi,
        "hhi_10000": None if hhi is None else round(hhi * 10_000, 2),
        "top": None
        if top is None
        else {"id": top["id"], "name": top["name"], "share": top["share"]},
    }


def _amount_concentration(funders: list[dict[str, Any]]) -> dict[str, Any]:
    by_currency: dict[str, list[tuple[dict[str, Any], float]]] = {}
    for funder in funders:
        for currency, slot in funder["amounts"].items():
            if currency != "unknown" and slot["weighted"] > 0:
                by_currency.setdefault(currency, []).append((funder, slot["weighted"]))
    out: dict[str, Any] = {}
    for currency in sorted(by_currency):
        pairs = sorted(by_currency[currency], key=lambda p: (-p[1], p[0]["name"]))
        total = sum(amount for _, amount in pairs)
        shares = [
            {"id": f["id"], "name": f["name"], "amount": amount, "share": amount / total}
            for f, amount in pairs
        ]
        hhi = herfindahl([amount for _, amount in pairs])
        out[currency] = {
            "total": total,
            "n_funders": len(pairs),
            "hhi": hhi,
            "hhi_10000": None if hhi is None else round(hhi * 10_000, 2),
            "top": shares[0],
            "shares": shares,
        }
    return out


def _iso(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    return None if value is None else str(value)


__all__ = ["GROUPS", "SHARE_WEIGHTS", "dependencies", "herfindahl", "rules"]

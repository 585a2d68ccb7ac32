"""The relationship between two entities over time: claim counts and a health score.

The unit is a *story claim*: a row of the store's ``story_claims`` view, i.e.
one (story, subject, relation, object) with the story's strongest modality, so
a story's repeated claims (the same deal told by five outlets) count once.
Both directions count (A → B and B → A). The rows are computed in one scan of
``claim_facts`` with the view's grouping (a test checks they equal the view's
rows); DuckDB also scores and aggregates them per period, so that only the
periods and their top events come back to Python, with the evidence of those
events only. ``claims=True`` also lists every claim of every period, each with
its weight, value and contribution to its period's health.

Scoring (also returned in the dict under ``"scoring"``):

- a cooperation claim has sign +1, a conflict claim −1; neutral claims
  (OWNS, CONTROLS, DEPENDS_ON, …) are counted and listed but do not score;
- its value is the sign nudged by the sentence tone:
  ``value = clip(0.8·sign + 0.2·tone, −1, 1)`` (the story's mean tone);
- its weight depends on the modality: asserted 1.0, reported 0.7,
  speculative 0.4;
- a negated claim is a weak signal of the opposite class: weight 0.3 and the
  sign flipped ("no complaint was filed" is mildly cooperative, "abandoned the
  deal" mildly conflictual);
- the health of a period is ``Σ w·v / Σ w`` over its scoring claims, in
  [−1, 1]; None when the period has no cooperation or conflict claim. A
  claim's ``contribution`` is ``w·v / Σ w``: the contributions of a period add
  up to its health, and the *events that moved it* are the three claims with
  the largest absolute contribution.

    >>> from newsgraph.store import Store
    >>> with Store.open("newsgraph.duckdb", read_only=True) as store:
    ...     t = timeline(store.con, "Microsoft", "OpenAI", by="quarter")
    >>> [(p["period"], p["health"]) for p in t["periods"]]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from newsgraph.errors import InvalidDate, UsageError
from newsgraph.model import RELATIONS
from newsgraph.store.queries import resolve

#: The sign of a claim by its relation's class; neutral claims do not score.
SIGNS = {"cooperation": 1, "conflict": -1}
#: The weight of a claim by its modality.
MODALITY_WEIGHTS = {"asserted": 1.0, "reported": 0.7, "speculative": 0.4, "negated": 0.3}
#: The share of the sentence tone in a claim's value (the sign has the rest).
TONE_SHARE = 0.2
#: How many claims of a period are reported as the events that moved it.
TOP_EVENTS = 3
#: Period granularities.
PERIODS = ("month", "quarter", "year")

_CLASSES = ("cooperation", "conflict", "neutral")

# One scan: the claims between the two entities, grouped exactly like the
# ``story_claims`` view (story, edge key, class; strongest modality, first day,
# mean tone, largest amount), with the id of the first claim of the strongest
# modality, whose evidence is fetched if the claim is shown. Filtering the raw
# subject/object first is what keeps it fast: the view's edge key is a CASE
# expression that no index or zone map sees.
_SQL = """
SELECT story_id, key_subject, relation, key_object, class,
       arg_min(modality, strength) AS modality,
       min(day) AS day,
       avg(tone) AS tone,
       max(amount_value) AS amount_value,
       arg_max(amount_currency, amount_value) AS amount_currency,
       count(*) AS n_claims,
       length(list_distinct(list(document_id))) AS n_documents,
       min({'strength': strength, 'claim_id': id}).claim_id AS claim_id
FROM claim_facts
WHERE subject IN ($a, $b) AND object IN ($a, $b) AND subject <> object
GROUP BY story_id, key_subject, relation, key_object, class
HAVING ($since IS NULL OR min(day) >= $since) AND ($until IS NULL OR min(day) <= $until)
"""
_ORDER = "ORDER BY day NULLS LAST, story_id, relation, key_subject"

_COLUMNS = (
    "story_id",
    "subject",
    "relation",
    "object",
    "class",
    "modality",
    "day",
    "tone",
    "amount_value",
    "amount_currency",
    "n_claims",
    "n_documents",
    "claim_id",
)


def _periods_sql(by: str) -> str:
    """The timeline computed in SQL: per period, the counts, Σ weight and
    Σ weight·value, and its top events as rows in ``_COLUMNS`` order; the
    period ``NULL`` holds the undated claims. Only ~100 rows come back to
    Python however many thousand claims a pair has: fetching rows, not
    grouping them, is what costs at that size. The weights and signs are those
    of :func:`claim_score`, written into the SQL from the same constants."""
    signs = " ".join(f"WHEN '{k}' THEN {v}" for k, v in SIGNS.items())
    weights = " ".join(f"WHEN '{k}' THEN {v}" for k, v in MODALITY_WEIGHTS.items())
    # _SQL names the edge key key_subject / key_object.
    column = {"subject": "key_subject", "object": "key_object"}
    fields = ", ".join(f"'{c}': {column.get(c, c)}" for c in _COLUMNS)
    keep = 1 - TONE_SHARE
    return f"""
WITH story AS ({_SQL}),
signed AS (
    SELECT *,
           CASE class {signs} ELSE 0 END
             * CASE WHEN modality = 'negated' THEN -1 ELSE 1 END AS sign,
           (CASE WHEN class IN ('cooperation', 'conflict')
                THEN CASE modality {weights} ELSE {MODALITY_WEIGHTS["speculative"]} END
                ELSE 0.0 END)::DOUBLE AS weight,
           date_trunc('{by}', day)::DATE AS period
    FROM story
),
valued AS (
    SELECT *,
           greatest(-1.0, least(1.0, {keep}::DOUBLE * sign
                                      + {TONE_SHARE}::DOUBLE * coalesce(tone, 0.0)))::DOUBLE
           AS value
    FROM signed
)
SELECT period,
       count(*) FILTER (WHERE class = 'cooperation') AS cooperation,
       count(*) FILTER (WHERE class = 'conflict') AS conflict,
       count(*) FILTER (WHERE class NOT IN ('cooperation', 'conflict')) AS neutral,
       count(*) AS n_claims,
       sum(weight) AS total_weight,
       sum(weight * value) AS weighted_value,
       min(day) AS first_day, max(day) AS last_day,
       (list({{{fields}}}
             ORDER BY abs(weight * value) DESC, weight DESC, day, claim_id)
        FILTER (WHERE weight > 0))[1:{TOP_EVENTS}] AS events
FROM valued
GROUP BY period
ORDER BY period NULLS LAST
"""


_DAY, _CLASS, _MODALITY, _TONE, _CLAIM_ID = (
    _COLUMNS.index(name) for name in ("day", "class", "modality", "tone", "claim_id")
)

# The evidence of the claims a timeline shows (its events): fetched for those
# only, not for every story claim of the pair.
_EVIDENCE_SQL = """
SELECT id, sentence, trigger, document_id, document_name, document_title
FROM claim_facts WHERE list_contains($ids, id)
"""


def timeline(
    con: Any,
    a: str,
    b: str,
    *,
    by: str = "month",
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    claims: bool = False,
) -> dict[str, Any]:
    """The relationship between entities ``a`` and ``b`` per period, with its health.

    Args:
        con: an open DuckDB connection to a store (``Store.con``).
        a, b: names, aliases, surface forms or ids of the two entities.
        by: the period: ``"month"``, ``"quarter"`` or ``"year"``.
        since, until: ISO dates (inclusive) bounding the story dates.
        claims: also list every claim of each period (``"claims"``), not only
            the events; costs time on pairs with thousands of claims.

    Returns:
        ``{"entities": [{"id", "name"}, {"id", "name"}], "by", "since", "until",
        "scoring", "periods": [...], "overall": {...}, "undated": int}``. Each
        period, from the first claim's to the last claim's (empty ones
        included), is ``{"period", "start", "end", "counts": {"cooperation",
        "conflict", "neutral"}, "n_claims", "health", "change", "events"}``
        (and ``"claims"`` when asked); ``change`` is the difference from the previous period
        that has a health. ``overall`` is ``{"health", "counts", "n_claims",
        "first_date", "last_date", "last_change"}``. A claim (in ``events``
        and ``claims``) is ``{"claim_id", "story_id", "relation", "class",
        "subject", "subject_name", "object", "object_name", "direction",
        "modality", "date", "amount", "tone", "weight", "value",
        "contribution", "n_claims", "n_documents", "sentence", "trigger",
        "document_id", "document_name", "title"}``.

    Raises:
        EntityNotFound: ``a`` or ``b`` names no entity of the store.
        UsageError: an unknown ``by``, ``a`` and ``b`` are the same entity, or
            ``since`` is after ``until``.
        InvalidDate: ``since`` or ``until`` is not an ISO date.

    Example:
        >>> t = timeline(store.con, "Microsoft", "OpenAI", by="year", since="2019-01-01")
        >>> [(p["period"], p["health"] and round(p["health"], 2)) for p in t["periods"]][:2]
        [('2019', 0.89), ('2020', None)]
    """
    if by not in PERIODS:
        raise UsageError(f"unknown period {by!r}; use one of {', '.join(PERIODS)}.")
    start, end = _date(since), _date(until)
    if start and end and start > end:
        raise UsageError(f"since ({start}) is after until ({end}).")
    first, second = resolve(con, a), resolve(con, b)
    if first["id"] == second["id"]:
        raise UsageError(f"{a!r} and {b!r} are the same entity ({first['name']}).")
    entities = [{"id": e["id"], "name": e["name"]} for e in (first, second)]
    params = {"a": first["id"], "b": second["id"], "since": start, "until": end}
    return _aggregate(con, params, entities, by, start, end, list_claims=claims)


def _aggregate(
    con: Any,
    params: dict[str, Any],
    entities: list[dict[str, str]],
    by: str,
    start: dt.date | None,
    end: dt.date | None,
    *,
    list_claims: bool,
) -> dict[str, Any]:
    """:func:`timeline`, scored and aggregated per period by DuckDB; with
    ``list_claims``, every story claim is also fetched and listed in its period."""
    rows = con.execute(_periods_sql(by), params).fetchall()
    undated = sum(row[4] for row in rows if row[0] is None)
    buckets = {}
    for period, coop, conflict, neutral, n, total, weighted, first_day, last_day, events in rows:
        if period is None:
            continue
        scored = []
        for event in events or []:
            claim = _Scored(tuple(event[c] for c in _COLUMNS))
            claim.contribution = claim.weight * claim.value / total
            scored.append(claim)
        buckets[period] = {
            "counts": {"cooperation": coop, "conflict": conflict, "neutral": neutral},
            "n_claims": n,
            "health": weighted / total if total else None,
            "events": scored,
            "total_weight": total,
            "weighted_value": weighted,
            "first_day": first_day,
            "last_day": last_day,
        }
    listed: dict[dt.date, list[_Scored]] = {}
    if list_claims:
        for row in con.execute(_SQL + _ORDER, params).fetchall():
            claim = _Scored(row)
            if claim.day is None:
                continue
            period = _start(claim.day, by)
            total = buckets[period]["total_weight"]
            claim.contribution = claim.weight * claim.value / total if total else 0.0
            listed.setdefault(period, []).append(claim)
    names = {e["id"]: e["name"] for e in entities}
    shown = [c for bucket in buckets.values() for c in bucket["events"]]
    shown += [c for claims in listed.values() for c in claims]
    evidence = _evidence(con, [c.claim_id for c in shown])
    periods = []
    previous: float | None = None
    current, last = (min(buckets), max(buckets)) if buckets else (None, None)
    while current is not None and last is not None and current <= last:
        following = _next(current, by)
        bucket = buckets.get(current) or {
            "counts": dict.fromkeys(_CLASSES, 0),
            "n_claims": 0,
            "health": None,
            "events": [],
        }
        health = bucket["health"]
        shown_claims = {
            "events": [_claim(c, names, entities[0]["id"], evidence) for c in bucket["events"]]
        }
        if list_claims:
            shown_claims["claims"] = [
                _claim(c, names, entities[0]["id"], evidence) for c in listed.get(current, [])
            ]
        periods.append(
            {
                "period": _label(current, by),
                "start": current.isoformat(),
                "end": (following - dt.timedelta(days=1)).isoformat(),
                "counts": bucket["counts"],
                "n_claims": bucket["n_claims"],
                "health": health,
                **shown_claims,
                "change": None if health is None or previous is None else health - previous,
            }
        )
        if health is not None:
            previous = health
        current = following
    total = sum(b["total_weight"] for b in buckets.values())
    counts = dict.fromkeys(_CLASSES, 0)
    for bucket in buckets.values():
        for klass, n in bucket["counts"].items():
            counts[klass] += n
    changes = [p["change"] for p in periods if p["change"] is not None]
    firsts = [b["first_day"] for b in buckets.values()]
    lasts = [b["last_day"] for b in buckets.values()]
    weighted = sum(b["weighted_value"] for b in buckets.values())
    overall = {
        "health": weighted / total if total > 0 else None,
        "counts": counts,
        "n_claims": sum(b["n_claims"] for b in buckets.values()),
        "first_date": min(firsts).isoformat() if firsts else None,
        "last_date": max(lasts).isoformat() if lasts else None,
        "last_change": changes[-1] if changes else None,
    }
    return {
        "entities": entities,
        "by": by,
        "since": start.isoformat() if start else None,
        "until": end.isoformat() if end else None,
        "scoring": scoring(),
        "periods": periods,
        "overall": overall,
        "undated": undated,
    }


class _Scored:
    """A story claim of the pair with its weight and value; turned into a dict
    (with its evidence) only if the timeline shows it."""

    __slots__ = ("claim_id", "contribution", "day", "klass", "value", "values", "weight")

    def __init__(self, values: tuple[Any, ...]) -> None:
        self.values = values  # the SQL row, in _COLUMNS order
        self.day: dt.date | None = values[_DAY]
        self.klass: str = values[_CLASS]
        self.claim_id: str = values[_CLAIM_ID]
        self.weight, self.value = claim_score(self.klass, values[_MODALITY], values[_TONE])
        self.contribution = 0.0

    @property
    def row(self) -> dict[str, Any]:
        return dict(zip(_COLUMNS, self.values, strict=True))


def _evidence(con: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = con.execute(_EVIDENCE_SQL, {"ids": sorted(set(ids))}).fetchall()
    return {
        id_: {
            "sentence": sentence,
            "trigger": trigger,
            "document_id": document_id,
            "document_name": document_name,
            "title": title,
        }
        for id_, sentence, trigger, document_id, document_name, title in rows
    }


def scoring() -> dict[str, Any]:
    """The scoring rules, as returned with every timeline."""
    return {
        "unit": "story claim: a story's repeated claims of an edge count once",
        "signs": dict(SIGNS),
        "value": f"clip({1 - TONE_SHARE:g}*sign + {TONE_SHARE:g}*tone, -1, 1)",
        "weights": dict(MODALITY_WEIGHTS),
        "negated": "weak opposite signal: sign flipped, weight of 'negated'",
        "health": "sum(weight*value) / sum(weight) over cooperation and conflict claims",
        "contribution": "weight*value / sum(weight) of the period",
    }


def claim_score(klass: str, modality: str, tone: float | None) -> tuple[float, float]:
    """The (weight, value) of a claim; (0.0, 0.0) for a neutral one.

    >>> claim_score("conflict", "negated", 0.0)
    (0.3, 0.8)
    """
    sign = SIGNS.get(klass, 0)
    if not sign:
        return 0.0, 0.0
    if modality == "negated":
        sign = -sign
    weight = MODALITY_WEIGHTS.get(modality, MODALITY_WEIGHTS["speculative"])
    value = (1 - TONE_SHARE) * sign + TONE_SHARE * float(tone or 0.0)
    return weight, max(-1.0, min(1.0, value))


def _claim(
    scored: _Scored, names: dict[str, str], a_id: str, evidence: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    row = scored.row
    spec = RELATIONS.get(row["relation"])
    if spec is not None and spec.symmetric:
        direction = "both"
    else:
        direction = "a->b" if row["subject"] == a_id else "b->a"
    amount = None
    if row["amount_value"] is not None:
        number = float(row["amount_value"])
        amount = {
            "value": int(number) if number.is_integer() else number,
            "currency": row["amount_currency"],
        }
    day = row["day"]
    found = evidence.get(row["claim_id"], {})
    return {
        "claim_id": row["claim_id"],
        "story_id": row["story_id"],
        "relation": row["relation"],
        "class": row["class"],
        "subject": row["subject"],
        "subject_name": names.get(row["subject"], row["subject"]),
        "object": row["object"],
        "object_name": names.get(row["object"], row["object"]),
        "direction": direction,
        "modality": row["modality"],
        "date": day.isoformat() if isinstance(day, dt.date) else day,
        "amount": amount,
        "tone": row["tone"],
        "weight": scored.weight,
        "value": scored.value,
        "contribution": scored.contribution,
        "n_claims": row["n_claims"],
        "n_documents": row["n_documents"],
        "sentence": found.get("sentence"),
        "trigger": found.get("trigger"),
        "document_id": found.get("document_id"),
        "document_name": found.get("document_name"),
        "title": found.get("title"),
    }


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as e:
        raise InvalidDate(str(value)) from e


def _start(day: dt.date, by: str) -> dt.date:
    if by == "year":
        return dt.date(day.year, 1, 1)
    if by == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, day.month, 1)


def _next(start: dt.date, by: str) -> dt.date:
    months = {"month": 1, "quarter": 3, "year": 12}[by]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _label(start: dt.date, by: str) -> str:
    if by == "year":
        return str(start.year)
    if by == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


__all__ = [
    "MODALITY_WEIGHTS",
    "PERIODS",
    "SIGNS",
    "TONE_SHARE",
    "claim_score",
    "scoring",
    "timeline",
]

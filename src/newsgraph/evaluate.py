"""Score predictions against gold files, as ONTOLOGY.md "Gold files and scoring" says.

Scores, per language and overall, micro-averaged over articles (true and false
positives and negatives are summed over articles before dividing):

- edge P/R/F1 on the unique (subject, relation, object) triples of each article,
  order-free for the symmetric relations; gold ``OTHER:…`` facts are not scored;
- claim P/R/F1 on the unique (subject, relation, object, modality) tuples;
- amount accuracy on matched edges whose gold has an amount: right when a
  predicted claim of the edge has an amount within 1% and the same currency;
- linking accuracy: one per gold (entity, mention string) found in the text,
  right when a predicted mention overlapping an occurrence belongs to the
  gold entity.

A predicted entity matches a gold entity name when its name, one of its
``aliases`` or one of its knowledge-base names (``kb.names_for(id)``) equals
the gold name after :func:`fold`.

    >>> gold = load_gold("eval/dev/gold.jsonl")
    >>> report = score(gold, {"doc1": doc.to_dict()}, kb, texts={"doc1": doc.text})
    >>> report.overall.edges.f1
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .errors import MalformedGold, NewsgraphError, NotFound
from .model import RELATIONS, Modality

SYMMETRIC = frozenset(name for name, spec in RELATIONS.items() if spec.symmetric)
MODALITIES = frozenset(m.value for m in Modality)
AMOUNT_TOLERANCE = 0.01
REQUIRED_KEYS = ("id", "lang", "entities", "facts")
ALL = "all"

Edge = tuple[str, str, str]
ClaimKey = tuple[str, str, str, str]


class NameSource(Protocol):
    """What the scorer needs of a knowledge base."""

    def names_for(self, entity_id: str) -> set[str]: ...


# --- folding -----------------------------------------------------------------

_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032"), "'")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_LIGATURES = {ord("œ"): "oe", ord("æ"): "ae", ord("ø"): "o", ord("ł"): "l", ord("đ"): "d"}
_FOLD_TABLE = {**_APOSTROPHES, **_DASHES, **_LIGATURES}


def fold(text: str) -> str:
    """Fold a name for comparison: case, accents, apostrophes, dashes, spaces.

    >>> fold("  L’Autorité  de la\u00a0Concurrence ")
    "l'autorite de la concurrence"
    """
    # Compatibility forms first (𝐀, ﬁ), then case, then split off the accents.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_FOLD_TABLE)
    return " ".join(text.split())


# --- gold --------------------------------------------------------------------


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Read and check a gold JSON Lines file (ONTOLOGY.md); blank lines are skipped.

    Each record gets ``"_source": "path:line"`` for messages.

    Raises:
        NotFound: the file does not exist.
        MalformedGold: a line is not JSON, or not a valid gold record (with file:line).
    """
    name = str(path)
    file = Path(name)
    if not file.is_file():
        raise NotFound(name)
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as e:
        raise MalformedGold(name, _line_of_byte(file, e.start), "not UTF-8") from e
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise MalformedGold(name, number, f"invalid JSON ({e.msg}, column {e.colno})") from e
        reason = _check_record(record)
        if reason:
            raise MalformedGold(name, number, reason)
        if record["id"] in seen:
            raise MalformedGold(
                name, number, f"id {record['id']!r} already used on line {seen[record['id']]}"
            )
        seen[record["id"]] = number
        record["_source"] = f"{name}:{number}"
        records.append(record)
    return records


def _line_of_byte(file: Path, offset: int) -> int:
    return file.read_bytes()[:offset].count(b"\n") + 1


def _check_record(record: Any) -> str | None:
    """Why ``record`` is not a valid gold record, or None."""
    if not isinstance(record, dict):
        return "a record must be a JSON object"
    missing = [key for key in REQUIRED_KEYS if key not in record]
    if missing:
        return "missing key(s) " + ", ".join(missing)
    if not isinstance(record["id"], str) or not record["id"]:
        return "'id' must be a non-empty string"
    if not isinstance(record["lang"], str):
        return "'lang' must be a string"
    if not isinstance(record["entities"], list) or not isinstance(record["facts"], list):
        return "'entities' and 'facts' must be lists"
    for i, entity in enumerate(record["entities"]):
        if not isinstance(entity, dict) or not isinstance(entity.get("name"), str):
            return f"entity {i} has no 'name'"
        if not isinstance(entity.get("mentions", []), list):
            return f"entity {entity['name']!r}: 'mentions' must be a list"
    for i, fact in enumerate(record["facts"]):
        if not isinstance(fact, dict):
            return f"fact {i} is not an object"
        for key in ("subject", "relation", "object"):
            if not isinstance(fact.get(key), str):
                return f"fact {i} has no {key!r}"
        relation = fact["relation"]
        if relation not in RELATIONS and not relation.startswith("OTHER:"):
            return f"fact {i}: unknown relation {relation!r}"
        if fact.get("modality", "asserted") not in MODALITIES:
            return f"fact {i}: unknown modality {fact.get('modality')!r}"
        amount = fact.get("amount")
        if amount is not None and not (
            isinstance(amount, dict) and isinstance(amount.get("value"), int | float)
        ):
            return f"fact {i}: 'amount' must be null or {{value, currency}}"
    return None


# --- report ------------------------------------------------------------------


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Ratio:
    """``correct`` out of ``total``; ``value`` is None when there is nothing to count."""

    correct: int = 0
    total: int = 0

    def add(self, other: Ratio) -> None:
        self.correct += other.correct
        self.total += other.total

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        value = self.value
        return {
            "correct": self.correct,
            "total": self.total,
            "accuracy": None if value is None else round(value, 4),
        }


@dataclass
class Scores:
    """The four scores over a set of articles."""

    articles: int = 0
    edges: Counts = field(default_factory=Counts)
    claims: Counts = field(default_factory=Counts)
    amounts: Ratio = field(default_factory=Ratio)
    linking: Ratio = field(default_factory=Ratio)

    def add(self, other: Scores) -> None:
        self.articles += other.articles
        self.edges.add(other.edges)
        self.claims.add(other.claims)
        self.amounts.add(other.amounts)
        self.linking.add(other.linking)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "edges": self.edges.to_dict(),
            "claims": self.claims.to_dict(),
            "amounts": self.amounts.to_dict(),
            "linking": self.linking.to_dict(),
        }


@dataclass
class ArticleResult:
    """The scores of one article and what went wrong in it, for ``--details``."""

    id: str
    lang: str
    scores: Scores
    edge_fp: list[Edge] = field(default_factory=list)
    edge_fn: list[Edge] = field(default_factory=list)
    claim_fp: list[ClaimKey] = field(default_factory=list)
    claim_fn: list[ClaimKey] = field(default_factory=list)
    amount_errors: list[str] = field(default_factory=list)
    linking_errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lang": self.lang,
            "scores": self.scores.to_dict(),
            "edge_fp": [list(e) for e in self.edge_fp],
            "edge_fn": [list(e) for e in self.edge_fn],
            "claim_fp": [list(c) for c in self.claim_fp],
            "claim_fn": [list(c) for c in self.claim_fn],
            "amount_errors": list(self.amount_errors),
            "linking_errors": list(self.linking_errors),
        }


@dataclass
class Report:
    """Scores per language and overall, per relation, and per article.

    ``missing`` lists gold ids without a prediction (not scored); ``failed``
    maps the ids whose analysis raised an error to its message (scored as
    empty predictions).
    """

    overall: Scores = field(default_factory=Scores)
    by_lang: dict[str, Scores] = field(default_factory=dict)
    by_relation: dict[str, Counts] = field(default_factory=dict)
    articles: list[ArticleResult] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "overall": self.overall.to_dict(),
            "by_lang": {lang: s.to_dict() for lang, s in sorted(self.by_lang.items())},
            "by_relation": {r: c.to_dict() for r, c in sorted(self.by_relation.items())},
            "missing": list(self.missing),
            "failed": dict(self.failed),
        }
        if details:
            out["articles"] = [a.to_dict() for a in self.articles]
        return out


# --- scoring -----------------------------------------------------------------


def score(
    gold_records: Iterable[Mapping[str, Any]],
    predictions: Mapping[str, Mapping[str, Any]],
    kb: NameSource | None = None,
    *,
    texts: Mapping[str, str] | None = None,
    failed: Mapping[str, str] | None = None,
) -> Report:
    """Score ``predictions`` (doc id → the JSON output of the article) against gold.

    Args:
        gold_records: records as returned by :func:`load_gold`.
        predictions: ``Document.to_dict()`` of each article, by gold id. A gold
            id without a prediction is listed in ``Report.missing``, not scored.
        kb: gives the knowledge-base names of a predicted entity id; None to
            match on the predicted names and aliases only.
        texts: the article texts, for linking by character offsets. Without
            the text of an article, a gold mention is right when a predicted
            mention of the gold entity has the same folded text.
        failed: ids whose analysis failed (id → message), recorded in the report.

    Returns:
        The :class:`Report`.
    """
    texts = texts or {}
    report = Report(failed=dict(failed or {}))
    for record in gold_records:
        doc_id = record["id"]
        prediction = predictions.get(doc_id)
        if prediction is None:
            report.missing.append(doc_id)
            continue
        result = score_article(record, prediction, kb, text=texts.get(doc_id), report=report)
        report.articles.append(result)
        report.overall.add(result.scores)
        report.by_lang.setdefault(result.lang, Scores()).add(result.scores)
    return report


def score_article(
    record: Mapping[str, Any],
    prediction: Mapping[str, Any],
    kb: NameSource | None = None,
    *,
    text: str | None = None,
    report: Report | None = None,
) -> ArticleResult:
    """Score one article; adds its per-relation counts to ``report`` if given."""
    gold_names = _gold_names(record)
    keys, labels = _map_entities(prediction.get("entities") or [], gold_names, kb)

    gold_facts = [f for f in record["facts"] if not f["relation"].startswith("OTHER:")]
    gold_edges = {_edge(fold(f["subject"]), f["relation"], fold(f["object"])) for f in gold_facts}
    gold_claims = {
        (*_edge(fold(f["subject"]), f["relation"], fold(f["object"])), _modality(f))
        for f in gold_facts
    }
    pred_claims_list = [
        c for c in prediction.get("claims") or [] if isinstance(c, Mapping) and "relation" in c
    ]
    pred_edge_of = [
        _edge(_key(keys, c.get("subject")), c["relation"], _key(keys, c.get("object")))
        for c in pred_claims_list
    ]
    pred_edges = set(pred_edge_of)
    pred_claims = {
        (*edge, str(c.get("modality") or "asserted"))
        for edge, c in zip(pred_edge_of, pred_claims_list, strict=True)
    }

    scores = Scores(articles=1)
    scores.edges = Counts(
        len(gold_edges & pred_edges), len(pred_edges - gold_edges), len(gold_edges - pred_edges)
    )
    scores.claims = Counts(
        len(gold_claims & pred_claims),
        len(pred_claims - gold_claims),
        len(gold_claims - pred_claims),
    )
    names = {**labels, **gold_names}
    result = ArticleResult(
        id=str(record["id"]),
        lang=str(record["lang"]),
        scores=scores,
        edge_fp=sorted(_label(e, names) for e in pred_edges - gold_edges),
        edge_fn=sorted(_label(e, names) for e in gold_edges - pred_edges),
        claim_fp=sorted(_label(c, names) for c in pred_claims - gold_claims),
        claim_fn=sorted(_label(c, names) for c in gold_claims - pred_claims),
    )

    # Amounts, on the matched edges whose gold has an amount.
    for edge in sorted(gold_edges & pred_edges):
        gold_amounts = [
            f["amount"]
            for f in gold_facts
            if f.get("amount")
            and _edge(fold(f["subject"]), f["relation"], fold(f["object"])) == edge
        ]
        if not gold_amounts:
            continue
        predicted = [
            c["amount"]
            for e, c in zip(pred_edge_of, pred_claims_list, strict=True)
            if e == edge and isinstance(c.get("amount"), Mapping)
        ]
        right = any(amount_matches(p, g) for p in predicted for g in gold_amounts)
        scores.amounts.total += 1
        scores.amounts.correct += right
        if not right:
            result.amount_errors.append(
                f"{' '.join(_label(edge, names))}: gold {_show_amounts(gold_amounts)}, "
                f"predicted {_show_amounts(predicted) or 'none'}"
            )

    _score_linking(record, prediction, keys, text, scores.linking, result.linking_errors, names)

    if report is not None:
        for relation in {e[1] for e in gold_edges | pred_edges}:
            counts = report.by_relation.setdefault(relation, Counts())
            counts.tp += sum(1 for e in gold_edges & pred_edges if e[1] == relation)
            counts.fp += sum(1 for e in pred_edges - gold_edges if e[1] == relation)
            counts.fn += sum(1 for e in gold_edges - pred_edges if e[1] == relation)
    return result


def amount_matches(predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """True when the values are within 1% of the gold value and the currencies equal."""
    try:
        p, g = float(predicted["value"]), float(gold["value"])
    except (KeyError, TypeError, ValueError):
        return False
    if (predicted.get("currency") or "").upper() != (gold.get("currency") or "").upper():
        return False
    return abs(p - g) <= AMOUNT_TOLERANCE * abs(g)


def _gold_names(record: Mapping[str, Any]) -> dict[str, str]:
    """Folded gold name → gold name, for the entities and the facts' arguments."""
    names: dict[str, str] = {}
    for entity in record["entities"]:
        names.setdefault(fold(entity["name"]), entity["name"])
    for fact in record["facts"]:
        names.setdefault(fold(fact["subject"]), fact["subject"])
        names.setdefault(fold(fact["object"]), fact["object"])
    names.pop("", None)
    return names


def _predicted_names(entity: Mapping[str, Any], kb: NameSource | None) -> tuple[str, set[str]]:
    name = fold(str(entity.get("name") or ""))
    names = {name} | {fold(str(a)) for a in entity.get("aliases") or []}
    entity_id = entity.get("id")
    if kb is not None and entity_id:
        # An id the knowledge base does not know (a local entity) has no KB names.
        with contextlib.suppress(LookupError, ValueError):
            names |= {fold(n) for n in kb.names_for(str(entity_id))}
    names.discard("")
    return name, names


def _map_entities(
    entities: Iterable[Any], gold_names: Mapping[str, str], kb: NameSource | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Predicted id → key (a folded gold name, or ``?id`` when none matches), and labels."""
    keys: dict[str, str] = {}
    labels: dict[str, str] = {}
    for entity in entities:
        if not isinstance(entity, Mapping) or not entity.get("id"):
            continue
        entity_id = str(entity["id"])
        name, names = _predicted_names(entity, kb)
        matches = names & gold_names.keys()
        if name in matches:
            keys[entity_id] = name
        elif matches:
            keys[entity_id] = sorted(matches)[0]
        else:
            keys[entity_id] = "?" + entity_id
            labels["?" + entity_id] = f"{entity.get('name') or entity_id} [{entity_id}]"
    return keys, labels


def _key(keys: Mapping[str, str], entity_id: Any) -> str:
    return keys.get(str(entity_id), f"?{entity_id}")


def _edge(subject: str, relation: str, obj: str) -> Edge:
    if relation in SYMMETRIC and obj < subject:
        return (obj, relation, subject)
    return (subject, relation, obj)


def _modality(fact: Mapping[str, Any]) -> str:
    return str(fact.get("modality") or "asserted")


def _label(key: tuple[str, ...], names: Mapping[str, str]) -> Any:
    """Replace the folded names of an edge or claim key by display names."""
    subject, relation, obj, *rest = key
    return (names.get(subject, subject), relation, names.get(obj, obj), *rest)


def _show_amounts(amounts: Iterable[Mapping[str, Any]]) -> str:
    return ", ".join(f"{a.get('value')} {a.get('currency')}" for a in amounts)


def _score_linking(
    record: Mapping[str, Any],
    prediction: Mapping[str, Any],
    keys: Mapping[str, str],
    text: str | None,
    ratio: Ratio,
    errors: list[str],
    names: Mapping[str, str],
) -> None:
    spans: list[tuple[int, int, str, str]] = []  # start, end, entity key, mention text
    for entity in prediction.get("entities") or []:
        if not isinstance(entity, Mapping):
            continue
        key = _key(keys, entity.get("id"))
        for mention in entity.get("mentions") or []:
            try:
                spans.append(
                    (int(mention["start"]), int(mention["end"]), key, str(mention["text"]))
                )
            except (KeyError, TypeError, ValueError):
                continue
    for entity in record["entities"]:
        gold_key = fold(entity["name"])
        for mention in dict.fromkeys(entity.get("mentions") or []):
            if not isinstance(mention, str) or not mention.strip():
                continue
            if text is None:
                folded = fold(mention)
                found = [k for _, _, k, t in spans if fold(t) == folded]
                right = gold_key in found
            else:
                occurrences = _occurrences(mention, text)
                if not occurrences:
                    errors.append(f"{entity['name']}: {mention!r} not found in the text (ignored)")
                    continue
                found = [
                    k for s, e, k, _ in spans for (os_, oe) in occurrences if s < oe and os_ < e
                ]
                right = gold_key in found
            ratio.total += 1
            ratio.correct += right
            if not right:
                got = sorted({names.get(k, k) for k in found if k != gold_key}) or ["nothing"]
                errors.append(f"{entity['name']}: {mention!r} linked to {', '.join(got)}")


def _occurrences(mention: str, text: str) -> list[tuple[int, int]]:
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(mention), text)]
    if not found:
        found = [(m.start(), m.end()) for m in re.finditer(re.escape(mention), text, re.IGNORECASE)]
    return found


# --- running the pipeline on gold articles --------------------------------------

Analyzer = Callable[..., Any]


def article_path(articles_dir: str | Path, record: Mapping[str, Any]) -> Path:
    """Where the text of a gold record is: ``DIR/<id>.txt``."""
    return Path(articles_dir) / f"{record['id']}.txt"


def evaluate(
    gold_paths: Iterable[str | Path],
    articles_dir: str | Path,
    *,
    analyze: Analyzer | None = None,
    kb: NameSource | None = None,
    on_problem: Callable[[str, NewsgraphError], None] | None = None,
) -> Report:
    """Run the pipeline on the articles of the gold files and score it.

    Args:
        gold_paths: gold JSON Lines files; ids must be unique across them.
        articles_dir: folder holding ``<id>.txt`` for each gold record.
        analyze: the analysis function (default ``newsgraph.pipeline.analyze``).
        kb: the knowledge base (default ``KnowledgeBase.default()``).
        on_problem: called with (doc id, error) for a missing or unreadable
            article (listed in ``Report.missing``) or a failed analysis (in
            ``Report.failed``, scored as an empty prediction).

    Raises:
        NotFound: a gold file or the articles folder does not exist.
        MalformedGold: a gold line is invalid, or an id repeats across files.

    Example:
        >>> report = evaluate(["eval/dev/gold.jsonl"], "eval/dev/articles")
    """
    from .reader import read_text_file

    records: list[dict[str, Any]] = []
    sources: dict[str, str] = {}
    for path in gold_paths:
        for record in load_gold(path):
            if record["id"] in sources:
                file, _, line = record["_source"].rpartition(":")
                raise MalformedGold(
                    file, int(line), f"id {record['id']!r} already used at {sources[record['id']]}"
                )
            sources[record["id"]] = record["_source"]
            records.append(record)
    if not Path(articles_dir).is_dir():
        raise NotFound(str(articles_dir))
    if analyze is None:
        from .pipeline import analyze as pipeline_analyze

        analyze = pipeline_analyze
    if kb is None:
        from .kb import KnowledgeBase

        kb = KnowledgeBase.default()

    predictions: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    failed: dict[str, str] = {}
    for record in records:
        doc_id = record["id"]
        try:
            text, _ = read_text_file(article_path(articles_dir, record))
        except NewsgraphError as e:
            if on_problem:
                on_problem(doc_id, e)
            continue
        texts[doc_id] = text
        try:
            doc = analyze(
                text, lang=record["lang"], published=record.get("published"), doc_id=doc_id
            )
        except NewsgraphError as e:
            if on_problem:
                on_problem(doc_id, e)
            failed[doc_id] = e.describe()
            predictions[doc_id] = {"entities": [], "claims": []}
            continue
        predictions[doc_id] = doc.to_dict()
    return score(records, predictions, kb, texts=texts, failed=failed)


# --- rendering -----------------------------------------------------------------


__all__ = [
    "ArticleResult",
    "Counts",
    "NameSource",
    "Ratio",
    "Report",
    "Scores",
    "amount_matches",
    "article_path",
    "evaluate",
    "fold",
    "load_gold",
    "score",
    "score_article",
]

"""Cut an article into runs of text for highlighting, as displaCy does.

Mentions, claim triggers and evidence sentences overlap freely, so the text is
cut at every boundary of any of them; each run then knows the mention it
belongs to (the longest), whether it is inside a trigger, and which claims'
evidence sentences cover it. The template turns runs into escaped spans.

    >>> runs = segments("Apple sues Samsung.", [{"start": 0, "end": 5, "entity_id": "a"}],
    ...                 [{"id": "c1", "evidence": {"start": 0, "end": 19,
    ...                   "trigger": {"start": 6, "end": 10}}}])
    >>> [(r.text, r.mention is not None, r.trigger) for r in runs]
    [('Apple', True, []), (' ', False, []), ('sues', False, ['c1']), (' Samsung.', False, [])]
    >>> runs[0].anchors, runs[-1].claims
    (['c1'], ['c1'])
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Run:
    """A piece of the text with what covers it."""

    text: str
    start: int
    mention: dict[str, Any] | None = None
    trigger: list[str] = field(default_factory=list)  # ids of the claims it triggers
    claims: list[str] = field(default_factory=list)  # ids of the claims whose sentence covers it
    anchors: list[str] = field(default_factory=list)  # claims whose sentence starts here


def segments(text: str, mentions: list[dict[str, Any]], claims: list[dict[str, Any]]) -> list[Run]:
    """The runs of ``text``; offsets outside the text are clipped, empty spans ignored."""
    size = len(text)

    def clip(start: int, end: int) -> tuple[int, int]:
        return max(0, min(start, size)), max(0, min(end, size))

    spans_m = [(*clip(m["start"], m["end"]), m) for m in mentions]
    spans_t: list[tuple[int, int, str]] = []
    spans_s: list[tuple[int, int, str]] = []
    for claim in claims:
        evidence = claim["evidence"]
        spans_s.append((*clip(evidence["start"], evidence["end"]), claim["id"]))
        trigger = evidence["trigger"]
        spans_t.append((*clip(trigger["start"], trigger["end"]), claim["id"]))
    cuts = {0, size}
    for start, end, _ in [*spans_m, *spans_t, *spans_s]:
        if start < end:
            cuts.update((start, end))
    points = sorted(cuts)
    starts = [start for start, _ in itertools.pairwise(points)]
    in_mentions = _covering([(s, e) for s, e, _ in spans_m], starts)
    in_triggers = _covering([(s, e) for s, e, _ in spans_t], starts)
    in_sentences = _covering([(s, e) for s, e, _ in spans_s], starts)
    anchors: dict[int, list[str]] = {}
    for start, _, claim_id in spans_s:
        anchors.setdefault(start, []).append(claim_id)
    runs = []
    for n, (start, end) in enumerate(itertools.pairwise(points)):
        run = Run(text=text[start:end], start=start)
        covering = [spans_m[i][2] for i in in_mentions[n]]
        if covering:
            run.mention = max(covering, key=lambda m: (m["end"] - m["start"], -m["start"]))
        run.trigger = [spans_t[i][2] for i in in_triggers[n]]
        run.claims = [spans_s[i][2] for i in in_sentences[n]]
        run.anchors = anchors.get(start, [])
        runs.append(run)
    return runs


def _covering(spans: list[tuple[int, int]], starts: list[int]) -> list[list[int]]:
    """For each run (by its start), the indices of the non-empty spans covering it.

    One sweep over the spans sorted by start, so a long article with thousands
    of mentions costs O(runs × spans open at once), not O(runs × spans).
    Every span boundary is a cut, so a span open at a run's start covers it whole.
    """
    order = sorted((i for i, (s, e) in enumerate(spans) if s < e), key=lambda i: spans[i][0])
    out: list[list[int]] = []
    active: list[int] = []
    k = 0
    for start in starts:
        while k < len(order) and spans[order[k]][0] <= start:
            active.append(order[k])
            k += 1
        active = [i for i in active if spans[i][1] > start]
        out.append(sorted(active))
    return out


__all__ = ["Run", "segments"]

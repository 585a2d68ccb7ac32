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
    runs = []
    for start, end in itertools.pairwise(points):
        run = Run(text=text[start:end], start=start)
        covering = [m for s, e, m in spans_m if s <= start and end <= e and s < e]
        if covering:
            run.mention = max(covering, key=lambda m: (m["end"] - m["start"], -m["start"]))
        run.trigger = [c for s, e, c in spans_t if s <= start and end <= e and s < e]
        run.claims = [c for s, e, c in spans_s if s <= start and end <= e and s < e]
        run.anchors = [c for s, _, c in spans_s if s == start]
        runs.append(run)
    return runs


__all__ = ["Run", "segments"]

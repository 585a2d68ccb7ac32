"""Cutting an article into runs for highlighting: every boundary, clipped offsets, no loss."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.web.highlight import Run, segments

TEXT = "Apple sues Samsung. Google buys Fitbit."


def mention(start: int, end: int, entity_id: str = "e") -> dict[str, Any]:
    return {"start": start, "end": end, "entity_id": entity_id}


def claim(id_: str, sentence: tuple[int, int], trigger: tuple[int, int] = (0, 0)) -> dict[str, Any]:
    return {
        "id": id_,
        "evidence": {
            "start": sentence[0],
            "end": sentence[1],
            "trigger": {"start": trigger[0], "end": trigger[1]},
        },
    }


def pieces(runs: list[Run]) -> list[str]:
    return [r.text for r in runs]


def assert_partition(text: str, runs: list[Run]) -> None:
    """The runs are non-empty, contiguous, in order, and spell ``text`` exactly."""
    assert "".join(pieces(runs)) == text
    at = 0
    for run in runs:
        assert run.text, "an empty run"
        assert run.start == at
        assert text[run.start : run.start + len(run.text)] == run.text
        at += len(run.text)
    assert at == len(text)


def test_a_plain_text_is_one_run() -> None:
    (run,) = segments(TEXT, [], [])
    assert run == Run(text=TEXT, start=0)


def test_an_empty_text_has_no_run() -> None:
    assert segments("", [], []) == []
    assert segments("", [mention(0, 5)], [claim("c", (0, 4), (1, 2))]) == []


def test_overlapping_mention_trigger_and_sentences_cut_at_every_boundary() -> None:
    # "Apple sues Samsung." is claim c1 (trigger "sues"); the whole text is c2's
    # sentence, with the trigger "sues Sam" overlapping the mention "Samsung".
    mentions = [mention(0, 5, "apple"), mention(11, 18, "samsung"), mention(20, 26, "google")]
    claims = [claim("c1", (0, 19), (6, 10)), claim("c2", (0, len(TEXT)), (6, 14))]
    runs = segments(TEXT, mentions, claims)

    assert_partition(TEXT, runs)
    assert pieces(runs) == [
        "Apple",
        " ",
        "sues",
        " ",
        "Sam",
        "sung",
        ".",
        " ",
        "Google",
        " buys Fitbit.",
    ]
    by_text = {r.text: r for r in runs if r.text.strip()}
    assert by_text["Apple"].mention == mentions[0]
    assert by_text["Sam"].mention == by_text["sung"].mention == mentions[1]
    assert by_text["Google"].mention == mentions[2]
    assert by_text["sues"].trigger == ["c1", "c2"]
    assert by_text["Sam"].trigger == ["c2"]  # inside c2's trigger, and inside "Samsung"
    assert by_text["sung"].trigger == []
    assert by_text["."].claims == ["c1", "c2"]
    assert by_text["Google"].claims == ["c2"]  # past c1's sentence
    assert by_text[" buys Fitbit."].claims == ["c2"]
    # Both sentences start at 0: both anchors are on the first run, and only there.
    assert runs[0].anchors == ["c1", "c2"]
    assert all(r.anchors == [] for r in runs[1:])


def test_the_longest_covering_mention_wins() -> None:
    text = "Microsoft Azure runs"
    short, long_ = mention(0, 9, "microsoft"), mention(0, 15, "azure")
    runs = segments(text, [short, long_], [])
    assert pieces(runs) == ["Microsoft", " Azure", " runs"]
    assert runs[0].mention == long_  # "Microsoft" is inside both: the longer one
    assert runs[1].mention == long_
    assert runs[2].mention is None


def test_between_mentions_of_equal_length_the_first_wins() -> None:
    text = "abcdef"
    first, second = mention(0, 4, "first"), mention(2, 6, "second")
    runs = segments(text, [second, first], [])
    assert pieces(runs) == ["ab", "cd", "ef"]
    assert [r.mention for r in runs] == [first, first, second]


def test_offsets_outside_the_text_are_clipped() -> None:
    text = "Apple sues Samsung."
    runs = segments(
        text,
        [mention(-5, 5, "apple"), mention(11, 500, "samsung"), mention(40, 50, "gone")],
        [claim("c", (-10, 1000), (6, 10)), claim("far", (100, 200), (150, 160))],
    )
    assert_partition(text, runs)
    assert pieces(runs) == ["Apple", " ", "sues", " ", "Samsung."]
    assert runs[0].mention is not None and runs[0].mention["entity_id"] == "apple"
    assert runs[-1].mention is not None and runs[-1].mention["entity_id"] == "samsung"
    assert all(r.claims == ["c"] for r in runs)  # the clipped sentence covers all
    assert runs[0].anchors == ["c"]
    assert all("far" not in r.claims + r.trigger + r.anchors for r in runs)


def test_empty_and_inverted_spans_are_ignored() -> None:
    text = "Apple sues Samsung."
    runs = segments(text, [mention(3, 3), mention(8, 2)], [claim("c", (10, 4), (7, 7))])
    assert pieces(runs) == [text]
    assert runs[0].mention is None and runs[0].trigger == [] and runs[0].claims == []


def test_the_docstring_example() -> None:
    runs = segments(
        "Apple sues Samsung.",
        [{"start": 0, "end": 5, "entity_id": "a"}],
        [{"id": "c1", "evidence": {"start": 0, "end": 19, "trigger": {"start": 6, "end": 10}}}],
    )
    assert [(r.text, r.mention is not None, r.trigger) for r in runs] == [
        ("Apple", True, []),
        (" ", False, []),
        ("sues", False, ["c1"]),
        (" Samsung.", False, []),
    ]
    assert runs[0].anchors == ["c1"] and runs[-1].claims == ["c1"]


def test_text_outside_the_basic_plane_is_cut_by_characters() -> None:
    text = "😀 Acme → Globex"
    runs = segments(text, [mention(2, 6, "acme"), mention(9, 15, "globex")], [])
    assert pieces(runs) == ["😀 ", "Acme", " → ", "Globex"]


# --- properties ---------------------------------------------------------------

offsets = st.integers(min_value=-20, max_value=80)
spans = st.tuples(offsets, offsets)


@st.composite
def inputs(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    text = draw(st.text(alphabet="ab .\né", max_size=60))
    mentions = [mention(s, e, f"m{i}") for i, (s, e) in enumerate(draw(st.lists(spans)))]
    claims = [
        claim(f"c{i}", sentence, trigger)
        for i, (sentence, trigger) in enumerate(draw(st.lists(st.tuples(spans, spans))))
    ]
    return text, mentions, claims


def _clip(start: int, end: int, size: int) -> tuple[int, int]:
    return max(0, min(start, size)), max(0, min(end, size))


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_runs_spell_the_text_without_overlap(
    case: tuple[str, list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    text, mentions, claims = case
    runs = segments(text, mentions, claims)
    assert_partition(text, runs)

    size = len(text)
    evidence = {c["id"]: c["evidence"] for c in claims}
    bounds = [(m["start"], m["end"]) for m in mentions]
    bounds += [(e["start"], e["end"]) for e in evidence.values()]
    bounds += [(e["trigger"]["start"], e["trigger"]["end"]) for e in evidence.values()]
    cuts = {0, size}
    for s, e in bounds:
        start, end = _clip(s, e, size)
        if start < end:
            cuts.update((start, end))
    assert {r.start for r in runs} | {size} == cuts  # cut at every boundary, and only there

    for id_, e in evidence.items():  # a sentence in the text is anchored once, where it starts
        start, end = _clip(e["start"], e["end"], size)
        if start < end:
            assert [r.start for r in runs if id_ in r.anchors] == [start]

    for run in runs:
        end = run.start + len(run.text)

        def covers(s: int, e: int, run_start: int = run.start, run_end: int = end) -> bool:
            start, stop = _clip(s, e, size)
            return start < stop and start <= run_start and run_end <= stop

        covering = [m for m in mentions if covers(m["start"], m["end"])]
        if covering:  # the longest mention over the run
            assert run.mention is not None and run.mention in covering
            longest = max(m["end"] - m["start"] for m in covering)
            assert run.mention["end"] - run.mention["start"] == longest
        else:
            assert run.mention is None
        assert run.claims == [i for i, e in evidence.items() if covers(e["start"], e["end"])]
        assert run.trigger == [
            i for i, e in evidence.items() if covers(e["trigger"]["start"], e["trigger"]["end"])
        ]

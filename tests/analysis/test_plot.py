"""plot_timeline(): PNG and SVG files, formats, unwritable paths, atomic writes."""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from newsgraph.analysis import plot_timeline, timeline
from newsgraph.analysis.plot import _figure
from newsgraph.errors import MissingDependency, OutputNotWritable, UsageError

from .conftest import C, StoreFactory, article

MS, OA = "Q2283", "Q21708200"


@pytest.fixture
def story(make_store: StoreFactory) -> dict[str, Any]:
    """A timeline by quarter: cooperation, an empty quarter, conflict, then a truce."""
    store = make_store(
        [
            article("d1", "2023-01-10", [C(MS, "INVESTS_IN", OA, amount=1e10)]),
            article("d2", "2023-02-15", [C(MS, "PARTNERS_WITH", OA, "reported", tone=0.5)]),
            article("d3", "2023-08-01", [C(OA, "SUES", MS, tone=-0.5), C(MS, "OWNS", OA)]),
            article("d4", "2023-11-01", [C(OA, "SUES", MS, "negated")]),
        ]
    )
    return timeline(store.con, "Microsoft", "OpenAI", by="quarter")


def test_writes_a_png(story: dict[str, Any], tmp_path: Path) -> None:
    path = plot_timeline(story, tmp_path / "ms-openai.png")
    assert path == tmp_path / "ms-openai.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert os.listdir(tmp_path) == ["ms-openai.png"]  # no temporary file left


def test_writes_an_svg(story: dict[str, Any], tmp_path: Path) -> None:
    path = plot_timeline(story, str(tmp_path / "ms-openai.SVG"))
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert os.listdir(tmp_path) == ["ms-openai.SVG"]


def test_the_chart_has_title_bars_and_labels(story: dict[str, Any]) -> None:
    figure = _figure(story, labels=2, size=(8.0, 5.0))
    health, counts = figure.axes[:2]
    assert health.get_title() == "Microsoft – OpenAI"
    assert health.get_ylim() == pytest.approx((-1.6, 1.6))
    colors = {tuple(round(c, 3) for c in bar.get_facecolor()[:3]) for bar in health.patches}
    assert len(colors) == 2  # green and red bars
    labels = [t.get_text() for t in health.texts]
    assert "OpenAI SUES Microsoft" in labels and len(labels) == 2
    assert [t.get_text() for t in counts.get_xticklabels()] == [
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
        "2023-Q4",
    ]


def test_an_empty_timeline_still_plots(make_store: StoreFactory, tmp_path: Path) -> None:
    store = make_store(
        [article("d1", "2023-01-01", [C(MS, "SUES", "Q3884"), C(OA, "SUES", "Q95")])]
    )
    empty = timeline(store.con, "Microsoft", "OpenAI")
    assert empty["periods"] == []
    path = plot_timeline(empty, tmp_path / "empty.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("name", ["chart.pdf", "chart", "chart.png.txt"])
def test_other_suffixes_are_refused(story: dict[str, Any], tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError, match=r"\.png or \.svg"):
        plot_timeline(story, tmp_path / name)
    assert os.listdir(tmp_path) == []


def test_missing_folder_or_a_directory(story: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(OutputNotWritable, match="does not exist"):
        plot_timeline(story, tmp_path / "nowhere" / "chart.png")
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(OutputNotWritable, match="directory"):
        plot_timeline(story, tmp_path / "dir.png")


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root writes in read-only folders"
)
def test_read_only_folder(story: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputNotWritable):
            plot_timeline(story, folder / "chart.png")
    finally:
        folder.chmod(0o700)


def test_a_failed_write_leaves_nothing_half_written(
    story: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "chart.png"
    target.write_bytes(b"previous chart")

    def broken(self: Any, *args: Any, **kwargs: Any) -> None:
        args[0].write(b"\x89PNG partial")
        raise OSError(28, "No space left on device")

    from matplotlib.figure import Figure

    monkeypatch.setattr(Figure, "savefig", broken)
    with pytest.raises(OutputNotWritable, match="No space left"):
        plot_timeline(story, target)
    assert target.read_bytes() == b"previous chart"
    assert os.listdir(tmp_path) == ["chart.png"]


def test_overwriting_keeps_the_file_mode(story: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    target.write_text("<svg/>")
    target.chmod(0o640)
    plot_timeline(story, target)
    assert target.stat().st_mode & 0o777 == 0o640
    assert ET.parse(target).getroot().tag.endswith("svg")


def test_missing_matplotlib_gives_an_install_hint(
    story: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingDependency, match="pip install"):
        plot_timeline(story, tmp_path / "chart.png")
    assert os.listdir(tmp_path) == []


def test_permission_denied_in_the_folder(
    story: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", denied)
    with pytest.raises(OutputNotWritable, match="Permission denied"):
        plot_timeline(story, tmp_path / "chart.png")

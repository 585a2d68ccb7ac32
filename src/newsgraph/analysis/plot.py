"""Draw a timeline (see :func:`newsgraph.analysis.timeline`) as a PNG or SVG chart.

The health score per period is drawn as bars in [-1, 1] (cooperation green,
conflict red) with the overall score as a dashed line; the claim counts per
period are stacked bars below; the periods of the biggest moves are labelled
with the event that moved them most. matplotlib is imported only here, on
first use, and drawn with its Agg canvas (no display, no global pyplot state).

    >>> t = timeline(store.con, "Microsoft", "OpenAI", by="quarter")
    >>> plot_timeline(t, "microsoft-openai.svg")
    PosixPath('microsoft-openai.svg')
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import textwrap
import warnings
from pathlib import Path
from typing import Any

from newsgraph.errors import MissingDependency, OutputNotWritable, UsageError

#: Output formats, by file suffix.
FORMATS = {".png": "png", ".svg": "svg"}
COLORS = {"cooperation": "#2e7d32", "conflict": "#c62828", "neutral": "#9e9e9e"}
_LABEL_WIDTH = 26


def plot_timeline(
    timeline: dict[str, Any],
    path: str | os.PathLike[str],
    *,
    labels: int = 3,
    size: tuple[float, float] = (10.0, 6.0),
    dpi: int = 120,
) -> Path:
    """Write the chart of ``timeline`` to ``path`` (``.png`` or ``.svg``).

    The file is written to a temporary file in the same folder and renamed,
    so an interrupted or failed plot leaves no half-written file behind.

    Args:
        timeline: the dict :func:`newsgraph.analysis.timeline` returns.
        path: the output file; its suffix chooses the format.
        labels: how many of the biggest moves get the label of their top event.
        size: the figure's (width, height) in inches.
        dpi: resolution of a PNG.

    Returns:
        The path written.

    Raises:
        UsageError: the suffix is neither ``.png`` nor ``.svg``.
        OutputNotWritable: the folder is missing or not writable, or the path
            is a directory.
        MissingDependency: matplotlib is not installed.

    Example:
        >>> plot_timeline(timeline(store.con, "Amazon", "Anthropic"), "aa.png")
        PosixPath('aa.png')
    """
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"cannot plot to {str(target)!r}: give a file name ending in .png or .svg."
        )
    folder = target.parent
    if target.is_dir():
        raise OutputNotWritable(str(target), "it is a directory")
    if not folder.is_dir():
        raise OutputNotWritable(str(target), f"the folder {folder} does not exist")
    figure = _figure(timeline, labels=labels, size=size)
    _write(figure, target, fmt, dpi=dpi)
    return target


def _matplotlib() -> tuple[Any, Any]:
    """matplotlib's Figure and Agg canvas classes, or MissingDependency."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:
        raise MissingDependency("matplotlib", "pip install 'matplotlib>=3.8'") from e
    return Figure, FigureCanvasAgg


def _figure(timeline: dict[str, Any], *, labels: int, size: tuple[float, float]) -> Any:
    figure_class, canvas_class = _matplotlib()
    figure = figure_class(figsize=size, layout="constrained")
    canvas_class(figure)
    health_ax, count_ax = figure.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1.4]}
    )
    names = [e["name"] for e in timeline.get("entities", [])]
    health_ax.set_title(" – ".join(names) if names else "timeline")
    periods = timeline.get("periods", [])
    if not periods:
        health_ax.text(
            0.5, 0.5, "no dated claims", ha="center", va="center", transform=health_ax.transAxes
        )
        return figure
    xs = list(range(len(periods)))
    _health(health_ax, periods, timeline.get("overall", {}).get("health"))
    _moves(health_ax, periods, labels)
    _counts(count_ax, periods)
    _ticks(count_ax, xs, [p["period"] for p in periods])
    return figure


def _health(ax: Any, periods: list[dict[str, Any]], overall: float | None) -> None:
    xs = list(range(len(periods)))
    scores = [p["health"] for p in periods]
    scored = [(x, h) for x, h in zip(xs, scores, strict=True) if h is not None]
    ax.bar(
        [x for x, _ in scored],
        [h for _, h in scored],
        color=[COLORS["cooperation"] if h >= 0 else COLORS["conflict"] for _, h in scored],
        width=0.7,
    )
    ax.plot(
        xs,
        [float("nan") if h is None else h for h in scores],
        color="#424242",
        linewidth=1,
        marker="o",
        markersize=3,
    )
    ax.axhline(0, color="#616161", linewidth=0.8)
    if overall is not None:
        ax.axhline(overall, color="#1565c0", linewidth=1, linestyle="--", label="overall")
        ax.legend(loc="lower left", fontsize="small", frameon=False)
    ax.set_ylim(-1.6, 1.6)
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_ylabel("health (conflict −1 … +1 cooperation)")
    ax.grid(axis="y", alpha=0.3)


def _moves(ax: Any, periods: list[dict[str, Any]], labels: int) -> None:
    """Label the periods of the biggest moves with their top event.

    A move is the change from the previous scored period (for the first
    scored period, its health). Labels sit above the axis for a positive
    score and below for a negative one, on two staggered rows when close.
    """
    moves = []
    for index, period in enumerate(periods):
        if period["health"] is None or not period["events"]:
            continue
        change = period.get("change")
        moves.append((abs(period["health"] if change is None else change), index))
    chosen = sorted(index for _, index in sorted(moves, key=lambda m: (-m[0], m[1]))[:labels])
    near = max(2, len(periods) // 8)
    last: dict[bool, tuple[int, int]] = {}
    for index in chosen:
        health = periods[index]["health"]
        up = health >= 0
        previous = last.get(up)
        row = 1 - previous[1] if previous and index - previous[0] <= near else 0
        last[up] = (index, row)
        ax.annotate(
            _event_label(periods[index]["events"][0]),
            xy=(index, health),
            xytext=(index, (1.08 + 0.22 * row) * (1 if up else -1)),
            ha="center",
            va="bottom" if up else "top",
            fontsize="x-small",
            arrowprops={"arrowstyle": "-", "color": "#757575", "linewidth": 0.6},
        )


def _event_label(event: dict[str, Any]) -> str:
    """ "OpenAI SUES Microsoft (speculative)" on at most two lines."""
    text = f"{event['subject_name']} {event['relation']} {event['object_name']}"
    if event.get("modality") and event["modality"] != "asserted":
        text += f" ({event['modality']})"
    lines = textwrap.wrap(text, _LABEL_WIDTH)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), _LABEL_WIDTH, placeholder="…")]
    return "\n".join(lines)


def _counts(ax: Any, periods: list[dict[str, Any]]) -> None:
    xs = list(range(len(periods)))
    bottom = [0] * len(periods)
    for klass in ("cooperation", "conflict", "neutral"):
        values = [p["counts"][klass] for p in periods]
        ax.bar(xs, values, bottom=bottom, color=COLORS[klass], width=0.7, label=klass)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("claims")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", fontsize="x-small", frameon=False, ncols=3)
    ax.grid(axis="y", alpha=0.3)


def _ticks(ax: Any, xs: list[int], names: list[str]) -> None:
    step = -(-len(xs) // 24)  # at most 24 labels
    slanted = len(xs) > 8
    ax.set_xticks(
        xs[::step],
        names[::step],
        rotation=45 if slanted else 0,
        ha="right" if slanted else "center",
    )


def _write(figure: Any, target: Path, fmt: str, *, dpi: int) -> None:
    """Save to a temporary file beside ``target``, then rename it into place."""
    folder = target.parent
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as e:
        raise OutputNotWritable(str(target), e.strerror or str(e)) from e
    try:
        with os.fdopen(fd, "wb") as handle, warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Glyph .* missing")
            metadata = {"Date": None} if fmt == "svg" else {}
            figure.savefig(handle, format=fmt, dpi=dpi, metadata=metadata)
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise OutputNotWritable(str(target), e.strerror or str(e)) from e
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


__all__ = ["COLORS", "FORMATS", "plot_timeline"]

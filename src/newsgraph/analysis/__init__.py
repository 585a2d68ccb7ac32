"""Relationship analytics over the store: timelines, dependencies and their plots.

- :func:`timeline`: the relationship of two entities per month, quarter or
  year, with a health score in [-1, 1] and the events that moved it;
- :func:`dependencies`: suppliers, funders, owners, integrations and the
  downstream side of one entity, with supplier and funding concentration;
- :func:`plot_timeline`: a timeline as a PNG or SVG chart (matplotlib).

    >>> from newsgraph.analysis import dependencies, plot_timeline, timeline
    >>> t = timeline(store.con, "Microsoft", "OpenAI", by="quarter")
    >>> plot_timeline(t, "microsoft-openai.png")
    PosixPath('microsoft-openai.png')
"""

from newsgraph.analysis.dependencies import dependencies
from newsgraph.analysis.plot import plot_timeline
from newsgraph.analysis.timeline import timeline

__all__ = ["dependencies", "plot_timeline", "timeline"]

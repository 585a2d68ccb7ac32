"""Input readers of ``newsgraph ingest``: text, HTML, JSONL, RSS/Atom feeds and WARC.

>>> from newsgraph.ingest import RawArticle, iter_articles
>>> articles = [a for a in iter_articles(["corpus/"]) if isinstance(a, RawArticle)]
"""

from newsgraph.ingest.readers import iter_articles
from newsgraph.ingest.records import RawArticle, Skipped

__all__ = ["RawArticle", "Skipped", "iter_articles"]

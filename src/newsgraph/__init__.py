"""newsgraph: a sourced, time-stamped knowledge graph of relations between organisations.

>>> import newsgraph
>>> doc = newsgraph.analyze("Microsoft invests $10bn in OpenAI.", lang="en")
>>> doc.claims[0].relation
'INVESTS_IN'
>>> graph = newsgraph.Graph("newsgraph.duckdb")   # a store written by `newsgraph ingest`
>>> graph.timeline("Microsoft", "OpenAI", by="quarter")
"""

from newsgraph.errors import NewsgraphError
from newsgraph.graph import Graph
from newsgraph.kb import KnowledgeBase
from newsgraph.model import Amount, Claim, Document, Entity, Evidence, Mention, Modality
from newsgraph.pipeline import Pipeline, analyze, analyze_many, make_document

__version__ = "0.1.0"

__all__ = [
    "Amount",
    "Claim",
    "Document",
    "Entity",
    "Evidence",
    "Graph",
    "KnowledgeBase",
    "Mention",
    "Modality",
    "NewsgraphError",
    "Pipeline",
    "__version__",
    "analyze",
    "analyze_many",
    "make_document",
]

"""GraphML: the entity graph for Gephi, yEd, Cytoscape or networkx.

A networkx ``MultiDiGraph``: one node per entity (``label`` = name, ``type``,
``qid`` when known, ``in_kb``) and one edge per edge of the store, that is per
(subject, relation, object), keyed by the relation, with its class, strongest
modality, counts, first and last dates and largest amount. A symmetric
relation (PARTNERS_WITH, …) is one edge, from the smaller id to the larger,
marked ``symmetric``. ``weight`` is the number of stories, the edge weight Gephi
uses. GraphML values are str, int, float or bool: absent values are left out.

    >>> g = networkx.read_graphml("graph.graphml")
    >>> g.nodes["Q2283"]["label"]
    'Microsoft'
"""

from __future__ import annotations

import os
import re
from typing import Any

from newsgraph.export.base import atomic_file, iso, stream, target
from newsgraph.model import RELATIONS

_ENTITIES = "SELECT id, name, type, qid, in_kb FROM entities ORDER BY id"
_EDGES = """
SELECT subject, relation, object, class, modality, n_claims, n_stories, n_documents,
       first_date, last_date, max_amount
FROM edges ORDER BY subject, relation, object
"""
# Characters XML 1.0 does not allow (GraphML writers refuse them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def graph(con: Any) -> Any:
    """The store's entities and edges as a ``networkx.MultiDiGraph``.

    Args:
        con: an open DuckDB connection to a store.

    Returns:
        The graph; nodes are entity ids, edge keys are relation names.

    >>> graph(store.con).number_of_edges()
    18
    """
    import networkx as nx

    g = nx.MultiDiGraph(name="newsgraph")
    for id_, name, type_, qid, in_kb in stream(con, _ENTITIES):
        node = {"label": name, "type": type_, "qid": qid, "in_kb": bool(in_kb)}
        g.add_node(_text(id_), **_present(node))
    for row in stream(con, _EDGES):
        (subject, relation, object_, klass, modality, n_claims, n_stories, n_documents,
         first, last, max_amount) = row  # fmt: skip
        spec = RELATIONS.get(relation)
        edge = {
            "label": relation,
            "relation": relation,
            "class": klass,
            "symmetric": bool(spec and spec.symmetric),
            "modality": modality,
            "n_claims": int(n_claims),
            "n_stories": int(n_stories),
            "n_documents": int(n_documents),
            "weight": int(n_stories),
            "first_date": iso(first),
            "last_date": iso(last),
            "max_amount": None if max_amount is None else float(max_amount),
        }
        g.add_edge(_text(subject), _text(object_), key=relation, **_present(edge))
    return g


def write(con: Any, out: str | os.PathLike[str]) -> dict[str, Any]:
    """Write the entity graph of the store to the GraphML file ``out``.

    Args:
        con: an open DuckDB connection to a store.
        out: the file to write; it is replaced only once complete.

    Returns:
        ``{"format", "path", "nodes", "edges"}``: what was written.

    Raises:
        OutputNotWritable: ``out`` cannot be written; nothing was written.

    >>> write(store.con, "graph.graphml")["nodes"]
    14
    """
    import networkx as nx

    path = target(out)
    g = graph(con)
    with atomic_file(path) as tmp:
        nx.write_graphml(g, tmp, encoding="utf-8")
    return {
        "format": "graphml",
        "path": str(path),
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
    }


def _present(attrs: dict[str, Any]) -> dict[str, Any]:
    """The attributes that have a value, strings made XML-safe."""
    return {key: _text(value) for key, value in attrs.items() if value is not None}


def _text(value: Any) -> Any:
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


__all__ = ["graph", "write"]

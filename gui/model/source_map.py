"""Source links between the script and its graph: the lines that made a node, and the nodes a
line made (from the nodes' ``statement`` attribute and the run's statement records). No Qt."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["node_lines", "line_nodes"]


def _lines(record: Any) -> tuple[int, int]:
    mark = getattr(record, "mark", None)
    if mark:
        return int(mark[0]), int(mark[1])
    return int(record.lineno), int(getattr(record, "end_lineno", None) or record.lineno)


def node_lines(attrs: dict | None, statements: Sequence[Any] | None) -> tuple[int, int] | None:
    """``(first, last)`` 1-based lines of the statement that made the node with `attrs`, or
    None when no statement did (a collapsed group's box, a graph built from tensors).

    >>> from types import SimpleNamespace as R
    >>> node_lines({"statement": 1}, [R(lineno=1, end_lineno=1), R(lineno=2, end_lineno=4)])
    (2, 4)
    """
    index = (attrs or {}).get("statement")
    if not statements or not isinstance(index, int) or not 0 <= index < len(statements):
        return None
    return _lines(statements[index])


def line_nodes(graph: Any, statements: Sequence[Any] | None, line: int) -> list[str]:
    """The nodes made by the statement(s) on 1-based `line`, in the graph's order.

    >>> import networkx as nx
    >>> from types import SimpleNamespace as R
    >>> g = nx.DiGraph(); g.add_node("x", statement=0); g.add_node("y", statement=1)
    >>> line_nodes(g, [R(lineno=1, end_lineno=1), R(lineno=2, end_lineno=3)], 3)
    ['y']
    """
    if graph is None or not statements:
        return []
    hit = set()
    for k, record in enumerate(statements):
        first, last = _lines(record)
        if first <= line <= last:
            hit.add(k)
    if not hit:
        return []
    return [n for n, s in graph.nodes(data="statement") if s in hit]

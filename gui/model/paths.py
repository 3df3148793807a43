"""Paths through a drawn graph: what a selected node depends on, what depends on it, and the
edges between them (path highlighting), and its neighbours for keyboard navigation. No Qt."""
from __future__ import annotations

from collections.abc import Hashable, Iterable

__all__ = ["NodePath", "node_path"]


class NodePath:
    """The path of one node through the graph its edges make.

    Attributes
    ----------
    node : hashable
        The selected node.
    ancestors, descendants : frozenset
        What it is computed from (its inputs, theirs, ...) and what is computed from it (up
        to the outputs). Edges point the way data flows forward.
    input_edges, grad_edges : frozenset of (u, v)
        The edges among the node and its ancestors, and those among the node and its
        descendants: the way the gradient runs from the output back to the node.

    Examples
    --------
    >>> p = node_path([("x", "mul"), ("w", "mul"), ("mul", "out"), ("z", "other")], "mul")
    >>> sorted(p.ancestors), sorted(p.descendants), sorted(p.grad_edges)
    (['w', 'x'], ['out'], [('mul', 'out')])
    >>> sorted(p.nodes)
    ['mul', 'out', 'w', 'x']
    """

    def __init__(self, node: Hashable, ancestors: Iterable[Hashable],
                 descendants: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]]):
        self.node = node
        self.ancestors, self.descendants = frozenset(ancestors), frozenset(descendants)
        up, down = self.ancestors | {node}, self.descendants | {node}
        edges = list(edges)
        self.input_edges = frozenset((u, v) for u, v in edges if u in up and v in up)
        self.grad_edges = frozenset((u, v) for u, v in edges if u in down and v in down)

    @property
    def nodes(self) -> frozenset:
        """The node, its ancestors and its descendants: what stays bright."""
        return self.ancestors | self.descendants | {self.node}


def _reach(start: Hashable, nxt: dict[Hashable, list[Hashable]]) -> set:
    seen, stack = set(), [start]
    while stack:
        for m in nxt.get(stack.pop(), ()):
            if m not in seen and m != start:
                seen.add(m)
                stack.append(m)
    return seen


def node_path(edges: Iterable[tuple[Hashable, Hashable]], node: Hashable) -> NodePath:
    """The `NodePath` of `node` in the graph that `edges` (``(u, v)``, u feeds v) make."""
    edges = list(edges)
    ins: dict[Hashable, list[Hashable]] = {}
    outs: dict[Hashable, list[Hashable]] = {}
    for u, v in edges:
        outs.setdefault(u, []).append(v)
        ins.setdefault(v, []).append(u)
    return NodePath(node, _reach(node, ins), _reach(node, outs), edges)

"""Paths through a drawn graph: what a selected node depends on, what depends on it, and the
edges between them (path highlighting), and its neighbours for keyboard navigation. No Qt."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

__all__ = ["ARROW_MOVES", "NodePath", "PathIndex", "node_path", "step_from"]


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
                 descendants: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]],
                 input_edges: Iterable[tuple[Hashable, Hashable]] | None = None,
                 grad_edges: Iterable[tuple[Hashable, Hashable]] | None = None):
        self.node = node
        self.ancestors, self.descendants = frozenset(ancestors), frozenset(descendants)
        self._nodes: frozenset | None = None
        if input_edges is not None and grad_edges is not None:   # known already (PathIndex)
            self.input_edges, self.grad_edges = frozenset(input_edges), frozenset(grad_edges)
            return
        up, down = self.ancestors | {node}, self.descendants | {node}
        edges = list(edges)
        self.input_edges = frozenset((u, v) for u, v in edges if u in up and v in up)
        self.grad_edges = frozenset((u, v) for u, v in edges if u in down and v in down)

    @property
    def nodes(self) -> frozenset:
        """The node, its ancestors and its descendants: what stays bright."""
        if self._nodes is None:
            self._nodes = self.ancestors | self.descendants | {self.node}
        return self._nodes


def node_path(edges: Iterable[tuple[Hashable, Hashable]], node: Hashable) -> NodePath:
    """The `NodePath` of `node` in the graph that `edges` (``(u, v)``, u feeds v) make."""
    return PathIndex(edges).path(node)


class PathIndex:
    """The inputs and outputs of every node of the graph `edges` make, worked out once, so
    each selection walks only its own path (nothing of the rest of the graph).

    Examples
    --------
    >>> index = PathIndex([("x", "mul"), ("w", "mul"), ("mul", "out")])
    >>> sorted(index.path("mul").input_edges), sorted(index.path("out").ancestors)
    ([('w', 'mul'), ('x', 'mul')], ['mul', 'w', 'x'])
    """

    def __init__(self, edges: Iterable[tuple[Hashable, Hashable]]) -> None:
        # node -> the edges into it / out of it, as (u, v) tuples made once
        self.ins: dict[Hashable, list[tuple[Hashable, Hashable]]] = {}
        self.outs: dict[Hashable, list[tuple[Hashable, Hashable]]] = {}
        for e in edges:
            e = (e[0], e[1])
            self.outs.setdefault(e[0], []).append(e)
            self.ins.setdefault(e[1], []).append(e)

    def path(self, node: Hashable) -> NodePath:
        """The `NodePath` of `node`: every edge into the node or an ancestor is on the way to
        its inputs, every edge out of it or a descendant on the gradient's way."""
        up, up_edges = _walk(node, self.ins, 0)
        down, down_edges = _walk(node, self.outs, 1)
        return NodePath(node, up, down, (), up_edges, down_edges)


def _walk(start: Hashable, nxt: dict[Hashable, list[tuple[Hashable, Hashable]]], end: int):
    """The nodes reachable from `start` along the edges of `nxt` (to their item `end`) and
    the edges walked."""
    seen: set = set()
    walked: list = []
    stack = [start]
    while stack:
        near = nxt.get(stack.pop())
        if not near:
            continue
        walked.extend(near)
        for e in near:
            m = e[end]
            if m not in seen and m != start:
                seen.add(m)
                stack.append(m)
    return seen, walked


#: the arrow keys' moves in the graph view, per layout direction: inputs lie above (TB) or to
#: the left (LR) of the nodes they feed, siblings beside them in their layer
ARROW_MOVES = {
    "TB": {"Up": "input", "Down": "output", "Left": "previous", "Right": "next"},
    "LR": {"Left": "input", "Right": "output", "Up": "previous", "Down": "next"},
}


def step_from(node: Hashable, move: str, positions: Mapping[Hashable, tuple[float, float]],
              edges: Iterable[tuple[Hashable, Hashable]], direction: str = "TB",
              layers: Sequence[Sequence[Hashable]] | None = None,
              shown: Callable[[Hashable], bool] | None = None) -> Hashable | None:
    """Where an arrow key moves the selection from `node`: ``move`` is ``"input"`` (a node it is
    computed from), ``"output"`` (one computed from it), ``"previous"`` or ``"next"`` (its
    neighbour in its layer, left/right in TB, above/below in LR). Of several inputs or outputs
    the one nearest across the layout wins. None when there is nowhere to go.

    Examples
    --------
    >>> pos = {"a": (0, 0), "b": (100, 0), "c": (90, 80), "d": (0, 160)}
    >>> edges = [("a", "c"), ("b", "c"), ("c", "d")]
    >>> step_from("c", "input", pos, edges), step_from("c", "output", pos, edges)
    ('b', 'd')
    >>> step_from("a", "next", pos, edges, layers=[["a", "b"], ["c"], ["d"]])
    'b'
    """
    if node not in positions:
        return None
    ok = shown or (lambda n: True)
    main, cross = (1, 0) if direction == "TB" else (0, 1)
    here = positions[node]
    if move in ("input", "output"):
        near = [u if move == "input" else v for u, v in edges
                if (v if move == "input" else u) == node]
        near = [n for n in near if n in positions and n != node and ok(n)]
        if not near:
            return None
        return min(near, key=lambda n: (abs(positions[n][cross] - here[cross]),
                                        abs(positions[n][main] - here[main]), str(n)))
    if move not in ("previous", "next"):
        raise ValueError(f"step_from(): unknown move {move!r}; expected 'input', 'output', "
                         "'previous' or 'next'")
    layer = next((list(lay) for lay in layers or () if node in lay), None)
    if layer is None:   # no layers known: the nodes centred on the same line across
        layer = [n for n, p in positions.items() if abs(p[main] - here[main]) < 1.0]
    row = sorted((n for n in layer if n in positions and ok(n)),
                 key=lambda n: (positions[n][cross], str(n)))
    if node not in row:
        return None
    k = row.index(node) + (1 if move == "next" else -1)
    return row[k] if 0 <= k < len(row) else None

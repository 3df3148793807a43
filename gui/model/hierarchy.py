"""The module hierarchy of a graph's groups: depth, "collapse all to depth N", repeated blocks
(groups alike in structure) and the view without the nodes that need no gradient. No Qt."""
from __future__ import annotations

import heapq
import re
from collections.abc import Hashable, Iterable, Iterator

import networkx as nx

from .i18n import Context, translate

__all__ = ["GroupTree", "alike_label", "bridged_without", "group_tree", "group_tree_steps",
           "needs_no_grad"]

_CALL = re.compile(r" \(call (\d+)\)$")
# the titles with plural forms (lupdate reads Hierarchy.tr(text, "", n) as context Hierarchy)
Hierarchy = Context("Hierarchy")


class GroupTree:
    """The groups of `graph` (one per module call, see gui/model/graph.py) as a tree.

    A group's parent is ``graph.graph["group_parent"]`` (the call around it); a graph without
    that map nests by the dotted names (``"block0.attn"`` in ``"block0"``). Depth 0 is a group
    no other group holds (a top-level module call).

    Examples
    --------
    >>> g = nx.DiGraph(group_parent={"net.fc": "net", "net.fc (call 2)": "net (call 2)"})
    >>> fn = {"kind": "function"}
    >>> g.add_nodes_from([("a", {"group": "net.fc", "op": "AddmmBackward0", **fn}),
    ...                   ("b", {"group": "net", "op": "ReluBackward0", **fn}),
    ...                   ("c", {"group": "net.fc (call 2)", "op": "AddmmBackward0", **fn}),
    ...                   ("d", {"group": "net (call 2)", "op": "ReluBackward0", **fn})])
    >>> g.add_edges_from([("a", "b"), ("c", "d")])
    >>> tree = GroupTree(g)
    >>> tree.depth("net.fc"), tree.at_depth(0), tree.max_depth
    (1, ['net', 'net (call 2)'], 1)
    >>> tree.alike["net (call 2)"]
    ('net', 'net (call 2)')
    """

    def __init__(self, graph: nx.DiGraph) -> None:
        for _ in self._build_steps(graph):
            pass

    def _build_steps(self, graph: nx.DiGraph, step: int = 2000) -> Iterator[None]:
        """Make the tree, yielding after every `step` nodes or groups (`group_tree_steps`)."""
        self.graph = graph
        self._alike: dict[str, tuple[str, ...]] | None = None
        own: dict[str, list[Hashable]] = {}
        for k, (v, g) in enumerate(graph.nodes(data="group")):
            if isinstance(g, str) and g:
                own.setdefault(g, []).append(v)
            if k % (4 * step) == 4 * step - 1:
                yield
        known = graph.graph.get("group_parent")
        self.parent: dict[str, str | None] = {}
        if known is not None:
            names = set(own) | set(known) | set(known.values())
            for name in names:
                self.parent[name] = known.get(name)
        else:
            for name in own:
                up = name.rpartition(".")[0]
                while up and up not in own:
                    up = up.rpartition(".")[0]
                self.parent[name] = up or None
        yield
        keys = {}
        for k, name in enumerate(self.parent):
            keys[name] = _natural(name)
            if k % step == step - 1:
                yield
        self.groups: list[str] = sorted(self.parent, key=keys.__getitem__)
        yield
        self._depth: dict[str, int] = {}
        for k, name in enumerate(self.groups):
            self.depth(name)
            if k % step == step - 1:
                yield
        # every node of a group and of the groups inside it, in the graph's order
        members: dict[str, list[Hashable]] = {name: [] for name in self.groups}
        for k, (v, g) in enumerate(graph.nodes(data="group")):
            seen = 0
            while isinstance(g, str) and g in members and seen <= len(members):
                members[g].append(v)
                g, seen = self.parent.get(g), seen + 1
            if k % (4 * step) == 4 * step - 1:
                yield
        self.members = members

    def depth(self, group: str) -> int:
        """How many groups hold `group` (0: a top-level module call)."""
        if group in self._depth:
            return self._depth[group]
        chain: list[str] = []
        g: str | None = group
        while g is not None and g not in self._depth and len(chain) <= len(self.parent):
            chain.append(g)
            g = self.parent.get(g)
        d = self._depth.get(g, -1) if g is not None else -1
        for name in reversed(chain):
            d += 1
            self._depth[name] = d
        return self._depth[group]

    @property
    def max_depth(self) -> int:
        """The deepest group's depth; -1 when there are no groups."""
        return max(self._depth.values(), default=-1)

    def at_depth(self, depth: int) -> list[str]:
        """What "collapse all to depth `depth`" draws as boxes, as torchview's ``depth``: the
        groups `depth` deep (their insides go into their box); the groups above them stay open
        frames. Depth 0 gives every top-level module call one box.

        Raises
        ------
        ValueError
            If `depth` is negative.
        """
        if depth < 0:
            raise ValueError(f"collapse to depth: the depth must be 0 or more, not {depth}")
        return [g for g in self.groups if self._depth[g] == depth and self.members[g]]

    def signature(self, group: str) -> tuple:
        """The structure of `group`: its backward functions' ops (and the inner group each lies
        in, by its name relative to `group`, call numbers dropped) in a topological order, and
        the edges among them as positions in that order. Equal signatures: repeated blocks.

        The order is networkx's `lexicographical_topological_sort` of the functions by (inner
        group, op), ties by the graph's order; done here over plain dicts (a graph of 100,000
        nodes has tens of thousands of groups)."""
        graph = self.graph
        attrs = graph.nodes
        base = _CALL.sub("", group)
        # the backward functions only: which named tensors a call shows (the last call's
        # output, ...) says nothing of its structure
        fns = [v for v in self.members.get(group) or ()
               if attrs[v].get("kind") in ("function", "accumulate")]
        rank = {v: i for i, v in enumerate(fns)}
        key = {}
        for v in fns:
            a = attrs[v]
            g = a.get("group")
            g = _CALL.sub("", g) if isinstance(g, str) else ""
            key[v] = (g[len(base):] if g.startswith(base) else g,
                      str(a.get("op") or a.get("kind") or ""))
        succ = graph.succ
        edges = [(u, c) for u in fns for c in succ[u] if c in rank]
        waiting = dict.fromkeys(fns, 0)
        for _, c in edges:
            waiting[c] += 1
        ready = [(key[v], rank[v], v) for v in fns if not waiting[v]]
        heapq.heapify(ready)
        order = []
        while ready:
            _, _, v = heapq.heappop(ready)
            order.append(v)
            for c in succ[v]:
                if c in rank:
                    waiting[c] -= 1
                    if not waiting[c]:
                        heapq.heappush(ready, (key[c], rank[c], c))
        at = {v: i for i, v in enumerate(order)}
        return (tuple((key[v][1], key[v][0]) for v in order),
                tuple(sorted((at[u], at[v]) for u, v in edges)))

    @property
    def alike(self) -> dict[str, tuple[str, ...]]:
        """Repeated blocks: group -> every group with its signature (itself too, in natural
        order: ``layers.2`` before ``layers.10``), for the groups that have at least one twin."""
        if self._alike is None:
            for _ in self.alike_steps():
                pass
        assert self._alike is not None
        return self._alike

    def alike_steps(self, step: int = 200) -> Iterator[None]:
        """Work out `alike`, yielding after every `step` groups (a big graph's window answers
        in between); `alike` is known once the generator is done."""
        if self._alike is not None:
            return
        by_sig: dict[tuple, list[str]] = {}
        for k, g in enumerate(self.groups):
            sig = self.signature(g)
            if sig[0]:
                by_sig.setdefault(sig, []).append(g)
            if k % step == step - 1:
                yield
        alike: dict[str, tuple[str, ...]] = {}
        for same in by_sig.values():
            if len(same) > 1:
                one = tuple(same)   # one tuple for the class (12,500 layers alike: not 12,500)
                alike.update(dict.fromkeys(one, one))
        self._alike = alike

    def outermost(self, groups: Iterable[str]) -> list[str]:
        """Of `groups`, those no other of them holds (collapsing those alone is the same)."""
        chosen = set(groups)
        out = []
        for g in chosen:
            up, seen = self.parent.get(g), 0
            while up is not None and up not in chosen and seen <= len(self.parent):
                up, seen = self.parent.get(up), seen + 1
            if up is None:
                out.append(g)
        return sorted(out, key=_natural)


def group_tree(graph: nx.DiGraph) -> GroupTree:
    """The `GroupTree` of `graph`, made once and kept in ``graph.graph["_group_tree"]`` (export
    leaves keys starting with ``_`` out); a copy of the graph makes its own."""
    tree = graph.graph.get("_group_tree")
    if not isinstance(tree, GroupTree) or tree.graph is not graph:
        tree = graph.graph["_group_tree"] = GroupTree(graph)
    return tree


def group_tree_steps(graph: nx.DiGraph) -> Iterator[None]:
    """`group_tree(graph)` made a few thousand nodes at a time: a generator to exhaust between
    event-loop turns (a graph of 100,000 nodes takes a tenth of a second); `group_tree` then
    returns the tree at once.

    >>> g = nx.DiGraph()
    >>> g.add_node("a", group="net.fc")
    >>> for _ in group_tree_steps(g):
    ...     pass
    >>> group_tree(g).groups
    ['net.fc']
    """
    tree = graph.graph.get("_group_tree")
    if isinstance(tree, GroupTree) and tree.graph is graph:
        return
    tree = GroupTree.__new__(GroupTree)
    yield from tree._build_steps(graph)
    graph.graph["_group_tree"] = tree


def alike_label(group: str, count: int) -> str:
    """A group's title in the user's language: its name, a call number (``net (call 2)``) and
    its repeats (`count` groups alike, itself included; under 2 the name alone) sharing the
    brackets.

    >>> alike_label("layers.3", 12), alike_label("net (call 2)", 3), alike_label("fc", 0)
    ('layers.3 (×12 alike)', 'net (call 2, ×3 alike)', 'fc')
    """
    call = _CALL.search(group)
    if call is None:
        if count < 2:
            return group
        return Hierarchy.tr("{name} (×%n alike)", "", count).format(name=group)
    name, number = group[:call.start()], int(call.group(1))
    if count < 2:
        return translate("Hierarchy", "{name} (call {call})").format(name=name, call=number)
    return Hierarchy.tr("{name} (call {call}, ×%n alike)", "", count).format(name=name,
                                                                              call=number)


def needs_no_grad(attrs: dict) -> bool:
    """Whether a node is one "Hide constants" hides: a constant, or a tensor or function that
    does not require grad (collapsed groups' boxes never)."""
    if attrs.get("kind") == "group":
        return False
    return attrs.get("kind") == "constant" or attrs.get("requires_grad") is False


def bridged_without(graph: nx.DiGraph, hidden: Iterable[Hashable]) -> nx.DiGraph:
    """A copy of `graph` without the `hidden` nodes; where hidden nodes stood between shown
    ones, an edge joins them (``bridged=True``), so what feeds what stays readable.

    >>> g = nx.DiGraph([("a", "k"), ("k", "b"), ("c", "b")])
    >>> sorted(bridged_without(g, {"k"}).edges(data="bridged"))
    [('a', 'b', True), ('c', 'b', None)]
    """
    hidden = set(hidden) & set(graph)
    out = graph.copy()
    if not hidden:
        return out
    out.remove_nodes_from(hidden)
    for v in hidden:
        if any(u not in hidden for u in graph.predecessors(v)):
            ins = _shown_near(graph, v, hidden, graph.predecessors)
            outs = _shown_near(graph, v, hidden, graph.successors)
            for u in ins:
                for w in outs:
                    if u != w and not out.has_edge(u, w):
                        out.add_edge(u, w, bridged=True)
    return out


def _shown_near(graph, v, hidden, step):
    """The shown nodes reached from `v` through hidden ones only."""
    found, seen, stack = set(), {v}, [v]
    while stack:
        for w in step(stack.pop()):
            if w in seen:
                continue
            seen.add(w)
            (stack.append if w in hidden else found.add)(w)
    return found


def _natural(name: str) -> tuple:
    """Sort key: numbers inside names by value (``layers.2`` before ``layers.10``)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", name))

"""Layered (Sugiyama) layout of autograd graphs: layers, crossing reduction, coordinates.
Plain numpy + networkx, never Qt: ``LayeredLayout().compute(graph)`` gives what views draw."""
from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from .group_nesting import Nesting, frame_rows, layer_room, nested_order, pair_room
from .hierarchy import bridged_without, group_tree, needs_no_grad

__all__ = ["DEFAULT_SIZE", "Layout", "LayeredLayout", "collapse_group", "collapse_groups",
           "collapsible", "group_members", "inside_group"]

DEFAULT_SIZE = (120.0, 40.0)
_VIA = "\x00via"
_CALL = re.compile(r" \(call \d+\)$")  # a module's second, third, ... call  # first item of the key that matches a virtual node across layouts


class Layout:
    """Where `LayeredLayout.compute` put every node and edge.

    Attributes
    ----------
    positions : dict
        Node id -> ``(x, y)``, the centre of its box.
    edges : dict
        ``(u, v)`` -> list of ``(x, y)`` points from the border of ``u`` to the border of ``v``.
        Long edges bend only between layers; the long edges of one node share one trunk.
    bounds : tuple
        ``(x0, y0, x1, y1)`` around every box and edge point.
    crossings, initial_crossings : int
        Edge crossings after reduction, and in networkx's order of each generation.
    direction : str
        ``"TB"`` or ``"LR"``.
    layers : list of list
        The node ids of each layer, left to right (``"TB"``) or top to bottom (``"LR"``).
    boxes, box_edges : dict
        The collapsed groups' boxes (``"group:<name>"`` -> attributes as `collapse_group` made
        them: ``label``, ``members``) and the edges to and from them (with their attributes),
        and the edges that join the nodes around hidden ones (``bridged``, see
        `LayeredLayout.hide_no_grad`).
    """

    def __init__(self, positions: dict[Hashable, tuple[float, float]],
                 edges: dict[tuple[Hashable, Hashable], list[tuple[float, float]]],
                 bounds: tuple[float, float, float, float], crossings: int = 0,
                 initial_crossings: int = 0, direction: str = "TB", state: Any = None) -> None:
        self.positions, self.edges, self.bounds = positions, edges, bounds
        self.crossings, self.initial_crossings = int(crossings), int(initial_crossings)
        self.direction = direction
        self._state = state
        self._layers: list[list[Hashable]] | None = None
        # collapsed group box id -> its attributes (label, members, ...)
        self.boxes: dict[str, dict[str, Any]] = {}
        # (u, v) -> attributes, for the edges to and from those boxes
        self.box_edges: dict[tuple[Hashable, Hashable], dict[str, Any]] = {}
        # node id -> (w, h): the box sizes the layout placed (`compute`'s `sizes`)
        self.sizes: Mapping[Hashable, tuple[float, float]] = {}
        # how to make the groups' frames (group_nesting.frame_rows and its arguments)
        self._frame_rows: tuple | None = None
        self._frames: dict[str, list[tuple[float, float, float, float]]] | None = None
        self._frames_bounds: tuple[float, float, float, float] | None = None

    @property
    def frames(self) -> dict[str, list[tuple[float, float, float, float]]]:
        """Group name -> the rows of its frame, ``(x0, y0, x1, y1)`` each, along the flow (the
        first holds its title): the frame is their union. Rows of different groups never
        overlap unless one group holds the other (then its rows hold the inner one's)."""
        if self._frames is None:
            frames: dict[str, list[tuple[float, float, float, float]]] = {}
            if self._frame_rows is not None:
                make, args = self._frame_rows
                names, group, rect = make(*args)
                self._frame_rows = None
                if len(rect):
                    self._frames_bounds = (float(rect[:, 0].min()), float(rect[:, 1].min()),
                                           float(rect[:, 2].max()), float(rect[:, 3].max()))
                cuts = np.flatnonzero(np.diff(group)) + 1
                for part, rows in zip(np.split(group, cuts), np.split(rect, cuts)):
                    if len(part):
                        frames[names[int(part[0])]] = [tuple(r) for r in rows.tolist()]
            self._frames = frames
        return self._frames

    @property
    def frames_bounds(self) -> tuple[float, float, float, float] | None:
        """``(x0, y0, x1, y1)`` around every row of `frames`; None without frames."""
        _ = self.frames
        return self._frames_bounds

    @property
    def layers(self) -> list[list[Hashable]]:
        if self._layers is None:
            st = self._state
            layers = [] if st is None else [
                [st.ids[i] for i in members if i < len(st.ids)] for members in st.by_layer()]
            self._layers = layers
            return layers
        return self._layers

    def __repr__(self):
        return (f"Layout({len(self.positions)} nodes, {len(self.edges)} edges, "
                f"crossings={self.crossings}, direction={self.direction!r})")


class _State:
    """All layered nodes (real, then virtual) of a layout, for ``compute(previous=...)``."""

    def __init__(self, ids, layer, cross, breadth, owner, side):
        self.ids, self.layer, self.cross, self.breadth = ids, layer, cross, breadth
        self.owner, self.side = owner, side  # per virtual node: its trunk's node, out 0 / in 1

    def keys(self):
        """Ids, then ``(_VIA, trunk node id, side, layer)`` for each virtual node."""
        ids, n = self.ids, len(self.ids)
        return list(ids) + [(_VIA, ids[o], s, lay) for o, s, lay in zip(
            self.owner.tolist(), self.side.tolist(), self.layer[n:].tolist())]

    def by_layer(self):
        """Node indices of each layer, by cross coordinate."""
        o = np.lexsort((self.cross, self.layer))
        return [part.tolist() for part in np.split(o, np.flatnonzero(np.diff(self.layer[o])) + 1)]


def inside_group(graph: nx.DiGraph, scope: Any, group: str) -> bool:
    """Whether a node of group `scope` lies in `group`: `scope` is `group` or a group inside it,
    by ``graph.graph["group_parent"]`` (one module call holds its submodules' calls of that
    call, see gui/model/graph.py), else by the dotted name (``"block0.attn"`` in ``"block0"``).

    >>> g = nx.DiGraph(group_parent={"net.fc (call 2)": "net (call 2)"})
    >>> inside_group(g, "net.fc (call 2)", "net (call 2)"), inside_group(g, "net.fc (call 2)", "net")
    (True, False)
    """
    if not isinstance(scope, str):
        return False
    parents = graph.graph.get("group_parent")
    if parents is None:
        return scope == group or scope.startswith(group + ".")
    seen = 0
    while scope is not None and seen <= len(parents):
        if scope == group:
            return True
        scope, seen = parents.get(scope), seen + 1
    return False


def group_members(graph: nx.DiGraph, group: str) -> set:
    """The nodes that collapsing `group` puts in its box: its own and those of groups inside it."""
    return {v for v, g in graph.nodes(data="group") if inside_group(graph, g, group)}


def collapse_group(graph: nx.DiGraph, group: str) -> nx.DiGraph:
    """Return a copy of `graph` where the nodes of `group` are one box node ``"group:<group>"``.

    Members are the nodes whose ``group`` attribute is `group` or a scope inside it
    (``"block0.attn"`` is inside ``"block0"``). Edges to and from members go to the box; edges
    inside the group vanish (no self loops). A group without members gives a plain copy.

    Parameters
    ----------
    graph : networkx.DiGraph
    group : str

    Returns
    -------
    networkx.DiGraph
        The box has ``kind="group"``, ``label=group`` and ``members`` (their ids, in order).

    Raises
    ------
    ValueError
        If the box would close a cycle (a path leaves the group and comes back).

    Examples
    --------
    >>> g = nx.DiGraph([("x", "a"), ("a", "b"), ("b", "y")])
    >>> nx.set_node_attributes(g, {"a": "fc", "b": "fc"}, "group")
    >>> sorted(collapse_group(g, "fc").edges())
    [('group:fc', 'y'), ('x', 'group:fc')]
    """
    return collapse_groups(graph, [group])


def _holders(graph: nx.DiGraph, scope: Any):
    """`scope` and the groups around it, innermost first (as `inside_group` reads them)."""
    if not isinstance(scope, str):
        return
    parents = graph.graph.get("group_parent")
    seen = 0
    while scope:
        yield scope
        if parents is None:
            scope = scope.rpartition(".")[0]
        else:
            scope, seen = parents.get(scope), seen + 1
            if seen > len(parents):
                return


def collapse_groups(graph: nx.DiGraph, groups: Iterable[str]) -> nx.DiGraph:
    """`collapse_group` for several groups at once, in one pass: each node goes into the box
    of the outermost of `groups` around it (a group inside another collapsed one is part of
    that box). Raises ValueError naming the groups if the boxes would close a cycle.

    >>> g = nx.DiGraph([("x", "a"), ("a", "b"), ("b", "c")], group_parent={"n.fc": "n"})
    >>> nx.set_node_attributes(g, {"a": "n.fc", "b": "n", "c": "m"}, "group")
    >>> sorted(collapse_groups(g, ["n.fc", "n", "m"]).edges())
    [('group:n', 'group:m'), ('x', 'group:n')]
    """
    chosen = {g for g in groups if isinstance(g, str)}
    if not chosen:
        return graph.copy()
    box_of: dict[Hashable, str] = {}
    owners: dict[str, Any] = {}   # group -> its outermost chosen holder (None: not collapsed)
    for v, scope in graph.nodes(data="group"):
        if not isinstance(scope, str):
            continue
        if scope not in owners:
            outer = None
            for g in _holders(graph, scope):
                if g in chosen:
                    outer = g
            owners[scope] = outer
        if owners[scope] is not None:
            box_of[v] = owners[scope]
    if not box_of:
        return graph.copy()
    # each box sits in the innermost group around its own that has nodes of its own (the
    # user's names are dotted too: "model.0" lies in no group "model" unless one exists)
    has_own = {g for _, g in graph.nodes(data="group") if isinstance(g, str)}
    where: dict[str, Any] = {}
    members: dict[str, list] = {}
    for v, name in box_of.items():
        members.setdefault(name, []).append(v)
        if name not in where:
            where[name] = next((g for g in list(_holders(graph, name))[1:] if g in has_own),
                               None)
    out = nx.DiGraph()
    out.graph.update(graph.graph)
    for v, data in graph.nodes(data=True):
        box = box_of.get(v)
        if box is None:
            out.add_node(v, **data)
        elif f"group:{box}" not in out:  # where the first member was: order barely changes
            out.add_node(f"group:{box}", kind="group", role="group", label=box, op=None,
                         group=where[box], members=tuple(members[box]))
    for u, v, data in graph.edges(data=True):
        u = f"group:{box_of[u]}" if u in box_of else u
        v = f"group:{box_of[v]}" if v in box_of else v
        if u != v and not out.has_edge(u, v):
            out.add_edge(u, v, **data)
    if not nx.is_directed_acyclic_graph(out):
        cycle = " -> ".join(str(u) for u, _ in nx.find_cycle(out))
        named = sorted({str(u)[6:] for u, _ in nx.find_cycle(out) if str(u).startswith("group:")})
        what = f"group {named[0]!r}" if len(named) == 1 else \
            "groups " + ", ".join(repr(n) for n in named)
        raise ValueError(f"collapsing {what} would make a cycle: {cycle}")
    return out


def collapsible(graph: nx.DiGraph, groups: Iterable[str]) -> list[str]:
    """Of `groups`, those that can be collapsed together: a group whose box would close a
    cycle (a path leaves it and comes back) is left open, the rest are kept.

    >>> g = nx.DiGraph([("a", "x"), ("x", "b")])
    >>> nx.set_node_attributes(g, {"a": "fc", "b": "fc"}, "group")
    >>> collapsible(g, ["fc"])
    []
    """
    kept = list(dict.fromkeys(groups))
    while kept:
        try:
            collapse_groups(graph, kept)
            return kept
        except ValueError:
            out = _boxes_graph(graph, kept)
            bad = {str(u)[6:] for u, _ in nx.find_cycle(out) if str(u).startswith("group:")}
            kept = [g for g in kept if g not in bad]
    return kept


def _boxes_graph(graph, groups):
    """The collapsed graph without the cycle check (to find what closes a cycle)."""
    box_of = {}
    for v, scope in graph.nodes(data="group"):
        outer = None
        for g in _holders(graph, scope):
            if g in groups:
                outer = g
        if outer is not None:
            box_of[v] = f"group:{outer}"
    out = nx.DiGraph()
    out.add_nodes_from(box_of.get(v, v) for v in graph)
    out.add_edges_from((box_of.get(u, u), box_of.get(v, v)) for u, v in graph.edges()
                       if box_of.get(u, u) != box_of.get(v, v))
    return out


class LayeredLayout:
    """Sugiyama-style layered layout from networkx building blocks and whole-array numpy steps.

    1. Layers: `networkx.topological_generations`, then nodes that only feed forward (leaves,
       AccumulateGrad -> TBackward0 chains, constants) move down next to their first consumer.
    2. Long edges get one virtual node per layer crossed; the long edges of one node share
       them (a trunk), so a weight used by every step of an RNN costs one trunk, not one each.
    3. Crossing reduction: barycenter sweeps down and up, several passes, best order kept.
    4. Coordinates: a median alignment (Brandes-Koepf style, four ways, combined) that keeps
       chains, trunks and the longest path straight; boxes never overlap. Groups (module calls,
       ``group`` attributes) keep their nodes side by side in each layer, nested as intervals
       (`group_nesting.nested_order`), with room between them for their frames, whose rows
       (`Layout.frames`) never overlap: no layer is added for them.
    5. Module calls: where two calls of one module (``net``, ``net (call 2)``) would come
       closer than a frame's margins, every top-level group keeps its nodes together in each
       layer (one order of the groups for all layers) and the calls move `group_gap` apart.

    Parameters
    ----------
    direction : {"TB", "LR"}
        Inputs at the top (``"TB"``) or on the left (``"LR"``); may be changed between calls.
    layer_gap, node_gap : float
        Space between layers, and between neighbouring boxes of one layer.
    default_size : tuple of float
        ``(w, h)`` of the nodes missing from `sizes`.
    max_passes : int
        Most barycenter sweeps.
    group_gap : float
        Least space across the layers between two top-level calls of one module (``net``,
        ``net (call 2)``) that share a layer: each top-level group's nodes stay together in
        every layer, and the frames of one module's calls never overlap.

    Attributes
    ----------
    hide_no_grad : bool
        Leave out the constants and the nodes that need no gradient
        (`gui.model.hierarchy.needs_no_grad`), joining what they stood between; False at first.

    Examples
    --------
    >>> g = nx.DiGraph([("x", "MulBackward0"), ("w", "MulBackward0"), ("MulBackward0", "y")])
    >>> lay = LayeredLayout().compute(g)
    >>> lay.positions["x"][1] < lay.positions["MulBackward0"][1] < lay.positions["y"][1]
    True
    """

    def __init__(self, direction="TB", layer_gap=50.0, node_gap=30.0, default_size=DEFAULT_SIZE,
                 max_passes=24, group_gap=60.0):
        _check_direction(direction)
        self.direction = direction
        self.layer_gap, self.node_gap = float(layer_gap), float(node_gap)
        self.default_size = tuple(float(s) for s in default_size)
        self.max_passes = int(max_passes)
        self.group_gap = float(group_gap)
        self._collapsed = set()
        self.hide_no_grad = False

    @property
    def collapsed(self) -> frozenset[str]:
        """frozenset of str: the groups that `compute` draws as one box."""
        return frozenset(self._collapsed)

    def collapse(self, group: str) -> None:
        """Draw `group` (and the scopes inside it) as one box from the next `compute` on."""
        self._collapsed.add(group)

    def expand(self, group: str) -> None:
        """Undo `collapse`: draw the nodes of `group` again."""
        self._collapsed.discard(group)

    def set_collapsed(self, groups: Iterable[str]) -> None:
        """Draw exactly `groups` as boxes from the next `compute` on (collapse all to depth N,
        collapse all alike; an empty set expands all)."""
        self._collapsed = {g for g in groups if isinstance(g, str)}

    def compute(self, graph: nx.DiGraph,
                sizes: Mapping[Hashable, tuple[float, float]] | None = None,
                previous: Layout | None = None) -> Layout:
        """Lay out `graph`.

        Parameters
        ----------
        graph : networkx.DiGraph
            Edges point the way data flows forward; nodes may carry a ``group`` attribute.
        sizes : dict, optional
            Node id -> ``(w, h)``; nodes missing get `default_size`.
        previous : Layout, optional
            A layout of an earlier version of the graph. Nodes that were in it keep their
            order within their layer, and layers that did not change keep their positions
            (when the direction is the same), so an edit does not make the picture jump.

        Returns
        -------
        Layout

        Raises
        ------
        ValueError
            If `graph` has a cycle.
        """
        _check_direction(self.direction)
        original = graph
        if self.hide_no_grad:
            graph = bridged_without(graph, [v for v, a in graph.nodes(data=True)
                                            if needs_no_grad(a)])
        if self._collapsed:
            graph = collapse_groups(graph, self._collapsed)
        layout = _compute(graph, sizes or {}, previous, self)
        layout.sizes = sizes or {}
        if graph is not original:
            layout.boxes = {v: dict(a) for v, a in graph.nodes(data=True)
                            if a.get("kind") == "group" and v not in original}
            alike = group_tree(original).alike if layout.boxes else {}
            for attrs in layout.boxes.values():
                if attrs.get("label") in alike:   # a repeated block: how many there are
                    attrs["alike"] = len(alike[attrs["label"]])
            layout.box_edges = {e: dict(a) for e, a in graph.edges.items()
                                if e[0] in layout.boxes or e[1] in layout.boxes
                                or not original.has_edge(*e)}
        return layout


def _check_direction(direction):
    if direction not in ("TB", "LR"):
        raise ValueError(f"direction must be 'TB' or 'LR', not {direction!r}")


def _compute(graph, sizes, previous, opts):
    """`LayeredLayout.compute` after groups are collapsed; `opts` is the LayeredLayout."""
    if not graph.is_directed():
        raise ValueError("LayeredLayout needs a networkx.DiGraph")
    tb, ids = opts.direction == "TB", list(graph)
    n = len(ids)
    if n == 0:
        return Layout({}, {}, (0.0, 0.0, 0.0, 0.0), direction=opts.direction)
    index = {v: i for i, v in enumerate(ids)}
    edge_list = list(graph.edges())
    src = np.fromiter((index[u] for u, _ in edge_list), np.intp, len(edge_list))
    dst = np.fromiter((index[v] for _, v in edge_list), np.intp, len(edge_list))
    layer, nx_rank, depth, height, spine = _layers(graph, index, src, dst)
    virt = _virtual_nodes(layer, src, dst)
    m = n + len(virt["layer"])
    lay = np.concatenate([layer, virt["layer"]])
    nlayers = int(lay.max()) + 1
    wh = np.array([sizes.get(w, opts.default_size) for w in ids], float).reshape(n, 2)
    breadth = np.concatenate([wh[:, 0 if tb else 1], np.zeros(m - n)])  # across the layer
    thick = np.concatenate([wh[:, 1 if tb else 0], np.zeros(m - n)])    # along the flow
    seg_a, seg_b = virt["seg_a"], virt["seg_b"]
    pos0 = _ranks(lay, np.concatenate([nx_rank, nx_rank[virt["owner"]]]), nlayers)

    fixed, start, old = np.zeros(m, bool), pos0, None
    if previous is not None and previous._state is not None:
        keys = _State(ids, lay, None, breadth, virt["owner"], virt["side"]).keys()
        old = (previous._state, previous._state.keys(), keys)
        was = dict(zip(old[1], previous._state.cross.tolist()))
        prev_cross = np.array([was.get(k, np.nan) for k in keys])
        fixed = ~np.isnan(prev_cross)
        start = _ranks(lay, np.where(fixed, prev_cross, np.inf), nlayers, pos0)
    pos, crossings, initial = _reduce_crossings(lay, pos0, start, seg_a, seg_b, fixed, nlayers,
                                                opts.max_passes, n, spine)
    # every group's nodes side by side in each layer, groups nested as intervals
    scopes = [graph.nodes[v].get("group") for v in ids]
    nest = _nesting(graph, scopes, virt, n, src, dst, tb)
    if nest is not None:
        grouped = nested_order(pos, lay, nlayers, nest)
        moved = np.zeros(nlayers, bool)
        moved[lay[grouped != pos]] = True
        if moved.any():   # the crossings of the layer pairs that changed, again
            hit = (moved | np.append(moved[1:], False))[lay[seg_a]]
            sa, sb, sl = seg_a[hit], seg_b[hit], lay[seg_a][hit]
            crossings += int(_pair_crossings(sl, grouped[sa], grouped[sb], nlayers).sum()
                             - _pair_crossings(sl, pos[sa], pos[sb], nlayers).sum())
            pos = grouped
    # each top-level group (module call) keeps its nodes together, in every layer, so the
    # frames of sibling calls never overlap (net, net (call 2), ... side by side)
    # Nodes line up with the neighbour on their longest path; virtual nodes rank by where their
    # data comes from (out-trunks) or goes to (in-trunks).
    own, out_t = virt["owner"], virt["side"] == 0
    prio_up = np.concatenate([depth, np.where(out_t, depth[own], -1)]) + 1
    prio_down = np.concatenate([height, np.where(out_t, -1, height[own])]) + 1
    dummy = np.arange(m) >= n
    cross = _place(pos, lay, nlayers, breadth, dummy, seg_a, seg_b, opts.node_gap, prio_up,
                   prio_down, spine, nest)
    # where the calls of one module (net, net (call 2), ...) would overlap, each top-level
    # group keeps its nodes together in every layer and the calls move apart
    tops, names = _top_groups(nest, n)
    cluster = np.concatenate([tops, np.full(m - n, -1)])
    module = np.unique([_CALL.sub("", name) for name in names] or [""], return_inverse=True)[1]
    if len(names) > 1 and _calls_overlap(cross, breadth, lay, cluster, module, 30.0):
        pos, rank = _cluster_order(pos, lay, nlayers, cluster)
        crossings = int(_pair_crossings(lay[seg_a], pos[seg_a], pos[seg_b], nlayers).sum())
        cross = _place(pos, lay, nlayers, breadth, dummy, seg_a, seg_b, opts.node_gap,
                       prio_up, prio_down, spine, nest)
        cross = _separate_clusters(cross, breadth, lay, rank, cluster, opts.group_gap, module)
    band = np.zeros(nlayers)
    np.maximum.at(band, lay, thick)
    gap = np.full(nlayers, opts.layer_gap)   # gap[k]: after layer k
    if nest is not None:   # room for the frames ending and beginning between two layers
        gap[:-1] = np.maximum(gap[:-1], layer_room(nest, lay, nlayers)[1:])
    top = np.concatenate([[0.0], np.cumsum(band + gap)[:-1]])
    along = (top + band / 2)[lay]
    if old is not None and previous.direction == opts.direction and fixed.any():
        cross = _keep_previous(cross, prev_cross, old, lay, breadth, pos, nlayers)
    else:
        cross = cross - (cross - breadth / 2).min()

    xy = (cross, along) if tb else (along, cross)
    positions = dict(zip(ids, zip(xy[0][:n].tolist(), xy[1][:n].tolist())))
    edges = _polylines(edge_list, src, dst, virt, cross, along, thick, top, band, lay, n, tb)
    lo = ((cross - breadth / 2).min(), (along - thick / 2).min())
    hi = ((cross + breadth / 2).max(), (along + thick / 2).max())
    bounds = (*lo, *hi) if tb else (lo[1], lo[0], hi[1], hi[0])
    layout = Layout(positions, edges, tuple(float(b) for b in bounds), crossings, initial,
                    opts.direction, _State(ids, lay, cross, breadth, virt["owner"], virt["side"]))
    if nest is not None:   # made when first asked for (`Layout.frames`)
        layout._frame_rows = (frame_rows, (nest, lay, nlayers, cross, breadth, top, band, tb, n))
    return layout


def _nesting(graph, scopes, virt, n, src, dst, tb):
    """`group_nesting.Nesting` of the layered nodes: the groups with nodes of their own
    around each (as `inside_group` nests them), None when no node is in a group."""
    known = dict.fromkeys(g for g in scopes if isinstance(g, str))   # in order: deterministic
    if not known:
        return None
    index = {g: k for k, g in enumerate(known)}
    chains = [tuple(reversed([g for g in _holders(graph, scope) if g in known]))
              for scope in known]
    scope_of = np.fromiter((index[g] if isinstance(g, str) else -1 for g in scopes), np.intp,
                           len(scopes))
    return Nesting.build(scope_of, chains, virt, n, src, dst, tb)


def _layers(graph, index, src, dst):
    """Layer, networkx rank, depth, height and main-path successor of each node."""
    n = len(index)
    try:
        gens = list(nx.topological_generations(graph))
    except nx.NetworkXUnfeasible:
        cycle = " -> ".join(str(u) for u, _ in nx.find_cycle(graph))
        raise ValueError(f"graph has a cycle ({cycle}); autograd graphs are acyclic") from None
    topo = np.fromiter((index[v] for gen in gens for v in gen), np.intp, n)
    depth, nx_rank = np.empty(n, np.intp), np.empty(n, np.intp)
    depth[topo] = np.repeat(np.arange(len(gens)), [len(g) for g in gens])
    nx_rank[topo] = np.arange(n)
    outdeg = np.bincount(src, minlength=n).tolist()
    by_src, by_dst = np.argsort(src, kind="stable"), np.argsort(dst, kind="stable")
    succ, pred = dst[by_src].tolist(), src[by_dst].tolist()
    s_at = np.concatenate([[0], np.cumsum(outdeg)]).tolist()
    p_at = np.concatenate([[0], np.cumsum(np.bincount(dst, minlength=n))]).tolist()
    # A node moves down to just above its first consumer when the edges do not grow in total:
    # `cost` counts the edges that would stretch; single-output inputs move along with it.
    cost = [0] * n
    for v in topo.tolist():
        cost[v] = sum(cost[u] if outdeg[u] == 1 and cost[u] <= 1 else 1
                      for u in pred[p_at[v]:p_at[v + 1]])
    lay, height = depth.tolist(), [0] * n
    get, hget = lay.__getitem__, height.__getitem__
    for v in topo[::-1].tolist():
        if outdeg[v]:
            out = succ[s_at[v]:s_at[v + 1]]
            height[v] = 1 + max(map(hget, out))  # longest path to an output
            if outdeg[v] >= cost[v]:
                lay[v] = max(lay[v], min(map(get, out)) - 1)
    layer = np.unique(np.array(lay, np.intp), return_inverse=True)[1].reshape(n)
    spine = np.full(n, -1)  # one longest path: the main data path, drawn straight
    v = max(topo.tolist(), key=hget)
    while outdeg[v]:
        spine[v] = v = next(w for w in succ[s_at[v]:s_at[v + 1]] if height[w] == height[v] - 1)
    return layer, nx_rank, depth, np.array(height), spine


def _top_groups(nest, n):
    """Per real node (the first `n` of `nest`, a `group_nesting.Nesting` or None): a number
    for the outermost group around it (its top-level module call), -1 for nodes in no group,
    numbered in the order the groups first appear; and the groups' names by number."""
    if nest is None:
        return np.full(n, -1, np.intp), []
    top = nest.level[0, :n]
    grouped = top >= 0
    numbers, inverse = np.unique(top[grouped], return_inverse=True)
    out = np.full(n, -1, np.intp)
    out[grouped] = inverse
    return out, [nest.names[int(g)] for g in numbers]


def _calls_overlap(cross, breadth, lay, cluster, module, gap):
    """Whether two top-level groups that are calls of one module share a layer and come
    closer than `gap` across the layers."""
    calls = np.bincount(module)
    if calls.max(initial=0) < 2:   # no module called twice (a model's layers, an RNN's steps)
        return False
    grouped = np.flatnonzero(cluster >= 0)
    c = cluster[grouped]
    count = int(c.max()) + 1
    lo, hi = np.full(count, np.inf), np.full(count, -np.inf)
    first, last = np.full(count, lay.max() + 1), np.full(count, -1)
    np.minimum.at(lo, c, (cross - breadth / 2)[grouped])
    np.maximum.at(hi, c, (cross + breadth / 2)[grouped])
    np.minimum.at(first, c, lay[grouped])
    np.maximum.at(last, c, lay[grouped])
    for j in np.flatnonzero(calls[module] > 1).tolist():
        near = (module == module[j]) & (first <= last[j]) & (last >= first[j])
        near[j] = False
        if (near & (lo < hi[j] + gap) & (hi > lo[j] - gap)).any():
            return True
    return False


def _cluster_order(pos, lay, nlayers, cluster):
    """Reorder each layer so each cluster's nodes are contiguous, clusters in one order for
    all layers (by their mean place across the layers); a node in no cluster stays after the
    cluster node before it. Returns (new ranks, each node's key in that order)."""
    width = np.bincount(lay, minlength=nlayers)
    spread = np.maximum(width[lay] - 1, 1)
    grouped = cluster >= 0
    mean = np.bincount(cluster[grouped], weights=pos[grouped] / spread[grouped])
    count = np.bincount(cluster[grouped])
    order_c = np.argsort(mean / np.maximum(count, 1), kind="stable")
    rank_c = np.empty(len(order_c), np.intp)
    rank_c[order_c] = np.arange(len(order_c))
    o = np.lexsort((pos, lay))
    key_o = np.where(grouped[o], rank_c[np.maximum(cluster[o], 0)], -1)
    starts = np.zeros(len(o), bool)
    starts[np.flatnonzero(np.diff(lay[o])) + 1] = True
    starts[0] = True
    last = np.maximum.accumulate(np.where(grouped[o] | starts, np.arange(len(o)), 0))
    key_o = key_o[last]   # the key of the cluster node before it (or -1 first in its layer)
    key = np.empty(len(o), np.intp)
    key[o] = key_o
    return _ranks(lay, key, nlayers, pos), key


def _separate_clusters(cross, breadth, lay, key, cluster, gap, module):
    """Shift the clusters apart across the layers (keys in order, never back, so no box of a
    layer passes another) until two calls of one module (`module`: a number per cluster) that
    share a layer are `gap` apart; a node in no cluster moves with the cluster before it and
    counts for no extent."""
    keys = np.unique(key[cluster >= 0])
    of_key = np.empty(len(keys), np.intp)   # the module of each key's cluster
    of_key[np.searchsorted(keys, key[cluster >= 0])] = module[cluster[cluster >= 0]]
    own = [(key == k) & (cluster >= 0) for k in keys]
    lo = np.array([(cross - breadth / 2)[w].min() for w in own])
    hi = np.array([(cross + breadth / 2)[w].max() for w in own])
    first = np.array([lay[w].min() for w in own])
    last = np.array([lay[w].max() for w in own])
    shift = np.zeros(len(keys))
    for j in range(1, len(keys)):
        shift[j] = shift[j - 1]
        near = (first[:j] <= last[j]) & (last[:j] >= first[j]) & (of_key[:j] == of_key[j])
        if near.any():
            shift[j] = max(shift[j], float((hi[:j][near] + shift[:j][near]).max()) + gap - lo[j])
    at = np.searchsorted(keys, key)   # key -1 (before every cluster in its layer): no shift
    return cross + np.where(key >= 0, shift[np.minimum(at, len(keys) - 1)], 0.0)


def _virtual_nodes(layer, src, dst):
    """Virtual nodes (numbered after the real ones, trunk by trunk) and one-layer segments.

    A long edge joins its source's trunk if the source has at least as many long out-edges as
    the target has long in-edges, else the target's trunk."""
    n = len(layer)
    span = layer[dst] - layer[src]
    long_e = np.flatnonzero(span > 1)
    ls, ld = src[long_e], dst[long_e]
    out_side = np.bincount(ls, minlength=n)[ls] >= np.bincount(ld, minlength=n)[ld]
    tkeys, trunk = np.unique(np.where(out_side, ls * 2, ld * 2 + 1), return_inverse=True)
    t_lo, t_hi = np.full(len(tkeys), layer.max()), np.full(len(tkeys), -1)
    np.minimum.at(t_lo, trunk, layer[ls] + 1)
    np.maximum.at(t_hi, trunk, layer[ld] - 1)
    count = t_hi - t_lo + 1
    first = (n + np.cumsum(count) - count).astype(np.intp)
    last = first + count - 1
    t_of = np.repeat(np.arange(len(tkeys)), count)
    d_layer = t_lo[t_of] + np.arange(n, n + count.sum()) - first[t_of]
    owner, side = tkeys // 2, tkeys % 2
    chain = np.setdiff1d(np.arange(n, n + count.sum()), last)
    e_first = first[trunk] + layer[ls] + 1 - t_lo[trunk]
    e_last = first[trunk] + layer[ld] - 1 - t_lo[trunk]
    seg_a = [src[span == 1], chain, owner[side == 0], last[side == 1], e_last[out_side],
             ls[~out_side]]
    seg_b = [dst[span == 1], chain + 1, first[side == 0], owner[side == 1], ld[out_side],
             e_first[~out_side]]
    return {"layer": d_layer.astype(np.intp), "owner": owner[t_of], "side": side[t_of],
            "seg_a": np.concatenate(seg_a).astype(np.intp),
            "seg_b": np.concatenate(seg_b).astype(np.intp),
            "long": long_e, "first": e_first, "last": e_last, "trunk_first": first}


def _ranks(layer, key, nlayers, tie=None):
    """Rank of each node within its layer when sorted by `key`, then `tie`."""
    o = np.lexsort((key, layer) if tie is None else (tie, key, layer))
    width = np.bincount(layer, minlength=nlayers)
    pos = np.empty(len(layer), np.intp)
    pos[o] = np.arange(len(layer)) - np.repeat(np.cumsum(width) - width, width)
    return pos


def _pair_crossings(pair, pa, pb, npairs):
    """Crossings between each pair of adjacent layers; segments grouped by `pair` (upper layer).

    Counts segments i, j with ``pa[i] < pa[j]`` and ``pb[i] > pb[j]``: an inversion count one
    bit of ``pb`` at a time, every pair at once, O(segments * log(width)).
    """
    counts = np.zeros(npairs)
    if len(pair) < 2:
        return counts
    o = np.lexsort((pb, pa, pair))
    grp, t, owner = pair[o].astype(np.int64), pb[o], pair[o]
    size = len(t)
    idx = np.arange(size)
    for b in range(int(t.max()).bit_length() - 1, -1, -1):
        bit = (t >> b) & 1
        cut = np.concatenate([[0], np.flatnonzero(np.diff(grp)) + 1, [size]])
        start, end = np.repeat(cut[:-1], np.diff(cut)), np.repeat(cut[1:], np.diff(cut))
        zeros = np.append(0, np.cumsum(1 - bit))  # 0-bits before each index
        zeros_before = zeros[:-1] - zeros[start]
        ones_before = idx - start - zeros_before  # in the group, each 0-bit crosses those
        zero = bit == 0
        counts += np.bincount(owner[zero], weights=ones_before[zero], minlength=npairs)
        # then split each group in two, 0-bits first, order kept
        new = start + np.where(zero, zeros_before, zeros[end] - zeros[start] + ones_before)
        perm = np.empty(size, np.intp)
        perm[new] = idx
        t, grp, owner = t[perm], (grp * 2 + bit)[perm], owner[perm]
    return counts


def _reduce_crossings(lay, pos0, start, seg_a, seg_b, fixed, nlayers, max_passes, n, spine,
                      colours=64):
    """Barycenter sweeps, down and up in turn; returns (best ranks, crossings, initial).

    A sweep updates the layers of one colour (``layer % colours``) at a time, with a few numpy
    calls each: within each window of `colours` layers it is the sequential sweep, and its cost
    does not grow with depth. Trunk and main-path nodes follow their own line, so nothing
    crosses those. Nodes in `fixed` keep their order among themselves."""
    m, seg_l = len(lay), lay[seg_a]
    initial = int(_pair_crossings(seg_l, pos0[seg_a], pos0[seg_b], nlayers).sum())
    pos = start.copy()
    per_pair = _pair_crossings(seg_l, pos[seg_a], pos[seg_b], nlayers)
    best, best_pos = per_pair.sum(), pos.copy()
    if best == 0:
        return best_pos, 0, initial
    k = min(colours, nlayers)
    colour = lay % k
    by_colour = np.argsort(colour * nlayers + lay, kind="stable")
    cuts = np.searchsorted(colour[by_colour], np.arange(k + 1))
    local = np.empty(m, np.intp)
    dummy = np.arange(m) >= n
    inner = dummy[seg_a] & dummy[seg_b]
    main = np.append(spine, np.full(m - n, -1))[seg_a] == seg_b
    on_main = np.bincount(np.append(seg_a[main], seg_b[main]), minlength=m) > 0
    plan = {}
    for down in (True, False):
        nbr, tgt = (seg_a, seg_b) if down else (seg_b, seg_a)
        use = (~dummy[tgt] | inner | ~np.isin(tgt, tgt[inner])) & (~on_main[tgt] | main)
        nbr, tgt = nbr[use], tgt[use]
        steps = []
        for r in range(k):
            nodes = by_colour[cuts[r]:cuts[r + 1]]
            local[nodes] = np.arange(len(nodes))
            sel = colour[tgt] == r
            nb, tl = nbr[sel], local[tgt[sel]]
            deg = np.bincount(tl, minlength=len(nodes))
            lay_r = lay[nodes]
            steps.append((nodes, nb, tl, np.maximum(deg, 1), (deg > 0) & ~fixed[nodes],
                          lay_r, np.searchsorted(lay_r, lay_r)))
        plan[down] = steps if down else [steps[(nlayers - 1 - j) % k] for j in range(k)]
    stale = still = 0
    for sweep in range(max_passes):
        if best == 0 or stale >= 4 or still >= 2:
            break
        moved = np.zeros(nlayers, bool)
        for nodes, nb, tl, deg, free, lay_r, base in plan[sweep % 2 == 0]:
            cur = pos[nodes]
            key = np.where(free, np.bincount(tl, pos[nb], len(nodes)) / deg, cur)
            new = np.empty(len(nodes), np.intp)
            new[np.lexsort((cur, key, lay_r))] = np.arange(len(nodes)) - base
            moved[lay_r[new != cur]] = True
            pos[nodes] = new
        still = 0 if moved.any() else still + 1
        hit = moved | np.append(moved[1:], False)  # recount the layer pairs that changed
        sel = hit[seg_l]
        per_pair[hit] = 0
        per_pair += _pair_crossings(seg_l[sel], pos[seg_a[sel]], pos[seg_b[sel]], nlayers)
        if per_pair.sum() < best:
            best, best_pos, stale = per_pair.sum(), pos.copy(), 0
        else:
            stale += 1
    return best_pos, int(best), initial


def _place(pos, lay, nlayers, breadth, dummy, seg_a, seg_b, gap, prio_up, prio_down, spine,
           nest=None):
    """Cross-axis coordinates: four alignments (to parents or children, packed to the left or
    the right), shifted onto the narrowest and combined by their median, as Brandes & Koepf.
    The median of feasible placements is feasible, so boxes never overlap (nor, with `nest`,
    the frames of groups: `group_nesting.pair_room` between neighbours)."""
    width = np.bincount(lay, minlength=nlayers)
    upper = np.flatnonzero(spine >= 0)
    runs = []
    for down in (True, False):
        child, parent = (seg_b, seg_a) if down else (seg_a, seg_b)
        prios = (prio_up, prio_down) if down else (prio_down, prio_up)
        main = (spine[upper], upper) if down else (upper, spine[upper])
        for left in (True, False):
            p = pos if left else width[lay] - 1 - pos
            x = _pack(p, lay, width, breadth, dummy, child, parent, gap, *prios, main,
                      nest, left)
            runs.append(x if left else -x)
    lo, hi = [(x - breadth / 2).min() for x in runs], [(x + breadth / 2).max() for x in runs]
    k = int(np.argmin(np.subtract(hi, lo)))
    both = np.sort([x + (lo[k] - lo[i] if i % 2 == 0 else hi[k] - hi[i])
                    for i, x in enumerate(runs)], axis=0)
    return (both[1] + both[2]) / 2


def _pack(p, lay, width, breadth, dummy, child, parent, gap, prio_par, prio_kid, main,
          nest=None, left=True):
    """One alignment packed to the left (low `p`): the x of every node.

    A node aligns with its preferred parent if that parent prefers it back; trunk links go
    first, then the main path, then the rest, each only where it crosses no link kept so far.
    Aligned nodes form blocks sharing one x, packed by per-layer projections (cumulative
    maxima), or by an exact longest-path pass when those converge slowly."""
    m = len(p)
    lstart = np.cumsum(width) - width
    at = lstart[lay] + p  # arrangement index: layer by layer, left to right
    order = np.empty(m, np.intp)
    order[at] = np.arange(m)
    lay_o, b_o, d_o = lay[order], breadth[order], dummy[order]
    sep = np.zeros(m)
    sep[1:] = (b_o[1:] + b_o[:-1]) / 2 + np.where(d_o[1:] | d_o[:-1], gap / 2, gap)
    if nest is not None:   # room for the frames between neighbours (`left`: low `p` first)
        low, high = (order[:-1], order[1:]) if left else (order[1:], order[:-1])
        near = np.flatnonzero((nest.count[low] > 0) | (nest.count[high] > 0))
        sep[1 + near] = np.maximum(sep[1 + near], (b_o[1:][near] + b_o[:-1][near]) / 2
                                   + pair_room(nest, low[near], high[near]))
    sep[lstart] = 0.0
    c = np.cumsum(sep)
    c -= c[np.repeat(lstart, width)]

    def project(xn):  # the smallest x >= xn with neighbours `sep` apart (arrangement order)
        v = xn - c
        v0 = v.min()
        off = lay_o * (v.max() - v0 + 1.0)
        return c + np.maximum.accumulate(v - v0 + off) - off + v0

    wide = int(width.max()) + 1
    up = _preferred(child, parent, p, prio_par, dummy, wide)
    down = _preferred(parent, child, p, prio_kid, dummy, wide)
    up[main[0]], down[main[1]] = main[1], main[0]
    kids = order[up[order] >= 0]
    kids = kids[down[up[kids]] == kids]
    par = up[kids]
    inner = dummy[kids] & dummy[par]
    on_main = np.zeros(m, bool)
    on_main[main[0]] = True
    on_main = on_main[kids] & ~inner
    ok = _records(p[par], lay[kids], inner, wide)
    for cls in (on_main, ~inner & ~on_main):
        ok = _records(p[par], lay[kids], ok | (cls & ~_crossing(ok, kids, par, at, p, lay)), wide)
    root = np.arange(m)
    root[kids[ok]] = par[ok]
    while not np.array_equal(root[root], root):
        root = root[root]
    by_root = np.argsort(root[order], kind="stable")
    rs = root[order][by_root]
    rstart = np.flatnonzero(np.concatenate([[True], rs[1:] != rs[:-1]]))
    blk = np.empty(m, np.intp)
    blk[by_root] = np.repeat(np.arange(len(rstart)), np.diff(np.append(rstart, m)))
    xb = np.zeros(len(rstart))
    for _ in range(12):
        xb, before = np.maximum.reduceat(project(xb[blk])[by_root], rstart), xb
        if np.all(xb - before <= 1e-6):
            break
    else:  # a long staircase of blocks: solve the constraints exactly instead
        same = lay_o[1:] == lay_o[:-1]
        xb = _longest_path(blk[1:][same], blk[:-1][same], sep[1:][same], len(rstart))
    x = np.empty(m)
    x[order] = project(xb[blk])
    return x


def _longest_path(right, left, gap, nblocks):
    """The smallest x with ``x[right] >= x[left] + gap`` for every constraint (a DAG)."""
    key = left.astype(np.int64) * nblocks + right
    o = np.argsort(key, kind="stable")
    key, gap = key[o], gap[o]
    starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    key, gap = key[starts], np.maximum.reduceat(gap, starts).tolist()
    right = (key % nblocks).tolist()
    indeg = np.bincount(right, minlength=nblocks).tolist()
    first = np.searchsorted(key // nblocks, np.arange(nblocks + 1)).tolist()
    x = [0.0] * nblocks
    ready = [b for b in range(nblocks) if indeg[b] == 0]
    while ready:
        a = ready.pop()
        for k in range(first[a], first[a + 1]):
            b = right[k]
            x[b] = max(x[b], x[a] + gap[k])
            indeg[b] -= 1
            if indeg[b] == 0:
                ready.append(b)
    return np.array(x)


def _preferred(child, parent, p, prio, dummy, wide):
    """Each child's preferred parent, or -1: a virtual parent of a virtual child, else the
    median (by `p`) of the parents with the highest `prio`."""
    m = len(p)
    pref = np.full(m, -1)
    if len(child) == 0:
        return pref
    srt = np.argsort((child.astype(np.int64) * (int(prio.max()) + 1) + prio[parent]) * wide
                     + p[parent])
    c_s, p_s = child[srt], parent[srt]
    deg = np.bincount(child, minlength=m)
    last = np.cumsum(deg) - 1
    n_best = np.bincount(c_s[prio[p_s] == prio[p_s[last[c_s]]]], minlength=m)
    has = np.flatnonzero(deg)
    pref[has] = p_s[last[has] - n_best[has] + 1 + (n_best[has] - 1) // 2]
    both = dummy[child] & dummy[parent]
    pref[child[both]] = parent[both]
    return pref


def _crossing(kept, kids, par, at, p, lay):
    """Which links ``kids -> par`` (kids in arrangement order) cross a `kept` link."""
    if not kept.any():
        return np.zeros(len(kids), bool)
    ki, kp, kl = at[kids[kept]], p[par[kept]], lay[kids[kept]]
    j = np.searchsorted(ki, at[kids])
    jl, jr = np.maximum(j - 1, 0), np.minimum(j, len(ki) - 1)
    left = (j > 0) & (kl[jl] == lay[kids]) & (kp[jl] > p[par])
    right = (j < len(ki)) & (kl[jr] == lay[kids]) & (kp[jr] < p[par])
    return left | right


def _records(val, grp, mask, wide):
    """The `mask` entries (in order, grouped by `grp`) above every earlier one of their group."""
    out, sel = np.zeros(len(val), bool), np.flatnonzero(mask)
    base = grp[sel].astype(np.int64) * (wide + 1)
    key = base + val[sel]
    out[sel] = key > np.maximum(np.concatenate([[-1], np.maximum.accumulate(key)[:-1]]), base - 1)
    return out


def _keep_previous(cross, prev_cross, old, lay, breadth, pos, nlayers):
    """Shift `cross` onto the previous layout; layers that did not change keep it exactly."""
    pst, pkeys, keys = old
    now = np.split(np.lexsort((pos, lay)), np.flatnonzero(np.diff(np.sort(lay))) + 1)
    was = {int(pst.layer[members[0]]): members for members in pst.by_layer()}
    same = np.zeros(nlayers, bool)
    for number, members in enumerate(now):
        before = was.get(number, ())
        same[number] = len(before) == len(members) and all(
            keys[i] == pkeys[j] and breadth[i] == pst.breadth[j]
            for i, j in zip(members.tolist(), before))
    ref = same[lay] if same.any() else ~np.isnan(prev_cross)
    cross = cross + float(np.median(prev_cross[ref] - cross[ref]))
    cross[same[lay]] = prev_cross[same[lay]]
    return cross


def _polylines(edge_list, src, dst, v, cross, along, thick, top, band, lay, n, tb):
    """Points of every edge: border of the source, bends at virtual nodes, border of the target.

    A box thinner than its layer gets a stub to the edge of the layer's band, so slanted pieces
    lie between layers and cross no box; a trunk adds only its bends to the edges along it."""
    pt = (lambda c, a: (c, a)) if tb else (lambda c, a: (a, c))
    mid = {}
    if len(v["long"]):
        dc, dtop = cross[n:], top[lay[n:]]
        dbot = dtop + band[lay[n:]]
        bend = np.setdiff1d(np.flatnonzero(dc[1:] != dc[:-1]) + 1, v["trunk_first"] - n)
        i_all, j_all = v["first"] - n, v["last"] - n
        lo, hi = np.searchsorted(bend, i_all, "right"), np.searchsorted(bend, j_all, "right")
        dc, dtop, dbot, bend = dc.tolist(), dtop.tolist(), dbot.tolist(), bend.tolist()
        for e, i, j, b0, b1 in zip(v["long"].tolist(), i_all.tolist(), j_all.tolist(),
                                   lo.tolist(), hi.tolist()):
            pts = [pt(dc[i], dtop[i])]
            for k in bend[b0:b1]:
                pts += [pt(dc[k - 1], dbot[k - 1]), pt(dc[k], dtop[k])]
            pts.append(pt(dc[j], dbot[j]))
            mid[e] = pts
    a0, band0 = along[src] + thick[src] / 2, (top + band)[lay[src]]
    a1, band1 = along[dst] - thick[dst] / 2, top[lay[dst]]
    edges = {}
    for e, (key, x0, y0, s0, b0, x1, y1, s1, b1) in enumerate(zip(
            edge_list, cross[src].tolist(), a0.tolist(), (a0 < band0 - 1e-9).tolist(),
            band0.tolist(), cross[dst].tolist(), a1.tolist(), (a1 > band1 + 1e-9).tolist(),
            band1.tolist())):
        pts = [pt(x0, y0), pt(x0, b0)] if s0 else [pt(x0, y0)]
        if e in mid:
            pts += mid[e]
        if s1:
            pts.append(pt(x1, b1))
        pts.append(pt(x1, y1))
        edges[key] = pts
    return edges

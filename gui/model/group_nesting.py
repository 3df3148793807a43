"""Groups (module calls) in a layered layout: every group's nodes side by side in each layer,
groups nested as intervals, room between them for their frames, and the frames' outlines.

A frame is drawn as the union of one row per layer the group spans (`frame_rows`): its
members' extent across that layer, padded, from the line between this layer and the one
before to the line between it and the next. Rows of one layer never overlap (the order keeps
each group's nodes together, `nested_order`, and `pair_room` keeps the padding free between
them), and rows of two layers meet at the line between them, so the frames of groups side by
side never overlap, whatever the layers they share, and no layer is added for them. Plain
numpy, never Qt; ``gui/group_frames.py`` draws what this places.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FRAME_GAP", "FRAME_NEST", "FRAME_PAD", "Nesting", "frame_rows", "layer_room",
           "nested_order", "pair_room"]

#: room a frame keeps around its members: left, top (its title's row), right, bottom
FRAME_PAD = (14.0, 26.0, 14.0, 12.0)
#: a frame around another keeps this much more on each side, and a title row more on top
FRAME_NEST = 8.0
#: least space between two frames side by side (or a frame and a box outside it)
FRAME_GAP = 6.0


def _pads(tb: bool) -> dict[str, tuple[float, float]]:
    """(first level, each further level) of room on each side of the members: across the
    layers (low, high) and along them (begin, end); the title's side is the top."""
    left, top, right, bottom = FRAME_PAD
    nest = FRAME_NEST
    if tb:
        return {"low": (left, nest), "high": (right, nest), "begin": (top, top),
                "end": (bottom, nest)}
    return {"low": (top, top), "high": (bottom, nest), "begin": (left, nest),
            "end": (right, nest)}


@dataclass
class Nesting:
    """The groups around every layered node (real nodes, then virtual ones).

    Attributes
    ----------
    level : numpy.ndarray
        ``(depth, nodes)``: ``level[d, i]`` is the number of the group at depth ``d`` around
        node ``i`` (outermost at 0), -1 past its innermost.
    count : numpy.ndarray
        How many groups are around each node.
    names : list of str
        The groups by number.
    depth, parent : numpy.ndarray
        Each group's depth and the number of the group around it (-1 at the top).
    pads : dict
        `_pads` of the layout's direction.
    """

    level: np.ndarray
    count: np.ndarray
    names: list
    depth: np.ndarray
    parent: np.ndarray
    pads: dict

    @classmethod
    def build(cls, scope_of: np.ndarray, chains: list[tuple[str, ...]], virt: dict, n: int,
              src: np.ndarray, dst: np.ndarray, tb: bool) -> Nesting | None:
        """From each real node's scope (`scope_of`: an index into `chains`, -1 for none) and
        each scope's groups (outermost first); a virtual node lies in the groups that hold
        both ends of every edge along its trunk. None when no node is in a group.

        >>> v = {"layer": np.zeros(0, np.intp), "owner": np.zeros(0, np.intp),
        ...      "long": np.zeros(0, np.intp), "first": np.zeros(0, np.intp),
        ...      "trunk_first": np.zeros(0, np.intp)}
        >>> nest = Nesting.build(np.array([0, 1, -1]), [("a",), ("a", "a.b")], v, 3,
        ...                      np.array([0]), np.array([1]), True)
        >>> nest.level.tolist(), nest.names, nest.parent.tolist()
        ([[0, 0, -1], [-1, 1, -1]], ['a', 'a.b'], [-1, 0])
        """
        if not chains or (scope_of < 0).all():
            return None
        number: dict[str, int] = {}
        for chain in chains:
            for g in chain:
                number.setdefault(g, len(number))
        deep = max(len(c) for c in chains)
        table = np.full((deep, len(chains) + 1), -1, np.intp)   # column -1: no scope
        for s, chain in enumerate(chains):
            table[:len(chain), s] = [number[g] for g in chain]
        lengths = np.append([len(c) for c in chains], 0)
        nv = len(virt["layer"])
        level = np.full((deep, n + nv), -1, np.intp)
        level[:, :n] = table[:, scope_of]
        count = np.zeros(n + nv, np.intp)
        count[:n] = lengths[scope_of]
        if nv:   # a trunk: the groups common to both ends of every edge along it
            long_e = virt["long"]
            cp = _common(level, src[long_e], dst[long_e])
            tid = np.searchsorted(virt["trunk_first"], np.arange(n, n + nv), "right") - 1
            keep = np.full(len(virt["trunk_first"]), deep, np.intp)
            np.minimum.at(keep, tid[virt["first"] - n], cp)
            owner = virt["owner"]
            count[n:] = np.minimum(count[owner], keep[tid])
            inside = np.arange(deep)[:, None] < count[n:][None, :]
            level[:, n:] = np.where(inside, level[:, owner], -1)
        names = list(number)
        depth = np.zeros(len(names), np.intp)
        parent = np.full(len(names), -1, np.intp)
        for d in range(1, deep):
            sel = table[d] >= 0
            depth[table[d][sel]] = d
            parent[table[d][sel]] = table[d - 1][sel]
        return cls(level, count, names, depth, parent, _pads(tb))


def _common(level: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many groups nodes `a` and `b` (arrays) share, outermost first."""
    cp = np.zeros(len(a), np.intp)
    alive = np.ones(len(a), bool)
    for d in range(level.shape[0]):
        alive &= (level[d, a] == level[d, b]) & (level[d, a] >= 0)
        cp += alive
    return cp


def nested_order(pos: np.ndarray, lay: np.ndarray, nlayers: int, nest: Nesting) -> np.ndarray:
    """Ranks within each layer with every group's nodes side by side, groups inside groups
    as intervals inside intervals: in each layer the groups (and the nodes between them) by
    where their nodes are on average in `pos` (the crossing reduction's ranks) in that layer,
    the nodes of one group in their order in `pos`. Where groups already lay side by side,
    nothing moves.

    >>> v = {"layer": np.zeros(0, np.intp)}
    >>> nest = Nesting.build(np.array([0, -1, 0]), [("a",)], v, 3, None, None, True)
    >>> nested_order(np.array([0, 1, 2]), np.zeros(3, np.intp), 1, nest).tolist()
    [1, 0, 2]
    """
    m = len(pos)
    width = np.bincount(lay, minlength=nlayers)
    norm = pos.astype(float)
    cols: list[np.ndarray] = [lay]
    for d in range(nest.level.shape[0]):
        g = nest.level[d]
        sel = np.flatnonzero(g >= 0)
        _, inv = np.unique(g[sel].astype(np.int64) * nlayers + lay[sel], return_inverse=True)
        mean = np.bincount(inv, weights=norm[sel]) / np.bincount(inv)
        key = norm.copy()
        key[sel] = mean[inv]
        cols += [key, g]
    cols.append(pos)
    o = np.lexsort(cols[::-1])
    start = np.cumsum(width) - width
    new = np.empty(m, np.intp)
    new[o] = np.arange(m) - start[lay[o]]
    return new


def pair_room(nest: Nesting, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The room across a layer, beyond half of each box, that neighbours `low` and `high`
    (arrays, `low` first across the layer) need for the frames between them: the padding of
    the groups that end after `low` and begin before `high`, and `FRAME_GAP`."""
    cp = _common(nest.level, low, high)
    k, j = nest.count[low] - cp, nest.count[high] - cp
    (h0, hn), (l0, ln) = nest.pads["high"], nest.pads["low"]
    room = np.where(k > 0, h0 + hn * (k - 1), 0.0) + np.where(j > 0, l0 + ln * (j - 1), 0.0)
    return room + np.where((k > 0) | (j > 0), FRAME_GAP, 0.0)


@dataclass
class _Rows:
    """One row per (group, layer it has members in), ordered by group then layer."""

    group: np.ndarray
    layer: np.ndarray
    begins: np.ndarray     # no row of the group in the layer before
    ends: np.ndarray       # none in the layer after
    begin_room: np.ndarray  # room before the layer (title rows of the groups beginning)
    end_room: np.ndarray


def _rows(nest: Nesting, lay: np.ndarray, nlayers: int) -> _Rows:
    keys = []
    for d in range(nest.level.shape[0]):
        g = nest.level[d]
        keys.append(g[g >= 0].astype(np.int64) * nlayers + lay[g >= 0])
    key = np.unique(np.concatenate(keys))
    group, layer = (key // nlayers).astype(np.intp), (key % nlayers).astype(np.intp)
    begins = np.ones(len(key), bool)   # sorted: a row's layer before is the row before
    begins[1:] = key[:-1] != key[1:] - 1
    begins |= layer == 0
    ends = np.ones(len(key), bool)
    ends[:-1] = key[1:] != key[:-1] + 1
    ends |= layer == nlayers - 1
    (b0, bn), (e0, en) = nest.pads["begin"], nest.pads["end"]
    begin_room = np.full(len(key), b0)
    end_room = np.full(len(key), e0)
    depth = nest.depth[group]
    for d in range(int(depth.max()), 0, -1):   # inner groups first: a holder takes a row more
        child = depth == d
        pkey = nest.parent[group[child]].astype(np.int64) * nlayers + layer[child]
        at = np.searchsorted(key, pkey)
        for flag, room, step in ((begins, begin_room, bn), (ends, end_room, en)):
            sel = flag[child]
            np.maximum.at(room, at[sel], room[child][sel] + step)
    return _Rows(group, layer, begins, ends, begin_room, end_room)


def layer_room(nest: Nesting, lay: np.ndarray, nlayers: int) -> np.ndarray:
    """Per layer, the least gap before it: the room below the frames ending in the layer
    before and above those beginning here (with their title rows), and `FRAME_GAP`."""
    rows = _rows(nest, lay, nlayers)
    after, before = np.zeros(nlayers), np.zeros(nlayers)
    np.maximum.at(after, rows.layer[rows.ends], rows.end_room[rows.ends])
    np.maximum.at(before, rows.layer[rows.begins], rows.begin_room[rows.begins])
    need = np.zeros(nlayers)
    need[1:] = after[:-1] + before[1:] + FRAME_GAP
    return need


def frame_rows(nest: Nesting, lay: np.ndarray, nlayers: int, cross: np.ndarray,
               breadth: np.ndarray, top: np.ndarray, band: np.ndarray, tb: bool, real: int
               ) -> tuple[list, np.ndarray, np.ndarray]:
    """The frames' rows: (group names, each row's group number, ``(x0, y0, x1, y1)`` per row)
    in scene coordinates, rows of a group one after the other along the flow (its first row
    holds its title). Across the layer a row spans its members (real and virtual nodes)
    padded; along it from the line between this layer and the one before (midway in the
    room `layer_room` left) to the next such line, or to its own padding where the group
    begins or ends; a row that barely meets the group's row in the layer before or after
    reaches across into free room to join it (`_joined`). `real`: how many of the nodes are
    real (boxes), the rest virtual."""
    rows = _rows(nest, lay, nlayers)
    key = rows.group.astype(np.int64) * nlayers + rows.layer
    lo = np.full(len(key), np.inf)
    hi = np.full(len(key), -np.inf)
    (l0, ln), (h0, hn) = nest.pads["low"], nest.pads["high"]
    for d in range(nest.level.shape[0]):
        g = nest.level[d]
        sel = np.flatnonzero(g >= 0)
        at = np.searchsorted(key, g[sel].astype(np.int64) * nlayers + lay[sel])
        inner = nest.count[sel] - 1 - d   # groups inside this one around the node
        np.minimum.at(lo, at, cross[sel] - breadth[sel] / 2 - (l0 + ln * inner))
        np.maximum.at(hi, at, cross[sel] + breadth[sel] / 2 + (h0 + hn * inner))
    lo, hi = _joined(rows, key, lo, hi, nest, lay, cross, breadth, nlayers, real)
    after, before = np.zeros(nlayers), np.zeros(nlayers)
    np.maximum.at(after, rows.layer[rows.ends], rows.end_room[rows.ends])
    np.maximum.at(before, rows.layer[rows.begins], rows.begin_room[rows.begins])
    bottom = top + band
    line = np.empty(nlayers + 1)   # line[k]: between layer k - 1 and k
    line[1:-1] = (bottom[:-1] + after[:-1] + top[1:] - before[1:]) / 2
    line[0], line[-1] = -np.inf, np.inf
    a0 = np.where(rows.begins, top[rows.layer] - rows.begin_room, line[rows.layer])
    a1 = np.where(rows.ends, bottom[rows.layer] + rows.end_room, line[rows.layer + 1])
    rect = np.stack([lo, a0, hi, a1] if tb else [a0, lo, a1, hi], axis=1)
    return nest.names, rows.group, rect


#: how far two rows of one frame in neighbouring layers overlap across, at least, to join
JOIN = 24.0


def _joined(rows: _Rows, key: np.ndarray, lo: np.ndarray, hi: np.ndarray, nest: Nesting,
            lay: np.ndarray, cross: np.ndarray, breadth: np.ndarray, nlayers: int, real: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """`lo`, `hi` of the rows widened where a group's rows in two neighbouring layers overlap
    across by less than `JOIN` (a Linear's weight beside the layer before it, its matmul
    below that layer's output: two pieces of one frame, touching at a corner at most): one
    of them, or both, reaches towards the other into the room free in its layer (up to
    the nearest box outside it, halfway to the nearest other frame's row, inside the row
    of the group around it). Rows never overlap rows of other groups after it either."""
    count = len(key)
    if count < 2:
        return lo, hi
    # the room free beside each row, in its own layer
    items_layer = np.concatenate([rows.layer, lay[:real]])
    items_lo = np.concatenate([lo, cross[:real] - breadth[:real] / 2])
    items_hi = np.concatenate([hi, cross[:real] + breadth[:real] / 2])
    is_row = np.concatenate([np.ones(count, bool), np.zeros(real, bool)])
    base = min(float(items_lo.min()), 0.0) - 1.0
    span = float(items_hi.max()) - base + 2.0
    at_hi = items_layer * span + (items_hi - base)
    o_hi = np.argsort(at_hi, kind="stable")
    j = np.searchsorted(at_hi[o_hi], rows.layer * span + (lo - base), "right") - 1
    left = o_hi[np.maximum(j, 0)]
    has_left = (j >= 0) & (items_layer[left] == rows.layer)
    free_lo = np.where(~has_left, -np.inf, np.where(
        is_row[left], (items_hi[left] + lo + FRAME_GAP) / 2, items_hi[left] + FRAME_GAP))
    at_lo = items_layer * span + (items_lo - base)
    o_lo = np.argsort(at_lo, kind="stable")
    j = np.searchsorted(at_lo[o_lo], rows.layer * span + (hi - base), "left")
    right = o_lo[np.minimum(j, len(o_lo) - 1)]
    has_right = (j < len(o_lo)) & (items_layer[right] == rows.layer)
    free_hi = np.where(~has_right, np.inf, np.where(
        is_row[right], (items_lo[right] + hi - FRAME_GAP) / 2, items_lo[right] - FRAME_GAP))
    # inside the row of the group around it
    parent = nest.parent[rows.group]
    inside = parent >= 0
    at = np.searchsorted(key, parent[inside].astype(np.int64) * nlayers + rows.layer[inside])
    free_lo[inside] = np.maximum(free_lo[inside], lo[at] + FRAME_NEST)
    free_hi[inside] = np.minimum(free_hi[inside], hi[at] - FRAME_NEST)
    free_lo, free_hi = np.minimum(free_lo, lo), np.maximum(free_hi, hi)
    # pairs of rows of one group in neighbouring layers, a above b
    a = np.flatnonzero((rows.group[1:] == rows.group[:-1]) &
                       (rows.layer[1:] == rows.layer[:-1] + 1))
    b = a + 1
    thin = np.minimum(hi[a], hi[b]) - np.maximum(lo[a], lo[b]) < JOIN
    a, b = a[thin], b[thin]
    new_lo, new_hi = lo.copy(), hi.copy()
    for first, second in ((a, b), (b, a)):   # `first` left of `second`, then the other way
        sel = lo[first] <= lo[second]
        f, g = first[sel], second[sel]
        # the right one reaches left, else the left one right, else both meet
        reach_g = free_lo[g] <= hi[f] - JOIN
        reach_f = ~reach_g & (free_hi[f] >= lo[g] + JOIN)
        meet = ~reach_g & ~reach_f & (free_hi[f] - free_lo[g] >= JOIN)
        np.minimum.at(new_lo, g[reach_g], hi[f][reach_g] - JOIN)
        np.maximum.at(new_hi, f[reach_f], lo[g][reach_f] + JOIN)
        np.maximum.at(new_hi, f[meet], free_hi[f][meet])
        np.minimum.at(new_lo, g[meet], free_hi[f][meet] - JOIN)
    return new_lo, new_hi

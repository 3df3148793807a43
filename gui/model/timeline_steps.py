"""A timeline's state one entry on (or back) from a state already made, by what that step changes
(`StepChanges`): a backward step touches a few nodes and edges, not the whole graph."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["StepChanges", "step_changes", "neighbour_fields", "norms_of"]

_EMPTY: frozenset = frozenset()


@dataclass(frozen=True)
class StepChanges:
    """What may look different between a timeline's states at ``index - 1`` and ``index``
    (`PlaybackState.changes`), so that a view showing one of them restyles only these when it
    goes to the other: ``nodes`` whose run/running/waiting state, |grad|, NaN mark, freed mark,
    visibility or leaf ``.grad`` may differ, ``edges`` whose gradient may differ, and ``shown``
    (among ``nodes``): the nodes that appear or go (their edges show or hide with them).

    Examples
    --------
    >>> from gradtrace.gui.model.graph import build_graph
    >>> from gradtrace.gui.model.playback import Timeline
    >>> from gradtrace.gui.model.runner import ScriptRunner
    >>> result = ScriptRunner().run("import torch\\nx = torch.ones(2, requires_grad=True)\\n"
    ...                             "(x * 3).sum().backward()\\n")
    >>> timeline = Timeline.from_run(result, build_graph(result))
    >>> changes = timeline.state_at(len(timeline) - 1).changes   # AccumulateGrad runs
    >>> sorted(changes.edges), "x" in changes.nodes, changes.shown
    ([('x', 'AccumulateGrad:x')], True, frozenset())
    """

    nodes: frozenset
    edges: frozenset
    shown: frozenset


def _position(call, i: int) -> tuple[int, bool]:
    """(j, inside): the step of `call` shown at entry `i` (len(nodes) past its end)."""
    j = i - call.start if i <= call.end else len(call.nodes)
    return j, j < len(call.nodes)


def _last(call, j: int, inside: bool) -> int:
    return j if inside else len(call.nodes) - 1


def _freed_in(timeline) -> dict:
    """entry index -> the saved tensors its step frees (made once per version)."""
    got = timeline._steps_cache.get("freed_in")
    if got is None:
        got = {}
        for node_id, at in timeline._freed_at.items():
            got.setdefault(at, []).append(node_id)
        timeline._steps_cache["freed_in"] = got
    return got


def _leaves_changed_in(timeline) -> dict:
    """entry index -> the leaves whose ``.grad`` changes there."""
    got = timeline._steps_cache.get("leaves_in")
    if got is None:
        got = {}
        for leaf_id, (where, _values) in timeline._leaf_changes.items():
            for at in where:
                got.setdefault(at, []).append(leaf_id)
        timeline._steps_cache["leaves_in"] = got
    return got


def step_changes(timeline: Any, i: int) -> StepChanges | None:
    """What differs between `timeline`'s states at ``i - 1`` and ``i``; None where that is
    not known from a few entries (the first entry, a different backward call shown)."""
    if i <= 0 or timeline._call_at[i] != timeline._call_at[i - 1]:
        return None
    nodes, edges, shown = set(), set(), set()
    count0, count1 = timeline._vis_count[i - 1], timeline._vis_count[i]
    if count1 != count0:
        shown.update(timeline._vis_order[min(count0, count1):max(count0, count1)])
    freed = _freed_in(timeline)
    shown.update(freed.get(i - 1, ()))    # gone from entry i on
    nodes.update(freed.get(i, ()))        # freed now: drawn faded
    c = timeline._call_at[i]
    if c is not None:
        call = timeline._calls[c]
        j0, in0 = _position(call, i - 1)
        j1, in1 = _position(call, i)
        for p in range(min(j0, j1), min(max(j0, j1), len(call.nodes) - 1) + 1):
            nodes.add(call.nodes[p])
        e0, e1 = call.edge_end[_last(call, j0, in0)], call.edge_end[_last(call, j1, in1)]
        for key, _info in call.edge_list[min(e0, e1):max(e0, e1)]:
            edges.add(key)
            nodes.add(key[0])   # its |grad| is the largest that reached it
        if call.origin is not None:
            nodes.add(call.nodes[call.origin])
    nodes.update(_leaves_changed_in(timeline).get(i, ()))
    for at in (i - 1, i):
        accumulated = timeline._accumulated.get(at)
        if accumulated is not None:
            nodes.add(accumulated[0])
    nodes |= shown
    nodes.discard(None)
    return StepChanges(frozenset(nodes), frozenset(edges), frozenset(shown))


def _latest(call, u, end: int) -> dict:
    """v -> the gradient of edge (u, v) among the first `end` of `call`'s edge gradients (the
    later one where it got two, as the prefix's dict keeps)."""
    out = {}
    edge_list = call.edge_list
    for pos in call.by_source.get(u, ()):
        if pos >= end:
            break
        (_, v), info = edge_list[pos]
        out[v] = info
    return out


def norms_of(edge_grads: dict) -> tuple[dict, frozenset]:
    """Per node, the largest norm of the gradients that reached it along an edge ``(u, v)``
    (the gradient flows back to ``u``), inf once one held NaN/inf; and the set of those."""
    norms, bad = {}, set()
    for (u, _v), info in edge_grads.items():
        if info is None:
            continue
        if not info.finite:
            norms[u] = math.inf
            bad.add(u)
        elif info.norm is not None:
            norms[u] = max(norms.get(u, 0.0), info.norm)
    return norms, frozenset(bad)


def neighbour_fields(timeline: Any, prev: Any, i: int) -> dict | None:
    """The fields of the `PlaybackState` at entry `i` worked out from `prev`, the state at
    ``i - 1`` or ``i + 1`` of the same timeline and version, by the few nodes and edges that
    step changes (sets and dicts copied at C speed, no Python loop over the graph); None where
    it cannot be (another call shown, visibility changed by a forward entry, a node run twice
    in one call): the caller works the state out whole."""
    c = timeline._call_at[i]
    if c != prev.call or timeline._vis_count[i] != timeline._vis_count[prev.index]:
        return None
    hi = max(i, prev.index)
    done, pending, active = prev.done, prev.pending, prev.active
    edge_grads, norms, bad = prev.edge_grads, prev.node_norms, prev.node_nonfinite
    nonfinite = prev.nonfinite
    if c is not None:
        call = timeline._calls[c]
        if not call.unique:   # (playback's _lay_out_call tells)
            return None
        j0, in0 = _position(call, prev.index)
        j, inside = _position(call, i)
        active = call.nodes[j] if inside else None
        span = range(min(j0, j), min(max(j0, j), len(call.nodes) - 1) + 1)
        moved = [(p, call.nodes[p]) for p in span if call.nodes[p] is not None]
        if moved:
            done = (done - {n for _, n in moved}) | {n for p, n in moved if p < j}
            pending = (pending - {n for _, n in moved}) | {n for p, n in moved
                                                           if inside and p > j}
            if not inside:
                pending = _EMPTY
        last = _last(call, j, inside)
        e0, e1 = call.edge_end[_last(call, j0, in0)], call.edge_end[last]
        if e0 != e1:
            edge_grads = dict(edge_grads)
            touched = call.edge_list[min(e0, e1):max(e0, e1)]
            if e1 > e0:
                edge_grads.update(touched)
            norms, bad = dict(norms), set(bad)
            ends: dict = {}
            for (u, v), _info in touched:
                ends.setdefault(u, set()).add(v)
            for u, targets in ends.items():
                latest = _latest(call, u, e1)
                if e1 < e0:   # back: the step's gradients go (an earlier one stays)
                    for v in targets:
                        if v in latest:
                            edge_grads[u, v] = latest[v]
                        else:
                            edge_grads.pop((u, v), None)
                mine, mine_bad = norms_of({(u, v): info for v, info in latest.items()})
                if u in mine:
                    norms[u] = mine[u]
                else:
                    norms.pop(u, None)
                if u in mine_bad:
                    bad.add(u)
                else:
                    bad.discard(u)
            bad = frozenset(bad)
        nonfinite = None
        if call.origin is not None and call.origin <= last:
            origin = call.nodes[call.origin]
            nonfinite = origin if origin is not None else timeline.entries[
                call.start + call.origin].op
    leaf_grads = prev.leaf_grads
    leaves = _leaves_changed_in(timeline).get(hi, ())
    if leaves:
        leaf_grads = dict(leaf_grads)
        for leaf in leaves:
            leaf_grads[leaf] = timeline.leaf_grad_at(leaf, i)
    visible = prev.visible
    freed = _freed_in(timeline)
    if hi - 1 in freed:   # the saved tensors freed at hi - 1 are gone from hi on
        went = freed[hi - 1]
        visible = visible - set(went) if i == hi else \
            visible | (set(went) & timeline._visible(timeline._vis_count[i]))
    return {"done": done, "pending": pending, "active": active, "edge_grads": edge_grads,
            "node_norms": norms, "node_nonfinite": bad, "nonfinite": nonfinite,
            "leaf_grads": leaf_grads, "visible": visible,
            "released": frozenset(freed.get(i, ()))}

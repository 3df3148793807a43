"""Playback: a timeline of a run's forward statements and recorded backward steps, the exact
state at every index (visible/done/active nodes, edge gradients, leaf grads), and a Player.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .graph import graph_index
from .i18n import translate
from .recording import CallRecording, Recording, ValueStats, record, record_backward
from .timeline_steps import StepChanges, neighbour_fields, norms_of, step_changes

__all__ = ["GradInfo", "TimelineEntry", "PlaybackState", "Timeline", "BreakHit", "Player",
           "StepChanges"]

_EMPTY: frozenset = frozenset()


def _loop_part(part: str) -> str:
    """A record's loop part ("iteration 2", "iterations 3 to 5", "the rest of the loop", "the
    loop's else": runner.py's English) in the user's language."""
    if part.startswith("iterations ") and " to " in part:
        first, _, last = part[len("iterations "):].partition(" to ")
        return translate("Timeline", "iterations {first} to {last}").format(first=first,
                                                                            last=last)
    if part.startswith("iteration "):
        return translate("Timeline", "iteration {index}").format(index=part[len("iteration "):])
    if part == "the rest of the loop":
        return translate("Timeline", "the rest of the loop")
    if part == "the loop's else":
        return translate("Timeline", "the loop's else")
    return part


@dataclass(frozen=True)
class GradInfo:
    """What a gradient on an edge looks like: its shape, 2-norm, and NaN/inf counts.

    Examples
    --------
    >>> GradInfo.of(np.array([3.0, 4.0])).norm
    5.0
    """

    shape: tuple
    norm: float
    finite: bool
    nan: int = 0
    inf: int = 0
    # the smallest and largest finite element (None when there is none)
    min: float | None = None
    max: float | None = None

    @classmethod
    def of(cls, array: Any) -> GradInfo | None:
        """The GradInfo of a numpy array or of a recording's `ValueStats` (None for None)."""
        if array is None:
            return None
        if isinstance(array, ValueStats):   # above the recording's value cap
            return cls(array.shape, array.norm if array.norm is not None else 0.0,
                       array.finite, array.nan, array.inf, array.min, array.max)
        a = np.asarray(array)
        if 0 < a.size <= _SMALL and a.dtype.kind in "biuf":
            return cls._of_small(a)
        if a.dtype.kind in "fc" and a.size:
            nan = int(np.isnan(a).sum())
            inf = int(np.isinf(a).sum())
        else:
            nan = inf = 0
        norm = float(np.sqrt(np.sum(np.square(np.abs(a), dtype=np.float64)))) if a.size else 0.0
        lo = hi = None
        if a.size and a.dtype.kind in "biuf":
            finite = a if nan == inf == 0 else a[np.isfinite(a)]
            if finite.size:
                lo, hi = float(finite.min()), float(finite.max())
        return cls(tuple(int(n) for n in a.shape), norm, nan == 0 and inf == 0, nan, inf,
                   lo, hi)

    @classmethod
    def _of_small(cls, a: np.ndarray) -> GradInfo:
        """`of` for a small real array, on its elements as Python numbers: a timeline of
        thousands of 4x4 gradients otherwise spends most of its time in numpy's per-call
        overhead. The same counts and extremes; the norm equal to numpy's to rounding."""
        values = a.ravel().tolist()
        if a.dtype.kind == "f":
            finite = [v for v in values if math.isfinite(v)]
            nan = sum(1 for v in values if v != v) if len(finite) < len(values) else 0
        else:
            finite, nan = values, 0
        inf = len(values) - len(finite) - nan
        norm = math.sqrt(sum(v * v for v in values))
        lo = hi = None
        if finite:
            lo, hi = float(min(finite)), float(max(finite))
        return cls(tuple(int(n) for n in a.shape), norm, nan == 0 and inf == 0, nan, inf,
                   lo, hi)


# arrays up to this many elements get their GradInfo from Python numbers (`_of_small`)
_SMALL = 64


@dataclass(frozen=True)
class TimelineEntry:
    """One entry of the timeline: a forward statement or one step of a backward call.

    Attributes
    ----------
    kind : str
        ``"forward"`` or ``"backward"``.
    label : str
        ``"line 3: z = y * y * 3"`` or ``"backward step 3/7: MulBackward0"``.
    statement_index : int or None
        The statement that ran it (None for a backward started with `Timeline.add_backward`).
    call, step, steps : int or None
        Backward entries: which backward call (0-based), which step of it, how many steps.
    node, op : str or None
        Backward entries: the graph id of the node run (None when it is not in the graph) and
        its op name.
    targets : frozenset of str
        Forward: the nodes that appear. Backward: the node run, the named tensors whose
        gradient it reads, and for AccumulateGrad the leaf.
    nonfinite : bool
        Backward: this step's gradients hold NaN or inf.
    """

    index: int
    kind: str
    label: str
    statement_index: object = None
    call: object = None
    step: object = None
    steps: object = None
    node: object = None
    op: object = None
    targets: frozenset = _EMPTY
    nonfinite: bool = False
    names: frozenset = field(default=_EMPTY, repr=False)
    record: object = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, eq=False)
class PlaybackState:
    """The picture at one timeline index, after its entry ran.

    ``visible``: nodes made so far; ``done``/``active``/``pending``: nodes of the current (or
    last) backward call already run / running now / still to run; ``edge_grads``: (u, v) ->
    `GradInfo` of the gradient that crossed the edge in that call; ``leaf_grads``: leaf node id
    -> its ``.grad`` then (numpy copy or None); ``nonfinite``: the node that made the call's
    first NaN/inf gradient, once it ran; ``added``: nodes that appeared at this entry.

    Facts for the views, so that no widget works them out: ``node_norms``: node id -> the
    largest 2-norm of the gradients that reached it along an edge in this call (inf when one
    held NaN/inf), ``node_nonfinite``: the nodes one of those was NaN/inf for;
    ``accumulation``: leaf id -> ``(old .grad, what this step added)`` when the active step
    accumulates on top of an earlier ``.grad`` (a second ``backward()`` shows as a sum);
    ``output``: what the console shows here (None: no run output to show); ``lines``:
    ``(first, last)`` source line of the statement of this entry, or None; ``call_norms``:
    ``(smallest, largest)`` positive finite gradient norm of the whole backward call shown
    (empty when none), so a colour scale stays fixed over one call; ``released``: the saved
    tensors this entry's step frees (they are gone from ``visible`` after it).

    ``changes``: the `StepChanges` from the state at ``index - 1`` of the same ``source`` (a
    token of the timeline as it stands: two states of one source at neighbouring indices
    differ only in the later one's ``changes``), None where not known; a view that showed one
    restyles only those to show the other.
    """

    index: int
    entry: TimelineEntry
    visible: frozenset
    done: frozenset
    active: object
    pending: frozenset
    edge_grads: dict
    leaf_grads: dict
    nonfinite: object
    added: frozenset
    call: object = None
    node_norms: dict = field(default_factory=dict)
    node_nonfinite: frozenset = _EMPTY
    accumulation: dict = field(default_factory=dict)
    output: object = None
    lines: object = None
    call_norms: tuple = ()
    released: frozenset = _EMPTY
    changes: StepChanges | None = field(default=None, repr=False)
    source: object = field(default=None, repr=False)

    def __eq__(self, other):
        if not isinstance(other, PlaybackState):
            return NotImplemented
        same = (self.index, self.entry, self.visible, self.done, self.active, self.pending,
                self.edge_grads, self.nonfinite, self.added, self.call, self.node_norms,
                self.node_nonfinite, self.output, self.lines, self.released) == (
            other.index, other.entry, other.visible, other.done, other.active, other.pending,
            other.edge_grads, other.nonfinite, other.added, other.call, other.node_norms,
            other.node_nonfinite, other.output, other.lines, other.released)
        if same and self.accumulation.keys() != other.accumulation.keys():
            return False
        for key, (old_a, add_a) in (self.accumulation.items() if same else ()):
            old_b, add_b = other.accumulation[key]
            if not (np.array_equal(old_a, old_b, equal_nan=True)
                    and np.array_equal(add_a, add_b, equal_nan=True)):
                return False
        if not same or self.leaf_grads.keys() != other.leaf_grads.keys():
            return False
        for key, a in self.leaf_grads.items():
            b = other.leaf_grads[key]
            if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
                if not (a.shape == b.shape and np.array_equal(a, b, equal_nan=True)):
                    return False
            elif type(a) is not type(b) or a != b:   # None, or a `ValueStats` above the cap
                return False
        return True

    __hash__ = None  # type: ignore[assignment]


class _Call:
    """One backward call laid out for O(1) prefix lookups."""
    __slots__ = ("start", "nodes", "edge_list", "edge_end", "origin", "statement_index",
                 "norm_range", "by_source", "unique")

    def __init__(self, start, statement_index):
        self.start, self.statement_index = start, statement_index
        self.nodes, self.edge_list, self.edge_end = [], [], []
        self.origin = None   # step index of the first step with a NaN/inf gradient
        self.norm_range = None   # (min, max) norm over the call, made when first asked
        self.by_source = {}  # node u -> positions in edge_list of the edges (u, v)
        self.unique = None   # whether no node runs twice in it (timeline_steps)

    @property
    def end(self):
        return self.start + len(self.nodes) - 1


class Timeline:
    """Forward statements and backward steps in script order, with the state at each index.

    Build it with `Timeline.from_recording` (`from_run` records a `RunResult` first;
    `Timeline.from_graph` for bare tensors); every
    ``state_at(i)`` is computed from precomputed prefixes, so it is exact whatever was
    looked at before.

    Examples
    --------
    >>> from gradtrace.gui.model.graph import build_graph
    >>> from gradtrace.gui.model.runner import ScriptRunner
    >>> result = ScriptRunner().run("import torch\\nx = torch.ones(2, requires_grad=True)\\n"
    ...                             "(x * 3).sum().backward()\\n")
    >>> timeline = Timeline.from_run(result, build_graph(result))
    >>> timeline.state_at(len(timeline) - 1).leaf_grads["x"]
    array([3., 3.], dtype=float32)
    """

    def __init__(self, graph):
        self.graph = graph
        self._index = graph_index(graph)
        self.entries = []
        self._calls = []
        self._call_at = []       # per entry: index into _calls of the call shown, or None
        self._vis_order = []     # node ids in the order they appear
        self._vis_count = []     # per entry: how many of _vis_order are visible
        self._vis_cache = {}
        self._added = []         # per entry: frozenset of nodes that appear there
        self._forward_of = {}    # statement index -> its forward entry
        self._leaf_initial = {}  # leaf id -> .grad before the timeline starts
        self._leaf_changes = {}  # leaf id -> ([entry index, ...], [array or None, ...])
        self._accumulated = {}   # entry index -> (leaf id, .grad before, .grad after)
        self._result = None      # the Recording (console output, statement lines)
        self.recording = None    # the Recording shown (None for `from_graph`)
        self._subscribers = []
        self._freed_at = {}      # saved node id -> the entry whose step freed it
        self._source = object()  # the token of its states; new when the tables change
        self._steps_cache = {}   # timeline_steps' tables, made when first asked
        self._last_state = None  # the state made last (its neighbours come from it)
        self._saved_of = {}      # owner node id -> [(saved node id, call that frees it)]
        for node_id, attrs in graph.nodes(data=True):
            if attrs.get("kind") == "saved" and attrs.get("owner") is not None:
                self._saved_of.setdefault(attrs["owner"], []).append(
                    (node_id, attrs.get("freed_by")))
        for node_id, attrs in graph.nodes(data=True):
            if attrs.get("role") == "leaf" or (attrs.get("kind") == "accumulate"
                                               and attrs.get("leaf") is None):
                grad = attrs.get("grad")
                self._leaf_initial[node_id] = np.array(grad) if isinstance(
                    grad, np.ndarray) else grad

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def from_recording(cls, recording: Recording) -> Timeline:
        """The timeline of a `Recording`: each statement's forward entry, then the steps of
        every backward call it made, in script order; calls of no statement at the end."""
        timeline = cls(recording.graph)
        timeline._result = timeline.recording = recording
        if not recording.statements:   # a graph alone (show()): one entry shows all of it
            title = recording.meta.get("title")   # a Text, not str(): shown again translated
            timeline._append(TimelineEntry(0, "forward", str(title) if title else translate(
                "Timeline", "forward: the whole graph")), None)
        pending: dict[int | None, list[tuple[int, CallRecording]]] = {}
        for k, call in enumerate(recording.calls):
            pending.setdefault(call.statement_index, []).append((k, call))
        for st in recording.statements:
            index = st.index
            source = (st.source or "").strip().splitlines()
            lineno = st.lineno
            text = source[0] if source else ""
            part = st.part
            if part:     # F11 ran a loop iteration by iteration
                label = translate("Timeline", "line {line}: {text} ({part})").format(
                    line=lineno, text=text, part=_loop_part(part)) if lineno is not None else \
                    translate("Timeline", "statement {index}: {text} ({part})").format(
                        index=index, text=text, part=_loop_part(part))
            else:
                label = translate("Timeline", "line {line}: {text}").format(
                    line=lineno, text=text) if lineno is not None else \
                    translate("Timeline", "statement {index}: {text}").format(index=index,
                                                                             text=text)
            timeline._forward_of[index] = len(timeline.entries)
            timeline._append(TimelineEntry(len(timeline.entries), "forward", label, index,
                                           record=st), None)
            for k, call in pending.pop(index, ()):
                timeline._lay_out_call(call.steps, index, k)
        for calls in pending.values():
            for k, call in calls:
                timeline._lay_out_call(call.steps, call.statement_index, k)
        timeline._place_nodes()
        return timeline

    @classmethod
    def from_run(cls, result: Any, graph: Any) -> Timeline:
        """The timeline of a `RunResult` (`record` ed first), placed on ``graph`` (built from
        the same result; its `GraphIndex` lets `add_backward` run the engine again)."""
        timeline = cls.from_recording(record(result, graph=graph))
        timeline._index = graph_index(graph)
        return timeline

    @classmethod
    def from_graph(cls, graph: Any, label: str | None = None) -> Timeline:
        """A timeline of one forward entry showing all of ``graph`` (then `add_backward`):
        the recording of the graph alone (``record(None, graph=graph, title=label)``)."""
        if label is None:
            label = translate("Timeline", "forward: the whole graph")
        timeline = cls.from_recording(record(None, graph=graph, title=label))
        timeline._index = graph_index(graph)
        return timeline

    def add_backward(self, root: Any, gradient: Any = None) -> range:
        """Run backward from ``root`` (a tensor or its node id) and append every step
        (`recording.record_backward`: needs the run's tensors, so a timeline made by
        `from_run` or `from_graph`, in the process that ran it).

        Runs ``iter_backward`` with ``retain_graph=True``, so it can be repeated (each run
        accumulates into the leaves' ``.grad``, as ``backward()`` does); gradients are copied
        as each step is made.

        Returns
        -------
        range
            The indices of the new entries.
        """
        return self.add_call(record_backward(root, self._index, self.graph, gradient))

    def add_call(self, call: CallRecording) -> range:
        """Append a backward call recorded elsewhere ("Run backward from here"); it joins
        ``recording.calls``. Subscribers hear of it.

        Returns
        -------
        range
            The indices of the new entries.
        """
        first = len(self.entries)
        if self.recording is not None:
            self.recording.calls.append(call)
        self._lay_out_call(call.steps, call.statement_index)
        for callback in list(self._subscribers):
            callback(self)
        return range(first, len(self.entries))

    def subscribe(self, callback: Callable[[Timeline], object]) -> Callable[[], None]:
        """Call ``callback(timeline)`` whenever entries are appended; returns an unsubscriber."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers \
            else None

    def _append(self, entry, call):
        self.entries.append(entry)
        self._call_at.append(call if call is not None else (
            self._call_at[-1] if self._call_at else None))
        self._added.append(_EMPTY)
        self._vis_count.append(self._vis_count[-1] if self._vis_count else 0)

    def _place_nodes(self):
        """Each node appears at its statement's forward entry (entry 0 when unknown)."""
        first = {}
        for node_id, attrs in self.graph.nodes(data=True):
            first[node_id] = self._forward_of.get(attrs.get("statement"), 0)
        self._vis_order = sorted(first, key=first.get)
        counts = [0] * len(self.entries)
        for at in first.values():
            counts[at] += 1
        added = {}
        for node_id, at in first.items():
            added.setdefault(at, set()).add(node_id)
        total = 0
        for i, n in enumerate(counts):
            total += n
            self._vis_count[i] = total
            self._added[i] = frozenset(added.get(i, ()))
        self._vis_cache.clear()
        self._tables_changed()

    def _tables_changed(self):
        """States made before are of another source now (their neighbours are not derived
        from them)."""
        self._source, self._steps_cache, self._last_state = object(), {}, None

    def _lay_out_call(self, steps, statement_index, run_call=None):
        """Entries, prefix tables and leaf changes for one call's `StepRecording` s;
        `run_call` is the call's place in the recording's ``calls`` (saved tensors it frees)."""
        records = [self._step_record(step) for step in steps]
        if not records:
            return
        for j, rec in enumerate(records):   # the step that runs a node frees its saved
            owner = rec[1]
            for saved_id, freed_by in self._saved_of.get(owner, ()):
                if freed_by is not None and freed_by == run_call:
                    self._freed_at.setdefault(saved_id, len(self.entries) + j)
        call_no = len(self._calls)
        call = _Call(len(self.entries), statement_index)
        self._calls.append(call)
        total = len(records)
        before = {}
        ran: set = set()
        call.unique = True
        for j, (step, node_id, op, targets, edges, leaf, nonfinite) in enumerate(records):
            if node_id is not None:   # (timeline_steps derives states where none runs twice)
                call.unique = call.unique and node_id not in ran
                ran.add(node_id)
            call.nodes.append(node_id)
            for key, _info in edges:
                call.by_source.setdefault(key[0], []).append(len(call.edge_list))
                call.edge_list.append((key, _info))
            call.edge_end.append(len(call.edge_list))
            if nonfinite and call.origin is None:
                call.origin = j
            label = translate("Timeline", "backward step {step}/{total}: {op} (call {call})"
                              ).format(step=j + 1, total=total, op=op, call=call_no + 1) \
                if call_no else translate("Timeline", "backward step {step}/{total}: {op}"
                                          ).format(step=j + 1, total=total, op=op)
            names = set(targets) | {op}
            for target in targets:
                attrs = self.graph.nodes[target] if target in self.graph else {}
                names.update(v for v in (attrs.get("label"), attrs.get("leaf_label")) if v)
            index = len(self.entries)
            self._append(TimelineEntry(index, "backward", label, statement_index, call_no, j,
                                       total, node_id, op, frozenset(targets), nonfinite,
                                       frozenset(names), step), call_no)
            if leaf is not None:
                leaf_id, grad_before, grad_after = leaf
                if leaf_id not in before:
                    before[leaf_id] = grad_before
                    if leaf_id not in self._leaf_changes:   # its first backward call
                        self._leaf_initial[leaf_id] = grad_before
                    self._change_leaf(leaf_id, call.start, grad_before)
                self._change_leaf(leaf_id, index, grad_after)
                self._accumulated[index] = leaf
        self._tables_changed()

    def _change_leaf(self, leaf_id, index, value):
        where, values = self._leaf_changes.setdefault(leaf_id, ([], []))
        if where and where[-1] == index:
            values[-1] = value
        else:
            where.append(index)
            values.append(value)

    def _step_record(self, step):
        """(step, node id, op, targets, [(edge, GradInfo)], leaf change, nonfinite)."""
        graph = self.graph
        node_id = step.node if step.node in graph else None
        op = step.op
        grads_in, grads_out = list(step.grads_in), list(step.grads_out)
        nonfinite = any(_nonfinite(g) for g in grads_in + grads_out)
        targets, edges, leaf = set(), [], None
        if node_id is not None:
            targets.add(node_id)
        if step.leaf is not None:
            leaf_id = step.leaf
            targets.add(leaf_id)
            leaf = (leaf_id, step.grad_before, step.grad_after)
            if node_id is not None and graph.has_edge(leaf_id, node_id) and grads_in:
                edges.append(((leaf_id, node_id), GradInfo.of(grads_in[0])))
        elif node_id is not None and op != "AccumulateGrad":
            attrs = graph.nodes[node_id]
            nodes = graph.nodes
            for dst, data in graph.succ[node_id].items():   # its named outputs
                if data.get("kind") == "data" and nodes[dst].get("kind") in (
                        "tensor", "constant"):
                    nr = (data.get("slots") or [0])[0]
                    targets.add(dst)
                    if nr < len(grads_in):
                        edges.append(((node_id, dst), GradInfo.of(grads_in[nr])))
            sums: dict[str, Any] = {}
            for src, grad in zip(attrs.get("inputs") or (), grads_out):
                if src is not None and grad is not None:
                    old = sums.get(src)
                    # an array above the value cap has statistics only: the first one stands
                    sums[src] = grad if old is None else (
                        old + grad if isinstance(old, np.ndarray) and isinstance(
                            grad, np.ndarray) else old)
            edges.extend(((src, node_id), GradInfo.of(g)) for src, g in sums.items())
        return step, node_id, op, targets, edges, leaf, nonfinite

    # -- reading ----------------------------------------------------------------------------
    def __len__(self):
        return len(self.entries)

    def _visible(self, count):
        hit = self._vis_cache.get(count)
        if hit is None:
            if len(self._vis_cache) > 16:
                self._vis_cache.clear()
            hit = self._vis_cache[count] = frozenset(self._vis_order[:count])
        return hit

    def leaf_grad_at(self, leaf_id: str, i: int) -> np.ndarray | None:
        """The ``.grad`` of leaf ``leaf_id`` after entry ``i`` (numpy copy or None)."""
        changes = self._leaf_changes.get(leaf_id)
        if changes:
            k = bisect_right(changes[0], i) - 1
            if k >= 0:
                return changes[1][k]
        return self._leaf_initial.get(leaf_id)

    def state_at(self, i: int) -> PlaybackState:
        """The `PlaybackState` after entry ``i`` (negative ``i`` counts from the end)."""
        if i < 0:
            i += len(self.entries)
        if not 0 <= i < len(self.entries):
            raise IndexError(f"timeline index {i} out of range (0..{len(self.entries) - 1})")
        last = self._last_state
        near = neighbour_fields(self, last, i) if last is not None and \
            last.source is self._source and abs(last.index - i) == 1 else None
        state = self._state_near(i, near) if near is not None else self._state_whole(i)
        self._last_state = state
        return state

    def _state_near(self, i, f):
        c = self._call_at[i]
        return PlaybackState(i, self.entries[i], f["visible"], f["done"], f["active"],
                             f["pending"], f["edge_grads"], f["leaf_grads"], f["nonfinite"],
                             self._added[i], c, f["node_norms"], f["node_nonfinite"],
                             self._accumulation(i), self.output_at(i), self.lines_at(i),
                             self._call_norms(c) if c is not None else (), f["released"],
                             step_changes(self, i), self._source)

    def _state_whole(self, i):
        """The state at entry ``i`` worked out from the prefix tables alone."""
        entry, c = self.entries[i], self._call_at[i]
        done = pending = _EMPTY
        active = nonfinite = None
        edge_grads = {}
        if c is not None:
            call = self._calls[c]
            j = i - call.start if i <= call.end else len(call.nodes)
            inside = j < len(call.nodes)
            if inside:
                active = call.nodes[j]
                pending = frozenset(n for n in call.nodes[j + 1:] if n is not None)
            done = frozenset(n for n in call.nodes[:j] if n is not None)
            last = j if inside else len(call.nodes) - 1
            edge_grads = dict(call.edge_list[:call.edge_end[last]])
            if call.origin is not None and call.origin <= last:
                origin = call.nodes[call.origin]
                nonfinite = origin if origin is not None else self.entries[
                    call.start + call.origin].op
        leaf_grads = {leaf: self.leaf_grad_at(leaf, i)
                      for leaf in self._leaf_initial.keys() | self._leaf_changes.keys()}
        node_norms, node_nonfinite = norms_of(edge_grads)
        visible, released = self._visible(self._vis_count[i]), _EMPTY
        if self._freed_at:   # saved tensors exist until the step that frees them
            gone = {n for n, at in self._freed_at.items() if at < i}
            released = frozenset(n for n, at in self._freed_at.items() if at == i)
            if gone:
                visible = visible - gone
        return PlaybackState(i, entry, visible, done, active,
                             pending, edge_grads, leaf_grads, nonfinite, self._added[i], c,
                             node_norms, node_nonfinite, self._accumulation(i),
                             self.output_at(i), self.lines_at(i),
                             self._call_norms(c) if c is not None else (), released,
                             step_changes(self, i), self._source)

    def _call_norms(self, c):
        """(smallest, largest) positive finite norm over every gradient of call ``c``."""
        call = self._calls[c]
        if call.norm_range is None:
            norms = [g.norm for _, g in call.edge_list
                     if g is not None and g.norm is not None and np.isfinite(g.norm)
                     and g.norm > 0]
            call.norm_range = (min(norms), max(norms)) if norms else ()
        return call.norm_range

    def _accumulation(self, i):
        """{leaf id: (old .grad, added)} when entry ``i`` adds to an earlier ``.grad``."""
        leaf = self._accumulated.get(i)
        if leaf is None:
            return {}
        leaf_id, before, after = leaf
        if not (isinstance(before, np.ndarray) and isinstance(after, np.ndarray)) \
                or before.shape != after.shape:
            return {}
        return {leaf_id: (before, after - before)}

    def output_at(self, i: int) -> str | None:
        """What the script had printed by entry ``i`` (None for a timeline without a run).

        At a backward step: what was printed when that call began (a loop's later prints are
        not shown early); at its last step, what was printed before the statement's next
        backward call, or by the statement's end when none follows; at a statement followed by
        its backward steps, what was printed before its first backward call; else everything
        printed up to that statement. The last entry shows everything the script printed.
        """
        result = self._result
        statements = getattr(result, "statements", None)
        if not statements:
            return None
        entry = self.entries[i]
        printed = getattr(result, "output", "") or ""
        if i == len(self.entries) - 1 and entry.statement_index is not None:
            return printed
        calls = getattr(result, "calls", None) or []
        index = entry.statement_index

        def through_statement(k):
            return "".join(getattr(r, "output", "") or "" for r in statements[:k + 1])
        if entry.kind == "backward" and entry.call is not None and entry.call < len(calls):
            call = calls[entry.call]
            if call.statement_index is None:   # run after the script ("Run backward from here")
                return None
            if entry.step is not None and entry.step == entry.steps - 1:   # the call is over
                after = calls[entry.call + 1] if entry.call + 1 < len(calls) else None
                if after is not None and after.statement_index == call.statement_index:
                    return printed[:getattr(after, "output_before", len(printed))]
                if call.statement_index is not None:
                    return through_statement(call.statement_index)
            return printed[:getattr(call, "output_before", len(printed))]
        if index is None:
            return None
        text = through_statement(index)
        first_call = next((c for c in calls if c.statement_index == index), None)
        if first_call is not None and i != len(self.entries) - 1:  # its backward steps come next
            text = printed[:getattr(first_call, "output_before", len(text))]
        return text

    def lines_at(self, i: int) -> tuple[int, int | None] | None:
        """``(first, last)`` source line of the statement behind entry ``i``, or None."""
        index = self.entries[i].statement_index
        statements = getattr(self._result, "statements", None) or ()
        if index is None or not 0 <= index < len(statements):
            return None
        record = statements[index]
        mark = getattr(record, "mark", None)    # the body lines of a loop iteration
        return tuple(mark) if mark else (record.lineno, getattr(record, "end_lineno", None))

    def freed_at(self, node_id: str) -> int | None:
        """The entry whose backward step frees saved tensor ``node_id`` (None: never freed)."""
        return self._freed_at.get(node_id)

    def describe(self, node_id: str | None) -> str | None:
        """A node as the user knows it, never its internal id: ``"ReluBackward0 (line 14)"``,
        ``"AccumulateGrad of w1"``, ``"x"``; None when `node_id` is not in the graph."""
        if node_id is None or node_id not in self.graph:
            return None
        attrs = self.graph.nodes[node_id]
        name = str(attrs.get("label") or attrs.get("op") or "node")
        if attrs.get("kind") == "accumulate" and attrs.get("leaf_label"):
            return translate("Timeline", "{node} of {leaf}").format(node=name,
                                                                    leaf=attrs["leaf_label"])
        if attrs.get("kind") not in ("function", "saved"):
            return name
        at = self._forward_of.get(attrs.get("statement"))
        lineno = getattr(self.entries[at].record, "lineno", None) if at is not None else None
        return translate("Timeline", "{node} (line {line})").format(node=name, line=lineno) \
            if lineno is not None else name

    def step_for(self, node_id: str, i: int) -> Any:
        """The `StepRecording` that ran ``node_id`` in the backward call shown at entry ``i``,
        if it ran at or before ``i`` (the last such step), else None."""
        if i < 0:
            i += len(self.entries)
        c = self._call_at[i] if 0 <= i < len(self.entries) else None
        if c is None:
            return None
        call = self._calls[c]
        last = min(i, call.end) - call.start
        for j in range(last, -1, -1):
            if call.nodes[j] == node_id:
                return self.entries[call.start + j].record
        return None

    def nonfinite_origin(self, call: int) -> int | None:
        """The entry index where backward call ``call`` first made NaN/inf, or None."""
        origin = self._calls[call].origin
        return None if origin is None else self._calls[call].start + origin


def _nonfinite(g):
    """True when gradient ``g`` (array or `ValueStats`) holds NaN or inf."""
    if isinstance(g, ValueStats):
        return not g.finite
    if g is None or g.dtype.kind not in "fc":
        return False
    if g.size <= _SMALL and g.dtype.kind == "f":   # as in GradInfo._of_small
        return not all(map(math.isfinite, g.ravel().tolist()))
    return not np.isfinite(g).all()


@dataclass(frozen=True)
class BreakHit:
    """Why playback stopped: ``reason`` is ``"breakpoint"`` or ``"nonfinite"``."""

    index: int
    reason: str
    node: object
    op: object
    message: str


class Player:
    """A cursor over a `Timeline`: step, seek, breakpoints, and subscribers told of each move.

    Plain Python; the Qt player widget drives it with a ``QTimer`` and redraws from the
    `PlaybackState` its callback gets.

    Examples
    --------
    >>> from gradtrace.gui.model.graph import build_graph
    >>> from gradtrace.gui.model.runner import ScriptRunner
    >>> result = ScriptRunner().run("import torch\\nx = torch.ones(2, requires_grad=True)\\n"
    ...                             "(x * 3).sum().backward()\\n")
    >>> player = Player(Timeline.from_run(result, build_graph(result)))
    >>> player.add_breakpoint("MulBackward0")
    >>> player.run_to_break(), player.last_break.message
    (4, "breakpoint on 'MulBackward0' at backward step 2/3: MulBackward0")
    """

    def __init__(self, timeline, position=0):
        self.timeline = timeline
        self._position = max(0, min(position, len(timeline) - 1))
        self._subscribers = []
        self._breakpoints = set()
        self.break_on_nonfinite = False
        self.last_break = None
        self._state_key = self._state = None   # the state at (position, timeline length)

    @property
    def position(self) -> int:
        """The current timeline index."""
        return self._position

    @property
    def state(self) -> PlaybackState | None:
        """The `PlaybackState` at the current position (None on an empty timeline).

        Worked out once per position: every reader of one step (subscribers, the views) gets
        the same object.
        """
        key = (self._position, len(self.timeline))
        if key != self._state_key:
            self._state = self.timeline.state_at(self._position) if key[1] else None
            self._state_key = key
        return self._state

    @property
    def at_end(self) -> bool:
        return self._position >= len(self.timeline) - 1

    @property
    def breakpoints(self) -> frozenset:
        return frozenset(self._breakpoints)

    def subscribe(self, callback: Callable[[PlaybackState | None], object]
                  ) -> Callable[[], None]:
        """Call ``callback(state)`` after every move; returns a function that unsubscribes."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers \
            else None

    def notify(self) -> None:
        """Tell every subscriber the current state (also done after each move)."""
        state = self.state
        for callback in list(self._subscribers):
            callback(state)

    def seek(self, index: int) -> PlaybackState | None:
        """Move to ``index`` (clamped to the timeline); returns the new state."""
        index = max(0, min(int(index), len(self.timeline) - 1))
        if index != self._position:
            self._position = index
            self.notify()
        return self.state

    def step_forward(self) -> PlaybackState | None:
        return self.seek(self._position + 1)

    def step_back(self) -> PlaybackState | None:
        return self.seek(self._position - 1)

    def to_start(self) -> PlaybackState | None:
        return self.seek(0)

    def to_end(self) -> PlaybackState | None:
        return self.seek(len(self.timeline) - 1)

    def add_breakpoint(self, spec: str) -> None:
        """Stop at backward steps touching ``spec``: a node id, an op name or a user label."""
        self._breakpoints.add(spec)

    def remove_breakpoint(self, spec: str) -> None:
        self._breakpoints.discard(spec)

    def clear_breakpoints(self) -> None:
        self._breakpoints.clear()

    def hit(self, index: int) -> BreakHit | None:
        """The `BreakHit` at entry ``index`` under the current breakpoints, or None."""
        entry = self.timeline.entries[index]
        if entry.kind != "backward":
            return None
        if self.break_on_nonfinite and entry.nonfinite and \
                self.timeline.nonfinite_origin(entry.call) == index:
            return BreakHit(index, "nonfinite", entry.node, entry.op,
                            translate("Timeline", "NaN/inf gradient first made by {node} at "
                                      "{step}").format(node=self.timeline.describe(entry.node)
                                                       or entry.op, step=entry.label))
        matched = sorted(s for s in self._breakpoints if s in entry.names)
        if matched:
            what = self.timeline.describe(matched[0]) or repr(matched[0])
            return BreakHit(index, "breakpoint", entry.node, entry.op,
                            translate("Timeline", "breakpoint on {node} at {step}").format(
                                node=what, step=entry.label))
        return None

    def run_to_break(self) -> int:
        """Move forward to the next entry that hits a breakpoint (else to the end).

        Returns
        -------
        int
            The index it stopped at; ``last_break`` says why (None at the end).
        """
        for index in range(self._position + 1, len(self.timeline)):
            found = self.hit(index)
            if found is not None:
                self.last_break = found
                self.seek(index)
                return index
        self.last_break = None
        self.to_end()
        return self._position

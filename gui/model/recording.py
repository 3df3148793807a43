"""The Recording: a run as plain data (statements, graph, every backward step's gradients), the
one thing the timeline, inspector, exports and `gradtrace render` read; `.gtrace` files of it.
"""
from __future__ import annotations

import contextlib
import datetime
import io
import json
import math
import os
import platform
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["StepRecording", "CallRecording", "StatementRecording", "Recording", "ValueStats",
           "RecordingError", "record", "record_steps", "record_backward", "save", "load", "VALUE_CAP",
           "FORMAT_NAME"]

# arrays with more elements than this keep only their statistics (a `ValueStats`)
VALUE_CAP = 1_000_000
# the ``format`` field of every ``recording.json``
FORMAT_NAME = "gradtrace-recording"


@dataclass(frozen=True)
class ValueStats:
    """What a recording keeps of an array above its value cap: its statistics, no elements.

    Examples
    --------
    >>> ValueStats.of(np.array([3.0, 4.0]), cap=1).norm
    5.0
    """

    shape: tuple
    dtype: str
    numel: int
    cap: int
    norm: float | None = None
    nan: int = 0
    inf: int = 0
    min: float | None = None
    max: float | None = None
    mean: float | None = None

    @classmethod
    def of(cls, array: np.ndarray, cap: int) -> ValueStats:
        a = np.asarray(array)
        nan = inf = 0
        if a.dtype.kind in "fc" and a.size:
            nan, inf = int(np.isnan(a).sum()), int(np.isinf(a).sum())
        norm = float(np.sqrt(np.sum(np.square(np.abs(a), dtype=np.float64)))) \
            if a.size and a.dtype.kind in "biufc" else None
        lo = hi = mean = None
        if a.size and a.dtype.kind in "biuf":
            finite = a if nan == inf == 0 else a[np.isfinite(a)]
            if finite.size:
                lo, hi = float(finite.min()), float(finite.max())
                mean = float(finite.mean(dtype=np.float64))
        return cls(tuple(int(n) for n in a.shape), str(a.dtype), int(a.size), int(cap), norm,
                   nan, inf, lo, hi, mean)

    @property
    def finite(self) -> bool:
        return self.nan == 0 and self.inf == 0

    @property
    def note(self) -> str:
        """What a view says instead of the elements (in the user's language)."""
        from .i18n import translate
        return translate("Recording", "value not recorded: {count} elements (cap {cap})").format(
            count=f"{self.numel:,}", cap=f"{self.cap:,}")


@dataclass
class StepRecording:
    """One node run by the engine, in execution order, placed on the graph's ids.

    ``grads_in``: per output of the node, the gradient that arrived (numpy array, `ValueStats`
    above the value cap, or None); ``grads_out``: aligned with the node's ``next_functions``;
    an AccumulateGrad step also has ``leaf`` (the graph id showing the leaf) and the leaf's
    ``.grad`` before and after the step.
    """

    node: str | None
    op: str
    grads_in: tuple
    grads_out: tuple
    leaf: str | None = None
    grad_before: Any = None
    grad_after: Any = None


@dataclass
class CallRecording:
    """One ``backward()`` / ``autograd.backward`` / ``autograd.grad`` call: its steps in order.

    ``statement_index`` is None for a call made after the run ("Run backward from here").
    """

    statement_index: int | None
    kind: str
    steps: list
    output_before: int = 0
    retain_graph: bool = False


@dataclass
class StatementRecording:
    """One statement as it ran (the plain twin of `runner.StatementRecord`): its lines, text,
    printed output, error, and ``names``: each name bound to a tensor -> that tensor's graph id."""

    index: int
    lineno: int
    end_lineno: int
    source: str
    output: str
    error: Any = None
    part: str = ""
    mark: tuple | None = None
    names: dict = field(default_factory=dict)


@dataclass
class Recording:
    """A run as plain data: no engine object, no Qt. See docs/RECORDING.md.

    ``graph`` carries exactly `build_graph`'s attributes (docs/MODEL.md) without ``_index``;
    arrays above ``meta["value_cap"]`` elements are `ValueStats`.

    Examples
    --------
    >>> from gradtrace.gui.model.runner import ScriptRunner
    >>> rec = record(ScriptRunner().run("import torch\\nx = torch.ones(2, requires_grad=True)\\n"
    ...                                 "(x * 3).sum().backward()\\n"))
    >>> [s.op for s in rec.calls[0].steps]
    ['SumBackward0', 'MulBackward0', 'AccumulateGrad']
    """

    engine: str
    source: str
    statements: list
    calls: list
    graph: nx.DiGraph
    output: str = ""
    error: Any = None
    meta: dict = field(default_factory=dict)
    VERSION = 1


class RecordingError(ValueError):
    """A ``.gtrace`` file that cannot be read: damaged, not a recording, or from a newer
    gradtrace; the message names the file."""


# -- making a recording ---------------------------------------------------------------------

class _Values:
    """Engine values to host arrays, one array per tensor, the cap applied."""

    def __init__(self, cap):
        self.cap, self.omitted = cap, 0
        self._memo: dict[int, tuple[Any, Any]] = {}

    def array(self, value, copy=False):
        from .graph import to_numpy
        if value is None or isinstance(value, ValueStats):
            return value
        hit = self._memo.get(id(value))
        if hit is not None:
            return hit[1]
        arr = to_numpy(value)
        if arr is not None and arr.dtype.kind == "O":
            arr = None
        if arr is not None and arr.size > self.cap:
            self.omitted += 1
            out: Any = ValueStats.of(arr, self.cap)
        else:
            out = None if arr is None else (np.array(arr, copy=True) if copy else arr)
        self._memo[id(value)] = (value, out)   # keeps `value` alive: its id stays its own
        return out


def _op_name(node):
    name = getattr(node, "name", None)
    name = name() if callable(name) else type(node).__name__
    return str(name).rsplit("::", 1)[-1]   # "torch::autograd::AccumulateGrad"


def record_steps(steps: Iterable[Any], index: Any, graph: nx.DiGraph, *,
                 value_cap: int = VALUE_CAP, values: Any = None) -> list[StepRecording]:
    """`StepRecording` s of engine steps (duck-typed: ``.node``, ``.grads_in``, ``.grads_out``,
    ``.variable``, ``.grad_before``, ``.grad_after``), placed on ``graph`` by ``index`` (its
    `GraphIndex`). Each step is converted as it comes, before a live generator runs the next."""
    from .graph import collector_paused
    values = values if values is not None else _Values(value_cap)
    out = []
    with collector_paused():
        for step in steps:
            node_id = index.node_id(step.node) if index is not None else None
            if node_id is not None and node_id not in graph:
                node_id = None
            variable = getattr(step, "variable", None)
            leaf = before = after = None
            if variable is not None:
                leaf = index.leaf_id(variable) if index is not None else None
                # .grad may later change in place (zero_()): the recording keeps copies
                before = values.array(getattr(step, "grad_before", None), copy=True)
                after = values.array(getattr(step, "grad_after", None), copy=True)
            out.append(StepRecording(
                node_id, _op_name(step.node),
                tuple(values.array(g) for g in step.grads_in or ()),
                tuple(values.array(g) for g in step.grads_out or ()),
                leaf, before, after))
    return out


def _plain(value, values):
    """A rule argument as plain data (numbers, strings, tuples, arrays), or _SKIP."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) and value.dtype.kind != "O":
        return values.array(value)
    if isinstance(value, (tuple, list)):
        items = [_plain(v, values) for v in value]
        return _SKIP if any(v is _SKIP for v in items) else tuple(items)
    return _SKIP


_SKIP = object()


def _rule_facts(node, values):
    """A function node's rule arguments (``dim``, ``exponent``, ``reduction``, ...: what its
    backward reads besides saved tensors) and the shape of each input, as plain data."""
    args = {}
    for key, value in (getattr(node, "_kw", None) or {}).items():
        plain = _plain(value, values)
        if plain is not _SKIP and isinstance(key, str):
            args[key] = plain
    shapes = tuple(None if s is None else tuple(int(n) for n in s)
                   for s in (getattr(node, "_shapes", None) or ()))
    return args, shapes


def _capped_graph(graph, index, values, in_place=False):
    """A copy of ``graph`` (``in_place``: ``graph`` itself) without ``_index`` keys, arrays
    above the cap as `ValueStats`, and each function node's rule arguments (``args``) and
    input shapes (``input_shapes``)."""
    objects = index.objects if index is not None else {}

    def cap(node_id, attrs, out):
        for key in ("value", "grad"):
            if isinstance(out.get(key), np.ndarray):
                out[key] = values.array(out[key])
        if out.get("kind") == "function" and "args" not in out:
            out["args"], out["input_shapes"] = _rule_facts(objects.get(node_id), values)
        return out
    if in_place:
        for key in [k for k in graph.graph if str(k).startswith("_")]:
            del graph.graph[key]
        for node_id, attrs in graph.nodes(data=True):
            cap(node_id, attrs, attrs)
        return graph
    plain = nx.DiGraph()
    plain.graph.update((k, v) for k, v in graph.graph.items() if not str(k).startswith("_"))
    plain.add_nodes_from((n, cap(n, a, dict(a))) for n, a in graph.nodes(data=True))
    plain.add_edges_from(graph.edges(data=True))
    return plain


def _engine_name(result):
    engine = getattr(result, "engine", None)
    if isinstance(engine, str):
        return engine
    name = getattr(engine, "__name__", "") or ""
    return "torch" if name.split(".")[0] == "torch" else "gradtrace"


def record(result: Any, *, graph: nx.DiGraph | None = None, include_saved: bool = True,
           value_cap: int = VALUE_CAP, device: str | None = None, title: str | None = None,
           graph_ready: Callable[[nx.DiGraph], object] | None = None,
           own_graph: bool = False) -> Recording:
    """The `Recording` of a `RunResult` (or anything shaped like one, from either engine).

    ``graph``: the result's graph when already built (`build_graph(result, include_saved=...)`),
    else built here; with ``result`` None, the recording of ``graph`` alone (no statements:
    the timeline shows it whole, under ``title``, as `gradtrace.gui.show` does). Arrays above
    ``value_cap`` elements keep only their statistics. ``graph_ready`` is called with the
    recording's graph as soon as it is made, before the statements and steps are recorded
    (the run's child process sends it ahead, to be laid out meanwhile). With ``own_graph`` the
    recording takes ``graph`` itself (capped in place, its ``_index`` dropped: take
    `graph_index` first) instead of a copy, for a caller that needs it no more as built.
    """
    from .graph import build_graph, collector_paused, graph_index
    if graph is None:
        if result is None:
            raise TypeError("record(None) needs the graph to record (graph=...)")
        graph = build_graph(result, include_saved=include_saved)
    with collector_paused():   # many small objects, none garbage: nothing for it to find
        return _record(result, graph, graph_index(graph), value_cap, device, title,
                       graph_ready, own_graph)


def _record(result, graph, index, value_cap, device, title, graph_ready, own_graph):
    values = _Values(value_cap)
    plain = _capped_graph(graph, index, values, in_place=own_graph)
    if graph_ready is not None:
        graph_ready(plain)
    statements = []
    for pos, st in enumerate(getattr(result, "statements", None) or ()):
        names = {}
        tensors = getattr(st, "tensors", None) or {}
        if index is not None:
            for name, t in tensors.items():
                node_id = index.tensor_id(t)
                if node_id is not None and node_id in plain:
                    names[name] = node_id
        mark = getattr(st, "mark", None)
        statements.append(StatementRecording(
            getattr(st, "index", pos), st.lineno, getattr(st, "end_lineno", st.lineno),
            getattr(st, "source", "") or "", getattr(st, "output", "") or "",
            getattr(st, "error", None), getattr(st, "part", "") or "",
            None if mark is None else tuple(mark), names))
    calls = []
    for call in getattr(result, "backward_calls", None) or ():
        calls.append(CallRecording(
            call.statement_index, getattr(call, "kind", "backward"),
            record_steps(call.steps, index, plain, values=values),
            getattr(call, "output_before", 0), bool(getattr(call, "retain_graph", False))))
    engine_name = _engine_name(result)
    engine = sys.modules.get("torch" if engine_name == "torch" else "gradtrace.core")
    meta = {"engine_version": getattr(result, "engine_version", None) or  # torch's runner
            getattr(engine, "__version__", None),
            "python": platform.python_version(),
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "device": device, "value_cap": int(value_cap), "values_omitted": values.omitted}
    if title is not None:
        meta["title"] = title
    return Recording(engine_name, getattr(result, "source", "") or "", statements, calls,
                     plain, getattr(result, "output", "") or "", getattr(result, "error", None),
                     meta)


def record_backward(root: Any, index: Any, graph: nx.DiGraph, gradient: Any = None, *,
                    value_cap: int = VALUE_CAP) -> CallRecording:
    """Run backward from ``root`` (a tensor, or the graph id of one in ``index``, the run's
    `GraphIndex`) with ``retain_graph=True`` and record its steps on ``graph``: "Run backward
    from here", in the process that holds the run's tensors. Each run accumulates into the
    leaves' ``.grad``, as ``backward()`` does.

    Raises
    ------
    KeyError
        ``root`` is no tensor node of the graph.
    """
    from gradtrace.core.autograd import iter_backward

    from .graph import is_tensor
    tensor = root
    if not is_tensor(root):
        tensor = index.objects.get(root) if index is not None else None
        if not is_tensor(tensor):
            raise KeyError(f"no tensor node {root!r} in the graph")
    grads = None if gradient is None else [gradient]
    steps = record_steps(iter_backward([tensor], grads, retain_graph=True), index, graph,
                         value_cap=value_cap)
    return CallRecording(None, "backward", steps, retain_graph=True)


# -- the .gtrace file -----------------------------------------------------------------------

_SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class _Encoder:
    """Plain data -> JSON-able data; arrays collected apart (one per distinct buffer)."""

    def __init__(self):
        self.arrays: dict[str, np.ndarray] = {}
        self._keys: dict[tuple, str] = {}
        self._keep: list = []

    def array(self, a, where):
        if a.dtype.kind == "O":
            raise TypeError(f"{where}: an array of Python objects cannot be saved")
        iface = a.__array_interface__
        key = (iface["data"][0], a.shape, iface["strides"], a.dtype.str)
        name = self._keys.get(key)
        if name is None or not a.size:
            name = f"a{len(self.arrays)}"
            self._keys[key] = name
            self.arrays[name] = a
            self._keep.append(a)
        return {"$array": name}

    def __call__(self, obj, where="recording"):
        if obj is None or isinstance(obj, bool):
            return obj
        if isinstance(obj, str):
            return {"$str": obj} if obj in _SPECIAL_FLOATS else obj
        if isinstance(obj, int):
            return int(obj)
        if isinstance(obj, float):
            return obj if math.isfinite(obj) else ("nan" if math.isnan(obj) else
                                                   ("inf" if obj > 0 else "-inf"))
        if isinstance(obj, np.ndarray):
            return self.array(obj, where)
        if isinstance(obj, np.generic):
            return self(obj.item(), where)
        if isinstance(obj, tuple):
            return {"$tuple": [self(v, where) for v in obj]}
        if isinstance(obj, list):
            return [self(v, where) for v in obj]
        if isinstance(obj, dict):
            if all(isinstance(k, str) and not k.startswith("$") for k in obj):
                return {k: self(v, f"{where}.{k}") for k, v in obj.items()}
            return {"$dict": [[self(k, where), self(v, where)] for k, v in obj.items()]}
        if isinstance(obj, (set, frozenset)):
            return {"$set": [self(v, where) for v in obj]}
        if isinstance(obj, ValueStats):
            return {"$stats": {f.name: self(getattr(obj, f.name), where) for f in fields(obj)}}
        if type(obj).__name__ == "ScriptError" and hasattr(obj, "kind"):
            return {"$error": {f.name: self(getattr(obj, f.name), where) for f in fields(obj)}}
        raise TypeError(f"{where}: a {type(obj).__name__} cannot be saved in a recording")


class _Decoder:
    def __init__(self, arrays):
        self.arrays = arrays

    def __call__(self, obj):
        if isinstance(obj, str):
            return _SPECIAL_FLOATS.get(obj, obj)
        if isinstance(obj, list):
            return [self(v) for v in obj]
        if not isinstance(obj, dict):
            return obj
        if len(obj) == 1:
            (key, value), = obj.items()
            if key.startswith("$"):
                return self._special(key, value)
        return {k: self(v) for k, v in obj.items()}

    def _special(self, key, value):
        if key == "$array":
            if value not in self.arrays:
                raise ValueError(f"array {value!r} is missing from arrays.npz")
            return self.arrays[value]
        if key == "$str":
            return str(value)
        if key == "$tuple":
            return tuple(self(v) for v in value)
        if key == "$dict":
            return {_hashable(self(k)): self(v) for k, v in value}
        if key == "$set":
            return frozenset(_hashable(self(v)) for v in value)
        if key == "$stats":
            return ValueStats(**{k: self(v) for k, v in value.items()})
        if key == "$error":
            from .runner import ScriptError
            return ScriptError(**{k: self(v) for k, v in value.items()})
        raise ValueError(f"unknown value kind {key!r}")


def _hashable(v):
    return tuple(_hashable(x) for x in v) if isinstance(v, list) else v


def _to_document(rec, enc):
    graph = rec.graph
    return {
        "format": FORMAT_NAME, "version": Recording.VERSION, "engine": rec.engine,
        "source": rec.source, "output": rec.output, "error": enc(rec.error, "error"),
        "meta": enc(dict(rec.meta), "meta"),
        "statements": [{f.name: enc(getattr(st, f.name), f"statements[{k}].{f.name}")
                        for f in fields(StatementRecording)}
                       for k, st in enumerate(rec.statements)],
        "calls": [{"statement_index": c.statement_index, "kind": c.kind,
                   "output_before": int(c.output_before), "retain_graph": bool(c.retain_graph),
                   "steps": [{f.name: enc(getattr(s, f.name), f"calls[{k}].steps[{j}].{f.name}")
                              for f in fields(StepRecording)} for j, s in enumerate(c.steps)]}
                  for k, c in enumerate(rec.calls)],
        "graph": {
            "graph": enc({k: v for k, v in graph.graph.items() if not str(k).startswith("_")},
                         "graph"),
            "nodes": [[n, enc(a, f"node {n!r}")] for n, a in graph.nodes(data=True)],
            "edges": [[u, v, enc(a, f"edge {u!r} -> {v!r}")]
                      for u, v, a in graph.edges(data=True)]},
    }


def save(recording: Recording, path: str | os.PathLike) -> None:
    """Write ``recording`` to ``path`` (a ``.gtrace`` zip: recording.json + arrays.npz).

    The file is written whole to a temporary file beside it, then moved into place.
    """
    enc = _Encoder()
    text = json.dumps(_to_document(recording, enc), ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **enc.arrays)  # type: ignore[arg-type]
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".gtrace-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
            zf.writestr("recording.json", text.encode("utf-8"), zipfile.ZIP_DEFLATED)
            zf.writestr("arrays.npz", buffer.getvalue(), zipfile.ZIP_STORED)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)   # as open() would have made it, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load(path: str | os.PathLike) -> Recording:
    """Read a ``.gtrace`` file (arrays with ``allow_pickle=False``: no object arrays).

    Raises
    ------
    RecordingError
        The file is not a recording, is damaged, or was written by a newer gradtrace.
    OSError
        The file cannot be read at all.
    """
    path = os.fspath(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            for needed in ("recording.json", "arrays.npz"):
                if needed not in names:
                    raise ValueError(f"it has no {needed}")
            doc = json.loads(zf.read("recording.json").decode("utf-8"))
            npz_bytes = zf.read("arrays.npz")
    except zipfile.BadZipFile as exc:
        raise RecordingError(f"{path}: not a gradtrace recording (not a zip file: {exc})") \
            from None
    except (ValueError, UnicodeDecodeError, zipfile.LargeZipFile, EOFError) as exc:
        raise RecordingError(f"{path}: not a gradtrace recording ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise RecordingError(f"{path}: not a gradtrace recording (recording.json has no "
                             f"format {FORMAT_NAME!r})")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise RecordingError(f"{path}: damaged recording: its version is {version!r}")
    if version > Recording.VERSION:
        raise RecordingError(
            f"{path} was written by a newer gradtrace (recording format version {version}; "
            f"this gradtrace reads version {Recording.VERSION} and older)")
    try:
        with np.load(io.BytesIO(npz_bytes), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except ValueError as exc:   # an object array: numpy refuses it without pickle
        raise RecordingError(f"{path}: refused: arrays.npz holds an array that needs pickle "
                             f"to load ({exc})") from None
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise RecordingError(f"{path}: damaged recording: arrays.npz: {exc}") from None
    try:
        return _from_document(doc, _Decoder(arrays))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        what = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise RecordingError(f"{path}: damaged recording: {what}") from None


def _from_document(doc, dec):
    graph = nx.DiGraph()
    g = doc["graph"]
    graph.graph.update(dec(g["graph"]))
    graph.add_nodes_from((n, dec(a)) for n, a in g["nodes"])
    graph.add_edges_from((u, v, dec(a)) for u, v, a in g["edges"])
    statements = []
    for st in doc["statements"]:
        values = {f.name: dec(st[f.name]) for f in fields(StatementRecording) if f.name in st}
        statements.append(StatementRecording(**values))
    calls = []
    for c in doc["calls"]:
        steps = [StepRecording(**{f.name: dec(s[f.name]) for f in fields(StepRecording)
                                  if f.name in s}) for s in c["steps"]]
        calls.append(CallRecording(c["statement_index"], c["kind"], steps,
                                   int(c.get("output_before", 0)),
                                   bool(c.get("retain_graph", False))))
    return Recording(doc["engine"], doc["source"], statements, calls, graph,
                     doc.get("output", ""), dec(doc.get("error")), dec(doc.get("meta") or {}))

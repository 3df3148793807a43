"""The graph model: a ``networkx.DiGraph`` of named tensors, grad_fn and AccumulateGrad nodes,
with ids that stay stable across re-runs of an edited script; built by iterative walks.
"""
from __future__ import annotations

import ast
import bisect
import contextlib
import gc
import textwrap
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import networkx as nx
import numpy as np

from gradtrace.core._graph import Node as _EngineNode
from gradtrace.core._graph import saved_tensors as _engine_saved_tensors

__all__ = ["build_graph", "GraphIndex", "graph_index", "statement_keys", "summarize", "to_numpy",
           "is_tensor", "saved_tensors", "collector_paused", "collector_is_paused",
           "keep_from_collector", "return_to_collector", "forget_views", "user_group_name"]

# Statement sources that cut the graph on purpose: a leaf made there from a tensor that needs
# grad is linked to it by a "cut" edge.
_CUT_WORDS = ("detach", "no_grad", "inference_mode", "set_grad_enabled", ".data")


class GraphIndex:
    """Links between graph node ids and the engine objects they stand for.

    Kept in ``graph.graph["_index"]`` (export leaves keys starting with ``_`` out). The
    playback model uses it to place recorded ``BackwardStep`` s on the graph.

    Attributes
    ----------
    objects : dict
        node id -> the engine object (``Tensor`` for tensor/constant/saved nodes, ``Node`` for
        function and accumulate nodes).
    """

    def __init__(self):
        self.objects = {}
        self._node_ids = {}   # id(engine Node) -> node id
        self._leaf_ids = {}   # id(leaf Tensor) -> the node id showing the leaf
        self._acc_ids = {}    # id(leaf Tensor) -> its AccumulateGrad node id
        self._tensor_ids = {}  # id(Tensor) -> tensor node id
        self._keep = []        # keeps every object whose id() is a key alive

    def node_id(self, node: Any) -> str | None:
        """The graph id of an engine ``Node`` (an ``AccumulateGrad`` maps by its leaf), or None."""
        if node is None:
            return None
        found = self._node_ids.get(id(node))
        if found is None:
            variable = _variable(node)
            if variable is not None:
                return self._acc_ids.get(id(variable))
        return found

    def leaf_id(self, tensor: Any) -> str | None:
        """The node showing leaf ``tensor``: its tensor node if named, else its AccumulateGrad."""
        return None if tensor is None else self._leaf_ids.get(id(tensor))

    def tensor_id(self, tensor: Any) -> str | None:
        """The id of the tensor node for ``tensor`` (a named tensor), or None."""
        return None if tensor is None else self._tensor_ids.get(id(tensor))

    def _add(self, table, obj, node_id):
        table[id(obj)] = node_id
        self._keep.append(obj)


def graph_index(graph: nx.DiGraph) -> GraphIndex | None:
    """The ``GraphIndex`` of a graph made by `build_graph` (None for a graph read from JSON)."""
    return graph.graph.get("_index")


@contextlib.contextmanager
def collector_paused(keep: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a build that allocates much, frees little.

    Each collection would rescan the whole engine graph (tens of thousands of objects), which
    otherwise costs more than the build itself. With ``keep`` (what is made lives on: a big
    graph's document) everything is moved out of the collector's sight (`keep_from_collector`)
    before it resumes, else its first collections would walk all of it at once (about 0.1 s
    per million objects, every thread blocked).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    with _PAUSE_LOCK:
        _PAUSES[0] += 1
    try:
        yield
        if keep:
            keep_from_collector()
    finally:
        with _PAUSE_LOCK:
            _PAUSES[0] -= 1
        if was_enabled:
            gc.enable()


# how many collector_paused blocks are open, in any thread (the app's GUI-thread collections,
# gui/collector.py, wait for them too)
_PAUSES = [0]
_PAUSE_LOCK = threading.Lock()


def collector_is_paused() -> bool:
    """Whether a `collector_paused` block is open in some thread."""
    return _PAUSES[0] > 0


#: whether `keep_from_collector` moved objects out of the collector's sight (one flag for the
#: whole process: the pipeline's documents and the scene's items of big graphs)
FROZEN = [False]


def keep_from_collector() -> None:
    """Move every object that exists now out of the cyclic collector's sight (``gc.freeze``):
    a big graph and what is made of it stay as long as it is shown, so later collections need
    not walk them again. `return_to_collector` gives them back (the graph replaced)."""
    gc.freeze()
    FROZEN[0] = True


def return_to_collector() -> None:
    """What `keep_from_collector` kept may be collected again (``gc.unfreeze``)."""
    if FROZEN[0]:
        gc.unfreeze()
        FROZEN[0] = False


#: the views networkx caches on a graph (functools.cached_property, in its ``__dict__``)
_CACHED_VIEWS = ("adj", "succ", "pred", "nodes", "edges", "out_edges", "in_edges", "degree",
                 "in_degree", "out_degree")


def forget_views(graph: nx.DiGraph) -> None:
    """Drop the views networkx cached on ``graph`` (``graph.in_degree``, ``graph.edges``...):
    they hold the graph, a cycle that only the cyclic collector frees, and a big graph is
    kept out of its sight (`keep_from_collector`) from before it is replaced until after, so
    a replaced graph would stay with all its nodes. A view asked for again is made again.

    >>> g = nx.DiGraph([("a", "b")]); _ = g.in_degree; forget_views(g)
    >>> "in_degree" in vars(g), dict(g.in_degree)
    (False, {'a': 0, 'b': 1})
    """
    state = vars(graph)
    for name in _CACHED_VIEWS:
        state.pop(name, None)


def is_tensor(obj: object) -> bool:
    """True for a tensor of the engine (or of PyTorch, which has the same graph API)."""
    return (not isinstance(obj, (type, np.ndarray)) and hasattr(obj, "grad_fn")
            and hasattr(obj, "requires_grad") and hasattr(obj, "shape"))


def to_numpy(value: Any) -> np.ndarray | None:
    """The one converter from what the engine hands out to a numpy array on the host.

    Takes a tensor (gradtrace's or PyTorch's, on any device: detached, moved to the host, no
    copy when already there), a device array (CuPy's ``.get()``), a numpy array (returned as
    it is), a number or a nested list; None for None and for anything that cannot convert.

    Examples
    --------
    >>> to_numpy(None) is None
    True
    >>> to_numpy([1.5, 2.0]).tolist()
    [1.5, 2.0]
    """
    if value is None or isinstance(value, np.ndarray):
        return value
    if is_tensor(value):
        try:   # gradtrace and PyTorch
            return np.asarray(value.numpy(force=True))
        except (TypeError, RuntimeError, AttributeError):
            try:   # bfloat16 and friends have no numpy dtype
                return np.asarray(value.detach().float().numpy(force=True))
            except Exception:  # noqa: BLE001 - a summary must never break the picture
                return None
    get = getattr(value, "get", None)
    try:
        if callable(get) and not isinstance(value, dict):   # a CuPy array
            return np.asarray(get())
        return np.asarray(value)
    except Exception:  # noqa: BLE001 - a value we cannot read is not shown
        return None


def summarize(array: Any) -> dict[str, Any] | None:
    """Min, mean, max over the finite values, NaN and inf counts, element count.

    Examples
    --------
    >>> summarize(np.array([1.0, np.nan, 3.0]))["mean"]
    2.0
    """
    if array is None:
        return None
    a = np.asarray(array)
    out: dict[str, Any] = {"min": None, "mean": None, "max": None, "nan": 0, "inf": 0, "numel": int(a.size)}
    if a.size == 0 or a.dtype.kind not in "biuf":
        return out
    if a.dtype.kind == "f":
        finite = np.isfinite(a)
        if not finite.all():
            nan = int(np.isnan(a).sum())
            out["nan"], out["inf"] = nan, int(a.size - finite.sum()) - nan
            a = a[finite]
            if a.size == 0:
                return out
    out["min"], out["max"] = float(a.min()), float(a.max())
    out["mean"] = float(a.mean(dtype=np.float64))
    return out


_DTYPE_NAMES: dict[Any, str] = {}
_MISSING = object()


def _short_dtype(dtype):
    """``"float32"`` for ``torch.float32`` or ``numpy.float32`` (cached: str(dtype) is slow)."""
    if dtype is None:
        return None
    try:
        return _DTYPE_NAMES[dtype]
    except KeyError:
        name = _DTYPE_NAMES[dtype] = str(dtype).rsplit(".", 1)[-1]
        return name
    except TypeError:   # unhashable
        return str(dtype).rsplit(".", 1)[-1]


def _tensor_attrs(t):
    """The attributes every node made from one tensor carries."""
    value = to_numpy(t)
    return {
        "shape": tuple(int(n) for n in t.shape), "dtype": _short_dtype(t.dtype),
        "device": str(getattr(t, "device", "cpu")), "requires_grad": bool(t.requires_grad),
        "is_leaf": bool(getattr(t, "is_leaf", t.grad_fn is None)),
        "grad_fn": None if t.grad_fn is None else repr(t.grad_fn),   # as PyTorch prints it
        "summary": summarize(value), "value": value,
        "grad": to_numpy(t.grad) if t.requires_grad and (
            t.grad_fn is None or getattr(t, "retains_grad", False)) else None,
    }


_HAS_VARIABLE: dict[type, bool] = {}


def _variable(node):
    """The leaf of an AccumulateGrad node, else None (one type check, no failing getattr)."""
    has = _HAS_VARIABLE.get(type(node))
    if has is None:
        has = _HAS_VARIABLE[type(node)] = hasattr(type(node), "variable")
    return node.variable if has else None


def _node_name(node):
    name = getattr(node, "name", None)
    name = name() if callable(name) else type(node).__name__
    return name.rsplit("::", 1)[-1]   # PyTorch says "torch::autograd::AccumulateGrad"


def _sequence_nr(node):
    seq = getattr(node, "_sequence_nr", None)
    try:
        return int(seq()) if callable(seq) else None
    except Exception:  # noqa: BLE001
        return None


def _scope(node):
    if isinstance(node, _EngineNode):   # its .metadata lives in _extra, made on first read
        extra = node._extra
        meta = None if extra is None else extra.metadata
    else:
        meta = getattr(node, "_metadata", _MISSING)
        if meta is _MISSING:
            meta = getattr(node, "metadata", None)
    scope = meta.get("scope") if isinstance(meta, dict) else None
    # the script may write anything into grad_fn.metadata["scope"] (PyTorch gives it no
    # meaning): only a plain string names a group; a list, tensor, ... is no group at all
    return scope if type(scope) is str and scope else None


def saved_tensors(node: Any) -> dict[str, Any]:
    """The tensors ``node`` saved for backward, by PyTorch's names (``{}`` once freed).

    A PyTorch node's are its ``_saved_*`` attributes that hold tensors, named without the
    prefix (``_saved_self`` -> ``"self"``; a list ``_saved_indices`` -> ``"indices[0]"``, ...),
    and a custom Function's ``saved_tensors`` (``"saved_tensors[0]"``), as gradtrace names them.
    """
    if isinstance(node, _EngineNode):
        op = getattr(node, "_op", None)
        if op is not None and not op.saves:   # saves nothing (its _saved never set)
            return {}
    try:
        return dict(_engine_saved_tensors(node))
    except (AttributeError, TypeError):   # not a gradtrace node (e.g. PyTorch's)
        return _saved_attributes(node)


_SAVED_ATTRS: dict[type, tuple[str, ...]] = {}


def _saved_attributes(node):
    """A PyTorch node's saved tensors, read from its ``_saved_*`` attributes (duck-typed)."""
    kind = type(node)
    attrs = _SAVED_ATTRS.get(kind)
    if attrs is None:
        attrs = tuple(a for a in dir(kind) if a.startswith("_saved_"))
        if hasattr(kind, "saved_tensors") and hasattr(kind, "save_for_backward"):
            attrs += ("saved_tensors",)   # a custom autograd.Function's node
        _SAVED_ATTRS[kind] = attrs
    out: dict[str, Any] = {}
    for attr in attrs:
        try:
            value = getattr(node, attr)
        except RuntimeError:   # freed by a backward without retain_graph
            return {}
        except Exception:  # noqa: BLE001 - an attribute that cannot be read shows nothing
            continue
        name = attr[len("_saved_"):] if attr.startswith("_saved_") else attr
        if is_tensor(value):
            out[name] = value
        elif isinstance(value, (tuple, list)) and (attr == "saved_tensors" or any(
                is_tensor(v) for v in value)):
            out.update((f"{name}[{i}]", v) for i, v in enumerate(value) if is_tensor(v))
    return out


#: saved tensors up to this many elements keep a copy of their values in a snapshot
SAVED_VALUE_CAP = 4096


def saved_snapshot(roots: Iterable[Any]) -> dict[int, tuple[Any, dict[str, Any]]]:
    """What every node behind `roots` (tensors) has saved, before a backward call frees it:
    ``{id(node): (node, {name: (tensor, attributes)})}``, attributes as a tensor node's (shape,
    dtype, summary, ...) then, ``value`` a copy when at most `SAVED_VALUE_CAP` elements.

    Examples
    --------
    >>> import gradtrace.core as torch
    >>> x = torch.ones(2, requires_grad=True)
    >>> [(n.name(), sorted(s)) for n, s in saved_snapshot([x * x]).values()]  # name: (t, attrs)
    [('MulBackward0', ['other', 'self'])]
    """
    starts = [t.grad_fn for t in roots if is_tensor(t) and t.grad_fn is not None]
    snapshot = {}
    with collector_paused():
        for node in _walk(starts):
            saved = saved_tensors(node)
            if not saved:
                continue
            infos = {}
            for name, t in saved.items():
                attrs = _tensor_attrs(t)
                value = attrs["value"]
                attrs["value"] = None if value is None or value.size > SAVED_VALUE_CAP else \
                    np.array(value, copy=True)
                attrs["grad"] = None
                infos[name] = (t, attrs)
            snapshot[id(node)] = (node, infos)
    return snapshot


def _statement_key(source):
    """A statement's name that survives edits elsewhere: what it assigns, else its text."""
    try:
        body = ast.parse(textwrap.dedent(source or "")).body
    except SyntaxError:
        body = []
    if len(body) == 1:
        st = body[0]
        if isinstance(st, ast.Assign):
            return "=".join(ast.unparse(t).replace(" ", "") for t in st.targets)
        if isinstance(st, (ast.AugAssign, ast.AnnAssign)):
            return ast.unparse(st.target).replace(" ", "")
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return f"def {st.name}"
        if not isinstance(st, ast.Expr):
            names = []
            for sub in ast.walk(st):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) \
                        and sub.id not in names:
                    names.append(sub.id)
            keyword = type(st).__name__.lower().replace("async", "")
            if names:
                return f"{keyword} {','.join(names)}"
    text = " ".join((source or "").split())
    return text[:40] or "?"


def statement_keys(sources: Sequence[str]) -> list[str]:
    """Stable keys for statements: what each assigns (or its text), ``#n`` for repeats.

    Examples
    --------
    >>> statement_keys(["x = 1", "y = x", "x = x + 1", "out.backward()"])
    ['x', 'y', 'x#2', 'out.backward()']
    """
    keys: list[str] = []
    seen: dict[str, int] = {}
    for source in sources:
        base = _statement_key(source)
        seen[base] = n = seen.get(base, 0) + 1
        keys.append(base if n == 1 else f"{base}#{n}")
    return keys


def _loaded_names(source):
    try:
        tree = ast.parse(textwrap.dedent(source or ""))
    except SyntaxError:
        return []
    return [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]


class _Named:
    """One named tensor: its first binding (name, statement) and later aliases."""
    __slots__ = ("tensor", "name", "statement", "key", "aliases", "cut_from", "node_id")

    def __init__(self, tensor, name, statement, key):
        self.tensor, self.name, self.statement, self.key = tensor, name, statement, key
        self.aliases, self.cut_from, self.node_id = [], [], None


def _collect(source, names):
    """Named tensors in binding order, root tensors, statement keys by index, and labels."""
    named, by_obj = [], {}

    def add(t, name, statement, key):
        entry = by_obj.get(id(t))
        if entry is None:
            by_obj[id(t)] = entry = _Named(t, name, statement, key)
            named.append(entry)
            return entry, True
        if name != entry.name and name not in entry.aliases:
            entry.aliases.append(name)
        return entry, False

    def pick(bound):
        wanted = bound if names is None else {n: bound[n] for n in names if n in bound}
        return [t for t in wanted.values() if is_tensor(t)]

    records = getattr(source, "statements", None)
    if records is not None:   # a RunResult
        records = list(records)
        sources = [getattr(r, "source", "") or "" for r in records]
        keys, env = {}, {}
        for pos, (record, key, text) in enumerate(zip(records, statement_keys(sources), sources)):
            index = getattr(record, "index", pos)
            keys[index] = key
            bound = getattr(record, "tensors", None) or {}
            # the runner's records share what did not change (gui/model/bindings.py): only
            # what each binds anew is walked, not every name at every statement
            bound = getattr(bound, "delta", bound)
            fresh = [(n, t) for n, t in bound.items() if is_tensor(t) and env.get(n) is not t]
            for name, t in fresh:
                entry, new = add(t, name, index, key)
                if new and t.grad_fn is None and (
                        not t.requires_grad or any(w in text for w in _CUT_WORDS)):
                    entry.cut_from = [env[n] for n in dict.fromkeys(_loaded_names(text))
                                      if n in env and env[n] is not t and env[n].requires_grad]
            env.update(fresh)
        final = getattr(source, "tensors", None)
        final = env if final is None else dict(final)
        for name, t in final.items():
            if is_tensor(t):
                add(t, name, None, None)
        return named, pick(final), keys, dict(getattr(source, "labels", None) or {})
    if is_tensor(source):
        source = [source]
    if isinstance(source, dict):
        for name, t in source.items():
            if is_tensor(t):
                add(t, name, None, None)
        return named, pick(source), {}, {}
    for name, t in dict(names or {}).items():
        if is_tensor(t):
            add(t, name, None, None)
    return named, [t for t in source if is_tensor(t)], {}, {}


def user_group_name(scope: str, modules: dict[str, Any] | None) -> str:
    """The name a user knows a scope by: the module's variable and attribute path
    (``"model.0"``, ``"loss_fn"``) when the script's `modules` (name -> (class name, submodule
    paths), from the runner) tell it unambiguously, else the scope itself (a ``def``'s name).

    Examples
    --------
    >>> mods = {"model": ("Sequential", ("0", "1")), "loss_fn": ("CrossEntropyLoss", ())}
    >>> [user_group_name(s, mods) for s in ("0", "CrossEntropyLoss", "square_plus")]
    ['model.0', 'loss_fn', 'square_plus']
    """
    if not modules:
        return scope
    by_class = [name for name, (cls, _) in modules.items() if cls == scope]
    if len(by_class) == 1:
        return by_class[0]
    holders = [name for name, (_, paths) in modules.items() if scope in paths]
    if len(holders) == 1:
        return f"{holders[0]}.{scope}"
    return scope


def _name_groups(graph, modules=None):
    """Groups get the user's names (`user_group_name`); a module called several times (a
    training loop) becomes one group per call, ``"model.0"``, ``"model.0 (call 2)"``, ...

    A call is a weakly connected piece of the group's nodes together with the nodes of the
    groups inside it (``"net.conv1"`` is inside ``"net"``): a parent's own nodes between its
    submodules' calls (relu, max_pool, ...) are one call with them, not a piece each. Calls are
    numbered by their first node's creation. ``graph.graph["group_parent"]`` maps each group to
    the group (call) around it, for frames and collapsing.
    """
    base = {}
    for node, attrs in graph.nodes(data=True):
        if attrs.get("group"):
            base[node] = user_group_name(attrs["group"], modules)
    names = set(base.values())
    under = {}   # group -> every node of it and of the groups inside it
    for node, name in base.items():
        under.setdefault(name, []).append(node)
        parent = name.rpartition(".")[0]
        while parent:
            if parent in names:
                under.setdefault(parent, []).append(node)
            parent = parent.rpartition(".")[0]

    def first(piece):
        return min((graph.nodes[n]["sequence_nr"] for n in piece
                    if graph.nodes[n].get("sequence_nr") is not None), default=float("inf"))

    call_of = {}   # (group, node of it or inside it) -> the group's name for that call
    for name in sorted(names, key=lambda n: n.count(".")):
        pieces = [piece for piece in nx.weakly_connected_components(graph.subgraph(under[name]))
                  if any(base[n] == name for n in piece)]
        pieces.sort(key=first)
        for k, piece in enumerate(pieces, 1):
            called = name if k == 1 else f"{name} (call {k})"
            for node in piece:
                call_of[name, node] = called
    parents = {}
    for node, name in base.items():
        own = call_of[name, node]
        graph.nodes[node]["group"] = own
        parent = name.rpartition(".")[0]
        while parent and (parent, node) not in call_of:
            parent = parent.rpartition(".")[0]
        if parent:
            parents[own] = call_of[parent, node]
    graph.graph["group_parent"] = parents


def _walk(starts, allowed=None, seen=None):
    """Engine nodes reachable from ``starts`` along ``next_functions`` (iterative DFS)."""
    order, stack = [], list(reversed(starts))
    seen = {} if seen is None else seen
    while stack:
        node = stack.pop()
        key = id(node)
        if key in seen or (allowed is not None and key not in allowed):
            continue
        seen[key] = node
        order.append(node)
        for nxt, _ in reversed(getattr(node, "next_functions", ()) or ()):
            if nxt is not None and id(nxt) not in seen:
                stack.append(nxt)
    return order


def _tensor_id(entry, taken):
    """``name`` when the statement's key is the name (``x = ...``), else ``name@key``."""
    base = entry.name if entry.key is None or entry.key == entry.name else \
        f"{entry.name}@{entry.key}"
    node_id, n = base, 1
    while node_id in taken:
        n += 1
        node_id = f"{base}~{n}"
    taken.add(node_id)
    return node_id


class _GraphBuilder:
    """One build: the walk, statement claims, stable ids, node rows, then edges."""

    def __init__(self, named, roots, keys, labels, backward_calls, statements=None):
        self.named, self.roots, self.keys, self.labels = named, roots, keys, labels
        self.index = GraphIndex()
        # Graphs the script ran backward through count as roots too: in a training loop the
        # earlier iterations' graphs are no longer reachable from any name, but their steps
        # are on the timeline and must have nodes to light up.
        called = [call.steps[0].node for call in backward_calls or ()
                  if getattr(call, "steps", None)]
        self.nodes = _walk([t.grad_fn for t in roots if t.grad_fn is not None] + called)
        self.reached = {id(n): n for n in self.nodes}
        self.claims = {}     # id(engine node) -> index of the statement that made it
        claimed = {}
        # exact where the runner noted where each statement's nodes begin: a node belongs to
        # the statement its sequence number falls in (in-place ops included); names cover the
        # rest (AccumulateGrad nodes, graphs built from bare tensors)
        starts = sorted((r.first_node, r.index) for r in statements or ()
                        if getattr(r, "first_node", None) is not None)
        if starts:
            firsts = [first for first, _ in starts]
            for node in self.nodes:
                seq = _sequence_nr(node)
                at = bisect.bisect_right(firsts, seq) - 1 if seq is not None else -1
                if at >= 0 and _variable(node) is None:
                    self.claims[id(node)] = starts[at][1]
        for entry in named:
            fn = entry.tensor.grad_fn
            if entry.statement is not None and fn is not None and id(fn) in self.reached:
                for node in _walk([fn], allowed=self.reached, seen=claimed):
                    self.claims.setdefault(id(node), entry.statement)
        for call in backward_calls or ():   # what no name reaches: the statement that ran it
            if getattr(call, "steps", None) and call.statement_index is not None:
                for node in _walk([call.steps[0].node], allowed=self.reached, seen=claimed):
                    self.claims.setdefault(id(node), call.statement_index)
        # what nodes saved before a backward call freed it: id(node) -> ({name: (tensor,
        # attrs)}, index of the call that freed it or None)
        self.snapshots = {}
        for k, call in enumerate(backward_calls or ()):
            for key, (_, infos) in (getattr(call, "saved", None) or {}).items():
                infos0, freed = self.snapshots.get(key, (infos, None))
                if freed is None and not getattr(call, "retain_graph", True):
                    freed = k
                self.snapshots[key] = (infos0, freed)
        self.last_step = {}  # id(engine node) -> the latest recorded BackwardStep that ran it
        for call in backward_calls or ():
            for step in getattr(call, "steps", ()):
                self.last_step[id(step.node)] = step
        self.ids, self.rows, self.edges, self.shapes = {}, [], [], {}
        self.ops = {}        # id(engine node) -> (op name, sequence number)
        self.output_of = {}  # (id(engine node), output_nr) -> id of its first named tensor
        self.seen_as_input = {}  # node id -> (shape, dtype) its output has where consumed
        self.named_leaves = {}   # id(leaf tensor) -> _Named
        self.modules = {}        # the script's nn.Modules: name -> (class, submodule paths)

    def build(self, include_saved):
        acc_of, unique = {}, []   # several AccumulateGrad objects for one leaf show as one
        for node in self.nodes:
            variable = _variable(node)
            if variable is None or acc_of.setdefault(id(variable), node) is node:
                unique.append(node)
        saved = {}   # only needed to show saved tensors or to link named constants
        if include_saved or any(e.tensor.grad_fn is None and not e.tensor.requires_grad
                                for e in self.named):
            saved = {id(n): saved_tensors(n) for n in unique if include_saved or any(
                nxt is None for nxt, _ in getattr(n, "next_functions", ()) or ())}
        self.saved_attrs = {}   # (id(node), name) -> attrs from before a backward freed it
        for key, (infos, _) in self.snapshots.items():
            if key in saved and not saved[key]:   # freed since: as it was before the call
                saved[key] = {name: t for name, (t, _) in infos.items()}
                self.saved_attrs.update({(key, name): a for name, (_, a) in infos.items()})
        fed = {id(t) for tensors in saved.values() for t in tensors.values()}
        roots = {id(t) for t in self.roots}
        shown = [e for e in self.named
                 if (id(e.tensor.grad_fn) in self.reached if e.tensor.grad_fn is not None else
                     id(e.tensor) in roots or id(e.tensor) in acc_of
                     or (not e.tensor.requires_grad and id(e.tensor) in fed))]
        taken = set()
        for entry in shown:
            entry.node_id = _tensor_id(entry, taken)
            fn = entry.tensor.grad_fn
            if fn is not None:
                self.output_of.setdefault((id(fn), int(getattr(entry.tensor, "output_nr", 0))),
                                          entry.node_id)
        self.named_leaves = {id(e.tensor): e for e in shown if e.tensor.grad_fn is None}
        self._name_nodes(unique, acc_of)
        outputs = {}
        for entry in shown:
            self._tensor_row(entry)
            if entry.tensor.grad_fn is not None:
                outputs.setdefault(id(entry.tensor.grad_fn), []).append(entry)
        for node in unique:
            self._node_row(node, outputs.get(id(node), ()))
        for node_id, attrs in self.rows:   # output shapes known only from the consumers
            if attrs["shape"] is None and node_id in self.seen_as_input:
                attrs["shape"], attrs["dtype"] = self.seen_as_input[node_id]
                self.shapes[node_id] = attrs["shape"]
        self._extra_edges(unique, shown, saved, include_saved)
        graph = nx.DiGraph()
        graph.add_nodes_from(self.rows)
        graph.add_edges_from(self.edges)
        for entry in shown:   # a non-leaf that nothing in the picture consumes is an output
            attrs = graph.nodes[entry.node_id]
            if attrs["role"] == "intermediate" and not any(
                    d["kind"] == "data" for *_, d in graph.out_edges(entry.node_id, data=True)):
                attrs["role"] = "output"
        graph.graph["roots"] = [e.node_id for e in shown if id(e.tensor) in roots]
        graph.graph["_index"] = self.index
        _name_groups(graph, self.modules)
        return graph

    def _name_nodes(self, unique, acc_of):
        """``op#k@key``: k ranks the op's nodes of one statement by creation (_sequence_nr)."""
        groups = {}
        for pos, node in enumerate(unique):
            variable = _variable(node)
            if variable is not None and id(variable) in self.named_leaves:
                self.ids[id(node)] = f"AccumulateGrad:{self.named_leaves[id(variable)].node_id}"
                continue
            op = "AccumulateGrad" if variable is not None else _node_name(node)
            seq = None if variable is not None else _sequence_nr(node)
            self.ops[id(node)] = op, seq
            groups.setdefault((self.claims.get(id(node)), op), []).append(
                ((pos if seq is None else seq, pos), node))
        for (statement, op), members in groups.items():
            members.sort(key=lambda m: m[0])
            key = self.keys.get(statement)
            for k, (_, node) in enumerate(members):
                self.ids[id(node)] = f"{op}#{k}" if key is None else f"{op}#{k}@{key}"
        for node in self.nodes:   # duplicate AccumulateGrad objects share their leaf's id
            variable = _variable(node)
            if variable is not None and id(node) not in self.ids:
                self.ids[id(node)] = self.ids[id(acc_of[id(variable)])]

    def _tensor_row(self, entry):
        t, node_id = entry.tensor, entry.node_id
        attrs = _tensor_attrs(t)
        producer, const = t.grad_fn, not t.requires_grad
        attrs.update(kind="constant" if const else "tensor", label=entry.name, op=None,
                     role="constant" if const else
                     ("leaf" if producer is None else "intermediate"),
                     group=None if producer is None else _scope(producer),
                     statement=entry.statement, aliases=list(entry.aliases))
        step = self.last_step.get(id(producer))
        if attrs["grad"] is None and step is not None:   # the gradient it got last backward
            nr, grads_in = int(getattr(t, "output_nr", 0)), step.grads_in
            attrs["grad"] = to_numpy(grads_in[nr]) if nr < len(grads_in) else None
        self.rows.append((node_id, attrs))
        self.shapes[node_id] = attrs["shape"]
        self.index.objects[node_id] = t
        self.index._add(self.index._tensor_ids, t, node_id)
        if producer is None and not const:
            self.index._add(self.index._leaf_ids, t, node_id)

    def _node_row(self, node, outputs):
        node_id, variable = self.ids[id(node)], _variable(node)
        self.index.objects[node_id] = node
        self.index._add(self.index._node_ids, node, node_id)
        common = {"group": _scope(node), "statement": self.claims.get(id(node))}
        if variable is not None:
            attrs = _tensor_attrs(variable)
            leaf = self.named_leaves.get(id(variable))
            leaf_id = None if leaf is None else leaf.node_id
            if leaf is None:   # an unnamed leaf (a module's parameter): this node shows it
                self.index._add(self.index._leaf_ids, variable, node_id)
            else:
                self.edges.append((leaf_id, node_id,
                                   {"kind": "data", "shape": attrs["shape"], "slots": [0]}))
            leaf_label = self.labels.get(id(variable)) if leaf is None else leaf.name
            self.index._add(self.index._acc_ids, variable, node_id)
            attrs.update(common, kind="accumulate", label="AccumulateGrad", op="AccumulateGrad",
                         role="accumulate", leaf=leaf_id, leaf_label=leaf_label, inputs=[])
        else:
            step = self.last_step.get(id(node))
            grads_in = step.grads_in if step is not None else ()
            grad = to_numpy(grads_in[0]) if grads_in else None
            op, seq = self.ops[id(node)]
            attrs = dict(common, kind="function", label=op, op=op, role="function", shape=None,
                         dtype=None, device=None, requires_grad=True, is_leaf=False,
                         summary=None, value=None, grad=grad, sequence_nr=seq)
            like = outputs[0].tensor if outputs else (grads_in[0] if grad is not None else None)
            if like is not None:
                attrs.update(shape=tuple(int(n) for n in like.shape),
                             dtype=_short_dtype(like.dtype),
                             device=str(getattr(like, "device", "cpu")))
            attrs["inputs"] = self._inputs(node)
            live = saved_tensors(node)   # what it saved: names and shapes (for its tooltip)
            if live:
                attrs["saved"] = {name: (tuple(int(n) for n in t.shape), _short_dtype(t.dtype))
                                  for name, t in live.items()}
            elif id(node) in self.snapshots:
                attrs["saved"] = {name: (a["shape"], a["dtype"])
                                  for name, (_, a) in self.snapshots[id(node)][0].items()}
            else:
                attrs["saved"] = {}
            inner = (getattr(node, "_kw", None) or {}).get("inner")
            if inner is not None:   # CopySlices: the in-place op it records on the base
                attrs["wraps"] = type(inner).__name__
            for entry in outputs:
                self.edges.append((node_id, entry.node_id, {
                    "kind": "data", "shape": self.shapes[entry.node_id],
                    "slots": [int(getattr(entry.tensor, "output_nr", 0))]}))
        self.rows.append((node_id, attrs))
        self.shapes[node_id] = attrs["shape"]

    def _inputs(self, node):
        """Per ``next_functions`` slot, the id of the node its input comes from (or None)."""
        inputs = []
        in_shapes = getattr(node, "_shapes", None) or ()   # the engine's input metadata
        in_dtypes = getattr(node, "_dtypes", None) or ()
        for slot, (nxt, nr) in enumerate(getattr(node, "next_functions", ()) or ()):
            if nxt is None:
                inputs.append(None)
                continue
            src = self.ids[id(nxt)]
            inputs.append(src if _variable(nxt) is not None else
                          self.output_of.get((id(nxt), nr), src))
            if src not in self.seen_as_input and slot < len(in_shapes) \
                    and in_shapes[slot] is not None:
                self.seen_as_input[src] = (
                    tuple(int(n) for n in in_shapes[slot]),
                    _short_dtype(in_dtypes[slot]) if slot < len(in_dtypes) else None)
        return inputs

    def _extra_edges(self, unique, shown, saved, include_saved):
        """Data edges into function nodes, cut edges, constants and saved tensors."""
        into = {}
        for node_id, attrs in self.rows:
            for slot, src in enumerate(attrs.get("inputs") or ()):
                if src is not None:
                    into.setdefault((src, node_id), []).append(slot)
        for (src, dst), slots in into.items():
            self.edges.append((src, dst, {"kind": "data", "shape": self.shapes.get(src),
                                          "slots": slots}))
        tensor_id = self.index.tensor_id
        for entry in shown:   # detach()/no_grad leaves, from the tensors their statement read
            for src in entry.cut_from:
                src_id = tensor_id(src)
                if src_id is not None and src_id != entry.node_id:
                    self.edges.append((src_id, entry.node_id,
                                       {"kind": "cut", "shape": self.shapes[src_id], "slots": []}))
        constants = {id(e.tensor): e.node_id for e in shown if not e.tensor.requires_grad}
        linked = set(into)
        for node in unique:
            node_id = self.ids[id(node)]
            for name, t in saved.get(id(node), {}).items():
                const_id = constants.get(id(t))
                if const_id is not None and (const_id, node_id) not in linked:
                    linked.add((const_id, node_id))
                    self.edges.append((const_id, node_id, {
                        "kind": "data", "shape": self.shapes[const_id], "slots": []}))
                if include_saved:
                    saved_id = f"{node_id}:{name}"
                    before = self.saved_attrs.get((id(node), name))
                    attrs = dict(before) if before is not None else _tensor_attrs(t)
                    attrs.update(kind="saved", label=name, op=None, role="saved",
                                 group=_scope(node), statement=self.claims.get(id(node)),
                                 tensor=tensor_id(t), owner=node_id,
                                 freed_by=self.snapshots.get(id(node), (None, None))[1])
                    self.rows.append((saved_id, attrs))
                    self.index.objects[saved_id] = t
                    self.edges.append((saved_id, node_id, {
                        "kind": "saved", "shape": attrs["shape"], "slots": []}))


def build_graph(source: Any, *, names: Iterable[str] | dict[str, Any] | None = None,
                include_saved: bool = False) -> nx.DiGraph:
    """The graph of a script run (or of some tensors) as a ``networkx.DiGraph``.

    Parameters
    ----------
    source : RunResult, dict[str, Tensor], Tensor or sequence of Tensor
        A script run (its statement records give statements and stable ids), named tensors,
        or root tensors.
    names : iterable of str or dict[str, Tensor], optional
        For a run or a dict: the names to start from (default: every tensor left bound to a
        name). For tensors: a name for each tensor the walk may meet.
    include_saved : bool
        Add a ``"saved"`` node for each tensor a node saved for backward.

    Returns
    -------
    networkx.DiGraph
        Edges point the way data flows (input -> consumer); node and edge attributes as in
        docs/MODEL.md; ``graph.graph["roots"]`` lists the root node ids and
        ``graph.graph["_index"]`` is the `GraphIndex`.

    Examples
    --------
    >>> import gradtrace.core as torch
    >>> x = torch.ones(2, 2, requires_grad=True)
    >>> sorted(build_graph({"x": x, "out": (x + 2).mean()}).nodes)
    ['AccumulateGrad:x', 'AddBackward0#0', 'MeanBackward0#0', 'out', 'x']
    """
    with collector_paused():
        named, roots, keys, labels = _collect(source, names)
        builder = _GraphBuilder(named, roots, keys, labels,
                                getattr(source, "backward_calls", None),
                                getattr(source, "statements", None))
        builder.modules = getattr(source, "modules", None) or {}
        return builder.build(include_saved)

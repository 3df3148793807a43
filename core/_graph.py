"""The recorded graph: ``Node`` (a tensor's ``grad_fn``), ``AccumulateGrad``, the values nodes
save and their unpacking, hook handles, and ``apply``, which runs one registry op forward and
records its node when grad mode asks for it.

The graph layer sits on the rule table (``derivatives``) and knows the tensor classes, defined
above it in ``_tensor.py``, only through ``register_tensor_classes``: ``_tensor.py`` calls it
once, as PyTorch's C++ core is handed its Python ``Tensor`` class. The layers between the graph
and ``Tensor`` (the ops, the engine) read the classes here, as ``_graph.Tensor``.
"""
import itertools
import re
import weakref

import numpy as np

from . import grad_mode
from ._device import _cupy
from .derivatives import OPS

__all__ = ["Node", "AccumulateGrad", "RemovableHandle", "apply", "saved_tensors", "node_class",
           "register_tensor_classes"]

_seq = itertools.count()
# The tensor classes: Tensor, _Piece (an output of split/chunk/unbind) and _Output (an output
# of a node with several outputs that are not views: linalg.svd). None until the top layer
# registers them (register_tensor_classes), before any tensor exists.
Tensor = _Piece = _Output = None


def register_tensor_classes(tensor, piece, output):
    """Tell the graph (and the layers between it and ``Tensor``) which classes make tensors:
    called once by ``_tensor.py`` when it defines ``Tensor``, ``_Piece`` and ``_Output``."""
    global Tensor, _Piece, _Output
    if Tensor is not None and (Tensor, _Piece, _Output) != (tensor, piece, output):
        raise RuntimeError("gradtrace: the tensor classes are registered once")
    Tensor, _Piece, _Output = tensor, piece, output


_modes = grad_mode._modes   # this thread's grad mode: _modes.grad
_EMPTY = {}
UINT64_MAX = 2 ** 64 - 1

SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.")


class RemovableHandle:
    """What ``register_hook`` returns; ``remove()`` takes the hook out again."""

    def __init__(self, hooks, fn):
        self._hooks, self._fn = hooks, fn
        hooks.append(fn)

    def remove(self):
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class Node:
    """A node of the backward graph, what ``tensor.grad_fn`` holds.

    ``name()`` is PyTorch's name for the same op (``"MulBackward0"``); ``next_functions`` holds
    one ``(node, 0)`` pair per differentiable input (``(None, 0)`` for a constant).
    """

    __slots__ = ("_next", "_op", "_saved", "_versions", "_kw", "_shapes", "_dtypes", "_seq",
                 "_extra", "_freed", "__weakref__")
    _multi = False   # several outputs (SplitBackward0, ...): gradients arrive as a list

    def name(self):
        """PyTorch's name of this node's class, e.g. ``"AddBackward0"``."""
        return type(self).__name__

    @property
    def next_functions(self):
        return self._next

    @property
    def metadata(self):
        """A dict for the user's annotations (gradtrace's runner puts ``"scope"`` here)."""
        return extra(self).metadata

    def _sequence_nr(self):
        return self._seq

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node; it may return new grad_inputs."""
        return RemovableHandle(extra(self).hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node; it may return new grad_outputs."""
        return RemovableHandle(extra(self).prehooks, fn)

    def _saved_values(self, create_graph):
        """What this node saved for its rule, checked against in-place changes (see
        ``unpack_saved``); PyTorch's error once a backward without ``retain_graph`` freed it."""
        if self._freed:
            raise RuntimeError(SECOND_BACKWARD)
        return unpack_saved(self, create_graph) if self._op.saves else ()

    def __getattr__(self, attr):
        if attr.startswith("_saved_"):
            key = attr[7:]
            op = self._op
            for i, (name, _) in enumerate(op.saves):
                if name == key:
                    if self._freed:
                        raise RuntimeError(SECOND_BACKWARD)
                    return _as_tensor(unpack_saved(self, True, check_versions=False)[i])
            if self._kw and key in self._kw:
                return self._kw[key]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attr}'")

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"


class AccumulateGrad(Node):
    """The node that adds an incoming gradient into a leaf's ``.grad``."""

    __slots__ = ("variable",)

    def name(self):
        return "torch::autograd::AccumulateGrad"   # PyTorch's C++ name, as its name() says

    def __init__(self, variable):
        self.variable = variable
        self._next = ()
        self._op = self._saved = self._kw = self._extra = None
        self._seq = UINT64_MAX
        self._freed = False


class NodeExtra:
    """What few nodes carry: user metadata and hooks (kept apart so the common node is small),
    and ``homes``: ``{input slot: device}`` for inputs whose gradient must be moved to their own
    device (a CPU scalar tensor used with GPU tensors, see ``_ops.device_apply``)."""

    __slots__ = ("metadata", "hooks", "prehooks", "tensor_hooks", "homes")

    def __init__(self):
        self.metadata, self.hooks, self.prehooks, self.tensor_hooks = {}, [], [], []
        self.homes = None


def extra(node):
    """``node``'s ``NodeExtra``, made on first use."""
    ex = node._extra
    if ex is None:
        ex = node._extra = NodeExtra()
    return ex


_classes = {}


def node_class(name, multi=False):
    """The ``Node`` subclass named ``name`` (one per PyTorch node name); ``multi`` for a node
    with several outputs."""
    cls = _classes.get(name)
    if cls is None:
        attrs = {"__slots__": (), "__module__": "gradtrace.core.autograd.graph"}
        if name in _CPP_NODES:   # hand-written in PyTorch's C++: name() gives the full name
            attrs["name"] = lambda self, _full="torch::autograd::" + name: _full
        if multi:
            attrs["_multi"] = True
        cls = _classes[name] = type(name, (Node,), attrs)
    return cls


_CPP_NODES = frozenset(("CopySlices", "CopyBackwards"))


def op_word(node_name):
    """How PyTorch's messages name a node's op: ``"MulBackward0"`` -> ``"Mul"``."""
    return re.sub(r"Backward[0-9]*$", "", node_name)


for _op in OPS.values():
    _op.node_cls = node_class(_op.node_name, _op.multi)


def apply_multi(op, input, kw, pieces):
    """Record one node of ``op`` whose outputs are ``pieces`` (arrays viewing ``input``'s
    memory), as PyTorch's ``split``/``unbind`` do: each piece is a view of ``input`` and output
    ``i`` of the shared node (its ``output_nr``)."""
    outs = []
    for i, piece in enumerate(pieces):
        t = _Piece._wrap(piece)
        t._nr = i
        t._made_by = op.node_name
        t._share_version(input)
        outs.append(t)
    if forward_ad_hook[0] is not None:   # inside autograd.forward_ad.dual_level()
        forward_ad_hook[0](op, (input,), kw, pieces, tuple(outs))
    if not (_modes.grad and isinstance(input, Tensor) and input._requires_grad):
        for t in outs:
            t._nr = 0
        return tuple(outs)
    fn = input.grad_fn
    node = record(op, ((fn, input._nr) if fn is not None else (accumulate_node(input), 0),),
                  (input._data.shape,), (input._data.dtype,), kw)
    for t in outs:
        t.grad_fn = node
        t._requires_grad = True
    return tuple(outs)


class _OutputRef(weakref.ref):
    """A saved output of a node with several outputs, watched as a result is, with its
    ``output_nr`` (so that under ``create_graph`` the unpacked value is that output again)."""

    __slots__ = ("nr",)

    def __new__(cls, t, nr):
        ref = super().__new__(cls, t)   # (weakref.ref's second argument is a callback)
        ref.nr = nr
        return ref

    def __init__(self, t, nr):
        super().__init__(t)


def apply_outputs(op, inputs, kw, arrays):
    """Record one node of ``op`` whose outputs are ``arrays`` (new memory, not views), as
    PyTorch's ``linalg_svd`` does: output ``i`` is an ``_Output`` with ``output_nr`` ``i``;
    the node saves every output (its ``saves`` name them in order) and gets ``kw`` plus
    ``outputs`` (how many)."""
    outs = []
    for i, a in enumerate(arrays):
        t = _Output._wrap(a)
        t._nr = i
        outs.append(t)
    edges = [_edge(t) if isinstance(t, Tensor) and t._requires_grad else _NO_EDGE
             for t in inputs]
    if not _modes.grad or all(e is _NO_EDGE for e in edges):
        for t in outs:
            t._nr = 0
        return tuple(outs)
    node = record(op, edges, [t._data.shape if isinstance(t, Tensor) else None for t in inputs],
                  [t._data.dtype if isinstance(t, Tensor) else None for t in inputs],
                  {**kw, "outputs": len(outs)})
    node._saved = list(arrays)
    node._versions = [_OutputRef(t, i) for i, t in enumerate(outs)]
    for t in outs:
        t.grad_fn = node
        t._requires_grad = True
    if saved_tensors_hooks_stack:
        pack_saved(node)
    return tuple(outs)


def _edge(t):
    fn = t.grad_fn
    return (fn, t._nr) if fn is not None else (accumulate_node(t), 0)


def accumulate_node(t):
    """The ``AccumulateGrad`` node of leaf ``t`` (shared by every use of ``t``, as in PyTorch)."""
    ref = getattr(t, "_accum", None)
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(t)
        t._accum = weakref.ref(node)
    return node


def saved_tensors(node):
    """The tensors ``node`` saved for backward, by PyTorch's names; empty once freed."""
    if node._op is None or node._freed:
        return {}
    values = unpack_saved(node, True, check_versions=False)
    return {name: _as_tensor(v) for (name, _), v in zip(node._op.saves, values) if v is not None}


def _as_tensor(value):
    """A saved value as the user reads it: a tensor (a saved Python number as a 0-d one)."""
    if value is None or isinstance(value, Tensor):
        return value
    return Tensor._wrap(np.asarray(value))


def _version_error(t, expected, producer):
    shape = ", ".join(str(s) for s in t.shape)
    where = ""
    if producer is not None:  # PyTorch 2.13 names the op without "Backward0": "output 0 of Mul"
        where = f", which is output 0 of {op_word(producer.name())},"
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{t.type()} [{shape}]]{where} is at version {t._version}; expected "
        f"version {expected} instead. Hint: enable anomaly detection to find the operation that "
        "failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, "
        "check_nan=False).")


# (pack_hook, unpack_hook) pairs of the open ``autograd.graph.saved_tensors_hooks``, innermost last
saved_tensors_hooks_stack = []


class _Packed:
    """A saved value as a pack hook returned it, with the unpack hook that gives it back."""

    __slots__ = ("packed", "unpack", "was_result")

    def __init__(self, packed, unpack, was_result):
        self.packed, self.unpack, self.was_result = packed, unpack, was_result


def pack_saved(node):
    """Hand every tensor ``node`` saved to the innermost pack hook and keep what it returns
    (PyTorch's ``saved_tensors_hooks``); the unpack hook brings it back in backward."""
    pack, unpack = saved_tensors_hooks_stack[-1]
    saved, versions = node._saved, node._versions
    for i, value in enumerate(saved):
        check = versions[i]
        if value is None or (type(check) is not int and check is None):
            continue
        if type(check) is int:
            tensor = value
        else:   # the result, watched through a weakref
            tensor = check()
            if tensor is None:
                continue
        saved[i] = _Packed(pack(tensor), unpack, type(check) is not int)
        versions[i] = None


def _unpacked(node, packed, create_graph):
    t = packed.unpack(packed.packed)
    if not isinstance(t, Tensor):
        raise TypeError("Output of saved tensor unpack_hook expected to be a Tensor but got "
                        f"result of type {type(t).__name__}")
    if not create_graph:
        return t._data
    if packed.was_result:
        t = Tensor._wrap(t._data)
        t.grad_fn, t._requires_grad = node, True
    return t


def unpack_saved(node, create_graph, check_versions=True):
    """The one unpacker of what ``node`` saved, in order (None where nothing was kept): arrays
    for a plain backward, tensors (a saved result with ``node`` as its grad_fn) under
    ``create_graph`` and for readers (``saved_tensors``, ``node._saved_self``); checked against
    in-place changes (PyTorch's error) unless ``check_versions`` is False (a reader's look)."""
    out = []
    for value, check in zip(node._saved, node._versions):
        if type(value) is _Packed:   # through the saved-tensor hooks
            out.append(_unpacked(node, value, create_graph))
            continue
        if type(check) is int:  # an input: its version then
            if check_versions and value._vc[0] != check:   # named by its node now, as PyTorch
                raise _version_error(value, check, value.grad_fn)
            out.append(value if create_graph else value._data)
            continue
        if check is not None:  # the result, watched through a weakref
            result = check()
            if check_versions and result is not None and result._version != 0:
                raise _version_error(result, 0, node)
            if create_graph:
                nr = getattr(check, "nr", None)
                value = Tensor._wrap(value) if nr is None else _Output._wrap(value)
                value.grad_fn, value._requires_grad = node, True
                if nr is not None:
                    value._nr = nr
        out.append(value)
    return out


def record(op, next_functions, shapes, dtypes, kw=_EMPTY):
    """A node of ``op`` with the given edges, made directly (for nodes whose edges are not
    simply their inputs', such as ``CopySlices``)."""
    node = op.node_cls.__new__(op.node_cls)
    node._next = tuple(next_functions)
    node._op = op
    node._kw = kw
    node._shapes = tuple(shapes)
    node._dtypes = tuple(dtypes)
    node._seq = next(_seq)
    node._extra = None
    node._freed = False
    node._saved, node._versions = (), ()
    if _anomaly[0]:
        node.metadata["traceback_"] = _user_stack()
    return node


def apply(op, inputs, kw=_EMPTY, dtype=None):
    """Run registry op ``op`` on ``inputs`` (tensors, or Python scalars/None as constants).

    The forward runs before anything is recorded, so a failing op changes nothing. The result
    is cast to ``dtype`` (PyTorch's promotion) when numpy's differs.
    """
    T = Tensor
    n = len(inputs)
    if n == 1:  # the hot paths, without building an argument list
        out = op.forward(inputs[0]._data, **kw) if kw else op.forward(inputs[0]._data)
    elif n == 2 and not kw:
        a, b = inputs
        out = op.forward(a._data if isinstance(a, T) else a, b._data if isinstance(b, T) else b)
    else:
        args = [t._data if isinstance(t, T) else t for t in inputs]
        out = op.forward(*args, **kw) if kw else op.forward(*args)
    if type(out) is not np.ndarray:
        out = _as_array(out)
    if dtype is not None and out.dtype != dtype.np:
        out = out.astype(dtype.np)
    result = T._wrap(out)
    if op.view:
        src = inputs[0]
        if type(src) is _Piece:   # a view of one of several views: refused in place as well
            result = _Piece._wrap(out)
            result._nr, result._made_by = 0, op.node_name
        result._share_version(src)
    if forward_ad_hook[0] is not None:   # inside autograd.forward_ad.dual_level()
        forward_ad_hook[0](op, inputs, kw, out, result)
    if not _modes.grad:
        return result
    if n == 1:  # the common unary case, without the loop
        t = inputs[0]
        if not (isinstance(t, T) and t._requires_grad):
            return result
        fn = t.grad_fn
        d = t._data
        nxt = ((fn, t._nr) if fn is not None else (accumulate_node(t), 0),)
        shapes = (d.shape,)
        dtypes = (d.dtype,)
    elif n == 2 and isinstance(inputs[0], T) and not isinstance(inputs[1], T):
        # tensor (op) Python number
        t = inputs[0]
        if not t._requires_grad:
            return result
        fn = t.grad_fn
        d = t._data
        nxt = ((fn, t._nr) if fn is not None else (accumulate_node(t), 0), _NO_EDGE)
        shapes = (d.shape, None)
        dtypes = (d.dtype, None)
    elif n == 2 and isinstance(inputs[0], T) and isinstance(inputs[1], T):
        a, b = inputs  # tensor (op) tensor
        ra, rb = a._requires_grad, b._requires_grad
        if not (ra or rb):
            return result
        if ra:
            fn = a.grad_fn
            ea = (fn, a._nr) if fn is not None else (accumulate_node(a), 0)
            sa, da = a._data.shape, a._data.dtype
        else:
            ea, sa, da = _NO_EDGE, None, None
        if rb:
            fn = b.grad_fn
            eb = (fn, b._nr) if fn is not None else (accumulate_node(b), 0)
            sb, db = b._data.shape, b._data.dtype
        else:
            eb, sb, db = _NO_EDGE, None, None
        nxt = (ea, eb)
        shapes = (sa, sb)
        dtypes = (da, db)
    else:
        edges, shapes, dtypes = [], [], []
        record = False
        for t in inputs:
            if isinstance(t, T) and t._requires_grad:
                record = True
                fn = t.grad_fn
                edges.append((fn, t._nr) if fn is not None else (accumulate_node(t), 0))
                d = t._data
                shapes.append(d.shape)
                dtypes.append(d.dtype)
            else:
                edges.append(_NO_EDGE)
                shapes.append(None)
                dtypes.append(None)
        if not record:
            return result
        nxt = tuple(edges)
    node = op.node_cls.__new__(op.node_cls)
    node._next = nxt
    node._op = op
    node._kw = kw
    node._shapes = shapes
    node._dtypes = dtypes
    node._seq = next(_seq)
    node._extra = None
    node._freed = False
    if op.saves:
        saved = []
        versions = []   # per saved value: an input's version then, the result's weakref, None
        for src, users in op.save_plan:
            if users is not None:  # kept only when an input that reads it requires grad
                for i in users:
                    if nxt[i][0] is not None:
                        break
                else:
                    saved.append(None)
                    versions.append(None)
                    continue
            if src is None:  # the result: kept as its array (no cycle), watched through a weakref
                saved.append(out)
                versions.append(weakref.ref(result))
            else:
                t = inputs[src]
                saved.append(t)
                versions.append(t._vc[0] if isinstance(t, T) else None)
        node._saved = saved
        node._versions = versions
    if _anomaly[0]:
        node.metadata["traceback_"] = _user_stack()
    result.grad_fn = node
    result._requires_grad = True
    if saved_tensors_hooks_stack and op.saves:   # the pack hook sees the finished result
        pack_saved(node)
    return result


def _user_stack():
    """The forward call's stack without gradtrace.core's own frames (for anomaly mode); a host
    that runs scripts (the app's runner) narrows it further with ``_forward_frames``."""
    import os
    import traceback
    here = os.path.dirname(os.path.abspath(__file__))
    frames = [f for f in traceback.extract_stack()
              if not os.path.abspath(f.filename).startswith(here + os.sep)]
    narrow = _forward_frames[0]
    if narrow is not None:
        frames = narrow(frames)
    return traceback.format_list(frames)


_NO_EDGE = (None, 0)
_anomaly = [False]
# set by autograd.forward_ad while a dual level is open: (op, inputs, kw, out, result) -> None
forward_ad_hook = [None]
# None, or a function from the list of traceback.FrameSummary to the frames anomaly mode keeps
# (the app keeps its script's own: the host's paths are none of the script's business)
_forward_frames: list = [None]


def _as_array(out):
    if _cupy is not None and isinstance(out, _cupy.ndarray):
        return out
    return np.asarray(out)


def run(op_name, inputs, kw=_EMPTY, dtype=None):
    """``apply`` by op name."""
    return apply(OPS[op_name], inputs, kw, dtype)


def read_from(base, index):
    """The node that reads a view (``base[index]``) again from ``base`` after an in-place change:
    PyTorch's ``AsStridedBackward0``, made in grad mode whatever the mode is."""
    was, _modes.grad = _modes.grad, True
    try:
        return apply(OPS["as_strided"], (base,),
                     {"idx": index, "in_shape": base._data.shape}).grad_fn
    finally:
        _modes.grad = was

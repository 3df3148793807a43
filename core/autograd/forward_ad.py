"""``torch.autograd.forward_ad``: forward-mode AD. Inside ``dual_level()``, ``make_dual(x, t)``
gives ``x`` a tangent; every op run on dual tensors computes its output's tangent (the
Jacobian-vector product) as it runs, and ``unpack_dual(y)`` reads ``(primal, tangent)``.

The tangents come from the registry: a pointwise op's vjp rules applied to the tangents (its
Jacobian is diagonal), a linear op's own forward on the tangent, a bilinear one's forward with
one argument replaced by its tangent at a time.

>>> import gradtrace.core as torch
>>> with dual_level():
...     y = make_dual(torch.tensor([1.0, 2.0]), torch.ones(2)) ** 2
...     unpack_dual(y).tangent
tensor([2., 4.])
"""
import weakref
from collections import namedtuple

from .. import _graph, _tensor_str
from .._tensor import Tensor
from ..derivatives import array_math

__all__ = ["dual_level", "make_dual", "unpack_dual", "UnpackedDualTensor", "enter_dual_level",
           "exit_dual_level"]

UnpackedDualTensor = namedtuple("UnpackedDualTensor", ["primal", "tangent"])

_levels: list = []    # the open levels (PyTorch has one at a time, numbered from 0)
_tangents: dict = {}  # id(tensor) -> (weakref to the tensor, tangent array)

# ops whose Jacobian is diagonal: each input's vjp rule, fed the (broadcast) tangent, gives
# that input's part of the output tangent
_POINTWISE = frozenset((
    "add", "sub", "rsub", "mul", "div", "div_scalar", "pow", "pow_tensor", "rpow", "maximum",
    "minimum", "neg", "reciprocal", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid",
    "relu", "clamp", "clamp_tensor", "erf", "log1p", "rsqrt", "sign", "gelu", "leaky_relu", "silu",
    "softplus", "elu", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
    "expm1", "exp2", "log2", "log10", "atan2", "masked_fill", "where", "floor", "ceil", "trunc",
    "round", "round_decimals", "frac", "to_copy"))
# linear in their one tensor input: the tangent is the op's own forward on the tangent
_LINEAR = frozenset((
    "view", "unsafe_view", "reshape_alias", "squeeze", "squeeze_dim", "squeeze_dims", "squeeze4",
    "unsqueeze", "permute", "transpose", "t", "expand", "select", "slice", "index", "sum",
    "sum_dim", "mean", "mean_dim", "clone", "cumsum", "flip", "roll", "repeat", "tril", "triu",
    "t1", "transpose1", "unsqueeze1", "squeeze3", "squeeze4_", "squeeze5", "trace", "diag_embed",
    "diag_copy", "avg_pool2d", "adaptive_avg_pool2d", "gather", "sort", "topk", "max_pool2d"))
_VARIADIC_LINEAR = frozenset(("cat", "stack"))
_BILINEAR = frozenset(("mm", "bmm", "mv", "dot", "convolution", "linalg_cross"))
# reductions whose vjp is the gradient spread over each reduced slice times weights of the
# input alone (var, std, the norms, max/min with ties shared evenly or at their index): the
# tangent is the weights (the vjp of ones) times the tangent, summed over the reduced dims
_WEIGHTED_REDUCTIONS = frozenset(("var", "std", "norm", "max", "min", "amax", "amin",
                                  "max_dim", "min_dim"))


class dual_level:
    """``with dual_level():``: the scope of forward-mode AD; its tangents go when it closes."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()
        return False


def enter_dual_level():
    if _levels:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _levels.append(0)
    _graph.forward_ad_hook[0] = _propagate
    _tensor_str.tangent_hook[0] = _printed_tangent
    return 0


def exit_dual_level(*, level=None):
    if not _levels:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that "
                           "was created. This is not supported.")
    _levels.pop()
    _tangents.clear()
    _graph.forward_ad_hook[0] = None
    _tensor_str.tangent_hook[0] = None


def _printed_tangent(t):
    """The tangent a dual tensor's printout shows (``tangent=tensor(...)``), else None."""
    tangent = _tangent_of(t)
    return None if tangent is None else Tensor._wrap(tangent)


def _size(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def make_dual(tensor, tangent, *, level=None):
    """A view of ``tensor`` whose tangent is ``tangent`` (same shape)."""
    if not _levels:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, "
                           "make sure to enter_dual_level() first.")
    if tuple(tangent.shape) != tuple(tensor.shape):
        raise RuntimeError("Trying to set a forward gradient that has a different size than that "
                           f"of the original Tensor, this is not supported. Tensor is of size "
                           f"{_size(tensor.shape)} while the given forward gradient is of size "
                           f"{_size(tangent.shape)}.")
    if not (tensor.dtype.is_floating_point and tangent.dtype.is_floating_point):
        raise ValueError(f"Expected primal to be floating point or complex, but got: "
                         f"{tensor.dtype}")
    dual = tensor.view_as(tensor) if tensor.requires_grad else Tensor._wrap(tensor._data)
    _tangents[id(dual)] = (weakref.ref(dual), tangent._data)
    return dual


def _tangent_of(t):
    entry = _tangents.get(id(t))
    if entry is None or entry[0]() is not t:
        return None
    return entry[1]


def unpack_dual(tensor, *, level=None):
    """``(primal, tangent)``: the values without a tangent, and the tangent (None without one)."""
    tangent = _tangent_of(tensor) if _levels else None
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    return UnpackedDualTensor(Tensor._wrap(tensor._data), Tensor._wrap(tangent))


def _not_implemented(op):
    from ..autograd.profiler import _ATEN
    name = _ATEN.get(op.name, op.name)
    return NotImplementedError(
        f"Trying to use forward AD with {name} that does not support it because it has not "
        "been implemented yet.\nPlease file an issue to PyTorch at https://github.com/pytorch/"
        "pytorch/issues/new?template=feature-request.yml so that we can prioritize its "
        "implementation or submit a PR adding the implementation to derivatives.yaml")


def _saved_arrays(op, arrays, out):
    return [out if src == "result" else arrays[src] for _, src in op.saves]


def _propagate(op, inputs, kw, out, result):
    """The engine's hook: give ``result`` the tangent of ``op`` at ``inputs``."""
    tangents = [_tangent_of(t) if isinstance(t, Tensor) else None for t in inputs]
    if all(t is None for t in tangents):
        return
    if op.multi:   # split/chunk/unbind: each piece's tangent is the same piece of the tangent
        _propagate_pieces(kw, tangents[0], out, result)
        return
    arrays = [t._data if isinstance(t, Tensor) else t for t in inputs]
    name = op.name
    m = array_math(out)
    if name in _POINTWISE:
        saved = _saved_arrays(op, arrays, out)
        total = None
        for i, t in enumerate(tangents):
            if t is None:
                continue
            part = op.vjp(i)(m, m.xp.broadcast_to(t, out.shape), *saved, **kw)
            total = part if total is None else total + part
    elif name in _LINEAR:
        total = op.forward(tangents[0], **kw) if kw else op.forward(tangents[0])
    elif name in _VARIADIC_LINEAR:
        total = op.forward(*[m.xp.zeros_like(a) if t is None else t
                             for a, t in zip(arrays, tangents)], **kw)
    elif name in _WEIGHTED_REDUCTIONS:
        saved = _saved_arrays(op, arrays, out)
        weights = op.vjp(0)(m, m.xp.ones_like(out), *saved, **kw)
        dim, keepdim = kw.get("dim"), kw.get("keepdim", False)
        total = (m.xp.broadcast_to(weights, tangents[0].shape) * tangents[0]).sum(
            axis=dim, keepdims=keepdim)
    elif name == "softmax":   # y * (t - sum(y * t)) along dim
        dim = kw["dim"]
        total = out * (tangents[0] - (out * tangents[0]).sum(axis=dim, keepdims=True))
    elif name == "log_softmax":   # t - sum(softmax * t) along dim
        dim = kw["dim"]
        total = tangents[0] - (m.xp.exp(out) * tangents[0]).sum(axis=dim, keepdims=True)
    elif name in _BILINEAR or name == "addmm":
        first = 1 if name == "addmm" else 0
        total = tangents[0] if name == "addmm" and tangents[0] is not None else None
        last = 2 if name == "convolution" else len(arrays)   # the bias: below
        for i in range(first, last):
            if tangents[i] is None:
                continue
            args = list(arrays)
            args[i] = tangents[i]
            if name == "addmm":
                part = args[1] @ args[2]
            else:
                if name == "convolution":
                    args[2] = None   # the bias enters once, through its own tangent
                part = op.forward(*args, **kw) if kw else op.forward(*args)
            total = part if total is None else total + part
        if name == "convolution" and tangents[2] is not None:
            tb = tangents[2].reshape((1, -1) + (1,) * (out.ndim - 2))
            total = tb + (0 if total is None else total)
    else:
        raise _not_implemented(op)
    total = m.xp.asarray(total).astype(out.dtype, copy=False)
    if total.shape != out.shape:
        total = m.xp.broadcast_to(total, out.shape).copy()
    _tangents[id(result)] = (weakref.ref(result), total)


def _propagate_pieces(kw, tangent, pieces, results):
    """The tangents of ``split``/``chunk`` (``sections`` along ``dim``) and ``unbind``
    (``sections`` None: one index each) pieces."""
    m = array_math(tangent)
    dim, sections = kw["dim"], kw["sections"]
    start = 0
    for k, (piece, result) in enumerate(zip(pieces, results)):
        if sections is None:
            part = m.xp.take(tangent, k, axis=dim)
        else:
            part = m.xp.take(tangent, m.xp.arange(start, start + sections[k]), axis=dim)
            start += sections[k]
        _tangents[id(result)] = (weakref.ref(result), part.astype(piece.dtype, copy=False))

"""More of ``torch.*``: the inverse-trigonometric, hyperbolic and exp/log-family functions,
``atan2``, logical and bitwise ops, ``unique``, ``cross``, ``diag``, ``trace``, ``outer``,
with PyTorch's dtypes, nodes and error texts; ``install`` adds their ``Tensor`` methods."""
import warnings

import numpy as np

from . import _device, _graph, _ops
from ._graph import run
from .derivatives import OPS

__all__ = ["UNARY", "ALIASES", "atan2", "logical_and", "logical_or", "logical_xor",
           "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "unique",
           "cross", "diag", "trace", "outer", "install", "unary_functions"]

UNARY = ("tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "expm1",
         "exp2", "log2", "log10")
ALIASES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh",
           "arccosh": "acosh", "arctanh": "atanh", "arctan2": "atan2"}


def unary_functions():
    """``{name: function}`` for the unary functions above (``torch.tan``, ...)."""
    return {name: _ops.unary_function(name) for name in UNARY}


def atan2(input, other, *, out=None):
    """Elementwise ``atan(input / other)`` in the right quadrant (``Atan2Backward0``)."""
    if not isinstance(other, _graph.Tensor):
        raise TypeError(f"atan2(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    if out is not None:
        return _ops.write_out("atan2", out, atan2, (input, other), {})
    return _ops._binary(OPS["atan2"], input, other, true_div=True)


def _as_bool(t):
    return t._data if t._data.dtype == np.bool_ else t._data != 0


def _logical(op, input, other):
    other = _ops.as_operand(other, input)
    _ops._check_broadcast(tuple(input.shape), tuple(other.shape))
    return _graph.Tensor._wrap(op(_as_bool(input), _as_bool(other)))


def logical_and(input, other):
    return _logical(np.logical_and, input, other)


def logical_or(input, other):
    return _logical(np.logical_or, input, other)


def logical_xor(input, other):
    return _logical(np.logical_xor, input, other)


def logical_not(input):
    return _graph.Tensor._wrap(~_as_bool(input))


def _bitwise(name, input, other):
    kinds = {input.dtype.is_floating_point} | (
        {other.dtype.is_floating_point} if isinstance(other, _graph.Tensor) else {isinstance(other, float)})
    if True in kinds:
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'Float\'')
    return getattr(input, {"bitwise_and": "__and__", "bitwise_or": "__or__",
                           "bitwise_xor": "__xor__"}[name])(other)


def bitwise_and(input, other):
    return _bitwise("bitwise_and", input, other)


def bitwise_or(input, other):
    return _bitwise("bitwise_or", input, other)


def bitwise_xor(input, other):
    return _bitwise("bitwise_xor", input, other)


def bitwise_not(input):
    if input.dtype.is_floating_point:
        raise NotImplementedError("\"bitwise_not_cpu\" not implemented for 'Float'")
    return ~input


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values, sorted (``Unique2Backward0``, which has no derivative, as in
    PyTorch); with ``return_inverse``/``return_counts`` also where each element went and how
    often each value occurs."""
    if dim is not None:
        raise NotImplementedError("gradtrace: unique(dim=...) is not supported")
    data = input._data
    xp = _device.array_module(data)
    values, inverse, counts = xp.unique(data.reshape(-1), return_inverse=True,
                                        return_counts=True)
    out = run("unique", (input,), {"values": values})
    extras = []
    if return_inverse:
        extras.append(_graph.Tensor._wrap(inverse.reshape(data.shape).astype(np.int64)))
    if return_counts:
        extras.append(_graph.Tensor._wrap(counts.astype(np.int64)))
    return (out, *extras) if extras else out


def cross(input, other, dim=None):
    """The cross product along ``dim`` (the first dimension of size 3 when None, with
    PyTorch's deprecation warning) (``LinalgCrossBackward0``)."""
    if dim is None:
        if input.ndim > 1:
            warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\n"
                          "Please either pass the dim explicitly or simply use "
                          "torch.linalg.cross.\nThe default value of dim will change to agree "
                          "with that of linalg.cross in a future release.", UserWarning,
                          stacklevel=2)
        dim = next((i for i, n in enumerate(np.broadcast_shapes(tuple(input.shape),
                                                                tuple(other.shape))) if n == 3),
                   -1)
    return linalg_cross(input, other, dim)


def linalg_cross(input, other, dim=-1):
    shape = np.broadcast_shapes(tuple(input.shape), tuple(other.shape))
    d = _ops.wrap_dim(dim, len(shape))
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{input.shape[d]} and {other.shape[d]}")
    return run("linalg_cross", (input, other), {"dim": d - len(shape)})


def diag(input, diagonal=0):
    """A vector onto diagonal ``diagonal`` of a square matrix (``DiagEmbedBackward0``), or a
    matrix's diagonal as a vector (``DiagonalBackward0_copy``)."""
    if input.ndim == 1:
        return run("diag_embed", (input,), {"k": int(diagonal)})
    if input.ndim == 2:
        return run("diag_copy", (input,), {"k": int(diagonal), "shape": tuple(input.shape)})
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


def trace(input):
    """The sum of the main diagonal of a matrix (``TraceBackward0``)."""
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    return run("trace", (input,), {"shape": tuple(input.shape)})


def outer(input, vec2):
    """``input[:, None] * vec2``, recorded as PyTorch records it (``MulBackward0`` over a view)."""
    for name, t in (("input", input), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return _ops.reshape(input, (-1, 1)) * vec2


_METHODS = ("atan2", "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and",
            "bitwise_or", "bitwise_xor", "bitwise_not", "unique", "cross", "diag", "trace",
            "outer")


def install(tensor_cls):
    """The methods: ``x.tan()``, ``x.arcsin()``, ``x.atan2(y)``, ``x.trace()``, ..."""
    for name, fn in unary_functions().items():
        setattr(tensor_cls, name, fn)
    for name in _METHODS:
        setattr(tensor_cls, name, globals()[name])
    for alias, name in ALIASES.items():
        setattr(tensor_cls, alias, getattr(tensor_cls, name))

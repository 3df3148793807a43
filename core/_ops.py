"""The differentiable operations behind ``Tensor``'s methods and the ``torch.*`` functions.

Each function checks its arguments with PyTorch's error texts, settles the result dtype by
PyTorch's promotion, and runs one registry op (or, like PyTorch's ``matmul``, a few).
"""
import builtins
import numbers
import operator
import weakref
from collections import namedtuple

import numpy as np

from . import _device, _dtype, _graph
from ._creation import full, tensor
from ._graph import _EMPTY, accumulate_node, apply, extra
from .derivatives import OPS
from .grad_mode import is_grad_enabled, no_grad

_OPS_ADD, _OPS_SUB, _OPS_MUL, _OPS_DIV = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"]
_OPS_POW, _OPS_SUM = OPS["pow"], OPS["sum"]
_Number = (builtins.int, builtins.float, builtins.bool)
class _ValuesIndices(namedtuple("_ValuesIndices", ["values", "indices"])):
    """``(values, indices)`` printed as PyTorch's ``torch.return_types.max(...)``."""

    __slots__ = ()
    _op = "max"

    def __repr__(self):
        return (f"torch.return_types.{self._op}(\nvalues={self.values!r},\n"
                f"indices={self.indices!r})")

    __str__ = __repr__


_RETURN_TYPES = {}


def values_indices(values, indices, op="max"):
    """PyTorch's named ``(values, indices)`` result of reduction ``op`` (``max``, ``min``)."""
    cls = _RETURN_TYPES.get(op)
    if cls is None:
        cls = _RETURN_TYPES[op] = type(op, (_ValuesIndices,), {"__slots__": (), "_op": op,
                                                              "__module__": __name__})
    return cls(values, indices)


# ---------------------------------------------------------------- argument handling
def wrap_dim(dim, ndim):
    """``dim`` as a non-negative index, with PyTorch's IndexError when out of range."""
    n = builtins.max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n


def _dims(dim, ndim):
    if isinstance(dim, (tuple, list)):
        return tuple(wrap_dim(d, ndim) for d in dim)
    return wrap_dim(dim, ndim)


def as_operand(x, like):
    """A tensor for ``x`` (a list, array or number) on ``like``'s device."""
    if isinstance(x, _graph.Tensor):
        return x
    if like is not None and type(like._data) is not np.ndarray and type(x) in (float, int, bool):
        return full((), x, device=like.device)  # filled on the GPU: no copy from the host
    return tensor(x, device=like.device if like is not None else None)


def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _check_broadcast(a, b):
    """Raise PyTorch's error if shapes ``a`` and ``b`` do not broadcast."""
    n = builtins.max(len(a), len(b))
    for i in range(n - 1, -1, -1):
        ia, ib = i - n + len(a), i - n + len(b)
        sa = a[ia] if ia >= 0 else 1
        sb = b[ib] if ib >= 0 else 1
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(f"The size of tensor a ({sa}) must match the size of tensor b "
                               f"({sb}) at non-singleton dimension {i}")


def _check_device(a, b):
    if type(a) is not type(b):
        da, db = _device.device_of(a), _device.device_of(b)
        raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                           f"two devices, {da} and {db}!")


def _is_cpu_scalar(data):
    return type(data) is np.ndarray and data.ndim == 0


def _common_array_type(arrays):
    """The array type of an elementwise op's operands: PyTorch lets a 0-d CPU tensor (a "CPU
    scalar") join tensors on a GPU; any other mix of devices raises its error."""
    first = None
    for d in arrays:
        if d is None or _is_cpu_scalar(d):
            continue
        if first is None:
            first = d
        elif type(d) is not type(first):
            _check_device(first, d)
    return type(first) if first is not None else np.ndarray


def to_array_type(data, kind):
    """``data`` (a CPU scalar's array) on the device of arrays of type ``kind``: filled there
    from its value, so nothing is copied from the host."""
    if type(data) is kind:
        return data
    return _device.array_module_of_type(kind).full((), data[()], dtype=data.dtype)


def device_apply(op, inputs, kw=_EMPTY, dtype=None):
    """``apply`` for an elementwise op whose tensors may include CPU scalars next to GPU
    tensors (PyTorch allows it; any other mix of devices raises its error). A scalar's value is
    brought to the GPU; in the graph the node still points at the scalar's own node, and the
    scalar's gradient is sent back to the CPU by the engine."""
    tensors = [t for t in inputs if isinstance(t, _graph.Tensor)]
    kind = _common_array_type([t._data for t in tensors])
    if all(type(t._data) is kind for t in tensors):
        return apply(op, inputs, kw, dtype)
    moved, homes, keep = [], {}, []
    for i, t in enumerate(inputs):
        if isinstance(t, _graph.Tensor) and type(t._data) is not kind:
            stand_in = _graph.Tensor._wrap(to_array_type(t._data, kind))
            if t._requires_grad:
                stand_in._requires_grad = True
                stand_in.grad_fn = t.grad_fn
                if t.grad_fn is None:   # the stand-in leads to the scalar's own AccumulateGrad
                    keep.append(accumulate_node(t))   # alive until the new node holds it
                    stand_in._accum = weakref.ref(keep[-1])
                homes[i] = t.device
            t = stand_in
        moved.append(t)
    result = apply(op, tuple(moved), kw, dtype)
    if homes and result.grad_fn is not None:
        extra(result.grad_fn).homes = homes
    return result


def _promote(tensors, scalars=()):
    dims, zero = [], []
    for t in tensors:
        (dims if t._data.ndim else zero).append(t.dtype)
    return _dtype.result_type(dims, zero, [_dtype.scalar_category(s) for s in scalars])


def _binary(op, a, b, true_div=False, kw=None):
    """Run binary op ``op`` on tensor ``a`` and tensor-or-number ``b`` with PyTorch's promotion."""
    if isinstance(b, _graph.Tensor):
        da, db = a._data, b._data
        if da.shape != db.shape:
            _check_broadcast(da.shape, db.shape)
        dtype = None if da.dtype == db.dtype else _promote((a, b))
        if true_div and not (dtype or a.dtype).is_floating_point:
            dtype = _dtype.get_default_dtype()
        if type(da) is not type(db):  # a CPU scalar with a GPU tensor, or PyTorch's error
            return device_apply(op, (a, b), kw or _EMPTY, dtype)
        return apply(op, (a, b), kw or _EMPTY, dtype)
    tb = type(b)
    if tb is builtins.float or tb is builtins.int or tb is builtins.bool:
        kind = a._data.dtype.kind
        dtype = None
        if kind != "f":
            cat = 2 if tb is builtins.float else 1 if tb is builtins.int else 0
            if cat > (0 if kind == "b" else 1):
                dtype = _dtype.int64 if cat == 1 else _dtype.get_default_dtype()
            if true_div and (dtype is None or not dtype.is_floating_point):
                dtype = _dtype.get_default_dtype()
        return apply(op, (a, b), kw or _EMPTY, dtype)
    if isinstance(b, numbers.Number) or isinstance(b, (np.ndarray, np.generic, list, tuple)):
        return _binary(op, a, as_operand(b, a), true_div, kw)
    return NotImplemented


def add(a, b, alpha=1):
    """``a + alpha * b`` with broadcasting (``AddBackward0``)."""
    return _binary(_OPS_ADD, a, b, kw=None if alpha == 1 else {"alpha": alpha})


_BOOL_SUB = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
             "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


_BOOL_SUB_BOTH = ("Subtraction, the `-` operator, with two bool tensors is not supported. Use "
                  "the `^` or `logical_xor()` operator instead.")


def _refuse_bool_sub(a, b):
    a_bool = a._data.dtype == np.bool_
    b_bool = type(b) is builtins.bool or (isinstance(b, _graph.Tensor) and b._data.dtype == np.bool_)
    if a_bool and b_bool:
        raise RuntimeError(_BOOL_SUB_BOTH)
    if a_bool or b_bool:
        raise RuntimeError(_BOOL_SUB)


def sub(a, b, alpha=1):
    """``a - alpha * b`` (``SubBackward0``)."""
    _refuse_bool_sub(a, b)
    return _binary(_OPS_SUB, a, b, kw=None if alpha == 1 else {"alpha": alpha})


def rsub(a, other):
    """``other - a`` for a number ``other`` (``RsubBackward1``)."""
    if isinstance(other, _graph.Tensor):
        return sub(other, a)
    if not isinstance(other, _Number):
        return sub(as_operand(other, a), a)
    _refuse_bool_sub(a, other)
    dtype = None
    if _dtype.scalar_category(other) > a.dtype._category:
        dtype = _dtype.get_default_dtype()
    return apply(OPS["rsub"], (a,), {"other": other}, dtype)


def mul(a, b):
    """Elementwise product with broadcasting (``MulBackward0``)."""
    return _binary(_OPS_MUL, a, b)


def div(a, b, rounding_mode=None):
    """True division (``DivBackward0``); integer inputs give the default float dtype."""
    if rounding_mode is not None:
        q = _binary(_OPS_DIV, a, b, True)
        f = np.floor if rounding_mode == "floor" else np.trunc
        return _graph.Tensor._wrap(f(q._data).astype(_promote_for_rounding(a, b)))
    return _binary(_OPS_DIV, a, b, True)


def _promote_for_rounding(a, b):
    return (_promote((a, b)) if isinstance(b, _graph.Tensor) else _promote((a,), (b,))).np


def pow(a, exponent):
    """``a ** exponent`` for a number (``PowBackward0``) or tensor (``PowBackward1``) exponent."""
    if isinstance(a, _Number):
        return rpow(exponent, a)
    if isinstance(exponent, _graph.Tensor):
        if a._data.dtype == np.bool_ and exponent._data.dtype == np.bool_:
            raise NotImplementedError('"pow" not implemented for \'Bool\'')
        return _binary(OPS["pow_tensor"], a, exponent)
    dtype = None
    if a._data.dtype.kind != "f":
        if a._data.dtype.kind in "iu" and isinstance(exponent, builtins.int) and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        cat = _dtype.scalar_category(exponent)
        if cat > a.dtype._category:
            dtype = _dtype.int64 if cat == 1 else _dtype.get_default_dtype()
    return apply(_OPS_POW, (a,), {"exponent": exponent}, dtype)


def rpow(a, base):
    """``base ** a`` for a number ``base`` (``PowBackward2``)."""
    dtype = _dtype.get_default_dtype() if not a.dtype.is_floating_point and isinstance(base, builtins.float) else None
    return apply(OPS["rpow"], (a,), {"base": base}, dtype)


def neg(a):
    return apply(OPS["neg"], (a,))


def reciprocal(a):
    return unary("reciprocal", a)


_FLOAT_ONLY = frozenset(("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "reciprocal",
                         "erf", "log1p", "rsqrt", "tan", "asin", "acos", "atan", "sinh", "cosh",
                         "asinh", "acosh", "atanh", "expm1", "exp2", "log2", "log10"))


def unary(name, a):
    """Run the elementwise registry op ``name`` (integers become the default float first)."""
    if a._data.dtype.kind != "f" and name in _FLOAT_ONLY:
        a = to_dtype(a, _dtype.get_default_dtype())
    return apply(OPS[name], (a,))


def unary_function(name):
    """``unary(name, ·)`` as a one-argument function with the op looked up once (hot path)."""
    op, float_only = OPS[name], name in _FLOAT_ONLY

    def fn(input, *, out=None):
        if out is not None:
            return write_out(name, out, fn, (input,), {})
        if float_only and input._data.dtype.kind != "f":
            input = to_dtype(input, _dtype.get_default_dtype())
        return apply(op, (input,))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` (``{op.node_name}``)."
    return fn


_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def _flat_tensors(args):
    for a in args:
        if isinstance(a, _graph.Tensor):
            yield a
        elif isinstance(a, (list, tuple)):
            yield from _flat_tensors(a)


def write_out(name, out, fn, args, kw):
    """``fn(*args, **kw)`` written into ``out``, PyTorch's ``out=``: refused when a graph would
    be needed, cast into ``out``'s dtype (never down a category), ``out`` resized (with
    PyTorch's warning unless it was empty) when the shapes differ."""
    if is_grad_enabled() and (out._requires_grad or builtins.any(
            t._requires_grad for t in _flat_tensors(args))):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    with no_grad():
        result = fn(*args, **kw)
    if _CATEGORY[result._data.dtype.kind] > _CATEGORY[out._data.dtype.kind]:
        raise RuntimeError(f"result type {_type_word(result.dtype)} can't be cast to the desired "
                           f"output type {_type_word(out.dtype)}")
    if tuple(out.shape) != tuple(result.shape):
        if out._data.size:
            import warnings
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{_shape_str(out.shape)}, which does not match the required output shape "
                f"{_shape_str(result.shape)}. This behavior is deprecated, and in a future "
                "PyTorch release outputs will not be resized unless they have zero elements. You "
                "can explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
                "with t.resize_(0).", UserWarning, stacklevel=3)
        out._data = _device.array_module(out._data).empty(result._data.shape, out._data.dtype)
    out._data[...] = _device.move(result._data, out.device)
    out._version += 1
    return out


def with_out(fn, name=None):
    """``fn`` taking PyTorch's ``out=`` keyword (see ``write_out``)."""
    import functools
    name = name or fn.__name__

    @functools.wraps(fn)
    def f(*args, out=None, **kw):
        if out is None:
            return fn(*args, **kw)
        return write_out(name, out, fn, args, kw)
    return f


def maximum(a, b):
    return _binary(OPS["maximum"], a, as_operand(b, a))


def minimum(a, b):
    return _binary(OPS["minimum"], a, as_operand(b, a))


def clamp(a, min=None, max=None):
    """Clamp into ``[min, max]`` (``ClampBackward1`` for numbers, ``ClampBackward0`` for tensors)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, _graph.Tensor) or isinstance(max, _graph.Tensor):
        lo = as_operand(min, a) if min is not None else None
        hi = as_operand(max, a) if max is not None else None
        return device_apply(OPS["clamp_tensor"], (a, lo, hi))
    return apply(OPS["clamp"], (a,), {"min": min, "max": max})


clip = clamp


def where(condition, input=None, other=None):
    """``input`` where ``condition`` holds, else ``other`` (``WhereBackward0``); with the
    condition alone, ``condition.nonzero(as_tuple=True)``."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if input is None or other is None:
        got = ", ".join(type(a).__name__ for a in (condition, input, other) if a is not None)
        raise TypeError(
            f"where() received an invalid combination of arguments - got ({got}), but expected "
            "one of:\n * (Tensor condition)\n * (Tensor condition, Tensor input, Tensor other, *, "
            "Tensor out = None)\n * (Tensor condition, Number self, Tensor other)\n * (Tensor "
            "condition, Tensor input, Number other)\n * (Tensor condition, Number self, Number "
            "other)\n")
    cond = condition._data if isinstance(condition, _graph.Tensor) else np.asarray(condition)
    if cond.dtype != np.bool_:
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_type_word(_dtype.from_numpy_dtype(cond.dtype))}")
    like = input if isinstance(input, _graph.Tensor) else other
    a = input if isinstance(input, _graph.Tensor) else as_operand(input, like)
    b = other if isinstance(other, _graph.Tensor) else as_operand(other, like)
    _check_broadcast(cond.shape, a.shape)
    _check_broadcast(cond.shape, b.shape)
    _check_broadcast(a.shape, b.shape)
    dtype = None if a.dtype is b.dtype else _promote(
        [t for t in (a, b) if t is input or t is other and isinstance(other, _graph.Tensor)] or (a, b),
        [s for s in (input, other) if isinstance(s, _Number)])
    kind = _common_array_type((cond, a._data, b._data))
    return device_apply(OPS["where"], (a, b), {"condition": to_array_type(cond, kind)}, dtype)


# ---------------------------------------------------------------- reductions
def sum(a, dim=None, keepdim=False, *, dtype=None, axis=None):
    """Sum of all elements (``SumBackward0``) or over ``dim`` (``SumBackward1``)."""
    dim = axis if dim is None else dim
    a = _accumulating(a, dtype)
    if dim is None:
        return apply(_OPS_SUM, (a,), {"shape": a._data.shape})
    return apply(OPS["sum_dim"], (a,), {"dim": _dims(dim, a.ndim), "keepdim": keepdim,
                                        "shape": a._data.shape})


def _accumulating(a, dtype):
    """``a`` in the dtype a sum or product accumulates in: ``dtype`` if given, else int64 for
    booleans and integers (as PyTorch), else its own."""
    if dtype is not None:
        return to_dtype(a, dtype)
    if a._data.dtype.kind in "biu" and a._data.dtype != np.int64:
        return to_dtype(a, _dtype.int64)
    return a


def prod(a, dim=None, keepdim=False, *, dtype=None):
    """Product of all elements (``ProdBackward0``) or along ``dim`` (``ProdBackward1``)."""
    a = _accumulating(a, dtype)
    if dim is None:
        return apply(OPS["prod"], (a,), {"shape": a._data.shape})
    d = wrap_dim(dim, builtins.max(a.ndim, 1)) if a.ndim else None
    return apply(OPS["prod_dim"], (a,), {"dim": d, "keepdim": keepdim, "shape": a._data.shape})


def mean(a, dim=None, keepdim=False, *, dtype=None, axis=None):
    """Mean of all elements (``MeanBackward0``) or over ``dim`` (``MeanBackward1``)."""
    dim = axis if dim is None else dim
    if dtype is not None:
        a = to_dtype(a, dtype)
    if a._data.dtype.kind != "f":
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           "floating point or complex dtype. Got: " + _type_word(a.dtype))
    if dim is None:
        return apply(OPS["mean"], (a,), {"shape": a._data.shape})
    return apply(OPS["mean_dim"], (a,), {"dim": _dims(dim, a.ndim), "keepdim": keepdim,
                                         "shape": a._data.shape})


def _type_word(dt):
    return _dtype.TYPE_WORDS[dt.name]


def _minmax(name, a, dim, keepdim, other):
    if isinstance(dim, _graph.Tensor) or other is not None:
        return (maximum if name == "max" else minimum)(a, dim if other is None else other)
    if a._data.size == 0 and dim is None:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
    if dim is None:
        return apply(OPS[name], (a,))
    d = wrap_dim(dim, a.ndim)
    xp = _device.array_module(a._data)
    idx = (xp.argmax if name == "max" else xp.argmin)(a._data, axis=d if a.ndim else None)
    if keepdim and a.ndim:
        idx = xp.expand_dims(idx, d)
    values = apply(OPS[name + "_dim"], (a,), {"dim": d, "keepdim": keepdim, "indices": idx,
                                              "shape": a._data.shape})
    return values_indices(values, _graph.Tensor._wrap(xp.asarray(idx, dtype=np.int64)), name)


def max(a, dim=None, keepdim=False, *, other=None):
    """``max()`` of all (``MaxBackward1``), ``max(dim)`` -> (values, indices), or ``max(a, b)``."""
    return _minmax("max", a, dim, keepdim, other)


def min(a, dim=None, keepdim=False, *, other=None):
    return _minmax("min", a, dim, keepdim, other)


def amax(a, dim=(), keepdim=False):
    d = tuple(range(a.ndim)) if dim == () or dim is None else _dims(dim, a.ndim)
    return apply(OPS["amax"], (a,), {"dim": d, "keepdim": keepdim})


def amin(a, dim=(), keepdim=False):
    d = tuple(range(a.ndim)) if dim == () or dim is None else _dims(dim, a.ndim)
    return apply(OPS["amin"], (a,), {"dim": d, "keepdim": keepdim})


def _var_args(a, dim, unbiased, keepdim, correction):
    if isinstance(dim, builtins.bool):
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased in (None, True) else 0
    return {"dim": None if dim is None else _dims(dim, a.ndim), "correction": correction,
            "keepdim": keepdim}


def var(a, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance with Bessel's correction by default (``VarBackward0``)."""
    return apply(OPS["var"], (a,), _var_args(a, dim, unbiased, keepdim, correction))


def std(a, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation (``StdBackward0``)."""
    return apply(OPS["std"], (a,), _var_args(a, dim, unbiased, keepdim, correction))


def softmax(a, dim=None, dtype=None):
    if dtype is not None:
        a = to_dtype(a, dtype)
    return apply(OPS["softmax"], (a,), {"dim": wrap_dim(_softmax_dim(a, dim), a.ndim)})


def log_softmax(a, dim=None, dtype=None):
    if dtype is not None:
        a = to_dtype(a, dtype)
    return apply(OPS["log_softmax"], (a,), {"dim": wrap_dim(_softmax_dim(a, dim), a.ndim)})


def _softmax_dim(a, dim):
    if dim is None:
        import warnings
        warnings.warn("Implicit dimension choice for softmax has been deprecated. Change the "
                      "call to include dim=X as an argument.", UserWarning, stacklevel=3)
        return 0 if a.ndim in (0, 1, 3) else 1
    return dim


def logsumexp(a, dim, keepdim=False):
    return apply(OPS["logsumexp"], (a,), {"dim": _dims(dim, a.ndim), "keepdim": keepdim})


def norm(a, p=2, dim=None, keepdim=False):
    """Vector p-norm (``p`` = 2, 1, inf, or any positive number) over ``dim`` or all elements."""
    if p == "fro":
        p = 2
    if a._data.dtype.kind != "f":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_type_word(a.dtype)}")
    d = None if dim is None else _dims(dim, a.ndim)
    return apply(OPS["norm"], (a,), {"ord": builtins.float(p), "dim": d, "keepdim": keepdim})


def boolean_reduce(name, a, dim, keepdim):
    data = a._data
    out = getattr(data, name)(axis=None if dim is None else _dims(dim, data.ndim),
                              keepdims=keepdim)
    return _graph.Tensor._wrap(out if type(out) is type(data) else _device.array_module(data).asarray(out))


def arg_reduce(name, a, dim, keepdim):
    xp = _device.array_module(a._data)
    out = getattr(xp, name)(a._data, axis=None if dim is None else wrap_dim(dim, a.ndim),
                            keepdims=keepdim)
    return _graph.Tensor._wrap(xp.asarray(out, dtype=np.int64))


# ---------------------------------------------------------------- shapes
def _shape_args(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(builtins.int(s) for s in shape)


def _infer_shape(shape, numel):
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{_shape_str(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{_shape_str(shape)}' is invalid for input of size {numel}")
    return shape


def _viewable(arr, shape):
    """Whether ``arr`` (numpy or CuPy) can take ``shape`` without a copy: PyTorch's rule
    (``computeStride``) over its shape and strides, so a device array answers as a host one.

    >>> a = np.arange(24.).reshape(2, 3, 4)[:, :, :2]      # chunk(2, dim=2)'s first piece
    >>> _viewable(a, (2, 3, 2, 1)), _viewable(a, (6, 2)), _viewable(a, (2, 6))
    (True, True, False)
    """
    if arr.flags.c_contiguous or arr.size <= 1:
        return True
    return _view_strides(arr.shape, tuple(st // arr.itemsize for st in arr.strides),
                         shape) is not None


def _view_strides(old_shape, old_strides, new_shape):
    """The strides (in elements) of ``new_shape`` viewing memory laid out as ``old_shape`` /
    ``old_strides``, or None where no view can (PyTorch's ``computeStride``)."""
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base_stride = old_strides[-1] if old_strides else 1
    tensor_numel = view_numel = 1
    for tensor_d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[tensor_d]
        # a contiguous run ends here: the dimension before it does not continue it
        if tensor_d == 0 or (old_shape[tensor_d - 1] != 1 and
                             old_strides[tensor_d - 1] != tensor_numel * chunk_base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = old_strides[tensor_d - 1]
                tensor_numel = view_numel = 1
    return None if view_d != -1 else tuple(new_strides)


def _view_op(name, a, shape):
    return apply(OPS[name], (a,), {"shape": shape, "in_shape": a._data.shape})


def view(a, *shape):
    """A view with another shape (``ViewBackward0``); fails where the strides do not allow it."""
    shape = _infer_shape(_shape_args(shape), a._data.size)
    if not _viewable(a._data, shape):
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.")
    return _view_op("view", a, shape)


def reshape(a, *shape):
    """``view`` when possible, else a copy (``UnsafeViewBackward0`` over ``CloneBackward0``)."""
    shape = _infer_shape(_shape_args(shape), a._data.size)
    if _viewable(a._data, shape):
        return _view_op("view", a, shape)
    return _view_op("unsafe_view", unary("clone", a), shape)


def view_as(a, other):
    return view(a, other.shape)


def reshape_as(a, other):
    return reshape(a, other.shape)


def flatten(a, start_dim=0, end_dim=-1):
    if a.ndim == 0:
        return reshape(a, 1)
    s, e = wrap_dim(start_dim, a.ndim), wrap_dim(end_dim, a.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return a
    shape = a.shape
    n = 1
    for d in shape[s:e + 1]:
        n *= d
    return reshape(a, tuple(shape[:s]) + (n,) + tuple(shape[e + 1:]))


def squeeze(a, dim=None):
    shape = a._data.shape
    if dim is None:
        return _view_op("squeeze", a, tuple(s for s in shape if s != 1))
    if isinstance(dim, (tuple, list)):
        ds = _dims(dim, a.ndim)
        return _view_op("squeeze_dims", a, tuple(s for i, s in enumerate(shape)
                                                 if not (i in ds and s == 1)))
    d = wrap_dim(dim, a.ndim)
    new = shape[:d] + shape[d + 1:] if a.ndim and shape[d] == 1 else shape
    return _view_op("squeeze_dim", a, new)


def unsqueeze(a, dim):
    d = wrap_dim(dim, a.ndim + 1)
    shape = a._data.shape
    return _view_op("unsqueeze", a, shape[:d] + (1,) + shape[d:])


def transpose(a, dim0, dim1):
    d0, d1 = wrap_dim(dim0, a.ndim), wrap_dim(dim1, a.ndim)
    return apply(OPS["transpose"], (a,), {"dim0": d0, "dim1": d1})


swapaxes = transpose


def permute(a, *dims):
    dims = _shape_args(dims)
    if len(dims) != a.ndim:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {a.ndim} is not equal to len(dims) = {len(dims)}")
    dims = tuple(wrap_dim(d, a.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return apply(OPS["permute"], (a,), {"dims": dims})


def t(a):
    if a.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {a.ndim}D")
    return apply(OPS["t"], (a,))


def expand(a, *sizes):
    sizes = _shape_args(sizes)
    shape = a._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand(torch.FloatTensor{{{_shape_str(shape)}}}, size={_shape_str(sizes)}): the number of sizes provided ({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    out = []
    for i, s in enumerate(sizes):
        cur = shape[i - lead] if i >= lead else 1
        if s == -1:
            if i < lead:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}")
            s = cur
        elif cur != 1 and cur != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size ({cur}) at non-singleton dimension {i}.  Target sizes: {_shape_str(sizes)}.  Tensor sizes: {_shape_str(shape)}")
        out.append(s)
    return apply(OPS["expand"], (a,), {"shape": tuple(out)})


def expand_as(a, other):
    return expand(a, other.shape)


def cat(tensors, dim=0):
    """Concatenate along ``dim`` (``CatBackward0``)."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    ref = tensors[0]
    d = wrap_dim(dim, ref.ndim)
    for i, t in enumerate(tensors[1:], 1):
        _check_device(ref._data, t._data)
        if t.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}")
        for k in range(ref.ndim):
            if k != d and t.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size {ref.shape[k]} but got size {t.shape[k]} for tensor number {i} in the list.")
    dtype = _promote(tensors)
    return apply(OPS["cat"], tuple(tensors), {"dim": d, "sizes": tuple(t.shape[d] for t in tensors)},
                 dtype)


def stack(tensors, dim=0):
    """Stack along a new dimension ``dim`` (``StackBackward0``)."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ref = tensors[0]
    for i, t in enumerate(tensors[1:], 1):
        _check_device(ref._data, t._data)
        if t.shape != ref.shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {_shape_str(ref.shape)} at entry 0 and {_shape_str(t.shape)} at entry {i}")
    d = wrap_dim(dim, ref.ndim + 1)
    return apply(OPS["stack"], tuple(tensors), {"dim": d}, _promote(tensors))


# ---------------------------------------------------------------- comparisons, dtype, device
def compare(name, a, b):
    """``a <op> b`` as a bool tensor (never recorded), with PyTorch's device and shape checks."""
    data = a._data
    if isinstance(b, _graph.Tensor):
        other = b._data
        if type(data) is not type(other):
            kind = _common_array_type((data, other))
            data, other = to_array_type(data, kind), to_array_type(other, kind)
        if data.shape != other.shape:
            _check_broadcast(data.shape, other.shape)
    elif isinstance(b, _Number):
        other = b
    elif b is None:
        return name == "not_equal"
    else:
        other = as_operand(b, a)._data
    out = _COMPARE[name](data, other)
    if type(out) is not type(data):  # numpy answers a 0-d comparison with a scalar
        out = _device.array_module(data).asarray(out)
    return _graph.Tensor._wrap(out)


_COMPARE = {"equal": operator.eq, "not_equal": operator.ne, "less": operator.lt,
            "less_equal": operator.le, "greater": operator.gt, "greater_equal": operator.ge}


def logical(name, a, b):
    xp = _device.array_module(a._data)
    other = b._data if isinstance(b, _graph.Tensor) else b
    return _graph.Tensor._wrap(xp.asarray(getattr(xp, name)(a._data, other)))


def to_dtype(a, dtype):
    """Cast (``ToCopyBackward0`` when recorded); no copy when the dtype is already right."""
    dtype = _dtype.to_dtype(dtype)
    if a.dtype is dtype:
        return a
    out = apply(OPS["to_copy"], (a,), {"dtype": dtype.np})
    if not dtype.is_floating_point and out.grad_fn is not None:
        out.grad_fn, out._requires_grad = None, False
    return out


def to_device(a, dev):
    if a.device == dev:
        return a
    _device.module_for(dev)
    return apply(OPS["to_device"], (a,), {"device": dev, "source": a.device})


# short aliases PyTorch also has
negative, multiply, divide, subtract, true_divide = neg, mul, div, sub, div


def abs(a):
    """Elementwise absolute value (``AbsBackward0``)."""
    return unary("abs", a)

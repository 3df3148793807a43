"""The in-place variants (``x.exp_()``, ``x.t_()``, ``x.atan2_(y)``, ...) of the engine's ops,
from one table: each runs its out-of-place op and writes the result back (``_indexing.inplace``:
version counter, ``CopySlices`` on views); the view ops' in-place forms change the tensor's
shape and take PyTorch's node names for them (``TBackward1``, ``UnsqueezeBackward1``, ...).
"""
from . import _dtype, _graph, _indexing, _ops
from ._graph import apply
from .derivatives import OPS

__all__ = ["VALUE_INPLACE", "install"]

# x.name_(*args) is x.name(*args) written into x (the methods that exist get an in-place form)
VALUE_INPLACE = (
    "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "abs", "absolute", "neg", "negative",
    "reciprocal", "pow", "sign", "floor", "ceil", "trunc", "frac", "round", "erf", "log1p",
    "rsqrt", "square", "clip", "masked_fill", "tril", "triu", "tan", "asin", "acos", "atan",
    "sinh", "cosh", "asinh", "acosh", "atanh", "arcsin", "arccos", "arctan", "arcsinh",
    "arccosh", "arctanh", "expm1", "exp2", "log2", "log10", "atan2", "arctan2", "multiply",
    "divide", "subtract", "true_divide", "maximum", "minimum", "fmod", "remainder",
    "logical_not", "logical_and", "logical_or", "logical_xor", "bitwise_not", "bitwise_and",
    "bitwise_or", "bitwise_xor", "sub", "mul", "div", "add", "clamp", "relu",
)
_NO_INPLACE = frozenset(("maximum", "minimum"))   # PyTorch has no maximum_/minimum_
# in-place forms PyTorch records under an op of their own, which has no derivative
_OWN_OP = {"asinh": "asinh_", "acosh": "acosh_", "atanh": "atanh_", "arcsinh": "asinh_",
           "arccosh": "acosh_", "arctanh": "atanh_"}


def _value_inplace(name):
    own = _OWN_OP.get(name)

    def method(self, *args, **kwargs):
        fn = getattr(_graph.Tensor, name) if own is None else _own_op(own)
        return _indexing.inplace(self, fn, *args, **kwargs)
    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = f"In-place ``{name}``: the result written into this tensor."
    return method


def _own_op(op_name):
    def fn(t):
        if t._data.dtype.kind != "f":
            t = _ops.to_dtype(t, _dtype.get_default_dtype())
        return apply(OPS[op_name], (t,))
    return fn


def _metadata(a, op_name, kw):
    """An in-place view op: ``a`` becomes the view (same memory, new shape), its node one of
    PyTorch's ``...Backward1`` names for the in-place form."""
    _indexing._check_inplace(a)
    result = apply(OPS[op_name], (a,), kw)
    a._data = result._data
    a._version += 1
    if result.grad_fn is not None:
        a.grad_fn, a._requires_grad = result.grad_fn, True
    return a


def t_(self):
    if self.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
    return _metadata(self, "t1", {})


def transpose_(self, dim0, dim1):
    d0, d1 = _ops.wrap_dim(dim0, self.ndim), _ops.wrap_dim(dim1, self.ndim)
    return _metadata(self, "transpose1", {"dim0": d0, "dim1": d1})


def unsqueeze_(self, dim):
    shape = self._data.shape
    d = _ops.wrap_dim(dim, self.ndim + 1)
    return _metadata(self, "unsqueeze1", {"shape": shape[:d] + (1,) + shape[d:], "in_shape": shape})


def squeeze_(self, dim=None):
    shape = self._data.shape
    if dim is None:
        return _metadata(self, "squeeze3", {"shape": tuple(s for s in shape if s != 1),
                                            "in_shape": shape})
    if isinstance(dim, (tuple, list)):
        ds = _ops._dims(dim, self.ndim)
        new = tuple(s for i, s in enumerate(shape) if not (i in ds and s == 1))
        return _metadata(self, "squeeze5", {"shape": new, "in_shape": shape})
    d = _ops.wrap_dim(dim, self.ndim)
    new = shape[:d] + shape[d + 1:] if self.ndim and shape[d] == 1 else shape
    return _metadata(self, "squeeze4_", {"shape": new, "in_shape": shape})


def install(tensor_cls):
    """Give ``tensor_cls`` every in-place form it lacks (existing ones are kept)."""
    for name in VALUE_INPLACE:
        if name in _NO_INPLACE or not hasattr(tensor_cls, name):
            continue
        if name + "_" not in tensor_cls.__dict__:
            setattr(tensor_cls, name + "_", _value_inplace(name))
    for fn in (t_, transpose_, unsqueeze_, squeeze_):
        setattr(tensor_cls, fn.__name__, fn)
    tensor_cls.swapaxes_ = transpose_

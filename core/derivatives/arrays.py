"""``ArrayMath``: the math a vjp rule may use over plain arrays (numpy or CuPy), and the array
helpers the rule tables share (the array module of an array, erf, scatter-add, reduced dims).
"""
import math

import numpy as np

from .. import _device

__all__ = ["ArrayMath", "array_math", "sum_to", "erf_array"]


class ArrayMath:
    """The math a vjp rule may use, over plain arrays of one array module (numpy or cupy)."""

    def __init__(self, xp):
        self.xp = xp
        self.exp, self.log, self.sqrt = xp.exp, xp.log, xp.sqrt
        self.sin, self.cos, self.sign, self.abs = xp.sin, xp.cos, xp.sign, xp.abs
        self.matmul, self.where = xp.matmul, xp.where

    @staticmethod
    def const(a):
        return a

    def erf(self, a):
        return erf_array(a)

    @staticmethod
    def sigmoid(a):
        return _sigmoid(a)

    def tanh(self, a):
        return self.xp.tanh(a)

    def tril(self, g, diagonal):
        return self.xp.tril(g, diagonal)

    def triu(self, g, diagonal):
        return self.xp.triu(g, diagonal)

    def flip(self, g, dims):
        return self.xp.flip(g, dims)

    def roll(self, g, shifts, dims):
        return self.xp.roll(g, shifts, dims)

    @staticmethod
    def cumsum(g, dim):
        return g.cumsum(axis=dim)

    def gather(self, g, index, dim):
        return self.xp.take_along_axis(g, index, dim)

    @staticmethod
    def scatter_add(g, index, dim, shape):
        return scatter_add_array(g, index, dim, shape)

    def sum(self, g, axis=None, keepdims=False):
        return g.sum(axis=axis, keepdims=keepdims)

    def sum_to(self, g, shape):
        """Undo broadcasting: sum ``g`` down to ``shape`` (see ``sum_to``)."""
        return sum_to(self, g, shape)

    def expand(self, g, shape):
        if self.xp is np and g.size == 1 and math.prod(shape) <= 4096:
            return np.full(shape, g.reshape(()), dtype=g.dtype)  # small: cheaper than a view
        return self.xp.broadcast_to(g, shape)

    @staticmethod
    def reshape(g, shape):
        return g.reshape(shape)

    @staticmethod
    def permute(g, axes):
        return g.transpose(axes)

    @staticmethod
    def swapaxes(g, a, b):
        return g.swapaxes(a, b)

    def unsqueeze(self, g, axes):
        return self.xp.expand_dims(g, axes)

    def cat(self, parts, dim):
        return self.xp.concatenate(parts, axis=dim)

    def stack(self, parts, dim):
        return self.xp.stack(parts, axis=dim)

    def zeros(self, shape, like):
        return self.xp.zeros(shape, dtype=like.dtype)

    @staticmethod
    def move(g, dev):
        return _move(g, dev)

    @staticmethod
    def index(g, idx):
        return g[idx]

    @staticmethod
    def op(name, inputs, kw):
        """Registry op ``name``'s forward on arrays (``None`` for an absent input): what a rule
        calls where the same rule under ``create_graph`` records that op's node."""
        from .registry import OPS
        return OPS[name].forward(*inputs, **kw)

    def index_grad(self, g, shape, idx):
        """A zero array of ``shape`` with ``g`` added at ``idx`` (repeated indices accumulate)."""
        out = self.xp.zeros(shape, dtype=g.dtype)
        if _is_basic(idx):
            out[idx] = g
        elif self.xp is np:
            np.add.at(out, idx, g)
        else:  # CuPy: the scatter-add kernel of cupyx
            import cupyx
            cupyx.scatter_add(out, idx, g)
        return out


def sum_to(m, g, shape):
    """Undo broadcasting with either math (``ArrayMath``, or tensor math under
    ``create_graph``): one sum over the leading dimensions and those broadcast from 1, kept,
    then a reshape to ``shape`` (PyTorch's ``at::sum_to``)."""
    shape = tuple(shape)
    have = tuple(g.shape)
    if have == shape:
        return g
    lead = len(have) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape)
                                      if n == 1 and have[i + lead] != 1)
    if axes:
        g = m.sum(g, axes, True)
    return m.reshape(g, shape)


_MATH = {}


def array_math(arr):
    xp = _module_of(arr)
    m = _MATH.get(xp)
    if m is None:
        m = _MATH[xp] = ArrayMath(xp)
    return m


_XP_BY_TYPE = {np.ndarray: np}


def _module_of(arr):
    """numpy or cupy for ``arr``, cached by type (this runs for every op on the GPU)."""
    xp = _XP_BY_TYPE.get(type(arr))
    if xp is None:
        xp = _XP_BY_TYPE[type(arr)] = _device.array_module(arr)
    return xp


def _xp(a):
    return np if type(a) is np.ndarray else _module_of(a)


def _raw(x):
    """The array behind a tensor (rules see tensors under create_graph) or the value itself."""
    return getattr(x, "_data", x)


def _sigmoid(a):
    xp = _xp(a)
    e = xp.exp(-xp.abs(a))
    return xp.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)


def _is_basic(idx):
    items = idx if isinstance(idx, tuple) else (idx,)
    return all(i is None or i is Ellipsis or isinstance(i, (int, slice)) for i in items)


def _normdims(dim, ndim):
    if dim is None:
        return tuple(range(ndim))
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    return tuple(sorted(d % ndim if ndim else 0 for d in dims))


def _unreduce(m, g, shape, dim, keepdim):
    """Give a reduced gradient back the reduced dims so that it broadcasts against the input."""
    if dim is not None and not keepdim and len(shape):
        g = m.unsqueeze(g, _normdims(dim, len(shape)))
    return g


def _count(shape, dim):
    dims = _normdims(dim, len(shape))
    n = 1
    for d in dims:
        n *= shape[d] if shape else 1
    return n


def _move(a, dev):
    return _device.move(a, dev)


_SQRT2 = math.sqrt(2.0)
_SQRT_2_PI = math.sqrt(2.0 / math.pi)


def erf_array(x):
    """erf for a numpy/CuPy array (numpy has none): Numerical Recipes' erfc Chebyshev fit,
    fractional error below 1.2e-7 everywhere, computed in float64."""
    xp = _xp(x)
    z = xp.abs(x).astype(np.float64)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = (-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277)))))))))
    erfc = t * xp.exp(poly)
    out = xp.where(x >= 0, 1.0 - erfc, erfc - 1.0)
    return out.astype(x.dtype) if hasattr(x, "dtype") else out



def scatter_add_array(g, index, dim, shape):
    xp = _xp(g)
    out = xp.zeros(shape, dtype=g.dtype)
    grid = list(xp.indices(index.shape, sparse=True))
    grid[dim] = index
    if xp is np:
        np.add.at(out, tuple(grid), g)
    else:
        import cupyx
        cupyx.scatter_add(out, tuple(grid), g)
    return out

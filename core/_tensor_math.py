"""``TensorMath``: the vjp rules' math over tensors, built from the differentiable ops, so that
a backward under ``create_graph=True`` records a graph of its own (``ArrayMath`` is the same
over plain arrays).
"""
import numpy as np

from . import _creation, _extra_ops, _graph, _indexing, _matmul, _ops
from .derivatives import array_math
from .derivatives.arrays import sum_to

__all__ = ["TensorMath"]


class TensorMath:
    """The vjp rules' math over tensors, so that a backward under ``create_graph=True`` records
    a differentiable graph of its own."""

    def __init__(self):
        self._ops = _ops
        self._indexing = _indexing
        self._extra = _extra_ops
        self.exp = lambda x: _ops.unary("exp", x)
        self.log = lambda x: _ops.unary("log", x)
        self.sqrt = lambda x: _ops.unary("sqrt", x)
        self.sin = lambda x: _ops.unary("sin", x)
        self.cos = lambda x: _ops.unary("cos", x)
        self.abs = lambda x: _ops.unary("abs", x)
        self.matmul = _matmul.matmul
        self.reshape = _ops.reshape
        self.swapaxes = _ops.transpose

    @staticmethod
    def const(a):
        return a if isinstance(a, _graph.Tensor) else _graph.Tensor._wrap(np.asarray(a) if np.isscalar(a) else a)

    @staticmethod
    def sign(x):
        return _graph.Tensor._wrap(array_math(x._data).xp.sign(x._data))

    def where(self, cond, a, b):
        return self._ops.where(self.const(cond), a, b)

    def sum(self, g, axis=None, keepdims=False):
        return self._ops.sum(g, axis, keepdims) if axis is not None else self._ops.sum(g)

    def sum_to(self, g, shape):
        """Undo broadcasting, recorded (the same ``sum_to`` as ``ArrayMath``'s)."""
        return sum_to(self, g, shape)

    def expand(self, g, shape):
        return self._ops.expand(g, tuple(shape))

    def permute(self, g, axes):
        return self._ops.permute(g, *[int(a) for a in axes])

    def unsqueeze(self, g, axes):
        for a in sorted(axes if isinstance(axes, tuple) else (axes,)):
            g = self._ops.unsqueeze(g, a)
        return g

    def zeros(self, shape, like):
        return _creation.zeros(*shape, dtype=like.dtype, device=like.device)

    def cat(self, parts, dim):
        return self._ops.cat(parts, dim)

    def stack(self, parts, dim):
        return self._ops.stack(parts, dim)

    def index(self, g, idx):
        return self._indexing.getitem(g, idx)

    @staticmethod
    def op(name, inputs, kw):
        """Registry op ``name`` on tensors, recorded as its node (``ArrayMath.op`` runs it on
        arrays): rules whose gradient is an op of the table (convolution, pooling) call it."""
        return _graph.run(name, inputs, kw)

    def index_grad(self, g, shape, idx):
        return _graph.run("index_grad", (g,), {"shape": tuple(shape), "idx": idx})

    def move(self, g, dev):
        return self._ops.to_device(g, dev)

    def erf(self, a):
        return self._extra.erf(a)

    def sigmoid(self, a):
        return self._ops.unary("sigmoid", a)

    def tanh(self, a):
        return self._ops.unary("tanh", a)

    def tril(self, g, diagonal):
        return self._extra.tril(g, diagonal)

    def triu(self, g, diagonal):
        return self._extra.triu(g, diagonal)

    def flip(self, g, dims):
        return self._extra.flip(g, dims)

    def roll(self, g, shifts, dims):
        return self._extra.roll(g, shifts, dims)

    def cumsum(self, g, dim):
        return self._extra.cumsum(g, dim)

    def gather(self, g, index, dim):
        return self._extra.gather(g, dim, _graph.Tensor._wrap(index))

    def scatter_add(self, g, index, dim, shape):
        return _graph.run("scatter_add", (g,), {"index": index, "dim": dim, "shape": tuple(shape)})

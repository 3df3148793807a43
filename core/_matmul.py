"""Matrix products as PyTorch records them: ``dot``, ``mv``, ``mm``, ``bmm``, and ``matmul``'s
decomposition into them (folding batch dimensions, ``UnsafeViewBackward0`` around the result).
"""
import math

import numpy as np

from . import _graph
from ._graph import apply
from ._ops import (
    _check_device,
    _infer_shape,
    _view_op,
    _viewable,
    as_operand,
    expand,
    t,
    transpose,
    unary,
    unsqueeze,
)
from .derivatives import OPS, mat2_kw

__all__ = ["mm", "mv", "dot", "bmm", "matmul"]


def _mm_check(a, b):
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and {b.shape[0]}x{b.shape[1]})")


def _mm_dtype(a, b):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {a.dtype.name.replace('float32', 'float')} != {b.dtype.name.replace('float32', 'float')}")
    _check_device(a._data, b._data)


def mm(a, b):
    if a.ndim != 2 or b.ndim != 2:
        raise RuntimeError("self must be a matrix" if a.ndim != 2 else "mat2 must be a matrix")
    _mm_dtype(a, b)
    _mm_check(a, b)
    return apply(OPS["mm"], (a, b), mat2_kw(b._data))


def mv(a, v):
    _mm_dtype(a, v)
    if a.ndim != 2 or v.ndim != 1 or a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), vec ({v.shape[0]})")
    return apply(OPS["mv"], (a, v))


def dot(a, b):
    _mm_dtype(a, b)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively")
    return apply(OPS["dot"], (a, b))


def bmm(a, b):
    _mm_dtype(a, b)
    if a.ndim != 3 or b.ndim != 3 or a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    return apply(OPS["bmm"], (a, b))


def _fold(a, shape):
    """Reshape for matmul: a view where possible (``ViewBackward0``/``ReshapeAliasBackward0``)."""
    shape = _infer_shape(shape, a._data.size)
    if a._data.flags.c_contiguous:
        return _view_op("view", a, shape)
    if _viewable(a._data, shape):
        return _view_op("reshape_alias", a, shape)
    return _view_op("unsafe_view", unary("clone", a), shape)


def matmul(a, b):
    """Matrix product with PyTorch's decomposition (dot, mv, mm, folded mm/mv, or bmm)."""
    b = b if isinstance(b, _graph.Tensor) else as_operand(b, a)
    d1, d2 = a.ndim, b.ndim
    if d1 == 0 or d2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D")
    if d1 == 1 and d2 == 1:
        return dot(a, b)
    if d1 == 2 and d2 == 1:
        return mv(a, b)
    if d1 == 1 and d2 == 2:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied (1x{a.shape[0]} and {b.shape[0]}x{b.shape[1]})")
        return _view_op("squeeze4", mm(unsqueeze(a, 0), b), (b.shape[1],))
    if d1 == 2 and d2 == 2:
        return mm(a, b)
    if d1 >= 3 and d2 <= 2:
        lead = a.shape[:-1]
        folded = _fold(a, (-1, a.shape[-1]))
        if d2 == 1:
            if a.shape[-1] != b.shape[0]:
                raise RuntimeError(f"size mismatch, got input ({folded.shape[0]}), mat ({folded.shape[0]}x{folded.shape[1]}), vec ({b.shape[0]})")
            return _view_op("unsafe_view", mv(folded, b), tuple(lead))
        return _view_op("unsafe_view", mm(folded, b), tuple(lead) + (b.shape[1],))
    if d1 <= 2 and d2 >= 3:
        bt = transpose(b, -1, -2)
        if d1 == 1:
            out = _fold(bt, (-1, bt.shape[-1]))
            if bt.shape[-1] != a.shape[0]:
                raise RuntimeError(f"size mismatch, got input ({out.shape[0]}), mat ({out.shape[0]}x{out.shape[1]}), vec ({a.shape[0]})")
            return _view_op("unsafe_view", mv(out, a), tuple(bt.shape[:-1]))
        out = _view_op("unsafe_view", mm(_fold(bt, (-1, bt.shape[-1])), t(a)),
                       tuple(bt.shape[:-1]) + (a.shape[0],))
        return unary("clone", transpose(out, -1, -2))
    # batched: broadcast the batch dims, fold them into one, bmm, unfold
    a2 = a if d1 > 1 else unsqueeze(a, 0)
    b2 = b if d2 > 1 else unsqueeze(b, -1)
    n, m, p = a2.shape[-2], a2.shape[-1], b2.shape[-1]
    if m != b2.shape[-2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{math.prod(a2.shape[:-2])}, {m}] but got: [{math.prod(b2.shape[:-2])}, {b2.shape[-2]}].")
    batch = tuple(np.broadcast_shapes(tuple(a2.shape[:-2]), tuple(b2.shape[:-2])))
    nb = math.prod(batch)
    a3 = _fold(expand(a2, batch + (n, m)), (nb, n, m))
    b3 = _fold(expand(b2, batch + (m, p)), (nb, m, p))
    out_shape = batch + ((n,) if d1 > 1 else ()) + ((p,) if d2 > 1 else ())
    return _view_op("unsafe_view", bmm(a3, b3), out_shape)

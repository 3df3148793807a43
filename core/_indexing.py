"""Indexing and in-place writes: ``t[index]`` as PyTorch's chain of Select/Slice/Unsqueeze nodes
and one ``IndexBackward0``; ``t[index] = v`` (``CopySlices``), ``add_``/``mul_``/... with version
counters, and the leaf check PyTorch makes.
"""
import builtins

import numpy as np

from . import _device
from ._graph import _grad_enabled, apply
from ._ops import _shape_str, _type_word, as_operand, expand, unsqueeze
from ._tensor import Tensor
from .derivatives import OPS

__all__ = ["getitem", "setitem", "inplace", "fill_", "copy_"]


def _index_item(x, xp):
    if isinstance(x, Tensor):
        d = x._data
        if type(d) is np.ndarray:   # CPU indices: copied to a GPU tensor's device (as PyTorch)
            return d if xp is np else xp.asarray(d)
        if xp is np:
            raise RuntimeError("indices should be either on cpu or on the same device as the "
                               "indexed tensor (cpu)")
        return d
    if isinstance(x, (list, tuple)):
        return xp.asarray(x)
    return x


def getitem(a, index):
    """Basic indexing as a chain of ``SelectBackward0``/``SliceBackward0``/``UnsqueezeBackward0``
    nodes, then advanced (integer or boolean) indexing as one ``IndexBackward0``."""
    xp = _device.array_module(a._data)
    items = index if isinstance(index, tuple) else (index,)
    items = [_index_item(i, xp) for i in items]
    consumed = builtins.sum(1 if not hasattr(i, "dtype") or i.dtype != np.bool_ else i.ndim
                            for i in items if i is not None and i is not Ellipsis)
    if builtins.sum(1 for i in items if i is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if consumed > a.ndim:
        raise IndexError(f"too many indices for tensor of dimension {a.ndim}")
    expanded = []
    for i in items:
        if i is Ellipsis:
            expanded.extend([slice(None)] * (a.ndim - consumed))
        else:
            expanded.append(i)
    cur, d, advanced, made = a, 0, [], False
    src = 0  # the dimension of ``a`` the item indexes (what PyTorch's errors name)
    for i in expanded:
        if i is not None:
            src += 1
        if i is None:
            cur, d, made = unsqueeze(cur, d), d + 1, True
        elif isinstance(i, (builtins.int, np.integer)) and not isinstance(i, builtins.bool):
            size = cur.shape[d]
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for dimension {src - 1} with "
                                 f"size {size}")
            idx = (slice(None),) * d + (builtins.int(i),)
            cur, made = apply(OPS["select"], (cur,), {"idx": idx, "in_shape": cur._data.shape}), True
        elif isinstance(i, slice):
            start, stop, step = i.indices(cur.shape[d])
            if step <= 0:
                raise ValueError("step must be greater than zero")
            if (start, stop, step) != (0, cur.shape[d], 1):
                idx = (slice(None),) * d + (i,)
                cur, made = apply(OPS["slice"], (cur,), {"idx": idx, "in_shape": cur._data.shape}), True
            d += 1
        else:
            arr = xp.asarray(i)
            if arr.dtype != np.bool_ and not np.issubdtype(arr.dtype, np.integer):
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            advanced.append((d, arr))
            d += arr.ndim if arr.dtype == np.bool_ else 1
    if advanced:
        idx, pos = [], 0
        for dd, arr in advanced:
            idx.extend([slice(None)] * (dd - pos))
            idx.append(arr)
            pos = dd + (arr.ndim if arr.dtype == np.bool_ else 1)
        idx = tuple(idx)
        try:
            cur._data[idx]
        except IndexError as exc:
            raise IndexError(str(exc).replace("axis", "dimension")) from None
        return apply(OPS["index"], (cur,), {"idx": idx, "in_shape": cur._data.shape})
    if not made:
        idx = (slice(None),)
        if a.ndim == 0:
            return apply(OPS["view"], (a,), {"shape": (), "in_shape": ()})
        return apply(OPS["slice"], (cur,), {"idx": idx, "in_shape": cur._data.shape})
    return cur


# ---------------------------------------------------------------- in-place
def _check_inplace(a):
    if _grad_enabled[0]:
        if a._requires_grad and a.grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                               "operation.")
        base = getattr(a, "_view_of", None)
        if base is not None and base._requires_grad and base.grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
    strides = a._data.strides
    if 0 in strides and any(st == 0 and n > 1 for st, n in zip(strides, a._data.shape)):
        raise RuntimeError("unsupported operation: more than one element of the written-to "
                           "tensor refers to a single memory location. Please clone() the tensor "
                           "before performing the operation.")


def _address(arr):
    return arr.ctypes.data if type(arr) is np.ndarray else arr.data.ptr


def _view_index(view, base):
    """Where ``view``'s elements sit in ``base`` (arrays sharing memory): an advanced index
    (one integer array per dimension of ``base``, shaped like ``view``), so that
    ``base[index]`` reads the view. Worked out on the host from addresses and strides."""
    item = base.itemsize
    offset = np.asarray(_address(view) - _address(base), dtype=np.int64)
    for n, st in zip(view.shape, view.strides):
        offset = np.add.outer(offset, np.arange(n, dtype=np.int64) * st) if n else offset
    offset = offset.reshape(view.shape)
    if base.flags.c_contiguous:
        flat = offset // item
    else:  # the logical position of each byte offset in base
        where = np.zeros(base.shape, dtype=np.int64)
        for axis, (n, st) in enumerate(zip(base.shape, base.strides)):
            shape = [1] * base.ndim
            shape[axis] = n
            where = where + (np.arange(n, dtype=np.int64) * st).reshape(shape)
        where = where.ravel()
        order = np.argsort(where, kind="stable")
        flat = order[np.searchsorted(where[order], offset)]
    index = np.unravel_index(flat, base.shape)
    xp = _device.array_module(base)
    return tuple(i if xp is np else xp.asarray(i) for i in index)


def _inplace_on_view(a, base, result):
    """``result`` (the new values of view ``a``, recorded over ``a``'s old values) written into
    ``base`` as PyTorch does: ``base`` gets a ``CopySlices`` node, and ``a`` is read again
    from it (``AsStridedBackward0``)."""
    index = _view_index(a._data, base._data)
    _setitem_recorded(base, index, result)     # also writes a's memory; one version step
    node = apply(OPS["as_strided"], (base,), {"idx": index, "in_shape": base._data.shape}).grad_fn
    a.grad_fn = node   # (a view: this also notes the version its node is valid for)
    if node is not None:
        a._requires_grad = True
    return a


def _rebase(a, result):
    """Make ``a`` hold ``result``: same tensor object, new value, new ``grad_fn``; bump version."""
    a._data[...] = result._data
    a._version += 1
    if result.grad_fn is not None:
        a.grad_fn, a._requires_grad = result.grad_fn, True
    return a


def _records(a, args):
    """Whether an in-place change of ``a`` by ``args`` is part of a graph."""
    if not _grad_enabled[0]:
        return False
    base = getattr(a, "_view_of", None)
    return a._requires_grad or (base is not None and base._requires_grad) or any(
        isinstance(x, Tensor) and x._requires_grad for x in args)


def inplace(a, fn, *args, **kw):
    """``a.op_(...)``: ``fn(a, *args, **kw)`` written back into ``a`` (same object, version + 1,
    new ``grad_fn``). When it records a graph it runs on a snapshot of ``a``, so what earlier
    nodes saved is caught by the version check rather than silently changed; when ``a`` is a
    view the change is recorded on its base (``CopySlices``), as PyTorch does."""
    _check_inplace(a)
    records = _records(a, args)
    src = a
    if records:
        src = Tensor._wrap(a._data.copy())
        src.grad_fn, src._requires_grad = a.grad_fn, a._requires_grad
        src._accum = getattr(a, "_accum", None)
    result = fn(src, *args, **kw)
    if result.dtype is not a.dtype and not a.dtype.is_floating_point and result.dtype.is_floating_point:
        raise RuntimeError(f"result type {_type_word(result.dtype)} can't be cast to the desired output type {_type_word(a.dtype)}")
    if result._data.shape != a._data.shape:
        raise RuntimeError(f"output with shape {_shape_str(a.shape)} doesn't match the broadcast shape {_shape_str(result.shape)}")
    base = getattr(a, "_view_of", None)
    if records and base is not None:
        return _inplace_on_view(a, base, result)
    return _rebase(a, result)


def _filled(src, value):
    if isinstance(value, Tensor):
        return apply(OPS["fill_tensor"], (src, _on_device_of(value, src)))
    return apply(OPS["fill"], (src,), {"value": value})


def _on_device_of(value, like):
    return value if type(value._data) is type(like._data) else value.to(like.device)


def fill_(a, value):
    """``a.fill_(value)``: in a graph, PyTorch's ``FillBackward2`` (a number) or
    ``FillBackward3`` (a tensor); the old values get no gradient."""
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                           f"{value.dim()} dimensions.")
    if _records(a, (value,)):
        return inplace(a, _filled, value)
    _check_inplace(a)
    a._data[...] = _device.move(value._data, a.device) if isinstance(value, Tensor) else value
    a._version += 1
    return a


def zero_(a):
    """``a.zero_()``: ``ZeroBackward0`` in a graph."""
    if _records(a, ()):
        return inplace(a, lambda src: apply(OPS["zero"], (src,)))
    _check_inplace(a)
    a._data[...] = 0
    a._version += 1
    return a


def copy_(a, src):
    """``a.copy_(src)`` (broadcast, cast, across devices): ``CopyBackwards`` in a graph."""
    s = src if isinstance(src, Tensor) else as_operand(src, a)
    if _records(a, (s,)):
        return inplace(a, lambda old: apply(OPS["copy"], (old, _on_device_of(s, old))))
    _check_inplace(a)
    a._data[...] = _device.move(s._data, a.device)
    a._version += 1
    return a


def setitem(a, index, value):
    """``a[index] = value``, recorded like PyTorch's ``CopySlices`` when a graph is involved."""
    _check_inplace(a)
    if isinstance(value, Tensor) and type(value._data) is not type(a._data):
        value = value.to(a.device)   # written across devices, as PyTorch's copy_ does
    val = value._data if isinstance(value, Tensor) else value
    records = _records(a, (value,))
    xp = _device.array_module(a._data)
    items = index if isinstance(index, tuple) else (index,)
    idx = tuple(_index_item(i, xp) for i in items)
    if not records:
        a._data[idx] = val
        a._version += 1
        return
    if getattr(a, "_view_of", None) is not None:   # a write into a view: recorded on its base
        def write(src):
            _setitem_recorded(src, idx, value)
            return src
        inplace(a, write)
        return
    _setitem_recorded(a, idx, value)


def _setitem_recorded(a, idx, value):
    xp = _device.array_module(a._data)
    v = value if isinstance(value, Tensor) else as_operand(value, a)
    mask = xp.zeros(a._data.shape, dtype=bool)
    mask[idx] = True
    placed = xp.zeros_like(a._data)
    placed[idx] = xp.broadcast_to(v._data, placed[idx].shape) if v._data.shape != placed[idx].shape else v._data
    keep = Tensor._wrap(a._data.copy())
    keep.grad_fn, keep._requires_grad = a.grad_fn, a._requires_grad
    keep._accum = getattr(a, "_accum", None)
    spread = getitem_grad_spread(v, a._data.shape, idx, placed[idx].shape) \
        if v._requires_grad else Tensor._wrap(placed)
    # PyTorch records an indexed write as one CopySlices node over the old value and the new
    result = apply(OPS["copy_slices"], (keep, spread), {"mask": mask})
    _rebase(a, result)


def getitem_grad_spread(v, shape, idx, target_shape):
    """``v`` broadcast to ``target_shape`` and scattered into zeros of ``shape`` at ``idx``."""
    vb = expand(v, target_shape) if tuple(v.shape) != tuple(target_shape) else v
    return apply(OPS["index_grad"], (vb,), {"shape": shape, "idx": idx})

"""Indexing and in-place writes: ``t[index]`` as PyTorch's chain of Select/Slice/Unsqueeze nodes
and one ``IndexBackward0``; ``t[index] = v`` (``CopySlices``), ``add_``/``mul_``/... with version
counters, and the leaf check PyTorch makes.
"""
import builtins

import numpy as np

from . import _device, _graph
from ._graph import _modes, accumulate_node, apply, read_from, record
from ._ops import _shape_str, _type_word, as_operand, unsqueeze
from .derivatives import OPS
from .derivatives.arrays import _is_basic
from .grad_mode import no_grad

__all__ = ["getitem", "setitem", "inplace", "fill_", "copy_"]


def _index_item(x, xp):
    if isinstance(x, _graph.Tensor):
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
    if _modes.grad:
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
    """Record ``result`` (what an in-place op made of view ``a``) as PyTorch does: ``base`` gets
    a ``CopySlices`` node wrapping the op's own node, whose edges are the base's old node and
    the op's other inputs, and ``a`` is read again from the base (``AsStridedBackward0``)."""
    inner = result.grad_fn
    index = _view_index(a._data, base._data)
    xp = _device.array_module(base._data)
    mask = xp.zeros(base._data.shape, dtype=bool)
    mask[index] = True
    a._data[...] = result._data          # the base's memory, through the view
    a._version += 1                      # one step for the base and all its views
    if inner is not None:
        old = ((base.grad_fn, 0) if base.grad_fn is not None else
               (accumulate_node(base), 0) if base._requires_grad else (None, 0))
        base.grad_fn = record(OPS["copy_slices"], (old,) + inner._next[1:],
                              (base._data.shape,) + inner._shapes[1:],
                              (base._data.dtype,) + inner._dtypes[1:],
                              {"idx": index, "mask": mask, "inner": inner})
        base._requires_grad = True
        a.grad_fn = read_from(base, index)
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
    if not _modes.grad:
        return False
    base = getattr(a, "_view_of", None)
    return a._requires_grad or (base is not None and base._requires_grad) or any(
        isinstance(x, _graph.Tensor) and x._requires_grad for x in args)


def inplace(a, fn, *args, **kw):
    """``a.op_(...)``: ``fn(a, *args, **kw)`` written back into ``a`` (same object, version + 1,
    new ``grad_fn``). When it records a graph it runs on a snapshot of ``a``, so what earlier
    nodes saved is caught by the version check rather than silently changed; when ``a`` is a
    view the change is recorded on its base (``CopySlices``), as PyTorch does."""
    records = _records(a, args)
    if records and isinstance(a, _graph._Piece):   # before anything reads its (maybe stale) node
        raise a._refusal("and is being modified inplace")
    _check_inplace(a)
    base = getattr(a, "_view_of", None) if records else None
    src = a
    if records:
        src = _graph.Tensor._wrap(a._data.copy())
        if base is None:
            src.grad_fn, src._requires_grad = a.grad_fn, a._requires_grad
            src._accum = getattr(a, "_accum", None)
        else:  # the view's old values: CopySlices leads to the base itself, not through here
            src._requires_grad = base._requires_grad
    result = fn(src, *args, **kw)
    if result.dtype is not a.dtype and not a.dtype.is_floating_point and result.dtype.is_floating_point:
        raise RuntimeError(f"result type {_type_word(result.dtype)} can't be cast to the desired output type {_type_word(a.dtype)}")
    if result._data.shape != a._data.shape:
        raise RuntimeError(f"output with shape {_shape_str(a.shape)} doesn't match the broadcast shape {_shape_str(result.shape)}")
    if base is not None:
        return _inplace_on_view(a, base, result)
    return _rebase(a, result)


def _filled(src, value):
    if isinstance(value, _graph.Tensor):
        return apply(OPS["fill_tensor"], (src, _on_device_of(value, src)))
    return apply(OPS["fill"], (src,), {"value": value})


def _on_device_of(value, like):
    return value if type(value._data) is type(like._data) else value.to(like.device)


def fill_(a, value):
    """``a.fill_(value)``: in a graph, PyTorch's ``FillBackward2`` (a number) or
    ``FillBackward3`` (a tensor); the old values get no gradient."""
    if isinstance(value, _graph.Tensor) and value.dim() != 0:
        raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                           f"{value.dim()} dimensions.")
    if _records(a, (value,)):
        return inplace(a, _filled, value)
    _check_inplace(a)
    a._data[...] = _device.move(value._data, a.device) if isinstance(value, _graph.Tensor) else value
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
    s = src if isinstance(src, _graph.Tensor) else as_operand(src, a)
    if _records(a, (s,)):
        return inplace(a, lambda old: apply(OPS["copy"], (old, _on_device_of(s, old))))
    _check_inplace(a)
    a._data[...] = _device.move(s._data, a.device)
    a._version += 1
    return a


def setitem(a, index, value):
    """``a[index] = value``. In a graph, as PyTorch records it: a basic index writes into a view
    (``a[index].copy_(value)``: ``CopySlices``), an advanced one is ``index_put_``
    (``IndexPutBackward0``)."""
    xp = _device.array_module(a._data)
    items = index if isinstance(index, tuple) else (index,)
    idx = tuple(_index_item(i, xp) for i in items)
    if isinstance(a, _graph._Piece) and not _is_basic(idx) and _records(a, (value,)):
        raise a._refusal("and is being modified inplace")   # index_put_ on one of several views
    _check_inplace(a)
    if isinstance(value, _graph.Tensor):
        value = _on_device_of(value, a)   # written across devices, as PyTorch's copy_ does
    if not _records(a, (value,)):
        a._data[idx] = value._data if isinstance(value, _graph.Tensor) else value
        a._version += 1
        return
    v = value if isinstance(value, _graph.Tensor) else as_operand(value, a)
    if _is_basic(idx):
        with no_grad():
            region = getitem(a, idx)   # a view of a (a itself for a[...])
        copy_(region, v)
        return
    mask = xp.zeros(a._data.shape, dtype=bool)
    mask[idx] = True
    inplace(a, lambda src: apply(OPS["index_put"], (src, _on_device_of(v, src)),
                                 {"idx": idx, "mask": mask}))

"""Tensor operations beyond the core set, as PyTorch names and records them: ``masked_fill``,
``tril``/``triu``, ``cumsum``, ``gather``, ``repeat``, ``flip``, ``roll``, ``narrow``,
``split``/``chunk``/``unbind`` and the elementwise ``erf``, ``log1p``, ``rsqrt``, ``square``,
``sign``."""
import numpy as np

from . import _device, _dtype, _graph
from ._graph import apply, apply_multi
from ._ops import (
    _accumulating,
    _check_device,
    _common_array_type,
    _dims,
    _shape_args,
    pow,
    to_array_type,
    unary_function,
    values_indices,
    wrap_dim,
    write_out,
)
from .derivatives import OPS

__all__ = ["erf", "log1p", "rsqrt", "square", "sign", "masked_fill", "tril", "triu", "cumsum",
           "gather", "repeat", "flip", "roll", "narrow", "split", "chunk", "unbind", "floor",
           "ceil", "trunc", "frac", "round", "sort", "argsort", "topk"]

erf, log1p, rsqrt, floor, ceil, trunc, frac = (
    unary_function(n) for n in ("erf", "log1p", "rsqrt", "floor", "ceil", "trunc", "frac"))
_round = unary_function("round")


def round(input, *, decimals=0, out=None):
    """Round half to even (``RoundBackward0``; ``RoundBackward1`` with ``decimals``)."""
    if out is not None:
        return write_out("round", out, round, (input,), {"decimals": decimals})
    if decimals:
        return apply(OPS["round_decimals"], (input,), {"decimals": int(decimals)})
    return _round(input)


def _order(input, dim, descending):
    """Indices that sort ``input`` along ``dim`` (stably: equal values keep their order, also
    when descending), NaN counted as the largest value, as PyTorch sorts."""
    data = input._data
    xp = _device.array_module(data)
    if not descending:
        return xp.argsort(data, axis=dim, kind="stable")
    n = data.shape[dim]
    rev = xp.flip(xp.argsort(xp.flip(data, axis=dim), axis=dim, kind="stable"), axis=dim)
    return (n - 1) - rev


def _picked(op, input, dim, index):
    return apply(OPS[op], (input,), {"dim": dim, "index": index, "shape": input._data.shape})


def _index_zero(input):
    """The only index of a 0-d tensor (what sort/argsort/topk give for one)."""
    return _graph.Tensor._wrap(_device.array_module(input._data).zeros((), dtype=np.int64))


def sort(input, dim=-1, descending=False, stable=False):
    """``(values, indices)`` sorted along ``dim`` (``SortBackward0``)."""
    if input.ndim == 0:
        return values_indices(input.clone(), _index_zero(input), "sort")
    d = wrap_dim(dim, input.ndim)
    index = _order(input, d, descending)
    return values_indices(_picked("sort", input, d, index), _graph.Tensor._wrap(index), "sort")


def argsort(input, dim=-1, descending=False, stable=False):
    """The indices ``sort`` would give (no gradient)."""
    if input.ndim == 0:
        return _index_zero(input)
    return _graph.Tensor._wrap(_order(input, wrap_dim(dim, input.ndim), descending))


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The ``k`` largest (or smallest) values along ``dim`` and their indices
    (``TopkBackward0``)."""
    d = wrap_dim(dim, max(input.ndim, 1))
    size = input.shape[d] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    if input.ndim == 0:
        return values_indices(input.clone(), _index_zero(input), "topk")
    xp = _device.array_module(input._data)
    index = xp.take(_order(input, d, largest), xp.arange(k), axis=d)
    return values_indices(_picked("topk", input, d, index), _graph.Tensor._wrap(index), "topk")


def square(input):
    """``input ** 2`` (``PowBackward0``, as PyTorch records it)."""
    return pow(input, 2)


def sign(input):
    """-1, 0 or 1 elementwise; its gradient is zero (``SignBackward0``)."""
    return apply(OPS["sign"], (input,))


def masked_fill(input, mask, value):
    """``value`` where ``mask`` is True (``MaskedFillBackward0``)."""
    if isinstance(value, _graph.Tensor):
        if value.numel() != 1:
            raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.dim()} dimension(s).")
        value = value.item()
    m = mask._data if isinstance(mask, _graph.Tensor) else np.asarray(mask)
    if m.dtype != np.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_dtype.from_numpy_dtype(m.dtype).name}")
    if type(m) is not type(input._data):
        m = to_array_type(m, _common_array_type((input._data, m)))
    return apply(OPS["masked_fill"], (input,), {"mask": m, "value": value})


def tril(input, diagonal=0):
    """The lower triangle (``TrilBackward0``)."""
    _need_matrix("tril", input)
    return apply(OPS["tril"], (input,), {"diagonal": int(diagonal)})


def triu(input, diagonal=0):
    """The upper triangle (``TriuBackward0``)."""
    _need_matrix("triu", input)
    return apply(OPS["triu"], (input,), {"diagonal": int(diagonal)})


def _need_matrix(name, t):
    if t.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")


def cumsum(input, dim, *, dtype=None):
    """Running sums along ``dim`` (``CumsumBackward0``); integers sum as int64."""
    input = _accumulating(input, dtype)
    return apply(OPS["cumsum"], (input,), {"dim": wrap_dim(dim, input.ndim)})


def gather(input, dim, index):
    """``out[i][j] = input[i][index[i][j]]`` along ``dim`` (``GatherBackward0``)."""
    d = wrap_dim(dim, input.ndim)
    idx = index._data if isinstance(index, _graph.Tensor) else np.asarray(index)
    if idx.dtype != np.int64:
        raise RuntimeError("gather(): Expected dtype int64 for index")
    if idx.ndim != input.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    _check_device(input._data, idx)
    return apply(OPS["gather"], (input,), {"dim": d, "index": idx, "shape": input._data.shape})


def repeat(input, *sizes):
    """Tile ``input`` ``sizes`` times along each dimension (``RepeatBackward0``)."""
    sizes = _shape_args(sizes)
    if len(sizes) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    return apply(OPS["repeat"], (input,), {"repeats": sizes})


def flip(input, dims):
    """Reverse the order along ``dims`` (``FlipBackward0``)."""
    dims = _dims(tuple(dims) if isinstance(dims, (list, tuple)) else (dims,), input.ndim)
    return apply(OPS["flip"], (input,), {"dims": dims})


def roll(input, shifts, dims=None):
    """Shift elements cyclically along ``dims`` (``RollBackward0``); all elements when None."""
    if dims is None:  # over the flattened tensor, one RollBackward0 as in PyTorch
        if isinstance(shifts, (list, tuple)):
            if len(shifts) != 1:
                raise RuntimeError("shifts and dimensions must align. shifts: "
                                   f"{len(shifts)}, dims:0")
            shifts = shifts[0]
        return apply(OPS["roll"], (input,), {"shifts": int(shifts), "dims": None})
    shifts = tuple(shifts) if isinstance(shifts, (list, tuple)) else (shifts,)
    dims = _dims(tuple(dims) if isinstance(dims, (list, tuple)) else (dims,), input.ndim)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    return apply(OPS["roll"], (input,), {"shifts": shifts, "dims": dims})


def narrow(input, dim, start, length):
    """``length`` elements of ``dim`` from ``start`` (a view, ``SliceBackward0``)."""
    d = wrap_dim(dim, input.ndim)
    size = input.shape[d]
    start = start + size if start < 0 else start
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    return input[(slice(None),) * d + (slice(start, start + length),)]


def split(input, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` along ``dim`` (or of the listed sizes): views of ``input`` that
    share one node, ``SplitBackward0`` (``SplitWithSizesBackward0`` for listed sizes), each its
    ``output_nr``-th output, as in PyTorch."""
    d = wrap_dim(dim, input.ndim)
    size = input.shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step <= 0 and size:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {size}")
        sections = [min(step, size - start) for start in range(0, size, step)] if size else [0]
        op = "split"
    else:
        sections = [int(n) for n in split_size_or_sections]
        if sum(sections) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={sections}")
        op = "split_with_sizes"
    data, lead, pieces, start = input._data, (slice(None),) * d, [], 0
    for n in sections:
        pieces.append(data[lead + (slice(start, start + n),)])
        start += n
    return apply_multi(OPS[op], input, {"dim": d, "sections": tuple(sections),
                                        "shape": tuple(data.shape), "outputs": len(pieces)},
                       pieces)


def chunk(input, chunks, dim=0):
    """``chunks`` pieces (the last may be smaller) along ``dim``, as ``split`` makes them."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    size = input.shape[wrap_dim(dim, input.ndim)]
    return split(input, max(-(-size // chunks), 1), dim)


def unbind(input, dim=0):
    """The slices along ``dim``: views of ``input`` sharing one ``UnbindBackward0`` node."""
    d = wrap_dim(dim, input.ndim)
    data, lead = input._data, (slice(None),) * d
    pieces = [data[lead + (i, Ellipsis)] for i in range(data.shape[d])]
    return apply_multi(OPS["unbind"], input, {"dim": d, "sections": None,
                                              "shape": tuple(data.shape), "outputs": len(pieces)},
                       pieces)

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
           "cross", "diag", "trace", "outer", "einsum", "install", "unary_functions"]

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


# ---------------------------------------------------------------- einsum
def einsum(equation, *operands):
    """``einsum("ij,jk->ik", a, b)``, recorded as PyTorch records it: each operand unsqueezed to
    every label and permuted to one order, pairs contracted by ``bmm`` between permutes and
    views (``sumproduct_pair``), products without a shared label by ``mul``, a single operand
    summed. An ellipsis (``...``) stands for the same broadcast dims in every operand, placed as
    PyTorch places them (first in an implicit output, first among the contracted dims when the
    output has none). Repeated labels within an operand (diagonals) are not supported."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    raw_terms = lhs.split(",")
    if len(raw_terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           "equation")
    if len(raw_terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    ell_n, terms = _ellipsis_dims(raw_terms, operands), []
    for term, op in zip(raw_terms, operands):
        letters = term.replace("...", "")
        if len(set(letters)) != len(letters):
            raise NotImplementedError("gradtrace: einsum with a label repeated in one operand "
                                      "(a diagonal) is not supported")
        head, dots, tail = term.partition("...")
        covered = op.ndim - len(head) - len(tail)
        terms.append(list(head) + [f"...{j}" for j in range(ell_n - covered, ell_n)] + list(tail)
                     if dots else list(term))
    ell = [f"...{j}" for j in range(ell_n)] if any("..." in t for t in raw_terms) else []
    counts = {}
    for term in terms:
        for label in term:
            counts[label] = counts.get(label, 0) + 1
    if arrow:
        if "." in rhs.replace("...", ""):
            raise RuntimeError("einsum(): found '.' for output that is not part of any "
                               "ellipsis (...)")
        head, dots, tail = rhs.partition("...")
        out = list(head) + (ell if dots else []) + list(tail)
    else:
        out = ell + sorted(label for label, c in counts.items() if c == 1 and len(label) == 1)
    order = out + [label for label in ell if label not in out] + sorted(
        label for label in counts if label not in out and len(label) == 1)
    n_out, n_all = len(out), len(order)
    last = {label: max((i for i, t in enumerate(terms) if label in t), default=0)
            for label in order}
    ops = []
    for term, op in zip(terms, operands):
        perm, j = [], len(term)
        for label in order:
            if label in term:
                perm.append(term.index(label))
            else:
                op = _ops.unsqueeze(op, j)
                perm.append(j)
                j += 1
        ops.append(_ops.permute(op, *perm))
    if len(ops) == 1:
        result = ops[0]
        return _ops.sum(result, tuple(range(n_out, n_all))) if n_all > n_out else result
    result, summed = ops[0], set()
    for i in range(1, len(ops)):
        sum_dims = [d for d in range(n_out, n_all) if last[order[d]] <= i and d not in summed]
        summed.update(sum_dims)
        result = result * ops[i] if not sum_dims else _sumproduct_pair(result, ops[i], sum_dims)
    if n_all > n_out:
        result = _ops.reshape(result, tuple(result.shape[:n_out]))
    return result


def _ellipsis_dims(terms, operands):
    """How many dims the ellipsis covers (the most any operand gives it), with PyTorch's
    errors for a stray ``.``, too many subscripts and sizes that do not broadcast."""
    n, sizes = 0, {}
    for i, (term, op) in enumerate(zip(terms, operands)):
        letters = term.replace("...", "", 1)
        if "." in letters:
            raise RuntimeError(f"einsum(): found '.' for operand {i} that is not part of any "
                               "ellipsis")
        if "..." not in term:
            if len(term) != op.ndim:
                raise RuntimeError(f"einsum(): the number of subscripts in the equation "
                                   f"({len(term)}) does not match the number of dimensions "
                                   f"({op.ndim}) for operand {i} and no ellipsis was given")
            continue
        if len(letters) > op.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation "
                               f"({len(letters)}) is more than the number of dimensions "
                               f"({op.ndim}) for operand {i}")
        n = max(n, op.ndim - len(letters))
    for i, (term, op) in enumerate(zip(terms, operands)):
        if "..." not in term:
            continue
        start = len(term.partition("...")[0])
        covered = op.ndim - len(term) + 3
        for k in range(covered):
            j, size = n - covered + k, op.shape[start + k]
            if size != 1:
                if sizes.get(j, 1) not in (1, size):
                    raise RuntimeError(f"einsum(): dimension {j} covered by ellipsis in operand "
                                       f"{i}has size {size} which does not broadcast with "
                                       f"previously seen ellipsis with size {sizes[j]} for the "
                                       "respective dimension")
                sizes[j] = size
    return n


def _sumproduct_pair(left, right, sum_dims):
    """PyTorch's ``sumproduct_pair`` (keepdim): ``left`` and ``right`` (same rank) contracted over
    ``sum_dims`` with one ``bmm``, the contracted dims kept as size 1."""
    lro, lo, ro, sums = [], [], [], []
    lro_size = lo_size = ro_size = sum_size = 1
    for i in range(left.ndim):
        sl, sr = left.shape[i] != 1, right.shape[i] != 1
        if i in sum_dims:   # summed: after the product when on both sides, else right away
            sums.append(i)
            if sl and sr:
                sum_size *= left.shape[i]
            elif sl:
                left = _ops.sum(left, i, keepdim=True)
            elif sr:
                right = _ops.sum(right, i, keepdim=True)
        elif sl and sr:
            lro.append(i)
            lro_size *= left.shape[i]
        elif sl:
            lo.append(i)
            lo_size *= left.shape[i]
        else:
            ro.append(i)
            ro_size *= right.shape[i]
    out_shape = ([left.shape[d] for d in lro] + [left.shape[d] for d in lo] + [1] * len(sums)
                 + [right.shape[d] for d in ro])
    operm = [0] * left.ndim
    for k, d in enumerate(lro + lo + sums + ro):
        operm[d] = k
    lhs = _reshape(_ops.permute(left, *(lro + lo + sums + ro)), (lro_size, lo_size, sum_size))
    rhs = _reshape(_ops.permute(right, *(lro + sums + ro + lo)), (lro_size, sum_size, ro_size))
    product = run("bmm", (lhs, rhs))
    return _ops.permute(_ops.view(product, tuple(out_shape)), *operm)


def _reshape(a, shape):
    """PyTorch's ``reshape`` as its autograd records it: a ``view`` of a contiguous tensor, an
    alias with new strides (``ReshapeAliasBackward0``) where the strides allow one, else a copy."""
    if not a._data.flags.c_contiguous and _ops._viewable(a._data, shape):
        return _ops._view_op("reshape_alias", a, tuple(shape))
    return _ops.reshape(a, shape)

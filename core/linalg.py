"""``torch.linalg``: ``inv``, ``det``, ``solve``, ``cross``, ``svd``/``svdvals`` (and the legacy
``torch.svd``) and the norms (``vector_norm``, ``matrix_norm`` for ``'fro'``/1/-1/inf/-inf,
``norm``), with PyTorch's nodes (``LinalgInvExBackward0``, ``LinalgDetBackward0``,
``LinalgSolveExBackward0``, ``LinalgSvdBackward0``, ``LinalgVectorNormBackward0``) and error
texts."""
import math
from collections import namedtuple

import numpy as np

from . import _creation, _ops
from ._dtype import TYPE_WORDS
from ._graph import apply_outputs, run
from ._more_ops import linalg_cross as cross
from .derivatives import OPS

__all__ = ["inv", "det", "solve", "cross", "norm", "vector_norm", "matrix_norm", "svd", "svdvals",
           "LinAlgError"]


class LinAlgError(RuntimeError):
    """PyTorch's ``torch.linalg.LinAlgError`` (a ``RuntimeError``)."""


LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"


def _square(name, A):
    if A.ndim < 2:
        raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")


def inv(A):
    """The inverse of a square matrix (or of each in a batch) (``LinalgInvExBackward0``)."""
    _square("inv", A)
    try:
        return run("linalg_inv", (A,))
    except np.linalg.LinAlgError:
        raise LinAlgError("linalg.inv: The diagonal element 1 is zero, the inversion could not be "
                          "completed because the input matrix is singular.") from None


def det(A):
    """The determinant (``LinalgDetBackward0``)."""
    _square("det", A)
    return run("linalg_det", (A,))


def solve(A, B, *, left=True):
    """``X`` with ``A @ X = B`` (``LinalgSolveExBackward0``); ``B`` a matrix or a vector."""
    if not left:
        raise NotImplementedError("gradtrace: linalg.solve(left=False) is not supported")
    _square("solve", A)
    n = A.shape[-1]
    rows = B.shape[0] if B.ndim == 1 else B.shape[-2]
    if rows != n:
        cols = 1 if B.ndim == 1 else B.shape[-1]
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({A.shape[-2]}x{A.shape[-1]} and {rows}x{cols})")
    try:
        return run("linalg_solve", (A, B))
    except np.linalg.LinAlgError:
        raise LinAlgError("torch.linalg.solve: The solver failed because the input matrix is "
                          "singular.") from None


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The vector ``ord``-norm over ``dim`` (all elements when None)."""
    return _ops.norm(x if dtype is None else x.to(dtype), ord, dim, keepdim)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """Frobenius (a vector 2-norm over the two dims, as PyTorch records it) or the max/min
    absolute column (``1``/``-1``) or row (``inf``/``-inf``) sum."""
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    if dtype is not None:
        A = A.to(dtype)
    if ord == "fro":
        return vector_norm(A, 2, dim, keepdim)
    if ord in (1, -1, math.inf, -math.inf):
        d0, d1 = (_ops.wrap_dim(d, A.ndim) for d in dim)
        summed, other = (d0, d1) if ord in (1, -1) else (d1, d0)
        pick = _ops.amax if ord > 0 else _ops.amin
        sums = vector_norm(A, 1, summed, keepdim)
        return pick(sums, other - (0 if keepdim or summed > other else 1), keepdim=keepdim)
    raise NotImplementedError(f"gradtrace: linalg.matrix_norm(ord={ord!r}) is not supported "
                              "('fro', 1, -1, inf, -inf are)")


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """``vector_norm`` for ``ord=None`` or a 1-d ``dim``, ``matrix_norm`` for 2-d input or dims
    with a matrix ``ord``."""
    if isinstance(dim, int):
        dim = (dim,)
    if ord is None:
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    if (dim is not None and len(dim) == 2) or (dim is None and A.ndim == 2):
        return matrix_norm(A, ord, dim or (-2, -1), keepdim, dtype=dtype)
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got "
                           f"{list(dim or ())}")
    return vector_norm(A, ord, dim, keepdim, dtype=dtype)


def _return_type(name, fields):
    """PyTorch's ``torch.return_types.NAME``: a named tuple printed field by field."""
    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{name}(\n{body})"
    cls = namedtuple(name, fields)
    return type(name, (cls,), {"__slots__": (), "__repr__": __repr__, "__str__": __repr__,
                               "__module__": "torch.return_types"})


linalg_svd_result = _return_type("linalg_svd", ["U", "S", "Vh"])
svd_result = _return_type("svd", ["U", "S", "V"])


def _svd_input(name, A):
    if A.ndim < 2:
        raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if not A.dtype.is_floating_point:
        raise RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor as input. "
                           f"Got {TYPE_WORDS[A.dtype.name]}")


def svd(A, full_matrices=True, *, driver=None):
    """``(U, S, Vh)`` with ``A = U diag(S) Vh`` (``torch.return_types.linalg_svd``): one
    ``LinalgSvdBackward0`` node with three outputs. The signs of singular vectors are
    LAPACK's (numpy's), which may differ from PyTorch's; the gradient of anything that does
    not depend on them agrees."""
    _svd_input("svd", A)
    op = OPS["linalg_svd"]
    arrays = op.forward(A._data, full_matrices=bool(full_matrices))
    return linalg_svd_result(*apply_outputs(op, (A,), {"full_matrices": bool(full_matrices)},
                                            arrays))


def svdvals(A, *, driver=None):
    """The singular values, descending (``LinalgSvdBackward0``, as PyTorch records it)."""
    _svd_input("svd", A)
    return svd(A, full_matrices=False).S


def legacy_svd(input, some=True, compute_uv=True):
    """``torch.svd``: ``(U, S, V)`` with ``V = Vh.mH`` (``TransposeBackward0``); without
    ``compute_uv`` U and V are zeros of their full shapes, as in PyTorch."""
    if input.ndim < 2:
        raise RuntimeError(f"linalg.svd: input should have at least 2 dimensions, but has "
                           f"{input.ndim} dimensions instead")
    U, S, Vh = svd(input, full_matrices=not some)
    if not compute_uv:
        rows, cols = input.shape[-2], input.shape[-1]
        lead = tuple(input.shape[:-2])
        return svd_result(_creation.zeros(lead + (rows, rows), dtype=input.dtype, device=input.device),
                          S, _creation.zeros(lead + (cols, cols), dtype=input.dtype,
                                            device=input.device))
    return svd_result(U, S, Vh.transpose(-2, -1))

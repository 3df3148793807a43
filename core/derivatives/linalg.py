"""The linear-algebra rules: ``mm``, ``bmm``, ``mv``, ``dot``, ``addmm`` (forward beside vjp), and
``mat2_kw``, the layout note that lets a transposed weight get a contiguous gradient.
"""
from .registry import defop

defop("mm", "MmBackward0", lambda a, b, mat2_t=False: a @ b,
      (lambda m, g, a, b, mat2_t=False: m.matmul(g, m.swapaxes(b, -1, -2)),
       lambda m, g, a, b, mat2_t=False: _mat2_grad(m, g, a, mat2_t)), saves=("self", "other"))
defop("bmm", "BmmBackward0", lambda a, b: a @ b,
      (lambda m, g, a, b: m.matmul(g, m.swapaxes(b, -1, -2)),
       lambda m, g, a, b: m.matmul(m.swapaxes(a, -1, -2), g)), saves=("self", "other"))
defop("mv", "MvBackward0", lambda a, v: a @ v,
      (lambda m, g, a, v: m.matmul(m.unsqueeze(g, -1), m.unsqueeze(v, 0)),
       lambda m, g, a, v: m.matmul(m.swapaxes(a, -1, -2), g)), saves=("self", "other"))
defop("dot", "DotBackward0", lambda a, b: a @ b,
      (lambda m, g, a, b: g * b,
       lambda m, g, a, b: g * a), saves=("self", "other"))
defop("addmm", "AddmmBackward0", lambda bias, a, b, mat2_t=False: _addmm(bias, a, b),
      (lambda m, g, a, b, mat2_t=False: g,
       lambda m, g, a, b, mat2_t=False: m.matmul(g, m.swapaxes(b, -1, -2)),
       lambda m, g, a, b, mat2_t=False: _mat2_grad(m, g, a, mat2_t)),
      saves=(("mat1", 1), ("mat2", 2)))


# ---------------------------------------------------------------- helpers for the table
def _mat2_grad(m, g, a, mat2_t):
    """``a.T @ g``, laid out like the second matrix: for a transposed weight (``x @ w.t()``,
    ``mat2_t``, noted by ``mat2_kw`` at forward time) it is computed as ``(g.T @ a).T``, so the
    weight's own gradient arrives contiguous and is kept without a copy."""
    if mat2_t:
        return m.swapaxes(m.matmul(m.swapaxes(g, -1, -2), a), -1, -2)
    return m.matmul(m.swapaxes(a, -1, -2), g)


_MAT2_T, _NO_KW = {"mat2_t": True}, {}


def mat2_kw(b):
    """The keywords of ``mm``/``addmm`` for second matrix ``b`` (an array): whether it is a
    transposed contiguous matrix, the layout its gradient should take."""
    flags = b.flags
    return _MAT2_T if flags.f_contiguous and not flags.c_contiguous else _NO_KW


def _addmm(bias, a, b):
    out = a @ b
    out += bias
    return out

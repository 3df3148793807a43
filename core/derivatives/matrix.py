"""The matrix-function rules: ``linalg.inv``, ``linalg.det``, ``linalg.solve``, ``linalg.cross``,
``trace``, ``diag`` (embed a vector, or take a diagonal) and ``unique``, each forward beside its
vjp; the gradients call these ops again through ``m.op``, so they differentiate again.
"""
from .arrays import _raw, _xp
from .registry import defop


def _t(m, a):
    return m.swapaxes(a, -1, -2)


def _solve_vjp_b(m, g, a):
    return m.op("linalg_solve", (_t(m, a), g), {})


def _solve_vjp_a(m, g, a, x):
    gb = _solve_vjp_b(m, g, a)
    if len(x.shape) == 1:   # a vector right-hand side: the outer product
        return -m.matmul(m.unsqueeze(gb, -1), m.unsqueeze(x, 0))
    return -m.matmul(gb, _t(m, x))


def _det_vjp(m, g, a, r):
    scale = m.unsqueeze(m.unsqueeze(g * r, -1), -1)
    return scale * _t(m, m.op("linalg_inv", (a,), {}))


def _eye_like(g, shape):
    raw = _raw(g)
    return _xp(raw).eye(shape[0], shape[1], dtype=raw.dtype)


def _unique_vjp(m, g, **kw):
    raise NotImplementedError("the derivative for '_unique2' is not implemented.")


defop("linalg_inv", "LinalgInvExBackward0", lambda a: _xp(a).linalg.inv(a),
      (lambda m, g, r: -m.matmul(m.matmul(_t(m, r), g), _t(m, r)),), saves=("result",))
defop("linalg_det", "LinalgDetBackward0", lambda a: _xp(a).linalg.det(a),
      (lambda m, g, a, r: _det_vjp(m, g, a, r),), saves=(("A", 0), "result"))
defop("linalg_solve", "LinalgSolveExBackward0", lambda a, b: _xp(a).linalg.solve(a, b),
      (lambda m, g, a, r: _solve_vjp_a(m, g, a, r),
       lambda m, g, a, r: _solve_vjp_b(m, g, a)), saves=(("A", 0), "result"))
defop("linalg_cross", "LinalgCrossBackward0", lambda a, b, dim: _xp(a).cross(a, b, axis=dim),
      (lambda m, g, a, b, dim: m.op("linalg_cross", (b, g), {"dim": dim}),
       lambda m, g, a, b, dim: m.op("linalg_cross", (g, a), {"dim": dim})),
      saves=("self", "other"))
defop("trace", "TraceBackward0", lambda a, shape: a.trace(),
      (lambda m, g, shape: m.expand(m.reshape(g, (1, 1)), shape) * m.const(_eye_like(g, shape)),))
# a vector onto a diagonal, and a diagonal out of a matrix: each the other's gradient
defop("diag_embed", "DiagEmbedBackward0", lambda v, k: _xp(v).diag(v, k),
      (lambda m, g, k: m.op("diag_copy", (g,), {"k": k, "shape": tuple(g.shape)}),))
defop("diag_copy", "DiagonalBackward0_copy", lambda a, k, shape: _xp(a).diagonal(a, k).copy(),
      (lambda m, g, k, shape: m.op("diag_into", (g,), {"k": k, "shape": shape}),))
defop("diag_into", "DiagonalBackwardBackward0", lambda v, k, shape: _diag_into(v, k, shape),
      (lambda m, g, k, shape: m.op("diag_copy", (g,), {"k": k, "shape": shape}),))
defop("unique", "Unique2Backward0", lambda a, values: values, (_unique_vjp,))


def _diag_into(v, k, shape):
    """A zero matrix of ``shape`` with ``v`` on diagonal ``k`` (``diag`` of a matrix, undone)."""
    xp = _xp(v)
    out = xp.zeros(shape, dtype=v.dtype)
    n = v.shape[0]
    rows = xp.arange(n) + max(-k, 0)
    out[rows, rows + k] = v
    return out


# ---------------------------------------------------------------- svd (one node, three outputs)
def _svd_forward(a, full_matrices):
    u, s, vh = _xp(a).linalg.svd(a, full_matrices=full_matrices)
    return u, s, vh


def _svd_vjp(m, grads, u, s, vh, full_matrices, outputs):
    """PyTorch's ``svd_backward`` (FunctionsManual.cpp) for real input; with ``full_matrices``
    the gradients and U, Vh are first narrowed to the ``k = min(m, n)`` singular vectors, as
    its derivatives.yaml does. Repeated singular values give inf/nan there, as in PyTorch."""
    gu, gs, gvh = grads
    k = s.shape[-1]
    if full_matrices:
        lead = (slice(None),) * (len(u.shape) - 1)
        u = m.index(u, lead + (slice(0, k),))
        vh = m.index(vh, lead[:-1] + (slice(0, k), slice(None)))
        if gu is not None:
            gu = m.index(gu, lead + (slice(0, k),))
        if gvh is not None:
            gvh = m.index(gvh, lead[:-1] + (slice(0, k), slice(None)))
    rows, cols = u.shape[-2], vh.shape[-1]
    if gu is None and gvh is None:   # svdvals: U diag(gS) Vh
        if rows >= cols:
            return m.matmul(u, m.unsqueeze(gs, -1) * vh)
        return m.matmul(u * m.unsqueeze(gs, -2), vh)
    s2 = s * s
    eye = m.const(_eye_like(s, (k, k)))
    e = m.unsqueeze(s2, -2) - m.unsqueeze(s2, -1) + eye   # its diagonal is 0 before: now 1
    uhgu = vhgv = None
    if gu is not None:
        uhgu = m.matmul(_t(m, u), gu)
        uhgu = uhgu - _t(m, uhgu)
    if gvh is not None:
        vhgv = m.matmul(vh, _t(m, gvh))
        vhgv = vhgv - _t(m, vhgv)
    if gu is not None and gvh is not None:
        ga = (uhgu * m.unsqueeze(s, -2) + m.unsqueeze(s, -1) * vhgv) / e
    elif gu is not None:
        ga = uhgu * (m.unsqueeze(s, -2) / e)
    else:
        ga = m.unsqueeze(s, -1) * (vhgv / e)
    if gs is not None:
        ga = ga + m.unsqueeze(gs, -1) * eye
    if rows > cols and gu is not None:
        ga = m.matmul(u, ga)
        gu_sinv = gu / m.unsqueeze(s, -2)
        ga = ga + gu_sinv - m.matmul(u, m.matmul(_t(m, u), gu_sinv))
        return m.matmul(ga, vh)
    if rows < cols and gvh is not None:
        ga = m.matmul(ga, vh)
        sinv_gvh = gvh / m.unsqueeze(s, -1)
        ga = ga + sinv_gvh - m.matmul(m.matmul(sinv_gvh, _t(m, vh)), vh)
        return m.matmul(u, ga)
    if rows >= cols:
        return m.matmul(u, m.matmul(ga, vh))
    return m.matmul(m.matmul(u, ga), vh)


defop("linalg_svd", "LinalgSvdBackward0", _svd_forward, (_svd_vjp,),
      saves=(("U", "result"), ("S", "result"), ("Vh", "result")))

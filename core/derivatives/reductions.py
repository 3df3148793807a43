"""The reduction rules: sums, products, means, max/min, variance, softmax, logsumexp, norms
and the cumulative sum, each forward beside its vjp.
"""
import math

import numpy as np

from .arrays import ArrayMath, _count, _normdims, _raw, _unreduce, _xp
from .registry import _quiet, defop

# ---------------------------------------------------------------- reductions
defop("sum", "SumBackward0", lambda a, shape: a.sum(),
      (lambda m, g, shape: m.expand(g, shape),))
defop("prod", "ProdBackward0", lambda a, shape: a.prod(),
      (lambda m, g, a, r, shape: _prod_grad(m, g, a, r, None, False),), saves=("self", "result"))
defop("prod_dim", "ProdBackward1", lambda a, dim, keepdim, shape: a.prod(axis=dim, keepdims=keepdim),
      (lambda m, g, a, r, dim, keepdim, shape: _prod_grad(m, g, a, r, dim, keepdim),),
      saves=("self", "result"))
defop("sum_dim", "SumBackward1", lambda a, dim, keepdim, shape: a.sum(axis=dim, keepdims=keepdim),
      (lambda m, g, dim, keepdim, shape: m.expand(_unreduce(m, g, shape, dim, keepdim), shape),))
defop("mean", "MeanBackward0", lambda a, shape: _mean(a, None, False),
      (lambda m, g, shape: m.op("div_scalar", (m.expand(g, shape),),
                                {"other": float(math.prod(shape))}),))
defop("mean_dim", "MeanBackward1",   # expanded, then divided by a number (DivBackward1), as PyTorch
      lambda a, dim, keepdim, shape: _mean(a, dim, keepdim),
      (lambda m, g, dim, keepdim, shape: m.op("div_scalar", (m.expand(
          _unreduce(m, g, shape, dim, keepdim), shape),), {"other": float(_count(shape, dim))}),))
for _name, _node in (("max", "MaxBackward1"), ("min", "MinBackward1")):
    defop(_name, _node, getattr(np, "amax" if _name == "max" else "amin"),
          (lambda m, g, a, r: g * m.const(_even_mask(_raw(a), _raw(r), None)),),
          saves=("self", "result"))
for _name, _node in (("amax", "AmaxBackward0"), ("amin", "AminBackward0")):
    defop(_name, _node,
          (lambda f: lambda a, dim, keepdim: f(a, axis=dim, keepdims=keepdim))(
              np.amax if _name == "amax" else np.amin),
          (lambda m, g, a, r, dim, keepdim: m.expand(
              _unreduce(m, g, a.shape, dim, keepdim), a.shape)
              * m.const(_even_mask(_raw(a), _raw(r), dim, keepdim)),), saves=("self", "result"))
for _name, _node in (("max_dim", "MaxBackward0"), ("min_dim", "MinBackward0")):
    defop(_name, _node,
          (lambda f: lambda a, dim, keepdim, indices, shape: f(a, axis=dim, keepdims=keepdim))(
              np.amax if _name == "max_dim" else np.amin),
          (lambda m, g, dim, keepdim, indices, shape: m.expand(
              _unreduce(m, g, shape, dim, keepdim), shape)
              * m.const(_onehot(indices, shape, dim, keepdim)),))
defop("var", "VarBackward0",
      lambda a, dim, correction, keepdim: a.var(axis=dim, ddof=correction, keepdims=keepdim),
      (lambda m, g, a, dim, correction, keepdim: _unreduce(m, g, a.shape, dim, keepdim)
          * (2.0 / max(_count(a.shape, dim) - correction, 0)) * (a - _mean_keep(m, a, dim)),),
      saves=("self",))
defop("std", "StdBackward0",
      lambda a, dim, correction, keepdim: a.std(axis=dim, ddof=correction, keepdims=keepdim),
      (lambda m, g, a, r, dim, correction, keepdim:
          _unreduce(m, g / r, a.shape, dim, keepdim)
          * (1.0 / max(_count(a.shape, dim) - correction, 0)) * (a - _mean_keep(m, a, dim)),),
      saves=("self", "result"))
defop("softmax", "SoftmaxBackward0", lambda a, dim: _softmax(a, dim),
      (lambda m, g, r, dim: r * (g - m.sum(g * r, dim, True)),), saves=("result",))
defop("log_softmax", "LogSoftmaxBackward0", lambda a, dim: _log_softmax(a, dim),
      (lambda m, g, r, dim: g - m.exp(r) * m.sum(g, dim, True),), saves=("result",))
defop("logsumexp", "LogsumexpBackward0", lambda a, dim, keepdim: _logsumexp(a, dim, keepdim),
      (lambda m, g, a, r, dim, keepdim: _unreduce(m, g, a.shape, dim, keepdim)
          * m.exp(a - _unreduce(m, r, a.shape, dim, keepdim)),), saves=("self", "result"))

defop("norm", "LinalgVectorNormBackward0", lambda a, ord, dim, keepdim: _norm(a, ord, dim, keepdim),
      (_quiet(lambda m, g, a, r, ord, dim, keepdim: _norm_grad(m, g, a, r, ord, dim, keepdim)),),
      saves=("self", "result"))
# scans
defop("cumsum", "CumsumBackward0", lambda a, dim: a.cumsum(axis=dim),
      (lambda m, g, dim: m.flip(m.cumsum(m.flip(g, (dim,)), dim), (dim,)),))


# ---------------------------------------------------------------- helpers for the table
def _prod_grad(m, g, a, r, dim, keepdim):
    """d prod / d a_i: the product of the other elements, ``r / a_i`` when no element is zero,
    else from products on either side (PyTorch checks for zeros the same way)."""
    shape = a.shape
    g = _unreduce(m, g, shape, dim, keepdim)
    r = _unreduce(m, r, shape, dim, keepdim)
    raw = _raw(a)
    xp = _xp(raw)
    if not bool((raw == 0).any()):
        return g * r / a
    if not isinstance(m, ArrayMath):
        raise NotImplementedError("gradtrace: the derivative of prod through zero elements is "
                                  "not differentiable again here (create_graph=True)")
    return g * _others_product(xp, raw, dim)


def _others_product(xp, a, dim):
    """Each element's product of the other elements along ``dim`` (all of them for None)."""
    if dim is None:
        return _others_product(xp, a.reshape(-1), 0).reshape(a.shape)
    moved = xp.moveaxis(a, dim, -1)
    ones = xp.ones(moved.shape[:-1] + (1,), dtype=a.dtype)
    left = xp.cumprod(xp.concatenate([ones, moved[..., :-1]], axis=-1), axis=-1)
    right = xp.flip(xp.cumprod(xp.flip(xp.concatenate([moved[..., 1:], ones], axis=-1), -1),
                               axis=-1), -1)
    return xp.moveaxis(left * right, -1, dim)


def _mean(a, dim, keepdim):
    n = _count(a.shape, dim)
    total = a.sum(axis=dim, keepdims=keepdim)
    return total / n if n else total * float("nan")


def _mean_keep(m, a, dim):
    return m.sum(a, dim, True) / float(_count(a.shape, dim))


def _even_mask(a, r, dim, keepdim=False):
    if dim is not None and not keepdim and a.ndim:
        r = _xp(a).expand_dims(r, _normdims(dim, a.ndim))
    mask = a == r
    return mask / mask.sum(axis=dim, keepdims=True).astype(a.dtype)


def _onehot(indices, shape, dim, keepdim):
    xp = _xp(indices)
    dim = dim % len(shape) if shape else 0
    if not keepdim and shape:
        indices = xp.expand_dims(indices, dim)
    ar = xp.arange(shape[dim] if shape else 1).reshape(
        [-1 if i == dim else 1 for i in range(len(shape))])
    return ar == indices


def _softmax(a, dim):
    xp = _xp(a)
    e = xp.exp(a - a.max(axis=dim, keepdims=True))
    return e / e.sum(axis=dim, keepdims=True)


def _log_softmax(a, dim):
    s = a - a.max(axis=dim, keepdims=True)
    return s - _xp(a).log(_xp(a).exp(s).sum(axis=dim, keepdims=True))


def _logsumexp(a, dim, keepdim):
    xp = _xp(a)
    mx = a.max(axis=dim, keepdims=True)
    mx = xp.where(xp.isfinite(mx), mx, 0)
    out = xp.log(xp.exp(a - mx).sum(axis=dim, keepdims=True)) + mx
    return out if keepdim else out.squeeze(axis=dim)


def _norm(a, ord, dim, keepdim):
    xp = _xp(a)
    if ord == 2:
        if dim is None and not keepdim and a.dtype.kind == "f":
            return xp.sqrt(xp.vdot(a, a))   # the whole tensor: one pass (a.norm() in a loop)
        return xp.sqrt((a * a).sum(axis=dim, keepdims=keepdim))
    if ord == float("inf"):
        return xp.abs(a).max(axis=dim, keepdims=keepdim)
    return (xp.abs(a) ** ord).sum(axis=dim, keepdims=keepdim) ** (1.0 / ord)


def _norm_grad(m, g, a, r, ord, dim, keepdim):
    shape = a.shape
    g = _unreduce(m, g, shape, dim, keepdim)
    r = _unreduce(m, r, shape, dim, keepdim)
    if ord == 2:
        return g * m.where(m.const(_raw(r) == 0), 0.0, a / r)
    if ord == float("inf"):
        mask = m.const(_even_mask(_xp(_raw(a)).abs(_raw(a)), _raw(r), None if dim is None else dim, True)
                       if dim is not None else _even_mask(_xp(_raw(a)).abs(_raw(a)), _raw(r), None))
        return g * m.sign(a) * mask
    return g * m.sign(a) * m.abs(a) ** (ord - 1) / m.where(m.const(_raw(r) == 0), 1.0, r ** (ord - 1))

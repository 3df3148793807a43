"""More of the registry: tensor manipulation (masked_fill, tril, cumsum, gather, repeat, flip,
roll) and the neural-network ops (activations, layer norm, embedding, BCE with logits).

Same form as ``derivatives.py``: forward and vjp side by side, the vjp written against ``m``.
"""
import math

import numpy as np

from .derivatives import _raw, _sigmoid, _xp, defop

__all__ = ["erf_array"]

_SQRT2 = math.sqrt(2.0)
_SQRT_2_PI = math.sqrt(2.0 / math.pi)


def erf_array(x):
    """erf for a numpy/CuPy array (numpy has none): Numerical Recipes' erfc Chebyshev fit,
    fractional error below 1.2e-7 everywhere, computed in float64."""
    xp = _xp(x)
    z = xp.abs(x).astype(np.float64)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = (-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277)))))))))
    erfc = t * xp.exp(poly)
    out = xp.where(x >= 0, 1.0 - erfc, erfc - 1.0)
    return out.astype(x.dtype) if hasattr(x, "dtype") else out


def _phi_cdf(m, x):
    return 0.5 * (1.0 + m.erf(x * (1.0 / _SQRT2)))


def _phi_pdf(m, x):
    return m.exp(x * x * -0.5) * (1.0 / math.sqrt(2.0 * math.pi))


# ---------------------------------------------------------------- elementwise
defop("erf", "ErfBackward0", erf_array,
      (lambda m, g, a: g * (2.0 / math.sqrt(math.pi)) * m.exp(-(a * a)),), saves=("self",))
defop("log1p", "Log1PBackward0", lambda a: _xp(a).log1p(a),
      (lambda m, g, a: g / (a + 1.0),), saves=("self",))
defop("rsqrt", "RsqrtBackward0", lambda a: 1.0 / _xp(a).sqrt(a),
      (lambda m, g, r: g * -0.5 * r * r * r,), saves=("result",))
defop("sign", "SignBackward0", lambda a: _xp(a).sign(a), (lambda m, g: g * 0.0,))
defop("masked_fill", "MaskedFillBackward0",
      lambda a, mask, value: _xp(a).where(mask, a.dtype.type(value), a),  # a scalar: no copy
      (lambda m, g, mask, value: m.where(m.const(mask), 0.0, g),))

# ---------------------------------------------------------------- activations
defop("gelu", "GeluBackward0", lambda a, approximate: _gelu(a, approximate),
      (lambda m, g, a, approximate: g * _gelu_grad(m, a, approximate),), saves=("self",))
defop("leaky_relu", "LeakyReluBackward0",
      lambda a, negative_slope: _xp(a).where(a > 0, a, a * negative_slope),
      (lambda m, g, a, negative_slope: m.where(m.const(_raw(a) > 0), g, g * negative_slope),),
      saves=("self",))
defop("silu", "SiluBackward0", lambda a: a * _sigmoid(a),
      (lambda m, g, a: g * m.sigmoid(a) * (1.0 + a * (1.0 - m.sigmoid(a))),), saves=("self",))
defop("softplus", "SoftplusBackward0", lambda a, beta, threshold: _softplus(a, beta, threshold),
      (lambda m, g, a, beta, threshold: m.where(m.const(_raw(a) * beta > threshold), g,
                                                g * m.sigmoid(a * beta)),), saves=("self",))
defop("elu", "EluBackward0",
      lambda a, alpha: _xp(a).where(a > 0, a, alpha * _xp(a).expm1(_xp(a).minimum(a, 0))),
      (lambda m, g, a, alpha: m.where(m.const(_raw(a) > 0), g, g * alpha * m.exp(a)),),
      saves=("self",))

# ---------------------------------------------------------------- shapes and scans
defop("tril", "TrilBackward0", lambda a, diagonal: _xp(a).tril(a, diagonal),
      (lambda m, g, diagonal: m.tril(g, diagonal),))
defop("triu", "TriuBackward0", lambda a, diagonal: _xp(a).triu(a, diagonal),
      (lambda m, g, diagonal: m.triu(g, diagonal),))
defop("cumsum", "CumsumBackward0", lambda a, dim: a.cumsum(axis=dim),
      (lambda m, g, dim: m.flip(m.cumsum(m.flip(g, (dim,)), dim), (dim,)),))
defop("flip", "FlipBackward0", lambda a, dims: _xp(a).flip(a, dims),
      (lambda m, g, dims: m.flip(g, dims),))
defop("roll", "RollBackward0", lambda a, shifts, dims: _xp(a).roll(a, shifts, dims),
      (lambda m, g, shifts, dims: m.roll(g, _negate(shifts), dims),))
defop("repeat", "RepeatBackward0", lambda a, repeats: _xp(a).tile(a, repeats),
      (lambda m, g, repeats: _repeat_grad(m, g, repeats),))
# rounding: piecewise constant, so a zero gradient (frac = a - trunc(a) passes it through)
def _rounding(name):
    def forward(a):
        return getattr(_xp(a), name)(a)
    forward.__name__ = name
    return forward


for _name in ("floor", "ceil", "trunc"):
    defop(_name, _name.capitalize() + "Backward0", _rounding(_name),
          (lambda m, g: m.zeros(g.shape, g),))
defop("round", "RoundBackward0", lambda a: _xp(a).round(a), (lambda m, g: m.zeros(g.shape, g),))
defop("round_decimals", "RoundBackward1", lambda a, decimals: _xp(a).round(a, decimals),
      (lambda m, g, decimals: m.zeros(g.shape, g),))
defop("frac", "FracBackward0", lambda a: a - _xp(a).trunc(a), (lambda m, g: g,))
# sorting picks elements: its gradient goes back to where they came from, as gather's does
defop("sort", "SortBackward0", lambda a, dim, index, shape: _xp(a).take_along_axis(a, index, dim),
      (lambda m, g, dim, index, shape: m.scatter_add(g, index, dim, shape),))
defop("topk", "TopkBackward0", lambda a, dim, index, shape: _xp(a).take_along_axis(a, index, dim),
      (lambda m, g, dim, index, shape: m.scatter_add(g, index, dim, shape),))
defop("gather", "GatherBackward0",
      lambda a, dim, index, shape: _xp(a).take_along_axis(a, index, dim),
      (lambda m, g, dim, index, shape: m.scatter_add(g, index, dim, shape),))
defop("scatter_add", "ScatterAddBackward0",
      lambda g, index, dim, shape: _scatter_add_fwd(g, index, dim, shape),
      (lambda m, gg, index, dim, shape: m.gather(gg, index, dim),))

# ---------------------------------------------------------------- normalisation, embedding, losses
defop("layer_norm", "NativeLayerNormBackward0",
      lambda a, w, b, axes, eps: _layer_norm(a, w, b, axes, eps),
      (lambda m, g, a, w, b, axes, eps: _layer_norm_input_grad(m, g, a, w, axes, eps),
       lambda m, g, a, w, b, axes, eps: _batch_sum(m, g * _normalized(m, a, axes, eps)[0], a, axes),
       lambda m, g, a, w, b, axes, eps: _batch_sum(m, g, a, axes)),
      saves=(("input", 0), ("weight", 1), ("bias", 2)))
defop("embedding", "EmbeddingBackward0", lambda weight, indices, shape: weight[indices],
      (lambda m, g, indices, shape: m.index_grad(g, shape, indices),))
defop("bce_with_logits", "BinaryCrossEntropyWithLogitsBackward0",
      lambda a, t, reduction: _bce_logits(a, t, reduction),
      (lambda m, g, a, t, reduction: _scale(g, a, reduction) * (m.sigmoid(a) - t),
       lambda m, g, a, t, reduction: _scale(g, a, reduction) * -a),
      saves=("self", "other"))


# ---------------------------------------------------------------- helpers for the table
def _negate(shifts):
    return tuple(-s for s in shifts) if isinstance(shifts, tuple) else -shifts


def _gelu(a, approximate):
    xp = _xp(a)
    if approximate == "tanh":
        return 0.5 * a * (1.0 + xp.tanh(_SQRT_2_PI * (a + 0.044715 * a * a * a)))
    return a * 0.5 * (1.0 + erf_array(a * (1.0 / _SQRT2)))


def _gelu_grad(m, a, approximate):
    if approximate == "tanh":
        inner = _SQRT_2_PI * (a + 0.044715 * a * a * a)
        t = m.tanh(inner)
        return 0.5 * (1.0 + t) + 0.5 * a * (1.0 - t * t) * _SQRT_2_PI * (1.0 + 0.134145 * a * a)
    return _phi_cdf(m, a) + a * _phi_pdf(m, a)


def _softplus(a, beta, threshold):
    xp = _xp(a)
    with np.errstate(over="ignore"):
        soft = xp.log1p(xp.exp(a * beta)) / beta
    return xp.where(a * beta > threshold, a, soft).astype(a.dtype)


def _repeat_grad(m, g, repeats):
    """Sum the tiled copies back: view ``g`` as (r0, s0, r1, s1, ...) and sum over the r's
    (dimensions ``repeat`` added in front come back as size 1; the engine sums them away)."""
    split = []
    for n, r in zip(tuple(g.shape), repeats):
        split += [r, n // r]
    return m.sum(m.reshape(g, tuple(split)), tuple(range(0, 2 * len(repeats), 2)))


def _scatter_add_fwd(g, index, dim, shape):
    xp = _xp(g)
    out = xp.zeros(shape, dtype=g.dtype)
    grid = list(xp.indices(index.shape, sparse=True))
    grid[dim] = index
    if xp is np:
        np.add.at(out, tuple(grid), g)
    else:
        import cupyx
        cupyx.scatter_add(out, tuple(grid), g)
    return out


def _layer_norm(a, w, b, axes, eps):
    mu = a.mean(axis=axes, keepdims=True)
    var = ((a - mu) ** 2).mean(axis=axes, keepdims=True)
    out = (a - mu) / _xp(a).sqrt(var + eps)
    if w is not None:
        out = out * w
    if b is not None:
        out = out + b
    return out.astype(a.dtype, copy=False)


def _normalized(m, a, axes, eps):
    """``(x - mean) * rstd`` over ``axes``, and ``rstd``."""
    n = float(math.prod(a.shape[i] for i in axes))
    centered = a - m.sum(a, axes, True) / n
    rstd = 1.0 / m.sqrt(m.sum(centered * centered, axes, True) / n + eps)
    return centered * rstd, rstd


def _layer_norm_input_grad(m, g, a, w, axes, eps):
    n = float(math.prod(a.shape[i] for i in axes))
    xhat, rstd = _normalized(m, a, axes, eps)
    dxhat = g if w is None else g * w
    return rstd * (dxhat - m.sum(dxhat, axes, True) / n - xhat * (m.sum(dxhat * xhat, axes, True) / n))


def _batch_sum(m, g, a, axes):
    """Sum over the dimensions that are not normalised (the batch ones)."""
    batch = tuple(i for i in range(len(a.shape)) if i not in axes)
    return m.sum(g, batch) if batch else g


def _bce_logits(a, t, reduction):
    xp = _xp(a)
    loss = xp.maximum(a, 0) - a * t + xp.log1p(xp.exp(-xp.abs(a)))
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _scale(g, a, reduction):
    return g / float(max(math.prod(a.shape), 1)) if reduction == "mean" else g

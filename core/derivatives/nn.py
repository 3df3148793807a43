"""The neural-network rules: losses (MSE, NLL, BCE with logits), layer norm and embedding,
each forward beside its vjp.
"""
import math

import numpy as np

from .arrays import ArrayMath, _xp
from .registry import defop

# ---------------------------------------------------------------- losses
defop("mse_loss", "MseLossBackward0", lambda a, b, reduction: _reduce((a - b) ** 2, reduction),
      (lambda m, g, a, b, reduction: _loss_scale(g, a, reduction) * 2.0 * (a - b),
       lambda m, g, a, b, reduction: _loss_scale(g, a, reduction) * -2.0 * (a - b)),
      saves=("self", "other"))
defop("nll_loss", "NllLossBackward0", lambda a, target, reduction, shape: _nll(a, target, reduction),
      (lambda m, g, target, reduction, shape: _nll_grad(m, g, target, reduction, shape),))

defop("bce_with_logits", "BinaryCrossEntropyWithLogitsBackward0",
      lambda a, t, reduction: _bce_logits(a, t, reduction),
      (lambda m, g, a, t, reduction: _scale(g, a, reduction) * (m.sigmoid(a) - t),
       lambda m, g, a, t, reduction: _scale(g, a, reduction) * -a),
      saves=("self", "other"))

# ---------------------------------------------------------------- normalisation, embedding
defop("layer_norm", "NativeLayerNormBackward0",
      lambda a, w, b, axes, eps: _layer_norm(a, w, b, axes, eps),
      (lambda m, g, a, w, b, axes, eps: _layer_norm_input_grad(m, g, a, w, axes, eps),
       lambda m, g, a, w, b, axes, eps: _batch_sum(m, g * _normalized(m, a, axes, eps)[0], a, axes),
       lambda m, g, a, w, b, axes, eps: _batch_sum(m, g, a, axes)),
      saves=(("input", 0), ("weight", 1), ("bias", 2)))
defop("embedding", "EmbeddingBackward0", lambda weight, indices, shape: weight[indices],
      (lambda m, g, indices, shape: m.index_grad(g, shape, indices),))


# ---------------------------------------------------------------- helpers for the table
def _reduce(x, reduction):
    if reduction == "mean":
        return x.mean()
    if reduction == "sum":
        return x.sum()
    return x


def _loss_scale(g, a, reduction):
    return g / float(max(math.prod(a.shape), 1)) if reduction == "mean" else g


_ROWS = {}


def _rows(xp, n, like):
    """``xp.arange(n)`` (row indices) on ``like``'s device, made once per length: on a GPU each
    one is a kernel launch, and a training loop asks for the same rows twice a step. Read-only
    where the array module allows it; only ever used as an index."""
    key = (xp, n, getattr(getattr(like, "device", None), "id", None))
    rows = _ROWS.get(key)
    if rows is None:
        if len(_ROWS) >= 32:
            _ROWS.clear()
        rows = _ROWS[key] = xp.arange(n)
        if xp is np:
            rows.flags.writeable = False
    return rows


def _nll(logp, target, reduction):
    xp = _xp(logp)
    picked = -logp[_rows(xp, logp.shape[0], logp), target] if logp.ndim == 2 else -logp[target]
    return _reduce(picked, reduction)


def _nll_grad(m, g, target, reduction, shape):
    xp = _xp(target)
    n = shape[0] if len(shape) == 2 else 1
    scale = g / float(-n) if reduction == "mean" else -g
    if isinstance(m, ArrayMath):  # plain backward: scatter -scale straight into zeros
        out = xp.zeros(shape, dtype=g.dtype)
        out[(_rows(xp, n, target), target) if len(shape) == 2 else target] = scale
        return out
    if len(shape) == 2 and reduction == "none":
        scale = m.unsqueeze(scale, 1)
    onehot = xp.zeros(shape, dtype=bool)
    if len(shape) == 2:
        onehot[_rows(xp, n, target), target] = True
    else:
        onehot[target] = True
    return m.const(onehot) * scale


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

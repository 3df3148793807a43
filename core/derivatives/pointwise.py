"""The pointwise rules: binary and unary elementwise ops, activations, rounding, and the
in-place writes that replace values (fill, zero, copy), each forward beside its vjp.
"""
import math

import numpy as np

from .arrays import _move, _raw, _sigmoid, _xp, erf_array
from .registry import defop

_SQRT2 = math.sqrt(2.0)
_SQRT_2_PI = math.sqrt(2.0 / math.pi)

# ---------------------------------------------------------------- binary elementwise
defop("add", "AddBackward0", lambda a, b, alpha=1: a + b if alpha == 1 else a + b * alpha,
      (lambda m, g, alpha=1: g,
       lambda m, g, alpha=1: g if alpha == 1 else g * alpha))
defop("sub", "SubBackward0", lambda a, b, alpha=1: a - b if alpha == 1 else a - b * alpha,
      (lambda m, g, alpha=1: g,
       lambda m, g, alpha=1: -g if alpha == 1 else g * -alpha))
defop("rsub", "RsubBackward1", lambda a, other: other - a,
      (lambda m, g, other: -g,))
defop("mul", "MulBackward0", lambda a, b: a * b,
      (lambda m, g, a, b: g * b,
       lambda m, g, a, b: g * a), saves=("self", "other"))
defop("div", "DivBackward0", lambda a, b: a / b,
      (lambda m, g, a, b: g / b,
       lambda m, g, a, b: -g * a / (b * b)), saves=("self", "other"))
defop("div_scalar", "DivBackward1", lambda a, other: a / other,   # PyTorch's C++ div(Scalar)
      (lambda m, g, other: g / other,))
defop("pow", "PowBackward0", lambda a, exponent: _pow(a, exponent),
      (lambda m, g, a, exponent: g * 0.0 if exponent == 0 else g * exponent * _pow(a, exponent - 1),),
      saves=("self",))
defop("pow_tensor", "PowBackward1",
      lambda a, b: _int_pow(a, b) if a.dtype.kind in "biu" and b.dtype.kind in "iu" else a ** b,
      (lambda m, g, a, b, r: g * b * a ** (b - 1),
       lambda m, g, a, b, r: g * m.where(m.const((_raw(a) == 0) & (_raw(b) >= 0)), 0.0,
                                          r * m.log(a))), saves=("self", "other", "result"))
defop("rpow", "PowBackward2", lambda a, base: base ** a,
      (lambda m, g, r, base: g * r * float(np.log(base)),), saves=("result",))
defop("maximum", "MaximumBackward0", lambda a, b: _xp(a).maximum(a, b),
      (lambda m, g, a, b: g * m.const(_tie_mask(a, b, 1)),
       lambda m, g, a, b: g * m.const(_tie_mask(b, a, 1))), saves=("self", "other"))
defop("minimum", "MinimumBackward0", lambda a, b: _xp(a).minimum(a, b),
      (lambda m, g, a, b: g * m.const(_tie_mask(a, b, -1)),
       lambda m, g, a, b: g * m.const(_tie_mask(b, a, -1))), saves=("self", "other"))
defop("where", "WhereBackward0", lambda a, b, condition: _xp(condition).where(condition, a, b),
      (lambda m, g, condition: m.where(m.const(condition), g, 0.0),
       lambda m, g, condition: m.where(m.const(condition), 0.0, g)))

# ---------------------------------------------------------------- unary elementwise
def _ufunc(name):
    """numpy's ufunc ``name`` for numpy arrays, the array's own module's otherwise (CuPy's
    directly: numpy's __array_ufunc__ hand-off to CuPy costs more than a small kernel)."""
    f = getattr(np, name)

    def forward(a):
        return f(a) if type(a) is np.ndarray else getattr(_xp(a), name)(a)
    forward.__name__ = name
    return forward


defop("neg", "NegBackward0", lambda a: -a, (lambda m, g: -g,))
defop("reciprocal", "ReciprocalBackward0", lambda a: 1.0 / a,
      (lambda m, g, r: -g * r * r,), saves=("result",))
defop("exp", "ExpBackward0", _ufunc("exp"), (lambda m, g, r: g * r,), saves=("result",))
defop("log", "LogBackward0", _ufunc("log"), (lambda m, g, a: g / a,), saves=("self",))
defop("sqrt", "SqrtBackward0", _ufunc("sqrt"),
      (lambda m, g, r: g / (2.0 * r),), saves=("result",))
defop("abs", "AbsBackward0", _ufunc("abs"), (lambda m, g, a: g * m.sign(a),), saves=("self",))
defop("sin", "SinBackward0", _ufunc("sin"), (lambda m, g, a: g * m.cos(a),), saves=("self",))
defop("cos", "CosBackward0", _ufunc("cos"), (lambda m, g, a: -g * m.sin(a),), saves=("self",))
defop("tanh", "TanhBackward0", _ufunc("tanh"),
      (lambda m, g, r: m.op("tanh_backward", (g, r), {}),), saves=("result",))
defop("sigmoid", "SigmoidBackward0", lambda a: _sigmoid(a),
      (lambda m, g, r: m.op("sigmoid_backward", (g, r), {}),), saves=("result",))
# their gradients as PyTorch's tanh_backward/sigmoid_backward (TanhBackwardBackward0,
# SigmoidBackwardBackward0 under create_graph), from derivatives.yaml
defop("tanh_backward", "TanhBackwardBackward0", lambda g, r: g * (1.0 - r * r),
      (lambda m, gg, go, r: m.op("tanh_backward", (gg, r), {}),
       lambda m, gg, go, r: gg * (-2.0 * r * go)), saves=(("grad_output", 0), ("output", 1)))
defop("sigmoid_backward", "SigmoidBackwardBackward0", lambda g, r: g * r * (1.0 - r),
      (lambda m, gg, go, r: m.op("sigmoid_backward", (gg, r), {}),
       lambda m, gg, go, r: gg * go * (-2.0 * r + 1.0)), saves=(("grad_output", 0), ("output", 1)))
defop("relu", "ReluBackward0", lambda a: np.maximum(a, 0) if type(a) is np.ndarray else _xp(a).maximum(a, 0),
      (lambda m, g, r: m.op("threshold_backward", (g, r), {"threshold": 0}),), saves=("result",))
# relu's gradient (PyTorch's threshold_backward): recorded as ThresholdBackwardBackward0 under
# create_graph; its input ``self`` (relu's result) gets no gradient (zeros, as in PyTorch)
defop("threshold_backward", "ThresholdBackwardBackward0",
      lambda g, r, threshold: _xp(g).where(r <= threshold, 0, g),   # NaN passes, as in PyTorch
      (lambda m, gg, r, threshold: m.op("threshold_backward", (gg, r), {"threshold": threshold}),
       lambda m, gg, r, threshold: m.zeros(tuple(r.shape), gg)), saves=(("self", 1),))
defop("clamp", "ClampBackward1", lambda a, min=None, max=None: _clip(a, min, max),
      (lambda m, g, a, min=None, max=None: g * m.const(_inside(_raw(a), min, max)),),
      saves=("self",))
defop("clamp_tensor", "ClampBackward0", lambda a, lo, hi: _clip(a, lo, hi),
      (lambda m, g, a, lo, hi: g * m.const(_inside(_raw(a), _raw(lo), _raw(hi))),
       lambda m, g, a, lo, hi: g * m.const(_raw(a) < _raw(lo)),
       lambda m, g, a, lo, hi: g * m.const(_raw(a) > _raw(hi))),
      saves=(("self", 0), ("min", 1), ("max", 2)))
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
defop("clone", "CloneBackward0", lambda a: a.copy(), (lambda m, g: g,))
# in-place writes that replace values: the old values get no gradient
defop("fill", "FillBackward2", lambda a, value: _xp(a).full(a.shape, value, dtype=a.dtype),
      (lambda m, g, value: m.zeros(g.shape, g),))
defop("fill_tensor", "FillBackward3",
      lambda a, v: _xp(a).broadcast_to(v, a.shape).astype(a.dtype),
      (lambda m, g: m.zeros(g.shape, g), lambda m, g: g))
defop("zero", "ZeroBackward0", lambda a: _xp(a).zeros_like(a),
      (lambda m, g: m.zeros(g.shape, g),))
defop("copy", "CopyBackwards", lambda a, src: _xp(a).broadcast_to(src, a.shape).astype(a.dtype),
      (lambda m, g: m.zeros(g.shape, g), lambda m, g: g))
# a view read again from its base after an in-place change through it (PyTorch regenerates
defop("to_device", "ToCopyBackward0", lambda a, device, source: _move(a, device),
      (lambda m, g, device, source: m.move(g, source),))
defop("to_copy", "ToCopyBackward0", lambda a, dtype: a.astype(dtype),
      (lambda m, g, dtype: g,))

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


# ---------------------------------------------------------------- helpers for the table
def _tie_mask(a, b, sign):
    a, b = _raw(a), _raw(b)
    win = (a > b) if sign > 0 else (a < b)
    return win + (a == b) * 0.5


def _inside(a, lo, hi):
    mask = True
    if lo is not None:
        mask = a >= lo
    if hi is not None:
        mask = mask & (a <= hi)
    return mask if mask is not True else _xp(a).ones(a.shape, dtype=bool)


def _clip(a, lo, hi):
    xp = _xp(a)
    out = a if lo is None else xp.maximum(a, xp.asarray(lo, dtype=a.dtype))
    return out if hi is None else xp.minimum(out, xp.asarray(hi, dtype=a.dtype))


def _pow(a, exponent):
    """``a ** exponent``; a power that can leave the domain (0 ** -1, (-1) ** 0.5) is quiet."""
    if type(exponent) is int and exponent >= 0 or not isinstance(a, np.ndarray):
        return a ** exponent
    with np.errstate(all="ignore"):
        return a ** exponent


def _int_pow(a, b):
    """Integer tensor powers as PyTorch computes them: a negative exponent gives 1 for 1,
    +-1 for -1 and 0 otherwise (truncated division), where numpy refuses."""
    xp = _xp(a)
    a = a.astype(xp.result_type(a, b))
    neg = b < 0
    out = a ** xp.where(neg, 0, b)
    if neg.any():
        odd = (xp.abs(b) % 2) == 1
        out = xp.where(neg, xp.where(a == 1, 1, xp.where(a == -1, xp.where(odd, -1, 1), 0)), out)
    return out.astype(a.dtype, copy=False)


def _phi_cdf(m, x):
    return 0.5 * (1.0 + m.erf(x * (1.0 / _SQRT2)))


def _phi_pdf(m, x):
    return m.exp(x * x * -0.5) * (1.0 / math.sqrt(2.0 * math.pi))


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

"""The rules of the trigonometric, hyperbolic and exponential-family functions beyond the
basic ones (tan, asin, acos, atan, atan2, sinh, cosh, asinh, acosh, atanh, expm1, exp2, log2,
log10), each forward beside its vjp, written with ``m``'s exp/log/sqrt so they differentiate again.
"""
import math

from .arrays import _xp
from .registry import _quiet, defop

_LN2, _LN10 = math.log(2.0), math.log(10.0)


def _ufunc(name):
    def forward(a):
        return getattr(_xp(a), name)(a)
    forward.__name__ = name
    return forward


def _cosh(m, a):
    return (m.exp(a) + m.exp(-a)) * 0.5


def _sinh(m, a):
    return (m.exp(a) - m.exp(-a)) * 0.5


def _defop_quiet(name, node_name, forward, vjps, saves=()):
    """``defop`` for an op that leaves its domain (asin(2), log2(-1)): nan/inf silently, as
    PyTorch returns them."""
    return defop(name, node_name, _quiet(forward), tuple(_quiet(v) for v in vjps), saves)


_defop_quiet("tan", "TanBackward0", _ufunc("tan"), (lambda m, g, r: g * (r * r + 1.0),),
      saves=("result",))
_defop_quiet("asin", "AsinBackward0", _ufunc("arcsin"),
      (lambda m, g, a: g / m.sqrt(1.0 - a * a),), saves=("self",))
_defop_quiet("acos", "AcosBackward0", _ufunc("arccos"),
      (lambda m, g, a: -g / m.sqrt(1.0 - a * a),), saves=("self",))
defop("atan", "AtanBackward0", _ufunc("arctan"),
      (lambda m, g, a: g / (a * a + 1.0),), saves=("self",))
defop("sinh", "SinhBackward0", _ufunc("sinh"), (lambda m, g, a: g * _cosh(m, a),),
      saves=("self",))
defop("cosh", "CoshBackward0", _ufunc("cosh"), (lambda m, g, a: g * _sinh(m, a),),
      saves=("self",))
defop("asinh", "AsinhBackward0", _ufunc("arcsinh"),
      (lambda m, g, a: g / m.sqrt(a * a + 1.0),), saves=("self",))
_defop_quiet("acosh", "AcoshBackward0", _ufunc("arccosh"),
      (lambda m, g, a: g / m.sqrt(a * a - 1.0),), saves=("self",))
_defop_quiet("atanh", "AtanhBackward0", _ufunc("arctanh"),
      (lambda m, g, a: g / (1.0 - a * a),), saves=("self",))
defop("expm1", "Expm1Backward0", _ufunc("expm1"), (lambda m, g, r: g * (r + 1.0),),
      saves=("result",))
defop("exp2", "Exp2Backward0", _ufunc("exp2"), (lambda m, g, r: g * r * _LN2,),
      saves=("result",))
_defop_quiet("log2", "Log2Backward0", _ufunc("log2"), (lambda m, g, a: g / (a * _LN2),),
      saves=("self",))
_defop_quiet("log10", "Log10Backward0", _ufunc("log10"), (lambda m, g, a: g / (a * _LN10),),
      saves=("self",))
_defop_quiet("atan2", "Atan2Backward0", lambda a, b: _xp(a).arctan2(a, b),
      (lambda m, g, a, b: g * b / (a * a + b * b),
       lambda m, g, a, b: g * -a / (a * a + b * b)), saves=("self", "other"))


def _no_inplace_derivative(name):
    def rule(m, g):
        raise NotImplementedError(f"the derivative for 'inplace version of {name}' is not "
                                  "implemented.")
    return rule


# PyTorch records asinh_/acosh_/atanh_ as nodes of their own whose derivative it lacks
for _name in ("asinh", "acosh", "atanh"):
    _defop_quiet(_name + "_", _name.capitalize() + "Backward1", _ufunc("arc" + _name[1:]),
                 (_no_inplace_derivative(_name),))

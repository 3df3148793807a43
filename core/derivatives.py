"""The one table of derivative rules: every op's forward and its vjp per input, side by side.

Like PyTorch's ``derivatives.yaml``: ``defop(name, node_name, forward, vjps, saves)``. A vjp
receives ``m`` (array math for a plain backward, tensor math under ``create_graph=True``, so
the same rule builds higher-order graphs), the incoming gradient and the saved values, and
returns the gradient for its input *before* broadcasting is undone (the engine calls
``m.sum_to`` once, for every op: see ``_graph.apply``).
"""
import dis
import inspect
import math

import numpy as np

__all__ = ["OpDef", "OPS", "defop", "ArrayMath", "array_math"]


class OpDef:
    """One registry entry.

    ``forward(*arrays, **kw) -> array``; ``vjps``: one callable per differentiable input,
    ``vjp(m, g, *saved, **kw)`` (a variadic op such as ``cat`` gives one callable
    ``vjp(m, g, i, **kw)``); ``saves``: what the node keeps for backward, by PyTorch's name:
    ``"self"``, ``"other"`` (the first and second inputs), ``"result"``, or ``(name, position)``.
    """

    __slots__ = ("name", "node_name", "forward", "vjps", "saves", "save_src", "node_cls",
                 "variadic", "save_users", "save_plan", "view", "frees", "multi")

    def __init__(self, name, node_name, forward, vjps, saves):
        self.name, self.node_name, self.forward = name, node_name, forward
        self.variadic = callable(vjps)
        self.vjps = vjps if self.variadic else tuple(vjps)
        self.saves = tuple(_SAVE_SLOTS.get(s, s) if isinstance(s, str) else s for s in saves)
        self.save_src = tuple(None if src == "result" else src for _, src in self.saves)
        self.node_cls = None
        self.view = name in VIEW_OPS   # the result shares memory and version with input 0
        self.multi = name in MULTI_OUTPUT_OPS   # made by _graph.apply_multi: several outputs
        # what a backward without retain_graph frees: its saved values (CopySlices: its inner
        # node's)
        self.frees = bool(self.saves) or name == "copy_slices"
        # Per saved value, the inputs whose rule reads it: the node saves it only when one of
        # them requires grad, as PyTorch's generated nodes do (``(y * 2)`` keeps no ``self``,
        # so changing ``y`` in place afterwards is no error). None: every value is always kept.
        self.save_users = None
        if self.saves and not self.variadic:
            used = [_reads(rule, len(self.saves)) for rule in self.vjps]
            users = tuple(frozenset(i for i, u in enumerate(used) if j in u)
                          for j in range(len(self.saves)))
            if any(u != frozenset(range(len(self.vjps))) for u in users):
                self.save_users = users
        # (source, inputs reading it or None for "always") per saved value, for _graph.apply
        self.save_plan = tuple(zip(self.save_src, self.save_users or (None,) * len(self.saves)))

    def vjp(self, i):
        """The rule for input ``i`` (``vjp(m, g, *saved, **kw)``)."""
        if self.variadic:
            rule = self.vjps
            return lambda m, g, *saved, **kw: rule(m, g, i, *saved, **kw)
        if i >= len(self.vjps) or self.vjps[i] is None:
            raise NotImplementedError(
                f"the derivative for '{self.name}' is not implemented for argument {i}")
        return self.vjps[i]


_LOADS = frozenset(("LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_FAST_AND_CLEAR", "LOAD_FAST_LOAD_FAST",
                    "LOAD_DEREF", "LOAD_CLOSURE", "LOAD_FAST_BORROW",
                    "LOAD_FAST_BORROW_LOAD_FAST_BORROW"))


def _reads(rule, n_saved):
    """Which saved values (the positional parameters after ``m, g``) vjp ``rule`` reads, from
    its bytecode; all of them when that cannot be told."""
    everything = frozenset(range(n_saved))
    if rule is None:
        return frozenset()
    fn = getattr(rule, "__wrapped__", rule)
    code = getattr(fn, "__code__", None)
    if code is None or code.co_flags & inspect.CO_VARARGS or code.co_argcount < 2 + n_saved:
        return everything
    params = code.co_varnames[2:2 + n_saved]
    loaded = set(code.co_cellvars)   # captured by a nested function: read there
    for ins in dis.get_instructions(code):
        if ins.opname in _LOADS:
            loaded.update(ins.argval if isinstance(ins.argval, tuple) else (ins.argval,))
    return frozenset(j for j, p in enumerate(params) if p in loaded)


# Ops whose result is a view of their first input (PyTorch's view ops).
VIEW_OPS = frozenset(("view", "reshape_alias", "t", "transpose", "permute", "expand", "select",
                      "slice", "squeeze", "squeeze_dim", "squeeze_dims", "squeeze4", "unsqueeze"))

# Ops with several outputs, each a view of the input (one node, one output per piece); their
# rule gets the list of the pieces' gradients (None where none arrived).
MULTI_OUTPUT_OPS = frozenset(("split", "split_with_sizes", "unbind"))

OPS = {}
# Where each saved value comes from (an input's position or the result), by PyTorch's name.
_SAVE_SLOTS = {"self": ("self", 0), "other": ("other", 1), "result": ("result", "result")}


def defop(name, node_name, forward, vjps, saves=()):
    """Register an op; its node class is made by the graph module on first use.

    Ops that can overflow, divide by zero or leave their domain compute under
    ``np.errstate(all="ignore")``: PyTorch returns inf/nan silently there.
    """
    if name in _QUIET:
        forward = _quiet(forward)
        vjps = _quiet(vjps) if callable(vjps) else tuple(_quiet(v) for v in vjps)
    OPS[name] = op = OpDef(name, node_name, forward, vjps, saves)
    return op


# exp's overflow is left to numpy's warning: errstate costs ~1 µs a call, more than exp itself
# on small tensors, and overflow needs an input above 88.
_QUIET = frozenset(("div", "pow_tensor", "rpow", "reciprocal", "log", "sqrt",
                    "var", "std"))


def _quiet(fn):
    if fn is None:
        return None

    def quiet(*args, **kw):
        with np.errstate(all="ignore"):
            return fn(*args, **kw)
    quiet.__wrapped__ = fn   # what the rule reads (see _reads)
    return quiet


class ArrayMath:
    """The math a vjp rule may use, over plain arrays of one array module (numpy or cupy)."""

    def __init__(self, xp):
        self.xp = xp
        self.exp, self.log, self.sqrt = xp.exp, xp.log, xp.sqrt
        self.sin, self.cos, self.sign, self.abs = xp.sin, xp.cos, xp.sign, xp.abs
        self.matmul, self.where = xp.matmul, xp.where

    @staticmethod
    def const(a):
        return a

    def erf(self, a):
        from .derivatives_nn import erf_array
        return erf_array(a)

    @staticmethod
    def sigmoid(a):
        return _sigmoid(a)

    def tanh(self, a):
        return self.xp.tanh(a)

    def tril(self, g, diagonal):
        return self.xp.tril(g, diagonal)

    def triu(self, g, diagonal):
        return self.xp.triu(g, diagonal)

    def flip(self, g, dims):
        return self.xp.flip(g, dims)

    def roll(self, g, shifts, dims):
        return self.xp.roll(g, shifts, dims)

    @staticmethod
    def cumsum(g, dim):
        return g.cumsum(axis=dim)

    def gather(self, g, index, dim):
        return self.xp.take_along_axis(g, index, dim)

    @staticmethod
    def scatter_add(g, index, dim, shape):
        from .derivatives_nn import _scatter_add_fwd
        return _scatter_add_fwd(g, index, dim, shape)

    def sum(self, g, axis=None, keepdims=False):
        return g.sum(axis=axis, keepdims=keepdims)

    def sum_to(self, g, shape):
        """Undo broadcasting: sum ``g`` down to ``shape``."""
        if g.shape == shape:
            return g
        lead = g.ndim - len(shape)
        if lead:  # reduced without keepdims: the result is a fresh array, no view of one
            g = g.sum(axis=tuple(range(lead)))
        ones = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
        return g.sum(axis=ones, keepdims=True) if ones else g

    def expand(self, g, shape):
        if self.xp is np and g.size == 1 and math.prod(shape) <= 4096:
            return np.full(shape, g.reshape(()), dtype=g.dtype)  # small: cheaper than a view
        return self.xp.broadcast_to(g, shape)

    @staticmethod
    def reshape(g, shape):
        return g.reshape(shape)

    @staticmethod
    def permute(g, axes):
        return g.transpose(axes)

    @staticmethod
    def swapaxes(g, a, b):
        return g.swapaxes(a, b)

    def unsqueeze(self, g, axes):
        return self.xp.expand_dims(g, axes)

    def cat(self, parts, dim):
        return self.xp.concatenate(parts, axis=dim)

    def stack(self, parts, dim):
        return self.xp.stack(parts, axis=dim)

    def zeros(self, shape, like):
        return self.xp.zeros(shape, dtype=like.dtype)

    @staticmethod
    def move(g, dev):
        return _move(g, dev)

    @staticmethod
    def index(g, idx):
        return g[idx]

    def index_grad(self, g, shape, idx):
        """A zero array of ``shape`` with ``g`` added at ``idx`` (repeated indices accumulate)."""
        out = self.xp.zeros(shape, dtype=g.dtype)
        if _is_basic(idx):
            out[idx] = g
        elif self.xp is np:
            np.add.at(out, idx, g)
        else:  # CuPy: the scatter-add kernel of cupyx
            import cupyx
            cupyx.scatter_add(out, idx, g)
        return out


_MATH = {}


def array_math(arr):
    xp = _module_of(arr)
    m = _MATH.get(xp)
    if m is None:
        m = _MATH[xp] = ArrayMath(xp)
    return m


_XP_BY_TYPE = {np.ndarray: np}


def _module_of(arr):
    """numpy or cupy for ``arr``, cached by type (this runs for every op on the GPU)."""
    xp = _XP_BY_TYPE.get(type(arr))
    if xp is None:
        from ._device import array_module
        xp = _XP_BY_TYPE[type(arr)] = array_module(arr)
    return xp


def _join_grads(m, grads, dim, sections, shape):
    """The input's gradient from its pieces' (``sections`` along ``dim``, or for ``unbind``
    (None) one slice per index): concatenated (stacked), zeros where a piece got none."""
    like = next(g for g in grads if g is not None)
    parts = []
    for i, g in enumerate(grads):
        if g is None:
            n = 1 if sections is None else sections[i]
            piece = tuple(shape[:dim]) + ((n,) if sections is not None else ()) + tuple(shape[dim + 1:])
            g = m.zeros(piece, like)
        parts.append(g)
    return m.stack(parts, dim) if sections is None else m.cat(parts, dim)


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


def _index_put(a, v, idx):
    out = a.copy()
    out[idx] = v
    return out


def _copy_slices_grad(m, g, i, idx, mask, inner):
    """PyTorch's ``CopySlices``: the inner node (the in-place op on the view) runs on the view's
    region of the gradient; the base gets the gradient with that region replaced by what the
    inner node gives the view, every other input what the inner node gives it."""
    from ._graph import SECOND_BACKWARD
    if inner._freed:
        raise RuntimeError(SECOND_BACKWARD)
    create_graph = not isinstance(m, ArrayMath)
    if inner._op.saves:
        from .autograd import _unpack_saved
        saved = _unpack_saved(inner, create_graph)
    else:
        saved = ()
    rule = inner._op.vjp(i)
    region = m.index(g, idx)
    gi = rule(m, region, *saved, **inner._kw) if inner._kw else rule(m, region, *saved)
    if i:
        return gi
    kept = m.where(m.const(mask), 0.0, g)
    if gi is None:
        return kept
    if tuple(gi.shape) != tuple(inner._shapes[0]):
        gi = m.sum_to(gi, inner._shapes[0])
    return kept + m.index_grad(gi, g.shape, idx)


def _as_view_index(idx):
    """``idx`` with a trailing ``...``: numpy then returns a 0-d view where a bare integer
    index would give a scalar copy (``a[0]`` of a vector must stay a view of ``a``)."""
    return (idx + (Ellipsis,)) if isinstance(idx, tuple) else (idx, Ellipsis)


def _is_basic(idx):
    items = idx if isinstance(idx, tuple) else (idx,)
    return all(i is None or i is Ellipsis or isinstance(i, (int, slice)) for i in items)


def _normdims(dim, ndim):
    if dim is None:
        return tuple(range(ndim))
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    return tuple(sorted(d % ndim if ndim else 0 for d in dims))


def _unreduce(m, g, shape, dim, keepdim):
    """Give a reduced gradient back the reduced dims so that it broadcasts against the input."""
    if dim is not None and not keepdim and len(shape):
        g = m.unsqueeze(g, _normdims(dim, len(shape)))
    return g


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
      (lambda m, g, r: g * (1.0 - r * r),), saves=("result",))
defop("sigmoid", "SigmoidBackward0", lambda a: _sigmoid(a),
      (lambda m, g, r: g * r * (1.0 - r),), saves=("result",))
defop("relu", "ReluBackward0", lambda a: np.maximum(a, 0) if type(a) is np.ndarray else _xp(a).maximum(a, 0),
      (lambda m, g, r: g * m.const(_raw(r) > 0),), saves=("result",))
defop("clamp", "ClampBackward1", lambda a, min=None, max=None: _clip(a, min, max),
      (lambda m, g, a, min=None, max=None: g * m.const(_inside(_raw(a), min, max)),),
      saves=("self",))
defop("clamp_tensor", "ClampBackward0", lambda a, lo, hi: _clip(a, lo, hi),
      (lambda m, g, a, lo, hi: g * m.const(_inside(_raw(a), _raw(lo), _raw(hi))),
       lambda m, g, a, lo, hi: g * m.const(_raw(a) < _raw(lo)),
       lambda m, g, a, lo, hi: g * m.const(_raw(a) > _raw(hi))),
      saves=(("self", 0), ("min", 1), ("max", 2)))
# An in-place op on a view, recorded on the base (made by _indexing._inplace_on_view, never
# run forward): edge 0 is the base's old node, the others the inner op's other inputs.
defop("copy_slices", "CopySlices", None,
      lambda m, g, i, idx, mask, inner: _copy_slices_grad(m, g, i, idx, mask, inner))
# several outputs (see _graph.apply_multi; never run through apply): the pieces' gradients
# joined back, zeros for pieces that got none
for _name, _node in (("split", "SplitBackward0"), ("split_with_sizes", "SplitWithSizesBackward0"),
                     ("unbind", "UnbindBackward0")):
    defop(_name, _node, None,
          (lambda m, grads, dim, sections, shape, outputs: _join_grads(m, grads, dim, sections,
                                                                       shape),))
defop("index_put", "IndexPutBackward0", lambda a, v, idx, mask: _index_put(a, v, idx),
      (lambda m, g, idx, mask: m.where(m.const(mask), 0.0, g),
       lambda m, g, idx, mask: m.index(g, idx)))
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
# the view's node the same way)
defop("as_strided", "AsStridedBackward0", lambda a, idx, in_shape: a[idx],
      (lambda m, g, idx, in_shape: m.index_grad(g, in_shape, idx),))
defop("to_device", "ToCopyBackward0", lambda a, device, source: _move(a, device),
      (lambda m, g, device, source: m.move(g, source),))
defop("to_copy", "ToCopyBackward0", lambda a, dtype: a.astype(dtype),
      (lambda m, g, dtype: g,))

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
      (lambda m, g, shape: m.expand(g / float(max(math.prod(shape), 1)), shape),))
defop("mean_dim", "MeanBackward1",
      lambda a, dim, keepdim, shape: _mean(a, dim, keepdim),
      (lambda m, g, dim, keepdim, shape: m.expand(
          _unreduce(m, g, shape, dim, keepdim) / float(_count(shape, dim)), shape),))
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

# ---------------------------------------------------------------- shape and indexing
for _name, _node in (("view", "ViewBackward0"), ("unsafe_view", "UnsafeViewBackward0"),
                     ("reshape_alias", "ReshapeAliasBackward0"),
                     ("squeeze", "SqueezeBackward0"), ("squeeze_dim", "SqueezeBackward1"),
                     ("squeeze_dims", "SqueezeBackward2"), ("squeeze4", "SqueezeBackward4"),
                     ("unsqueeze", "UnsqueezeBackward0")):
    defop(_name, _node, lambda a, shape, in_shape: a.reshape(shape),
          (lambda m, g, shape, in_shape: m.reshape(g, in_shape),))
defop("permute", "PermuteBackward0", lambda a, dims: a.transpose(dims),
      (lambda m, g, dims: m.permute(g, tuple(np.argsort(dims))),))
defop("transpose", "TransposeBackward0", lambda a, dim0, dim1: a.swapaxes(dim0, dim1),
      (lambda m, g, dim0, dim1: m.swapaxes(g, dim0, dim1),))
defop("t", "TBackward0", lambda a: a.T, (lambda m, g: m.permute(g, tuple(range(g.ndim))[::-1]),))
defop("expand", "ExpandBackward0", lambda a, shape: _xp(a).broadcast_to(a, shape),
      (lambda m, g, shape: g,))  # the engine's sum_to undoes the broadcast
defop("select", "SelectBackward0", lambda a, idx, in_shape: a[_as_view_index(idx)],
      (lambda m, g, idx, in_shape: m.index_grad(g, in_shape, idx),))
defop("slice", "SliceBackward0", lambda a, idx, in_shape: a[idx],
      (lambda m, g, idx, in_shape: m.index_grad(g, in_shape, idx),))
defop("index", "IndexBackward0", lambda a, idx, in_shape: a[idx],
      (lambda m, g, idx, in_shape: m.index_grad(g, in_shape, idx),))
defop("index_grad", "IndexBackwardBackward0", lambda g, shape, idx: _index_grad_fwd(g, shape, idx),
      (lambda m, gg, shape, idx: m.index(gg, idx),))
defop("cat", "CatBackward0", lambda *arrays, dim, sizes: _xp(arrays[0]).concatenate(arrays, axis=dim),
      lambda m, g, i, dim, sizes: m.index(
          g, (slice(None),) * dim + (slice(sum(sizes[:i]), sum(sizes[:i + 1])),)))
defop("stack", "StackBackward0", lambda *arrays, dim: _xp(arrays[0]).stack(arrays, axis=dim),
      lambda m, g, i, dim: m.index(g, (slice(None),) * dim + (i,)))

# ---------------------------------------------------------------- linear algebra
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

# ---------------------------------------------------------------- losses
defop("mse_loss", "MseLossBackward0", lambda a, b, reduction: _reduce((a - b) ** 2, reduction),
      (lambda m, g, a, b, reduction: _loss_scale(g, a, reduction) * 2.0 * (a - b),
       lambda m, g, a, b, reduction: _loss_scale(g, a, reduction) * -2.0 * (a - b)),
      saves=("self", "other"))
defop("nll_loss", "NllLossBackward0", lambda a, target, reduction, shape: _nll(a, target, reduction),
      (lambda m, g, target, reduction, shape: _nll_grad(m, g, target, reduction, shape),))


# ---------------------------------------------------------------- helpers for the table
def _xp(a):
    return np if type(a) is np.ndarray else _module_of(a)


def _raw(x):
    """The array behind a tensor (rules see tensors under create_graph) or the value itself."""
    return getattr(x, "_data", x)


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


def _sigmoid(a):
    xp = _xp(a)
    e = xp.exp(-xp.abs(a))
    return xp.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)


def _count(shape, dim):
    dims = _normdims(dim, len(shape))
    n = 1
    for d in dims:
        n *= shape[d] if shape else 1
    return n


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


def _move(a, dev):
    from ._device import move
    return move(a, dev)


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


def _index_grad_fwd(g, shape, idx):
    return array_math(g).index_grad(g, shape, idx)


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


# the rest of the table: tensor manipulation and the neural-network ops
from . import derivatives_nn  # noqa: E402,F401

"""The registry of derivative rules: ``OpDef`` (an op's forward and its vjp per input, side by
side, as in PyTorch's ``derivatives.yaml``), ``defop`` and the table ``OPS`` it fills.

A vjp receives ``m`` (array math for a plain backward, tensor math under ``create_graph=True``,
so the same rule builds higher-order graphs), the incoming gradient and the saved values, and
returns the gradient for its input *before* broadcasting is undone (the engine calls
``m.sum_to`` once, for every op: see ``_graph.apply``).
"""
import dis
import inspect

import numpy as np

__all__ = ["OpDef", "OPS", "defop", "VIEW_OPS", "MULTI_OUTPUT_OPS"]


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


def _unwrap(rule):
    """The function whose bytecode is the rule: through ``__wrapped__`` (``_quiet``,
    ``functools.wraps``) and, for a bound method, its function."""
    fn = inspect.unwrap(rule)
    return getattr(fn, "__func__", fn)


_LOADS = frozenset(("LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_FAST_AND_CLEAR", "LOAD_FAST_LOAD_FAST",
                    "LOAD_DEREF", "LOAD_CLOSURE", "LOAD_FAST_BORROW",
                    "LOAD_FAST_BORROW_LOAD_FAST_BORROW"))


def _reads(rule, n_saved):
    """Which saved values (the positional parameters after ``m, g``) vjp ``rule`` reads, from
    its bytecode; all of them when that cannot be told."""
    everything = frozenset(range(n_saved))
    if rule is None:
        return frozenset()
    fn = _unwrap(rule)
    first = 3 if inspect.ismethod(inspect.unwrap(rule)) else 2   # after (self,) m, g
    code = getattr(fn, "__code__", None)
    if code is None or code.co_flags & inspect.CO_VARARGS or \
            code.co_argcount < first + n_saved:
        return everything
    params = code.co_varnames[first:first + n_saved]
    loaded = set(code.co_cellvars)   # captured by a nested function: read there
    for ins in dis.get_instructions(code):
        if ins.opname in _LOADS:
            loaded.update(ins.argval if isinstance(ins.argval, tuple) else (ins.argval,))
    return frozenset(j for j, p in enumerate(params) if p in loaded)


# Ops whose result is a view of their first input (PyTorch's view ops).
VIEW_OPS = frozenset(("view", "reshape_alias", "t", "transpose", "permute", "expand", "select",
                      "slice", "squeeze", "squeeze_dim", "squeeze_dims", "squeeze4", "unsqueeze"))

# Ops with several outputs (one node, one output each): views of the input (split, unbind;
# made by _graph.apply_multi) or new tensors (linalg_svd; _graph.apply_outputs); their rule
# gets the list of the outputs' gradients (None where none arrived).
MULTI_OUTPUT_OPS = frozenset(("split", "split_with_sizes", "unbind", "linalg_svd"))

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
_QUIET = frozenset(("div", "pow_tensor", "rpow", "reciprocal", "log", "sqrt", "linalg_svd",
                    "var", "std"))


def _quiet(fn):
    if fn is None:
        return None

    def quiet(*args, **kw):
        with np.errstate(all="ignore"):
            return fn(*args, **kw)
    quiet.__wrapped__ = fn   # what the rule reads (see _reads)
    return quiet


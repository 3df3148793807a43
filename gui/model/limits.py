"""The budgets of a script run: wall-clock time checked at every loop turn and call, a cap on
the elements of any tensor or container (checked before numpy allocates where we can), and a cap
on the memory the run adds to the process (checked with the clock, and before big allocations)."""
from __future__ import annotations

import ast
import builtins
import collections
import inspect
import math
import operator
import os
import re
import sys
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any

import numpy as np

from .i18n import Text, translate

__all__ = ["BudgetExceeded", "Limits", "AST_BINOPS", "AST_COMPARES", "resident_bytes",
           "MAX_MEMORY", "refusal", "shown_text"]

BINOPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
          "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "@": operator.matmul,
          "<<": operator.lshift, ">>": operator.rshift, "&": operator.and_, "|": operator.or_,
          "^": operator.xor}
INPLACE = {"+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
           "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow,
           "@=": operator.imatmul, "<<=": operator.ilshift, ">>=": operator.irshift,
           "&=": operator.iand, "|=": operator.ior, "^=": operator.ixor}
COMPARES = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
            "==": operator.eq, "!=": operator.ne}
AST_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
              ast.Mod: "%", ast.Pow: "**", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
              ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^"}
AST_COMPARES = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
                ast.NotEq: "!="}

MAX_MEMORY = 768 << 20           # bytes a run may add to the process by default (768 MiB)
MEMORY_EVERY = 0.002              # seconds between two reads of the resident memory
BIG_ALLOCATION = 1 << 20          # elements from which a planned size is checked against it
MODPOW_COST = 1e11                # pow(a, b, m): bits(b) * bits(m)**1.6 (4096-bit RSA: 2.5e9)
INT_MATMUL_COST = 2_000_000_000   # multiply-adds of an integer matmul (numpy has no BLAS for it)
MAX_INT_BITS = 1_000_000          # bigger Python ints take C-level time we cannot interrupt
MAX_DIMS = 64
_NUMBERS = (int, float, bool, complex)
_SEQUENCES = (str, bytes, list, tuple, collections.deque)
_FAST = frozenset({int, float, bool, complex})   # operands no check is needed for...
_GROWS = frozenset({"*", "**", "<<"})            # ...unless the operator can blow up
_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?")
_PERCENT_SIZES = re.compile(r"%[-#0 +]*(\d*)(?:\.(\d*))?")
_SIZED_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join",
                            "extend", "to_bytes", "translate", "hex"})
# Methods that run a C loop over an iterable argument: an unsized one is drawn through
# ``counted`` first (budget checked per item, at most the element cap).
_ITERABLE_METHODS = frozenset({
    "join", "extend", "extendleft", "update", "union", "intersection", "difference",
    "symmetric_difference", "intersection_update", "difference_update",
    "symmetric_difference_update", "issubset", "issuperset", "isdisjoint", "fromkeys",
    "subtract"})

# Creation functions and methods whose result size is known from their arguments.
_SIZE_VARARGS = frozenset({"ones", "zeros", "empty", "rand", "randn"})
_SIZE_AFTER_SELF = frozenset({"new_ones", "new_zeros", "new_empty", "expand", "broadcast_to"})
_SUM_OF_INPUTS = frozenset({"cat", "concat", "concatenate", "stack", "hstack", "vstack",
                            "dstack", "column_stack"})
# Functions that turn nested sequences into a tensor or array (numpy sizes them by len()).
# f-string conversions by their code: !s, !r, !a
_CONVERSION_FUNCS: dict[int, Callable[[Any], str]] = {115: str, 114: repr, 97: ascii}
_CONVERSIONS = frozenset({"tensor", "as_tensor", "asarray", "array", "Tensor", "new_tensor",
                          "asanyarray", "ascontiguousarray"})
_MATMUL = frozenset({"matmul", "mm", "bmm", "mv", "dot", "@"})
_OUTER = frozenset({"outer", "ger", "kron"})


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker name
    """Marks ``text`` for pyside6-lupdate; translated where it is shown (`_noun`)."""
    return text


#: what a size check names, in English where it is made (hot paths), translated when it fails
_NOUNS = frozenset({
    QT_TRANSLATE_NOOP("Limits", "a tensor"), QT_TRANSLATE_NOOP("Limits", "data"),
    QT_TRANSLATE_NOOP("Limits", "a repeated sequence"),
    QT_TRANSLATE_NOOP("Limits", "a joined sequence"),
    QT_TRANSLATE_NOOP("Limits", "a formatted value"), QT_TRANSLATE_NOOP("Limits", "unpacking"),
    QT_TRANSLATE_NOOP("Limits", "an iterator")})


def _noun(what: str) -> str:
    return translate("Limits", what) if what in _NOUNS and type(what) is str else what


class BudgetExceeded(BaseException):
    """A script ran out of time or made something too big (a BaseException, so that no
    ``except Exception`` swallows it; ``Limits`` re-raises it after any handler that did)."""


def refusal(cls: Callable[[str], BaseException], text: str) -> BaseException:
    """The exception ``cls(text)`` that gradtrace raises for a script; ``text`` (a translated
    `Text`) is kept beside its message, for the error to be shown again in another language.

    >>> shown_text(refusal(TypeError, translate("Sandbox", "not in scripts")))
    'not in scripts'
    """
    exc = cls(str(text))
    exc._gt_text = text        # type: ignore[attr-defined]   # scripts read no _private names
    return exc


def shown_text(exc: BaseException) -> str | None:
    """The translated text gradtrace raised ``exc`` with (see `refusal`), or None."""
    text = getattr(exc, "__dict__", {}).get("_gt_text") if isinstance(
        getattr(exc, "__dict__", None), dict) else None
    return text if type(text) is Text else None


class Limits:
    """Time budget and element cap for one run; its methods are the script's hooks.

    Parameters
    ----------
    time_budget : float
        Seconds of run time; ``arm(seconds)`` starts the clock, ``check_time()`` checks it.
    max_elements : int
        The most elements one tensor, array or container made by the script may hold.
    tensor_type : type
        The engine's ``Tensor`` (its results are size-checked and tagged with the scope).
    max_memory : int
        The most bytes the run may add to the process's resident memory (0: no cap), measured
        from when the limits are made: many objects each under ``max_elements`` (a list of
        30 strings of 49 MB) are stopped too, every ``MEMORY_EVERY`` seconds and before an
        allocation of a planned size would pass it.
    """

    def __init__(self, time_budget=10.0, max_elements=50_000_000, tensor_type=(),
                 max_memory=MAX_MEMORY):
        self.time_budget = float(time_budget)
        self.max_elements = int(max_elements)
        self.max_memory = int(max_memory) if resident_bytes() else 0   # 0: cannot be measured
        if self.max_memory:
            _release_free_memory()
        self.baseline = resident_bytes()
        self._next_memory = -math.inf
        self.tensor_type = tensor_type
        self.array_types = (tensor_type, np.ndarray) if tensor_type else (np.ndarray,)
        self.deadline = -math.inf                  # disarmed: script code may not run
        self.tripped: str | None = None           # the budget the run exceeded, once it has
        self.scopes: list[tuple[str, int]] = []   # (function name, newest node seen at entry)
        self.newest = -1                          # newest node sequence number seen so far
        self.opaque = lambda obj: False           # the guards': is obj the script's own object

    # ---------------------------------------------------------------- time
    def arm(self, seconds: float) -> None:
        """Start the clock: ``check_time`` raises once ``seconds`` have passed."""
        self.deadline = time.perf_counter() + seconds

    def disarm(self) -> None:
        """Stop the clock: from now on script code (a hook, a generator's ``finally``) that
        something else calls raises at its first check instead of running unbudgeted."""
        self.deadline = -math.inf

    def exceeded(self, message: str) -> BudgetExceeded:
        """The ``BudgetExceeded`` to raise; the run stays over budget from now on, whatever
        the script catches (``reraise`` and every later check raise it again)."""
        if self.tripped is None:
            self.tripped = message
        return refusal(BudgetExceeded, message)  # type: ignore[return-value]

    def reraise(self) -> None:
        """``_reraise_()``: the first statement of every ``except`` and ``finally`` body."""
        if self.tripped is not None:
            raise refusal(BudgetExceeded, self.tripped)

    def check_time(self) -> None:
        """``_budget_()``: called at the top of every loop turn and lambda (the memory cap is
        checked here too, every ``MEMORY_EVERY`` seconds)."""
        if self.tripped is not None:
            raise refusal(BudgetExceeded, self.tripped)
        now = time.perf_counter()
        if now > self.deadline:
            if self.deadline == -math.inf:
                raise refusal(BudgetExceeded, translate(
                    "Limits", "script code cannot run outside the script's run"))
            raise self.exceeded(translate("Limits", "time budget of {seconds} s exceeded").format(
                seconds=f"{self.time_budget:g}"))
        if now >= self._next_memory and self.max_memory:
            self._next_memory = now + MEMORY_EVERY
            self.check_memory()

    def check_memory(self, planned: int = 0, what: str = "") -> None:
        """Raise once the run has added more than ``max_memory`` bytes to the process, or would
        with ``planned`` bytes more (``what`` makes them)."""
        if not self.max_memory:
            return
        resident = resident_bytes()
        if resident < self.baseline:   # what the app freed since is no credit for the script
            self.baseline = resident
        grown = resident - self.baseline
        if grown + planned <= self.max_memory:
            return
        cap = _mib(self.max_memory)
        if planned and grown <= self.max_memory:
            raise self.exceeded(translate(
                "Limits", "{what} would need {need} MB, past the memory limit of {cap} MB for "
                          "a run ({used} MB in use)").format(
                what=_noun(what), need=_mib(planned), cap=cap, used=_mib(max(grown, 0))))
        raise self.exceeded(translate(
            "Limits", "memory limit of {cap} MB for a run exceeded ({used} MB in use)").format(
            cap=cap, used=_mib(grown)))

    def tick(self) -> bool:
        """``_tick_()``: the first condition of every comprehension; always true."""
        self.check_time()
        return True

    def enter(self, name: str) -> None:
        """``_enter_(name)``: a user function starts (budget check, scope for grouping)."""
        self.check_time()
        self.scopes.append((name, self.newest))

    def leave(self) -> None:
        if self.scopes:
            self.scopes.pop()

    # ---------------------------------------------------------------- elements
    def check_numel(self, n: int, what: str) -> None:
        if n > self.max_elements:
            raise self.exceeded(translate(
                "Limits", "{what} would hold {count} elements, more than the limit of "
                          "{limit}").format(what=_noun(what), count=f"{n:,}",
                                            limit=f"{self.max_elements:,}"))
        if n >= BIG_ALLOCATION and self.max_memory:
            self.check_memory(n, what)    # an element takes a byte at least

    def result(self, value: Any) -> Any:
        """Check (and tag with the current scope) a tensor, array or tuple the script gets; a
        module's own parameters and buffers too (its submodules were checked when made)."""
        if isinstance(value, self.array_types):
            self._check_array(value)
        elif type(getattr(value, "__dict__", None)) is dict and \
                type(value.__dict__.get("_parameters")) is dict:   # an nn.Module
            for store in ("_parameters", "_buffers"):
                tensors = value.__dict__.get(store)
                for tensor in tensors.values() if type(tensors) is dict else ():
                    if isinstance(tensor, self.array_types):
                        self.check_numel(_prod(tensor.shape), translate(
                            "Limits", "a parameter of {module}(...)").format(
                            module=type(value).__name__))
        elif type(value) in (tuple, list) and len(value) <= 64:
            for item in value:
                if isinstance(item, self.array_types):
                    self._check_array(item)
        return value

    def _check_array(self, value):
        self.check_numel(_prod(value.shape), "a tensor")
        if isinstance(value, np.ndarray) and value.dtype.kind in "OVSUMm":
            raise refusal(TypeError, translate(
                "Sandbox", "object, string, void and datetime arrays are not available in "
                           "scripts"))
        node = getattr(value, "grad_fn", None) if isinstance(value, self.tensor_type) else None
        if node is None:
            return
        seq_nr = getattr(node, "_sequence_nr", None)
        seq = seq_nr() if seq_nr is not None else self.newest + 1
        if self.scopes and seq > self.scopes[-1][1]:
            meta = getattr(node, "metadata", None)
            if isinstance(meta, dict):
                meta.setdefault("scope", self.scopes[-1][0])
        self.newest = max(self.newest, seq)

    def checked(self, func: Callable[..., Any], name: str,
                bound_self: Any = None) -> Callable[..., Any]:
        """``func`` as scripts call it: planned size checked first, result checked after.
        ``bound_self`` is the tensor a bound method belongs to (size rules see it first)."""
        def call(*args, **kwargs):
            planned = args if bound_self is None else (bound_self,) + args
            if name in _CONVERSIONS:
                self.check_convertible(name, args, kwargs)
            n = self.planned_numel(name, planned, kwargs)
            if n is not None:
                self.check_numel(n, f"{name}(...)")
            for arg in args:
                if type(arg) in (list, tuple, range):
                    self.check_data(arg)
            if isinstance(func, type):
                layer = _layer_numel(func, args, kwargs)
                if layer is not None:
                    self.check_numel(layer, translate("Limits", "{name}(...)'s weight").format(
                        name=name))
            return self.result(func(*args, **kwargs))
        return call

    def check_convertible(self, name: str, args: tuple, kwargs: dict[str, Any]) -> None:
        """Refuse the script's own objects as data: numpy would size them by their ``__len__``
        and allocate before reading a single item."""
        for data in list(args[:2]) + list(kwargs.values()):
            for _ in range(MAX_DIMS):
                if self.opaque(data):
                    raise refusal(TypeError, translate(
                        "Sandbox", "{name}(): cannot convert a {type} object in scripts; pass a "
                                   "list, a tuple, a tensor or an array").format(
                        name=name, type=type(data).__name__))
                if not isinstance(data, (list, tuple)) or not data:
                    break
                data = data[0]

    def check_data(self, data: Any) -> None:
        """Refuse nested lists/ranges that would become a tensor over the cap."""
        if type(data) in (list, tuple, range):
            self.check_numel(_data_numel(data), "data")

    def planned_numel(self, name: str, args: tuple, kwargs: dict[str, Any]) -> int | None:
        """Elements ``name(*args, **kwargs)`` would make, from its arguments, or None."""
        try:
            if name in _SIZE_VARARGS or name == "Tensor" and args and all(
                    isinstance(a, int) for a in args):
                return _size_numel(kwargs.get("size", args))
            if name in _SIZE_AFTER_SELF:
                size = kwargs.get("size", args[1:])
                if name in ("expand", "broadcast_to"):
                    size = [1 if s == -1 else s for s in _as_size(size) or ()]
                return _size_numel(size)
            if name == "full":
                return _size_numel(kwargs.get("size", args[0] if args else ()))
            if name == "new_full":
                return _size_numel(kwargs.get("size", args[1] if len(args) > 1 else ()))
            if name == "randint":
                size = kwargs.get("size")
                if size is None:
                    size = next((a for a in args if isinstance(a, (tuple, list))), ())
                return _size_numel(size)
            if name == "arange":
                return _arange_numel(args, kwargs)
            if name in ("linspace", "logspace"):
                return int(kwargs.get("steps", args[2] if len(args) > 2 else 0))
            if name == "eye":
                n = kwargs.get("n", args[0] if args else 0)
                return int(n) * int(kwargs.get("m", args[1] if len(args) > 1 else n))
            if name in ("tensor", "as_tensor", "asarray", "Tensor", "new_tensor"):
                data = args[1] if name == "new_tensor" and len(args) > 1 else (
                    args[0] if args else kwargs.get("data"))
                return _data_numel(data)
            if name == "one_hot":   # F.one_hot(tensor, num_classes): one row per element
                classes = int(kwargs.get("num_classes", args[1] if len(args) > 1 else -1))
                return _prod(_shape(args[0]) or ()) * classes if classes > 0 else None
            if name in ("repeat", "tile"):
                reps = _as_size(args[1] if len(args) == 2 else args[1:]) or ()
                return _prod(_shape(args[0]) or ()) * _prod(reps)
            if name in _SUM_OF_INPUTS and args and isinstance(args[0], (list, tuple)):
                return sum(_prod(_shape(t) or ()) for t in args[0])
            shapes = [s for s in map(_shape, list(args[:3]) + list(kwargs.values())) if s]
            if len(shapes) == 2 and name in _MATMUL:
                self._check_int_matmul(args, shapes)
                return _matmul_numel(*shapes)
            if len(shapes) == 2 and name in _OUTER:
                return _prod(shapes[0]) * _prod(shapes[1])
            if len(shapes) >= 2:
                return _prod(np.broadcast_shapes(*shapes))
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        return None

    def _check_int_matmul(self, operands, shapes) -> None:
        """Refuse an integer matmul of more than ``INT_MATMUL_COST`` multiply-adds: numpy
        runs it in plain C loops (an int64 5,000 x 5,000 @ itself: minutes, uninterruptible)."""
        kinds = {getattr(getattr(x, "dtype", None), "kind", None) for x in operands[:2]}
        if not kinds & {"i", "u", "b"}:
            names = {str(getattr(x, "dtype", "")) for x in operands[:2]}
            if not any(k.startswith(("torch.int", "torch.uint", "torch.bool", "int", "uint",
                                     "bool")) for k in names):
                return
        sa, sb = shapes
        inner = sa[-1] if sa else 1
        if _matmul_numel(sa, sb) * inner > INT_MATMUL_COST:
            raise self.exceeded(translate(
                "Limits", "an integer matmul of shapes {a} and {b} would take longer than a "
                          "script may run uninterrupted").format(a=str(tuple(sa)),
                                                                  b=str(tuple(sb))))

    def checked_math(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """``math.<name>``: the few functions that can loop in C get an argument check."""
        if name in ("factorial", "comb", "perm"):
            def call(*args):
                if any(isinstance(a, int) and a > 100_000 for a in args):
                    raise self.exceeded(translate(
                        "Limits", "math.{name} argument too large for a script").format(name=name))
                return func(*args)
            return call
        if name in ("prod", "fsum"):
            return lambda iterable, **k: func(self.iterate(iterable), **k)
        if name in ("lcm", "gcd", "isqrt"):
            # one C call whose time grows with the digits (lcm(*range(1, 200000)): 17 s)
            limit = MAX_INT_BITS if name == "isqrt" else MAX_INT_BITS // 5

            def digits(*args):
                if sum(abs(a).bit_length() for a in args if type(a) in (int, bool)) > limit:
                    raise self.exceeded(translate(
                        "Limits", "math.{name} argument too large for a script").format(name=name))
                return func(*args)
            return digits
        return func

    # ---------------------------------------------------------------- operators
    def binop(self, op: str, a: Any, b: Any) -> Any:
        """``_binop_(op, a, b)``: ``a op b``, after checking the size it would make."""
        if type(a) in _FAST and type(b) in _FAST and op not in _GROWS:
            return BINOPS[op](a, b)
        self._check_operands(op, a, b)
        return self.result(BINOPS[op](a, b))

    def inplacevar(self, op: str, a: Any, b: Any) -> Any:
        """``_inplacevar_``: RestrictedPython's ``a op= b`` for names."""
        if type(a) in _FAST and type(b) in _FAST and op[:-1] not in _GROWS:
            return INPLACE[op](a, b)
        if op == "+=" and type(a) in (list, collections.deque) and _length(b) is None:
            b = list(self.counted(b, "'+='"))           # list += iterator extends in C
        self._check_operands(op[:-1], a, b)
        return self.result(INPLACE[op](a, b))

    def compare(self, op: str, a: Any, b: Any) -> Any:
        """``_compare_(op, a, b)``: a single comparison, size-checked like ``binop``."""
        if type(a) in _FAST and type(b) in _FAST:
            return COMPARES[op](a, b)
        self._check_operands(op, a, b)
        return self.result(COMPARES[op](a, b))

    def pow(self, base: Any, exp: Any, mod: Any = None) -> Any:
        if mod is None:
            self._check_operands("**", base, exp)
        elif type(exp) in (int, bool) and type(mod) in (int, bool) and \
                abs(exp).bit_length() * abs(mod).bit_length() ** 1.6 > MODPOW_COST:
            # pow(3, 10**100000, 10**100000 + 1) squares a 332,000-bit number 332,000 times
            raise self.exceeded(translate("Limits", "integer result too large for a script"))
        return pow(base, exp, mod)

    def _check_operands(self, op, a, b):
        ta, tb = type(a), type(b)
        if ta in (int, bool) and tb in (int, bool):
            if op == "**" and b > 1 and abs(a) > 1 and b * abs(a).bit_length() > MAX_INT_BITS \
                    or op == "<<" and b > MAX_INT_BITS \
                    or op == "*" and a.bit_length() + b.bit_length() > MAX_INT_BITS:
                raise self.exceeded(translate("Limits", "integer result too large for a script"))
            return
        if ta in _NUMBERS and tb in _NUMBERS:
            return
        arrays = self.array_types
        if isinstance(a, (np.ndarray, np.generic)) and self.opaque(b) or \
                isinstance(b, (np.ndarray, np.generic)) and self.opaque(a):
            raise refusal(TypeError, translate(
                "Sandbox", "unsupported operand type(s) for {op} in scripts: numpy arrays do not "
                           "combine with your own objects").format(op=op))
        if isinstance(a, arrays) or isinstance(b, arrays):
            self.check_data(a)
            self.check_data(b)
            sa, sb = _shape(a), _shape(b)
            if sa is None or sb is None:
                return
            try:
                n = _matmul_numel(sa, sb) if op == "@" else _prod(np.broadcast_shapes(sa, sb))
            except (ValueError, TypeError):
                return
            if op == "@" and sa and sb:
                self._check_int_matmul((a, b), (sa, sb))
            if n > self.max_elements or n >= BIG_ALLOCATION:
                self.check_numel(n, translate("Limits", "'{op}' of shapes {a} and {b}").format(
                    op=op, a=str(tuple(sa)), b=str(tuple(sb))))
        elif op == "*" and (isinstance(a, _SEQUENCES) and tb is int
                            or isinstance(b, _SEQUENCES) and ta is int):
            seq, times = (a, b) if isinstance(a, _SEQUENCES) else (b, a)
            self.check_numel(len(seq) * times, "a repeated sequence")
        elif op == "+" and isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
            self.check_numel(len(a) + len(b), "a joined sequence")
        elif op == "%" and isinstance(a, (str, bytes)):
            for value in b if type(b) is tuple else (b,):
                self.check_text(value)
            text = a if isinstance(a, str) else a.decode("latin-1")
            sizes = [int(n) for pair in _PERCENT_SIZES.findall(text) for n in pair if n]
            if "*" in text:
                sizes += [n for n in (b if type(b) is tuple else (b,)) if type(n) is int]
            for n in sizes:
                self.check_numel(n, "a formatted value")

    def star(self, obj: Any) -> Any:
        """``*_star_(it)``: what C will unpack, refused over the cap (counted when unsized)."""
        n = _length(obj)
        if n is None:
            return self.counted(obj, "unpacking")
        self.check_numel(n, "unpacking")
        return obj

    def format(self, value: Any, conversion: int, spec: str) -> str:
        """``_format_``: ``f"{value!conversion:spec}"`` with the spec's width and precision
        checked (a huge width makes CPython allocate that many characters)."""
        self.check_text(value)
        if conversion != -1:
            value = _CONVERSION_FUNCS[conversion](value)
        match = _SPEC.match(spec)
        for group in match.groups() if match else ():
            if group and int(group) > self.max_elements:
                self.check_numel(int(group), "a formatted value")
        return format(value, spec)

    def check_text(self, obj: Any) -> Any:
        """``_text_(obj)``: refuse to make the text (``repr``, ``print``, an f-string) of nested
        containers that would exceed ``max_elements`` characters, as CPython writes it in one
        C call (a list aliased into itself 7 levels deep, ``a = [a] * 1000``, shows 10**21
        items); returns ``obj``. Each container is sized once (an alias adds its size again),
        a container shown inside itself counts as Python shows it (``[...]``), and nesting
        deeper than ``MAX_TEXT_DEPTH`` is left to repr (its RecursionError is the script's)."""
        if type(obj) not in _CONTAINERS:
            return obj
        limit, total, check = self.max_elements, 0, self.check_time
        sizes: dict[int, int] = {}
        on_path = {id(obj)}
        # (container, its items, the size of its text so far)
        stack: list[list[Any]] = [[obj, iter(obj.items() if type(obj) is dict else obj), 2]]
        steps = 0
        while stack:
            frame = stack[-1]
            item: Any = next(frame[1], _DONE)
            if item is _DONE:
                stack.pop()
                on_path.discard(id(frame[0]))
                sizes[id(frame[0])] = frame[2]
                if stack:
                    stack[-1][2] += frame[2]
                continue
            steps += 1
            if steps & 0x3FF == 0:
                check()
            size = 2
            if type(frame[0]) is dict:
                key, item = item
                size += _text_size(key)
            t = type(item)
            if t in _CONTAINERS:
                known = sizes.get(id(item))
                if known is not None:
                    size += known
                elif id(item) in on_path:
                    size += 5
                elif len(stack) < MAX_TEXT_DEPTH:
                    on_path.add(id(item))
                    frame[2] += size
                    total += size
                    stack.append([item, iter(item.items() if t is dict else item), 2])
                    continue
                else:
                    return obj
            else:
                size += _text_size(item)
            frame[2] += size
            total += size
            if total > limit or frame[2] > limit:
                raise self.exceeded(translate(
                    "Limits", "the text of this {type} would hold more than {limit} "
                              "characters").format(type=type(obj).__name__,
                                                   limit=f"{limit:,}"))
        return obj

    def text_of(self, func: Callable[[Any], str]) -> Callable[[Any], str]:
        """``repr`` / ``ascii`` for scripts: the text sized first (`check_text`)."""
        def text(obj: Any) -> str:
            self.check_text(obj)
            return func(obj)
        return text

    def checked_plain(self, obj: Any, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        """A str/bytes/list/dict method whose result size comes from its arguments (``ljust``,
        ``join``, ``extend``...), with that size checked first; other methods unchanged."""
        if name == "elements" and isinstance(obj, collections.Counter):
            return lambda: self.counted(method(), "Counter.elements()")
        if name not in _SIZED_METHODS and name not in _ITERABLE_METHODS:
            return method

        def call(*args, **kwargs):
            if name in _ITERABLE_METHODS:
                args = tuple(a if _length(a) is not None or isinstance(a, _NUMBERS)
                             else list(self.counted(a, f"{name}(...)")) for a in args)
            n = None
            if name in ("center", "ljust", "rjust", "zfill") and args:
                n = args[0]
            elif name == "expandtabs":
                n = len(obj) * kwargs.get("tabsize", args[0] if args else 8)
            elif name == "replace" and len(args) >= 2:
                n = len(obj) + (len(obj) + 1) * len(args[1])
            elif name == "to_bytes":            # int.to_bytes(length, ...)
                n = kwargs.get("length", args[0] if args else 1)
            elif name == "hex" and isinstance(obj, (bytes, bytearray)):
                n = len(obj) * (3 if args or "sep" in kwargs else 2)
            elif name == "translate" and args and isinstance(obj, str) and \
                    isinstance(args[0], dict) and len(args[0]) <= self.max_elements:
                n = len(obj) * max((len(v) for v in args[0].values() if type(v) is str),
                                   default=1)
            elif name in ("join", "extend") and args and _length(args[0]) is not None:
                items = args[0]
                n = len(obj) + (len(items) if name == "extend" else
                                sum(map(len, items)) + len(obj) * len(items))
            if isinstance(n, int):
                self.check_numel(n, f"{name}(...)")
            return method(*args, **kwargs)
        return call

    # ---------------------------------------------------------------- iteration
    def iterate(self, obj: Iterable[Any]) -> Iterator[Any]:
        """Iterate ``obj``, checking the time budget at every item (for builtins like sum)."""
        check = self.check_time
        for item in iter(obj):
            check()
            yield item

    def delegate(self, obj: Any) -> Generator[Any, Any, Any]:
        """``yield from _yieldfrom_(it)``: ``it``'s items with the budget checked for each,
        and its return value passed on."""
        it = iter(obj)
        check = self.check_time
        while True:
            check()
            try:
                item = next(it)
            except StopIteration as stop:
                return stop.value
            yield item

    def counted(self, obj: Iterable[Any], what: str) -> Iterator[Any]:
        """``iterate``, refusing more than ``max_elements`` items for containers built in C."""
        n = _length(obj)
        if n is not None:
            self.check_numel(n, what)
        limit, count = self.max_elements, 0
        for item in self.iterate(obj):
            count += 1
            if count > limit:
                self.check_numel(count, what)
            yield item

    def collector(self, cls: type) -> Callable[..., Any]:
        """The guarded constructor behind the script's ``list``, ``tuple``, ``dict``, ``set``."""
        what = f"{cls.__name__}(...)"

        def make(*args, **kwargs):
            if args and not (cls is dict and isinstance(args[0], dict)):
                args = (self.counted(args[0], what),) + args[1:]
            return cls(*args, **kwargs)
        return make

    def sorted(self, iterable: Iterable[Any], *, key: Callable[[Any], Any] | None = None,
               reverse: bool = False) -> list[Any]:
        return builtins.sorted(self.counted(iterable, "sorted(...)"), key=key, reverse=reverse)

    def sum(self, iterable: Iterable[Any], start: Any = 0) -> Any:
        return self.result(builtins.sum(self.iterate(iterable), start))

    def min(self, *args: Any, **kwargs: Any) -> Any:
        return builtins.min(*self._one_iterable(args), **kwargs)

    def max(self, *args: Any, **kwargs: Any) -> Any:
        return builtins.max(*self._one_iterable(args), **kwargs)

    def _one_iterable(self, args):
        return (self.iterate(args[0]),) if len(args) == 1 else args

    def any(self, iterable: Iterable[Any]) -> bool:
        return builtins.any(self.iterate(iterable))

    def all(self, iterable: Iterable[Any]) -> bool:
        return builtins.all(self.iterate(iterable))

    def enumerate(self, iterable: Iterable[Any], start: int = 0) -> Iterator[tuple[int, Any]]:
        return builtins.enumerate(self.iterate(iterable), start)

    def zip(self, *iterables: Iterable[Any], **kwargs: Any) -> Iterator[tuple[Any, ...]]:
        return builtins.zip(*(self.iterate(i) for i in iterables), **kwargs)

    def map(self, func: Callable[..., Any], *iterables: Iterable[Any]) -> Iterator[Any]:
        return builtins.map(func, *(self.iterate(i) for i in iterables))

    def filter(self, func: Callable[[Any], Any] | None, iterable: Iterable[Any]
               ) -> Iterator[Any]:
        return builtins.filter(func, self.iterate(iterable))

    def reversed(self, seq: Any) -> Iterator[Any]:
        return self.iterate(builtins.reversed(seq))


_CONTAINERS = frozenset({list, tuple, dict, set, frozenset, collections.deque})
_DONE: Any = object()
MAX_TEXT_DEPTH = 10_000


def _text_size(item: Any) -> int:
    t = type(item)
    return len(item) + 2 if t in (str, bytes) else 24 if t is int and item.bit_length() > 64 \
        else 1


def _mib(n: int) -> str:
    return f"{n / (1 << 20):,.0f}"


def resident_bytes() -> int:
    """The process's resident memory in bytes (Linux: now; elsewhere its peak so far), 0 where
    it cannot be read (no cap is kept then)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:   # Windows: the child process's job object caps it
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``), so that what
    an earlier run freed but the heap kept is not memory the next run gets uncounted."""
    global _TRIM
    if _TRIM is None:
        _TRIM = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes
                _TRIM = ctypes.CDLL(None).malloc_trim
            except (OSError, AttributeError):
                pass
    if _TRIM:
        _TRIM(0)


_TRIM: Any = None
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _length(obj):
    if isinstance(obj, (range, list, tuple, dict, set, frozenset, str, bytes, collections.deque,
                        type({}.keys()), type({}.values()), type({}.items()))):
        return len(obj)
    return None


def _prod(dims):
    n = 1
    for d in dims:
        n *= int(d)
    return n


def _shape(x):
    """The shape of a tensor or array, () for a Python number, None for anything else."""
    shape = getattr(x, "shape", None) if not isinstance(x, type) else None
    if isinstance(shape, tuple):
        return shape
    return () if type(x) in _NUMBERS else None


def _as_size(obj):
    """A size argument (``2, 3`` or ``(2, 3)``) as a tuple of ints, or None."""
    if isinstance(obj, (tuple, list)) and len(obj) == 1 and isinstance(obj[0], (tuple, list)):
        obj = obj[0]
    items = obj if isinstance(obj, (tuple, list)) else (obj,)
    if len(items) > MAX_DIMS:
        raise ValueError("too many dimensions")
    return tuple(operator.index(i) for i in items)


def _size_numel(size):
    dims = _as_size(size)
    return None if dims is None or any(d < 0 for d in dims) else _prod(dims)


def _arange_numel(args, kwargs):
    nums = list(args[:3])
    if len(nums) == 1:
        nums = [0, nums[0]]
    start, end, step = nums + [0, 0, 1][len(nums):]
    start, end, step = (float(kwargs.get(k, v)) for k, v in
                        (("start", start), ("end", end), ("step", step)))
    return max(0, math.ceil((end - start) / step)) if step else None


def _data_numel(data):
    """Elements ``torch.tensor(data)`` would make, following the first item of each level."""
    n = 1
    for _ in range(MAX_DIMS):
        shape = _shape(data)
        if shape is not None:
            return n * _prod(shape)
        if not isinstance(data, (list, tuple, range)):
            return n
        n *= len(data)
        if not len(data):
            return 0
        data = data[0]
    return n


def _matmul_numel(sa, sb):
    if len(sa) == 0 or len(sb) == 0:
        return _prod(np.broadcast_shapes(sa, sb))
    rows = sa[-2] if len(sa) >= 2 else 1
    cols = sb[-1] if len(sb) >= 2 else 1
    batch = np.broadcast_shapes(tuple(sa[:-2]), tuple(sb[:-2]))
    return _prod(batch) * rows * cols


# nn layers whose largest parameter is known from the constructor's arguments, checked before
# the layer allocates it (and fills it with random numbers); any other module's parameters are
# checked once it is made (`Limits.result`).
_CONV_DIMS = {"Conv1d": 1, "Conv2d": 2, "Conv3d": 3, "ConvTranspose1d": 1,
              "ConvTranspose2d": 2, "ConvTranspose3d": 3}


def _layer_numel(cls: type, args: tuple, kwargs: dict[str, Any]) -> int | None:
    """Elements of the largest parameter the nn layer ``cls(*args, **kwargs)`` would make
    (``Linear(10000, 8000)``: 80,000,000), or None for other classes and odd arguments."""
    name = cls.__name__
    if name not in ("Linear", "Embedding") and name not in _CONV_DIMS:
        return None
    try:
        bound = inspect.signature(cls).bind(*args, **kwargs).arguments
        if name == "Linear":
            return int(bound["in_features"]) * int(bound["out_features"])
        if name == "Embedding":
            return int(bound["num_embeddings"]) * int(bound["embedding_dim"])
        kernel = bound["kernel_size"]
        kernel = [int(kernel)] * _CONV_DIMS[name] if isinstance(kernel, int) else \
            [int(k) for k in kernel]
        return int(bound["in_channels"]) * int(bound["out_channels"]) // \
            max(int(bound.get("groups", 1)), 1) * _prod(kernel)
    except (TypeError, ValueError, KeyError, OverflowError):
        return None

"""What a user script may do: the ast policy (RestrictedPython plus our refusals and budget
checks) and the runtime guards and proxies the script sees instead of Python's builtins."""
from __future__ import annotations

import ast
import importlib
import inspect
import math
import types

import numpy as np
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence
from RestrictedPython.Guards import safe_builtins
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer

from .limits import AST_BINOPS, AST_COMPARES, Limits

__all__ = ["SCRIPT_FILENAME", "AccessRefused", "Guards", "ScriptPolicy"]

SCRIPT_FILENAME = "<script>"

# Names a script may not even mention (most are also absent from its builtins).
REFUSED_NAMES = frozenset({
    "exec", "eval", "compile", "open", "getattr", "setattr", "delattr", "hasattr", "globals",
    "locals", "vars", "dir", "type", "input", "breakpoint", "help", "memoryview", "object",
    "super", "classmethod", "staticmethod", "property", "exit", "quit", "iter", "next",
    "bytearray", "copyright", "credits", "license"})

# Public names never handed out, even when a module lists them (files, code, global state).
DENIED_NAMES = frozenset({
    "save", "load", "from_file", "compile", "hub", "jit", "library", "ops", "utils",
    "set_default_device", "set_printoptions", "iter_backward", "register_tensor_hook"})

# Public submodules of the engine a script may reach, by PyTorch's leaf names.
SUBMODULES = frozenset({
    "nn", "functional", "init", "autograd", "optim", "lr_scheduler", "cuda", "linalg", "fft",
    "special", "random"})

# What a script may read on a numpy array or scalar (no file, buffer or memory access).
NDARRAY_ATTRS = frozenset({
    "shape", "dtype", "ndim", "size", "T", "real", "imag", "itemsize", "nbytes", "sum", "mean",
    "max", "min", "argmax", "argmin", "std", "var", "prod", "cumsum", "cumprod", "all", "any",
    "tolist", "item", "reshape", "astype", "copy", "flatten", "ravel", "transpose", "squeeze",
    "round", "clip", "dot", "nonzero", "argsort", "conj", "trace", "diagonal", "swapaxes"})
NPDTYPE_ATTRS = frozenset({"name", "kind", "itemsize", "char"})

# Tensor attributes a script may assign (``x.requires_grad = True``, ``w.grad = None``).
TENSOR_WRITABLE = frozenset({"requires_grad", "grad", "data"})

PLAIN_TYPES = frozenset({
    int, float, complex, bool, str, bytes, list, tuple, dict, set, frozenset, range, slice,
    type(None)})
PLAIN_CLASSES = frozenset({int, float, complex, bool, str, range, slice})


_FROZEN = {dict: types.MappingProxyType, list: tuple, set: frozenset}


class AccessRefused(AttributeError):
    """A script reached for something the sandbox does not hand out."""


class ScriptPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy, narrowed to the tutorial dialect and instrumented for budgets.

    Refuses what RestrictedPython allows but scripts must not do (``while``, ``class``, ``try``,
    ``global``, generators, imports other than torch and math, builtins like ``type``) and
    inserts ``_budget_()`` at the top of every loop and lambda body, ``_tick_()`` as the first
    condition of every comprehension and ``_enter_(name)`` at the top of every function body.
    Operators become ``_binop_`` / ``_compare_`` calls, ``*it`` becomes ``*_star_(it)`` and
    ``f"{x:spec}"`` becomes ``_format_(x, conversion, spec)``, so that sizes are checked before
    numpy or CPython allocates. ``refusals`` lists ``(lineno, col, message)``.
    """

    def __init__(self, import_refusal):
        super().__init__()
        self.refusals: list[tuple[int, int, str]] = []
        self._import_refusal = import_refusal

    def error(self, node, info):
        super().error(node, info)
        where = (getattr(node, "lineno", 1) or 1, getattr(node, "col_offset", 0) or 0)
        self.refusals.append((*where, info))

    def _refuse(self, node, info):
        self.error(node, info)
        return node

    # ---------------------------------------------------------------- refused outright
    def visit_While(self, node):
        return self._refuse(node, "'while' loops are not allowed; use 'for' over a range")

    def visit_ClassDef(self, node):
        return self._refuse(node, "class definitions are not allowed")

    def visit_Try(self, node):
        return self._refuse(node, "'try' statements are not allowed")

    visit_TryStar = visit_Try

    def visit_Global(self, node):
        return self._refuse(node, f"'{type(node).__name__.lower()}' statements are not allowed")

    visit_Nonlocal = visit_Global

    def visit_Yield(self, node):
        return self._refuse(node, "'yield' is not allowed (no generator functions)")

    visit_YieldFrom = visit_Yield

    def visit_AsyncFunctionDef(self, node):
        return self._refuse(node, "async code is not allowed")

    visit_Await = visit_AsyncFor = visit_AsyncWith = visit_AsyncFunctionDef

    def visit_Name(self, node):
        if node.id in REFUSED_NAMES:
            self.error(node, f"'{node.id}' is not available in scripts")
        return super().visit_Name(node)

    def visit_Import(self, node):
        for alias in node.names:
            self._check_import(node, alias.name, None)
        return super().visit_Import(node)

    def visit_ImportFrom(self, node):
        if node.level:
            self.error(node, "relative imports are not allowed")
        else:
            for alias in node.names:
                self._check_import(node, node.module, alias.name)
        return super().visit_ImportFrom(node)

    def _check_import(self, node, module, name):
        why = self._import_refusal(module, name)
        if why:
            self.error(node, why)

    # ---------------------------------------------------------------- instrumented
    def visit_For(self, node):
        node = super().visit_For(node)
        node.body.insert(0, self._call_stmt("_budget_", [], node.body[0]))
        return node

    def visit_comprehension(self, node):
        node = super().visit_comprehension(node)
        tick = ast.Call(func=ast.Name("_tick_", ast.Load()), args=[], keywords=[])
        node.ifs.insert(0, ast.fix_missing_locations(ast.copy_location(tick, node.iter)))
        return node

    def visit_FunctionDef(self, node):
        node = super().visit_FunctionDef(node)
        first = node.body[0]
        leave = self._call_stmt("_leave_", [], node.body[-1])
        guarded = ast.Try(body=node.body, handlers=[], orelse=[], finalbody=[leave])
        ast.copy_location(guarded, first)
        node.body = [self._call_stmt("_enter_", [ast.Constant(node.name)], first), guarded]
        ast.fix_missing_locations(node)
        return node

    def visit_Lambda(self, node):
        node = super().visit_Lambda(node)
        check = ast.Call(func=ast.Name("_budget_", ast.Load()), args=[], keywords=[])
        node.body = ast.copy_location(ast.BoolOp(op=ast.Or(), values=[check, node.body]), node.body)
        ast.fix_missing_locations(node)
        return node

    def visit_Starred(self, node):
        node = super().visit_Starred(node)
        if isinstance(node.ctx, ast.Load):      # f(*it), [*it]: unpacked in C, so sized first
            call = ast.Call(func=ast.Name("_star_", ast.Load()), args=[node.value], keywords=[])
            node.value = ast.fix_missing_locations(ast.copy_location(call, node.value))
        return node

    def visit_FormattedValue(self, node):
        node = super().visit_FormattedValue(node)
        if node.format_spec is None:
            return node
        call = ast.Call(func=ast.Name("_format_", ast.Load()),
                        args=[node.value, ast.Constant(node.conversion), node.format_spec],
                        keywords=[])
        call = ast.fix_missing_locations(ast.copy_location(call, node.value))
        return ast.copy_location(ast.FormattedValue(value=call, conversion=-1), node)

    def visit_BinOp(self, node):
        node = super().visit_BinOp(node)
        return self._call_expr("_binop_", AST_BINOPS[type(node.op)], node.left, node.right, node)

    def visit_Compare(self, node):
        node = super().visit_Compare(node)
        op = AST_COMPARES.get(type(node.ops[0])) if len(node.ops) == 1 else None
        if op is None:
            return node
        return self._call_expr("_compare_", op, node.left, node.comparators[0], node)

    @staticmethod
    def _call_expr(func, op, left, right, where):
        call = ast.Call(func=ast.Name(func, ast.Load()), args=[ast.Constant(op), left, right],
                        keywords=[])
        return ast.fix_missing_locations(ast.copy_location(call, where))

    @staticmethod
    def _call_stmt(func, args, where):
        call = ast.Call(func=ast.Name(func, ast.Load()), args=args, keywords=[])
        return ast.fix_missing_locations(ast.copy_location(ast.Expr(call), where))


class ModuleNamespace:
    """What ``import torch`` binds: the engine module's exported names, guarded on every lookup."""

    __slots__ = ("_ns_module", "_ns_name", "_ns_guards", "_ns_exports")

    def __init__(self, module, public_name, guards, exports):
        object.__setattr__(self, "_ns_module", module)
        object.__setattr__(self, "_ns_name", public_name)
        object.__setattr__(self, "_ns_guards", guards)
        object.__setattr__(self, "_ns_exports", exports)

    def __getattr__(self, name):
        return self._ns_guards.module_attr(self, name)

    def __setattr__(self, name, value):
        raise AccessRefused(f"cannot assign to module '{self._ns_name}'")

    __delattr__ = __setattr__

    def __repr__(self):
        return f"<module '{self._ns_name}'>"


class ClassProxy:
    """A class as scripts see it: callable (size-checked), usable in ``isinstance``, and with
    guarded attribute access, but never the class object itself."""

    __slots__ = ("_cp_cls", "_cp_call", "_cp_guards", "_cp_name")

    def __init__(self, cls, call, guards, name):
        object.__setattr__(self, "_cp_cls", cls)
        object.__setattr__(self, "_cp_call", call)
        object.__setattr__(self, "_cp_guards", guards)
        object.__setattr__(self, "_cp_name", name)

    def __call__(self, *args, **kwargs):
        return self._cp_call(*args, **kwargs)

    def __instancecheck__(self, obj):
        return isinstance(obj, self._cp_cls)

    def __subclasscheck__(self, cls):
        return issubclass(cls._cp_cls if isinstance(cls, ClassProxy) else cls, self._cp_cls)

    def __getattr__(self, name):
        return self._cp_guards.class_attr(self, name)

    def __setattr__(self, name, value):
        raise AccessRefused(f"cannot assign to class '{self._cp_name}'")

    __delattr__ = __setattr__

    def __repr__(self):
        return f"<class '{self._cp_name}'>"


class _Writer:
    """``_write_(obj)`` for a tensor or array: item assignment (size-checked) and the few
    tensor attributes (``data`` only from a tensor)."""

    __slots__ = ("_w_obj", "_w_attrs", "_w_limits")

    def __init__(self, obj, attrs, limits):
        object.__setattr__(self, "_w_obj", obj)
        object.__setattr__(self, "_w_attrs", attrs)
        object.__setattr__(self, "_w_limits", limits)

    def __setitem__(self, key, value):
        self._w_limits.check_data(value)
        self._w_obj[key] = value

    def __setattr__(self, name, value):
        if name not in self._w_attrs:
            raise AccessRefused(f"cannot assign attribute '{name}' of {type(self._w_obj).__name__}")
        if name == "data" and not isinstance(value, self._w_limits.tensor_type):
            raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
        setattr(self._w_obj, name, value)

    def __delitem__(self, key):
        raise AccessRefused(f"cannot delete items of {type(self._w_obj).__name__}")

    __delattr__ = __delitem__


class PrintSink:
    """Where ``print`` writes: one shared buffer for the whole run, capped at ``limit`` chars."""

    def __init__(self, limit=1_000_000):
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit

    def write(self, text):
        if self.size >= self.limit:
            return
        if self.size + len(text) >= self.limit:
            text = text[: self.limit - self.size] + "\n... (output truncated)\n"
        self.parts.append(text)
        self.size += len(text)

    def text(self):
        return "".join(self.parts)

    # RestrictedPython's print protocol: ``_print = _print_(_getattr_)``; ``print`` becomes
    # ``_print._call_print``; the name ``printed`` becomes ``_print()``.
    def __call__(self):
        return self.text()

    def _call_print(self, *objects, sep=" ", end="\n", file=None, flush=False):
        if file is not None:
            raise AccessRefused("print(file=...) is not allowed")
        print(*objects, sep=sep, end=end, file=self)


class Guards:
    """The runtime side of the sandbox for one run: namespaces, guards, limits and builtins.

    Parameters
    ----------
    engine : module
        The autograd engine bound to the name ``torch`` (``gradtrace.core``).
    limits : Limits
        The time budget and element cap, shared with the runner.
    recorder : object
        ``tensor_backward(tensor, *a, **k)``, ``backward(*a, **k)`` and ``grad(*a, **k)``: the
        runner's recording replacements for ``Tensor.backward`` and ``autograd.backward/grad``.
    """

    def __init__(self, engine, limits: Limits, recorder, public_root="torch"):
        self.engine, self.limits, self.recorder = engine, limits, recorder
        self.engine_name = engine.__name__
        self.tensor_type = getattr(engine, "Tensor", ())
        self.sink = PrintSink()
        self.root = ModuleNamespace(engine, public_root, self, self._exports(engine))
        self.math = ModuleNamespace(math, "math", self, {n for n in dir(math) if n[0] != "_"})
        self._attr_cache: dict = {}
        self._static_cache: dict = {}

    # ---------------------------------------------------------------- globals
    def make_globals(self) -> dict:
        """A fresh global namespace for a script, its builtins and RestrictedPython's hooks."""
        lim = self.limits
        return {
            "__builtins__": self._builtins(), "__name__": "__script__",
            "_getattr_": self.getattr, "_getitem_": self.getitem, "_getiter_": iter,
            "_write_": self.write, "_print_": lambda _getattr_=None: self.sink,
            "_print": self.sink, "_inplacevar_": lim.inplacevar, "_apply_": _apply,
            "_unpack_sequence_": self._unpack_sequence,
            "_iter_unpack_sequence_": self._iter_unpack_sequence,
            "_star_": lim.star, "_format_": lim.format,
            "_budget_": lim.check_time, "_tick_": lim.tick, "_enter_": lim.enter,
            "_leave_": lim.leave,
            "_binop_": lim.binop, "_compare_": lim.compare,
        }

    def _builtins(self) -> dict:
        lim = self.limits
        names = dict(safe_builtins)
        for name in ("__build_class__", "setattr", "delattr", "_getattr_"):
            names.pop(name, None)
        names.update({
            "len": len, "range": range, "abs": abs, "round": round, "float": float, "int": int,
            "bool": bool, "isinstance": isinstance, "pow": lim.pow, "print": self.sink._call_print,
            "sum": lim.sum, "min": lim.min, "max": lim.max, "any": lim.any, "all": lim.all,
            "sorted": lim.sorted, "enumerate": lim.enumerate, "zip": lim.zip, "map": lim.map,
            "filter": lim.filter, "reversed": lim.reversed, "__import__": self.import_,
        })
        for cls in (list, tuple, dict, set):
            names[cls.__name__] = ClassProxy(cls, lim.collector(cls), self, cls.__name__)
        return names

    def _unpack_sequence(self, it, spec, _getiter_):
        """``a, *b = it``: RestrictedPython's guarded unpacking, counted against the cap."""
        return guarded_unpack_sequence(it, spec, self.limits.star)

    def _iter_unpack_sequence(self, it, spec, _getiter_):
        return guarded_iter_unpack_sequence(it, spec, self.limits.star)

    # ---------------------------------------------------------------- imports
    def import_refusal(self, module, name):
        """Why ``import module`` / ``from module import name`` is refused, or None."""
        if module is None:
            return "relative imports are not allowed"
        try:
            ns = self.resolve_module(module)
        except AccessRefused as exc:
            return str(exc)
        if name is not None and name != "*":
            try:
                self.module_attr(ns, name)
            except AttributeError as exc:
                return str(exc)
        return None

    def resolve_module(self, dotted):
        """The namespace for ``torch``, ``torch.nn.functional``, ``math``...; refused otherwise."""
        head, *rest = dotted.split(".")
        if head == "math" and not rest:
            return self.math
        if head != self.root._ns_name:
            raise AccessRefused(f"import of '{dotted}' is not allowed (only torch and math)")
        ns = self.root
        for part in rest:
            if part not in SUBMODULES or part.startswith("_"):
                raise AccessRefused(f"import of '{dotted}' is not allowed")
            try:
                ns = self.module_attr(ns, part)
            except AttributeError:
                raise AccessRefused(f"module '{ns._ns_name}' has no submodule '{part}'") from None
            if not isinstance(ns, ModuleNamespace):
                raise AccessRefused(f"import of '{dotted}' is not allowed")
        return ns

    def import_(self, name, globals=None, locals=None, fromlist=(), level=0):
        if level:
            raise AccessRefused("relative imports are not allowed")
        ns = self.resolve_module(name)
        if fromlist:
            return ns
        return self.root if ns is not self.math else ns

    # ---------------------------------------------------------------- namespaces
    def _exports(self, module):
        """Names a module hands out: its ``__all__`` (or its own public functions, classes and
        values), plus PyTorch's submodule names (vetted as real submodules when looked up)."""
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n, v in vars(module).items()
                     if not n.startswith("_") and self._is_engine_export(v)]
        return frozenset(names) | SUBMODULES

    def _is_engine_export(self, value):
        if isinstance(value, types.ModuleType):
            return True  # vetted as a submodule when looked up
        mod = getattr(value, "__module__", None)
        if isinstance(value, (type, types.FunctionType)):
            return self.in_engine(mod)
        return self.kind(value) is not None

    def module_attr(self, ns, name):
        """``torch.<name>``: exported, public, not denied; submodules become namespaces."""
        key = (id(ns), name)
        hit = self._attr_cache.get(key)
        if hit is not None:
            return hit
        public = f"{ns._ns_name}.{name}"
        if not isinstance(name, str) or name.startswith("_") or name in DENIED_NAMES:
            raise AccessRefused(f"'{public}' is not available in scripts")
        module = ns._ns_module
        if name in SUBMODULES and ns is not self.math and not hasattr(module, name):
            try:
                importlib.import_module(f"{module.__name__}.{name}")
            except ImportError:
                pass
        if not hasattr(module, name):
            raise AttributeError(f"module '{ns._ns_name}' has no attribute '{name}'")
        if name not in ns._ns_exports or ns is self.math and name in SUBMODULES:
            raise AccessRefused(f"'{public}' is not available in scripts")
        value = getattr(module, name)
        if isinstance(value, types.ModuleType):
            if name not in SUBMODULES or value.__name__ != f"{module.__name__}.{name}":
                raise AccessRefused(f"'{public}' is not available in scripts")
            value = ModuleNamespace(value, public, self, self._exports(value))
        elif (ns._ns_name.endswith("autograd") and name in ("backward", "grad")
              and module is getattr(self.engine, "autograd", None)):
            value = getattr(self.recorder, name)
        elif ns is self.math and callable(value):
            value = self.limits.checked_math(name, value)
        else:
            value = self._vet(ns, public, value)
        self._attr_cache[key] = value
        return value

    def class_attr(self, proxy, name):
        cls = proxy._cp_cls
        public = f"{proxy._cp_name}.{name}"
        if name.startswith("_") or name in INSPECT_ATTRIBUTES or name == "mro":
            raise AccessRefused(f"'{public}' is not available in scripts")
        if issubclass(cls, str) and name in ("format", "format_map"):
            raise AccessRefused("str.format is not available in scripts; use f-strings")
        if name == "backward" and cls is self.tensor_type:
            return lambda tensor, *a, **k: self.recorder.tensor_backward(tensor, *a, **k)
        if name == "fromkeys" and cls is dict:
            return lambda keys, value=None: dict.fromkeys(
                self.limits.counted(keys, "dict.fromkeys(...)"), value)
        if not any(name in vars(c) for c in cls.__mro__ if c is not object):
            raise AttributeError(f"type object '{proxy._cp_name}' has no attribute '{name}'")
        return self._vet(cls, public, getattr(cls, name))

    # ---------------------------------------------------------------- classification
    def in_engine(self, module_name):
        """True for the engine's module and its submodules (by ``__module__`` name)."""
        name = self.engine_name
        return isinstance(module_name, str) and (
            module_name == name or module_name.startswith(name + "."))

    def kind(self, obj):
        """Which guard rules apply to ``obj``: tensor, array, npdtype, engine, plain, or None."""
        t = type(obj)
        if isinstance(obj, self.tensor_type):
            return "tensor"
        if issubclass(t, (np.ndarray, np.generic)):
            return "array"
        if issubclass(t, np.dtype):
            return "npdtype"
        if self.in_engine(t.__module__) and t.__name__[0] != "_":
            return "engine"
        if t in PLAIN_TYPES:
            return "plain"
        if t is type and obj in PLAIN_CLASSES:
            return "plainclass"
        return None

    def _vet(self, owner, public, value):
        """What an attribute may hand out: no modules, no foreign classes or callables."""
        if isinstance(value, types.ModuleType):
            raise AccessRefused(f"'{public}' is a module; not available in scripts")
        if isinstance(value, type):
            if value in PLAIN_CLASSES:
                return value
            if not self.in_engine(value.__module__):
                raise AccessRefused(f"'{public}' is not available in scripts")
            return ClassProxy(value, self.limits.checked(value, value.__name__), self,
                              f"torch.{value.__name__}")
        if isinstance(owner, ModuleNamespace) and type(value) in _FROZEN:
            return _FROZEN[type(value)](value)      # module-level state stays read-only
        if self.kind(value) is not None:
            return self.limits.result(value)
        if callable(value):
            name = public.rsplit(".", 1)[-1]
            if getattr(value, "__self__", None) is owner:
                bound = owner if isinstance(owner, self.limits.array_types) else None
                return self.limits.checked(value, name, bound)
            if isinstance(owner, ModuleNamespace):
                return self.limits.checked(value, name)
            mod = getattr(value, "__module__", None)
            if self.in_engine(mod):
                return self.limits.checked(value, name)
        raise AccessRefused(f"'{public}' is not available in scripts")

    def _has_static(self, obj, name):
        key = (type(obj), name)
        found = self._static_cache.get(key)
        if found is None:
            try:
                inspect.getattr_static(obj, name)
                found = True
            except AttributeError:
                found = False
            if not hasattr(obj, "__dict__"):
                self._static_cache[key] = found
        return found

    # ---------------------------------------------------------------- RestrictedPython hooks
    def getattr(self, obj, name, default=None):
        """``_getattr_``: ``obj.name`` for the objects and names scripts may use."""
        if type(obj) is ModuleNamespace:
            return self.module_attr(obj, name)
        if type(obj) is ClassProxy:
            return self.class_attr(obj, name)
        tname = type(obj).__name__
        if not isinstance(name, str) or name.startswith("_") or name in INSPECT_ATTRIBUTES:
            raise AccessRefused(f"attribute '{name}' of {tname} objects is not available")
        kind = self.kind(obj)
        if kind == "plain":
            if name in ("format", "format_map") and isinstance(obj, str):
                raise AccessRefused("str.format is not available in scripts; use f-strings")
            return self.limits.checked_plain(obj, name, getattr(obj, name))
        if kind == "tensor" and name == "backward":
            return lambda *a, **k: self.recorder.tensor_backward(obj, *a, **k)
        if kind in ("tensor", "engine"):
            if not self._has_static(obj, name) and not _module_member(obj, name):
                raise AttributeError(f"'{tname}' object has no attribute '{name}'")
            return self._vet(obj, f"{tname}.{name}", getattr(obj, name))
        if kind == "array" and name in NDARRAY_ATTRS or kind == "npdtype" and name in NPDTYPE_ATTRS:
            return self._vet(obj, f"{tname}.{name}", getattr(obj, name))
        if kind == "plainclass" and name != "mro":
            if name in ("format", "format_map") and issubclass(obj, str):
                raise AccessRefused("str.format is not available in scripts; use f-strings")
            return getattr(obj, name)
        raise AccessRefused(f"attribute '{name}' of {tname} objects is not available in scripts")

    def getitem(self, obj, key):
        """``_getitem_``: ``obj[key]``, size-checked."""
        if type(obj) in (ModuleNamespace, ClassProxy):
            raise AccessRefused(f"{obj!r} cannot be indexed in scripts")
        return self.limits.result(obj[key])

    def write(self, obj):
        """``_write_``: the target of ``obj.attr = v`` / ``obj[k] = v``."""
        if type(obj) in (list, dict):
            return obj
        kind = self.kind(obj)
        if kind == "tensor":
            return _Writer(obj, TENSOR_WRITABLE, self.limits)
        if kind == "array":
            return _Writer(obj, frozenset(), self.limits)
        raise AccessRefused(f"cannot assign to attributes or items of {type(obj).__name__} objects")


def _apply(func, *args, **kwargs):
    """``_apply_``: RestrictedPython's hook for calls with ``*args`` / ``**kwargs``."""
    return func(*args, **kwargs)


def _module_member(obj, name):
    """True for an ``nn.Module``'s registered parameter, buffer or submodule (``model.weight``,
    ``model.fc1``): they live in the module's registries, not on its class."""
    from gradtrace.core.nn import Module
    if not isinstance(obj, Module):
        return False
    return any(name in getattr(obj, registry, {})
               for registry in ("_parameters", "_buffers", "_modules"))

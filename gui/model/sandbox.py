"""What a user script may do at run time: the guards and proxies the script sees instead of
Python's builtins and modules (the ast policy is in sandbox_policy.py, classes in sandbox_classes.py)."""
from __future__ import annotations

import builtins
import collections
import importlib
import inspect
import math
import types
from typing import Any

import numpy as np
from RestrictedPython.Guards import (
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safe_builtins,
)
from RestrictedPython.transformer import INSPECT_ATTRIBUTES

from .i18n import translate
from .limits import Limits, refusal, shown_text
from .sandbox_classes import SafeFormatter, ScriptClasses, is_private
from .sandbox_modules import build_modules, check_np_argument, unproxy
from .sandbox_policy import SCRIPT_FILENAME, ScriptPolicy

__all__ = ["SCRIPT_FILENAME", "AccessRefused", "Guards", "ScriptPolicy"]

# Public names never handed out, even when a module lists them (files, code, global state).
DENIED_NAMES = frozenset({
    "save", "load", "from_file", "compile", "hub", "jit", "library", "ops",
    "set_default_device", "set_printoptions", "iter_backward", "iter_grad",
    "register_tensor_hook"})

# Public submodules of the engine a script may reach, by PyTorch's leaf names.
# Any engine submodule with one of these names is importable, so that a new one (say
# ``gradtrace.core.autograd.forward_ad``) needs no change here; internals (``derivatives``,
# ``_ops``...) have names PyTorch does not use.
SUBMODULES = frozenset({
    "nn", "functional", "init", "modules", "parameter", "autograd", "function",
    "forward_ad", "graph", "profiler", "grad_mode", "anomaly_mode", "gradcheck", "variable",
    "optim", "lr_scheduler", "optimizer", "cuda", "linalg", "fft", "special", "random", "utils",
    "data", "dataset", "dataloader", "sampler", "checkpoint", "rnn", "clip_grad", "parametrize",
    "accelerator", "backends", "distributions", "func", "amp", "testing", "types", "masked",
    "sparse", "nested", "cpu", "mps"})

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
    type(None), collections.OrderedDict, collections.defaultdict, collections.Counter,
    collections.deque})
# Containers whose items a script may assign (``d[k] = v``).
WRITABLE_CONTAINERS = frozenset({list, dict, collections.OrderedDict, collections.defaultdict,
                                 collections.Counter, collections.deque})
PLAIN_CLASSES = frozenset({int, float, complex, bool, str, range, slice})


_FROZEN = {dict: types.MappingProxyType, list: tuple, set: frozenset}


class AccessRefused(AttributeError):
    """A script reached for something the sandbox does not hand out."""


# What a script may read on an exception it caught.
EXCEPTION_ATTRS = frozenset({"args"})
# Attributes of a custom Function's ctx the engine reads itself: not the script's to set.
CTX_RESERVED = frozenset({"to_save", "non_differentiable", "materialize_grads", "metadata"})


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
        raise refusal(AccessRefused, translate("Sandbox", "cannot assign to module '{name}'").format(
            name=self._ns_name))

    __delattr__ = __setattr__  # type: ignore[assignment]

    def __reduce_ex__(self, protocol):
        raise TypeError("cannot pickle 'module' object")   # as Python says for copy/deepcopy

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
        raise refusal(AccessRefused, translate("Sandbox", "cannot assign to class '{name}'").format(
            name=self._cp_name))

    __delattr__ = __setattr__  # type: ignore[assignment]

    def __copy__(self):
        return self                 # classes are copied as themselves

    def __deepcopy__(self, memo):
        return self

    def __reduce_ex__(self, protocol):
        raise refusal(TypeError, translate("Sandbox", "cannot pickle class '{name}' in scripts"
                                           ).format(name=self._cp_name))

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
            raise refusal(AccessRefused, translate(
                "Sandbox", "cannot assign attribute '{name}' of {type}").format(
                name=name, type=type(self._w_obj).__name__))
        if name == "data" and not isinstance(value, self._w_limits.tensor_type):
            raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
        setattr(self._w_obj, name, value)

    def __delitem__(self, key):
        raise refusal(AccessRefused, translate("Sandbox", "cannot delete items of {type}").format(
            type=type(self._w_obj).__name__))

    __delattr__ = __delitem__


class PrintSink:
    """Where ``print`` writes: one shared buffer for the whole run, capped at ``limit`` chars."""

    def __init__(self, limit=1_000_000, limits: Limits | None = None):
        self.limits = limits      # sizes the text of what is printed before print makes it
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit

    def write(self, text: Any) -> Any:
        if self.size >= self.limit:
            return
        if self.size + len(text) >= self.limit:
            text = text[: self.limit - self.size] + "\n... (output truncated)\n"
        self.parts.append(text)
        self.size += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    # RestrictedPython's print protocol: ``_print = _print_(_getattr_)``; ``print`` becomes
    # ``_print._call_print``; the name ``printed`` becomes ``_print()``.
    def __call__(self):
        return self.text()

    def _call_print(self, *objects, sep=" ", end="\n", file=None, flush=False):
        if file is not None:
            raise refusal(AccessRefused, translate("Sandbox", "print(file=...) is not allowed"))
        if self.limits is not None:
            for obj in objects:
                self.limits.check_text(obj)
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
        self.sink = PrintSink(limits=limits)
        self.root = ModuleNamespace(engine, public_root, self, self._exports(engine))
        self.math = ModuleNamespace(math, "math", self, {n for n in dir(math) if n[0] != "_"})
        self._attr_cache: dict = {}
        self._static_cache: dict = {}
        self.classes = ScriptClasses(self)
        limits.opaque = self.classes.is_instance
        self.formatter = SafeFormatter(self)
        self._collectors = {cls: ClassProxy(cls, limits.collector(cls), self, cls.__name__)
                            for cls in (list, tuple, dict, set)}
        self.modules = {public_root: self.root, "math": self.math}
        for name, module in build_modules(self).items():
            self.modules[name] = ModuleNamespace(module, name, self, self._exports(module))

    # ---------------------------------------------------------------- globals
    def make_globals(self) -> dict:
        """A fresh global namespace for a script, its builtins and RestrictedPython's hooks."""
        lim = self.limits
        return {
            "__builtins__": self._builtins(), "__name__": "__main__",
            "__metaclass__": self.classes.make_class, "_reraise_": lim.reraise,
            "_slice_": slice, "_yieldfrom_": lim.delegate,
            "_getattr_": self.getattr, "_getitem_": self.getitem, "_getiter_": iter,
            "_write_": self.write, "_print_": lambda _getattr_=None: self.sink,
            "_print": self.sink, "_inplacevar_": lim.inplacevar, "_apply_": _apply,
            "_unpack_sequence_": self._unpack_sequence,
            "_iter_unpack_sequence_": self._iter_unpack_sequence,
            "_star_": lim.star, "_format_": lim.format, "_text_": lim.check_text,
            "_budget_": lim.check_time, "_tick_": lim.tick, "_enter_": lim.enter,
            "_leave_": lim.leave,
            "_binop_": lim.binop, "_compare_": lim.compare,
        }

    def _builtins(self) -> dict:
        lim = self.limits
        names = dict(safe_builtins)
        for name in ("setattr", "delattr", "_getattr_"):
            names.pop(name, None)
        classes = self.classes
        names.update({
            "len": len, "range": range, "abs": abs, "round": round, "float": float, "int": int,
            "bool": bool, "isinstance": isinstance, "pow": lim.pow, "print": self.sink._call_print,
            "sum": lim.sum, "min": lim.min, "max": lim.max, "any": lim.any, "all": lim.all,
            "sorted": lim.sorted, "enumerate": lim.enumerate, "zip": lim.zip, "map": lim.map,
            "filter": lim.filter, "reversed": lim.reversed, "__import__": self.import_,
            "__build_class__": builtins.__build_class__, "object": object,
            "staticmethod": staticmethod, "classmethod": classmethod, "property": property,
            "super": classes.super_, "type": classes.type_, "getattr": classes.getattr_,
            "setattr": classes.setattr_, "hasattr": classes.hasattr_, "iter": self.iter_,
            "next": next, "id": id, "format": lambda value, spec="": lim.format(value, -1, spec),
            "repr": lim.text_of(repr), "ascii": lim.text_of(ascii),
            "input": self.input_, "issubclass": issubclass, "callable": callable,
        })
        names.update({cls.__name__: proxy for cls, proxy in self._collectors.items()})
        return names

    def iter_(self, obj: Any, *sentinel: Any) -> Any:
        """``iter(obj)`` / ``iter(func, sentinel)``: every item checks the time budget, so that
        no C loop (``str.join``, ``set.update``...) can spin on an endless iterator."""
        return self.limits.counted(iter(obj, *sentinel), "an iterator")

    def input_(self, prompt: Any = "") -> Any:
        """``input()``: the app has no console to read from; as Python without a stdin."""
        self.sink.write(str(prompt))
        raise EOFError("EOF when reading a line (scripts have no console input)")

    def _unpack_sequence(self, it, spec, _getiter_):
        """``a, *b = it``: RestrictedPython's guarded unpacking, counted against the cap."""
        return guarded_unpack_sequence(it, spec, self.limits.star)

    def _iter_unpack_sequence(self, it, spec, _getiter_):
        return guarded_iter_unpack_sequence(it, spec, self.limits.star)

    # ---------------------------------------------------------------- imports
    def import_refusal(self, module: Any, name: Any) -> str | None:
        """Why ``import module`` / ``from module import name`` is refused, or None."""
        if module is None:
            return translate("Sandbox", "relative imports are not allowed")
        try:
            ns = self.resolve_module(module)
        except AccessRefused as exc:
            return shown_text(exc) or str(exc)
        if name is not None and name != "*":
            try:
                self.module_attr(ns, name)
            except AttributeError as exc:
                return shown_text(exc) or str(exc)
        return None

    def resolve_module(self, dotted: Any) -> Any:
        """The namespace for ``torch``, ``torch.nn.functional``, ``numpy``, ``math``...;
        refused otherwise."""
        head, *rest = dotted.split(".")
        ns = self.modules.get(head)
        if ns is None:
            allowed = ", ".join(sorted(n for n in self.modules if n[0] != "_"))
            raise refusal(AccessRefused, translate(
                "Sandbox", "import of '{name}' is not allowed (scripts may import {allowed} and "
                           "their submodules)").format(name=dotted, allowed=allowed))
        for part in rest:
            if part not in SUBMODULES or part.startswith("_"):
                raise refusal(AccessRefused, translate(
                    "Sandbox", "import of '{name}' is not allowed").format(name=dotted))
            try:
                ns = self.module_attr(ns, part)
            except AttributeError:
                raise refusal(AccessRefused, translate(
                    "Sandbox", "module '{module}' has no submodule '{name}'").format(
                    module=ns._ns_name, name=part)) from None
            if not isinstance(ns, ModuleNamespace):
                raise refusal(AccessRefused, translate(
                    "Sandbox", "import of '{name}' is not allowed").format(name=dotted))
        return ns

    def import_(self, name: Any, globals: Any = None, locals: Any = None, fromlist: Any = (),
                level: Any = 0) -> Any:
        if level:
            raise refusal(AccessRefused, translate("Sandbox", "relative imports are not allowed"))
        ns = self.resolve_module(name)
        if fromlist:
            return ns
        return self.modules[name.split(".")[0]]

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

    def module_attr(self, ns: Any, name: Any) -> Any:
        """``torch.<name>``: exported, public, not denied; submodules become namespaces."""
        key = (id(ns), name)
        hit = self._attr_cache.get(key)
        if hit is not None:
            return hit
        public = f"{ns._ns_name}.{name}"
        if not isinstance(name, str) or name.startswith("_") or name in DENIED_NAMES:
            raise _unavailable(public)
        module = ns._ns_module
        why = getattr(module, "__sandbox_refused__", {}).get(name)
        if why:
            raise refusal(AccessRefused, translate(
                "Sandbox", "'{name}' is not available in scripts: {why}").format(
                name=public, why=why))
        if name in getattr(module, "__sandbox_raw__", ()):
            return getattr(module, name)
        if name in SUBMODULES and ns is not self.math and not hasattr(module, name):
            try:
                importlib.import_module(f"{module.__name__}.{name}")
            except ImportError:
                pass
        if not hasattr(module, name):
            raise AttributeError(f"module '{ns._ns_name}' has no attribute '{name}'")
        if name not in ns._ns_exports or ns is self.math and name in SUBMODULES:
            raise _unavailable(public)
        value = getattr(module, name)
        if isinstance(value, types.ModuleType):
            if name not in SUBMODULES or value.__name__ != f"{module.__name__}.{name}":
                raise _unavailable(public)
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

    def class_attr(self, proxy: Any, name: Any) -> Any:
        cls = proxy._cp_cls
        public = f"{proxy._cp_name}.{name}"
        if name.startswith("_") or name in INSPECT_ATTRIBUTES or name == "mro":
            raise _unavailable(public)
        if issubclass(cls, str) and name in ("format", "format_map"):
            fmt = self.formatter
            if name == "format":
                return lambda template, *a, **k: fmt.method(template)(*a, **k)
            return lambda template, mapping: fmt.method_map(template)(mapping)
        if name == "backward" and cls is self.tensor_type:
            return lambda tensor, *a, **k: self.recorder.tensor_backward(tensor, *a, **k)
        if name == "fromkeys" and cls is dict:
            return lambda keys, value=None: dict.fromkeys(
                self.limits.counted(keys, "dict.fromkeys(...)"), value)
        if not any(name in vars(c) for c in cls.__mro__ if c is not object):
            raise AttributeError(f"type object '{proxy._cp_name}' has no attribute '{name}'")
        return self._vet(cls, public, getattr(cls, name))

    # ---------------------------------------------------------------- classification
    def in_engine(self, module_name: Any) -> bool:
        """True for the engine's module and its submodules (by ``__module__`` name)."""
        name = self.engine_name
        return isinstance(module_name, str) and (
            module_name == name or module_name.startswith(name + "."))

    def kind(self, obj: Any) -> str | None:
        """Which guard rules apply to ``obj``: tensor, array, npdtype, engine, plain, or None."""
        t = type(obj)
        if isinstance(obj, self.tensor_type):
            return "tensor"
        if issubclass(t, (np.ndarray, np.generic)):
            return "array"
        if issubclass(t, np.dtype):
            return "npdtype"
        if t in self.classes.classes:        # before "engine": a __module__ can be forged
            return "script"
        if isinstance(obj, type) and obj in self.classes.classes:
            return "scriptclass"
        if self.in_engine(t.__module__) and t.__name__[0] != "_":
            return "engine"
        if t in PLAIN_TYPES:
            return "plain"
        if t is type and obj in PLAIN_CLASSES:
            return "plainclass"
        if t in (types.FunctionType, types.MethodType) and _script_code(obj):
            return "scriptfunction"
        return None

    def extensible(self, cls: type) -> bool:
        """True for the engine classes a script's class may derive from: ``nn.Module``,
        ``autograd.Function``, ``utils.data`` datasets and samplers, ``optim.Optimizer``."""
        if not isinstance(cls, type) or not self.in_engine(cls.__module__):
            return False
        if self.tensor_type and issubclass(cls, self.tensor_type):
            return False
        roots = []
        for path in ("nn.Module", "autograd.Function", "optim.Optimizer", "utils.data.Dataset",
                     "utils.data.Sampler"):
            obj = self.engine
            for part in path.split("."):
                obj = getattr(obj, part, None)
            if isinstance(obj, type):
                roots.append(obj)
        return issubclass(cls, tuple(roots)) if roots else False

    def class_of(self, obj: Any) -> Any:
        """``type(obj)`` as the script sees it."""
        t = type(obj)
        if t in self.classes.classes or t in PLAIN_CLASSES:
            return t
        if t in self._collectors:
            return self._collectors[t]
        if t is ClassProxy or t in self.classes.classes or isinstance(obj, type):
            return ClassProxy(type, self.classes.type_, self, "type")
        if self.tensor_type and isinstance(obj, self.tensor_type) and t.__name__[0] == "_":
            t = self.tensor_type                  # views and pieces are torch.Tensor too
        if self.in_engine(t.__module__) or self.tensor_type and isinstance(obj, self.tensor_type):
            return ClassProxy(t, self.limits.checked(t, t.__name__), self, pytorch_name(t))
        return ClassProxy(t, _not_creatable(t), self, _plain_name(t))

    def vet(self, owner: Any, public: Any, value: Any) -> Any:
        """What an attribute may hand out (see ``_vet``)."""
        return self._vet(owner, public, value)

    def _vet(self, owner, public, value):
        """What an attribute may hand out: no modules, no foreign classes or callables."""
        if type(value) in (ClassProxy, ModuleNamespace):
            return value
        if isinstance(value, types.ModuleType):
            raise refusal(AccessRefused, translate(
                "Sandbox", "'{name}' is a module; not available in scripts").format(name=public))
        if isinstance(value, type):
            if value in PLAIN_CLASSES or value in self.classes.classes:
                return value
            if not self.in_engine(value.__module__):
                raise _unavailable(public)
            return ClassProxy(value, self.limits.checked(value, value.__name__), self,
                              pytorch_name(value))
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
        raise _unavailable(public)

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
    def getattr(self, obj: Any, name: Any, default: Any = None) -> Any:
        """``_getattr_``: ``obj.name`` for the objects and names scripts may use."""
        if name == "__name__":
            return self._name_of(obj)
        if type(obj) is ModuleNamespace:
            return self.module_attr(obj, name)
        if type(obj) is ClassProxy:
            return self.class_attr(obj, name)
        if type(obj) is super:
            return self.classes.super_attribute(obj, name)
        tname = type(obj).__name__
        if is_private(name) and self.kind(obj) in ("script", "scriptclass"):
            return self.classes.private_attribute(obj, name)
        if not isinstance(name, str) or name.startswith("_") or name in INSPECT_ATTRIBUTES:
            raise refusal(AccessRefused, translate(
                "Sandbox", "attribute '{name}' of {type} objects is not available").format(
                name=name, type=tname))
        kind = self.kind(obj)
        if kind == "plain":
            if name == "format" and isinstance(obj, str):
                return self.formatter.method(obj)
            if name == "format_map" and isinstance(obj, str):
                return self.formatter.method_map(obj)
            return self.limits.checked_plain(obj, name, getattr(obj, name))
        if kind in ("script", "scriptclass"):
            return self.classes.attribute(obj, name, f"{tname}.{name}")
        if isinstance(obj, BaseException) and name in EXCEPTION_ATTRS:
            return getattr(obj, name)
        if kind == "tensor" and name == "backward":
            return lambda *a, **k: self.recorder.tensor_backward(obj, *a, **k)
        if kind in ("tensor", "engine"):
            if not self._has_static(obj, name) and not _module_member(obj, name):
                raise AttributeError(f"'{tname}' object has no attribute '{name}'")
            return self._vet(obj, f"{tname}.{name}", getattr(obj, name))
        if kind == "array" and name == "astype":
            method, opaque = obj.astype, self.classes.is_instance

            def astype(dtype, *args, **kwargs):
                check_np_argument("ndarray.astype", dtype, opaque, dtype=True)
                return self.limits.result(method(unproxy(dtype), *args, **kwargs))
            return astype
        if kind == "array" and name in NDARRAY_ATTRS or kind == "npdtype" and name in NPDTYPE_ATTRS:
            return self._vet(obj, f"{tname}.{name}", getattr(obj, name))
        if kind == "plainclass" and name != "mro":
            if name in ("format", "format_map") and issubclass(obj, str):
                return self.class_attr(ClassProxy(str, str, self, "str"), name)
            return getattr(obj, name)
        raise _not_available(name, tname)

    def _name_of(self, obj):
        """``obj.__name__`` for a class, function or module (a string, nothing more)."""
        if type(obj) is ClassProxy:
            return obj._cp_name.rsplit(".", 1)[-1]
        if type(obj) is ModuleNamespace:
            return obj._ns_name
        if isinstance(obj, (type, types.FunctionType, types.MethodType,
                            types.BuiltinFunctionType)):
            name = getattr(obj, "__name__", None)
            if type(name) is str:
                return name
        raise _not_available("__name__", type(obj).__name__)

    def getitem(self, obj: Any, key: Any) -> Any:
        """``_getitem_``: ``obj[key]``, size-checked."""
        if type(obj) in (ModuleNamespace, ClassProxy):
            raise refusal(AccessRefused, translate(
                "Sandbox", "{object} cannot be indexed in scripts").format(object=repr(obj)))
        return self.limits.result(obj[key])

    def write(self, obj: Any) -> Any:
        """``_write_``: the target of ``obj.attr = v`` / ``obj[k] = v``."""
        if type(obj) in WRITABLE_CONTAINERS:
            return obj
        kind = self.kind(obj)
        if kind in ("script", "scriptclass"):
            return _ScriptWriter(obj, self.classes)
        if isinstance(obj, self._ctx_type()):
            return _CtxWriter(obj)
        if kind == "tensor":
            return _Writer(obj, TENSOR_WRITABLE, self.limits)
        if kind == "array":
            return _Writer(obj, frozenset(), self.limits)
        raise refusal(AccessRefused, translate(
            "Sandbox", "cannot assign to attributes or items of {type} objects").format(
            type=type(obj).__name__))


    def _ctx_type(self):
        autograd = getattr(self.engine, "autograd", None)
        function = getattr(autograd, "function", None) if autograd is not None else None
        ctx = getattr(function, "FunctionCtx", None) or getattr(autograd, "FunctionCtx", None)
        if ctx is None:
            from gradtrace.core.autograd.function import FunctionCtx as ctx
        return ctx


class _CtxWriter:
    """``ctx.name = value`` in a custom Function: new public attributes only (the ctx's own
    methods and the fields the engine reads stay as they are)."""

    __slots__ = ("_cw_ctx",)

    def __init__(self, ctx):
        object.__setattr__(self, "_cw_ctx", ctx)

    def __setattr__(self, name, value):
        ctx = self._cw_ctx
        if name.startswith("_") or name in CTX_RESERVED or any(
                name in vars(c) for c in type(ctx).__mro__):
            raise refusal(AccessRefused, translate(
                "Sandbox", "cannot assign attribute '{name}' of the ctx").format(name=name))
        setattr(ctx, name, value)

    def __delattr__(self, name):
        raise refusal(AccessRefused, translate(
            "Sandbox", "cannot delete attribute '{name}' of the ctx").format(name=name))

    def __setitem__(self, key, value):
        raise refusal(AccessRefused, translate("Sandbox", "the ctx does not support item assignment"))


class _ScriptWriter:
    """``obj.name = v`` / ``obj[k] = v`` / ``del`` on the script's own object or class: as
    Python does, except that a private name must be the script's, not the engine's."""

    __slots__ = ("_sw_obj", "_sw_classes")

    def __init__(self, obj, classes):
        object.__setattr__(self, "_sw_obj", obj)
        object.__setattr__(self, "_sw_classes", classes)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            self._sw_classes.check_private_write(self._sw_obj, name)
        setattr(self._sw_obj, name, value)

    def __delattr__(self, name):
        if name.startswith("_"):
            self._sw_classes.check_private_write(self._sw_obj, name)
        delattr(self._sw_obj, name)

    def __setitem__(self, key, value):
        self._sw_obj[key] = value

    def __delitem__(self, key):
        del self._sw_obj[key]


def _unavailable(public: str) -> BaseException:
    """The refusal of a name the sandbox does not hand out (``'os.system'``)."""
    return refusal(AccessRefused, translate("Sandbox", "'{name}' is not available in scripts"
                                            ).format(name=public))


def _not_available(name: str, type_name: str) -> BaseException:
    return refusal(AccessRefused, translate(
        "Sandbox", "attribute '{name}' of {type} objects is not available in scripts").format(
        name=name, type=type_name))


def pytorch_name(cls: type) -> str:
    """A class's name as PyTorch prints it: ``torch.Tensor``, ``torch.nn.parameter.Parameter``,
    ``torch.autograd.function.CubeBackward``; a graph node's bare name (``MulBackward0``)."""
    module = cls.__module__
    head, _, rest = module.partition(".core")
    parts = [p for p in rest.split(".") if p and not p.startswith("_")]
    if not parts and cls.__name__ != "Tensor" and "Backward" in cls.__name__:
        return cls.__qualname__
    return ".".join(["torch", *parts, cls.__qualname__])


def _plain_name(t):
    module = getattr(t, "__module__", "builtins")
    return t.__qualname__ if module == "builtins" else f"{module}.{t.__qualname__}"


def _not_creatable(t):
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise refusal(AccessRefused, translate(
            "Sandbox", "cannot create '{name}' objects in scripts").format(name=_plain_name(t)))
    return refuse


def _script_code(func):
    code = getattr(getattr(func, "__func__", func), "__code__", None)
    return code is not None and code.co_filename == SCRIPT_FILENAME


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


"""The script's own classes: how ``class`` statements are built and vetted (bases, dunder
methods, no metaclasses), ``super()``, and the class-aware builtins (type, getattr, iter...)."""
from __future__ import annotations

import _string
import builtins
import io
import re
import string
import tokenize
from pathlib import Path
from typing import Any

from .i18n import translate

__all__ = ["CLASS_DUNDERS", "ScriptClasses", "SafeFormatter"]

# The special methods a script's class may define: what ordinary code defines. Everything else
# (__getattr__, __getattribute__, __setattr__, __del__, __init_subclass__, __class_getitem__,
# __reduce__, __new__, __index__, __get__, __set_name__, __array__...) changes how the
# interpreter, numpy or the app treat an object behind the sandbox's back.
CLASS_DUNDERS = frozenset({
    "__init__", "__call__", "__len__", "__getitem__", "__setitem__", "__delitem__",
    "__contains__", "__iter__", "__next__", "__reversed__", "__repr__", "__str__",
    "__enter__", "__exit__", "__bool__", "__hash__", "__eq__", "__ne__", "__lt__", "__le__",
    "__gt__", "__ge__", "__neg__", "__pos__", "__abs__", "__invert__", "__float__",
    "__complex__", "__post_init__",
} | {f"__{p}{op}__" for op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow",
                               "matmul", "and", "or", "xor", "lshift", "rshift")
     for p in ("", "r", "i")})

# Names the interpreter itself puts in a class namespace.
_NAMESPACE_NAMES = frozenset({"__module__", "__qualname__", "__classcell__", "__doc__",
                              "__annotations__"})

# Builtin classes a script's class may derive from (besides its own classes and the engine's
# Module, Function, Dataset...).
_BUILTIN_BASES = frozenset({object} | {
    v for v in vars(builtins).values()
    if isinstance(v, type) and issubclass(v, Exception) and v is not BaseException})


_HOOK_NAME = re.compile(r"_tmp\d+|_print|_")


def is_private(name: object) -> bool:
    """True for the script's own private names (``_prev``, ``self._backward``): one leading
    underscore and no trailing one; the sandbox's hooks (``_getattr_``...) all end with ``_``."""
    return (type(name) is str and name.startswith("_") and not name.startswith("__")
            and not name.endswith("_") and name.isidentifier() and not _HOOK_NAME.fullmatch(name))


def _engine_private_names():
    """Every ``_name`` the engine's source mentions (as a name or in a string): on an object
    whose class derives from an engine class these are the engine's, never the script's."""
    root = Path(__file__).resolve().parents[2] / "core"
    found = set()
    for path in root.rglob("*.py"):
        try:
            tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
            for tok in tokens:
                if tok.type in (tokenize.NAME, tokenize.STRING):
                    found.update(re.findall(r"(?<![A-Za-z0-9])_[A-Za-z0-9]\w*", tok.string))
        except (OSError, SyntaxError, tokenize.TokenError):
            continue
    return frozenset(found)


ENGINE_PRIVATE = _engine_private_names()


class ScriptClasses:
    """The classes one run's script made, and the hooks that make and inspect them.

    ``make_class`` is the ``__metaclass__`` RestrictedPython puts on every ``class``
    statement: it checks the bases (the script's own classes, ``object``, exception classes
    and the engine's extensible bases, never ``Tensor``), refuses special methods outside
    ``CLASS_DUNDERS`` and records the class, so that the guards know its instances.
    """

    def __init__(self, guards):
        self.guards = guards
        self.classes: set[type] = set()

    # ---------------------------------------------------------------- making classes
    def make_class(self, name: Any, bases: Any, namespace: Any, **keywords: Any) -> Any:
        if keywords:
            raise _refused(translate(
                "Sandbox", "class {name}: class keywords ({keywords}) are not allowed in "
                           "scripts").format(name=name, keywords=", ".join(keywords)))
        real = tuple(self._base(name, b) for b in bases)
        engine_based = any(self.engine_based(b) for b in real)
        for key in namespace:
            if key.startswith("__") and key.endswith("__") and key not in CLASS_DUNDERS \
                    and key not in _NAMESPACE_NAMES:
                raise _refused(translate(
                    "Sandbox", "class {name}: defining '{key}' is not allowed in scripts (it "
                               "would change how Python treats the object)").format(
                    name=name, key=key))
            if engine_based and key in ENGINE_PRIVATE:
                raise _refused(translate(
                    "Sandbox", "class {name}: '{key}' is the engine's own name in this class"
                ).format(name=name, key=key))
        metas = {type(b) for b in real} or {type}
        meta = max(metas, key=lambda m: len(m.__mro__))
        if meta is not type and not self.guards.in_engine(meta.__module__):
            raise _refused(translate(
                "Sandbox", "class {name}: metaclass {meta} is not allowed").format(
                name=name, meta=meta.__name__))
        cls = meta(name, real, dict(namespace))
        self.classes.add(cls)
        return cls

    def _base(self, name, base):
        from .sandbox import ClassProxy
        if base in self.classes or base in _BUILTIN_BASES:
            return base
        if type(base) is ClassProxy:
            cls = base._cp_cls
            if self.guards.extensible(cls):
                return cls
        shown = repr(base) if type(base) is ClassProxy else type(base).__name__
        raise _refused(translate(
            "Sandbox", "class {name}: {base} cannot be a base class in scripts (bases may be "
                       "your own classes, object, exceptions, nn.Module, autograd.Function and "
                       "torch.utils.data classes)").format(name=name, base=shown))

    # ---------------------------------------------------------------- inspecting them
    def engine_based(self, cls: type) -> bool:
        """True when an engine class is among ``cls``'s bases (its private names are the
        engine's)."""
        return any(c not in self.classes and c not in _BUILTIN_BASES for c in cls.__mro__)

    def private_attribute(self, obj: Any, name: str) -> Any:
        """``self._name`` on the script's own object or class: what the script put there."""
        cls = obj if isinstance(obj, type) else type(obj)
        if self.engine_based(cls) and name in ENGINE_PRIVATE:
            raise _refused(translate(
                "Sandbox", "attribute '{name}' of {type} objects is the engine's own").format(
                name=name, type=cls.__name__))
        owner = self._owner(obj, name)
        in_dict = not isinstance(obj, type) and name in getattr(obj, "__dict__", {})
        if owner is None and not in_dict:
            raise AttributeError(f"'{cls.__name__}' object has no attribute '{name}'")
        if owner in self.classes or owner is None and in_dict:
            return getattr(obj, name)
        raise _refused(translate(
            "Sandbox", "attribute '{name}' of {type} objects is not available in scripts"
        ).format(name=name, type=cls.__name__))

    def check_private_write(self, obj: Any, name: str) -> None:
        cls = obj if isinstance(obj, type) else type(obj)
        if not is_private(name) or self.engine_based(cls) and name in ENGINE_PRIVATE:
            raise _refused(translate(
                "Sandbox", "cannot assign attribute '{name}' of {type} objects").format(
                name=name, type=cls.__name__))

    def is_instance(self, obj: Any) -> bool:
        return type(obj) in self.classes

    def is_class(self, obj: Any) -> bool:
        return isinstance(obj, type) and obj in self.classes

    def attribute(self, obj: Any, name: Any, public: Any) -> Any:
        """``obj.name`` on a script object or class: what the script put there as it is,
        what an engine or builtin base defines vetted as the engine's attributes are."""
        value = getattr(obj, name)
        owner = self._owner(obj, name)
        if owner is not None and owner in self.classes:
            return value
        if owner is None and name in getattr(obj, "__dict__", {}) and not isinstance(obj, type):
            return value
        if owner is None and isinstance(obj, type):     # type's own (mro...): not the script's
            raise _refused(translate("Sandbox", "'{name}' is not available in scripts").format(
                name=public))
        return self.guards.vet(obj, public, value)

    @staticmethod
    def _owner(obj, name):
        mro = obj.__mro__ if isinstance(obj, type) else type(obj).__mro__
        if not isinstance(obj, type) and name in getattr(obj, "__dict__", {}):
            return None
        return next((c for c in mro if name in vars(c)), None)

    def super_attribute(self, sup: Any, name: Any) -> Any:
        """``super().name``: only from a script class, for public names and CLASS_DUNDERS."""
        this = sup.__thisclass__
        if this not in self.classes:
            raise _refused(translate("Sandbox",
                                     "super() is only available inside your own classes"))
        if name.startswith("_") and name not in CLASS_DUNDERS:
            raise _refused(translate("Sandbox", "'{name}' is not available in scripts").format(
                name=f"super().{name}"))
        value = getattr(sup, name)
        start = sup.__self_class__.__mro__
        after = start[start.index(this) + 1:]
        owner = next((c for c in after if name in vars(c)), None)
        if owner in self.classes or owner in _BUILTIN_BASES:
            return value
        return self.guards.vet(sup.__self__, f"super().{name}", value)

    # ---------------------------------------------------------------- builtins
    def super_(self, *args: Any) -> Any:
        """The script's ``super``: ``super()`` in a method (rewritten to
        ``super(__class__, self)`` by the policy) or ``super(Class, self)``."""
        if not args:
            raise RuntimeError("super(): no arguments")
        if len(args) != 2:
            from .limits import refusal
            raise refusal(TypeError, translate("Sandbox",
                                               "super() in scripts takes a class and an object"))
        cls, obj = args
        if cls not in self.classes:
            raise _refused(translate("Sandbox", "super() is only available for your own classes"))
        return builtins.super(cls, obj)

    def type_(self, *args: Any) -> Any:
        """``type(obj)``: the class as the script sees it (``<class 'torch.Tensor'>``, the
        script's own class); ``type(name, bases, dict)`` is refused."""
        if len(args) != 1:
            raise _refused(translate(
                "Sandbox", "type() with 3 arguments (making a class) is not available in "
                           "scripts; use a class statement"))
        return self.guards.class_of(args[0])

    def getattr_(self, obj: Any, name: Any, *default: Any) -> Any:
        _plain_name("getattr", name)
        try:
            return self.guards.getattr(obj, name)
        except AttributeError:
            if default:
                return default[0]
            raise

    def hasattr_(self, obj: Any, name: Any) -> bool:
        _plain_name("hasattr", name)
        try:
            self.guards.getattr(obj, name)
        except AttributeError:
            return False
        return True

    def setattr_(self, obj: Any, name: Any, value: Any) -> None:
        _plain_name("setattr", name)
        setattr(self.guards.write(obj), name, value)


def _refused(message):
    from .limits import refusal
    from .sandbox import AccessRefused
    return refusal(AccessRefused, message)


def _plain_name(func, name):
    if type(name) is not str:
        raise TypeError(f"{func}(): attribute name must be string, not '{type(name).__name__}'")
    if name.startswith("_"):
        raise _refused(translate(
            "Sandbox", "{func}() with the name '{name}' is not available in scripts (names "
                       "starting with '_' are refused)").format(func=func, name=name))


class SafeFormatter(string.Formatter):
    """``str.format`` for scripts: fields are looked up through the guards (``{0.grad}`` yes,
    ``{0.__class__}`` no) and each field's width and precision are checked like f-strings'."""

    def __init__(self, guards):
        super().__init__()
        self.guards = guards

    def get_field(self, field_name: Any, args: Any, kwargs: Any) -> Any:
        first, rest = _string.formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            if is_attr:
                if key.startswith("_"):
                    raise _refused(translate(
                        "Sandbox", "attribute '{name}' is not available in str.format").format(
                        name=key))
                obj = self.guards.getattr(obj, key)
            else:
                obj = self.guards.getitem(obj, key)
        return obj, first

    def format_field(self, value: Any, format_spec: Any) -> str:
        return self.guards.limits.format(value, -1, format_spec)

    def method(self, template: Any) -> Any:
        """``template.format`` bound to ``template``."""
        def format(*args, **kwargs):
            self.guards.limits.check_time()
            return self.vformat(template, args, kwargs)
        return format

    def method_map(self, template: Any) -> Any:
        def format_map(mapping):
            return self.vformat(template, (), mapping)
        return format_map


"""The standard modules and numpy as scripts import them: curated stand-ins (a seeded random,
clock-only time, numpy without files, buffers, callbacks or module objects), budget- and size-checked."""
from __future__ import annotations
import __future__

import collections
import copy
import dataclasses
import functools
import itertools
import random
import statistics
import time
import types
import typing
from typing import Any

import numpy as np

from .i18n import translate
from .limits import MAX_DIMS, _as_size, _data_numel, _prod, _shape, refusal

__all__ = ["build_modules", "SEED"]

SEED = 0   # random and numpy.random start from this seed in every run

# What `from __future__ import ...` may name (all but annotations are on anyway in 3.11).
FUTURE_FEATURES = ("annotations", "division", "absolute_import", "print_function",
                   "unicode_literals", "generators", "nested_scopes", "with_statement",
                   "generator_stop")

_NUMPY_REFUSED = {
    **dict.fromkeys(("save", "savez", "savez_compressed", "savetxt", "load", "loadtxt",
                     "genfromtxt", "fromfile", "fromregex", "memmap", "DataSource", "tofile",
                     "open_memmap"), "it reads or writes files"),
    **dict.fromkeys(("frombuffer", "ctypeslib", "ctypes", "lib", "getbuffer", "byte_bounds",
                     "shares_memory", "may_share_memory"), "it reaches raw memory"),
    **dict.fromkeys(("vectorize", "frompyfunc", "apply_along_axis", "apply_over_axes",
                     "fromfunction", "piecewise", "fromiter", "nditer"),
                    "it runs a function per element behind the budget's back"),
    **dict.fromkeys(("object_", "void", "str_", "bytes_", "recarray", "rec", "char",
                     "chararray", "dtypes"), "object, string and record arrays are not sized"),
    **dict.fromkeys(("show_config", "show_runtime", "test", "f2py", "distutils", "testing",
                     "typing", "core", "exceptions", "get_include", "info", "source",
                     "set_printoptions", "seterr", "seterrcall", "setbufsize", "einsum",
                     "pad", "bincount", "einsum_path", "tensordot"),
                    "it reaches the interpreter or cannot be sized beforehand"),
}

_NUMPY_FUNCTIONS = """
abs absolute add subtract multiply divide true_divide floor_divide power float_power mod
remainder fmod divmod negative positive sqrt cbrt square exp exp2 expm1 log log2 log10 log1p
sin cos tan arcsin arccos arctan arctan2 sinh cosh tanh arcsinh arccosh arctanh hypot maximum
minimum fmax fmin sign floor ceil round around rint trunc fix clip where isnan isinf isfinite
isclose allclose array_equal equal not_equal less less_equal greater greater_equal logical_and
logical_or logical_not logical_xor deg2rad rad2deg degrees radians reciprocal nan_to_num
heaviside sum prod mean std var min max amin amax argmin argmax median average cumsum cumprod
all any count_nonzero nansum nanmean nanmax nanmin nanstd nanvar ptp percentile quantile sort
argsort unique diff trace array asarray zeros ones empty full zeros_like ones_like empty_like
full_like arange linspace logspace geomspace eye identity diag diagonal tri tril triu meshgrid
copy reshape ravel transpose swapaxes moveaxis squeeze expand_dims concatenate stack hstack
vstack column_stack split array_split flip fliplr flipud roll tile repeat broadcast_to
atleast_1d atleast_2d atleast_3d shape ndim size dot matmul vdot inner outer kron cross
argwhere nonzero flatnonzero searchsorted histogram convolve interp polyfit polyval isscalar
result_type dtype gradient cov corrcoef floor ceil
""".split()

_NUMPY_SCALARS = ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                  "uint16", "uint32", "uint64", "bool_", "complex64", "complex128", "intp",
                  "double", "single", "half", "longlong")
_NUMPY_VALUES = ("pi", "e", "inf", "nan", "newaxis", "euler_gamma")

# numpy.random: the position of the `size` argument (None: the arguments are the dimensions).
_NP_RANDOM = {"rand": None, "randn": None, "random": 0, "random_sample": 0, "ranf": 0,
              "sample": 0, "standard_normal": 0, "randint": 2, "uniform": 2, "normal": 2,
              "choice": 1, "binomial": 2, "poisson": 1, "exponential": 1, "beta": 2,
              "gamma": 2, "lognormal": 2, "laplace": 2, "logistic": 2, "geometric": 1,
              "standard_exponential": 0, "standard_gamma": 1, "chisquare": 1, "permutation": 0,
              "shuffle": -1, "seed": -1, "multivariate_normal": 2, "dirichlet": 1,
              "multinomial": 2, "triangular": 3, "weibull": 1, "pareto": 1, "rayleigh": 1,
              "standard_t": 1, "vonmises": 2, "f": 2, "zipf": 1, "hypergeometric": 3}

_NP_LINALG = ("inv", "det", "solve", "norm", "eig", "eigh", "eigvals", "eigvalsh", "svd", "qr",
              "cholesky", "pinv", "matrix_rank", "lstsq", "matrix_power", "slogdet", "cond",
              "multi_dot", "tensorinv", "tensorsolve")

_BAD_DTYPE_KINDS = frozenset("OVSUMm")

# Pure-Python loops of the standard library that no budget check reaches: inputs beyond this
# are refused (a million items take well under the time budget).
PY_LOOP_CAP = 1_000_000
# numpy.linalg runs one LAPACK call per matrix: refused beyond this many multiply-adds
# (rows * cols * min(rows, cols) per matrix), which takes seconds that cannot be interrupted.
LINALG_COST = 2_000_000_000

_RANDOM_METHODS = ("random", "uniform", "randint", "randrange", "choice", "shuffle", "gauss",
                   "normalvariate", "lognormvariate", "expovariate", "betavariate",
                   "gammavariate", "triangular", "vonmisesvariate", "paretovariate",
                   "weibullvariate", "seed")

_ITERTOOLS = {  # function: positions of its iterable arguments ("*": all of them)
    "count": (), "cycle": (0,), "repeat": (), "accumulate": (0,), "chain": "*",
    "compress": (0, 1), "dropwhile": (1,), "takewhile": (1,), "filterfalse": (1,),
    "groupby": (0,), "islice": (0,), "pairwise": (0,), "starmap": (1,), "tee": (0,),
    "zip_longest": "*", "product": "*", "permutations": (0,), "combinations": (0,),
    "combinations_with_replacement": (0,)}

_TYPING = ("Any", "Callable", "Dict", "List", "Optional", "Sequence", "Tuple", "Union",
           "Iterable", "Iterator", "Generator", "Mapping", "Set", "FrozenSet", "Type",
           "TypeVar", "Literal", "Final", "ClassVar", "TYPE_CHECKING", "cast", "overload",
           "NoReturn", "Hashable", "Sized", "Collection", "MutableMapping", "MutableSequence",
           "DefaultDict", "OrderedDict", "Counter", "Deque")

_TIME = ("time", "time_ns", "perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns",
         "process_time", "process_time_ns")


def _module(name, members, raw=(), refused=None, doc=""):
    module = types.ModuleType(name, doc)
    for key, value in members.items():
        setattr(module, key, value)
    module.__all__ = sorted(members)
    module.__sandbox_raw__ = frozenset(raw)           # handed out as they are
    module.__sandbox_refused__ = dict(refused or {})  # name -> why it is refused
    return module


def build_modules(guards: Any) -> dict:
    """The stand-in modules for one run, by import name (``numpy``, ``random``...)."""
    lim = guards.limits
    builders = ModuleBuilders(guards, lim)
    modules = {
        "__future__": _module("__future__", {f: getattr(__future__, f) for f in FUTURE_FEATURES},
                              raw=FUTURE_FEATURES),
        "random": builders.random(),
        "itertools": builders.itertools(),
        "functools": builders.functools(),
        "collections": builders.collections(),
        "dataclasses": builders.dataclasses(),
        "typing": _module("typing", {n: getattr(typing, n) for n in _TYPING}, raw=_TYPING),
        "copy": builders.copy(),
        "statistics": builders.statistics(),
        "time": _module("time", {n: getattr(time, n) for n in _TIME}, refused={
            n: "only the clock functions of time are available" for n in
            ("sleep", "strftime", "localtime", "gmtime", "ctime", "asctime", "mktime",
             "strptime", "tzset", "get_clock_info")}),
        "numpy": builders.numpy(),
    }
    return modules


class ModuleBuilders:
    """One stand-in module each; every function checks sizes before it allocates and every
    iterator it returns checks the time budget per item."""

    def __init__(self, guards, limits):
        self.guards, self.limits = guards, limits

    # ---------------------------------------------------------------- python's modules
    def random(self) -> Any:
        rng = random.Random(SEED)
        lim = self.limits
        members = {n: getattr(rng, n) for n in _RANDOM_METHODS}

        def sized(name, k):
            if isinstance(k, int):
                lim.check_numel(k, f"random.{name}(...)")
            if isinstance(k, int) and k > PY_LOOP_CAP:
                raise lim.exceeded(translate(
                    "Limits", "random.{name}(...) of more than {count} items").format(
                    name=name, count=f"{PY_LOOP_CAP:,}"))

        def shuffle(x):
            sized("shuffle", len(x))
            rng.shuffle(x)

        def choices(population, weights=None, *, cum_weights=None, k=1):
            sized("choices", k)
            return rng.choices(population, weights, cum_weights=cum_weights, k=k)

        def sample(population, k, *, counts=None):
            sized("sample", k)
            return rng.sample(population, k, counts=counts)

        def getrandbits(k):
            if k > 1_000_000:
                raise lim.exceeded(translate(
                    "Limits", "random.getrandbits(...) of more than 1,000,000 bits"))
            return rng.getrandbits(k)

        def randbytes(n):
            sized("randbytes", n)
            return rng.randbytes(n)

        members.update(choices=choices, sample=sample, getrandbits=getrandbits,
                       randbytes=randbytes, shuffle=shuffle)
        return _module("random", members, doc="seeded with SEED at the start of every run")

    def itertools(self) -> Any:
        lim = self.limits

        def wrap(name, func, positions):
            def call(*args, **kwargs):
                if name == "product" and isinstance(kwargs.get("repeat"), int):
                    lim.check_numel(len(args) * kwargs["repeat"], "itertools.product(...)")
                if name == "tee" and len(args) > 1 and isinstance(args[1], int):
                    lim.check_numel(args[1], "itertools.tee(...)")
                args = tuple(lim.counted(a, f"itertools.{name}(...)")
                             if positions == "*" or i in positions else a
                             for i, a in enumerate(args))
                made = func(*args, **kwargs)
                if name == "tee":
                    return tuple(lim.counted(t, "itertools.tee(...)") for t in made)
                return lim.counted(made, f"itertools.{name}(...)")
            call.__name__ = name
            return call
        return _module("itertools", {n: wrap(n, getattr(itertools, n), p)
                                     for n, p in _ITERTOOLS.items() if hasattr(itertools, n)})

    def functools(self) -> Any:
        lim = self.limits

        def reduce(function, iterable, *initial):
            return functools.reduce(function, lim.counted(iterable, "functools.reduce(...)"),
                                    *initial)

        def wraps(wrapped, assigned=None, updated=None):
            """As functools.wraps, for the script's own functions: names and doc only."""
            def decorate(wrapper):
                if type(wrapper) is types.FunctionType and _script_function(wrapper):
                    for attr in ("__name__", "__qualname__", "__doc__"):
                        value = getattr(wrapped, attr, None)
                        if isinstance(value, str):
                            setattr(wrapper, attr, value)
                return wrapper
            return decorate

        members = {"reduce": reduce, "wraps": wraps, "partial": functools.partial,
                   "lru_cache": functools.lru_cache, "cache": functools.cache,
                   "cmp_to_key": functools.cmp_to_key,
                   "total_ordering": functools.total_ordering}
        return _module("functools", members, raw=("partial",), refused={
            "update_wrapper": "it copies attributes between any objects; use functools.wraps",
            "singledispatch": "it dispatches on classes behind the guards' back"})

    def collections(self) -> Any:
        guards, lim = self.guards, self.limits
        from .sandbox import ClassProxy

        def counted_first(cls, what):
            def make(*args, **kwargs):
                if args and not isinstance(args[0], (dict, int)):
                    args = (lim.counted(args[0], what),) + args[1:]
                return cls(*args, **kwargs)
            return make

        def defaultdict(*args, **kwargs):
            if len(args) > 1 and not isinstance(args[1], dict):
                args = (args[0], lim.counted(args[1], "defaultdict(...)")) + args[2:]
            return collections.defaultdict(*args, **kwargs)

        def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
            if module is not None:
                raise refusal(TypeError, translate(
                    "Sandbox", "namedtuple(module=...) is not available in scripts"))
            names = field_names.replace(",", " ").split() if isinstance(field_names, str) \
                else list(lim.counted(field_names, "namedtuple(...)"))
            if len(names) > 1000:
                raise lim.exceeded(translate("Limits", "namedtuple(...) with more than 1,000 fields"))
            cls = collections.namedtuple(typename, field_names, rename=rename,
                                         defaults=defaults, module="__main__")
            guards.classes.classes.add(cls)
            return cls

        members = {"namedtuple": namedtuple}
        for cls, make in ((collections.OrderedDict, counted_first(collections.OrderedDict,
                                                                  "OrderedDict(...)")),
                          (collections.Counter, counted_first(collections.Counter,
                                                              "Counter(...)")),
                          (collections.deque, counted_first(collections.deque, "deque(...)")),
                          (collections.defaultdict, defaultdict)):
            members[cls.__name__] = ClassProxy(cls, make, guards, f"collections.{cls.__name__}")
        return _module("collections", members, raw=[n for n in members if n != "namedtuple"])

    def dataclasses(self) -> Any:
        guards = self.guards

        def dataclass(cls=None, /, **kwargs):
            def wrap(klass):
                if klass not in guards.classes.classes:
                    raise refusal(TypeError, translate(
                        "Sandbox", "dataclass() applies to your own classes in scripts"))
                made = dataclasses.dataclass(**kwargs)(klass)
                guards.classes.classes.add(made)     # slots=True makes a new class
                return made
            return wrap if cls is None else wrap(cls)

        members = {"dataclass": dataclass, "field": dataclasses.field,
                   "replace": dataclasses.replace, "is_dataclass": dataclasses.is_dataclass}
        return _module("dataclasses", members, refused={
            "make_dataclass": "its namespace= could define any special method",
            "asdict": "it deep-copies behind the budget's back",
            "astuple": "it deep-copies behind the budget's back",
            "fields": "Field objects are not available in scripts"})

    def copy(self) -> Any:
        lim = self.limits

        class BudgetMemo(dict):
            """deepcopy asks its memo about every object it copies: the budget is checked."""

            def get(self, key, default=None):
                lim.check_time()
                return dict.get(self, key, default)

        def deepcopy(x):
            return lim.result(copy.deepcopy(x, BudgetMemo()))

        return _module("copy", {"copy": lambda x: lim.result(copy.copy(x)),
                                "deepcopy": deepcopy})

    def statistics(self) -> Any:
        lim = self.limits
        names = ("mean", "fmean", "geometric_mean", "harmonic_mean", "median", "median_low",
                 "median_high", "median_grouped", "mode", "multimode", "pstdev", "pvariance",
                 "stdev", "variance", "quantiles")

        def wrap(name):
            func = getattr(statistics, name)

            def call(data, *args, **kwargs):
                items = list(lim.counted(data, f"statistics.{name}(...)"))
                if len(items) > 1_000_000:   # statistics loops in Python, unchecked
                    raise lim.exceeded(translate(
                        "Limits", "statistics.{name}(...) of more than 1,000,000 values").format(
                        name=name))
                return func(items, *args, **kwargs)
            return call
        members = {n: wrap(n) for n in names if hasattr(statistics, n)}
        members["StatisticsError"] = statistics.StatisticsError
        return _module("statistics", members, raw=("StatisticsError",))

    # ---------------------------------------------------------------- numpy
    def numpy(self) -> Any:
        guards = self.guards
        from .sandbox import ClassProxy
        members = {name: self._np_function(name, getattr(np, name))
                   for name in _NUMPY_FUNCTIONS if hasattr(np, name)}
        for name in _NUMPY_SCALARS:
            if hasattr(np, name):
                cls = getattr(np, name)
                members[name] = ClassProxy(cls, self._np_function(name, cls), guards,
                                           f"numpy.{cls.__name__}")
        members.update({n: getattr(np, n) for n in _NUMPY_VALUES if hasattr(np, n)})
        members["ndarray"] = ClassProxy(np.ndarray, _not_creatable("numpy.ndarray"), guards,
                                        "numpy.ndarray")
        members["random"] = self._np_random()
        members["linalg"] = _module("numpy.linalg", {
            **{n: self._np_function(n, getattr(np.linalg, n), linalg=True)
               for n in _NP_LINALG if hasattr(np.linalg, n)},
            "LinAlgError": np.linalg.LinAlgError}, raw=("LinAlgError",))
        raw = [n for n in _NUMPY_VALUES if n in members]
        return _module("numpy", members, raw=raw, refused=_NUMPY_REFUSED)

    def _np_random(self):
        state = np.random.RandomState(SEED)
        members = {}
        for name, size_at in _NP_RANDOM.items():
            if hasattr(state, name):
                members[name] = self._np_function(name, getattr(state, name), size_at=size_at)
        return _module("numpy.random", members, doc="seeded with SEED in every run")

    def _np_function(self, name, func, size_at=None, linalg=False):
        """``numpy.<name>`` for scripts: no object/string dtypes, no script objects as data,
        sizes from ``shape``/``size``/``num`` arguments checked before numpy allocates."""
        lim, opaque = self.limits, self.guards.classes.is_instance

        dtype_at = _DTYPE_POSITION.get(name)

        def call(*args, **kwargs):
            args = tuple(unproxy(a) for a in args)
            kwargs = {k: unproxy(v) for k, v in kwargs.items()}
            for i, value in enumerate(args):
                check_np_argument(name, value, opaque, dtype=i == dtype_at)
            for key, value in kwargs.items():
                check_np_argument(name, value, opaque, dtype=key == "dtype")
            n = _np_planned(name, args, kwargs, size_at)
            if n is not None:
                lim.check_numel(n, f"numpy.{name}(...)")
            if linalg and args:
                shape = _shape(args[0]) or ()
                cost = _prod(shape[:-2]) * shape[-2] * shape[-1] * min(shape[-2:]) \
                    if len(shape) >= 2 else 0
                if cost > LINALG_COST:
                    raise lim.exceeded(translate(
                        "Limits", "numpy.linalg.{name}(...) of shape {shape} would take longer "
                                  "than a script may run uninterrupted").format(
                        name=name, shape=str(tuple(shape))))
            return _check_np_result(name, func(*args, **kwargs))
        call.__name__ = name
        return call


def _script_function(func):
    from .sandbox_policy import SCRIPT_FILENAME
    return func.__code__.co_filename == SCRIPT_FILENAME


# Where a numpy function takes its dtype positionally.
_DTYPE_POSITION = {"zeros": 1, "ones": 1, "empty": 1, "array": 1, "asarray": 1, "full": 2,
                   "astype": 0, "zeros_like": 1, "ones_like": 1, "empty_like": 1,
                   "full_like": 2, "eye": 3, "identity": 1, "arange": 3}


def _not_creatable(public):
    def refuse(*args: Any, **kwargs: Any) -> Any:
        from .sandbox import AccessRefused
        raise refusal(AccessRefused, translate(
            "Sandbox", "cannot create '{name}' objects in scripts; use numpy.array").format(
            name=public))
    return refuse


def unproxy(value: Any) -> Any:
    """A numpy scalar type as the script holds it (a ClassProxy) back to the type numpy knows."""
    from .sandbox import ClassProxy
    cls = value._cp_cls if type(value) is ClassProxy else None
    return cls if isinstance(cls, type) and issubclass(cls, np.generic) else value


def check_np_argument(name: Any, value: Any, opaque: Any, dtype: Any = False) -> Any:
    """Refuse what numpy must not get: object/string/void dtypes, the script's own objects or
    functions (numpy would size or call them), strings as array data."""
    if dtype or isinstance(value, (type, np.dtype)):
        try:
            kind = np.dtype(unproxy(value)).kind
        except (TypeError, ValueError):
            kind = None
        if kind in _BAD_DTYPE_KINDS:
            raise refusal(TypeError, translate(
                "Sandbox", "numpy.{name}(): object, string, void and datetime dtypes are not "
                           "available in scripts").format(name=name))
        return
    data = value
    for _ in range(MAX_DIMS):
        if opaque(data) or callable(data) and not isinstance(data, np.ndarray):
            raise refusal(TypeError, translate(
                "Sandbox", "numpy.{name}(): cannot take a {type} object in scripts; pass "
                           "arrays, tensors, numbers or lists").format(
                name=name, type=type(data).__name__))
        if isinstance(data, (str, bytes)) and data is not value:
            raise refusal(TypeError, translate(
                "Sandbox", "numpy.{name}(): arrays of strings are not available in scripts"
            ).format(name=name))
        if not isinstance(data, (list, tuple)) or not data:
            break
        data = data[0]


def _check_np_result(name, value):
    for item in value if type(value) is tuple else (value,):
        if isinstance(item, (np.ndarray, np.generic)) and item.dtype.kind in _BAD_DTYPE_KINDS:
            raise refusal(TypeError, translate(
                "Sandbox", "numpy.{name}(): object, string, void and datetime arrays are not "
                           "available in scripts").format(name=name))
    return value


def _np_planned(name, args, kwargs, size_at):
    """Elements numpy's ``name`` would make, where its arguments say (else None)."""
    try:
        if "size" in kwargs and kwargs["size"] is not None:
            return _prod(_as_size(kwargs["size"]))
        if "shape" in kwargs and kwargs["shape"] is not None:
            return _prod(_as_size(kwargs["shape"]))
        if size_at is None and name in ("rand", "randn"):
            return _prod(_as_size(args)) if args else 1
        if size_at is not None and size_at >= 0:
            if name == "permutation" and args and isinstance(args[0], int):
                return args[0]
            if len(args) > size_at and args[size_at] is not None:
                size = _prod(_as_size(args[size_at]))
                if name == "multivariate_normal" and args:
                    size *= max(len(args[0]), 1)
                return size
            return None
        if name in _NUMPY_SCALARS and args:
            return _data_numel(args[0])                  # np.float64(range(10**9)) is an array
        if name in ("zeros", "ones", "empty", "full") and args:
            return _prod(_as_size(args[0]))
        if name in ("linspace", "logspace", "geomspace"):
            return int(kwargs.get("num", args[2] if len(args) > 2 else 50))
        if name == "identity" and args:
            return int(args[0]) ** 2
        if name == "tri" and args:
            return int(args[0]) * int(args[1] if len(args) > 1 else kwargs.get("M") or args[0])
        if name == "diag" and args and len(_shape(args[0]) or ()) == 1:
            k = abs(int(args[1] if len(args) > 1 else kwargs.get("k", 0)))
            return (len(args[0]) + k) ** 2
        if name == "meshgrid":
            return _prod(_prod(_shape(a) or ()) for a in args) * len(args)
        if name == "histogram":
            bins = args[1] if len(args) > 1 else kwargs.get("bins", 10)
            return int(bins) if isinstance(bins, int) else None
        if name == "svd" and args and kwargs.get("full_matrices", True):
            shape = _shape(args[0]) or ()
            if len(shape) >= 2:
                return _prod(shape[:-2]) * (shape[-2] ** 2 + shape[-1] ** 2)
        if name == "dot" and len(args) >= 2:
            sa, sb = _shape(args[0]), _shape(args[1])
            if sa and sb and len(sb) >= 2:
                return _prod(sa[:-1]) * _prod(sb[:-2]) * sb[-1]
    except (TypeError, ValueError, OverflowError):
        return None
    return None


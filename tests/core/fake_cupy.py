"""A numpy-backed stand-in for CuPy: runs gradtrace's GPU code path on a machine without a GPU,
refuses what CuPy refuses, and counts what would be GPU kernel launches and host transfers.

Why: the GPU cases of the test suite need a GPU, and the machines that have one are rare and
briefly lent; this double lets every test run check the CuPy path (the array module chosen per
tensor, results and gradients on the device, no numpy function reached with a device array).
And on a GPU small tensors are bound by the host: each CuPy call is a kernel launch costing
microseconds of Python and driver time, so launches per autograd op decide how far gradtrace is
from hand-written CuPy. Counting them needs no GPU.

What it imitates of CuPy:
- ``ndarray`` is not a numpy array: ``np.asarray(device_array)`` raises CuPy's TypeError
  ("Implicit conversion to a NumPy array is not allowed"), ``.get()`` copies to the host;
- kernels refuse numpy arrays as operands (``TypeError: Unsupported type``);
- numpy functions and ufuncs called on device arrays dispatch to this module, as CuPy's
  ``__array_function__``/``__array_ufunc__`` do, and return device arrays;
- reductions and indexing return 0-d device arrays, never host scalars;
- ``.flags`` has no ``writeable``.

What it counts (``counts``): ``launch`` (every call that would start a kernel: ufuncs and their
reductions, creation functions that write memory, copies, casts, gathers and scatters),
``host_to_device`` and ``device_to_host`` (each a synchronization on a real GPU).

``install(monkeypatch)`` makes ``gradtrace.core`` use it as CuPy for one test;
``install_globally()`` for a whole run (``GRADTRACE_FAKE_CUPY=1``, see ``tests/conftest.py``).
"""
import contextlib
import operator
import sys
import types
import weakref
from collections import Counter

import numpy as np

counts = Counter()
trace = []          # the launches in order, while ``trace_on[0]`` is True
trace_on = [False]
_enabled = [True]


def _count(name):
    if _enabled[0]:
        counts["launch"] += 1
        counts[name] += 1
        if trace_on[0]:
            trace.append(name)


def _transfer(kind):
    if _enabled[0]:
        counts[kind] += 1


def launches():
    return counts["launch"]


def reset():
    counts.clear()
    trace.clear()


@contextlib.contextmanager
def uncounted():
    """Set-up work (building inputs) that a comparison should not count."""
    _enabled[0] = False
    try:
        yield
    finally:
        _enabled[0] = True


# ---------------------------------------------------------------- wrapping
_WRAPPERS = weakref.WeakValueDictionary()  # id(numpy array) -> its one device array


def _wrap(x):
    """Device arrays for numpy results (one wrapper per numpy array, so ``a.base is b``
    holds as in CuPy), 0-d device arrays for numpy scalars."""
    if type(x) is np.ndarray:
        w = _WRAPPERS.get(id(x))
        if w is None or w._a is not x:
            w = ndarray.__new__(ndarray)
            w._a = x
            _WRAPPERS[id(x)] = w
        return w
    if isinstance(x, np.generic):
        return _wrap(np.asarray(x))
    if isinstance(x, tuple):
        return tuple(_wrap(i) for i in x)
    if isinstance(x, list):
        return [_wrap(i) for i in x]
    return x


def _unwrap(x):
    if type(x) is ndarray:
        return x._a
    if isinstance(x, tuple):
        return tuple(_unwrap(i) for i in x)
    if isinstance(x, list):
        return [_unwrap(i) for i in x]
    if isinstance(x, dict):
        return {k: _unwrap(v) for k, v in x.items()}
    return x


def _refuse_host_arrays(args):
    """CuPy's kernels take device arrays and scalars, never a numpy array (even a 0-d one)."""
    for a in args:
        if type(a) is np.ndarray:
            raise TypeError(f"Unsupported type {type(a)}")


def _is_basic(idx):
    items = idx if isinstance(idx, tuple) else (idx,)
    return all(i is None or i is Ellipsis or isinstance(i, (int, slice)) for i in items)


def _index(idx):
    """An index for numpy: device arrays unwrapped; numpy arrays copied to the "device" first."""
    items = idx if isinstance(idx, tuple) else (idx,)
    for i in items:
        if type(i) is np.ndarray:
            _transfer("host_to_device")
    return _unwrap(idx)


class _Flags:
    __slots__ = ("c_contiguous", "f_contiguous", "owndata")

    def __init__(self, a):
        f = a.flags
        self.c_contiguous, self.f_contiguous, self.owndata = f.c_contiguous, f.f_contiguous, f.owndata


class _Device:
    def __init__(self, index=0):
        self.id = index

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __eq__(self, other):
        return isinstance(other, _Device) and other.id == self.id

    def __hash__(self):
        return hash(self.id)

    def synchronize(self):
        pass


_DEVICE0 = _Device(0)


class ndarray:
    """A "device" array: numpy memory behind CuPy's surface."""

    __slots__ = ("_a", "_base", "__weakref__")
    __array_priority__ = 100

    def __init__(self, shape, dtype=float):
        self._a = np.empty(shape, dtype)

    # -- what CuPy refuses
    def __array__(self, dtype=None, copy=None):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. "
                        "Please use `.get()` to construct a NumPy array explicitly.")

    def __iter__(self):
        if self._a.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(len(self._a)))

    # -- numpy protocols: dispatch to this module
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        _refuse_host_arrays(inputs)
        out = kwargs.pop("out", None)
        _count(ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}")
        if out is not None:
            kwargs["out"] = tuple(_unwrap(o) for o in out)
        result = getattr(ufunc, method)(*_unwrap(inputs), **_unwrap(kwargs))
        if out is not None:
            return out[0] if len(out) == 1 else out
        return _wrap(result)

    def __array_function__(self, func, types_, args, kwargs):
        return _call(func.__name__, func, args, kwargs)

    # -- CuPy's own surface
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    strides = property(lambda self: self._a.strides)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    flags = property(lambda self: _Flags(self._a))

    @property
    def base(self):
        # a view keeps its base's device array alive, as in CuPy (ids stay unique)
        if self._a.base is None:
            return None
        self._base = _wrap(self._a.base)
        return self._base
    T = property(lambda self: _wrap(self._a.T))
    real = property(lambda self: _wrap(self._a.real))
    imag = property(lambda self: _wrap(self._a.imag))
    device = property(lambda self: _DEVICE0)
    data = property(lambda self: types.SimpleNamespace(ptr=self._a.ctypes.data))  # MemoryPointer

    def __len__(self):
        return len(self._a)

    def get(self, stream=None, order="C", out=None):
        _transfer("device_to_host")
        return np.array(self._a, order=order)

    def item(self):
        _transfer("device_to_host")
        return self._a.item()

    def tolist(self):
        _transfer("device_to_host")
        return self._a.tolist()

    def __float__(self):
        _transfer("device_to_host")
        return float(self._a)

    def __int__(self):
        _transfer("device_to_host")
        return int(self._a)

    def __bool__(self):
        _transfer("device_to_host")
        return bool(self._a)

    def __complex__(self):
        _transfer("device_to_host")
        return complex(self._a)

    def __index__(self):
        _transfer("device_to_host")
        return operator.index(self._a)

    def astype(self, dtype, order="K", casting=None, subok=None, copy=True):
        if not copy and np.dtype(dtype) == self._a.dtype:
            return self
        _count("astype")
        return _wrap(self._a.astype(dtype, order=order))

    def copy(self, order="C"):
        _count("copy")
        return _wrap(self._a.copy(order=order))

    def fill(self, value):
        _count("fill")
        self._a.fill(_unwrap(value))

    def __getitem__(self, idx):
        if not _is_basic(idx):
            _count("gather")
        return _wrap(self._a[_index(idx)])

    def __setitem__(self, idx, value):
        if type(value) is np.ndarray and value.ndim:   # CuPy fills from host scalars only
            raise ValueError("non-scalar numpy.ndarray cannot be used for fill")
        _count("setitem")
        self._a[_index(idx)] = _unwrap(value)

    def __repr__(self):
        return repr(self._a)

    def __str__(self):
        return str(self._a)

    def __getattr__(self, name):
        # views and reductions as methods (reshape, transpose, sum, max, cumsum, ...); never
        # numpy's own protocols (__array_interface__ would hand numpy the memory)
        if name.startswith("__"):
            raise AttributeError(name)
        attr = getattr(self._a, name)
        if not callable(attr):
            return _wrap(attr)

        def method(*args, **kwargs):
            if name not in _NO_LAUNCH:
                _count(name)
            return _wrap(attr(*_unwrap(args), **_unwrap(kwargs)))
        method.__name__ = name
        return method


def _dunder(name, fn, inplace=False):
    def op(self, *others):
        _refuse_host_arrays(others)
        _count(name)
        result = fn(self._a, *_unwrap(others))
        return self if inplace else _wrap(result)
    op.__name__ = name
    return op


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
              "xor", "lshift", "rshift"):
    _f = getattr(operator, _name if _name not in ("and", "or") else _name + "_")
    setattr(ndarray, f"__{_name}__", _dunder(_name, _f))
    setattr(ndarray, f"__r{_name}__", _dunder("r" + _name, lambda a, b, _f=_f: _f(b, a)))
    setattr(ndarray, f"__i{_name}__", _dunder("i" + _name, getattr(operator, "i" + _name), inplace=True))
for _name in ("lt", "le", "eq", "ne", "gt", "ge", "neg", "pos", "abs", "invert"):
    setattr(ndarray, f"__{_name}__", _dunder(_name, getattr(operator, _name)))
ndarray.__hash__ = None


# ---------------------------------------------------------------- the module's functions
# Functions and methods that return views or metadata: no kernel.
_NO_LAUNCH = {"reshape", "broadcast_to", "expand_dims", "squeeze", "transpose", "swapaxes",
              "moveaxis", "result_type", "broadcast_arrays", "atleast_1d", "atleast_2d",
              "can_cast", "promote_types", "iinfo", "finfo", "dtype", "isscalar", "diagonal",
              "view", "ravel_multi_index", "shape", "ndim", "empty", "empty_like"}


def _call(name, func, args, kwargs):
    if name in ("asarray", "array", "ascontiguousarray", "asanyarray"):
        src = args[0] if args else kwargs.get("a", kwargs.get("obj"))
        dtype = kwargs.get("dtype", args[1] if len(args) > 1 else None)
        if type(src) is ndarray:
            if name != "array" and (dtype is None or np.dtype(dtype) == src.dtype) and (
                    name != "ascontiguousarray" or src._a.flags.c_contiguous):
                return src
            _count("copy")
        elif isinstance(src, np.ndarray) or (isinstance(src, (list, tuple)) and src):
            _transfer("host_to_device")
    elif name not in _NO_LAUNCH:
        _refuse_host_arrays(args)
        _count(name)
    return _wrap(func(*_unwrap(args), **_unwrap(kwargs)))


class _Ufunc:
    """``cupy.exp`` and friends: counted, device arrays out."""

    def __init__(self, f):
        self._f = f
        self.__name__ = f.__name__
        self.nin, self.nout = f.nin, f.nout

    def __call__(self, *args, **kwargs):
        _refuse_host_arrays(args)
        _count(self.__name__)
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = _unwrap(out)
        result = self._f(*_unwrap(args), **_unwrap(kwargs))
        return out if out is not None else _wrap(result)

    def reduce(self, a, *args, **kwargs):
        _count(self.__name__ + ".reduce")
        return _wrap(self._f.reduce(_unwrap(a), *args, **_unwrap(kwargs)))


class _MemoryPool:
    """CuPy's memory pool, as far as gradtrace uses it: bytes held by live device arrays."""

    def used_bytes(self):
        return sum(w._a.nbytes for w in list(_WRAPPERS.values()) if w._a.base is None)

    def free_all_blocks(self):
        pass


_POOL = _MemoryPool()


def _module():
    mod = types.ModuleType("cupy")
    mod.__doc__ = __doc__
    mod.ndarray = ndarray
    mod.__version__ = "fake (numpy " + np.__version__ + ")"
    mod.cuda = types.SimpleNamespace(
        Device=_Device,
        runtime=types.SimpleNamespace(
            getDeviceCount=lambda: 1, getDevice=lambda: 0,
            getDeviceProperties=lambda i: {"name": b"fake_cupy (numpy)", "totalGlobalMem": 0}),
        get_current_stream=lambda: types.SimpleNamespace(synchronize=lambda: None))
    mod.asnumpy = lambda a: a.get() if type(a) is ndarray else np.asarray(a)
    mod.get_default_memory_pool = lambda: _POOL
    mod.get_array_module = lambda *arrays: mod if any(type(a) is ndarray for a in arrays) else np
    # cupy.lib.stride_tricks.as_strided: a view of device memory, no kernel
    mod.lib = types.SimpleNamespace(stride_tricks=types.SimpleNamespace(
        as_strided=lambda x, shape=None, strides=None: _wrap(
            np.lib.stride_tricks.as_strided(_unwrap(x), shape, strides))))
    for name in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                 "bool_", "complex64", "complex128", "dtype", "newaxis", "pi", "e", "inf", "nan"):
        setattr(mod, name, getattr(np, name))
    cache = {}

    def getattr_(name):
        f = cache.get(name)
        if f is None:
            g = getattr(np, name)
            if isinstance(g, np.ufunc):
                f = _Ufunc(g)
            elif callable(g) and not isinstance(g, type):
                def f(*args, _g=g, _name=name, **kwargs):
                    return _call(_name, _g, args, kwargs)
                f.__name__ = name
            else:
                f = g
            cache[name] = f
        return f
    mod.__getattr__ = getattr_
    return mod


def _scatter_add(a, slices, value):
    _count("scatter_add")
    np.add.at(a._a, _index(slices), _unwrap(value))


cupy = _module()
cupyx = types.ModuleType("cupyx")
cupyx.scatter_add = _scatter_add
cupyx.allow_synchronize = lambda allow: contextlib.nullcontext()


def install(monkeypatch):
    """Make ``gradtrace.core`` see this module as CuPy for the rest of a test."""
    from gradtrace.core import _device, _graph
    from gradtrace.core.derivatives import arrays
    monkeypatch.setattr(_device, "_cupy", cupy)
    monkeypatch.setattr(_device, "_CUPY_ERROR", None)
    monkeypatch.setattr(_graph, "_cupy", cupy)
    monkeypatch.setitem(sys.modules, "cupyx", cupyx)
    monkeypatch.setattr(arrays, "_XP_BY_TYPE", {np.ndarray: np})
    reset()
    return cupy


def install_globally():
    """``install`` for a whole test session."""
    class _Setter:
        def setattr(self, obj, name, value, raising=True):
            setattr(obj, name, value)

        def setitem(self, mapping, key, value):
            mapping[key] = value
    return install(_Setter())

"""Tensor creation with PyTorch's names and dtype rules: ``tensor``, ``ones``, ``randn``, ...

Python floats give the default dtype (float32), ints int64, bools bool; a numpy array keeps its
dtype. ``device=None`` means the default device (``set_default_device``).
"""
import numpy as np

from . import _device, _dtype, _graph
from ._random import _rng, initial_seed, manual_seed, pack_state, rng_of, seed, unpack_state

__all__ = ["tensor", "as_tensor", "from_numpy", "ones", "zeros", "empty", "full", "eye",
           "arange", "linspace", "rand", "randn", "randint", "ones_like", "zeros_like",
           "full_like", "empty_like", "rand_like", "randn_like", "manual_seed", "seed",
           "initial_seed", "randperm", "get_rng_state", "set_rng_state"]


def _finish(arr, dtype, device, requires_grad):
    if dtype is not None:
        arr = arr.astype(_dtype.to_dtype(dtype).np, copy=False)
    if device is not None or _device._default_device[0] is not _device.CPU:
        dev = _device.as_device(device)
        if dev.type != "cpu":
            arr = _device.move(arr, dev)
    t = _graph.Tensor._wrap(arr)
    if requires_grad:
        if arr.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t._requires_grad = True
    return t


def _ragged_message(data):
    def walk(x, dim):
        if not isinstance(x, (list, tuple)):
            return None
        lens = {len(e) for e in x if isinstance(e, (list, tuple))}
        if lens and len(x) and isinstance(x[0], (list, tuple)):
            first = len(x[0])
            for e in x:
                if not isinstance(e, (list, tuple)):
                    return f"expected sequence of length {first} at dim {dim + 1} (got {type(e).__name__})"
                if len(e) != first:
                    return f"expected sequence of length {first} at dim {dim + 1} (got {len(e)})"
            for e in x:
                m = walk(e, dim + 1)
                if m:
                    return m
        return None
    return walk(data, 0) or "could not convert the data to a tensor"


def _from_data(data, dtype):
    if isinstance(data, _graph.Tensor):
        return data._data.copy()
    if isinstance(data, np.ndarray):
        _dtype.from_numpy_dtype(data.dtype)
        return data.copy()
    if isinstance(data, (list, tuple)) and any(isinstance(e, _graph.Tensor) for e in data):
        return np.stack([_device.to_numpy(_from_data(e, dtype)) for e in data])
    try:
        arr = np.array(data)
    except ValueError:
        raise ValueError(_ragged_message(data)) from None
    if arr.dtype == object:
        raise ValueError(_ragged_message(data)) if isinstance(data, (list, tuple)) else TypeError(
            f"Could not infer dtype of {type(data).__name__}")
    if arr.dtype.kind == "f":   # Python floats: the default dtype, unless one is asked for
        # (then _finish casts once: 0.1 as float64 stays 0.1, not float32's 0.10000000149)
        if dtype is None:
            arr = arr.astype(_dtype.get_default_dtype().np)
    elif arr.dtype.kind in "iu":
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "b":
        raise TypeError(f"Could not infer dtype of {type(data).__name__}")
    return arr


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new leaf tensor holding a copy of ``data`` (nested lists, numbers, arrays).

    >>> tensor([[1., 2.], [3., 4.]], requires_grad=True).shape
    torch.Size([2, 2])
    """
    if isinstance(data, _graph.Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        if device is None:
            device = data.device
    return _finish(_from_data(data, dtype), dtype, device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with a numpy array or tensor when it can."""
    if isinstance(data, _graph.Tensor):
        return data.to(dtype) if dtype is not None else data
    if isinstance(data, np.ndarray) and device is None and (
            dtype is None or _dtype.to_dtype(dtype).np == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array):
    """A tensor sharing memory with the numpy ``array`` (same dtype)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    _dtype.from_numpy_dtype(array.dtype)
    return _graph.Tensor._wrap(array)


def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    plain = True
    for s in size:
        if type(s) is int and s >= 0:
            continue
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"expected a sequence of integers, but got {type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
        plain = False
    return size if plain else tuple(int(s) for s in size)


def _built_on(device, build):
    """``build(xp)`` with the array module of ``device`` (the default device when None), run on
    that device: fills, ranges and identities are made where they live, since a host-built
    array would cost a copy to the GPU that waits for the GPU's queued work."""
    if device is None and _device._default_device[0] is _device.CPU:
        return build(np)
    dev = _device.as_device(device)
    if dev.type == "cpu":
        return build(np)
    xp = _device.module_for(dev)
    with xp.cuda.Device(dev.index or 0):
        return build(xp)


def _filled(size, value, dtype, device, requires_grad):
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    shape = _size(size)
    if device is None and _device._default_device[0] is _device.CPU:  # the common case, direct
        make = _FILL.get(value) if type(value) is int else None  # np.ones/zeros are C-level
        arr = make(shape, dt.np) if make is not None else np.full(shape, value, dtype=dt.np)
    else:
        arr = _built_on(device, lambda xp: xp.full(shape, value, dtype=dt.np))
    return _finish(arr, None, device, requires_grad)


_FILL = {0: np.zeros, 1: np.ones}


def ones(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of ones (default dtype float32)."""
    return _filled(size, 1, dtype, device, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of zeros (default dtype float32)."""
    return _filled(size, 0, dtype, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False):
    return _filled(size, 0, dtype, device, requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    """A tensor of ``fill_value``; its dtype follows the value's type as in PyTorch."""
    if dtype is None:
        dtype = (_dtype.bool if isinstance(fill_value, bool) else _dtype.int64
                 if isinstance(fill_value, int) else _dtype.get_default_dtype())
    return _filled((size,) if isinstance(size, int) else tuple(size), fill_value, dtype, device,
                   requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    arr = _built_on(device, lambda xp: xp.eye(n, n if m is None else m, dtype=dt.np))
    return _finish(arr, None, device, requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Values from ``start`` to ``end`` (exclusive); int64 unless an argument is a float."""
    if end is None:
        start, end = 0, start
    args = (start, end, step)
    if dtype is None:
        dtype = (_dtype.get_default_dtype() if any(isinstance(a, float) for a in args)
                 else _dtype.int64)
    dt = _dtype.to_dtype(dtype)
    n = max(int(np.ceil((end - start) / step)), 0)
    arr = _built_on(device, lambda xp: (start + xp.arange(n, dtype=np.float64) * step).astype(dt.np)
                    if dt.is_floating_point else xp.arange(start, end, step, dtype=dt.np))
    return _finish(arr, None, device, requires_grad)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    arr = _built_on(device, lambda xp: xp.linspace(start, end, int(steps)).astype(dt.np))
    return _finish(arr, None, device, requires_grad)


def _random(method, size, dtype, device, requires_grad, generator=None, kw_size=None):
    if kw_size is not None:   # randn(size=(2, 3)), as the tutorials write it
        if size:
            raise TypeError(f"{_PUBLIC[method]}() received an invalid combination of arguments"
                            f" - got both a positional size and size=")
        size = (_size_arg(kw_size, _PUBLIC[method], None),)
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    rng = _rng[0] if generator is None else rng_of(generator)
    if dt is _dtype.float32 or dt is _dtype.float64:  # drawn in that precision directly
        arr = getattr(rng, method)(_size(size), dtype=dt.np)
    else:
        arr = getattr(rng, method)(_size(size)).astype(dt.np)
    return _finish(arr, None, device, requires_grad)


_PUBLIC = {"random": "rand", "standard_normal": "randn"}


def _size_arg(size, fn, position):
    """A ``size=`` argument as a tuple, with PyTorch's error for anything but a sequence of ints."""
    if isinstance(size, (tuple, list)) or type(size).__name__ == "Size":
        return tuple(size)
    where = f" (position {position})" if position else ""
    raise TypeError(f"{fn}(): argument 'size'{where} must be tuple of ints, not "
                    f"{type(size).__name__}")


def get_rng_state():
    """The default random stream's state as a uint8 tensor (``torch.get_rng_state()``), for
    `set_rng_state` to return to; its bytes are gradtrace's own (PCG64), not PyTorch's."""
    return _graph.Tensor._wrap(pack_state(_rng))


def set_rng_state(new_state):
    """Return the default random stream to ``new_state``, from `get_rng_state`."""
    if not isinstance(new_state, _graph.Tensor):
        raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
    if new_state._data.dtype != np.uint8:
        raise TypeError("RNG state must be a torch.ByteTensor")
    data = new_state._data
    unpack_state(data.get() if hasattr(data, "get") else data, _rng)   # (CuPy: to the host)


def rand(*size, dtype=None, device=None, requires_grad=False, generator=None, **kw):
    """Uniform samples from [0, 1); ``rand(2, 3)``, ``rand((2, 3))`` or ``rand(size=(2, 3))``."""
    return _random("random", size, dtype, device, requires_grad, generator, _kw_size(kw, "rand"))


def randn(*size, dtype=None, device=None, requires_grad=False, generator=None, **kw):
    """Standard normal samples; ``randn(2, 3)``, ``randn((2, 3))`` or ``randn(size=(2, 3))``."""
    return _random("standard_normal", size, dtype, device, requires_grad, generator,
                   _kw_size(kw, "randn"))


def _kw_size(kw, fn):
    size = kw.pop("size", None)
    for accepted in ("pin_memory", "layout"):   # no meaning on this engine
        kw.pop(accepted, None)
    if kw:
        raise TypeError(f"{fn}() got an unexpected keyword argument '{next(iter(kw))}'")
    return size


def randint(*args, low=None, high=None, size=None, generator=None, dtype=None, device=None,
            requires_grad=False, pin_memory=False):
    """Integers uniform in ``[low, high)``: ``randint(high, size)`` or ``randint(low, high,
    size)`` (PyTorch's two forms; each part may be a keyword), int64 unless ``dtype`` says."""
    args = list(args)
    if size is None and args:
        size = args.pop()
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        if high is None:
            high = args[0]
        else:
            low = args[0]
    elif args:
        raise TypeError("randint() received an invalid combination of arguments")
    if high is None or size is None:
        got = ", ".join(type(a).__name__ for a in args) or "no arguments"
        raise TypeError(f"randint() received an invalid combination of arguments - got ({got}),"
                        " but expected one of:\n * (int high, tuple of ints size)\n"
                        " * (int low, int high, tuple of ints size)")
    size = _size_arg(size, "randint", None if len(args) == 0 else len(args) + 1)
    low = 0 if low is None else low
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    rng = _rng[0] if generator is None else rng_of(generator)
    arr = rng.integers(int(low), int(high), _size(size)).astype(np.int64)
    return _finish(arr, dtype, device, requires_grad)


def _like(fn, t, dtype, device, requires_grad, *args):
    return fn(*args, *t.shape, dtype=dtype or t.dtype, device=device or t.device,
              requires_grad=requires_grad)


def ones_like(t, *, dtype=None, device=None, requires_grad=False):
    return _like(ones, t, dtype, device, requires_grad)


def zeros_like(t, *, dtype=None, device=None, requires_grad=False):
    return _like(zeros, t, dtype, device, requires_grad)


def empty_like(t, *, dtype=None, device=None, requires_grad=False):
    return _like(zeros, t, dtype, device, requires_grad)


def rand_like(t, *, dtype=None, device=None, requires_grad=False):
    return _like(rand, t, dtype, device, requires_grad)


def randn_like(t, *, dtype=None, device=None, requires_grad=False):
    return _like(randn, t, dtype, device, requires_grad)


def full_like(t, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(tuple(t.shape), fill_value, dtype=dtype or t.dtype, device=device or t.device,
                requires_grad=requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False,
             pin_memory=False):
    """A random permutation of ``0 .. n-1`` (int64 unless ``dtype`` says otherwise)."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"randperm(): argument 'n' (position 1) must be int, not "
                        f"{type(n).__name__}")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    arr = rng_of(generator).permutation(int(n))
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    return _finish(arr.astype(dt.np), None, device, requires_grad)

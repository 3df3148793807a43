"""Devices: ``device('cpu')`` arrays are numpy, ``device('cuda', 0)`` arrays are CuPy.

The array module is chosen per tensor from its array's type, so every op has one code path.
"""
import numpy as np

__all__ = ["device", "get_default_device", "set_default_device"]

try:  # CuPy is an optional extra: pip install gradtrace[gpu]
    import cupy as _cupy
except Exception as exc:  # ImportError, or a CUDA library that fails to load
    _cupy = None
    _CUPY_ERROR = f"CuPy is not installed or failed to import ({type(exc).__name__}: {exc})"
else:
    _CUPY_ERROR = None


class device:
    """Where a tensor lives, printed as PyTorch prints it: ``device(type='cuda', index=0)``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type!r})")
        if ":" in type:
            type, _, idx = type.partition(":")
            if index is not None:
                raise RuntimeError("type (string) must not include an index because index was passed explicitly")
            index = int(idx)
        if type not in ("cpu", "cuda"):
            raise RuntimeError(
                "Expected one of cpu, cuda device type at start of device string: " + type)
        self.type = type
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


CPU = device("cpu")
_default_device = [CPU]


def _require_cuda():
    if _cupy is None:
        raise RuntimeError(
            "Torch not compiled with CUDA enabled: gradtrace's CUDA backend is CuPy, and "
            + _CUPY_ERROR + ". Install it with: pip install gradtrace[gpu]")
    try:
        count = _cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:
        raise RuntimeError(f"CuPy is installed but no CUDA GPU is usable: {exc}") from None
    if count == 0:
        raise RuntimeError("CuPy is installed but found no CUDA GPU")
    return _cupy


def as_device(d):
    """Normalise ``None``/str/int/``device`` to a ``device`` (``None`` is the default device)."""
    if d is None:
        return _default_device[0]
    if isinstance(d, device):
        dev = d
    elif isinstance(d, int):
        dev = device("cuda", d)
    else:
        dev = device(d)
    if dev.type == "cuda" and dev.index is None:
        dev = device("cuda", _require_cuda().cuda.runtime.getDevice())
    return dev


def get_default_device():
    """The device new tensors are made on (``device(type='cpu')`` unless changed)."""
    return _default_device[0]


def set_default_device(d):
    """Make creation functions put new tensors on ``d`` (``"cpu"``, ``"cuda"``, ``None`` for cpu)."""
    dev = CPU if d is None else as_device(d)
    if dev.type == "cuda":
        _require_cuda()
    _default_device[0] = dev


def array_module(arr):
    """numpy or cupy, whichever ``arr`` belongs to."""
    if type(arr) is np.ndarray or _cupy is None:
        return np
    return _cupy if isinstance(arr, _cupy.ndarray) else np


def array_module_of_type(kind):
    """numpy or cupy, whichever makes arrays of type ``kind``."""
    return np if kind is np.ndarray or _cupy is None else _cupy


def device_of(arr):
    if type(arr) is np.ndarray or _cupy is None or not isinstance(arr, _cupy.ndarray):
        return CPU
    return device("cuda", arr.device.id)


def module_for(dev):
    """The array module for a device, checking the GPU is usable."""
    if dev.type == "cpu":
        return np
    return _require_cuda()


def move(arr, dev):
    """Copy ``arr`` to device ``dev`` (no copy when it is already there)."""
    src = device_of(arr)
    if src == dev:
        return arr
    if dev.type == "cpu":
        return arr.get()
    cp = _require_cuda()
    with cp.cuda.Device(dev.index or 0):
        return cp.asarray(arr)


def to_numpy(arr):
    """A numpy array for any backend's array (a device-to-host copy for CuPy)."""
    return arr if type(arr) is np.ndarray else (arr.get() if hasattr(arr, "get") else np.asarray(arr))

"""PyTorch dtype objects (``torch.float32`` ...) over numpy dtypes, and PyTorch's type promotion.

Promotion follows PyTorch, not numpy: dimensioned tensors outrank 0-d tensors, which outrank
Python scalars, and only a higher *category* (bool < integer < floating) lets a lower-priority
operand change the result type.
"""
import builtins

import numpy as np

__all__ = ["dtype", "float16", "float32", "float64", "int8", "int16", "int32", "int64",
           "uint8", "bool", "half", "float", "double", "short", "int", "long",
           "get_default_dtype", "set_default_dtype", "promote_types"]

_builtin_bool = builtins.bool


class dtype:
    """A tensor element type with PyTorch's name (``torch.float32``) over a numpy dtype."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_category")

    def __init__(self, name, np_dtype, category):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.is_floating_point = category == 2
        self.is_signed = name != "uint8" and name != "bool"
        self.itemsize = self.np.itemsize
        self._category = category

    @property
    def is_complex(self):
        return False

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return self.name


float16 = half = dtype("float16", np.float16, 2)
float32 = float = dtype("float32", np.float32, 2)
float64 = double = dtype("float64", np.float64, 2)
int8 = dtype("int8", np.int8, 1)
int16 = short = dtype("int16", np.int16, 1)
int32 = int = dtype("int32", np.int32, 1)
int64 = long = dtype("int64", np.int64, 1)
uint8 = dtype("uint8", np.uint8, 1)
bool = dtype("bool", np.bool_, 0)

_BY_NP = {d.np: d for d in (float16, float32, float64, int8, int16, int32, int64, uint8, bool)}
_default = [float32]


def get_default_dtype():
    """The dtype of tensors made from Python floats (``torch.float32`` unless changed)."""
    return _default[0]


def set_default_dtype(d):
    """Set the default floating dtype (``torch.float32`` or ``torch.float64``)."""
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default[0] = d


def from_numpy_dtype(np_dtype):
    """The ``dtype`` for a numpy dtype; raise TypeError for one PyTorch has no tensor for."""
    d = _BY_NP.get(np_dtype)
    if d is None:
        d = _BY_NP.get(np.dtype(np_dtype))
        if d is None:
            raise TypeError(
                f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only "
                "supported types are: float64, float32, float16, int64, int32, int16, int8, "
                "uint8, and bool.")
    return d


def to_dtype(d):
    """Accept a gradtrace dtype, a numpy dtype or a Python type and return a gradtrace dtype."""
    if isinstance(d, dtype):
        return d
    if d is _builtin_bool:
        return bool
    if d is builtins.float:
        return float64
    if d is builtins.int:
        return int64
    return from_numpy_dtype(np.dtype(d))


def promote_types(a, b):
    """PyTorch's ``promote_types`` for two dtypes: the higher category wins outright (float32
    with int64 is float32, unlike numpy's float64); within a category, numpy's rule."""
    if a is b:
        return a
    if a._category != b._category:
        return a if a._category > b._category else b
    return from_numpy_dtype(np.promote_types(a.np, b.np))


def scalar_category(value):
    """Category of a Python scalar: 0 bool, 1 integer, 2 floating."""
    if isinstance(value, _builtin_bool):
        return 0
    if isinstance(value, builtins.int):
        return 1
    return 2


def result_type(dims, zero_dims, scalars):
    """Result dtype of an op, from the dtypes of its dimensioned tensors, its 0-d tensors and
    the categories of its Python scalars (PyTorch's three priority classes)."""
    out = None
    for d in dims:
        out = d if out is None else promote_types(out, d)
    zd = None
    for d in zero_dims:
        zd = d if zd is None else promote_types(zd, d)
    if zd is not None and (out is None or zd._category > out._category):
        out = zd
    if scalars:
        cat = max(scalars)
        if out is None:
            out = (bool, int64, _default[0])[cat]
        elif cat > out._category:
            out = int64 if cat == 1 else _default[0]
    return out


# PyTorch's legacy tensor type words: "torch.FloatTensor" for float32
TYPE_WORDS = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
              "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}

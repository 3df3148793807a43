"""PyTorch's legacy constructor ``torch.Tensor(...)`` (data, sizes, another tensor, or nothing;
always the default float dtype) and its old ``new()`` error texts."""
import numpy as np

from . import _creation, _device, _dtype

__all__ = ["legacy_new"]

_USAGE = ("new() received an invalid combination of arguments - got ({got}), but expected one "
          "of:\n * (*, torch.device device = None)\n * (torch.Storage storage)\n"
          " * (Tensor other)\n * (tuple of ints size, *, torch.device device = None)\n"
          " * (object data, *, torch.device device = None)\n")


def legacy_new(tensor_cls, args, kwargs):
    """``torch.Tensor(*args, device=None)``."""
    device = kwargs.pop("device", None)
    if kwargs:
        got = ", ".join([type(a).__name__ for a in args] + [f"{k}={_type_name(v)}"
                                                            for k, v in kwargs.items()])
        raise TypeError(_USAGE.format(got=got))
    if not args:
        return _creation.empty(0, device=device)
    if len(args) == 1:
        data = args[0]
        if isinstance(data, tensor_cls):   # an alias of the same memory, outside any graph
            if data.dtype is not _dtype.get_default_dtype():
                raise TypeError(f"expected {_dtype.get_default_dtype()} (got {data.dtype})")
            return tensor_cls._wrap(data._data)
        if type(data).__name__ == "Size":
            return _creation.zeros(*data, device=device)
        if isinstance(data, str):
            raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
        if isinstance(data, (list, tuple, np.ndarray)):
            return _creation.tensor(_device.to_numpy(np.asarray(data)) if isinstance(
                data, np.ndarray) else data, dtype=_dtype.get_default_dtype(), device=device)
        if isinstance(data, (float, complex, bool)):
            raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
    if all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
        return _creation.zeros(*(int(a) for a in args), device=device)   # sizes
    got = ", ".join(type(a).__name__ for a in args)
    raise TypeError(_USAGE.format(got=got))


def _type_name(value):
    return "torch.dtype" if isinstance(value, _dtype.dtype) else type(value).__name__

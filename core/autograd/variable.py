"""``torch.autograd.Variable``: PyTorch's deprecated wrapper, which today returns a tensor
sharing the data (a new leaf, requiring grad when asked); ``isinstance(t, Variable)`` holds for
every tensor, as in PyTorch."""
from .._tensor import Tensor

__all__ = ["Variable"]


class _VariableMeta(type):
    def __instancecheck__(cls, other):
        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(t, requires_grad=False)``: a leaf tensor with ``t``'s data."""

    def __new__(cls, data=None, requires_grad=False, volatile=False):
        if data is None:
            from .._creation import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = data.detach()
        if requires_grad:
            out.requires_grad_(True)
        return out

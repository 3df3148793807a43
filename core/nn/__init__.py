"""``torch.nn``: the functional interface (and, later, modules) with PyTorch's names."""
from . import functional

__all__ = ["functional"]

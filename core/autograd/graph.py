"""``torch.autograd.graph``: ``Node``, the type of every ``grad_fn``, and the handles its hooks
return. Each node class (``MulBackward0``, ...) names this module as its own and is found here.
"""
from .._graph import Node, RemovableHandle, _classes

__all__ = ["Node", "RemovableHandle"]


def __getattr__(name):
    """A node class by its PyTorch name (``graph.MulBackward0``), once a node of it was made
    (the classes are made per op on first use)."""
    cls = _classes.get(name)
    if cls is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return cls

"""``torch.autograd.graph``: ``Node``, the type of every ``grad_fn``, the handles its hooks
return, and ``saved_tensors_hooks``/``save_on_cpu``/``disable_saved_tensors_hooks``. Each node
class (``MulBackward0``, ...) names this module as its own and is found here.
"""
from .. import _graph
from .._graph import Node, RemovableHandle, _classes

__all__ = ["Node", "RemovableHandle", "saved_tensors_hooks", "save_on_cpu",
           "disable_saved_tensors_hooks"]

_disabled: list[str] = []   # the error messages of the open disable_saved_tensors_hooks


class saved_tensors_hooks:
    """``with saved_tensors_hooks(pack_hook, unpack_hook):``: every tensor an op saves for
    backward inside it goes through ``pack_hook(tensor)``, and what that returns is kept; in
    backward ``unpack_hook(packed)`` must give the tensor back (PyTorch's contract)."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook, self.unpack_hook = pack_hook, unpack_hook

    def __enter__(self):
        if _disabled:
            raise RuntimeError(_disabled[-1])
        _graph.saved_tensors_hooks_stack.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc):
        _graph.saved_tensors_hooks_stack.pop()
        return False


class save_on_cpu(saved_tensors_hooks):
    """Keep saved tensors in CPU memory and bring them back to their device in backward (on a
    CPU tensor a copy that changes nothing)."""

    def __init__(self, pin_memory=False, device_type="cuda"):
        def pack(tensor):
            return tensor.device, tensor.cpu()

        def unpack(packed):
            device, tensor = packed
            return tensor.to(device)
        super().__init__(pack, unpack)


class disable_saved_tensors_hooks:
    """Inside it, opening a ``saved_tensors_hooks`` raises ``RuntimeError(error_message)``."""

    def __init__(self, error_message):
        self.error_message = error_message

    def __enter__(self):
        _disabled.append(self.error_message)
        return self

    def __exit__(self, *exc):
        _disabled.pop()
        return False


def __getattr__(name):
    """A node class by its PyTorch name (``graph.MulBackward0``), once a node of it was made
    (the classes are made per op on first use)."""
    cls = _classes.get(name)
    if cls is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return cls

"""Grad modes: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``is_grad_enabled``,
``inference_mode``; each a context manager and a decorator, as in PyTorch.

The modes are thread-local, as PyTorch's are: every thread starts with grad mode on and no
inference mode, and what one thread sets (the engine turning grad mode off while a node runs
included) never changes another's. Anomaly mode is process-wide, as in PyTorch (``_graph``).
"""
import functools
import threading

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
           "is_inference_mode_enabled"]

class _Modes(threading.local):
    """This thread's modes (read on every op as ``_modes.grad``): ``grad``, whether operations
    record a graph, and ``inference``, how many ``inference_mode`` blocks are open."""

    def __init__(self):
        self.grad = True
        self.inference = 0


_modes = _Modes()


def is_grad_enabled():
    """True when operations record a graph (on this thread)."""
    return _modes.grad


class _GradMode:
    _value = True

    def __enter__(self):
        self._prev = _modes.grad
        _modes.grad = self._value

    def __exit__(self, *exc):
        _modes.grad = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)
        return wrapper

    def clone(self):
        return self.__class__()


class no_grad(_GradMode):
    """Context manager and decorator that disables graph recording.

    >>> x = torch.ones(2, requires_grad=True)
    >>> with no_grad():
    ...     (x * 2).requires_grad
    False
    """

    _value = False


class inference_mode(_GradMode):
    """``no_grad`` under PyTorch's faster name: context manager and decorator that stops graph
    recording (``inference_mode(False)`` leaves the mode as it is). gradtrace has no separate
    inference tensors: what is made inside is a plain tensor that does not require grad."""

    _value = False

    def __init__(self, mode=True):
        self._on = bool(mode)

    def __enter__(self):
        self._prev = _modes.grad
        if self._on:
            _modes.grad = False
            _modes.inference += 1

    def __exit__(self, *exc):
        if self._on:
            _modes.inference -= 1
        _modes.grad = self._prev

    def clone(self):
        return self.__class__(self._on)


def is_inference_mode_enabled():
    return _modes.inference > 0


class enable_grad(_GradMode):
    """Context manager and decorator that enables graph recording (inside ``no_grad``)."""

    _value = True


class set_grad_enabled(_GradMode):
    """Set grad mode to ``mode``: at once when called, and back on leaving a ``with`` block."""

    def __init__(self, mode):
        self._prev = _modes.grad
        self._value = bool(mode)
        _modes.grad = self._value

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _modes.grad = self._prev
        return False

    def __call__(self, fn):
        _modes.grad = self._prev
        mode = self._value

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)
        return wrapper

    def clone(self):
        return set_grad_enabled(self._value)

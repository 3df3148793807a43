"""Grad modes: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``is_grad_enabled``,
``inference_mode``.

Each is a context manager and a decorator, as in PyTorch.
"""
import functools

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
           "is_inference_mode_enabled"]

# One mutable cell read on every op; a list keeps the hot-path lookup a single index.
_enabled = [True]


def is_grad_enabled():
    """True when operations record a graph."""
    return _enabled[0]


class _GradMode:
    _value = True

    def __enter__(self):
        self._prev = _enabled[0]
        _enabled[0] = self._value

    def __exit__(self, *exc):
        _enabled[0] = self._prev
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
    _depth = [0]

    def __init__(self, mode=True):
        self._on = bool(mode)

    def __enter__(self):
        self._prev = _enabled[0]
        if self._on:
            _enabled[0] = False
            inference_mode._depth[0] += 1

    def __exit__(self, *exc):
        if self._on:
            inference_mode._depth[0] -= 1
        _enabled[0] = self._prev

    def clone(self):
        return self.__class__(self._on)


def is_inference_mode_enabled():
    return inference_mode._depth[0] > 0


class enable_grad(_GradMode):
    """Context manager and decorator that enables graph recording (inside ``no_grad``)."""

    _value = True


class set_grad_enabled(_GradMode):
    """Set grad mode to ``mode``: at once when called, and back on leaving a ``with`` block."""

    def __init__(self, mode):
        self._prev = _enabled[0]
        self._value = bool(mode)
        _enabled[0] = self._value

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _enabled[0] = self._prev
        return False

    def __call__(self, fn):
        _enabled[0] = self._prev
        mode = self._value

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)
        return wrapper

    def clone(self):
        return set_grad_enabled(self._value)

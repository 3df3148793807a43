"""``torch.autograd.anomaly_mode``: ``detect_anomaly`` and ``set_detect_anomaly``. With it on,
every node keeps the traceback of its forward call and a NaN from a backward node raises.
"""
from .._graph import _anomaly, _forward_frames  # noqa: F401 - _forward_frames: for hosts

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled"]


def is_anomaly_enabled():
    """True inside ``detect_anomaly()`` or after ``set_detect_anomaly(True)``."""
    return _anomaly[0]


class set_detect_anomaly:
    """Turn anomaly detection on or off: at once, and back on leaving a ``with`` block.

    With it on, every node records the traceback of the forward call that made it, and a
    backward node that returns NaN raises ``Function 'MulBackward0' returned nan values in its
    0th output.`` after a warning that shows that forward traceback.
    """

    def __init__(self, mode, check_nan=True):
        self.prev = _anomaly[0]
        _anomaly[0] = bool(mode) and check_nan

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _anomaly[0] = self.prev
        return False


class detect_anomaly(set_detect_anomaly):
    """Context manager (and decorator) that enables anomaly detection."""

    def __init__(self, check_nan=True):
        import warnings
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", UserWarning, stacklevel=2)
        self.prev = _anomaly[0]
        self.check_nan = check_nan

    def __enter__(self):
        _anomaly[0] = self.check_nan
        return self

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with detect_anomaly(self.check_nan):
                return fn(*args, **kwargs)
        return wrapper

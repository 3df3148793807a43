"""``torch.accelerator``: the device-neutral questions (is there an accelerator, which, how
many), answered from the CUDA backend (CuPy) as PyTorch answers them on a machine with CUDA."""
from . import _cuda, _device

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index",
           "synchronize"]


def is_available():
    """True when a CUDA GPU is usable (CuPy imports and sees one)."""
    return _cuda.cuda.is_available()


def current_accelerator(check_available=False):
    """``device(type='cuda')`` when CUDA is usable, else None."""
    return _device.device("cuda") if is_available() else None


def device_count():
    return _cuda.cuda.device_count()


def current_device_index():
    return _cuda.cuda.current_device() if is_available() else -1


current_device_idx = current_device_index


def synchronize(device=None):
    if is_available():
        _cuda.cuda.synchronize()

"""``torch.cuda``: whether the CuPy backend sees a GPU, its name, memory and synchronisation;
``cuda.manual_seed`` seeds the one random stream (``_random``).
"""
from . import _device, _random

__all__ = ["cuda"]


class cuda:
    """``torch.cuda``: availability of the CuPy backend."""

    @staticmethod
    def is_available():
        """True when CuPy imports and sees at least one CUDA GPU."""
        if _device._cupy is None:
            return False
        try:
            return _device._cupy.cuda.runtime.getDeviceCount() > 0
        except Exception:
            return False

    @staticmethod
    def device_count():
        """Number of CUDA GPUs CuPy sees (0 without CuPy)."""
        return _device._cupy.cuda.runtime.getDeviceCount() if cuda.is_available() else 0

    @staticmethod
    def current_device():
        return _device._require_cuda().cuda.runtime.getDevice()

    @staticmethod
    def synchronize():
        _device._require_cuda().cuda.Device().synchronize()

    @staticmethod
    def get_device_name(device=None):
        """The GPU's name, as the driver reports it (``"NVIDIA H200"``)."""
        cp = _device._require_cuda()
        index = cuda.current_device() if device is None else (
            device if isinstance(device, int) else _device.as_device(device).index or 0)
        name = cp.cuda.runtime.getDeviceProperties(index)["name"]
        return name.decode() if isinstance(name, bytes) else str(name)

    @staticmethod
    def manual_seed(seed):
        """Seed the random numbers of GPU tensors. gradtrace draws them on the host from the one
        generator behind ``torch.manual_seed`` (the same values on either device), so this
        seeds that generator."""
        _random.manual_seed(seed)

    manual_seed_all = manual_seed

    @staticmethod
    def empty_cache():
        """Give the GPU memory CuPy keeps cached for reuse back to the driver."""
        if cuda.is_available():
            _device._cupy.get_default_memory_pool().free_all_blocks()

    @staticmethod
    def memory_allocated(device=None):
        """Bytes of GPU memory held by live arrays (CuPy's memory pool)."""
        return int(_device._cupy.get_default_memory_pool().used_bytes()) if cuda.is_available() else 0

    @staticmethod
    def unavailable_reason():
        """Why ``is_available()`` is False, in words (``None`` when it is True)."""
        if _device._cupy is None:
            return _device._CUPY_ERROR
        try:
            n = _device._cupy.cuda.runtime.getDeviceCount()
        except Exception as exc:
            return f"CuPy is installed but CUDA is not usable: {exc}"
        return None if n > 0 else "CuPy is installed but found no CUDA GPU"

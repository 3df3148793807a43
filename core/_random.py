"""``torch.Generator``, ``torch.default_generator`` and ``torch.randperm``: random streams a
script can seed and pass around (``DataLoader(shuffle=True, generator=g)``, ``random_split``).

Values come from numpy's PCG64, so they differ from PyTorch's for the same seed.
"""
import numpy as np

from . import _creation, _dtype
from ._device import as_device

__all__ = ["Generator", "default_generator", "randperm"]

_DEFAULT_SEED = 67280421310721   # what a new torch.Generator() starts from


class Generator:
    """A random stream of its own: ``torch.Generator().manual_seed(42)``.

    >>> g = Generator().manual_seed(0)
    >>> randperm(4, generator=g).tolist() == randperm(4, generator=Generator().manual_seed(0)).tolist()
    True
    """

    def __init__(self, device="cpu"):
        self.device = as_device(device)
        self._state = [np.random.default_rng(_DEFAULT_SEED), _DEFAULT_SEED]

    def manual_seed(self, seed):
        """Seed the stream; returns the generator, as PyTorch does (``g = Generator().manual_seed(1)``)."""
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        self._state[0], self._state[1] = np.random.default_rng(int(seed) % 2 ** 64), int(seed)
        return self

    def seed(self):
        """Seed from fresh entropy and return that seed."""
        s = int(np.random.SeedSequence().entropy % (2 ** 63))
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._state[1]

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"


default_generator = Generator.__new__(Generator)
default_generator.device = as_device("cpu")
default_generator._state = _creation._rng   # the same stream as torch.manual_seed / randn


def rng_of(generator):
    """The numpy generator behind ``generator`` (the default stream for None)."""
    if generator is None:
        return _creation._rng[0]
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a torch.Generator, but got {type(generator).__name__}")
    return generator._state[0]


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False,
             pin_memory=False):
    """A random permutation of ``0 .. n-1`` (int64 unless ``dtype`` says otherwise)."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"randperm(): argument 'n' (position 1) must be int, not "
                        f"{type(n).__name__}")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    arr = rng_of(generator).permutation(int(n))
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    return _creation._finish(arr.astype(dt.np), None, device, requires_grad)

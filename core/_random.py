"""Random streams: the default one behind ``torch.manual_seed``/``randn``, and ``torch.Generator``
streams a script can seed and pass around (``DataLoader(shuffle=True, generator=g)``).

Values come from numpy's PCG64, so they differ from PyTorch's for the same seed.
"""
import numpy as np

from ._device import as_device

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "STATE_BYTES", "pack_state", "unpack_state"]

_DEFAULT_SEED = 67280421310721   # what a new torch.Generator() starts from
_rng = [np.random.default_rng(0), 0]   # the default stream: [numpy generator, its seed]


def manual_seed(seed):
    """Seed the generator behind ``rand``/``randn``/``randint`` (values differ from PyTorch's)."""
    _rng[0], _rng[1] = np.random.default_rng(int(seed) % 2 ** 64), int(seed)
    return default_generator


# A stream's state as bytes (torch.get_rng_state's ByteTensor): PCG64's state and increment,
# its buffered 32 bits and their flag, and the stream's seed (PyTorch's are 5056 bytes of MT).
STATE_BYTES = 16 + 16 + 1 + 4 + 8


def pack_state(state):
    """The bytes of the stream ``state`` ([numpy generator, seed]) as a uint8 array."""
    rng, seed_ = state
    bits = rng.bit_generator.state
    raw = (bits["state"]["state"].to_bytes(16, "little") +
           bits["state"]["inc"].to_bytes(16, "little") + bytes([bits["has_uint32"]]) +
           int(bits["uinteger"]).to_bytes(4, "little") + (seed_ % 2 ** 64).to_bytes(8, "little"))
    return np.frombuffer(raw, dtype=np.uint8).copy()


def unpack_state(raw, into):
    """Set the stream ``into`` ([numpy generator, seed]) from `pack_state`'s bytes ``raw``."""
    raw = bytes(np.asarray(raw, dtype=np.uint8).ravel())
    if len(raw) != STATE_BYTES:
        raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_BYTES} but found "
                           f"the input RNG state size to be {len(raw)}")
    rng = np.random.default_rng()
    rng.bit_generator.state = {
        "bit_generator": "PCG64",
        "state": {"state": int.from_bytes(raw[0:16], "little"),
                  "inc": int.from_bytes(raw[16:32], "little") | 1},
        "has_uint32": raw[32] & 1, "uinteger": int.from_bytes(raw[33:37], "little")}
    into[0], into[1] = rng, int.from_bytes(raw[37:45], "little")


def seed():
    s = int(np.random.SeedSequence().entropy % (2 ** 63))
    manual_seed(s)
    return s


def initial_seed():
    return _rng[1]


class Generator:
    """A random stream of its own: ``torch.Generator().manual_seed(42)``.

    >>> g = Generator().manual_seed(0)
    >>> rng_of(g).random() == rng_of(Generator().manual_seed(0)).random()
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
default_generator._state = _rng   # the stream of torch.manual_seed / randn


def rng_of(generator):
    """The numpy generator behind ``generator`` (the default stream for None)."""
    if generator is None:
        return _rng[0]
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a torch.Generator, but got {type(generator).__name__}")
    return generator._state[0]

"""``torch.nn.Conv1d``/``Conv2d``: a convolution layer over ``nn.functional.conv1d/conv2d``,
with PyTorch's initialisation bounds, attributes and printout."""
import math

from .. import _dtype
from . import functional as F
from .module import Module
from .parameter import Parameter

__all__ = ["Conv1d", "Conv2d"]


def _ntuple(value, n):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


class _ConvNd(Module):
    _nd = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        n = self._nd
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                                 "{'same', 'valid'}")
            if padding == "same" and any(s != 1 for s in _ntuple(stride, n)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode != "zeros":
            if padding_mode in ("reflect", "replicate", "circular"):
                raise NotImplementedError(f"gradtrace: padding_mode='{padding_mode}' is not "
                                          "supported (only 'zeros')")
            raise ValueError(f"padding_mode must be one of ['zeros', 'reflect', 'replicate', "
                             f"'circular'], but got padding_mode='{padding_mode}'")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = _ntuple(kernel_size, n)
        self.stride = _ntuple(stride, n)
        self.padding = padding if isinstance(padding, str) else _ntuple(padding, n)
        self.dilation = _ntuple(dilation, n)
        self.transposed, self.output_padding = False, (0,) * n
        self.groups, self.padding_mode = groups, padding_mode
        shape = (out_channels, in_channels // groups) + self.kernel_size
        fan_in = (in_channels // groups) * math.prod(self.kernel_size)
        # kaiming_uniform_(a=sqrt(5)) and PyTorch's bias bound: both 1/sqrt(fan_in)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        self.weight = Parameter(_uniform(shape, bound, dtype, device))
        if bias:
            self.bias = Parameter(_uniform((out_channels,), bound, dtype, device))
        else:
            self.register_parameter("bias", None)

    def extra_repr(self):
        n = self._nd
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, " \
            f"stride={self.stride}"
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s

    def forward(self, input):
        fn = F.conv1d if self._nd == 1 else F.conv2d
        return fn(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                  self.groups)


def _uniform(shape, bound, dtype, device):
    from .._creation import _rng, tensor
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    return tensor(_rng[0].uniform(-bound, bound, shape).astype(dt.np), device=device)


class Conv1d(_ConvNd):
    """1-d convolution over ``(N, C_in, L)`` (weights from gradtrace's generator, in PyTorch's
    bounds)."""
    _nd = 1


class Conv2d(_ConvNd):
    """2-d convolution over ``(N, C_in, H, W)``, as in the 60-minute blitz's ``Net``:
    ``Conv2d(1, 6, 5)`` (weights from gradtrace's generator, in PyTorch's bounds)."""
    _nd = 2

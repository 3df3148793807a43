"""``torch.nn.functional``'s CNN part: ``conv1d``/``conv2d``, max/average/adaptive pooling and
``batch_norm``, with PyTorch's argument checks, error texts and nodes (``ConvolutionBackward0``,
``MaxPool2DWithIndicesBackward0``, ``AvgPool2DBackward0``, ``NativeBatchNormBackward0``, ...).
"""
import math

from .. import _ops, grad_mode
from .._graph import run
from .._tensor import Tensor
from ..derivatives.conv import adaptive_matrix, max_pool_indices, pool_matrix, pool_out_size

__all__ = ["conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
           "adaptive_avg_pool1d", "adaptive_avg_pool2d", "batch_norm"]


def _tuple(value, n, name):
    if isinstance(value, (tuple, list)):
        if len(value) == 1 and n > 1:
            return tuple(value) * n
        if len(value) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} "
                               f"values to match the convolution dimensions, but got "
                               f"{name}={list(value)}")
        return tuple(int(v) for v in value)
    return (int(value),) * n


def _size_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


# ---------------------------------------------------------------- convolution
def _conv(input, weight, bias, stride, padding, dilation, groups, nd):
    name = f"conv{nd}d"
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{name}, but got input of size: {_size_str(input.shape)}")
    if input.ndim == nd + 1:   # unbatched: PyTorch adds the batch dimension and takes it off
        return _ops.squeeze(_conv(_ops.unsqueeze(input, 0), weight, bias, stride, padding,
                                  dilation, groups, nd), 0)
    if weight.ndim != nd + 2:
        kn = weight.ndim - 2
        raise RuntimeError(f"expected stride to be a single integer value or a list of {kn} "
                           f"values to match the convolution dimensions, but got "
                           f"stride={list(_tuple(stride, nd, 'stride'))}")
    stride = _tuple(stride, nd, "stride")
    dilation = _tuple(dilation, nd, "dilation")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = [d * (k - 1) for d, k in zip(dilation, kernel)]
            padding = tuple(t // 2 if t % 2 == 0 else (t // 2, t - t // 2) for t in total)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        padding = _tuple(padding, nd, "padding")
    if any((p if isinstance(p, int) else min(p)) < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    c = input.shape[1]
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size {_size_str(weight.shape)} "
                           "instead")
    if c != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {_size_str(weight.shape)}, "
                           f"expected input{_size_str(input.shape)} to have "
                           f"{weight.shape[1] * groups} channels, but got {c} channels instead")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != weight.shape[0]):
        raise RuntimeError(f"Given weight of size {_size_str(weight.shape)}, expected bias to be "
                           f"1-dimensional with {weight.shape[0]} elements, but got bias of size "
                           f"{_size_str(bias.shape)} instead")
    padded = [input.shape[2 + i] + (sum(p) if isinstance(p, tuple) else 2 * p)
              for i, p in enumerate(padding)]
    effective = [d * (k - 1) + 1 for d, k in zip(dilation, kernel)]
    if any(e > p for e, p in zip(effective, padded)):
        raise RuntimeError(f"Calculated padded input size per channel: ("
                           f"{' x '.join(map(str, padded))}). Kernel size: ("
                           f"{' x '.join(map(str, effective))}). Kernel size can't be greater "
                           "than actual input size")
    for t in (weight, bias):
        if t is not None and t.dtype is not input.dtype:
            raise RuntimeError(f"expected scalar type {_ops._type_word(input.dtype)} but found "
                               f"{_ops._type_word(t.dtype)}")
        if t is not None:
            _ops._check_device(input._data, t._data)
    kw = {"stride": stride, "padding": padding, "dilation": dilation, "groups": int(groups)}
    return run("convolution", (input, weight, bias), kw)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-d convolution (cross-correlation) over ``(N, C, L)`` input (``ConvolutionBackward0``)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-d convolution (cross-correlation) over ``(N, C, H, W)`` input
    (``ConvolutionBackward0``); ``padding`` may be ``"same"`` or ``"valid"``."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2)


# ---------------------------------------------------------------- pooling
def _pool_args(input, kernel_size, stride, padding, dilation, name):
    if input.ndim not in (3, 4) or input.numel() == 0:
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    k = _tuple(kernel_size, 2, "kernel_size")
    s = k if stride is None or (isinstance(stride, (list, tuple)) and not stride) \
        else _tuple(stride, 2, "stride")
    p = _tuple(padding, 2, "padding")
    d = _tuple(dilation, 2, "dilation")
    for i in range(2):
        if p[i] > ((k[i] - 1) * d[i] + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={p[i]}, kernel_size={k[i]} and dilation={d[i]}")
    return k, s, p, d


def _out_check(input, out):
    plane = input.shape[-3:]
    if any(o <= 0 for o in out):
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, plane))}). Calculated output "
                           f"size: ({plane[0]}x{'x'.join(map(str, out))}). Output size is too "
                           "small")


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each window (``MaxPool2DWithIndicesBackward0``); with
    ``return_indices`` also each maximum's flat position in its input plane."""
    k, s, p, d = _pool_args(input, kernel_size, stride, padding, dilation, "max_pool2d")
    out = tuple(pool_out_size(input.shape[-2 + i], k[i], s[i], p[i], d[i], ceil_mode)
                for i in range(2))
    _out_check(input, out)

    data = input._data
    idx = max_pool_indices(data if data.ndim == 4 else data[None], k, s, p, d, ceil_mode)
    idx = idx if data.ndim == 4 else idx[0]
    kw = {"kernel_size": k, "stride": s, "padding": p, "dilation": d,
          "ceil_mode": bool(ceil_mode), "result1": idx, "shape": data.shape}
    values = run("max_pool2d", (input,), kw)
    return (values, Tensor._wrap(idx)) if return_indices else values


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """``max_pool2d`` over ``(N, C, 1, L)``, as PyTorch records it (``UnsqueezeBackward0``,
    ``MaxPool2DWithIndicesBackward0``, ``SqueezeBackward1``)."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"max_pool1d() Expected 2D or 3D input tensor, but got "
                           f"{_size_str(input.shape)}")
    k1 = _tuple(kernel_size, 1, "kernel_size")
    s1 = k1 if stride is None or (isinstance(stride, (list, tuple)) and not stride) \
        else _tuple(stride, 1, "stride")
    res = max_pool2d(_ops.unsqueeze(input, -2), (1,) + k1, (1,) + s1,
                     (0,) + _tuple(padding, 1, "padding"), (1,) + _tuple(dilation, 1, "dilation"),
                     ceil_mode, return_indices)
    if return_indices:
        return _ops.squeeze(res[0], -2), Tensor._wrap(res[1]._data.squeeze(-2))
    return _ops.squeeze(res, -2)


def _avg_mats(shape, k, s, p, ceil_mode, count_include_pad, divisor_override):
    divide = divisor_override is None
    mats = [pool_matrix(shape[i], k[i], s[i], p[i], ceil_mode, count_include_pad, divide)
            for i in range(2)]
    if not divide:
        if divisor_override == 0:
            raise RuntimeError("divisor must be not zero")
        mats[0] = mats[0] / divisor_override
    return tuple(mats)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """The mean of each window (``AvgPool2DBackward0``), PyTorch's divisors at the borders."""
    k, s, p, _ = _pool_args(input, kernel_size, stride, padding, 1, "avg_pool2d")
    out = tuple(pool_out_size(input.shape[-2 + i], k[i], s[i], p[i], 1, ceil_mode)
                for i in range(2))
    _out_check(input, out)
    mats = _avg_mats(tuple(input.shape[-2:]), k, s, p, ceil_mode, count_include_pad,
                     divisor_override)
    kw = {"kernel_size": k, "stride": s, "padding": p, "ceil_mode": bool(ceil_mode),
          "count_include_pad": bool(count_include_pad), "divisor_override": divisor_override,
          "mats": mats}
    return run("avg_pool2d", (input,), kw)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """``avg_pool2d`` over ``(N, C, 1, L)``, recorded as PyTorch records it."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"avg_pool1d() Expected 2D or 3D input tensor, but got "
                           f"{_size_str(input.shape)}")
    k1 = _tuple(kernel_size, 1, "kernel_size")
    s1 = k1 if stride is None or (isinstance(stride, (list, tuple)) and not stride) \
        else _tuple(stride, 1, "stride")
    return _ops.squeeze(avg_pool2d(_ops.unsqueeze(input, -2), (1,) + k1, (1,) + s1,
                                   (0,) + _tuple(padding, 1, "padding"), ceil_mode,
                                   count_include_pad), -2)


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a given output size (``AdaptiveAvgPool2DBackward0``); ``None`` in
    ``output_size`` keeps that dimension."""
    if input.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got "
                           f"{_size_str(input.shape)}")
    size = tuple(input.shape[-2:])
    if isinstance(output_size, int):
        output_size = (output_size, output_size)
    out = tuple(size[i] if o is None else int(o) for i, o in enumerate(output_size))
    if out == (1, 1):   # PyTorch takes the mean then (MeanBackward1)
        return _ops.mean(input, (-1, -2), keepdim=True)
    mats = (adaptive_matrix(size[0], out[0]), adaptive_matrix(size[1], out[1]))
    return run("adaptive_avg_pool2d", (input,), {"output_size": out, "mats": mats})


def adaptive_avg_pool1d(input, output_size):
    """``adaptive_avg_pool2d`` over ``(N, C, 1, L)``."""
    size = output_size[0] if isinstance(output_size, (tuple, list)) else output_size
    return _ops.squeeze(adaptive_avg_pool2d(_ops.unsqueeze(input, -2), (1, size)), -2)


# ---------------------------------------------------------------- batch normalisation
def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05):
    """Normalise each channel (dimension 1) over the batch and spatial dimensions
    (``NativeBatchNormBackward0``): with the batch's statistics in training, updating
    ``running_mean``/``running_var`` in place (``momentum``; the variance unbiased), and with
    the running statistics in evaluation."""
    if input.ndim < 2:
        raise ValueError(f"Expected 2D or 3D input (got {input.ndim}D input)")
    c = input.shape[1]
    axes = (0,) + tuple(range(2, input.ndim))
    count = int(math.prod(input.shape[i] for i in axes))
    if training and count == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                         f"{input.shape}")
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
    if training:
        rm = rv = None
    else:
        rm, rv = running_mean._data.copy(), running_var._data.copy()
    kw = {"axes": axes, "eps": float(eps), "training": bool(training), "running_mean": rm,
          "running_var": rv}
    out = run("batch_norm", (input, weight, bias), kw)
    if training and running_mean is not None:
        data = input._data
        mean = data.mean(axis=axes)
        var = data.var(axis=axes) * (count / (count - 1))
        with grad_mode.no_grad():
            for stat, batch in ((running_mean, mean), (running_var, var)):
                stat.mul_(1.0 - momentum).add_(Tensor._wrap(
                    batch.astype(stat._data.dtype, copy=False)) * momentum)
    return out

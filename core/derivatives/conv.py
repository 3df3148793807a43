"""More of the registry: the CNN layers (convolution, max/average/adaptive pooling, batch norm),
with their double-backward ops, written with stride tricks and ``tensordot`` on numpy/CuPy.

Same form as the other tables. A convolution's gradients are convolutions again (``conv_input_grad``
and ``conv_weight_grad`` are PyTorch's ``ConvolutionBackwardBackward0``), pooling's are scatters and
gathers, so a backward under ``create_graph=True`` records ops of this table and differentiates on.
"""
import itertools
import math

import numpy as np

from .arrays import _xp, array_math
from .nn import _layer_norm_input_grad, _normalized
from .registry import defop

__all__ = ["conv_out_size", "pool_out_size", "pool_matrix", "adaptive_matrix", "max_pool_indices"]


# ---------------------------------------------------------------- convolution, as arrays
def _pads(padding, nd):
    """``padding`` (an int per dim, or a (low, high) pair per dim) as (low, high) pairs."""
    return tuple(p if isinstance(p, tuple) else (p, p) for p in padding[:nd])


def _pad(x, pads, value=0):
    if not any(lo or hi for lo, hi in pads):
        return x
    return _xp(x).pad(x, ((0, 0), (0, 0)) + tuple(pads), constant_values=value)


def _windows(x, kernel, stride, dilation):
    """A strided view ``(N, C, *out, *kernel)`` of ``x`` (``N, C, *spatial``): every window."""
    nd = len(kernel)
    out = tuple(conv_out_size(x.shape[2 + i], kernel[i], stride[i], 0, dilation[i])
                for i in range(nd))
    st = x.strides
    shape = x.shape[:2] + out + tuple(kernel)
    strides = st[:2] + tuple(st[2 + i] * stride[i] for i in range(nd)) + tuple(
        st[2 + i] * dilation[i] for i in range(nd))
    return _xp(x).lib.stride_tricks.as_strided(x, shape, strides)


def conv_out_size(size, kernel, stride, padding, dilation):
    """One spatial size of a convolution's output (``padding`` counted on both sides)."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def _conv(x, w, b, stride, padding, dilation, groups):
    xp = _xp(x)
    nd = x.ndim - 2
    win = _windows(_pad(x, _pads(padding, nd)), w.shape[2:], stride, dilation)
    cg, og = x.shape[1] // groups, w.shape[0] // groups
    win_axes = [1] + list(range(2 + nd, 2 + 2 * nd))
    w_axes = [1] + list(range(2, 2 + nd))
    parts = [xp.tensordot(win[:, i * cg:(i + 1) * cg], w[i * og:(i + 1) * og],
                          axes=(win_axes, w_axes)) for i in range(groups)]   # (N, *out, og)
    out = parts[0] if groups == 1 else xp.concatenate(parts, axis=-1)
    out = xp.moveaxis(out, -1, 1)
    if b is not None:
        out = out + b.reshape((1, -1) + (1,) * nd)
    return xp.ascontiguousarray(out)


def _conv_weight_grad(g, x, w_shape, stride, padding, dilation, groups):
    xp = _xp(x)
    nd = x.ndim - 2
    win = _windows(_pad(x, _pads(padding, nd)), w_shape[2:], stride, dilation)
    cg, og = x.shape[1] // groups, w_shape[0] // groups
    axes = [0] + list(range(2, 2 + nd))
    parts = [xp.tensordot(g[:, i * og:(i + 1) * og], win[:, i * cg:(i + 1) * cg],
                          axes=(axes, axes)) for i in range(groups)]   # (og, cg, *kernel)
    return parts[0] if groups == 1 else xp.concatenate(parts, axis=0)


def _conv_input_grad(g, w, x_shape, stride, padding, dilation, groups):
    xp = _xp(g)
    nd = len(x_shape) - 2
    pads = _pads(padding, nd)
    kernel, out = w.shape[2:], g.shape[2:]
    full = xp.zeros(tuple(x_shape[:2]) + tuple(x_shape[2 + i] + pads[i][0] + pads[i][1]
                                               for i in range(nd)), dtype=g.dtype)
    cg, og = x_shape[1] // groups, w.shape[0] // groups
    for i in range(groups):
        cols = xp.tensordot(g[:, i * og:(i + 1) * og], w[i * og:(i + 1) * og],
                            axes=([1], [0]))                # (N, *out, cg, *kernel)
        cols = xp.moveaxis(cols, 1 + nd, 1)                 # (N, cg, *out, *kernel)
        for k in itertools.product(*(range(n) for n in kernel)):
            region = tuple(slice(k[j] * dilation[j], k[j] * dilation[j]
                                 + stride[j] * (out[j] - 1) + 1, stride[j]) for j in range(nd))
            full[(slice(None), slice(i * cg, (i + 1) * cg)) + region] += cols[(Ellipsis,) + k]
    crop = tuple(slice(pads[j][0], pads[j][0] + x_shape[2 + j]) for j in range(nd))
    return full[(Ellipsis,) + crop] if crop else full


# ---------------------------------------------------------------- convolution, either math
# The rules call these ops through ``m.op``: run on arrays for a plain backward, recorded as
# nodes under ``create_graph=True``, so every order of derivative is a convolution again.
def _conv_m(m, x, w, kw):
    return m.op("convolution", (x, w, None), kw)


def _input_grad_m(m, g, x, w, kw):
    return m.op("conv_input_grad", (g, x, w), kw)


def _weight_grad_m(m, g, x, w, kw):
    return m.op("conv_weight_grad", (g, x, w), kw)


def _bias_grad_m(m, g, x, w):
    return m.op("conv_bias_grad", (g, x, w), {"shape": tuple(g.shape)})


defop("convolution", "ConvolutionBackward0",
      lambda x, w, b, **kw: _conv(x, w, b, **kw),
      (lambda m, g, x, w, **kw: _input_grad_m(m, g, x, w, kw),
       lambda m, g, x, w, **kw: _weight_grad_m(m, g, x, w, kw),
       lambda m, g, x, w, **kw: _bias_grad_m(m, g, x, w)),
      saves=(("input", 0), ("weight", 1)))
# the gradients, as ops of their own (inputs grad_output, input, weight, as PyTorch's node):
# d<gg, gx>/dg = conv(gg, w), d<gg, gx>/dw = conv_weight_grad(g, gg); gx does not depend on x
defop("conv_input_grad", "ConvolutionBackwardBackward0",
      lambda g, x, w, **kw: _conv_input_grad(g, w, x.shape, **kw),
      (lambda m, gg, g, x, w, **kw: _conv_m(m, gg, w, kw),
       lambda m, gg, g, x, w, **kw: None,
       lambda m, gg, g, x, w, **kw: _weight_grad_m(m, g, gg, w, kw)),
      saves=(("grad_output", 0), ("input", 1), ("weight", 2)))
# d<gg, gw>/dg = conv(x, gg), d<gg, gw>/dx = conv_input_grad(g, gg); gw does not depend on w
defop("conv_weight_grad", "ConvolutionBackwardBackward0",
      lambda g, x, w, **kw: _conv_weight_grad(g, x, w.shape, **kw),
      (lambda m, gg, g, x, **kw: _conv_m(m, x, gg, kw),
       lambda m, gg, g, x, **kw: _input_grad_m(m, g, x, gg, kw),
       lambda m, gg, g, x, **kw: None),
      saves=(("grad_output", 0), ("input", 1)))
# the bias's gradient: the sum over batch and space; its gradient spreads gg back over them
defop("conv_bias_grad", "ConvolutionBackwardBackward0",
      lambda g, x, w, shape: g.sum(axis=(0,) + tuple(range(2, g.ndim))),
      (lambda m, gg, shape: m.expand(m.reshape(gg, (1, -1) + (1,) * (len(shape) - 2)), shape),
       lambda m, gg, shape: None, lambda m, gg, shape: None))


# ---------------------------------------------------------------- pooling
def pool_out_size(size, kernel, stride, padding, dilation, ceil_mode):
    """One spatial size of a pooling's output, PyTorch's formula (a last window must start
    inside the input or its left padding)."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def max_pool_indices(x, kernel, stride, padding, dilation, ceil_mode):
    """For each output of a max pooling of ``x`` (``N, C, *spatial``), the flat index of its
    maximum in the input's spatial plane (the first one on ties; NaN wins, as in PyTorch)."""
    xp = _xp(x)
    nd = len(kernel)
    size = x.shape[2:]
    out = tuple(pool_out_size(size[i], kernel[i], stride[i], padding[i], dilation[i], ceil_mode)
                for i in range(nd))
    need = tuple((out[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1 for i in range(nd))
    low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    padded = xp.full(x.shape[:2] + tuple(max(need[i], size[i] + padding[i]) for i in range(nd)),
                     low, dtype=x.dtype)
    padded[(Ellipsis,) + tuple(slice(padding[i], padding[i] + size[i]) for i in range(nd))] = x
    win = _windows(padded, kernel, stride, dilation)
    flat = win.reshape(win.shape[:2 + nd] + (-1,))
    arg = flat.argmax(axis=-1)
    index = xp.zeros(arg.shape, dtype=np.int64)
    rest = arg
    for i in range(nd - 1, -1, -1):
        k = rest % kernel[i]
        rest = rest // kernel[i]
        pos = (xp.arange(out[i]) * stride[i] - padding[i]).reshape((-1,) + (1,) * (nd - 1 - i))
        coord = pos + k * dilation[i]
        index = index + coord * int(math.prod(size[i + 1:]))
    return index


def _gather_flat(x, indices):
    """``x``'s values at the flat plane ``indices`` (leading dimensions kept)."""
    lead = x.shape[:-2]
    flat = x.reshape(lead + (-1,))
    picked = _xp(x).take_along_axis(flat, indices.reshape(lead + (-1,)), len(lead))
    return picked.reshape(indices.shape)


def _scatter_flat(m, g, indices, shape):
    lead = tuple(shape[:-2])
    flat = m.scatter_add(m.reshape(g, lead + (-1,)), indices.reshape(lead + (-1,)), len(lead),
                         lead + (int(math.prod(shape[-2:])),))
    return m.reshape(flat, tuple(shape))


def _max_pool_grad_m(m, g, x, indices, shape):
    return m.op("max_pool2d_grad", (g, x), {"result1": indices, "shape": tuple(shape)})


def _gather_m(m, gg, indices):
    lead = tuple(gg.shape[:-2])
    picked = m.gather(m.reshape(gg, lead + (-1,)), indices.reshape(lead + (-1,)), len(lead))
    return m.reshape(picked, tuple(indices.shape))


defop("max_pool2d", "MaxPool2DWithIndicesBackward0",
      lambda x, result1, shape, **kw: _gather_flat(x, result1),
      (lambda m, g, x, result1, shape, **kw: _max_pool_grad_m(m, g, x, result1, shape),),
      saves=("self",))
# the gradient, an op of its own (inputs grad_output and self, as PyTorch's node; the
# gradient does not depend on self's values)
defop("max_pool2d_grad", "MaxPool2DWithIndicesBackwardBackward0",
      lambda g, x, result1, shape: _scatter_flat(array_math(g), g, result1, shape),
      (lambda m, gg, result1, shape: _gather_m(m, gg, result1),
       lambda m, gg, result1, shape: None))


def pool_matrix(size, kernel, stride, padding, ceil_mode, count_include_pad, divide=True):
    """The (out, size) matrix of a 1-d average pooling: row ``o`` holds ``1/divisor`` over the
    input positions of window ``o`` (1 without ``divide``). A 2-d average pooling is one such
    matrix per dimension (PyTorch's divisor is a product of per-dimension counts), so
    ``A_h @ x @ A_w.T``."""
    out = pool_out_size(size, kernel, stride, padding, 1, ceil_mode)
    mat = np.zeros((out, size))
    for o in range(out):
        start = o * stride - padding
        end = min(start + kernel, size + padding)
        span = end - start
        lo, hi = max(start, 0), min(end, size)
        mat[o, lo:hi] = 1.0
        if divide:
            mat[o] /= span if count_include_pad else max(hi - lo, 1)
    return mat


def adaptive_matrix(size, out):
    """The (out, size) matrix of a 1-d adaptive average pooling (PyTorch's windows
    ``[floor(o*size/out), ceil((o+1)*size/out))``)."""
    mat = np.zeros((out, size))
    for o in range(out):
        lo, hi = (o * size) // out, -(-((o + 1) * size) // out)
        mat[o, lo:hi] = 1.0 / (hi - lo)
    return mat


def _separable(x, mats):
    """``A_0 @ x @ A_1.T`` over the last two dimensions."""
    ah, aw = (_xp(x).asarray(a, dtype=x.dtype) for a in mats)
    return (ah @ x) @ aw.T


def _separable_t(g, mats):
    ah, aw = (_xp(g).asarray(a, dtype=g.dtype) for a in mats)
    return (ah.T @ g) @ aw


for _name, _node in (("avg_pool2d", "AvgPool2DBackward0"),
                     ("adaptive_avg_pool2d", "AdaptiveAvgPool2DBackward0")):
    defop(_name, _node, lambda x, mats, **kw: _separable(x, mats),
          (lambda m, g, x, mats, _grad=_name + "_grad", **kw: _pool_grad_m(m, g, x, mats, _grad),),
          saves=("self",))
    # the gradient is the transposed pooling (inputs grad_output and self, as PyTorch's node);
    # its gradient is the pooling again
    defop(_name + "_grad", _node.replace("Backward0", "BackwardBackward0"),
          lambda g, x, mats: _separable_t(g, mats),
          (lambda m, gg, mats, _op=_name: _pool_m(m, gg, mats, _op),
           lambda m, gg, mats: None))


def _pool_grad_m(m, g, x, mats, grad_op):
    return m.op(grad_op, (g, x), {"mats": mats})


def _pool_m(m, gg, mats, op):
    return m.op(op, (gg,), {"mats": mats})


# ---------------------------------------------------------------- batch normalisation
def _channel_shape(ndim, c):
    return (1, c) + (1,) * (ndim - 2)


def _batch_norm(x, w, b, axes, eps, training, running_mean, running_var):
    xp = _xp(x)
    shape = _channel_shape(x.ndim, x.shape[1])
    if training:
        mu = x.mean(axis=axes, keepdims=True)
        var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)
    else:
        mu, var = running_mean.reshape(shape), running_var.reshape(shape)
    out = (x - mu) / xp.sqrt(var + eps)
    if w is not None:
        out = out * w.reshape(shape)
    if b is not None:
        out = out + b.reshape(shape)
    return out.astype(x.dtype, copy=False)


def _xhat(m, a, axes, eps, training, running_mean, running_var):
    """The normalised input and the inverse std it was divided by."""
    if training:
        return _normalized(m, a, axes, eps)
    shape = _channel_shape(len(a.shape), a.shape[1])
    invstd = m.const((1.0 / _xp(running_var).sqrt(running_var + eps)).reshape(shape))
    return (a - m.const(running_mean.reshape(shape))) * invstd, invstd


def _bn_input_grad(m, g, a, w, axes, eps, training, running_mean, running_var):
    shape = _channel_shape(len(a.shape), a.shape[1])
    wb = None if w is None else m.reshape(w, shape)
    if training:
        return _layer_norm_input_grad(m, g, a, wb, axes, eps)
    _, invstd = _xhat(m, a, axes, eps, training, running_mean, running_var)
    return g * invstd if wb is None else g * wb * invstd


defop("batch_norm", "NativeBatchNormBackward0",
      lambda x, w, b, **kw: _batch_norm(x, w, b, **kw),
      (lambda m, g, a, w, **kw: _bn_input_grad(m, g, a, w, **kw),
       lambda m, g, a, w, **kw: m.sum(g * _xhat(m, a, **kw)[0], kw["axes"]),
       lambda m, g, a, w, **kw: m.sum(g, kw["axes"])),
      saves=(("input", 0), ("weight", 1)))

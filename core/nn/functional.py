"""``torch.nn.functional``: activations, ``linear`` and the losses, recorded as PyTorch
records them (``AddmmBackward0`` for a linear layer, ``NllLossBackward0`` after
``LogSoftmaxBackward0`` for cross-entropy).
"""
import numpy as np

from .. import _device, _dtype, _matmul, _ops
from .._graph import run
from .._tensor import Tensor
from ..derivatives import OPS, mat2_kw
from ._functional_conv import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    avg_pool1d,
    avg_pool2d,
    batch_norm,
    conv1d,
    conv2d,
    max_pool1d,
    max_pool2d,
)

__all__ = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "linear", "mse_loss",
           "cross_entropy", "nll_loss", "gelu", "leaky_relu", "silu", "softplus", "elu",
           "layer_norm", "dropout", "embedding", "binary_cross_entropy_with_logits", "one_hot",
           "conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
           "adaptive_avg_pool1d", "adaptive_avg_pool2d", "batch_norm"]


def relu(input, inplace=False):
    return input.relu_() if inplace else _ops.unary("relu", input)


def sigmoid(input):
    return _ops.unary("sigmoid", input)


def tanh(input):
    return _ops.unary("tanh", input)


def softmax(input, dim=None, dtype=None):
    return _ops.softmax(input, dim, dtype)


def log_softmax(input, dim=None, dtype=None):
    return _ops.log_softmax(input, dim, dtype)


def linear(input, weight, bias=None):
    """``input @ weight.T + bias``: ``AddmmBackward0`` on 2-D input (a view around it for other
    ranks), ``MmBackward0``/``MatmulBackward`` without bias."""
    if input.ndim != 2 and bias is not None:
        lead = tuple(input.shape[:-1])
        flat = _matmul._fold(input, (-1, input.shape[-1]))
        return _ops.view(_linear2d(flat, weight, bias), lead + (weight.shape[0],))
    if bias is None:
        return _matmul.matmul(input, _ops.t(weight))
    return _linear2d(input, weight, bias)


def _linear2d(x, weight, bias):
    wt = _ops.t(weight)
    _matmul._mm_dtype(x, wt)
    _matmul._mm_check(x, wt)
    _ops._check_broadcast(tuple(bias.shape), (x.shape[0], wt.shape[1]))
    return run("addmm", (bias, x, wt), mat2_kw(wt._data))


def mse_loss(input, target, reduction="mean"):
    """Mean squared error (``MseLossBackward0``)."""
    if tuple(input.shape) != tuple(target.shape):
        import warnings
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=2)
        _ops._check_broadcast(tuple(input.shape), tuple(target.shape))
        shape = _bshape(input, target)
        input, target = _ops.expand(input, shape), _ops.expand(target, shape)
    return _ops.device_apply(OPS["mse_loss"], (input, target), {"reduction": reduction})


def _bshape(a, b):
    import numpy as np
    return tuple(np.broadcast_shapes(tuple(a.shape), tuple(b.shape)))


def nll_loss(input, target, reduction="mean"):
    """Negative log-likelihood of class indices ``target`` (``NllLossBackward0``)."""
    if target.dtype.is_floating_point:
        raise RuntimeError(f"expected scalar type Long but found {_ops._type_word(target.dtype)}")
    n = input.shape[0] if input.ndim == 2 else None
    if n is not None and target.shape[0] != n:
        raise ValueError(f"Expected input batch_size ({n}) to match target batch_size "
                         f"({target.shape[0]}).")
    _ops._check_device(input._data, target._data)
    classes = input.shape[-1]
    tdata = target._data
    # bounds are checked on the CPU only: on a GPU the check would stall the launch queue
    if type(tdata) is np.ndarray and tdata.size and (tdata.min() < 0 or tdata.max() >= classes):
        raise IndexError(f"Target {int(tdata.max() if tdata.max() >= classes else tdata.min())} "
                         f"is out of bounds.")
    return run("nll_loss", (input,), {"target": tdata, "reduction": reduction,
                                      "shape": input._data.shape})


def cross_entropy(input, target, reduction="mean"):
    """``nll_loss(log_softmax(input, 1), target)`` for class-index targets; for class
    probabilities (a float ``target`` shaped like ``input``) ``-(log_softmax * target)`` summed
    over the classes, recorded with PyTorch's nodes (``DivBackward1`` over ``NegBackward0``
    over ``SumBackward0`` for the mean)."""
    dim = 1 if input.ndim >= 2 else 0
    logp = log_softmax(input, dim)
    if target.dtype.is_floating_point and tuple(target.shape) == tuple(input.shape):
        picked = logp * target
        if reduction == "none":
            return -_ops.sum(picked, dim)
        total = -picked.sum()
        if reduction == "sum":
            return total
        return run("div_scalar", (total,), {"other": float(input.shape[0] if input.ndim >= 2 else 1)})
    return nll_loss(logp, target, reduction)


def one_hot(tensor, num_classes=-1):
    """Class indices as one-hot rows: int64, a new last dimension of ``num_classes`` (the
    largest index + 1 when -1); no gradient."""
    if tensor.dtype is not _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    data = tensor._data
    xp = _device.array_module(data)
    if data.size and int(data.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    n = int(data.max()) + 1 if num_classes == -1 and data.size else int(num_classes)
    if num_classes == -1 and not data.size:
        raise RuntimeError("Can not infer total number of classes from empty tensor.")
    if data.size and int(data.max()) >= n:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._wrap((data[..., None] == xp.arange(n)).astype(np.int64))


def gelu(input, approximate="none"):
    """Gaussian error linear unit, exact or ``approximate="tanh"`` (``GeluBackward0``)."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return run("gelu", (input,), {"approximate": approximate})


def leaky_relu(input, negative_slope=0.01, inplace=False):
    return run("leaky_relu", (input,), {"negative_slope": float(negative_slope)})


def silu(input, inplace=False):
    return run("silu", (input,))


def softplus(input, beta=1.0, threshold=20.0):
    return run("softplus", (input,), {"beta": float(beta), "threshold": float(threshold)})


def elu(input, alpha=1.0, inplace=False):
    return run("elu", (input,), {"alpha": float(alpha)})


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last ``len(normalized_shape)`` dimensions (``NativeLayerNormBackward0``)."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(shape):]) != shape:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*, "
            f"{', '.join(str(n) for n in shape)}], but got input of size{list(input.shape)}")
    axes = tuple(range(input.ndim - len(shape), input.ndim))
    return _ops.device_apply(OPS["layer_norm"], (input, weight, bias),
                             {"axes": axes, "eps": float(eps)})


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)``; PyTorch
    records it as ``MulBackward0`` with the scaled mask as a constant."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    from .._creation import _rng
    keep = _rng[0].random(tuple(input.shape)) >= p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    mask = Tensor._wrap((keep * scale).astype(input._data.dtype))
    if input.device.type != "cpu":
        mask = mask.to(input.device)
    return input * mask


def embedding(input, weight, padding_idx=None):
    """Rows of ``weight`` picked by the integer ``input`` (``EmbeddingBackward0``)."""
    idx = input._data
    if idx.dtype.kind not in "iu":
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following "
                           f"scalar types: Long, Int; but got {input.dtype} instead (while checking "
                           "arguments for embedding)")
    _ops._check_device(weight._data, idx)
    if type(idx) is np.ndarray and idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    return run("embedding", (weight,), {"indices": idx, "shape": weight._data.shape})


def binary_cross_entropy_with_logits(input, target, reduction="mean"):
    """Sigmoid + binary cross-entropy in one stable op
    (``BinaryCrossEntropyWithLogitsBackward0``)."""
    if tuple(input.shape) != tuple(target.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    return _ops.device_apply(OPS["bce_with_logits"], (input, target), {"reduction": reduction})

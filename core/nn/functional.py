"""``torch.nn.functional``: activations, ``linear`` and the losses, recorded as PyTorch
records them (``AddmmBackward0`` for a linear layer, ``NllLossBackward0`` after
``LogSoftmaxBackward0`` for cross-entropy).
"""
import numpy as np

from .. import _matmul, _ops
from .._graph import run

__all__ = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "linear", "mse_loss",
           "cross_entropy", "nll_loss"]


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
    return run("addmm", (bias, x, wt))


def mse_loss(input, target, reduction="mean"):
    """Mean squared error (``MseLossBackward0``)."""
    if tuple(input.shape) != tuple(target.shape):
        import warnings
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=2)
        input, target = _ops.expand(input, _bshape(input, target)), _ops.expand(target, _bshape(input, target))
    return run("mse_loss", (input, target), {"reduction": reduction})


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
    """``nll_loss(log_softmax(input, 1), target)`` for class-index targets."""
    dim = 1 if input.ndim >= 2 else 0
    return nll_loss(log_softmax(input, dim), target, reduction)

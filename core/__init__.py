"""gradtrace.core: a numpy autograd engine with PyTorch's names and semantics.

``import gradtrace.core as torch`` runs PyTorch's autograd tutorial unchanged.
"""
from . import autograd, nn, optim, utils
from ._creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    get_rng_state,
    initial_seed,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    set_rng_state,
    seed,
    tensor,
    zeros,
    zeros_like,
)
from ._cuda import cuda
from ._device import device, get_default_device, set_default_device
from ._dtype import (
    bool,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    set_default_dtype,
    short,
    uint8,
)
from ._extra_ops import (
    argsort,
    ceil,
    chunk,
    cumsum,
    erf,
    flip,
    floor,
    frac,
    gather,
    log1p,
    masked_fill,
    narrow,
    repeat,
    roll,
    round,
    rsqrt,
    sign,
    sort,
    split,
    square,
    topk,
    tril,
    triu,
    trunc,
    unbind,
)
from ._matmul import bmm, dot, matmul, mm, mv
from ._ops import (
    abs,
    add,
    amax,
    amin,
    cat,
    clamp,
    div,
    flatten,
    log_softmax,
    logsumexp,
    max,
    maximum,
    mean,
    min,
    minimum,
    mul,
    neg,
    norm,
    permute,
    pow,
    prod,
    reshape,
    softmax,
    squeeze,
    stack,
    std,
    sub,
    sum,
    t,
    transpose,
    unsqueeze,
    var,
    where,
)
from ._ops import clamp as _ops_clamp
from ._ops import unary_function as _unary_function
from ._ops import with_out as _with_out
from ._random import Generator, default_generator
from ._tensor import Size, Tensor
from ._tensor_str import get_printoptions, set_printoptions
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)

__version__ = "0.1.0"


exp, log, sqrt, sin, cos, tanh, sigmoid, relu, reciprocal, clone = (
    _unary_function(n) for n in ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu",
                           "reciprocal", "clone"))


# PyTorch's out= on the functions (the methods take none)
for _name in ("add", "sub", "mul", "div", "pow", "maximum", "minimum", "clamp", "where", "sum",
              "prod", "mean", "cat", "stack", "matmul", "mm", "bmm", "mv", "dot", "neg", "abs",
              "cumsum", "square", "sign", "softmax", "log_softmax"):
    globals()[_name] = _with_out(globals()[_name])
clip, absolute, negative, multiply, divide, subtract, true_divide = (
    _with_out(_ops_clamp, "clip"), abs, neg, mul, div, sub, div)


def eq(a, b):
    return a == b


def ne(a, b):
    return a != b


def lt(a, b):
    return a < b


def le(a, b):
    return a <= b


def gt(a, b):
    return a > b


def ge(a, b):
    return a >= b


def all(input, dim=None, keepdim=False):
    return input.all(dim, keepdim)


def any(input, dim=None, keepdim=False):
    return input.any(dim, keepdim)


def numel(input):
    return input.numel()


def is_tensor(obj):
    return isinstance(obj, Tensor)


def isnan(input):
    return input.isnan()


def isinf(input):
    return input.isinf()


def isfinite(input):
    return input.isfinite()


def argmax(input, dim=None, keepdim=False):
    return input.argmax(dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    return input.argmin(dim, keepdim)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return input.allclose(other, rtol, atol, equal_nan)


def equal(input, other):
    return input.equal(other)


def detach(input):
    return input.detach()


def nonzero(input, *, as_tuple=False):
    return input.nonzero(as_tuple=as_tuple)


def argwhere(input):
    return input.nonzero()


__all__ = [
    "Tensor", "Size", "dtype", "device", "cuda", "autograd", "nn", "optim",
    "tensor", "as_tensor", "from_numpy", "ones", "zeros", "empty", "full", "eye", "arange",
    "linspace", "rand", "randn", "randint", "ones_like", "zeros_like", "empty_like",
    "full_like", "rand_like", "randn_like", "manual_seed", "seed", "initial_seed",
    "get_rng_state", "set_rng_state",
    "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool",
    "half", "float", "double", "short", "int", "long", "get_default_dtype",
    "set_default_dtype", "promote_types", "get_default_device", "set_default_device",
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
    "is_inference_mode_enabled",
    "set_printoptions", "get_printoptions",
    "add", "sub", "mul", "div", "pow", "neg", "abs", "exp", "log", "sqrt", "sin", "cos",
    "tanh", "sigmoid", "relu", "reciprocal", "clone", "clamp", "clip", "maximum", "minimum",
    "where", "matmul", "mm", "mv", "dot", "bmm", "sum", "mean", "max", "min", "amax", "amin",
    "var", "std", "norm", "prod", "softmax", "log_softmax", "logsumexp", "reshape", "flatten", "transpose",
    "permute", "t", "squeeze", "unsqueeze", "cat", "stack", "absolute", "negative",
    "multiply", "divide", "subtract", "true_divide", "eq", "ne", "lt", "le", "gt", "ge",
    "all", "any", "numel", "is_tensor", "isnan", "isinf", "isfinite", "argmax", "argmin",
    "allclose", "equal", "detach", "cumsum", "erf", "flip", "gather", "log1p", "masked_fill",
    "narrow", "repeat", "roll", "rsqrt", "sign", "square", "tril", "triu", "split", "chunk",
    "unbind", "nonzero", "argwhere", "floor", "ceil", "trunc", "frac", "round", "sort",
    "argsort", "topk", "Generator", "default_generator", "randperm", "utils", "accelerator",
]

from . import _keywords, _more_ops, accelerator, linalg, profiler  # noqa: E402
from ._more_ops import (atan2, bitwise_and, bitwise_not, bitwise_or, bitwise_xor,  # noqa: E402
                        cross, diag, einsum, logical_and, logical_not, logical_or,
                        logical_xor, outer, trace, unique)

globals().update(_more_ops.unary_functions())          # tan, asin, ..., log10
for _alias, _name in _more_ops.ALIASES.items():        # arcsin, ..., arctan2
    globals()[_alias] = globals()[_name]
det, inverse, svd = linalg.det, linalg.inv, linalg.legacy_svd
_keywords.install(globals(), Tensor)   # PyTorch's argument names as keywords (after every
                                       # public function exists)
__all__ += ["linalg", "profiler", "atan2", "bitwise_and", "bitwise_not", "bitwise_or", "bitwise_xor",
            "cross", "diag", "logical_and", "logical_not", "logical_or", "logical_xor",
            "outer", "trace", "unique", "det", "inverse", "svd", "einsum", *_more_ops.UNARY, *_more_ops.ALIASES]

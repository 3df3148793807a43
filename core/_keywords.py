"""PyTorch's argument names as keywords: ``torch.matmul(input=a, other=b)``,
``torch.mm(a, mat2=b)``, ``x.add(other=y)``, ``torch.sum(input=x, dim=1)``, from one table.

The engine's functions take their tensors positionally under short names; ``install`` wraps
the public ones so that PyTorch's names for those positions are accepted as keywords.
"""
import functools

__all__ = ["PYTORCH_NAMES", "install"]

_BINARY = ("input", "other")
# public name -> PyTorch's names of its leading positional parameters
PYTORCH_NAMES = {
    **{n: _BINARY for n in ("add", "sub", "mul", "div", "maximum", "minimum", "multiply",
                            "divide", "subtract", "eq", "ne", "lt", "le", "gt", "ge", "matmul",
                            "atan2", "logical_and", "logical_or", "logical_xor",
                            "bitwise_and", "bitwise_or", "bitwise_xor", "cross", "outer",
                            "equal", "allclose", "true_divide")},
    "pow": ("input", "exponent"),
    "mm": ("input", "mat2"), "bmm": ("input", "mat2"), "mv": ("input", "vec"),
    "dot": ("input", "tensor"),
    "reshape": ("input", "shape"), "permute": ("input", "dims"),
    **{n: ("input",) for n in ("sum", "mean", "prod", "max", "min", "amax", "amin", "std",
                               "var", "logsumexp", "softmax", "log_softmax", "cumsum",
                               "flatten", "transpose", "squeeze", "unsqueeze", "clamp", "clip",
                               "norm", "argmax", "argmin", "all", "any", "t", "neg", "abs",
                               "sign", "square", "numel", "isnan", "isinf", "isfinite",
                               "detach", "nonzero", "argwhere")},
}
# methods: the tensor is self, the other names as above
_METHODS = {n: v[1:] for n, v in PYTORCH_NAMES.items() if len(v) > 1 and v != ("input", "shape")
            and v != ("input", "dims") and v[0] == "input"}


def with_pytorch_names(fn, names, name=None):
    """``fn`` accepting ``names`` (its leading positional parameters) also as keywords."""
    n = len(names)
    public = name or getattr(fn, "__name__", "function")

    @functools.wraps(fn)
    def call(*args, **kw):
        if kw and len(args) < n:
            args = list(args)
            for i in range(len(args), n):
                if names[i] not in kw:
                    break
                args.append(kw.pop(names[i]))
            for name_ in names[:len(args)]:
                if name_ in kw:
                    raise TypeError(f"{public}() got multiple values for argument '{name_}'")
        return fn(*args, **kw)
    return call


def install(namespace, tensor_cls):
    """Wrap the functions of ``namespace`` (``torch``'s) and the methods of ``tensor_cls``."""
    for name, names in PYTORCH_NAMES.items():
        fn = namespace.get(name)
        if callable(fn):
            namespace[name] = with_pytorch_names(fn, names, name)
    for name, names in _METHODS.items():
        fn = tensor_cls.__dict__.get(name)
        if callable(fn):
            setattr(tensor_cls, name, with_pytorch_names(fn, ("self",) + names, name))

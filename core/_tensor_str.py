"""PyTorch's printout of a tensor (``repr``/``str``), ported from ``torch/_tensor_str.py``.

Also holds the print options (``set_printoptions``, ``get_printoptions``, ``printoptions``).
"""
import contextlib
import dataclasses
import math

import numpy as np

__all__ = ["tensor_repr", "tensor_str", "set_printoptions", "get_printoptions", "printoptions"]



@dataclasses.dataclass
class _PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrinterOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Set options for printing tensors, as ``torch.set_printoptions`` does.

    Parameters
    ----------
    precision : int, optional
        Digits after the decimal point for floating point output (default 4).
    threshold : float, optional
        Number of elements above which the printout is summarized with ``...`` (default 1000).
    edgeitems : int, optional
        Items kept at the start and end of each summarized dimension (default 3).
    linewidth : int, optional
        Characters per line before wrapping (default 80).
    profile : {"default", "short", "full"}, optional
        Preset applied first; the other arguments then override it.
    sci_mode : bool or None, optional
        Force (True) or forbid (False) scientific notation. None, also when omitted, lets
        the formatter choose, exactly as in PyTorch.

    Examples
    --------
    >>> set_printoptions(precision=2)
    >>> set_printoptions(profile="default")
    """
    if profile is not None and profile in _PROFILES:
        for name, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, name, value)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """Return the current print options as a dict that ``set_printoptions(**d)`` accepts.

    Examples
    --------
    >>> get_printoptions()["precision"]
    4
    """
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Temporarily change the print options; takes the arguments of ``set_printoptions``."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    """Chooses one width and notation for every element of an array, as PyTorch does.

    Parameters
    ----------
    data : numpy.ndarray
        The values that will be shown (already summarized when the tensor is).
    floating : bool
        Whether the tensor's dtype is a floating point one.
    """

    def __init__(self, data, floating):
        self.floating_dtype = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = np.asarray(data).reshape(-1)
        precision = PRINT_OPTS.precision
        if not floating:
            for value in flat.tolist():
                self.max_width = max(self.max_width, len(f"{value}"))
            return
        with np.errstate(all="ignore"):
            nonzero_finite = flat[np.isfinite(flat) & (flat != 0)]
        if nonzero_finite.size == 0:
            return  # no valid number, do nothing
        finite_abs = np.abs(nonzero_finite).astype(np.float64)
        finite_min, finite_max = finite_abs.min(), finite_abs.max()
        values = nonzero_finite.tolist()
        self.int_mode = bool(np.all(nonzero_finite == np.ceil(nonzero_finite)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = bool(finite_max / finite_min > 1000.0 or finite_max > 1.0e8
                                 or finite_min < 1.0e-4)
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        if self.sci_mode:
            widths = [len(f"{value:.{precision}e}") for value in values]
        elif self.int_mode:
            # whole floats get a trailing "." to show the dtype is floating: one more char
            widths = [len(f"{value:.0f}") + 1 for value in values]
        else:
            widths = [len(f"{value:.{precision}f}") for value in values]
        self.max_width = max([self.max_width] + widths)

    def width(self):
        """Return the width every formatted element is padded to."""
        return self.max_width

    def format(self, value):
        """Return ``value`` (a Python number) as text, right-aligned to ``width()``."""
        if self.floating_dtype:
            if self.sci_mode:
                ret = f"{value:{self.max_width}.{PRINT_OPTS.precision}e}"
            elif self.int_mode:
                ret = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{value:.{PRINT_OPTS.precision}f}"
        else:
            ret = f"{value}"
        return (self.max_width - len(ret)) * " " + ret


def _element_str(value, formatter1, formatter2=None):
    """Format one Python number; complex numbers use one formatter per part."""
    if formatter2 is None:
        return formatter1.format(value)
    real_str = formatter1.format(value.real)
    imag_str = (formatter2.format(value.imag) + "j").lstrip()
    # handles negative numbers, +0.0, -0.0
    if imag_str[0] in "+-":
        return real_str + imag_str
    return real_str + "+" + imag_str


def _vector_str(data, indent, summarize, formatter1, formatter2=None):
    """Format a 1-d array: elements wrapped at the line width, ``...`` in the middle."""
    element_length = formatter1.width() + 2  # includes the ", " between elements
    if formatter2 is not None:
        element_length += formatter2.width() + 1  # the imaginary part and its "j"
    elements_per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
    edge = PRINT_OPTS.edgeitems

    def fmt(values):
        return [_element_str(v, formatter1, formatter2) for v in values.tolist()]

    if summarize and not edge:
        elements = ["..."]
    elif summarize and data.shape[0] > 2 * edge:
        elements = fmt(data[:edge]) + [" ..."] + fmt(data[-edge:])
    else:
        elements = fmt(data)
    lines = [", ".join(elements[i:i + elements_per_line])
             for i in range(0, len(elements), elements_per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with_formatter(data, indent, summarize, formatter1, formatter2=None):
    """Format an array of any rank, nesting one bracket and one indent per dimension."""
    dim = data.ndim
    if dim == 0:
        return _element_str(data.item(), formatter1, formatter2)
    if dim == 1:
        return _vector_str(data, indent, summarize, formatter1, formatter2)
    edge = PRINT_OPTS.edgeitems
    size = data.shape[0]

    def sub(i):
        return _tensor_str_with_formatter(data[i], indent + 1, summarize, formatter1, formatter2)

    if summarize and size > 2 * edge:
        slices = ([sub(i) for i in range(edge)] + ["..."]
                  + [sub(i) for i in range(size - edge, size)])
    else:
        slices = [sub(i) for i in range(size)]
    return "[" + ("," + "\n" * (dim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized_data(data):
    """Return only the elements a summarized printout shows (PyTorch's get_summarized_data)."""
    edge = PRINT_OPTS.edgeitems
    if data.ndim == 0:
        return data
    if data.ndim == 1:
        if data.shape[0] > 2 * edge:
            return np.concatenate((data[:edge], data[-edge:]))
        return data
    if not edge:
        return np.empty([0] * data.ndim, dtype=data.dtype)
    size = data.shape[0]
    rows = (list(range(edge)) + list(range(size - edge, size))
            if size > 2 * edge else range(size))
    return np.stack([_summarized_data(data[i]) for i in rows])


def _array_str(data, indent, floating):
    """Return the bracketed body of the printout of ``data`` (no ``tensor(`` or suffixes)."""
    if data.size == 0:
        return "[]"
    summarize = data.size > PRINT_OPTS.threshold
    shown = _summarized_data(data) if summarize else data
    if np.iscomplexobj(data):
        real_formatter = _Formatter(shown.real, True)
        imag_formatter = _Formatter(shown.imag, True)
        return _tensor_str_with_formatter(data, indent, summarize, real_formatter, imag_formatter)
    return _tensor_str_with_formatter(data, indent, summarize, _Formatter(shown, floating))


def _add_suffixes(body, suffixes, indent, force_newline=False):
    """Append ``, suffix`` items and the closing parenthesis, wrapping at the line width."""
    parts = [body]
    last_line_len = len(body) - body.rfind("\n") + 1
    for suffix in suffixes:
        if force_newline or last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
            force_newline = False
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _host_array(t):
    """Return the tensor's values as a numpy array (copied from the GPU for cupy arrays)."""
    data = t._data
    if hasattr(data, "get"):
        data = data.get()
    return np.asarray(data)


def _dtype_name(dtype):
    """Return ``"float32"`` for the dtype object ``torch.float32``."""
    name = getattr(dtype, "name", None)
    return name if isinstance(name, str) else str(dtype).rsplit(".", 1)[-1]


def _default_dtype_name():
    """Return the name of the engine's default float dtype (``"float32"`` unless changed)."""
    try:
        from ._dtype import get_default_dtype
    except ImportError:
        return "float32"
    return _dtype_name(get_default_dtype())


def tensor_repr(t):
    """Return PyTorch's printout of a tensor: ``tensor(...)`` with its suffixes.

    Parameters
    ----------
    t : Tensor
        Anything with ``_data``, ``dtype``, ``device``, ``requires_grad`` and ``grad_fn``.

    Returns
    -------
    str
        The text ``repr(torch_tensor)`` gives for the same values, e.g.
        ``"tensor([1., 2.], dtype=torch.float64, requires_grad=True)"``.

    Examples
    --------
    >>> import gradtrace.core as torch
    >>> print(tensor_repr(torch.tensor([[1.5, -2.0], [3.0, 4.0]])))
    tensor([[ 1.5000, -2.0000],
            [ 3.0000,  4.0000]])
    """
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    device = t.device
    if getattr(device, "type", "cpu") != "cpu":
        suffixes.append("device='" + str(device) + "'")
    data = _host_array(t)
    dtype_name = _dtype_name(t.dtype)
    default_name = _default_dtype_name()
    # dtypes printed without a suffix: the default float and its complex type, int64, bool
    default_complex = "complex128" if default_name == "float64" else "complex64"
    suffixless = (default_name, default_complex, "int64", "bool")
    if data.size == 0:
        # Explicitly print the shape if it is not (0,), to match NumPy behavior
        if data.ndim != 1:
            suffixes.append("size=" + str(tuple(data.shape)))
        # an empty tensor has no elements to tell the dtype by, so it is always shown
        if dtype_name != default_name:
            suffixes.append("dtype=" + str(t.dtype))
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append("size=" + str(tuple(data.shape)))
        if dtype_name not in suffixless:
            suffixes.append("dtype=" + str(t.dtype))
        body = _array_str(data, indent, bool(t.dtype.is_floating_point))
    grad_fn = t.grad_fn
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn.name().rsplit('::', 1)[-1]}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    tangent = tangent_hook[0](t) if tangent_hook[0] is not None else None
    if tangent is not None:   # a dual tensor inside forward_ad.dual_level(), as PyTorch prints it
        suffixes.append("tangent=" + tensor_repr(tangent))
    return _add_suffixes(prefix + body, suffixes, indent)


# set by autograd.forward_ad while a dual level is open: tensor -> its tangent (a tensor) or None
tangent_hook = [None]


def tensor_str(t):
    """Return ``str(t)``: the same text as ``tensor_repr(t)``, as in PyTorch."""
    return tensor_repr(t)

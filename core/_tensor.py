"""``Tensor``: an array (numpy, or CuPy on the GPU) plus what autograd needs to know about it.

Differentiable methods delegate to ``_ops`` (which records nodes through the registry);
everything here is PyTorch's surface: names, printouts, errors and warnings.
"""
import warnings

import numpy as np

from . import (
    _creation,
    _device,
    _dtype,
    _engine,
    _extra_ops,
    _graph,
    _indexing,
    _inplace,
    _matmul,
    _more_ops,
    _ops,
    linalg,
)
from ._dtype import from_numpy_dtype
from ._graph import read_from
from ._ops import _binary
from ._tensor_str import tensor_repr
from .derivatives import OPS

_ADD, _SUB, _MUL, _DIV = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"]

__all__ = ["Tensor", "Size"]

_NON_LEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information.")


class Size(tuple):
    """``torch.Size``: a tuple of ints printed as ``torch.Size([2, 3])``."""

    __slots__ = ()

    def __repr__(self):
        return f"torch.Size([{', '.join(str(int(n)) for n in self)}])"

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n


_NEVER_CHANGED = [0]   # the version counter of every tensor until it needs its own


class Tensor:
    """A multi-dimensional array that can record the operations made on it.

    >>> x = torch.ones(2, 2, requires_grad=True)
    >>> (x * 3).sum().backward()
    >>> x.grad
    tensor([[3., 3.],
            [3., 3.]])
    """

    __slots__ = ("_data", "_requires_grad", "grad_fn", "_grad", "_vc", "_view_of", "_view_v",
                 "_accum", "_hooks", "_retains_grad", "__weakref__")
    _nr = 0   # which output of its grad_fn this is (a slot of _Piece, the pieces of a split)
    __array_priority__ = 1000  # numpy defers to Tensor's reflected operators

    @classmethod
    def _wrap(cls, data):
        t = object.__new__(cls)
        t._data = data
        t._requires_grad = False
        t._vc = _NEVER_CHANGED
        t.grad_fn = None
        t._grad = None
        # _accum, _hooks and _retains_grad stay unset until used (read with getattr): fewer
        # stores on the path every op takes
        return t

    @property
    def _version(self):
        """How many in-place changes this tensor's memory has seen; a view shares its base's
        count, as in PyTorch (``_vc``: a one-item list, its own from the first change or view
        on; until then the shared, never written ``[0]``)."""
        return self._vc[0]

    @_version.setter
    def _version(self, value):
        if self._vc is _NEVER_CHANGED:
            self._vc = [value]
        else:
            self._vc[0] = value

    def _share_version(self, base, view=True):
        """Make this tensor count ``base``'s in-place changes (and ``base`` this one's); for a
        view also remember the base it shows (the first non-view tensor, as ``_base``)."""
        vc = base._vc
        if vc is _NEVER_CHANGED:
            vc = base._vc = [0]
        self._vc = vc
        if view:
            root = getattr(base, "_view_of", None)
            self._view_of = base if root is None else root
            self._view_v = vc[0]
            if not isinstance(self, _View):
                self.__class__ = _View
        return self

    @property
    def output_nr(self):
        """Which output of ``grad_fn`` this tensor is (0 but for the pieces of ``split``,
        ``chunk`` and ``unbind``, which share one node)."""
        return self._nr

    @property
    def _base(self):
        """The tensor this one is a view of (None when it is not a view)."""
        return getattr(self, "_view_of", None)

    def _is_view(self):
        return getattr(self, "_view_of", None) is not None

    def __new__(cls, *args, **kwargs):
        """PyTorch's legacy constructor: ``torch.Tensor([1, 2])`` (data), ``torch.Tensor(2, 3)``
        (sizes), ``torch.Tensor()``; always the default dtype (``torch.tensor`` infers it)."""
        from ._legacy import legacy_new
        return legacy_new(Tensor, args, kwargs)

    def __init__(self, *args, **kwargs):
        pass   # __new__ built it

    # ------------------------------------------------------------------ attributes
    @property
    def data(self):
        """The same values, detached from the graph (shares memory)."""
        return Tensor._wrap(self._data)

    @data.setter
    def data(self, value):
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` on a leaf, in place; returns ``self``."""
        if self.grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach().")
            return self
        if requires_grad and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self):
        if self.grad_fn is not None and not getattr(self, "_retains_grad", False):
            warnings.warn(_NON_LEAF_GRAD, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = value

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        """The shape as ``torch.Size``, or the length of dimension ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_ops.wrap_dim(dim, self._data.ndim)]

    def dim(self):
        return self._data.ndim

    @property
    def ndim(self):
        return self._data.ndim

    def numel(self):
        return int(self._data.size)

    nelement = numel

    @property
    def dtype(self):
        return from_numpy_dtype(self._data.dtype)

    @property
    def device(self):
        return _device.device_of(self._data)

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    @property
    def T(self):
        return self if self._data.ndim < 2 else self.permute(*range(self._data.ndim - 1, -1, -1))

    @property
    def mT(self):
        return self.transpose(-2, -1)

    @property
    def itemsize(self):
        return self._data.itemsize

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def element_size(self):
        return self._data.itemsize

    def is_contiguous(self):
        return bool(self._data.flags.c_contiguous)

    def stride(self, dim=None):
        """Steps in elements between neighbours along each dimension (PyTorch's strides)."""
        item = self._data.itemsize
        strides = tuple(s // item for s in self._data.strides)
        return strides if dim is None else strides[_ops.wrap_dim(dim, max(self.ndim, 1))]

    def storage_offset(self):
        """Where this tensor starts in its base's memory, in elements (0 unless a view)."""
        base = getattr(self, "_view_of", None)
        if base is None:
            return 0
        offset = _indexing._address(self._data) - _indexing._address(base._data)
        return offset // self._data.itemsize

    def contiguous(self):
        return self if self._data.flags.c_contiguous else self.clone()

    # ------------------------------------------------------------------ conversion
    def __deepcopy__(self, memo):
        """A new leaf with copied values (and ``.grad``), as PyTorch copies graph leaves."""
        if id(self) in memo:
            return memo[id(self)]
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment.  If you were attempting to deepcopy a module, this may "
                "be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001")
        new = memo[id(self)] = Tensor._wrap(self._data.copy())
        new._requires_grad = self._requires_grad
        if self._grad is not None:
            new._grad = self._grad.__deepcopy__(memo)
        return new

    def detach(self):
        """A new tensor with the same data (and version counter), cut from the graph."""
        return Tensor._wrap(self._data)._share_version(self, view=False)

    def detach_(self):
        self.grad_fn = None
        self._requires_grad = False
        return self

    def numpy(self, *, force=False):
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        if self.device.type != "cpu":
            if force:
                return _device.to_numpy(self._data)
            raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() "
                            "to copy the tensor to host memory first.")
        return self._data

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return _device.to_numpy(self._data).reshape(()).item()

    def tolist(self):
        return _device.to_numpy(self._data).tolist()

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __index__(self):
        if self._data.size != 1 or self.dtype.is_floating_point:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return tensor_repr(self)

    __str__ = __repr__

    def __format__(self, spec):
        if self._data.ndim == 0 and spec:
            return format(self.item(), spec)
        return object.__format__(self, spec) if spec else repr(self)

    def to(self, *args, **kwargs):
        """Move to a device and/or cast to a dtype: ``t.to("cuda")``, ``t.to(torch.float64)``."""
        dev, dt = kwargs.get("device"), kwargs.get("dtype")
        for a in args:
            if isinstance(a, _dtype.dtype):
                dt = a
            elif isinstance(a, Tensor):
                dev, dt = a.device, a.dtype
            else:
                dev = a
        out = self
        if dt is not None and dt is not self.dtype:
            out = _ops.to_dtype(out, dt)
        if dev is not None:
            out = _ops.to_device(out, _device.as_device(dev))
        return out

    def cuda(self, device=None):
        return self.to(_device.as_device("cuda" if device is None else device))

    def cpu(self):
        return self.to("cpu")

    def type_as(self, other):
        """``self`` with ``other``'s dtype, on ``other``'s device (``self.type(other.type())``)."""
        return self.to(other.device, other.dtype)

    def type(self, dtype=None, non_blocking=False):
        """``"torch.FloatTensor"`` (``"torch.cuda.FloatTensor"`` on a GPU) without an argument;
        with a dtype or such a name, the tensor cast (and moved) to it."""
        if dtype is None:
            prefix = "torch.cuda." if self.device.type == "cuda" else "torch."
            return prefix + _dtype.TYPE_WORDS.get(self.dtype.name, self.dtype.name.capitalize()) + "Tensor"
        if isinstance(dtype, str):
            word = dtype.rsplit(".", 1)[-1]
            names = {w + "Tensor": n for n, w in _dtype.TYPE_WORDS.items()}
            if word not in names or not dtype.startswith("torch."):
                raise ValueError(f"invalid type: '{dtype}'")
            return self.to("cuda" if dtype.startswith("torch.cuda.") else "cpu",
                           getattr(_dtype, names[word]))
        return self.to(dtype)

    def get_device(self):
        """The GPU index of a CUDA tensor, -1 for a CPU tensor."""
        dev = self.device
        return -1 if dev.type == "cpu" else (dev.index or 0)

    def float(self):
        return self.to(_dtype.float32)

    def double(self):
        return self.to(_dtype.float64)

    def long(self):
        return self.to(_dtype.int64)

    def int(self):
        return self.to(_dtype.int32)

    def bool(self):
        return self.to(_dtype.bool)

    def half(self):
        return self.to(_dtype.float16)

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        return _creation.tensor(data, dtype=dtype or self.dtype, device=device or self.device,
                      requires_grad=requires_grad)

    def _new(self, fill, size, dtype, device, requires_grad):
        size = size[0] if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        return _creation.full(tuple(size), fill, dtype=dtype or self.dtype,
                              device=device or self.device, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        """Ones of ``size`` with this tensor's dtype and device (unless given)."""
        return self._new(1, size, dtype, device, requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        """Zeros of ``size`` with this tensor's dtype and device (unless given)."""
        return self._new(0, size, dtype, device, requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return self._new(0, size, dtype, device, requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        """``fill_value`` in ``size`` with this tensor's dtype and device (unless given)."""
        return self._new(fill_value, (size,), dtype, device, requires_grad)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute the gradient of this tensor w.r.t. the graph leaves (see ``autograd.backward``)."""
        _engine.backward(self, gradient, retain_graph, create_graph, inputs)

    def register_hook(self, hook):
        return _engine.register_tensor_hook(self, hook)

    def retain_grad(self):
        _engine.retain_grad(self)

    @property
    def retains_grad(self):
        return getattr(self, "_retains_grad", False)

    # ------------------------------------------------------------------ operators
    def __add__(self, other):
        return _binary(_ADD, self, other)

    def __radd__(self, other):
        return _binary(_ADD, self, other)

    def __sub__(self, other):
        return _ops.sub(self, other)

    def __rsub__(self, other):
        return _ops.rsub(self, other)

    def __mul__(self, other):
        return _binary(_MUL, self, other)

    def __rmul__(self, other):
        return _binary(_MUL, self, other)

    def __truediv__(self, other):
        return _binary(_DIV, self, other, True)

    def __rtruediv__(self, other):
        return _ops.mul(_ops.reciprocal(self), other)

    def __pow__(self, exponent):
        return _ops.pow(self, exponent)

    def __rpow__(self, base):
        return _ops.rpow(self, base)

    def __matmul__(self, other):
        return _matmul.matmul(self, other)

    def __rmatmul__(self, other):
        return _matmul.matmul(_ops.as_operand(other, self), self)

    def __neg__(self):
        return _ops.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops.unary("abs", self)

    def __eq__(self, other):
        return _ops.compare("equal", self, other)

    def __ne__(self, other):
        return _ops.compare("not_equal", self, other)

    def __lt__(self, other):
        return _ops.compare("less", self, other)

    def __le__(self, other):
        return _ops.compare("less_equal", self, other)

    def __gt__(self, other):
        return _ops.compare("greater", self, other)

    def __ge__(self, other):
        return _ops.compare("greater_equal", self, other)

    def __and__(self, other):
        return _ops.logical("bitwise_and", self, other)

    def __or__(self, other):
        return _ops.logical("bitwise_or", self, other)

    def __xor__(self, other):
        return _ops.logical("bitwise_xor", self, other)

    def __invert__(self):
        if self.dtype is not _dtype.bool and self.dtype.is_floating_point:
            raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
        return Tensor._wrap(~self._data)

    def __getitem__(self, index):
        return _indexing.getitem(self, index)

    def __setitem__(self, index, value):
        _indexing.setitem(self, index, value)

    # ------------------------------------------------------------------ in-place
    def __iadd__(self, other):
        return _indexing.inplace(self, _ops.add, other)

    def __isub__(self, other):
        return _indexing.inplace(self, _ops.sub, other)

    def __imul__(self, other):
        return _indexing.inplace(self, _ops.mul, other)

    def __itruediv__(self, other):
        return _indexing.inplace(self, _ops.div, other)

    def add_(self, other, alpha=1):
        return _indexing.inplace(self, _ops.add, other, alpha)

    def sub_(self, other, alpha=1):
        return _indexing.inplace(self, _ops.sub, other, alpha)

    def mul_(self, other):
        return _indexing.inplace(self, _ops.mul, other)

    def div_(self, other):
        return _indexing.inplace(self, _ops.div, other)

    def zero_(self):
        return _indexing.zero_(self)

    def fill_(self, value):
        return _indexing.fill_(self, value)

    def clamp_(self, min=None, max=None):
        return _indexing.inplace(self, _ops.clamp, min, max)

    def relu_(self):
        return _indexing.inplace(self, _ops.unary_function("relu"))

    def copy_(self, src):
        return _indexing.copy_(self, src)

    # ------------------------------------------------------------------ comparisons and logic
    def eq(self, other):
        return self.__eq__(other)

    def ne(self, other):
        return self.__ne__(other)

    def lt(self, other):
        return self.__lt__(other)

    def le(self, other):
        return self.__le__(other)

    def gt(self, other):
        return self.__gt__(other)

    def ge(self, other):
        return self.__ge__(other)

    def equal(self, other):
        return self.shape == other.shape and bool((self._data == other._data).all())

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return bool(np.allclose(_device.to_numpy(self._data), _device.to_numpy(other._data),
                                rtol=rtol, atol=atol, equal_nan=equal_nan))

    def all(self, dim=None, keepdim=False):
        return _ops.boolean_reduce("all", self, dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return _ops.boolean_reduce("any", self, dim, keepdim)

    def isnan(self):
        return Tensor._wrap(_device.array_module(self._data).isnan(self._data))

    def isinf(self):
        return Tensor._wrap(_device.array_module(self._data).isinf(self._data))

    def isfinite(self):
        return Tensor._wrap(_device.array_module(self._data).isfinite(self._data))

    def argmax(self, dim=None, keepdim=False):
        return _ops.arg_reduce("argmax", self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return _ops.arg_reduce("argmin", self, dim, keepdim)

    def nonzero(self, *, as_tuple=False):
        """Indices of the non-zero elements: an ``(n, ndim)`` int64 tensor, or with
        ``as_tuple=True`` one 1-D tensor per dimension. Never recorded; on a GPU the count
        comes back to the host (the result's size depends on the values)."""
        data = self._data
        xp = _device.array_module(data)
        parts = xp.nonzero(data.reshape(1) if data.ndim == 0 else data)
        parts = [p.astype(np.int64, copy=False) for p in parts]
        if as_tuple:
            return tuple(Tensor._wrap(p) for p in parts)
        if data.ndim == 0:
            return Tensor._wrap(xp.zeros((len(parts[0]), 0), dtype=np.int64))
        return Tensor._wrap(xp.stack(parts, axis=1))

    def argwhere(self):
        return self.nonzero()

    def where(self, condition, other):
        """``torch.where(condition, self, other)``."""
        return _ops.where(condition, self, other)

    def norm(self, p=2, dim=None, keepdim=False):
        """The vector p-norm over ``dim`` (all elements by default): ``LinalgVectorNormBackward0``."""
        return _ops.norm(self, p, dim, keepdim)


def _method(name, fn):
    setattr(Tensor, name, fn)


# Differentiable methods that are plain forwards to the functional ops (``x.exp()`` is
# ``exp(x)``), defined once here instead of one wrapper per name.
for _name in ("exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "neg",
              "reciprocal", "clone"):
    _method(_name, _ops.unary_function(_name))
for _name in ("add", "sub", "mul", "div", "pow", "maximum", "minimum", "clamp",
              "sum", "prod", "mean", "max", "min", "amax", "amin", "var", "std", "softmax",
              "log_softmax", "logsumexp", "reshape", "view", "flatten", "transpose",
              "permute", "t", "squeeze", "unsqueeze", "expand", "expand_as", "view_as",
              "reshape_as", "clip", "swapaxes", "negative",
              "multiply", "divide", "subtract", "true_divide", "rsub"):
    _method(_name, getattr(_ops, _name))
Tensor.absolute = Tensor.abs
_GRAD_FN = Tensor.grad_fn   # the slot itself


class _View(Tensor):
    """A tensor that shows part of another's memory (``t()``, ``view``, ``x[0]``, ...). When
    that memory is changed in place after the view's node was made, the view's ``grad_fn`` is
    made again from the base's new node (``AsStridedBackward0``), as PyTorch does, so that
    gradients through the view see the change."""

    __slots__ = ()

    @property
    def grad_fn(self):
        fn = _GRAD_FN.__get__(self)
        if self._vc[0] != self._view_v:
            fn = self._regenerate(fn)
        return fn

    @grad_fn.setter
    def grad_fn(self, node):
        _GRAD_FN.__set__(self, node)
        self._view_v = self._vc[0]

    def _regenerate(self, fn):
        base = self._view_of
        if not base._requires_grad:
            self._view_v = self._vc[0]
            return fn
        if type(self) is _Piece:   # one of several views: PyTorch will not make its node again
            raise self._refusal("and its base or another view of its base has been modified "
                                "inplace")
        self._view_v = self._vc[0]
        fn = read_from(base, _indexing._view_index(self._data, base._data))
        _GRAD_FN.__set__(self, fn)
        self._requires_grad = True
        return fn


class _Piece(_View):
    """One output of ``split``/``chunk``/``unbind``: a view of the input and output ``_nr`` of
    the one node they share (``SplitBackward0``, ...); ``_made_by`` names that op."""

    __slots__ = ("_nr", "_made_by")

    def _refusal(self, what):
        """PyTorch's error for changing such a view (``what`` happened to it) in place."""
        return RuntimeError(
            f"Output {self._nr} of {_graph.op_word(self._made_by)} is a view {what}. This view "
            "is the output of a function that returns multiple views. Such functions do not allow "
            "the output views to be modified inplace. You should replace the inplace operation by "
            "an out-of-place one.")


class _Output(Tensor):
    """Output ``_nr`` of a node with several outputs that is not a view (a custom Function
    returning several tensors, ``linalg.svd``)."""

    __slots__ = ("_nr",)


_graph.register_tensor_classes(Tensor, _Piece, _Output)


for _name in ("matmul", "mm", "mv", "dot", "bmm"):
    _method(_name, getattr(_matmul, _name))
for _name in _extra_ops.__all__:
    _method(_name, getattr(_extra_ops, _name))
Tensor.masked_fill_ = lambda self, mask, value: _indexing.inplace(
    self, _extra_ops.masked_fill, mask, value)
_more_ops.install(Tensor)   # tan, asin, ..., atan2, trace, unique: defined with their functions
Tensor.det, Tensor.inverse, Tensor.svd = linalg.det, linalg.inv, linalg.legacy_svd
_inplace.install(Tensor)    # every in-place variant (x.exp_(), x.t_(), ...), once all exist

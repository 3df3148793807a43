"""``torch.autograd.Function``: user-defined ops with a hand-written backward, recorded as one
``<Name>Backward`` node that the engine runs like any registry op (``derivatives.OpDef``).
"""
import functools
import inspect
import warnings
import weakref

from .. import _graph, grad_mode
from .._creation import zeros
from .._tensor import Tensor, _Output
from ..derivatives import OpDef

__all__ = ["Function", "FunctionCtx", "BackwardCFunction", "once_differentiable"]

_NO_EDGE = (None, 0)


class FunctionCtx:
    """What ``forward`` and ``backward`` receive as ``ctx`` (in PyTorch, the ``grad_fn`` itself)."""

    def save_for_backward(self, *tensors):
        """Keep ``tensors`` (inputs, the output or ``None``) for ``ctx.saved_tensors``."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} "
                                f"is of type {type(t).__name__}")
        self.to_save = tensors

    def mark_non_differentiable(self, *outputs):
        """Mark outputs that get no gradient (they do not require grad)."""
        self.non_differentiable = outputs

    def set_materialize_grads(self, value):
        """Accepted for PyTorch's API; gradients reaching ``backward`` are always tensors here."""
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors):
        raise NotImplementedError("gradtrace: custom Functions that modify their inputs in place "
                                  "(ctx.mark_dirty) are not supported")

    @property
    def saved_tensors(self):
        """The tensors given to ``save_for_backward``, unpacked as PyTorch does: the saved output
        comes back with this node as its ``grad_fn``; freed after a backward without
        ``retain_graph``."""
        op = getattr(self, "_op", None)
        if op is None:
            return tuple(getattr(self, "to_save", ()))
        return tuple(self._saved_values(create_graph=True))


class BackwardCFunction(_graph.Node, FunctionCtx):
    """The node of a custom ``Function``: a graph ``Node`` that is also the ``ctx``."""

    def __repr__(self):   # PyTorch makes these classes in torch.autograd.function
        return f"<torch.autograd.function.{type(self).__name__} object at {hex(id(self))}>"


def _init_node(node):
    """Give every ``Node`` slot a value, so that a slot the engine adds later reads as None."""
    for klass in type(node).__mro__:
        for name in getattr(klass, "__slots__", ()):
            if name not in ("__weakref__", "__dict__"):
                object.__setattr__(node, name, None)
    node._freed = False


class Function:
    """Base class of user-defined differentiable operations.

    Subclasses define static ``forward(ctx, *args)`` (run under ``no_grad``) and
    ``backward(ctx, *grad_outputs)`` (one gradient, or ``None``, per ``forward`` argument),
    and are called through ``apply``. The output's ``grad_fn`` is a node named
    ``<ClassName>Backward`` with one ``next_functions`` entry per tensor argument.

    Examples
    --------
    >>> class Exp(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         result = x.exp()
    ...         ctx.save_for_backward(result)
    ...         return result
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (result,) = ctx.saved_tensors
    ...         return grad * result
    >>> y = Exp.apply(torch.tensor([0.0, 1.0], requires_grad=True))
    >>> y.grad_fn.name()
    'ExpBackward'
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._backward_cls = type(f"{cls.__name__}Backward", (BackwardCFunction,),
                                 {"_forward_cls": cls,
                                  "__module__": "gradtrace.core.autograd.function"})
        cls._opdefs = {}

    def __init__(self, *args, **kwargs):
        warnings.warn(f"{self.__class__} should not be instantiated. Methods on autograd "
                      "functions are all static, so you should invoke them on the class itself. "
                      "Instantiating an autograd function will raise an error in a future "
                      "version of PyTorch.", DeprecationWarning, stacklevel=2)

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    @staticmethod
    def forward(ctx, *args, **kwargs):
        """Compute the output from the inputs (override; runs under ``no_grad``)."""
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        """Optional: fill ``ctx`` after a ``forward(*args)`` that takes no ``ctx``."""
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        """Return the gradient for each ``forward`` argument (override)."""
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    vjp = backward

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` and record one ``<ClassName>Backward`` node for the result.

        Parameters
        ----------
        *args, **kwargs
            What ``forward`` takes after ``ctx``; tensors among ``args`` get graph edges.

        Returns
        -------
        Tensor or object
            ``forward``'s result; a tensor carries the new node as ``grad_fn`` when grad mode
            is on and an argument requires grad.
        """
        setup = cls.setup_context is not Function.setup_context
        if setup:
            bound = inspect.signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, {}
        node_cls = cls._backward_cls
        ctx = node_cls.__new__(node_cls)
        _init_node(ctx)
        grad_on = grad_mode.is_grad_enabled()
        ctx.needs_input_grad = tuple(grad_on and isinstance(a, Tensor) and a._requires_grad
                                     for a in args)
        ctx.to_save = ()
        ctx.non_differentiable = ()
        ctx.materialize_grads = True
        with grad_mode.no_grad():
            if setup:
                out = cls.forward(*args)
                cls.setup_context(ctx, args, out)
            else:
                out = cls.forward(ctx, *args, **kwargs)
        if isinstance(out, (tuple, list)) and any(isinstance(o, Tensor) for o in out):
            return _several_outputs(cls, ctx, args, out)
        if not isinstance(out, Tensor) or not any(ctx.needs_input_grad):
            return out
        result = Tensor._wrap(out._data)
        if not out.dtype.is_floating_point or any(o is out for o in ctx.non_differentiable):
            return result
        _record(cls, ctx, args, [(out, result)])
        return result


Function.__init_subclass__()  # so that Function.apply itself fails in forward, as in PyTorch


def _several_outputs(cls, node, args, out):
    """``forward`` returned several tensors: each becomes output ``k`` of one node (as in
    PyTorch), but those marked non-differentiable or not floating point."""
    results = list(out)
    pairs = []
    for k, o in enumerate(out):
        if isinstance(o, Tensor):
            r = _Output._wrap(o._data)
            r._nr = len(pairs)
            results[k] = r
            pairs.append((o, r))
    results = type(out)(results)
    if not any(node.needs_input_grad):
        return results
    node._multi = True
    node._gt_outs = [(r._data.shape, r.dtype, r.device) for _, r in pairs]
    graded = [(o, r) for o, r in pairs if o.dtype.is_floating_point
              and not any(o is nd for nd in node.non_differentiable)]
    if graded:
        _record(cls, node, args, graded, outputs=len(pairs))
    return results


def _record(cls, node, args, outs, outputs=None):
    """Fill ``node``'s graph slots as ``_graph.apply`` does for a registry op; ``outs`` pairs
    what ``forward`` returned with the tensors handed out (several for a node with
    ``outputs`` outputs)."""
    (out, result), single = outs[0], outputs is None
    nxt, shapes, dtypes, tensor_pos = [], [], [], []
    for p, a in enumerate(args):
        if not isinstance(a, Tensor):
            continue
        tensor_pos.append(p)
        if a._requires_grad:
            fn = a.grad_fn
            nxt.append((fn, a._nr) if fn is not None else (_graph.accumulate_node(a), 0))
            shapes.append(a._data.shape)
            dtypes.append(a._data.dtype)
        else:
            nxt.append(_NO_EDGE)
            shapes.append(None)
            dtypes.append(None)
    saves, saved, versions = [], [], []
    for k, t in enumerate(node.to_save):
        name = f"saved_tensors[{k}]"
        if t is None:
            saves.append((name, "none"))
            saved.append(None)
            versions.append(None)
        elif single and t is out:
            saves.append((name, "result"))
            saved.append(result._data)
            versions.append(weakref.ref(result))
        elif not single and any(t is o for o, _ in outs):   # an output: kept as handed out
            r = next(r for o, r in outs if t is o)
            saves.append((name, "intermediate"))
            saved.append(r)
            versions.append(r._version)
        else:
            edge = next((e for e, p in enumerate(tensor_pos) if args[p] is t), "intermediate")
            saves.append((name, edge))
            saved.append(t)
            versions.append(t._version)
    node._next = tuple(nxt)
    node._op = _opdef(cls, tuple(saves))
    node._kw = {"ctx": weakref.ref(node)} if single else {"ctx": weakref.ref(node),
                                                          "outputs": outputs}
    node._shapes = shapes
    node._dtypes = dtypes
    node._saved = saved
    node._versions = versions
    node._seq = next(_graph._seq)
    node._gt_tensor_pos = tuple(tensor_pos)
    node._gt_last_edge = max((e for e, (n, _) in enumerate(nxt) if n is not None), default=-1)
    node._gt_grads = None
    del node.to_save
    if _graph._anomaly[0]:
        node.metadata["traceback_"] = _graph._user_stack()
    for _, r in outs:
        r.grad_fn = node
        r._requires_grad = True
    if _graph.saved_tensors_hooks_stack:   # the pack hook sees the finished outputs
        _graph.pack_saved(node)


def _opdef(cls, saves):
    """The class's ``OpDef`` for one layout of saved tensors (made once, never registered)."""
    op = cls._opdefs.get(saves)
    if op is None:
        op = cls._opdefs[saves] = OpDef(cls.__name__, cls._backward_cls.__name__, None,
                                        _function_vjp, saves)
        op.node_cls = cls._backward_cls
    return op


def _function_vjp(m, g, i, *saved, ctx, outputs=None):
    """The engine's rule for edge ``i``: the user's ``backward`` runs once per backward pass and
    its gradients are handed out edge by edge."""
    node = ctx()
    cache = node._gt_grads
    if cache is None or cache[0] is not g:
        cache = node._gt_grads = (g, _run_backward(node, g))
    gi = cache[1][i]
    if i >= node._gt_last_edge:
        node._gt_grads = None
    return gi


def _run_backward(node, g):
    cls = node._forward_cls
    create_graph = isinstance(g, Tensor)
    backward_fn, vjp_fn = cls.backward, cls.vjp
    if backward_fn is not Function.backward and vjp_fn is not Function.vjp \
            and backward_fn is not vjp_fn:
        raise RuntimeError("Implementing both 'backward' and 'vjp' for a custom Function is "
                           "not allowed. You should only implement one of them.")
    user_fn = vjp_fn if vjp_fn is not Function.vjp else backward_fn
    if type(g) is list:   # several outputs: one gradient each, zeros where none arrived
        create_graph = any(isinstance(x, Tensor) for x in g)
        grads = user_fn(node, *(_output_grad(x, spec, create_graph, node.materialize_grads)
                                for x, spec in zip(g, node._gt_outs)))
    else:
        grads = user_fn(node, g if create_graph else Tensor._wrap(g))
    if not isinstance(grads, tuple):
        grads = (grads,)
    name = type(node).__name__
    n_args = len(node.needs_input_grad)
    if len(grads) > n_args and all(r is None for r in grads[n_args:]):
        grads = grads[:n_args]
    if len(grads) != n_args:
        raise RuntimeError(f"function {name} returned an incorrect number of gradients "
                           f"(expected {n_args}, got {len(grads)})")
    for r in grads:
        if r is not None and not isinstance(r, Tensor):
            raise RuntimeError(f"expected Variable or None (got {type(r).__name__})")
    positions = set(node._gt_tensor_pos)
    for p, r in enumerate(grads):
        if r is not None and p not in positions:
            raise RuntimeError(f"function {name} returned a gradient different than None at "
                               f"position {p + 1}, but the corresponding forward input was not "
                               "a Variable")
    out = []
    for e, p in enumerate(node._gt_tensor_pos):
        shape = node._shapes[e]
        r = grads[p]
        if node._next[e][0] is None:
            out.append(None)
            continue
        if r is None:  # no gradient for this input: the engine sends nothing along the edge
            out.append(None)
            continue
        if tuple(r.shape) != shape and not _expandable(shape, tuple(r.shape)):
            raise RuntimeError(
                f"Function {name} returned an invalid gradient at index {e} - got "
                f"[{', '.join(str(n) for n in r.shape)}] but expected shape compatible with "
                f"[{', '.join(str(n) for n in shape)}]")
        out.append(r if create_graph else r._data)
    return tuple(out)


def _output_grad(g, spec, create_graph, materialize):
    if g is None:
        if not materialize:
            return None
        shape, dtype, device = spec
        return zeros(*shape, dtype=dtype, device=device)
    return g if create_graph else Tensor._wrap(g)


def _expandable(shape, target):
    """True when ``shape`` broadcasts to ``target`` (the gradient can be summed down)."""
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(shape[::-1], target[::-1]))


def once_differentiable(fn):
    """Decorator for a ``backward`` that is not itself differentiable: it runs under
    ``no_grad`` even when the backward pass is asked to ``create_graph``."""
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            return fn(ctx, *args)
    return wrapper

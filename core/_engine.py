"""The backward engine, as a generator of ``BackwardStep`` records (``torch.autograd``'s
``backward``, ``grad`` and gradtrace's ``iter_backward``; public in ``autograd/``).

``iter_backward`` runs the graph one node at a time, in PyTorch's order, and yields what each
node received and sent; ``backward`` and ``grad`` only drive it. No recursion anywhere, so a
chain of 100,000 ops backpropagates.
"""
import heapq
import operator
import weakref
from collections import deque

import numpy as np

from . import _device, _dtype, _graph, grad_mode
from ._creation import zeros_like
from ._graph import (
    SECOND_BACKWARD,
    AccumulateGrad,
    RemovableHandle,
    _anomaly,
    _as_array,
    accumulate_node,
    extra,
    unpack_saved,
)
from ._tensor_math import TensorMath
from .derivatives import array_math

__all__ = ["iter_backward", "iter_grad", "BackwardStep", "backward", "grad",
           "register_tensor_hook", "retain_grad"]


def _wrap(g):
    return g if g is None or isinstance(g, _graph.Tensor) else _graph.Tensor._wrap(g)


class BackwardStep(tuple):
    """One node run by the backward engine (immutable).

    ``index``: position in this backward call; ``node``: the ``Node`` run; ``grads_in``: the
    gradient that arrived for each of its outputs; ``grads_out``: what it sent to each entry of
    ``node.next_functions`` (``None`` where nothing); for an ``AccumulateGrad`` node
    ``variable``, ``grad_before`` and ``grad_after`` (the leaf's ``.grad``), else ``None``.
    """

    __slots__ = ()
    index = property(operator.itemgetter(0))
    node = property(operator.itemgetter(1))
    variable = property(operator.itemgetter(4))
    grad_before = property(operator.itemgetter(5))
    grad_after = property(operator.itemgetter(6))

    @property
    def grads_in(self):
        return tuple(_wrap(g) for g in self[2])

    @property
    def grads_out(self):
        return tuple(_wrap(g) for g in self[3])

    def snapshot(self):
        """This step with its own copies of a leaf's ``.grad`` before and after (and of the
        gradient that arrived), so that a later in-place change to ``.grad`` (``zero_()``, an
        optimizer's ``zero_grad(set_to_none=False)``) cannot alter the record. Other steps
        are returned as they are: the engine never writes into the gradients it passes on."""
        if self[4] is None:
            return self

        def copy(t):
            if t is None:
                return None
            return _graph.Tensor._wrap((t._data if isinstance(t, _graph.Tensor) else t).copy())
        gin = tuple(None if g is None else copy(g)._data for g in self[2])
        return tuple.__new__(BackwardStep, (self[0], self[1], gin, self[3], self[4],
                                            copy(self[5]), copy(self[6])))

    def __repr__(self):
        return f"BackwardStep(index={self[0]}, node={self[1].name()})"


def _step(index, node, gin, gout, var=None, before=None, after=None):
    return tuple.__new__(BackwardStep, (index, node, gin, gout, var, before, after))


# ---------------------------------------------------------------- the engine
_tensor_math: list = []
_NUMPY_MATH = array_math(np.empty(0))


def _math(create_graph, g):
    if not create_graph:
        return array_math(g)
    if not _tensor_math:
        _tensor_math.append(TensorMath())
    return _tensor_math[0]


def _make_roots(tensors, grad_tensors, create_graph):
    if isinstance(tensors, _graph.Tensor):
        tensors = (tensors,)
    tensors = tuple(tensors)
    if grad_tensors is None:
        grad_tensors = (None,) * len(tensors)
    elif isinstance(grad_tensors, _graph.Tensor):
        grad_tensors = (grad_tensors,)
    roots = []
    for i, (t, g) in enumerate(zip(tensors, grad_tensors)):
        if not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not t.dtype.is_floating_point:
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got {t.dtype}")
            g = array_math(t._data).xp.ones(t._data.shape, t._data.dtype)
        else:
            if not isinstance(g, _graph.Tensor):
                g = _graph.Tensor._wrap(np.asarray(g, dtype=t._data.dtype))
            if tuple(g.shape) != tuple(t.shape):
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] has a shape of {t.shape}.")
            g = g if create_graph else g._data
        if create_graph and not isinstance(g, _graph.Tensor):
            g = _graph.Tensor._wrap(g)
        fn = t.grad_fn
        if fn is None:
            fn = accumulate_node(t)
        roots.append((fn, g, t._nr))
    return roots


def _into(buffers, node, nr, g):
    """Add gradient ``g`` for output ``nr`` of ``node`` to what waits for it (a list for a node
    with several outputs)."""
    key = id(node)
    if node._multi:
        waiting = buffers.get(key)
        if waiting is None:
            waiting = buffers[key] = [None] * node._kw["outputs"]
        waiting[nr] = g if waiting[nr] is None else waiting[nr] + g
    else:
        prev = buffers.get(key)
        buffers[key] = g if prev is None else prev + g


def _run_tensor_hooks(hooks, g, create_graph):
    if type(g) is list:   # a node with several outputs: each hook belongs to one of them
        for hook in tuple(hooks):
            nr = hook.nr
            if g[nr] is not None:
                r = hook(_wrap(g[nr]))
                if r is not None:
                    g[nr] = r if create_graph else r._data
        return g
    for hook in tuple(hooks):
        r = hook(_wrap(g))
        if r is not None:
            g = r if create_graph else r._data
    return g


def iter_backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
                  inputs=None, *, _capture=None, _steps=True):
    """Run backward from ``tensors``, yielding one ``BackwardStep`` per node as it runs.

    >>> x = torch.ones(2, requires_grad=True)
    >>> [s.node.name() for s in iter_backward((x * 3).sum())]
    ['SumBackward0', 'MulBackward0', 'torch::autograd::AccumulateGrad']

    Exhausting it is exactly ``torch.autograd.backward``: leaves' ``.grad`` accumulate, and
    the saved tensors are freed unless ``retain_graph``.
    """
    if retain_graph is None:
        retain_graph = create_graph
    roots = _make_roots(tensors, grad_tensors, create_graph)
    only = None
    if inputs is not None:
        only = {id(t) for t in ((inputs,) if isinstance(inputs, _graph.Tensor) else inputs)}
    # dependencies: how many edges reach each node (iterative walk)
    deps = {}
    stack = [fn for fn, _, _ in roots]
    seen = set(map(id, stack))
    buffers = {}   # gradients waiting for each node (a list per output for multi-output nodes)
    while stack:
        fn = stack.pop()
        for nxt, _ in fn._next:
            if nxt is not None:
                key = id(nxt)
                deps[key] = deps.get(key, 0) + 1
                if key not in seen:
                    seen.add(key)
                    stack.append(nxt)
                    if nxt._multi:
                        buffers[key] = [None] * nxt._kw["outputs"]
    heap = []
    counter = 0
    for fn, g, nr in roots:
        key = id(fn)
        _into(buffers, fn, nr, g)
        if deps.get(key, 0) == 0 and key not in {id(h[2]) for h in heap}:
            heap.append((-fn._seq, counter, fn))
            counter += 1
    heapq.heapify(heap)
    # autograd.grad: only the nodes between the outputs and the inputs run, as in PyTorch
    runs = None if _capture is None else _leading_to([fn for fn, _, _ in roots], _capture)
    # arrays handed to a leaf's .grad, and the caller's own gradient arrays: never shared
    stolen = {id(g._data if isinstance(g, _graph.Tensor) else g) for _, g, _ in roots}
    index = 0
    follow = None  # the one node made ready when nothing else waits: run it without the heap
    # This thread's grad mode is create_graph while a node runs and the caller's while the
    # caller has a step; backward() and grad() take no steps: their mode is set once.
    modes = grad_mode._modes
    caller_mode = modes.grad
    modes.grad = create_graph
    # locals for the per-node path
    heappop, heappush, pop_buffer, get_buffer = heapq.heappop, heapq.heappush, buffers.pop, buffers.get
    ndarray, numpy_math, step, anomaly = np.ndarray, _NUMPY_MATH, _step, _anomaly
    try:
        while heap or follow is not None:
            if _steps:
                modes.grad = create_graph  # the engine's mode while a node runs
            if follow is not None:
                fn, follow = follow, None
            else:
                fn = heappop(heap)[2]
            g = pop_buffer(id(fn), None)
            multi = type(g) is list
            if g is None or multi and not any(x is not None for x in g):
                _release(fn, heap, deps, buffers)   # no gradient reached it: nothing runs below
                continue
            ex = fn._extra
            if _capture is not None:   # autograd.grad, as PyTorch's evaluate_function
                if id(fn) not in runs:
                    # not needed (an input's AccumulateGrad, or a node that leads to no other
                    # input): its tensor hooks see the gradient that is captured, and the node
                    # does not run (no node hooks, no step)
                    hooks = getattr(fn.variable, "_hooks", None) if type(fn) is AccumulateGrad \
                        else ex.tensor_hooks if ex is not None else None
                    if hooks:
                        g = _run_tensor_hooks(hooks, g, create_graph)
                    if id(fn) in _capture:
                        _capture[id(fn)] = g
                    _release(fn, heap, deps, buffers)
                    continue
                if id(fn) in _capture:   # needed further on: captured before its hooks
                    _capture[id(fn)] = g
            if ex is not None:
                if ex.tensor_hooks:
                    g = _run_tensor_hooks(ex.tensor_hooks, g, create_graph)
                for hook in tuple(ex.prehooks):
                    r = hook(tuple(map(_wrap, g)) if multi else (_wrap(g),))
                    if r is not None:
                        r = [x if create_graph or x is None else x._data for x in r]
                        g = r if multi else r[0]
            if type(fn) is AccumulateGrad:
                var = fn.variable
                hooks = getattr(var, "_hooks", None)
                if hooks:
                    g = _run_tensor_hooks(hooks, g, create_graph)
                if only is not None and id(var) not in only:
                    if _steps:
                        modes.grad = caller_mode
                    yield step(index, fn, (g,), (), var, var._grad, var._grad) if _steps else None
                    index += 1
                    continue
                before = var._grad
                if before is None:
                    if create_graph:
                        new = g
                    else:
                        # Keep the gradient array itself (as PyTorch steals it) unless it,
                        # or the array it views, went to another leaf or is the caller's.
                        flags = g.flags  # CuPy's flags have no 'writeable'
                        base = g if flags.owndata else g.base
                        if id(g) in stolen or id(base) in stolen or not (
                                flags.c_contiguous and getattr(flags, "writeable", True)):
                            g = base = g.copy()
                        stolen.add(id(g))
                        stolen.add(id(base))
                        new = _graph.Tensor._wrap(g)
                else:
                    new = before + _wrap(g) if create_graph else _graph.Tensor._wrap(before._data + g)
                var._grad = new
                if _steps:
                    modes.grad = caller_mode
                yield step(index, fn, (g,), (), var, before, new) if _steps else None
                index += 1
                continue
            op = fn._op
            if op.saves:   # unpacked here, not through fn._saved_values: one call less per node
                if fn._freed:
                    raise RuntimeError(SECOND_BACKWARD)
                # a custom Function's backward unpacks ctx.saved_tensors itself (once, as in
                # PyTorch, so a saved-tensor unpack hook runs once); its OpDef has no forward
                saved = unpack_saved(fn, create_graph) if op.forward is not None else ()
            else:
                saved = ()
            m = numpy_math if type(g) is ndarray and not create_graph \
                else _math(create_graph, next(x for x in g if x is not None) if multi else g)
            kw = fn._kw
            outs = []
            rules = None if op.variadic else op.vjps
            i = -1
            for nxt, _ in fn._next:
                i += 1
                if nxt is None:
                    outs.append(None)
                    continue
                rule = rules[i] if rules is not None and i < len(rules) else None
                if rule is None:
                    rule = op.vjp(i)  # variadic, or raises naming the op and the argument
                gi = rule(m, g, *saved, **kw) if kw else rule(m, g, *saved)
                if gi is None:
                    outs.append(None)
                    continue
                if type(gi) is not ndarray and not create_graph:
                    gi = _as_array(gi)
                shape = fn._shapes[i]
                if gi.shape != shape:
                    gi = m.sum_to(gi, shape)
                if gi.dtype != fn._dtypes[i]:
                    gi = gi.to(_dtype.from_numpy_dtype(fn._dtypes[i])) if create_graph \
                        else gi.astype(fn._dtypes[i])
                outs.append(gi)
            if ex is not None and ex.homes:
                _send_home(outs, ex.homes, create_graph)
            if anomaly[0]:
                _check_anomaly(fn, outs)
            if ex is not None and ex.hooks:
                for hook in tuple(ex.hooks):
                    r = hook(tuple(_wrap(o) for o in outs),
                             tuple(map(_wrap, g)) if multi else (_wrap(g),))
                    if r is not None:
                        outs = [None if o is None else (o if create_graph else o._data) for o in r]
            if not retain_graph and op.frees:
                fn._saved = None
                fn._freed = True
                if not op.saves:   # CopySlices: what its inner node saved
                    inner = fn._kw["inner"]
                    inner._saved, inner._freed = None, True
            for (nxt, nr), gi in zip(fn._next, outs):
                if nxt is None:
                    continue
                key = id(nxt)
                if gi is not None:
                    prev = get_buffer(key)
                    if prev is None:
                        buffers[key] = gi
                    elif type(prev) is list:   # one of several outputs
                        prev[nr] = gi if prev[nr] is None else prev[nr] + gi
                    else:
                        buffers[key] = prev + gi
                left = deps[key] - 1
                deps[key] = left
                if left == 0:
                    if follow is None and not heap:
                        follow = nxt
                    else:
                        if follow is not None:
                            heappush(heap, (-follow._seq, counter, follow))
                            counter += 1
                            follow = None
                        heappush(heap, (-nxt._seq, counter, nxt))
                        counter += 1
            if _steps:
                modes.grad = caller_mode
            yield step(index, fn, tuple(g) if multi else (g,), tuple(outs)) if _steps else None
            index += 1

    finally:
        modes.grad = caller_mode


def _send_home(outs, homes, create_graph):
    """Move the gradients of inputs that live elsewhere (a CPU scalar used on the GPU) to their
    device, as PyTorch's engine moves a 0-d gradient to its input's device."""
    for i, dev in homes.items():
        g = outs[i]
        if g is not None:
            outs[i] = g.to(dev) if create_graph else _device.move(g, dev)


def _leading_to(roots, targets):
    """Ids of the nodes that must run for gradients to reach ``targets`` (ids of nodes): those
    with a target among the nodes they feed, directly or further down."""
    reaches = {}   # id -> whether a target is reachable from it (itself included)
    runs = set()
    for root in roots:
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            key = id(node)
            if done:   # every node it feeds is settled (post-order)
                feeds = any(reaches[id(n)] for n, _ in node._next if n is not None)
                reaches[key] = feeds or key in targets
                if feeds:
                    runs.add(key)
                continue
            if key in reaches:
                continue
            reaches[key] = False   # finished before any node that feeds from it (a DAG)
            stack.append((node, True))
            stack.extend((n, False) for n, _ in node._next if n is not None and id(n) not in reaches)
    return runs


def _release(fn, heap, deps, buffers):
    """Count a node that received no gradient as done, so the nodes it feeds can still run."""
    for nxt, _ in fn._next:
        if nxt is not None:
            key = id(nxt)
            deps[key] -= 1
            if deps[key] == 0:
                heapq.heappush(heap, (-nxt._seq, id(nxt), nxt))


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradients of ``tensors`` into the leaves' ``.grad`` (PyTorch's
    ``torch.autograd.backward``): ``iter_backward`` run to the end."""
    deque(iter_backward(tensors, grad_tensors, retain_graph, create_graph, inputs, _steps=False),
          maxlen=0)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=None, materialize_grads=False):
    """The gradients of ``outputs`` w.r.t. ``inputs``, returned rather than accumulated.

    >>> x = torch.tensor(3., requires_grad=True)
    >>> (dx,) = grad(x ** 3, x, create_graph=True)   # 3x² = 27
    >>> grad(dx, x)                                  # 6x = 18
    (tensor(18.),)
    """
    inputs, targets, capture = _grad_targets(inputs)
    deque(iter_backward(outputs, grad_outputs, retain_graph, create_graph, _capture=capture,
                        _steps=False),
          maxlen=0)
    return _grad_result(inputs, targets, capture, allow_unused, materialize_grads)


def iter_grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
              allow_unused=None, materialize_grads=False):
    """``grad`` as a generator: yields one ``BackwardStep`` per node run, as ``iter_backward``
    does, and returns ``grad``'s result (the generator's return value, ``StopIteration.value``;
    ``grads = yield from iter_grad(...)``). Leaves' ``.grad`` stay as they are. As in PyTorch
    only the nodes between the outputs and the inputs run: an input's gradient is captured
    where it arrives (after its tensor hooks), so no ``AccumulateGrad`` runs, and an input's
    own node runs only when it leads to another input.

    >>> x = torch.tensor(3., requires_grad=True)
    >>> run = iter_grad(x ** 2, x)
    >>> next(run).node.name()
    'PowBackward0'
    >>> next(run)
    Traceback (most recent call last):
    StopIteration: (tensor(6.),)
    """
    inputs, targets, capture = _grad_targets(inputs)
    yield from iter_backward(outputs, grad_outputs, retain_graph, create_graph, _capture=capture)
    return _grad_result(inputs, targets, capture, allow_unused, materialize_grads)


def _grad_targets(inputs):
    """``grad``'s inputs as a tuple, the node whose gradient each one gets, and the dict in
    which the engine captures those gradients (by node id)."""
    inputs = (inputs,) if isinstance(inputs, _graph.Tensor) else tuple(inputs)
    targets = []
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        targets.append(t.grad_fn if t.grad_fn is not None else accumulate_node(t))
    return inputs, targets, {id(n): None for n in targets}


def _grad_result(inputs, targets, capture, allow_unused, materialize_grads):
    result = []
    for index, (t, n) in enumerate(zip(inputs, targets)):
        g = capture[id(n)]
        if type(g) is list:   # an output of a node with several: its own gradient
            g = g[t._nr]
        if g is None:
            if not (allow_unused or materialize_grads):
                raise RuntimeError(f"The differentiated Tensor at index {index} appears to not "
                                   "have been used in the graph. Set allow_unused=True if this "
                                   "is the desired behavior.")
            if materialize_grads:
                g = zeros_like(t)
        result.append(_wrap(g))
    return tuple(result)


# ---------------------------------------------------------------- tensor hooks
def register_tensor_hook(t, hook):
    """``t.register_hook(hook)``: ``hook(grad)`` sees (and may replace) ``t``'s gradient."""
    if not t._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if t.grad_fn is None:
        if getattr(t, "_hooks", None) is None:
            t._hooks = []
        return RemovableHandle(t._hooks, hook)
    hooks = extra(t.grad_fn).tensor_hooks
    if t.grad_fn._multi:
        hook = _OutputHook(hook, t._nr)
    handle = RemovableHandle(hooks, hook)
    # retain_grad's hook sees the gradient after the user's hooks, as in PyTorch
    for h in [h for h in hooks if isinstance(h, _RetainGrad)]:
        hooks.remove(h)
        hooks.append(h)
    return handle


class _OutputHook:
    """A tensor hook on output ``nr`` of a node with several outputs."""

    def __init__(self, fn, nr):
        self.fn, self.nr = fn, nr

    def __call__(self, g):
        return self.fn(g)


class _RetainGrad:
    def __init__(self, t):
        self.ref = weakref.ref(t)
        self.nr = t._nr

    def __call__(self, g):
        t = self.ref()
        if t is not None:
            t._grad = g.detach() if t._grad is None else _graph.Tensor._wrap(t._grad._data + g._data)
        return None


def retain_grad(t):
    """Keep ``.grad`` for a non-leaf ``t`` (a no-op on leaves, as in PyTorch)."""
    if not t._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if t.grad_fn is None or getattr(t, "_retains_grad", False):
        return
    extra(t.grad_fn).tensor_hooks.append(_RetainGrad(t))
    t._retains_grad = True



# ---------------------------------------------------------------- anomaly mode
def _check_anomaly(fn, outs):
    for i, g in enumerate(outs):
        if g is None:
            continue
        arr = g._data if isinstance(g, _graph.Tensor) else g
        if arr.dtype.kind == "f" and bool(array_math(arr).xp.isnan(arr).any()):
            tb = (fn._extra.metadata.get("traceback_") if fn._extra is not None else None)
            if tb:
                import warnings
                warnings.warn(f"Error detected in {fn.name()}. Traceback of forward call that "
                              "caused the error:\n" + "".join(tb), UserWarning, stacklevel=3)
            raise RuntimeError(f"Function '{fn.name()}' returned nan values in its {i}th output.")

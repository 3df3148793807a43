"""The caller's ``.grad`` kept out of a backward the viewer records: `gradtrace.gui.show`'s
"Run backward from here" runs on the caller's own graph (``retain_graph=True``), so the leaves
and retained non-leaves behind it get copies of their ``.grad`` to accumulate into while it
runs, and their own ``.grad`` back, unchanged, afterwards. Either engine's tensors (duck typed:
``grad_fn``, ``next_functions``, ``AccumulateGrad.variable``); no import of an engine."""
from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["grads_behind", "caller_grads_kept"]


def grads_behind(roots: Iterable[Any], also: Iterable[Any] = ()) -> list[Any]:
    """The tensors whose ``.grad`` a backward from ``roots`` can write: every leaf behind them
    (the ``variable`` of each ``AccumulateGrad`` reached along ``next_functions``), and those of
    ``also`` (e.g. the tensors the graph shows) that retain their gradient (``retain_grad()``).

    >>> import gradtrace.core as torch
    >>> x = torch.ones(2, requires_grad=True); y = x * 2; y.retain_grad(); z = y.sum()
    >>> [t is x for t in grads_behind([z], also=[y, z])], grads_behind([z], [y])[1] is y
    ([True, False], True)
    """
    found: dict[int, Any] = {}
    stack = [getattr(r, "grad_fn", None) for r in roots]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        variable = getattr(node, "variable", None)
        if variable is not None:
            found.setdefault(id(variable), variable)
        stack.extend(nxt for nxt, _ in getattr(node, "next_functions", ()) or ())
    for tensor in also:
        if getattr(tensor, "retains_grad", False) and not getattr(tensor, "is_leaf", True):
            found.setdefault(id(tensor), tensor)
    return list(found.values())


@contextlib.contextmanager
def caller_grads_kept(tensors: Iterable[Any]) -> Iterator[None]:
    """While inside, each of ``tensors`` has a copy of its ``.grad`` (a backward accumulates
    into the copy, in place or not: the recorded ``.grad`` before and after are the caller's
    values plus this backward's); on leaving, each gets its own ``.grad`` object back, with its
    values untouched.

    >>> import gradtrace.core as torch
    >>> x = torch.ones(2, requires_grad=True); (x * 3).sum().backward(); mine = x.grad
    >>> with caller_grads_kept([x]):
    ...     (x * 5).sum().backward(); inside = x.grad.tolist()
    >>> inside, x.grad is mine, x.grad.tolist()
    ([8.0, 8.0], True, [3.0, 3.0])
    """
    kept = []
    for tensor in tensors:
        own = tensor.grad
        kept.append((tensor, own))
        tensor.grad = None if own is None else own.detach().clone()
    try:
        yield
    finally:
        for tensor, own in kept:
            tensor.grad = own

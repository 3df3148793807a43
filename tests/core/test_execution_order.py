"""The order in which backward runs its nodes (what the player animates) is PyTorch's: torch's
order recorded with ``Node.register_prehook``, over the examples and seeded random graphs."""
import builtins
import importlib
import random
from collections import deque
from pathlib import Path

import pytest

import gradtrace.core as gt
from gradtrace.core.autograd import iter_backward

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.py"))


# -- one recorder per engine: a list of backward calls, each a list of (name, position) -----
def _key(node):
    """Identity of a node; an AccumulateGrad is its leaf's (gradtrace may make a new object)."""
    variable = getattr(node, "variable", None)
    return ("leaf", id(variable)) if variable is not None else ("node", id(node))


def _positions(roots):
    """Each node reached from ``roots``: its place in a breadth-first walk of next_functions
    (the same number for the same place in two graphs of the same structure)."""
    order, queue = {}, deque(r for r in roots if r is not None)
    for r in queue:
        order.setdefault(_key(r), len(order))
    nodes = {}
    while queue:
        node = queue.popleft()
        nodes[_key(node)] = node
        for nxt, _ in node.next_functions:
            if nxt is not None and _key(nxt) not in order:
                order[_key(nxt)] = len(order)
                queue.append(nxt)
    return order, nodes


def _name(node):
    return node.name().rsplit("::", 1)[-1]


class TorchRecorder:
    """Patches ``torch.Tensor.backward``: a prehook on every node reached records its run."""

    def __init__(self):
        self.calls = []

    def __enter__(self):
        self._original = original = torch.Tensor.backward
        recorder = self

        def backward(tensor, *args, **kwargs):
            order, nodes = _positions([tensor.grad_fn])
            ran = []
            handles = [node.register_prehook(
                lambda grads, node=node, key=key: ran.append((_name(node), order[key])))
                for key, node in nodes.items()]
            try:
                return original(tensor, *args, **kwargs)
            finally:
                for handle in handles:
                    handle.remove()
                recorder.calls.append(ran)

        torch.Tensor.backward = backward
        return self

    def __exit__(self, *exc):
        torch.Tensor.backward = self._original


class GradtraceRecorder:
    """Patches ``Tensor.backward`` to exhaust ``iter_backward`` (as the app's runner does) and
    keeps each BackwardStep's node."""

    def __init__(self):
        self.calls = []

    def __enter__(self):
        self._original = gt.Tensor.backward
        recorder = self

        def backward(tensor, gradient=None, retain_graph=None, create_graph=False, inputs=None):
            order, _ = _positions([tensor.grad_fn])
            ran = []
            for step in iter_backward([tensor], None if gradient is None else [gradient],
                                      retain_graph, create_graph, inputs):
                ran.append((_name(step.node), order[_key(step.node)]))
            recorder.calls.append(ran)

        gt.Tensor.backward = backward
        return self

    def __exit__(self, *exc):
        gt.Tensor.backward = self._original


def _importer(package):
    """``__import__`` that gives ``package`` (and its submodules) for ``torch``."""
    def load(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "torch" or name.startswith("torch."):
            module = importlib.import_module(package.__name__ + name[len("torch"):])
            return module if fromlist else package
        return builtins.__import__(name, globals, locals, fromlist, level)
    return load


def _run_example(path, package, recorder):
    source = path.read_text()
    namespace = {"__builtins__": {**vars(builtins), "__import__": _importer(package),
                                  "print": lambda *a, **k: None}, "__name__": "__example__"}
    with recorder:
        exec(compile(source, str(path), "exec"), namespace)
    return recorder.calls


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_run_backward_in_torchs_order(path):
    try:
        expected = _run_example(path, torch, TorchRecorder())
    except Exception as exc:  # noqa: BLE001 - an example PyTorch cannot run is not compared
        pytest.skip(f"{path.name} does not run on PyTorch: {type(exc).__name__}: {exc}")
    got = _run_example(path, gt, GradtraceRecorder())
    assert expected, f"{path.name} makes no backward call"
    assert got == expected


# -- seeded random graphs with shared subgraphs ---------------------------------------------
UNARY = ["tanh", "sin", "sigmoid", "half", "neg", "square", "t", "rowsum", "relu", "exp_small"]
BINARY = ["add", "mul", "sub", "div", "bcast"]


def random_program(seed, n_ops=14):
    """A list of ops over a growing pool of (3, 3) tensors: leaves used several times,
    intermediates reused (diamonds), and several outputs summed into the loss."""
    rng = random.Random(seed)
    n_leaves = rng.randint(1, 3)
    ops = []
    for i in range(n_ops):
        size = n_leaves + i
        if rng.random() < 0.45:
            ops.append((rng.choice(UNARY), rng.randrange(size)))
        else:
            ops.append((rng.choice(BINARY), rng.randrange(size), rng.randrange(size)))
    size = n_leaves + n_ops
    outputs = rng.sample(range(n_leaves, size), k=rng.randint(1, min(3, n_ops)))
    reducers = [rng.choice(["sum", "mean"]) for _ in outputs]
    return n_leaves, ops, list(zip(outputs, reducers))


def run_program(t, program, seed, roots=False):
    """Run ``program``; backward from the sum of its outputs, or (``roots``) return them."""
    n_leaves, ops, outputs = program
    rng = random.Random(seed)
    pool = [t.tensor([[rng.uniform(-1, 1) for _ in range(3)] for _ in range(3)],
                     dtype=t.float64, requires_grad=True) for _ in range(n_leaves)]
    unary = {"tanh": lambda a: a.tanh(), "sin": lambda a: a.sin(),
             "sigmoid": lambda a: a.sigmoid(), "half": lambda a: a * 0.5,
             "neg": lambda a: -a, "square": lambda a: a.pow(2), "t": lambda a: a.t(),
             "rowsum": lambda a: a.sum(1, keepdim=True) + a, "relu": lambda a: a.relu(),
             "exp_small": lambda a: (a * 0.1).exp()}
    binary = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "sub": lambda a, b: a - b,
              "div": lambda a, b: a / (b.sigmoid() + 1), "bcast": lambda a, b: a * b[0]}
    for op in ops:
        if len(op) == 2:
            pool.append(unary[op[0]](pool[op[1]]))
        else:
            pool.append(binary[op[0]](pool[op[1]], pool[op[2]]))
    parts = [getattr(pool[index], reducer)() for index, reducer in outputs]
    if roots:
        return parts
    loss = None
    for part in parts:
        loss = part if loss is None else loss + part
    loss.backward()


@pytest.mark.parametrize("seed", range(60))
def test_random_graphs_run_backward_in_torchs_order(seed):
    program = random_program(seed)
    with TorchRecorder() as expected:
        run_program(torch, program, seed)
    with GradtraceRecorder() as got:
        run_program(gt, program, seed)
    assert len(expected.calls) == 1 and expected.calls[0]
    assert got.calls == expected.calls, program


def test_some_random_graph_has_a_diamond_and_a_leaf_used_several_times():
    """The random graphs cover what they are for: shared intermediates and shared leaves."""
    diamond = shared_leaf = several_outputs = False
    for seed in range(60):
        n_leaves, ops, outputs = random_program(seed)
        uses = {}
        for op in ops:
            for operand in op[1:]:
                uses[operand] = uses.get(operand, 0) + 1
        shared_leaf |= any(uses.get(i, 0) > 1 for i in range(n_leaves))
        diamond |= any(count > 1 for i, count in uses.items() if i >= n_leaves)
        several_outputs |= len(outputs) > 1
    assert diamond and shared_leaf and several_outputs


def _grad_orders(t, program, seed, pick):
    """(order of the nodes run by autograd.grad(loss, some leaves), the leaves' .grad after)."""
    captured = {}
    original_backward = t.Tensor.backward

    def grab(loss, *args, **kwargs):
        captured["loss"] = loss
    t.Tensor.backward = grab
    try:
        run_program(t, program, seed)
    finally:
        t.Tensor.backward = original_backward
    loss = captured["loss"]
    leaves, stack, seen = [], [loss.grad_fn], set()
    while stack:   # the program's leaves, in a fixed order
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if getattr(node, "variable", None) is not None:
            leaves.append(node.variable)
        stack.extend(n for n, _ in node.next_functions)
    leaves.sort(key=lambda v: v.detach().sum().item())
    inputs = [leaves[i % len(leaves)] for i in pick(len(leaves))]
    inputs = list({id(x): x for x in inputs}.values())
    order, nodes = _positions([loss.grad_fn])
    ran = []
    if t is torch:
        handles = [node.register_prehook(
            lambda grads, node=node, key=key: ran.append((_name(node), order[key])))
            for key, node in nodes.items()]
        torch.autograd.grad(loss, inputs)
        for handle in handles:
            handle.remove()
    else:
        for step in gt.autograd.iter_grad(loss, inputs):
            ran.append((_name(step.node), order[_key(step.node)]))
    return ran, [x.grad for x in leaves]


@pytest.mark.parametrize("seed", range(30))
def test_random_graphs_run_grad_in_torchs_order(seed):
    """``autograd.grad`` runs the nodes between the outputs and the inputs in PyTorch's order,
    and only those: no AccumulateGrad (the inputs' gradients are captured where they arrive),
    and neither engine changes a ``.grad``."""
    program = random_program(seed)
    rng = random.Random(seed)
    picks = [rng.randrange(3) for _ in range(rng.randint(1, 2))]
    expected, torch_grads = _grad_orders(torch, program, seed, lambda n: picks)
    got, grads = _grad_orders(gt, program, seed, lambda n: picks)
    assert all(name != "AccumulateGrad" for name, _ in expected)
    assert got == expected, program
    assert grads == torch_grads == [None] * len(grads)


def _grad_with_hooks(t, inputs_of):
    """What ``autograd.grad`` returns and which hooks fire, on engine ``t``: a leaf and a
    non-leaf with tensor hooks, node pre-hooks on their nodes, ``inputs_of(x, h)`` asked."""
    x = t.tensor([3.0, 1.0], requires_grad=True)
    w = t.tensor([0.5, -2.0], requires_grad=True)
    x.register_hook(lambda g: g * 10)
    h = x * w
    h.register_hook(lambda g: g + 1)
    z = (h * h).sum()
    fired = []
    nodes = {"h": h.grad_fn, "x": h.grad_fn.next_functions[0][0],
             "w": h.grad_fn.next_functions[1][0]}
    for name, node in nodes.items():
        node.register_prehook(lambda grads, name=name: fired.append(name))
    grads = t.autograd.grad(z, inputs_of(x, h, w))
    return [g.tolist() for g in grads], fired, (x.grad, w.grad)


@pytest.mark.parametrize("case", ["leaf", "non-leaf", "both", "leaves"])
def test_grad_captures_with_torchs_hooks(case):
    """An input's gradient is captured after its tensor hooks when its node does not run,
    before them when it runs for another input; node pre-hooks fire only on nodes that run,
    as in PyTorch's engine (evaluate_function)."""
    pick = {"leaf": lambda x, h, w: [x], "non-leaf": lambda x, h, w: [h],
            "both": lambda x, h, w: [h, x], "leaves": lambda x, h, w: [w, x]}[case]
    expected = _grad_with_hooks(torch, pick)
    got = _grad_with_hooks(gt, pick)
    assert got[0] == expected[0] and got[1] == expected[1], (got, expected)
    assert expected[1] == ([] if case == "non-leaf" else ["h"])
    assert got[2] == (None, None)



@pytest.mark.parametrize("seed", range(20))
def test_backward_from_several_roots_runs_in_torchs_order(seed):
    """``autograd.backward([y1, y2, ...])``: the roots' subgraphs overlap (shared nodes and
    leaves); PyTorch's ready queue orders all of them at once, and so does gradtrace's."""
    program = random_program(seed)
    orders = {}
    for t in (torch, gt):
        tensors = run_program(t, program, seed, roots=True)
        grads = [t.ones_like(x) for x in tensors]
        order, nodes = _positions([x.grad_fn for x in tensors])
        ran = []
        if t is torch:
            handles = [node.register_prehook(
                lambda g, node=node, key=key, ran=ran, order=order:
                ran.append((_name(node), order[key])))
                for key, node in nodes.items()]
            torch.autograd.backward(tensors, grads)
            for handle in handles:
                handle.remove()
        else:
            ran = [(_name(s.node), order[_key(s.node)]) for s in iter_backward(tensors, grads)]
        orders[t] = ran
    assert orders[torch]
    assert orders[gt] == orders[torch], program

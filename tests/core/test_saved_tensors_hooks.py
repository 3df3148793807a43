"""torch.autograd.graph's saved-tensor hooks against torch: what the pack hook receives, how
often the unpack hook runs, the gradients (also of custom Functions and under create_graph),
save_on_cpu, disable_saved_tensors_hooks and the unpack hook's contract."""
import numpy as np
import pytest

import gradtrace.core as gt


def _torch():
    return pytest.importorskip("torch")


def _logged(T, program):
    log = []

    def pack(t):
        log.append(("pack", tuple(t.shape), round(float(t.detach().sum()), 4), t.requires_grad))
        return t * 1

    def unpack(t):
        log.append(("unpack", tuple(t.shape)))
        return t
    x = T.tensor(np.arange(6.0).reshape(2, 3) / 10 + 0.1, requires_grad=True)
    with T.autograd.graph.saved_tensors_hooks(pack, unpack):
        out = program(T, x)
    out.backward()
    return sorted(e for e in log if e[0] == "pack"), sorted(e for e in log if e[0] == "unpack"), \
        np.round(x.grad.numpy(), 6).tolist()


def _cube(T):
    class Cube(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x ** 3
            ctx.save_for_backward(x, y)
            return y

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            return g * 3 * y / x
    return Cube


PROGRAMS = [
    lambda T, x: (x.pow(2).exp() * x).sum(),
    lambda T, x: (x.sin() @ x.t()).tanh().mean(),
    lambda T, x: T.nn.functional.softmax(x, 1).log().sum(),
    lambda T, x: _cube(T).apply(x).sum(),
]


@pytest.mark.parametrize("program", PROGRAMS)
def test_hooks_see_what_torch_saves(program):
    torch = _torch()
    assert _logged(gt, program) == _logged(torch, program)


def test_double_backward_through_packed_values():
    torch = _torch()
    out = []
    for T in (gt, torch):
        x = T.tensor([0.5, 1.5], requires_grad=True, dtype=T.float64)
        with T.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            y = (x ** 3).sum()
        (g,) = T.autograd.grad(y, x, create_graph=True)
        g.sum().backward()
        out.append((g.tolist(), x.grad.tolist()))
    assert out[0] == out[1]


def test_save_on_cpu_gives_the_same_gradients():
    torch = _torch()
    out = []
    for T in (gt, torch):
        x = T.tensor([[0.5, -1.5], [2.0, 0.25]], requires_grad=True)
        with T.autograd.graph.save_on_cpu():
            y = (x.exp() * x).sum()
        y.backward()
        out.append(np.round(x.grad.numpy(), 5).tolist())
    assert out[0] == out[1]


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


def test_contract_errors_match_torch():
    torch = _torch()

    def bad_unpack(T):
        x = T.ones(2, requires_grad=True)
        with T.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: 3):
            y = (x * x).sum()
        y.backward()

    def disabled(T):
        with T.autograd.graph.disable_saved_tensors_hooks("no hooks here"):
            with T.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
                pass

    for call in (bad_unpack, disabled):
        assert _error(lambda c=call: c(gt)) == _error(lambda c=call: c(torch))


def test_node_type_is_autograd_graph_node():
    torch = _torch()
    for T in (gt, torch):
        y = T.ones(2, requires_grad=True) * 2
        assert isinstance(y.grad_fn, T.autograd.graph.Node)

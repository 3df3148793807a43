"""Double backward against torch: the nodes ``autograd.grad(..., create_graph=True)`` records
for relu (``ThresholdBackwardBackward0``), sigmoid and tanh (``SigmoidBackwardBackward0``,
``TanhBackwardBackward0``), mean (expand, then ``DivBackward1``) and
squeeze/unsqueeze (each other's nodes), walked from the first gradient's ``grad_fn``, with the
first and second gradients' values and gradgradcheck in float64."""
import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.core.autograd import gradgradcheck
from tests.core.opcases import grad_fn_names

CASES = {
    "relu": lambda T, x: T.relu(x),
    "relu_method": lambda T, x: x.relu(),
    "F.relu": lambda T, x: T.nn.functional.relu(x),
    "mean": lambda T, x: x.mean(),
    "mean_dim": lambda T, x: x.mean(1),
    "mean_dims": lambda T, x: x.mean((1, 2)),
    "mean_keepdim": lambda T, x: T.mean(x, 1, keepdim=True),
    "squeeze": lambda T, x: x.squeeze(),
    "squeeze_dim": lambda T, x: x.squeeze(3),
    "squeeze_dims": lambda T, x: x.squeeze((1, 3)),
    "unsqueeze": lambda T, x: x.unsqueeze(2),
    "unsqueeze_squeeze": lambda T, x: x.unsqueeze(0).squeeze(0),
    "sigmoid": lambda T, x: T.sigmoid(x),
    "tanh": lambda T, x: x.tanh(),
}
X = np.array([[[[1.0], [-2.0], [3.0]]], [[[0.5], [-1.0], [0.0]]]])   # shape (2, 1, 3, 1)


def _grads(T, fn):
    x = T.tensor(X, requires_grad=True)
    y = fn(T, x)
    g, = T.autograd.grad((y * y * y).sum(), x, create_graph=True)
    g2, = T.autograd.grad((g * g).sum(), x)
    return grad_fn_names(g.grad_fn), g.detach().numpy(), g2.numpy()


@pytest.mark.parametrize("name", CASES)
def test_double_backward_records_torch_nodes(name):
    torch = pytest.importorskip("torch")
    mine, theirs = _grads(gt, CASES[name]), _grads(torch, CASES[name])
    assert mine[0] == theirs[0]
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12)
    np.testing.assert_allclose(mine[2], theirs[2], rtol=1e-12)


def test_threshold_backward_node_saves_what_torch_saves():
    torch = pytest.importorskip("torch")
    out = []
    for T in (gt, torch):
        x = T.tensor([[1.0, -2.0, 3.0]], dtype=T.float64, requires_grad=True)
        g, = T.autograd.grad((x.relu() ** 2).sum(), x, create_graph=True)
        fn = g.grad_fn
        out.append((fn.name(), fn._saved_threshold, fn._saved_self.grad_fn.name(),
                    fn._saved_self.detach().numpy().tolist()))
    assert out[0] == out[1]


def test_relu_gradient_of_nan_is_passed_through_as_in_torch():
    torch = pytest.importorskip("torch")
    out = []
    for T in (gt, torch):
        x = T.tensor([float("nan"), -1.0, 2.0], requires_grad=True)
        x.relu().sum().backward()
        out.append(np.nan_to_num(x.grad.numpy(), nan=-7.0).tolist())
    assert out[0] == out[1]


@pytest.mark.parametrize("name", CASES)
def test_double_backward_gradgradcheck(name):
    x = gt.tensor(X + 0.01, requires_grad=True)   # away from relu's kink
    assert gradgradcheck(lambda t: CASES[name](gt, t) * 1.0, (x,))

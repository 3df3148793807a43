"""The CNN layers against torch: conv1d/conv2d, max/avg/adaptive pooling and batch norm (values,
gradients, node names, double-backward nodes, printouts, errors, running statistics), a
finite-difference gradcheck and gradgradcheck in float64 per op, and the 60-minute blitz Net."""
import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.core.autograd import gradcheck, gradgradcheck
from tests.core.opcases import grad_fn_names

# (name, fn(T, *xs), shapes): float inputs, all require grad
CASES = [
    ("conv2d", lambda T, x, w, b: T.nn.functional.conv2d(x, w, b), [(2, 3, 6, 6), (4, 3, 3, 3), (4,)]),
    ("conv2d_nobias", lambda T, x, w: T.nn.functional.conv2d(x, w), [(1, 2, 5, 5), (3, 2, 2, 2)]),
    ("conv2d_stride_pad_dil", lambda T, x, w, b: T.nn.functional.conv2d(
        x, w, b, stride=(2, 1), padding=(1, 2), dilation=2), [(2, 3, 7, 6), (2, 3, 3, 2), (2,)]),
    ("conv2d_groups", lambda T, x, w: T.nn.functional.conv2d(x, w, groups=2), [(2, 4, 5, 5), (6, 2, 3, 3)]),
    ("conv2d_depthwise", lambda T, x, w: T.nn.functional.conv2d(x, w, groups=3, padding=1), [(1, 3, 4, 4), (3, 1, 3, 3)]),
    ("conv2d_same", lambda T, x, w: T.nn.functional.conv2d(x, w, padding="same"), [(1, 2, 5, 5), (2, 2, 3, 3)]),
    ("conv2d_valid", lambda T, x, w: T.nn.functional.conv2d(x, w, padding="valid"), [(1, 2, 5, 5), (2, 2, 3, 3)]),
    ("conv2d_unbatched", lambda T, x, w, b: T.nn.functional.conv2d(x, w, b), [(2, 5, 5), (3, 2, 3, 3), (3,)]),
    ("conv1d", lambda T, x, w, b: T.nn.functional.conv1d(x, w, b, stride=2, padding=1), [(2, 3, 9), (4, 3, 3), (4,)]),
    ("conv1d_dil_groups", lambda T, x, w: T.nn.functional.conv1d(x, w, dilation=2, groups=2), [(2, 4, 9), (2, 2, 3)]),
    ("max_pool2d", lambda T, x: T.nn.functional.max_pool2d(x, 2), [(2, 3, 6, 6)]),
    ("max_pool2d_overlap", lambda T, x: T.nn.functional.max_pool2d(x, 3, stride=2, padding=1), [(1, 2, 7, 6)]),
    ("max_pool2d_ceil", lambda T, x: T.nn.functional.max_pool2d(x, (2, 3), stride=2, ceil_mode=True), [(1, 2, 7, 8)]),
    ("max_pool2d_dilation", lambda T, x: T.nn.functional.max_pool2d(x, 2, stride=1, dilation=2), [(1, 1, 6, 6)]),
    ("max_pool2d_unbatched", lambda T, x: T.nn.functional.max_pool2d(x, 2), [(3, 4, 4)]),
    ("max_pool1d", lambda T, x: T.nn.functional.max_pool1d(x, 3, stride=2), [(2, 3, 9)]),
    ("avg_pool2d", lambda T, x: T.nn.functional.avg_pool2d(x, 2), [(2, 3, 6, 6)]),
    ("avg_pool2d_pad", lambda T, x: T.nn.functional.avg_pool2d(x, 3, 2, 1), [(1, 2, 7, 6)]),
    ("avg_pool2d_ceil_nopad", lambda T, x: T.nn.functional.avg_pool2d(
        x, 3, 2, 1, ceil_mode=True, count_include_pad=False), [(1, 2, 8, 7)]),
    ("avg_pool2d_divisor", lambda T, x: T.nn.functional.avg_pool2d(x, 2, divisor_override=3), [(1, 2, 4, 4)]),
    ("avg_pool1d", lambda T, x: T.nn.functional.avg_pool1d(x, 2), [(2, 3, 8)]),
    ("adaptive_avg_pool2d", lambda T, x: T.nn.functional.adaptive_avg_pool2d(x, (3, 2)), [(2, 3, 7, 5)]),
    ("adaptive_avg_pool2d_1", lambda T, x: T.nn.functional.adaptive_avg_pool2d(x, 1), [(2, 3, 4, 4)]),
    ("adaptive_avg_pool2d_none", lambda T, x: T.nn.functional.adaptive_avg_pool2d(x, (None, 2)), [(1, 2, 3, 5)]),
    ("batch_norm_train_2d", lambda T, x, w, b: T.nn.functional.batch_norm(
        x, None, None, w, b, training=True), [(4, 3, 3, 3), (3,), (3,)]),
    ("batch_norm_train_1d", lambda T, x, w, b: T.nn.functional.batch_norm(
        x, None, None, w, b, training=True) * T.arange(3.0), [(5, 3), (3,), (3,)]),
    ("batch_norm_train_noaffine", lambda T, x: T.nn.functional.batch_norm(
        x, None, None, training=True) * T.arange(10.0).reshape(2, 5), [(3, 2, 5)]),
    ("batch_norm_eval", lambda T, x, w, b: T.nn.functional.batch_norm(
        x, T.tensor([0.5, -1.0, 0.0]), T.tensor([2.0, 0.5, 1.0]), w, b), [(2, 3, 2, 2), (3,), (3,)]),
    ("blitz_chain", lambda T, x, w: T.flatten(T.nn.functional.max_pool2d(
        T.nn.functional.relu(T.nn.functional.conv2d(x, w)), 2), 1), [(1, 1, 8, 8), (2, 1, 3, 3)]),
]
IDS = [c[0] for c in CASES]


def _inputs(shapes, seed, dtype):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(s) + 0.05).astype(dtype) for s in shapes]


def _run(T, fn, arrays, dtype=None):
    xs = [T.tensor(a, requires_grad=True) for a in arrays]
    return xs, fn(T, *xs)


@pytest.mark.parametrize("name,fn,shapes", CASES, ids=IDS)
def test_matches_torch(name, fn, shapes):
    torch = pytest.importorskip("torch")
    arrays = _inputs(shapes, len(name), np.float32)
    gx, gy = _run(gt, fn, arrays)
    tx, ty = _run(torch, fn, arrays)
    np.testing.assert_allclose(gy.detach().numpy(), ty.detach().numpy(), rtol=1e-5, atol=1e-5)
    assert tuple(gy.shape) == tuple(ty.shape)
    assert grad_fn_names(gy.grad_fn) == grad_fn_names(ty.grad_fn)
    w = np.random.default_rng(1).standard_normal(tuple(ty.shape)).astype(np.float32)
    gy.backward(gt.tensor(w))
    ty.backward(torch.tensor(w))
    for a, b in zip(gx, tx):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name,fn,shapes", CASES, ids=IDS)
def test_gradcheck_and_gradgradcheck(name, fn, shapes):
    xs = [gt.tensor(a, dtype=gt.float64, requires_grad=True)
          for a in _inputs(shapes, len(name) + 3, np.float64)]
    assert gradcheck(lambda *a: fn(gt, *a), xs)
    assert gradgradcheck(lambda *a: fn(gt, *a), xs)


# Cases whose gradient graph also holds nodes of other ops' rules, which differ from PyTorch's
# under create_graph (relu's rule records MulBackward0 where PyTorch has
# ThresholdBackwardBackward0, squeeze/unsqueeze's a view, mean's a division before the expand),
# and batch norm, whose gradient is recorded op by op (PyTorch: NativeBatchNormBackwardBackward0).
_OTHER_RULES = {"conv2d_unbatched", "max_pool1d", "avg_pool1d", "adaptive_avg_pool2d_1",
                "blitz_chain"}
_DOUBLE = [c for c in CASES if c[0] not in _OTHER_RULES and "batch_norm" not in c[0]]


@pytest.mark.parametrize("name,fn,shapes", _DOUBLE, ids=[c[0] for c in _DOUBLE])
def test_double_backward_nodes_match_torch(name, fn, shapes):
    """The gradient's own graph (create_graph=True) has PyTorch's nodes
    (``ConvolutionBackwardBackward0``, ``MaxPool2DWithIndicesBackwardBackward0``, ...)."""
    torch = pytest.importorskip("torch")
    arrays = _inputs(shapes, len(name), np.float32)
    names = []
    for T in (gt, torch):
        xs, y = _run(T, fn, arrays)
        grads = T.autograd.grad((y * y).sum(), xs, create_graph=True)
        names.append([grad_fn_names(g.grad_fn) for g in grads])
    assert names[0] == names[1]


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("call", [
    lambda T, F: F.conv2d(T.zeros(1, 3, 8, 8), T.zeros(6, 1, 5, 5)),
    lambda T, F: F.conv2d(T.zeros(8, 8), T.zeros(6, 1, 5, 5)),
    lambda T, F: F.conv2d(T.zeros(1, 3, 8, 8), T.zeros(6, 3, 9, 9)),
    lambda T, F: F.conv2d(T.zeros(1, 3, 8, 8), T.zeros(6, 3, 3, 3), stride=0),
    lambda T, F: F.conv2d(T.zeros(1, 3, 8, 8), T.zeros(6, 3, 3, 3), padding=-1),
    lambda T, F: F.conv2d(T.zeros(1, 3, 8, 8), T.zeros(6, 3, 3, 3), padding="same", stride=2),
    lambda T, F: F.conv2d(T.zeros(1, 3, 8, 8), T.zeros(6, 3, 3, 3), padding="foo"),
    lambda T, F: F.conv2d(T.zeros(1, 3, 8, 8), T.zeros(4, 1, 3, 3), groups=2),
    lambda T, F: F.conv2d(T.zeros(1, 3, 8, 8), T.zeros(6, 3, 3, 3), bias=T.zeros(5)),
    lambda T, F: F.conv1d(T.zeros(1, 3, 8, 8), T.zeros(6, 3, 3)),
    lambda T, F: F.conv2d(T.zeros(1, 3, 8, 8), T.zeros(6, 3, 3, 3, dtype=T.float64)),
    lambda T, F: F.max_pool2d(T.zeros(1, 3, 8, 8), 2, padding=2),
    lambda T, F: F.max_pool2d(T.zeros(1, 1, 1, 1), 2),
    lambda T, F: F.max_pool2d(T.zeros(8), 2),
    lambda T, F: F.avg_pool2d(T.zeros(1, 1, 1, 1), 2),
    lambda T, F: F.adaptive_avg_pool2d(T.zeros(8), 2),
    lambda T, F: F.batch_norm(T.zeros(1, 3), T.zeros(3), T.ones(3), training=True),
    lambda T, F: F.batch_norm(T.zeros(2, 4), T.zeros(3), T.ones(3)),
    lambda T, F: T.nn.BatchNorm2d(3)(T.zeros(2, 3, 4)),
    lambda T, F: T.nn.BatchNorm1d(3)(T.zeros(2, 3, 4, 4)),
])
def test_errors_match_torch(call):
    torch = pytest.importorskip("torch")
    assert _error(lambda: call(gt, gt.nn.functional)) == \
        _error(lambda: call(torch, torch.nn.functional))


@pytest.mark.parametrize("make", [
    lambda nn: nn.Conv2d(1, 6, 5), lambda nn: nn.Conv2d(3, 6, (3, 2), stride=2, padding=1,
                                                         dilation=2, groups=3, bias=False),
    lambda nn: nn.Conv2d(3, 6, 3, padding="same"), lambda nn: nn.Conv1d(3, 6, 3),
    lambda nn: nn.MaxPool2d(2), lambda nn: nn.MaxPool2d((2, 2), stride=1), lambda nn: nn.MaxPool1d(3),
    lambda nn: nn.AvgPool2d(2), lambda nn: nn.AvgPool1d(3), lambda nn: nn.AdaptiveAvgPool2d((1, 1)),
    lambda nn: nn.AdaptiveAvgPool1d(2), lambda nn: nn.BatchNorm2d(3),
    lambda nn: nn.BatchNorm1d(4, affine=False, momentum=None),
])
def test_module_printouts_and_parameters_match_torch(make):
    torch = pytest.importorskip("torch")
    mine, theirs = make(gt.nn), make(torch.nn)
    assert repr(mine) == repr(theirs)
    assert [(n, tuple(p.shape)) for n, p in mine.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    assert list(mine.state_dict()) == list(theirs.state_dict())


def test_conv_init_bounds_follow_fan_in():
    conv = gt.nn.Conv2d(6, 16, 5)
    bound = 1 / np.sqrt(6 * 25)
    for p in (conv.weight, conv.bias):
        a = p.detach().numpy()
        assert np.abs(a).max() <= bound and np.abs(a).max() > 0.8 * bound


def _copy_into(torch, mine, theirs):
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in mine.state_dict().items()})


@pytest.mark.parametrize("momentum", [0.1, None])
def test_batch_norm_running_stats_train_and_eval_match_torch(momentum):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    batches = [rng.standard_normal((4, 3, 2, 2)).astype(np.float32) * 2 + 1 for _ in range(3)]
    out = []
    for T in (gt, torch):
        bn = T.nn.BatchNorm2d(3, momentum=momentum)
        for b in batches:
            bn(T.tensor(b))
        bn.eval()
        y = bn(T.tensor(batches[0]))
        out.append((bn.running_mean.numpy().copy(), bn.running_var.numpy().copy(),
                    int(bn.num_batches_tracked), y.detach().numpy()))
    for a, b in zip(out[0], out[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def _blitz_net(T):
    nn, F = T.nn, T.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = T.flatten(x, 1)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)
    return Net()


def test_blitz_net_training_steps_match_torch():
    """The 60-minute blitz's Net: same weights, same input, three SGD steps, same numbers."""
    torch = pytest.importorskip("torch")
    mine, theirs = _blitz_net(gt), _blitz_net(torch)
    _copy_into(torch, mine, theirs)
    assert repr(mine) == repr(theirs)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 1, 32, 32)).astype(np.float32)
    target = rng.standard_normal((2, 10)).astype(np.float32)
    losses = []
    for T, net in ((gt, mine), (torch, theirs)):
        opt = T.optim.SGD(net.parameters(), lr=0.01)
        run = []
        for _ in range(3):
            opt.zero_grad()
            out = net(T.tensor(x))
            loss = T.nn.MSELoss()(out, T.tensor(target))
            loss.backward()
            opt.step()
            run.append(loss.item())
        losses.append((run, [p.detach().numpy().copy() for p in net.parameters()],
                       grad_fn_names(out.grad_fn)))
    np.testing.assert_allclose(losses[0][0], losses[1][0], rtol=1e-5)
    for a, b in zip(losses[0][1], losses[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert losses[0][2] == losses[1][2]

"""Every op: forward values, gradients and grad_fn names against torch, plus finite-difference
checks of its gradient and of its double backward (gradgradcheck) in float64 that need no torch."""
import numpy as np
import pytest

import gradtrace.core as gt
from tests.core.opcases import CASES, grad_fn_names, make_inputs

IDS = [c[0] for c in CASES]


def _run(T, fn, arrays, requires_grad=True):
    xs = [T.tensor(a, requires_grad=requires_grad) for a in arrays]
    return xs, fn(T, *xs)


@pytest.mark.parametrize("name,fn,shapes,kind", CASES, ids=IDS)
def test_op_matches_torch(name, fn, shapes, kind):
    torch = pytest.importorskip("torch")
    arrays = make_inputs(shapes, kind, seed=len(name), dtype=np.float32)
    gx, gy = _run(gt, fn, arrays)
    tx, ty = _run(torch, fn, arrays)
    np.testing.assert_allclose(gy.detach().numpy(), ty.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert gy.dtype.name == str(ty.dtype).replace("torch.", "")
    assert tuple(gy.shape) == tuple(ty.shape)
    assert grad_fn_names(gy.grad_fn) == grad_fn_names(ty.grad_fn)
    seed = np.random.default_rng(1).standard_normal(tuple(ty.shape)).astype(np.float32)
    gy.backward(gt.tensor(seed))
    ty.backward(torch.tensor(seed))
    for a, b in zip(gx, tx):
        if b.grad is None:
            assert a.grad is None
        else:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name,fn,shapes,kind", CASES, ids=IDS)
def test_op_finite_differences(name, fn, shapes, kind):
    arrays = make_inputs(shapes, kind, seed=len(name) + 7)
    xs, y = _run(gt, fn, arrays)
    if not y.dtype.is_floating_point:
        pytest.skip("integer output")
    w = np.random.default_rng(2).standard_normal(tuple(y.shape))
    (y * gt.tensor(w)).sum().backward()
    eps = 1e-6
    for i, a in enumerate(arrays):
        num = np.zeros_like(a)
        for j in np.ndindex(a.shape):
            plus, minus = [x.copy() for x in arrays], [x.copy() for x in arrays]
            plus[i][j] += eps
            minus[i][j] -= eps
            fp = (fn(gt, *[gt.tensor(x) for x in plus]).numpy() * w).sum()
            fm = (fn(gt, *[gt.tensor(x) for x in minus]).numpy() * w).sum()
            num[j] = (fp - fm) / (2 * eps)
        np.testing.assert_allclose(xs[i].grad.numpy(), num, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name,fn,shapes,kind", CASES, ids=IDS)
def test_op_gradgradcheck(name, fn, shapes, kind):
    """Double backward of every op (its vjp rules are differentiable, as PyTorch's are for all
    of these) against finite differences of its backward, in float64."""
    arrays = make_inputs(shapes, kind, seed=len(name) + 11)
    xs = tuple(gt.tensor(a, requires_grad=True) for a in arrays)
    assert gt.autograd.gradgradcheck(lambda *x: fn(gt, *x), xs)


@pytest.mark.parametrize("call", [
    lambda T, x: x.split(2, 1), lambda T, x: T.split(x, [1, 3], dim=1), lambda T, x: x.chunk(2),
    lambda T, x: x.chunk(3, 1), lambda T, x: x.unbind(1), lambda T, x: T.unbind(x)])
def test_split_chunk_unbind_values_and_grads(call):
    """PyTorch records these as one multi-output node; gradtrace as one view per piece. The
    values, the number of pieces and the gradients must agree."""
    torch = pytest.importorskip("torch")
    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    grads = []
    for T in (gt, torch):
        x = T.tensor(data, requires_grad=True)
        pieces = call(T, x)
        grads.append([p.detach().numpy().copy() for p in pieces])
        sum((p * (k + 1)).sum() for k, p in enumerate(pieces)).backward()
        grads.append(x.grad.numpy().copy())
    ours_pieces, ours_grad, their_pieces, their_grad = grads
    assert len(ours_pieces) == len(their_pieces)
    for a, b in zip(ours_pieces, their_pieces):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ours_grad, their_grad)

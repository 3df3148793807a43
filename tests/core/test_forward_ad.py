"""torch.autograd.forward_ad against torch: the tangents of pointwise, linear and bilinear ops
(matmul, conv2d, linear layers) and their compositions, unpack_dual, and the error texts."""
import numpy as np
import pytest

import gradtrace.core as gt

CASES = [
    ("pointwise", lambda T, x: (x * x).sin() / (x.exp() + 1) - x.tanh() ** 3, (2, 3)),
    ("more_pointwise", lambda T, x: T.sigmoid(x).log() + T.relu(x) * x.abs().sqrt()
     + T.atan2(x, x + 3) + x.clamp(-0.5, 0.5), (4,)),
    ("broadcast", lambda T, x: x + T.ones(3, 1) * x.cos(), (4,)),
    ("linear_ops", lambda T, x: x.t().reshape(6).cumsum(0).flip(0)[1:4].sum(), (2, 3)),
    ("reductions", lambda T, x: x.mean(1, keepdim=True) * x.sum(0).unsqueeze(0), (2, 3)),
    ("matmul", lambda T, x: (x @ x.t()).exp().mean(), (2, 3)),
    ("mv_dot", lambda T, x: T.mv(x, x[0]).dot(x[:, 0]), (3, 3)),
    ("linear_layer", lambda T, x: T.nn.functional.linear(x, x * 2, x[:, 0]), (3, 3)),
    ("conv2d", lambda T, x: T.nn.functional.conv2d(x.reshape(1, 1, 4, 4), x[:2, :2].reshape(
        1, 1, 2, 2), x[0, :1]), (4, 4)),
    ("cat_stack", lambda T, x: T.cat([x, x * 2]).sum(0) + T.stack([x[0], x[1]]).sum(0), (2, 3)),
    ("where_masked", lambda T, x: T.where(x > 0, x * 3, x.exp()).masked_fill(x < -1, 0.0), (3, 3)),
]


@pytest.mark.parametrize("name,fn,shape", CASES, ids=[c[0] for c in CASES])
def test_tangents_match_torch(name, fn, shape):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(name))
    x, t = (rng.standard_normal(shape).astype(np.float32) for _ in range(2))
    out = []
    for T in (gt, torch):
        fwd = T.autograd.forward_ad
        with fwd.dual_level():
            y = fn(T, fwd.make_dual(T.tensor(x), T.tensor(t)))
            primal, tangent = fwd.unpack_dual(y)
            out.append((primal.numpy().copy(), tangent.numpy().copy()))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out[0][1], out[1][1], rtol=1e-4, atol=1e-5)


def test_unpack_dual_without_a_tangent_and_after_the_level():
    torch = pytest.importorskip("torch")
    for T in (gt, torch):
        fwd = T.autograd.forward_ad
        x = T.tensor([1.0, 2.0])
        with fwd.dual_level():
            y = fwd.make_dual(x, T.ones(2)) * 2
            assert fwd.unpack_dual(x).tangent is None
            assert fwd.unpack_dual(y).tangent.tolist() == [2.0, 2.0]
            assert type(fwd.unpack_dual(y)).__name__ == "UnpackedDualTensor"
        assert fwd.unpack_dual(y).tangent is None


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


def test_errors_match_torch():
    torch = pytest.importorskip("torch")

    def outside(T):
        T.autograd.forward_ad.make_dual(T.ones(2), T.ones(2))

    def wrong_size(T):
        with T.autograd.forward_ad.dual_level():
            T.autograd.forward_ad.make_dual(T.ones(2), T.ones(3))

    def unsupported(T):
        with T.autograd.forward_ad.dual_level():
            T.unique(T.autograd.forward_ad.make_dual(T.ones(2), T.ones(2)))

    for call in (outside, wrong_size, unsupported):
        assert _error(lambda c=call: c(gt)) == _error(lambda c=call: c(torch))


def test_backward_still_works_on_dual_tensors():
    fwd = gt.autograd.forward_ad
    w = gt.tensor([1.0, -2.0], requires_grad=True)
    with fwd.dual_level():
        d = fwd.make_dual(w, gt.tensor([1.0, 0.0]))
        y = (d * d).sum()
        assert fwd.unpack_dual(y).tangent.item() == 2.0
    y.backward()
    assert w.grad.tolist() == [2.0, -4.0]

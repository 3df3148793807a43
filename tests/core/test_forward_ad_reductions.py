"""forward_ad against torch: tangents through softmax/log_softmax, sum/mean/var/std, max/min
reductions, the norms and split/chunk/unbind pieces, and a dual tensor's printout
(``tangent=tensor(...)``)."""
import numpy as np
import pytest

import gradtrace.core as gt

CASES = {
    "softmax": lambda T, x: T.softmax(x, 1),
    "log_softmax": lambda T, x: T.nn.functional.log_softmax(x, dim=1),
    "softmax_dim0": lambda T, x: T.nn.functional.softmax(x, dim=0),
    "sum": lambda T, x: x.sum(), "sum_dim": lambda T, x: x.sum(1),
    "mean": lambda T, x: x.mean(), "mean_dim": lambda T, x: x.mean(0),
    "var": lambda T, x: x.var(), "var_dim": lambda T, x: x.var(1),
    "var_keepdim": lambda T, x: x.var(0, keepdim=True, correction=0),
    "std": lambda T, x: x.std(), "std_dim": lambda T, x: x.std(0),
    "max": lambda T, x: x.max(), "max_dim": lambda T, x: x.max(1)[0],
    "min": lambda T, x: x.min(), "min_dim": lambda T, x: x.min(0, keepdim=True).values,
    "amax": lambda T, x: x.amax(1), "amin": lambda T, x: x.amin(0),
    "max_ties": lambda T, x: (x * 0 + 1).max(),
    "norm": lambda T, x: x.norm(), "vector_norm3": lambda T, x: T.linalg.vector_norm(x, 3, dim=1),
    "matrix_norm": lambda T, x: T.linalg.matrix_norm(x),
    "split": lambda T, x: x.split(1, 1)[1], "split_sizes": lambda T, x: x.split([1, 2], 1)[1],
    "chunk": lambda T, x: x.chunk(2, 0)[1], "unbind": lambda T, x: x.unbind(1)[2],
}
X = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, 2.0]])
TANGENT = np.array([[0.3, 0.1, -0.2], [1.0, 0.5, 0.25]])


def _tangent(T, fn):
    fwad = T.autograd.forward_ad
    with fwad.dual_level():
        y = fn(T, fwad.make_dual(T.tensor(X), T.tensor(TANGENT)))
        primal, tangent = fwad.unpack_dual(y)
        return primal.numpy(), tangent.numpy()


@pytest.mark.parametrize("name", CASES)
def test_tangent_matches_torch(name):
    torch = pytest.importorskip("torch")
    pytest.importorskip("torch.autograd.forward_ad")   # (read as torch.autograd.forward_ad)
    (p, t), (tp, tt) = _tangent(gt, CASES[name]), _tangent(torch, CASES[name])
    np.testing.assert_allclose(p, tp, rtol=1e-12)
    assert t.shape == tt.shape
    np.testing.assert_allclose(t, tt, rtol=1e-10, atol=1e-12)


def test_dual_tensor_prints_its_tangent_as_torch():
    torch = pytest.importorskip("torch")
    pytest.importorskip("torch.autograd.forward_ad")
    out = []
    for T in (gt, torch):
        fwad = T.autograd.forward_ad
        with fwad.dual_level():
            d = fwad.make_dual(T.tensor([1.0, 2.0]), T.tensor([0.5, 0.25]))
            e = fwad.make_dual(T.tensor([[1.0, 2.0]], dtype=T.float64),
                               T.tensor([[0.5, 0.25]], dtype=T.float64))
            texts = [repr(d), str(d * 2), repr(e.exp())]
        texts.append(repr(d))   # the level closed: no tangent any more
        out.append(texts)
    assert out[0] == out[1]
    assert "tangent=tensor([1.0000, 0.5000])" in out[0][1]

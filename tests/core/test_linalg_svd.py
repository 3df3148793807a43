"""``torch.linalg.svd``/``svdvals`` and the legacy ``torch.svd`` against torch: one
``LinalgSvdBackward0`` node with three outputs that are not views, PyTorch's gradient formula
(full_matrices narrowed), printouts, error texts, gradcheck and gradgradcheck in float64."""
import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.core.autograd import gradcheck, gradgradcheck

SHAPES = [(4, 3), (3, 4), (3, 3), (2, 3, 4), (2, 4, 2)]


def _sign_free(T, a, full_matrices):
    """A loss of U, S, Vh that does not depend on the singular vectors' signs (LAPACK may pick
    other signs than PyTorch's): the reconstruction, S, and squares of U's and Vh's entries."""
    U, S, Vh = T.linalg.svd(a, full_matrices=full_matrices)
    k = S.shape[-1]
    w = T.arange(1.0, S.numel() + 1, dtype=a.dtype).reshape(S.shape)
    rec = (U[..., :, :k] * S.unsqueeze(-2)) @ Vh[..., :k, :]
    return ((rec * rec).sum() + (S * w).sum() + (U[..., :, :k] ** 2 * U[..., :, :k].shape[-1]).sum()
            + (Vh[..., :k, :] ** 2).sum(-1).mul(w).sum()
            + ((U[..., :, :k] ** 2) * T.arange(1.0, U.shape[-2] + 1, dtype=a.dtype).unsqueeze(-1)).sum())


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("full_matrices", [False, True])
def test_svd_values_and_gradient_match_torch(shape, full_matrices):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(3).standard_normal(shape)
    grads, values = [], []
    for T in (gt, torch):
        a = T.tensor(x, requires_grad=True)
        U, S, Vh = T.linalg.svd(a, full_matrices=full_matrices)
        values.append((U.shape, S.detach().numpy(), Vh.shape, type(U.grad_fn).__name__,
                       U.grad_fn is S.grad_fn is Vh.grad_fn,
                       (U.output_nr, S.output_nr, Vh.output_nr)))
        _sign_free(T, a, full_matrices).backward()
        grads.append(a.grad.numpy())
    (us, ss, vs, name, same, nrs), (ut, st, vt, tname, tsame, tnrs) = values
    assert (tuple(us), tuple(vs), name, same, nrs) == (tuple(ut), tuple(vt), tname, tsame, tnrs)
    assert name == "LinalgSvdBackward0" and nrs == (0, 1, 2)
    np.testing.assert_allclose(ss, st, rtol=1e-10)
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("full_matrices", [False, True])
def test_svd_gradcheck_and_gradgradcheck(shape, full_matrices):
    a = gt.tensor(np.random.default_rng(5).standard_normal(shape), requires_grad=True)
    assert gradcheck(lambda t: _sign_free(gt, t, full_matrices), (a,))
    assert gradgradcheck(lambda t: _sign_free(gt, t, full_matrices), (a,))
    assert gradcheck(gt.linalg.svdvals, (a,))
    assert gradgradcheck(gt.linalg.svdvals, (a,))


def test_svd_gradient_of_one_output_only_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(7).standard_normal((5, 3))
    out = []
    for T in (gt, torch):
        per_output = []
        w = T.tensor([1.0, 2, 3], dtype=T.float64)
        for pick in (lambda U, S, Vh, w=w: (U ** 2).sum(0).mul(w).sum(),
                     lambda U, S, Vh: S.sum(),
                     lambda U, S, Vh: (Vh ** 3).abs().sum()):
            a = T.tensor(x, requires_grad=True)
            pick(*T.linalg.svd(a, full_matrices=False)).backward()
            per_output.append(a.grad.numpy())
        out.append(per_output)
    for mine, theirs in zip(*out):
        np.testing.assert_allclose(mine, theirs, rtol=1e-8, atol=1e-10)


def test_svdvals_and_legacy_svd_match_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).standard_normal((4, 3))
    rec = []
    for T in (gt, torch):
        a = T.tensor(x, requires_grad=True)
        s = T.linalg.svdvals(a)
        U, S, V = T.svd(a)
        u0, s0, v0 = a.svd(compute_uv=False)
        full = T.svd(a, some=False)
        (s.sum() + (U @ T.diag(S) @ V.t()).pow(2).sum()).backward()
        rec.append((s.grad_fn.name(), V.grad_fn.name(), V.grad_fn.next_functions[0][1],
                    type(V.grad_fn.next_functions[0][0]).__name__, u0.shape, v0.shape,
                    u0.requires_grad, float(u0.abs().sum()), s0.grad_fn.name(),
                    tuple(full.U.shape), tuple(full.V.shape), type(full).__name__,
                    a.grad.numpy(), s.detach().numpy()))
    mine, theirs = rec
    assert mine[:12] == theirs[:12]
    assert mine[0] == "LinalgSvdBackward0" and mine[1] == "TransposeBackward0"
    np.testing.assert_allclose(mine[12], theirs[12], rtol=1e-8)
    np.testing.assert_allclose(mine[13], theirs[13], rtol=1e-10)


def test_svd_result_prints_as_torch_return_types():
    torch = pytest.importorskip("torch")
    x = np.array([[3.0, 0.0], [0.0, 2.0]])
    for name, call in (("linalg_svd", lambda T: T.linalg.svd(T.tensor(x))),
                       ("svd", lambda T: T.svd(T.tensor(x)))):
        mine, theirs = call(gt), call(torch)
        assert type(mine).__name__ == type(theirs).__name__ == name
        assert repr(mine) == repr(theirs)
        assert mine._fields == ("U", "S", "Vh" if name == "linalg_svd" else "V")
        assert mine.S is mine[1]


def test_svd_saved_values_and_double_backward_node_match_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(2).standard_normal((3, 3))
    rec = []
    for T in (gt, torch):
        a = T.tensor(x, requires_grad=True)
        U, S, Vh = T.linalg.svd(a)
        fn = U.grad_fn
        saved = fn._saved_S
        g, = T.autograd.grad(S.sum(), a, create_graph=True)
        rec.append((fn._saved_full_matrices, saved.grad_fn.name(), saved.output_nr,
                    np.allclose(saved.detach().numpy(), S.detach().numpy()),
                    type(g.grad_fn).__name__))
    assert rec[0] == rec[1]


def test_svd_repeated_singular_values_give_nan_as_in_torch():
    torch = pytest.importorskip("torch")
    out = []
    for T in (gt, torch):
        for full in (False, True):
            a = T.eye(3, dtype=T.float64, requires_grad=True)
            U, S, Vh = T.linalg.svd(a, full_matrices=full)
            U.sum().backward()
            out.append(np.isnan(a.grad.numpy()).tolist())
    assert out[:2] == out[2:]
    assert all(all(row) for grid in out for row in grid)


@pytest.mark.parametrize("call", [
    lambda T: T.linalg.svd(T.ones(3)),
    lambda T: T.linalg.svdvals(T.ones(3)),
    lambda T: T.svd(T.ones(3)),
    lambda T: T.linalg.svd(T.ones(3, 3, dtype=T.int64)),
])
def test_svd_errors_match_torch(call):
    torch = pytest.importorskip("torch")

    def err(T):
        with pytest.raises(Exception) as info:
            call(T)
        return type(info.value).__name__, str(info.value)
    assert err(gt) == err(torch)


def test_svd_outputs_cannot_be_changed_in_place_before_backward():
    a = gt.randn(3, 2, dtype=gt.float64, requires_grad=True)
    U, S, Vh = gt.linalg.svd(a, full_matrices=False)
    loss = S.sum()
    with gt.no_grad():
        U.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()

"""einsum with an ellipsis (``...``) against torch: values, gradients and the node chain
PyTorch records (broadcast dims placed where PyTorch places them), its errors, gradgradcheck."""
import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.core.autograd import gradgradcheck
from tests.core.opcases import grad_fn_names

CASES = [("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]), ("...ij,...jk", [(2, 3, 4), (2, 4, 5)]),
         ("i...->...", [(2, 3)]), ("...i,...i", [(2, 3), (3,)]),
         ("...i,...i->...", [(2, 3), (2, 3)]), ("b...,b...->b", [(2, 3, 4), (2, 3, 4)]),
         ("...,...", [(2, 3), (2, 3)]), ("i...j,j->i...", [(2, 3, 4), (4,)]),
         ("...ij->...ji", [(5, 2, 3)]), ("a...b,b...c->...ac", [(2, 3, 4), (4, 3, 5)]),
         ("...ij,...jk->ik", [(2, 3, 4), (2, 4, 5)]),
         ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 6)]), ("...ij->ij", [(3, 2, 2)])]


@pytest.mark.parametrize("equation,shapes", CASES, ids=[c[0] for c in CASES])
def test_einsum_ellipsis_matches_torch(equation, shapes):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(equation))
    arrays = [rng.standard_normal(s) for s in shapes]
    out = []
    for T in (gt, torch):
        xs = [T.tensor(a, requires_grad=True) for a in arrays]
        y = T.einsum(equation, *xs)
        (y * y).sum().backward()
        out.append((tuple(y.shape), y.detach().numpy(), grad_fn_names(y.grad_fn),
                    [x.grad.numpy() for x in xs]))
    assert out[0][0] == out[1][0]
    np.testing.assert_allclose(out[0][1], out[1][1], rtol=1e-10)
    assert out[0][2] == out[1][2]
    for a, b in zip(out[0][3], out[1][3]):
        np.testing.assert_allclose(a, b, rtol=1e-10)


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("call", [
    lambda T: T.einsum("...ijk", T.ones(2, 3)),
    lambda T: T.einsum("i.j", T.ones(2, 3)),
    lambda T: T.einsum("...i,...i->...", T.ones(2, 3), T.ones(4, 3)),
    lambda T: T.einsum("ij->i.j", T.ones(2, 3)),
])
def test_einsum_ellipsis_errors_match_torch(call):
    torch = pytest.importorskip("torch")
    assert _error(lambda: call(gt)) == _error(lambda: call(torch))


def test_einsum_ellipsis_gradgradcheck():
    a = gt.tensor(np.random.default_rng(0).standard_normal((2, 3, 4)), requires_grad=True)
    b = gt.tensor(np.random.default_rng(1).standard_normal((4, 2)), requires_grad=True)
    assert gradgradcheck(lambda x, y: gt.einsum("...ij,...jk->...ik", x, y), (a, b))
    assert gradgradcheck(lambda x: gt.einsum("i...->...", x), (a,))

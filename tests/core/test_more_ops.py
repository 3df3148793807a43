"""The functions added for the tutorials, against torch: inverse trigonometric, hyperbolic and
exp/log-family functions, atan2, linalg (inv, det, solve, cross, norms), trace, diag, outer,
unique, logical and bitwise ops, and every in-place variant (values, nodes, versions,
gradients), plus gradcheck and gradgradcheck in float64 per differentiable case."""
import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.core.autograd import gradcheck, gradgradcheck
from tests.core.opcases import grad_fn_names

UNIT = "unit"   # inputs in (-0.9, 0.9): asin, acos, atanh
ABOVE1 = "above1"   # inputs above 1: acosh
POS = "pos"

CASES = [
    ("tan", lambda T, a: T.tan(a), [(2, 3)], UNIT),
    ("asin", lambda T, a: a.asin(), [(2, 3)], UNIT),
    ("arcsin", lambda T, a: T.arcsin(a), [(3,)], UNIT),
    ("acos", lambda T, a: T.acos(a), [(2, 3)], UNIT),
    ("atan", lambda T, a: a.atan(), [(2, 3)], None),
    ("sinh", lambda T, a: T.sinh(a), [(2, 3)], None),
    ("cosh", lambda T, a: a.cosh(), [(2, 3)], None),
    ("asinh", lambda T, a: T.asinh(a), [(2, 3)], None),
    ("acosh", lambda T, a: a.acosh(), [(2, 3)], ABOVE1),
    ("atanh", lambda T, a: T.atanh(a), [(2, 3)], UNIT),
    ("expm1", lambda T, a: a.expm1(), [(2, 3)], None),
    ("exp2", lambda T, a: T.exp2(a), [(2, 3)], None),
    ("log2", lambda T, a: T.log2(a), [(2, 3)], POS),
    ("log10", lambda T, a: a.log10(), [(2, 3)], POS),
    ("atan2", lambda T, a, b: T.atan2(a, b), [(2, 3), (3,)], None),
    ("atan2_method", lambda T, a, b: a.atan2(b), [(2, 3), (2, 3)], None),
    ("inv", lambda T, a: T.linalg.inv(a + 3 * T.eye(3, dtype=a.dtype)), [(3, 3)], None),
    ("inv_batch", lambda T, a: T.linalg.inv(a + 3 * T.eye(2, dtype=a.dtype)), [(4, 2, 2)], None),
    ("inverse", lambda T, a: T.inverse(a + 3 * T.eye(3, dtype=a.dtype)), [(3, 3)], None),
    ("det", lambda T, a: T.linalg.det(a), [(3, 3)], None),
    ("det_batch", lambda T, a: T.det(a), [(2, 3, 3)], None),
    ("solve", lambda T, a, b: T.linalg.solve(a + 3 * T.eye(3, dtype=a.dtype), b), [(3, 3), (3, 2)], None),
    ("solve_vector", lambda T, a, b: T.linalg.solve(a + 3 * T.eye(3, dtype=a.dtype), b), [(3, 3), (3,)], None),
    ("linalg_cross", lambda T, a, b: T.linalg.cross(a, b), [(4, 3), (4, 3)], None),
    ("cross_dim", lambda T, a, b: T.cross(a, b, dim=0), [(3, 2), (3, 2)], None),
    ("trace", lambda T, a: T.trace(a), [(3, 4)], None),
    ("diag_embed", lambda T, a: T.diag(a), [(3,)], None),
    ("diag_embed_k", lambda T, a: T.diag(a, 1) * T.arange(16.0, dtype=a.dtype).reshape(4, 4), [(3,)], None),
    ("diag_of_matrix", lambda T, a: T.diag(a), [(3, 4)], None),
    ("diag_of_matrix_k", lambda T, a: a.diag(-1), [(4, 3)], None),
    ("outer", lambda T, a, b: T.outer(a, b), [(3,), (4,)], None),
    ("vector_norm", lambda T, a: T.linalg.vector_norm(a, 3, dim=1), [(3, 4)], None),
    ("linalg_norm", lambda T, a: T.linalg.norm(a), [(3, 4)], None),
    ("matrix_norm_fro", lambda T, a: T.linalg.matrix_norm(a), [(3, 4)], None),
    ("matrix_norm_1", lambda T, a: T.linalg.matrix_norm(a, 1), [(3, 4)], None),
    ("matrix_norm_inf_keep", lambda T, a: T.linalg.matrix_norm(a, float("inf"), keepdim=True), [(2, 3, 4)], None),
    ("norm_ord_dim", lambda T, a: T.linalg.norm(a, 1, dim=0), [(3, 4)], None),
]
IDS = [c[0] for c in CASES]


def _inputs(shapes, kind, seed, dtype):
    rng = np.random.default_rng(seed)
    out = []
    for s in shapes:
        a = rng.standard_normal(s)
        if kind == UNIT:
            a = np.tanh(a) * 0.9
        elif kind == ABOVE1:
            a = np.abs(a) + 1.5
        elif kind == POS:
            a = np.abs(a) + 0.5
        out.append(a.astype(dtype))
    return out


@pytest.mark.parametrize("name,fn,shapes,kind", CASES, ids=IDS)
def test_matches_torch(name, fn, shapes, kind):
    torch = pytest.importorskip("torch")
    arrays = _inputs(shapes, kind, len(name), np.float32)
    out = []
    for T in (gt, torch):
        xs = [T.tensor(a, requires_grad=True) for a in arrays]
        y = fn(T, *xs)
        w = np.random.default_rng(1).standard_normal(tuple(y.shape)).astype(np.float32)
        y.backward(T.tensor(w))
        out.append((y.detach().numpy(), [x.grad.numpy() for x in xs], grad_fn_names(y.grad_fn),
                    str(y.dtype).replace("torch.", "")))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-4, atol=1e-5)
    for a, b in zip(out[0][1], out[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)
    assert out[0][2:] == out[1][2:]


@pytest.mark.parametrize("name,fn,shapes,kind", CASES, ids=IDS)
def test_gradcheck_and_gradgradcheck(name, fn, shapes, kind):
    xs = [gt.tensor(a, requires_grad=True) for a in _inputs(shapes, kind, len(name) + 5,
                                                            np.float64)]
    assert gradcheck(lambda *a: fn(gt, *a), xs)
    assert gradgradcheck(lambda *a: fn(gt, *a), xs)


@pytest.mark.parametrize("call", [
    lambda T: T.unique(T.tensor([3, 1, 3, 2])),
    lambda T: T.unique(T.tensor([3, 1, 3, 2]), return_inverse=True, return_counts=True),
    lambda T: T.unique(T.tensor([[2.0, 1.0], [2.0, 5.0]]), return_counts=True),
    lambda T: T.logical_and(T.tensor([1, 0, 2]), T.tensor([1, 1, 0])),
    lambda T: T.logical_or(T.tensor([0.0, 0.0, 2.0]), T.tensor([1, 0, 0])),
    lambda T: T.logical_xor(T.tensor([True, False]), T.tensor([True, True])),
    lambda T: T.logical_not(T.tensor([0.0, 2.0])),
    lambda T: T.bitwise_and(T.tensor([3, 6]), T.tensor([1, 2])),
    lambda T: T.bitwise_or(T.tensor([3, 4]), 1), lambda T: T.bitwise_xor(T.tensor([3]), T.tensor([5])),
    lambda T: T.bitwise_not(T.tensor([3, -1])), lambda T: T.bitwise_not(T.tensor([True, False])),
    lambda T: T.tensor([1, 2]).tan(), lambda T: T.atan2(T.tensor([1, 2]), T.tensor([1, 1])),
])
def test_integer_and_logical_results_match_torch(call):
    torch = pytest.importorskip("torch")
    mine, theirs = call(gt), call(torch)
    if not isinstance(mine, tuple):
        mine, theirs = (mine,), (theirs,)
    for a, b in zip(mine, theirs):
        assert str(a.dtype).replace("torch.", "") == str(b.dtype).replace("torch.", "")
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("call", [
    lambda T: T.linalg.inv(T.zeros(2, 3)), lambda T: T.linalg.det(T.zeros(2, 3)),
    lambda T: T.linalg.solve(T.eye(2), T.ones(3)), lambda T: T.trace(T.zeros(2, 2, 2)),
    lambda T: T.diag(T.zeros(2, 2, 2)), lambda T: T.linalg.cross(T.zeros(2), T.zeros(2)),
    lambda T: T.unique(T.tensor([3.0, 1.0], requires_grad=True)).sum().backward(),
    lambda T: T.ones(2, requires_grad=True).exp_(), lambda T: T.ones(2, requires_grad=True).t_(),
    lambda T: T.ones(2, 2, 2).t_(), lambda T: T.tensor([1, 2]).sin_(),
    lambda T: T.bitwise_and(T.ones(2), T.ones(2)),
    lambda T: (lambda x: (x.asinh_(), x.sum().backward()))(T.ones(2, requires_grad=True) * 1),
    lambda T: (lambda x: (x.arctanh_(), x.sum().backward()))(T.ones(2, requires_grad=True) * 0.5),
])
def test_errors_match_torch(call):
    torch = pytest.importorskip("torch")
    assert _error(lambda: call(gt)) == _error(lambda: call(torch))


def test_singular_matrices_raise_pytorchs_linalg_error():
    torch = pytest.importorskip("torch")
    for call in (lambda T: T.linalg.inv(T.zeros(2, 2)),
                 lambda T: T.linalg.solve(T.zeros(2, 2), T.ones(2))):
        mine, theirs = _error(lambda call=call: call(gt)), _error(lambda call=call: call(torch))
        assert mine == theirs
        with pytest.raises(RuntimeError):
            call(gt)


INPLACE = [
    ("exp_", lambda x: x.exp_()), ("sin_", lambda x: x.sin_()), ("cos_", lambda x: x.cos_()),
    ("tanh_", lambda x: x.tanh_()), ("sigmoid_", lambda x: x.sigmoid_()),
    ("abs_", lambda x: x.abs_()), ("neg_", lambda x: x.neg_()), ("sqrt_", lambda x: x.abs_().sqrt_()),
    ("log_", lambda x: x.abs_().log_()), ("reciprocal_", lambda x: x.reciprocal_()),
    ("pow_", lambda x: x.pow_(2)), ("sign_", lambda x: x.sign_()), ("floor_", lambda x: x.floor_()),
    ("round_", lambda x: x.round_()), ("erf_", lambda x: x.erf_()),
    ("square_", lambda x: x.square_()), ("clip_", lambda x: x.clip_(-0.5, 0.5)),
    ("masked_fill_", lambda x: x.masked_fill_(x > 0, 0.0)), ("tril_", lambda x: x.tril_()),
    ("triu_", lambda x: x.triu_(1)), ("tan_", lambda x: x.tan_()), ("atan_", lambda x: x.atan_()),
    ("sinh_", lambda x: x.sinh_()), ("expm1_", lambda x: x.expm1_()),
    ("atan2_", lambda x: x.atan2_(x * 2 + 1)), ("mul_", lambda x: x.mul_(3)),
    ("log10_", lambda x: x.abs_().log10_()), ("relu_", lambda x: x.relu_()),
    ("t_", lambda x: x.t_()), ("transpose_", lambda x: x.transpose_(0, 1)),
    ("swapaxes_", lambda x: x.swapaxes_(0, 1)), ("unsqueeze_", lambda x: x.unsqueeze_(1)),
    ("squeeze_", lambda x: x.unsqueeze_(0).squeeze_()),
    ("squeeze_dim_", lambda x: x.unsqueeze_(2).squeeze_(2)),
    ("squeeze_dims_", lambda x: x.unsqueeze_(0).squeeze_((0,))),
    ("chain_", lambda x: x.sin_().mul_(2).exp_()),
]


@pytest.mark.parametrize("name,call", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_matches_torch(name, call):
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(len(name)).standard_normal((2, 3)).astype(np.float32) * 0.8
    out = []
    for T in (gt, torch):
        leaf = T.tensor(a, requires_grad=True)
        x = leaf * 1.0
        r = call(x)
        assert r is x
        w = np.random.default_rng(2).standard_normal(tuple(x.shape)).astype(np.float32)
        x.backward(T.tensor(w))
        out.append((x.detach().numpy(), tuple(x.shape), x._version, grad_fn_names(x.grad_fn),
                    leaf.grad.numpy()))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-5, atol=1e-6)
    assert out[0][1:4] == out[1][1:4]
    np.testing.assert_allclose(out[0][4], out[1][4], rtol=1e-4, atol=1e-5)


def test_every_inplace_variant_of_the_table_exists_as_in_torch():
    torch = pytest.importorskip("torch")
    from gradtrace.core._inplace import VALUE_INPLACE
    for name in VALUE_INPLACE:
        if hasattr(gt.Tensor, name):
            assert hasattr(gt.Tensor, name + "_") == hasattr(torch.Tensor, name + "_"), name


EINSUM = [("ij,jk->ik", "ab"), ("ij->ji", "a"), ("ij->", "a"), ("i,i->", "vv"), ("i,j->ij", "vw"),
          ("bij,bjk->bik", "cd"), ("ij,j->i", "av"), ("ij,jk", "ab"), ("bij,bjk->", "cd"),
          ("ij,jk,k->i", "abw"), ("ij->j", "a"), ("ij,kj->ik", "aa")]
_EINSUM_SHAPES = {"a": (2, 3), "b": (3, 4), "v": (3,), "c": (5, 2, 3), "d": (5, 3, 4), "w": (4,)}


@pytest.mark.parametrize("equation,names", EINSUM, ids=[e[0] for e in EINSUM])
def test_einsum_matches_torch(equation, names):
    """Values, gradients and the node chain PyTorch's einsum records (unsqueeze and permute per
    operand, permute/view/bmm/view/permute per contracted pair, a final view)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(equation))
    arrays = {k: rng.standard_normal(s).astype(np.float32) for k, s in _EINSUM_SHAPES.items()}
    out = []
    for T in (gt, torch):
        xs = [T.tensor(arrays[n], requires_grad=True) for n in names]
        y = T.einsum(equation, *xs)
        (y.sum() if y.ndim else y).backward()
        out.append((y.detach().numpy(), grad_fn_names(y.grad_fn), [x.grad.numpy() for x in xs]))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-4, atol=1e-5)
    assert out[0][1] == out[1][1]
    for a, b in zip(out[0][2], out[1][2]):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


def test_einsum_gradgradcheck_and_errors():
    a, b = (gt.tensor(np.random.default_rng(i).standard_normal((2, 3)), requires_grad=True)
            for i in range(2))
    assert gradgradcheck(lambda x, y: gt.einsum("ij,kj->ik", x, y), (a, b))
    torch = pytest.importorskip("torch")
    for call in (lambda T: T.einsum("ij,jk->ik", T.ones(2, 3)),
                 lambda T: T.einsum("ij->ij", T.ones(2, 3), T.ones(2)),
                 lambda T: T.einsum("ijk->ij", T.ones(2, 3))):
        assert _error(lambda c=call: c(gt)) == _error(lambda c=call: c(torch))

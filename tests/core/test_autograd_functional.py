"""torch.autograd.functional against torch: jacobian, hessian, vjp, jvp, hvp and vhp of
single- and multi-input/output functions (values, nesting, create_graph) and their errors."""
import numpy as np
import pytest

import gradtrace.core as gt


def _torch():
    return pytest.importorskip("torch")


def _plain(x):
    if isinstance(x, tuple):
        return tuple(_plain(e) for e in x)
    return (tuple(x.shape), np.round(x.detach().numpy().astype(np.float64), 5).tolist(),
            x.requires_grad)


def _inputs(T, *shapes):
    rng = np.random.default_rng(len(shapes))
    out = tuple(T.tensor(rng.standard_normal(s) + 0.1, dtype=T.float64) for s in shapes)
    return out if len(out) > 1 else out[0]


FUNCS = [
    ("jacobian", lambda T, F: F.jacobian(lambda x: x.exp() * x.sum(), _inputs(T, (3,)))),
    ("jacobian_matrix", lambda T, F: F.jacobian(lambda x: x @ x.t(), _inputs(T, (2, 3)))),
    ("jacobian_tuples", lambda T, F: F.jacobian(lambda a, b: (a * b, (a + 1).sin()),
                                               _inputs(T, (2,), (2,)))),
    ("jacobian_unused", lambda T, F: F.jacobian(lambda a, b: a * 2, _inputs(T, (2,), (3,)))),
    ("jacobian_create_graph", lambda T, F: F.jacobian(lambda x: x ** 3, _inputs(T, (2,)),
                                                     create_graph=True)),
    ("hessian", lambda T, F: F.hessian(lambda x: (x ** 3).sum() * x.prod(), _inputs(T, (3,)))),
    ("hessian_tuple", lambda T, F: F.hessian(lambda a, b: (a * b.exp()).sum(),
                                            _inputs(T, (2,), (2,)))),
    ("vjp", lambda T, F: F.vjp(lambda x: x.tanh() * 2, _inputs(T, (3,)), T.ones(3, dtype=T.float64))),
    ("vjp_scalar", lambda T, F: F.vjp(lambda x: (x * x).sum(), _inputs(T, (2, 2)))),
    ("jvp", lambda T, F: F.jvp(lambda x: x.sin() * x, _inputs(T, (3,)), T.ones(3, dtype=T.float64))),
    ("jvp_tuple", lambda T, F: F.jvp(lambda a, b: a @ b, _inputs(T, (2, 3), (3,)),
                                    (T.ones(2, 3, dtype=T.float64), T.ones(3, dtype=T.float64)))),
    ("hvp", lambda T, F: F.hvp(lambda x: (x ** 4).sum(), _inputs(T, (3,)), T.ones(3, dtype=T.float64))),
    ("vhp", lambda T, F: F.vhp(lambda x: (x.exp() * x).sum(), _inputs(T, (3,)),
                              T.ones(3, dtype=T.float64))),
    ("vhp_create_graph", lambda T, F: F.vhp(lambda x: (x ** 3).sum(), _inputs(T, (2,)),
                                           T.ones(2, dtype=T.float64), create_graph=True)),
]


@pytest.mark.parametrize("name,call", FUNCS, ids=[f[0] for f in FUNCS])
def test_matches_torch(name, call):
    torch = _torch()
    assert _plain(call(gt, gt.autograd.functional)) == \
        _plain(call(torch, torch.autograd.functional))


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value).replace("gradtrace.core", "torch")


@pytest.mark.parametrize("call", [
    lambda T, F: F.vjp(lambda x: x * 2, T.ones(3)),
    lambda T, F: F.jvp(lambda x: x * 2, T.ones(3)),
    lambda T, F: F.vjp(lambda x: x * 2, T.ones(3), T.ones(2)),
    lambda T, F: F.vjp(lambda x: (x, x), T.ones(3), (T.ones(3),)),
    lambda T, F: F.hvp(lambda x: x * 2, T.ones(3), T.ones(3)),
    lambda T, F: F.hessian(lambda x: x * 2, T.ones(3)),
    lambda T, F: F.jacobian(lambda x: x * 2, [1.0]),
    lambda T, F: F.jacobian(lambda a, b: a * 2, (T.ones(2), T.ones(2)), strict=True),
    lambda T, F: F.vjp(lambda x: T.ones(2), T.ones(2), T.ones(2), strict=True),
    lambda T, F: F.hessian(lambda x: x.sum() * 2, T.ones(2), strict=True),
])
def test_errors_match_torch(call):
    torch = _torch()
    assert _error(lambda: call(gt, gt.autograd.functional)) == \
        _error(lambda: call(torch, torch.autograd.functional))

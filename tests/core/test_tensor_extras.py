"""Tensor methods people reach for beside the ops: ``type()``, ``get_device()``, ``new_*``,
``nonzero``/``argwhere``/``where(condition)``; the same results as PyTorch."""
import numpy as np
import pytest

import gradtrace.core as gt


def both(fn):
    """``fn(T)`` for gradtrace and, when installed, torch (None in its place otherwise)."""
    try:
        import torch
    except ImportError:
        return fn(gt), None
    return fn(gt), fn(torch)


def as_plain(x):
    if isinstance(x, (tuple, list)):
        return tuple(as_plain(i) for i in x)
    if hasattr(x, "detach"):   # NaN compared as text: nan != nan
        return (tuple(x.shape), str(x.dtype).replace("torch.", ""),
                repr(x.detach().cpu().numpy().tolist()))
    return x


CASES = {
    "type": lambda T: T.ones(2).type(),
    "type_long": lambda T: T.ones(2, dtype=T.int64).type(),
    "type_cast_name": lambda T: T.ones(2).type("torch.DoubleTensor"),
    "type_cast_dtype": lambda T: T.ones(2).type(T.int32),
    "type_as": lambda T: T.ones(2).type_as(T.zeros(1, dtype=T.float64)),
    "get_device": lambda T: T.ones(2).get_device(),
    "new_ones": lambda T: T.ones(2, dtype=T.float64).new_ones(2, 3),
    "new_ones_tuple": lambda T: T.ones(2).new_ones((3,)),
    "new_zeros_dtype": lambda T: T.ones(2).new_zeros(2, dtype=T.int64),
    "new_full": lambda T: T.ones(2, dtype=T.float64).new_full((2, 2), 7),
    "new_tensor": lambda T: T.ones(2, dtype=T.float64).new_tensor([1, 2]),
    "nonzero": lambda T: T.tensor([[0.0, 1.0], [2.0, 0.0]]).nonzero(),
    "nonzero_tuple": lambda T: T.tensor([[0.0, 1.0], [2.0, 0.0]]).nonzero(as_tuple=True),
    "nonzero_0d": lambda T: T.tensor(5.0).nonzero(),
    "nonzero_0d_zero": lambda T: T.tensor(0.0).nonzero(),
    "nonzero_fn": lambda T: T.nonzero(T.tensor([0, 3, 0, 4])),
    "argwhere": lambda T: T.argwhere(T.tensor([[True, False], [True, True]])),
    "where_condition": lambda T: T.where(T.tensor([[1.0, 0.0], [0.0, 2.0]]) > 0),
    "where_method": lambda T: T.tensor([1.0, -2.0]).where(T.tensor([True, False]), T.tensor(0.0)),
    "max_dim_printed": lambda T: repr(T.tensor([[1.0, 2.0], [3.0, 4.0]]).max(dim=0)),
    "min_dim_printed": lambda T: str(T.tensor([[1.0, 2.0], [3.0, 4.0]]).min(1, keepdim=True)),
    "max_dim_type": lambda T: type(T.ones(2, 2).max(0)).__name__,
    "stride": lambda T: T.ones(2, 3).t().stride(),
    "stride_dim": lambda T: T.ones(2, 3, 4).stride(-2),
    "storage_offset": lambda T: T.arange(6.0).reshape(2, 3)[1].storage_offset(),
    "contiguous_node": lambda T: type(T.ones(2, 3, requires_grad=True).t().contiguous().grad_fn).__name__,
    "round": lambda T: T.tensor([0.5, -1.5, 2.5, 1.2]).round(),
    "round_decimals": lambda T: T.round(T.tensor([1.2345, 2.5]), decimals=2),
    "floor_ceil_trunc_frac": lambda T: [f(T.tensor([-1.5, 0.5, 2.7])) for f in (T.floor, T.ceil,
                                                                                 T.trunc, T.frac)],
    "rounding_nodes": lambda T: [type(getattr(T.ones(2, requires_grad=True), f)().grad_fn).__name__
                                 for f in ("round", "floor", "ceil", "trunc", "frac")],
    "sort": lambda T: tuple(T.tensor([[3.0, 1.0, 3.0], [0.0, 2.0, -1.0]]).sort(dim=1)),
    "sort_descending_ties": lambda T: tuple(T.sort(T.tensor([3.0, 1.0, 3.0, 1.0]), descending=True)),
    "sort_nan": lambda T: tuple(T.sort(T.tensor([3.0, float("nan"), 1.0]))),
    "sort_printed": lambda T: repr(T.tensor([2.0, 1.0]).sort()),
    "argsort": lambda T: T.tensor([[3.0, 1.0], [0.0, 2.0]]).argsort(dim=0, descending=True),
    "topk": lambda T: tuple(T.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]).topk(2)),
    "topk_smallest": lambda T: tuple(T.topk(T.tensor([4.0, 1.0, 3.0]), 2, largest=False)),
    "sort_topk_grads": lambda T: _sort_topk_grads(T),
    "out_resized": lambda T: T.mul(T.ones(2, 2), 3, out=T.zeros(0)),
    "out_cast": lambda T: T.add(T.ones(2, dtype=T.int64), 1, out=T.zeros(2, dtype=T.float64)),
    "out_unary_same_tensor": lambda T: _exp_into_itself(T),
    "out_matmul": lambda T: T.matmul(T.ones(2, 3), T.ones(3, 2), out=T.empty(2, 2)),
    "prod_through_zeros": lambda T: _prod_grads(T),
    "prod_int": lambda T: T.tensor([1, 2, 3]).prod(),
    "float64_from_python_floats": lambda T: repr(T.tensor([0.1, 1 / 3], dtype=T.float64).tolist()),
    "float64_scalar_from_python": lambda T: repr(T.tensor(0.1, dtype=T.float64).item()),
}


def _sort_topk_grads(T):
    x = T.tensor([[0.5, -1.5, 2.5], [3.0, 1.0, 3.0]], requires_grad=True)
    values, _ = x.sort(dim=1, descending=True)
    top = x.topk(2).values
    (values * T.tensor([1.0, 2.0, 3.0])).sum().backward(retain_graph=True)
    first = x.grad.clone()
    top.sum().backward()
    return first, x.grad, type(values.grad_fn).__name__, type(top.grad_fn).__name__


def _prod_grads(T):
    x = T.tensor([[2.0, 0.0, 3.0], [1.0, 4.0, 5.0]], requires_grad=True)
    x.prod().backward(retain_graph=True)
    first = x.grad.clone()
    x.grad = None
    x.prod(1).sum().backward()
    return first, x.grad


def _exp_into_itself(T):
    x = T.zeros(3)
    y = T.exp(x, out=x)
    return y is x, x


@pytest.mark.parametrize("name", list(CASES))
def test_matches_torch(name):
    got, ref = both(CASES[name])
    if ref is None:
        pytest.skip("torch is not installed")
    assert as_plain(got) == as_plain(ref)


def test_without_torch():
    """The same facts, written out, for machines without torch."""
    assert gt.ones(2).type() == "torch.FloatTensor"
    assert gt.ones(2).get_device() == -1
    assert gt.ones(2).new_full((2,), 7).tolist() == [7.0, 7.0]
    assert gt.ones(2, dtype=gt.float64).new_ones(2, 3).dtype == gt.float64
    rows, cols = gt.where(gt.tensor([[1.0, 0.0], [0.0, 2.0]]) > 0)
    assert rows.tolist() == [0, 1] and cols.tolist() == [0, 1] and rows.dtype == gt.int64
    np.testing.assert_array_equal(gt.tensor([0, 3, 0, 4]).nonzero().numpy(), [[1], [3]])
    with pytest.raises(ValueError, match="invalid type: 'torch.Nope'"):
        gt.ones(2).type("torch.Nope")


def test_where_with_one_value_says_what_it_expected():
    with pytest.raises(TypeError, match=r"^where\(\) received an invalid combination of arguments "
                                        r"- got \(Tensor, Tensor\), but expected one of:"):
        gt.where(gt.ones(2) > 0, gt.ones(2))


def test_deepcopy_copies_leaves_and_refuses_the_rest():
    import copy
    x = gt.ones(2, requires_grad=True)
    x.grad = gt.full((2,), 3.0)
    y = copy.deepcopy(x)
    assert y is not x and y.is_leaf and y.requires_grad and y.grad.tolist() == [3.0, 3.0]
    view = copy.deepcopy(gt.arange(3.0)[1:])
    assert not view._is_view() and view.tolist() == [1.0, 2.0]
    with pytest.raises(RuntimeError, match=r"^Only Tensors created explicitly by the user \(graph "
                                           r"leaves\) support the deepcopy protocol at the moment\."):
        copy.deepcopy(x * 2)


def test_out_refuses_a_graph_and_a_narrowing_cast():
    a = gt.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^mul\(\): functions with out=\.\.\. arguments don't "
                                           r"support automatic differentiation, but one of the "
                                           r"arguments requires grad\.$"):
        gt.mul(a, a, out=gt.empty(2))
    with gt.no_grad():
        assert gt.mul(a, a, out=gt.empty(2)).tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired "
                                           "output type Long$"):
        gt.mul(gt.ones(2), 1.5, out=gt.zeros(2, dtype=gt.int64))
    with pytest.warns(UserWarning, match=r"An output with one or more elements was resized since "
                                         r"it had shape \[3\], which does not match the required "
                                         r"output shape \[2, 2\]"):
        gt.mul(gt.ones(2, 2), gt.ones(2, 2), out=gt.zeros(3))


def test_topk_out_of_range():
    with pytest.raises(RuntimeError, match="^selected index k out of range$"):
        gt.ones(3).topk(5)


def test_inference_mode_stops_recording_as_a_context_and_a_decorator():
    x = gt.ones(2, requires_grad=True)
    with gt.inference_mode():
        assert not (x * 2).requires_grad and gt.is_inference_mode_enabled()
    assert gt.is_grad_enabled() and not gt.is_inference_mode_enabled()
    with gt.inference_mode(False):
        assert (x * 2).requires_grad

    @gt.inference_mode()
    def f():
        return gt.is_grad_enabled()
    assert f() is False and gt.is_grad_enabled()

"""Custom ``autograd.Function``: nodes, saved tensors, gradients and errors against PyTorch,
with and without torch installed."""
import gc
import weakref

import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.core.autograd import grad, iter_backward
from gradtrace.core.autograd.function import Function, once_differentiable
from gradtrace.core.autograd.gradcheck import gradcheck
from tests.core.opcases import grad_fn_names


def make_exp(T, factor=None):
    """A custom exp for framework ``T`` (gradtrace or torch), saving its result; with a
    ``factor`` its backward is off by that factor (for gradcheck's failure reports)."""
    base = gt_function_base(T)

    class MyExp(base):
        @staticmethod
        def forward(ctx, x):
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result if factor is None else grad_output * result * factor
    return MyExp


def make_scaled_add(T):
    """``a * k + b`` with a number ``k``; ``backward`` gives ``None`` for ``k`` and for ``b``."""
    class ScaledAdd(gt_function_base(T)):
        @staticmethod
        def forward(ctx, a, k, b):
            ctx.k = k
            return a * k + b

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None, None
    return ScaledAdd


def gt_function_base(T):
    return Function if T is gt else T.autograd.Function


# ---------------------------------------------------------------- without torch
def test_custom_exp_values_grad_and_node():
    MyExp = make_exp(gt)
    x = gt.tensor([0.0, 1.0, -2.0], requires_grad=True)
    y = MyExp.apply(x)
    assert type(y.grad_fn).__name__ == "MyExpBackward" == y.grad_fn.name()
    assert repr(y).endswith("grad_fn=<MyExpBackward>)")
    assert len(y.grad_fn.next_functions) == 1
    assert y.grad_fn.next_functions[0][0].variable is x
    np.testing.assert_allclose(y.detach().numpy(), np.exp([0.0, 1.0, -2.0]), rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.0, 1.0, -2.0]), rtol=1e-6)


def test_forward_runs_without_grad_and_ctx_is_the_node():
    seen = {}

    class Probe(Function):
        @staticmethod
        def forward(ctx, x, k):
            seen["grad"] = gt.is_grad_enabled()
            seen["needs"] = ctx.needs_input_grad
            ctx.extra = 7
            return x * k

        @staticmethod
        def backward(ctx, g):
            seen["bgrad"] = gt.is_grad_enabled()
            return g * 3, None
    x = gt.ones(2, requires_grad=True)
    y = Probe.apply(x, 3.0)
    assert seen == {"grad": False, "needs": (True, False)}
    assert y.grad_fn.extra == 7 and y.grad_fn.needs_input_grad == (True, False)
    y.sum().backward()
    assert seen["bgrad"] is False
    assert x.grad.tolist() == [3.0, 3.0]


def test_next_functions_one_per_tensor_argument():
    ScaledAdd = make_scaled_add(gt)
    a = gt.ones(2, requires_grad=True)
    b = gt.ones(2)
    y = ScaledAdd.apply(a, 2.0, b)
    assert [type(n).__name__ if n else None for n, _ in y.grad_fn.next_functions] == \
        ["AccumulateGrad", None]
    assert y.grad_fn.needs_input_grad == (True, False, False)


def test_none_gradient_for_an_input_that_requires_grad():
    ScaledAdd = make_scaled_add(gt)
    a = gt.ones(2, requires_grad=True)
    b = gt.ones(2, requires_grad=True)
    ScaledAdd.apply(a, 2.0, b).sum().backward()
    assert a.grad.tolist() == [2.0, 2.0]
    # PyTorch leaves b.grad None; the engine needs an array per edge, so zeros arrive
    assert b.grad is None or not b.grad.numpy().any()


def test_mixes_with_builtin_ops_and_steps():
    MyExp = make_exp(gt)
    x = gt.tensor([0.5, -1.0], requires_grad=True)
    y = (MyExp.apply(x * 2) + x).sum()
    steps = list(iter_backward(y))
    assert [s.node.name() for s in steps] == ["SumBackward0", "AddBackward0", "MyExpBackward",
                                              "MulBackward0", "torch::autograd::AccumulateGrad"]
    exp_step = steps[2]
    np.testing.assert_allclose(exp_step.grads_out[0].numpy(), np.exp([1.0, -2.0]), rtol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp([1.0, -2.0]) + 1, rtol=1e-6)


def test_gradcheck_of_custom_functions():
    MyExp = make_exp(gt)
    x = gt.tensor([0.3, -0.7, 1.1], dtype=gt.float64, requires_grad=True)
    assert gradcheck(MyExp.apply, (x,))
    ScaledAdd = make_scaled_add(gt)
    a = gt.tensor([0.3, 2.0], dtype=gt.float64, requires_grad=True)
    b = gt.tensor([1.0, 2.0], dtype=gt.float64)
    assert gradcheck(lambda a, b: ScaledAdd.apply(a, 1.5, b), (a, b))


def test_saved_tensors_freed_after_backward_and_kept_with_retain_graph():
    MyExp = make_exp(gt)
    x = gt.ones(2, requires_grad=True)
    y = MyExp.apply(x)
    (saved,) = y.grad_fn.saved_tensors
    assert saved.grad_fn is y.grad_fn and saved.tolist() == y.tolist()
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    assert x.grad.tolist() == pytest.approx([2 * np.e] * 2)
    with pytest.raises(RuntimeError, match=r"^Trying to backward through the graph a second"):
        y.grad_fn.saved_tensors
    with pytest.raises(RuntimeError, match=r"^Trying to backward through the graph a second"):
        y.sum().backward()


def test_saved_input_modified_in_place_raises_version_error():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g
    a = gt.ones(2, requires_grad=True)
    y = Square.apply(a * 1)
    assert y.grad_fn.saved_tensors[0] is not None
    with gt.no_grad():
        y.grad_fn.saved_tensors[0].add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_no_node_without_grad():
    MyExp = make_exp(gt)
    x = gt.ones(2, requires_grad=True)
    with gt.no_grad():
        assert MyExp.apply(x).grad_fn is None
    y = MyExp.apply(gt.ones(2))
    assert y.grad_fn is None and not y.requires_grad


def test_mark_non_differentiable_and_integer_outputs():
    class Positive(Function):
        @staticmethod
        def forward(ctx, x):
            return (x > 0).long()

        @staticmethod
        def backward(ctx, g):
            return None

    class Doubled(Function):
        @staticmethod
        def forward(ctx, x):
            out = x * 2
            ctx.mark_non_differentiable(out)
            return out

        @staticmethod
        def backward(ctx, g):
            return g
    x = gt.tensor([1.0, -1.0], requires_grad=True)
    assert Positive.apply(x).grad_fn is None
    y = Doubled.apply(x)
    assert y.grad_fn is None and not y.requires_grad


def test_returning_an_input_gives_a_new_tensor():
    class Ident(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g
    x = gt.ones(2, requires_grad=True)
    y = Ident.apply(x)
    assert y is not x and y.grad_fn.name() == "IdentBackward"
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_setup_context_style_and_kwargs():
    class Twice(Function):
        @staticmethod
        def forward(x, scale=2.0):
            return x * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.scale = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g * ctx.scale, None
    x = gt.ones(2, requires_grad=True)
    Twice.apply(x, scale=3.0).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_double_backward_through_a_custom_function():
    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x * x * g
    x = gt.tensor(2.0, requires_grad=True)
    (dx,) = grad(Cube.apply(x), x, create_graph=True)
    assert dx.item() == 12.0 and dx.grad_fn is not None
    (ddx,) = grad(dx, x)
    assert ddx.item() == 12.0


def test_once_differentiable_backward_records_nothing():
    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x * x * g
    x = gt.tensor(2.0, requires_grad=True)
    (dx,) = grad(Cube.apply(x), x, create_graph=True)
    assert dx.item() == 12.0 and dx.grad_fn is None


@pytest.mark.parametrize("returned,message", [
    ("one", r"^function BadBackward returned an incorrect number of gradients \(expected 2, "
            r"got 1\)$"),
    ("shape", r"^Function BadBackward returned an invalid gradient at index 0 - got \[3\] but "
              r"expected shape compatible with \[2\]$"),
    ("int", r"^expected Variable or None \(got int\)$"),
])
def test_backward_errors(returned, message):
    class Bad(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, g):
            return {"one": g, "shape": (gt.ones(3), None), "int": (3, None)}[returned]
    a = gt.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=message):
        Bad.apply(a, gt.ones(2)).sum().backward()


def test_extra_none_gradients_are_allowed_and_larger_gradients_are_summed():
    class Sum(Function):
        @staticmethod
        def forward(ctx, a):
            return a.sum()

        @staticmethod
        def backward(ctx, g):
            return gt.ones(4, 2) * g, None, None
    a = gt.ones(2, requires_grad=True)
    Sum.apply(a).backward()
    assert a.grad.tolist() == [4.0, 4.0]


def test_gradient_for_a_non_tensor_argument_raises():
    class C(Function):
        @staticmethod
        def forward(ctx, k, a):
            return a * k

        @staticmethod
        def backward(ctx, g):
            return gt.ones(2), g
    a = gt.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^function CBackward returned a gradient different "
                                           r"than None at position 1, but the corresponding "
                                           r"forward input was not a Variable$"):
        C.apply(2.0, a).sum().backward()


def test_api_errors():
    x = gt.ones(2, requires_grad=True)
    with pytest.raises(NotImplementedError, match="You must implement the forward function"):
        Function.apply(x)

    class NoBackward(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 1

    with pytest.raises(NotImplementedError, match="You must implement either the backward or "
                                                  "vjp method"):
        NoBackward.apply(x).sum().backward()

    class SavesInt(Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(3)
            return a

    with pytest.raises(TypeError, match=r"^save_for_backward can only save variables, but "
                                        r"argument 0 is of type int$"):
        SavesInt.apply(x)

    with pytest.warns(DeprecationWarning, match="should not be instantiated"):
        NoBackward()


def test_no_reference_cycle_keeps_the_node_alive():
    MyExp = make_exp(gt)
    x = gt.ones(2, requires_grad=True)
    gc.disable()
    try:
        y = MyExp.apply(x * 2)
        probe = weakref.ref(y.grad_fn)
        del y
        assert probe() is None
    finally:
        gc.enable()


# ---------------------------------------------------------------- against torch
@pytest.mark.parametrize("expr", ["exp", "mixed", "scaled"])
def test_matches_torch(expr):
    torch = pytest.importorskip("torch")

    def run(T):
        x = T.tensor([0.5, -1.0, 2.0], requires_grad=True)
        b = T.tensor([1.0, 2.0, 3.0])
        if expr == "exp":
            y = make_exp(T).apply(x)
        elif expr == "mixed":
            y = make_exp(T).apply(x * 2).sin() * x
        else:
            y = make_scaled_add(T).apply(x.exp(), 2.0, b)
        y.backward(T.tensor([1.0, -2.0, 0.5]))
        return y, x
    gy, gx = run(gt)
    ty, tx = run(torch)
    np.testing.assert_allclose(gy.detach().numpy(), ty.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(gx.grad.numpy(), tx.grad.numpy(), rtol=1e-6)
    assert grad_fn_names(gy.grad_fn) == grad_fn_names(ty.grad_fn)
    assert repr(gy).split("grad_fn=")[1] == repr(ty).split("grad_fn=")[1]


def test_error_texts_match_torch():
    torch = pytest.importorskip("torch")

    def message(T):
        class Bad(gt_function_base(T)):
            @staticmethod
            def forward(ctx, a):
                return a.sum()

            @staticmethod
            def backward(ctx, g):
                return T.ones(3)
        try:
            Bad.apply(T.ones(2, requires_grad=True)).backward()
        except RuntimeError as exc:
            return str(exc)
    assert message(gt) == message(torch)


def make_sincos(T):
    """``(sin x, cos x)`` as one custom Function with two outputs."""
    class SinCos(gt_function_base(T)):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sin(), x.cos()

        @staticmethod
        def backward(ctx, grad_sin, grad_cos):
            (x,) = ctx.saved_tensors
            return grad_sin * x.cos() - grad_cos * x.sin()
    return SinCos


def _two_outputs(T):
    SinCos = make_sincos(T)
    x = T.tensor([0.5, 1.0], requires_grad=True)
    s, c = SinCos.apply(x)
    facts = [type(s.grad_fn).__name__, s.grad_fn is c.grad_fn, s.output_nr, c.output_nr,
             [type(n).__name__ for n, _ in s.grad_fn.next_functions]]
    (s * 2 + c * 3).sum().backward()
    facts.append([round(v, 5) for v in x.grad.tolist()])
    x.grad = None
    s, c = SinCos.apply(x)
    s.sum().backward()   # no gradient reaches cos: backward gets zeros for it
    facts.append([round(v, 5) for v in x.grad.tolist()])
    return facts


def test_several_outputs_share_one_node():
    assert _two_outputs(gt) == [
        "SinCosBackward", True, 0, 1, ["AccumulateGrad"], [0.31689, -1.44381], [0.87758, 0.5403]]


def test_several_outputs_against_torch():
    torch = pytest.importorskip("torch")
    assert _two_outputs(gt) == _two_outputs(torch)


def test_non_differentiable_output_of_several():
    class MaxAndIndex(Function):
        @staticmethod
        def forward(ctx, x):
            i = x.argmax()
            ctx.mark_non_differentiable(i)
            ctx.save_for_backward(x, i)
            return x.max(), i

        @staticmethod
        def backward(ctx, g, grad_index):
            x, i = ctx.saved_tensors
            out = gt.zeros_like(x)
            out[i] = g
            return out
    x = gt.tensor([0.5, 3.0, 1.0], requires_grad=True)
    m, i = MaxAndIndex.apply(x)
    assert not i.requires_grad and m.output_nr == 0
    m.backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]


def test_custom_node_prints_as_pytorch_prints_it():
    torch = pytest.importorskip("torch")
    reprs = []
    for T in (gt, torch):
        class Cube(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return g * 3 * x ** 2
        node = Cube.apply(T.ones(2, requires_grad=True)).grad_fn
        reprs.append(repr(node).rsplit(" at 0x", 1)[0])
    assert reprs[0] == reprs[1] == "<torch.autograd.function.CubeBackward object"

"""``gradcheck`` and ``gradgradcheck``: passes, failure reports, warnings and errors, with
PyTorch's texts (literal, and against torch when it is installed)."""
import warnings

import pytest

import gradtrace.core as gt
from gradtrace.core.autograd.function import Function
from gradtrace.core.autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck
from tests.core.test_function import make_exp


def make_bad_exp(T, factor=1.1):
    """An exp whose backward is off by ``factor``."""
    return make_exp(T, factor)


def make_detached_square(T):
    """``x * x`` whose backward is right once but cuts the graph (fails gradgradcheck)."""
    base = Function if T is gt else T.autograd.Function

    class Square(base):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x.detach()
    return Square


def f64(values, requires_grad=True):
    return gt.tensor(values, dtype=gt.float64, requires_grad=requires_grad)


def test_builtin_ops_pass():
    x = f64([[0.5, -1.0], [2.0, 0.3]])
    y = f64([1.5, -0.5])
    assert gradcheck(lambda a, b: (a * b).sin() @ b, (x, y)) is True
    assert gradcheck(lambda a, b: (a.exp(), (a / b).sum()), (x, y)) is True
    assert gradcheck(lambda a: a.tanh(), x) is True


def test_mismatch_report_literal():
    x = f64([0.5, -1.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(make_bad_exp(gt).apply, (x,))
    assert str(info.value) == (
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[1.6487, 0.0000],\n        [0.0000, 0.3679]], dtype=torch.float64)\n"
        "analytical:tensor([[1.8136, 0.0000],\n        [0.0000, 0.4047]], dtype=torch.float64)\n")
    assert isinstance(info.value, RuntimeError)


def test_raise_exception_false_returns_false():
    assert gradcheck(make_bad_exp(gt).apply, (f64([0.5]),), raise_exception=False) is False


def test_float32_inputs_warn():
    x = gt.tensor([0.5, -1.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(GradcheckError, match="numerical:tensor\\(\\[\\[1.6689, 0.0000\\]"):
            gradcheck(gt.exp, (x,))
    assert [str(w.message) for w in caught] == [
        "Input #0 requires gradient and is not a double precision floating point or complex. "
        "This check will likely fail if all the inputs are not of double precision floating "
        "point or complex. "]
    assert caught[0].category is UserWarning and caught[0].filename == __file__


def test_no_input_requires_grad():
    with pytest.raises(ValueError, match=r"^gradcheck expects at least one input tensor to "
                                         r"require gradient, but none of them have "
                                         r"requires_grad=True\.$"):
        gradcheck(gt.exp, (f64([1.0], requires_grad=False),))


def test_overlapping_input_raises():
    x = f64([1.0]).detach().expand(3).requires_grad_()
    with pytest.raises(RuntimeError, match=r"^The 0th input has a dimension with stride 0"):
        gradcheck(gt.exp, (x,))


def test_backward_not_multiplied_by_grad_output():
    class IgnoresGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 0 + 2

    with pytest.raises(GradcheckError, match="^backward not multiplied by grad_output$"):
        gradcheck(IgnoresGrad.apply, (f64([1.0]),))


def test_non_differentiable_output_needs_zero_numerical_gradient():
    x = f64([1.0, 2.0])
    assert gradcheck(lambda a: gt.ones(2, dtype=gt.float64), (x,))
    with pytest.raises(GradcheckError, match="^Numerical gradient for function expected to be "
                                             "zero$"):
        gradcheck(lambda a: a.detach() * 2, (x,))


def test_second_input_reported_by_its_position_among_differentiable_inputs():
    x, y = f64([0.5, -1.0]), f64([1.0, 2.0])
    BadExp = make_bad_exp(gt)
    with pytest.raises(GradcheckError, match="^Jacobian mismatch for output 0 with respect to "
                                             "input 1,\n"):
        gradcheck(lambda a, b: BadExp.apply(b) * a, (x, y))


def test_gradgradcheck():
    x = f64([0.5, -1.0, 2.0])
    assert gradgradcheck(lambda a: (a ** 3).sin(), (x,)) is True
    assert gradgradcheck(lambda a, b: (a * b).exp().sum(), (x, f64([1.0, 2.0, 0.5]))) is True
    assert gradgradcheck(make_bad_exp(gt, factor=1.0).apply, (x,)) is True  # saves its output
    report = r"(?s)^Jacobian mismatch for output 0 with respect to input 0,\nnumerical:.*\n" \
             r"analytical:tensor\(\[\[0\., 0\., 0\.\],"
    with pytest.raises(GradcheckError, match=report):
        gradgradcheck(make_detached_square(gt).apply, (x,))
    assert gradcheck(make_detached_square(gt).apply, (x,))


# ---------------------------------------------------------------- against torch
@pytest.mark.parametrize("case", ["bad_exp", "second_input", "float32"])
def test_failure_reports_match_torch(case):
    torch = pytest.importorskip("torch")

    def report(T):
        dt = T.float32 if case == "float32" else T.float64
        x = T.tensor([0.5, -1.0], dtype=dt, requires_grad=True)
        y = T.tensor([1.0, 2.0], dtype=dt, requires_grad=True)
        check = gradcheck if T is gt else T.autograd.gradcheck
        fn = make_bad_exp(T).apply if case == "bad_exp" else (
            lambda a, b: make_bad_exp(T).apply(b) * a) if case == "second_input" else T.exp
        args = (x, y) if case == "second_input" else (x,)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                check(fn, args)
            except RuntimeError as exc:
                return str(exc), [str(w.message) for w in caught], type(exc).__name__
    assert report(gt) == report(torch)


def test_gradgradcheck_agrees_with_torch():
    torch = pytest.importorskip("torch")
    for T, check in ((gt, gradgradcheck), (torch, torch.autograd.gradgradcheck)):
        x = T.tensor([0.5, -1.0], dtype=T.float64, requires_grad=True)
        assert check(lambda a: (a * a.sin()).sum(), (x,)) is True
        assert check(make_detached_square(T).apply, (x,), raise_exception=False) is False

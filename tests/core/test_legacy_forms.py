"""The legacy and keyword forms the tutorials use, against torch: ``torch.Tensor(...)``,
``autograd.Variable``, ``randn(size=...)``, both ``randint`` forms, PyTorch's argument names
as keywords, and ``torch.accelerator``."""
import numpy as np
import pytest

import gradtrace.core as gt


def _torch():
    return pytest.importorskip("torch")


def _describe(t):
    return (str(t.dtype).replace("torch.", ""), tuple(t.shape), t.requires_grad)


@pytest.mark.parametrize("call,data", [
    (lambda T: T.Tensor([1, 2]), True), (lambda T: T.Tensor([[1, 2], [3, 4]]), True),
    (lambda T: T.Tensor([True]), True), (lambda T: T.Tensor((1.5, 2)), True),
    (lambda T: T.Tensor(np.arange(3)), True), (lambda T: T.Tensor(), True),
    (lambda T: T.Tensor(2, 3), False), (lambda T: T.Tensor(T.Size([2, 1])), False),
])
def test_legacy_constructor_matches_torch(call, data):
    """Data gives those values as the default float dtype; sizes give uninitialised memory in
    PyTorch (zeros here), so only their shape is compared."""
    torch = _torch()
    mine, theirs = call(gt), call(torch)
    assert _describe(mine) == _describe(theirs)
    if data:
        assert mine.tolist() == theirs.tolist()


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value).split("\n")[0]


@pytest.mark.parametrize("call", [
    lambda T: T.Tensor(2.5), lambda T: T.Tensor("a"), lambda T: T.Tensor(-1),
    lambda T: T.Tensor([1, 2], dtype=T.float64), lambda T: T.autograd.Variable([1, 2]),
    lambda T: T.randint(5), lambda T: T.randint(5, 2, (3,)), lambda T: T.randint(5, 3),
    lambda T: T.randn(size=3), lambda T: T.rand(size=2),
])
def test_legacy_errors_match_torch(call):
    torch = _torch()
    got, want = _error(lambda: call(gt)), _error(lambda: call(torch))
    assert got[0] == want[0]
    assert got[1].split(" - got")[0] == want[1].split(" - got")[0]


def test_tensor_of_a_tensor_shares_its_memory():
    a = gt.ones(2)
    b = gt.Tensor(a)
    b[0] = 5.0
    assert a.tolist() == [5.0, 1.0] and b is not a


def test_variable_is_a_tensor_sharing_data():
    torch = _torch()
    for T in (gt, torch):
        a = T.ones(2)
        v = T.autograd.Variable(a)
        w = T.autograd.Variable(a, requires_grad=True)
        assert type(v) is type(a) and v is not a and not v.requires_grad
        assert w.requires_grad and w.is_leaf and not a.requires_grad
        assert isinstance(a, T.autograd.Variable)
        w.data[0] = 3.0
        assert a[0].item() == 3.0


@pytest.mark.parametrize("call", [
    lambda T: T.randn(size=(2, 3)), lambda T: T.rand(size=[4]), lambda T: T.randn(2, 3),
    lambda T: T.randint(10, (3,)), lambda T: T.randint(3, 10, (2, 2)),
    lambda T: T.randint(high=5, size=(3,)), lambda T: T.randint(low=2, high=5, size=(4,)),
    lambda T: T.randint(5, size=(2,)), lambda T: T.randint(3, 10, (2,), dtype=T.float32),
    lambda T: T.randn(3, generator=T.Generator().manual_seed(1)),
    lambda T: T.randint(0, 4, (5,), generator=T.Generator().manual_seed(1)),
])
def test_random_forms_match_torch_in_shape_and_dtype(call):
    torch = _torch()
    mine, theirs = call(gt), call(torch)
    assert _describe(mine) == _describe(theirs)
    if not mine.dtype.is_floating_point or "randint" in repr(call.__code__.co_names):
        lo, hi = (2, 5) if "low" in call.__code__.co_names else (0, 10)
        assert all(lo <= v < hi for v in mine.flatten().tolist())


@pytest.mark.parametrize("call", [
    lambda T, a, b: T.matmul(input=a, other=b.t()), lambda T, a, b: T.mm(a, mat2=b.t()),
    lambda T, a, b: T.add(input=a, other=b, alpha=2), lambda T, a, b: T.sub(a, other=b),
    lambda T, a, b: T.mul(input=a, other=3), lambda T, a, b: T.div(a, other=b),
    lambda T, a, b: T.pow(a, exponent=2), lambda T, a, b: T.maximum(input=a, other=b),
    lambda T, a, b: T.sum(input=a, dim=1, keepdim=True), lambda T, a, b: T.mean(a, dim=0),
    lambda T, a, b: T.softmax(input=a, dim=-1), lambda T, a, b: T.max(a, dim=1, keepdim=True)[0],
    lambda T, a, b: T.reshape(a, shape=(3, 2)), lambda T, a, b: T.permute(a, dims=(1, 0)),
    lambda T, a, b: T.transpose(input=a, dim0=0, dim1=1), lambda T, a, b: T.eq(a, other=b),
    lambda T, a, b: T.true_divide(input=a, other=b), lambda T, a, b: a.add(other=b),
    lambda T, a, b: a.mul(other=b), lambda T, a, b: a.pow(exponent=3),
    lambda T, a, b: a.matmul(other=b.t()), lambda T, a, b: T.add(a, b, out=T.empty(2, 3)),
    lambda T, a, b: T.argmax(input=a, dim=1, keepdim=True),
    lambda T, a, b: T.cat(tensors=[a, b], dim=0), lambda T, a, b: T.dot(a[0], tensor=b[0]),
    lambda T, a, b: T.mv(a, vec=b[0]),
])
def test_pytorch_keyword_names(call):
    torch = _torch()
    rng = np.random.default_rng(0)
    x, y = (rng.standard_normal((2, 3)).astype(np.float32) + 2 for _ in range(2))
    mine, theirs = call(gt, gt.tensor(x), gt.tensor(y)), call(torch, torch.tensor(x),
                                                              torch.tensor(y))
    assert _describe(mine) == _describe(theirs)
    np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-5)


def test_a_keyword_for_a_given_position_is_refused():
    with pytest.raises(TypeError, match="multiple values for argument 'input'"):
        gt.add(gt.ones(2), input=gt.ones(2))


def test_accelerator_answers_as_torch_does_without_a_gpu(monkeypatch):
    torch = _torch()
    monkeypatch.setattr(gt.cuda, "is_available", staticmethod(lambda: False))
    assert gt.accelerator.is_available() is False
    assert gt.accelerator.current_accelerator() is None
    assert gt.accelerator.device_count() == 0
    if not torch.accelerator.is_available():
        assert torch.accelerator.current_accelerator() is None
    monkeypatch.setattr(gt.cuda, "is_available", staticmethod(lambda: True))
    assert repr(gt.accelerator.current_accelerator()) == "device(type='cuda')"

"""Wrong calls fail as in PyTorch: the same exception type and the same first line of text
(compared with torch when it is installed)."""
import warnings

import pytest

import gradtrace.core as gt

ERRORS = {
 "view bad": lambda T: T.ones(2, 3).view(4),
 "view noncontig": lambda T: T.ones(2, 3).t().view(6),
 "reshape bad": lambda T: T.ones(2, 3).reshape(5, -1),
 "sum dim": lambda T: T.ones(2, 3).sum(2),
 "index oob": lambda T: T.ones(2, 3)[2],
 "index oob dim1": lambda T: T.ones(2, 3)[0, 5],
 "too many idx": lambda T: T.ones(2)[0, 0],
 "mm shapes": lambda T: T.ones(2, 3) @ T.ones(2, 3),
 "matmul 0d": lambda T: T.tensor(1.) @ T.ones(2),
 "cat dims": lambda T: T.cat([T.ones(2, 3), T.ones(2, 4)]),
 "cat ndim": lambda T: T.cat([T.ones(2, 3), T.ones(3)]),
 "stack": lambda T: T.stack([T.ones(2), T.ones(3)]),
 "expand": lambda T: T.ones(2, 3).expand(4, 3),
 "permute": lambda T: T.ones(2, 3).permute(0, 0),
 "transpose dim": lambda T: T.ones(2, 3).transpose(0, 3),
 "squeeze dim": lambda T: T.ones(2, 3).squeeze(4),
 "unsqueeze dim": lambda T: T.ones(2, 3).unsqueeze(4),
 "item": lambda T: T.ones(2).item(),
 "bool ambig": lambda T: bool(T.ones(2)),
 "rg int": lambda T: T.ones(2, dtype=T.int64, requires_grad=True),
 "mean int": lambda T: T.tensor([1, 2]).mean(),
 "softmax dim": lambda T: T.ones(2, 3).softmax(3),
 "ce batch": lambda T: T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 1, 2])),
 "ce target oob": lambda T: T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 3])),
 "linear shapes": lambda T: T.nn.functional.linear(T.ones(2, 3), T.ones(4, 5)),
 "mse shape": lambda T: T.nn.functional.mse_loss(T.ones(2, 3), T.ones(3, 2)),
 "tensor ragged": lambda T: T.tensor([[1, 2], [3]]),
 "ones neg": lambda T: T.ones(-1),
 "backward int": lambda T: T.ones(2).sum().backward(),
 "grad none input": lambda T: T.autograd.grad(T.ones(2, requires_grad=True).sum(), T.ones(2)),
 "clamp none": lambda T: T.ones(2).clamp(),
 "gather dims": lambda T: T.ones(2, 3).gather(1, T.tensor([0, 1])),
 "where cond": lambda T: T.where(T.ones(2), T.ones(2), T.ones(2)),
 "flatten args": lambda T: T.ones(2, 3, 4).flatten(2, 1),
 "max empty": lambda T: T.ones(0).max(),
 "numpy rg": lambda T: T.ones(2, requires_grad=True).numpy(),
 "len 0d": lambda T: len(T.tensor(1.)),
 "iter 0d": lambda T: iter(T.tensor(1.)),
 "grad unused": lambda T: T.autograd.grad((T.ones(2, requires_grad=True) * 2).sum(),
                                          [T.ones(1, requires_grad=True)]),
 "grad unused second": lambda T: (lambda x: T.autograd.grad(
     (x * 2).sum(), [x, T.ones(1, requires_grad=True)]))(T.ones(2, requires_grad=True)),
 "out in a graph": lambda T: T.mul(T.ones(2, requires_grad=True), 2, out=T.empty(2)),
 "out narrowing": lambda T: T.mul(T.ones(2), 1.5, out=T.zeros(2, dtype=T.int64)),
 "topk k": lambda T: T.ones(3).topk(4),
 "view of leaf in place": lambda T: T.ones(3, requires_grad=True)[0].mul_(2),
 "overlapping write": lambda T: T.ones(2, 1).expand(2, 3).add_(1),
 "deepcopy non-leaf": lambda T: __import__("copy").deepcopy(T.ones(2, requires_grad=True) * 2),
 "where one value": lambda T: T.where(T.ones(2) > 0, T.ones(2)),
 "fill_ 1d value": lambda T: T.ones(2).fill_(T.ones(2)),
}


def _outcome(T, call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call(T)
        except Exception as exc:  # noqa: BLE001 - the exception is what is compared
            return type(exc).__name__, str(exc).splitlines()[0]
    return "OK", ""


@pytest.mark.parametrize("name", list(ERRORS))
def test_error_matches_torch(name):
    torch = pytest.importorskip("torch")
    assert _outcome(gt, ERRORS[name]) == _outcome(torch, ERRORS[name])


def test_every_case_fails_without_torch_too():
    assert all(_outcome(gt, call)[0] != "OK" for call in ERRORS.values())

"""Type promotion and operator errors across dtypes, 0-d tensors and Python numbers: PyTorch's
rules (category first: float32 with int64 stays float32), not numpy's."""
import itertools

import numpy as np
import pytest

import gradtrace.core as gt

VALUES = {
    "f32": lambda T: T.tensor([1.5, -2.0], dtype=T.float32),
    "f64": lambda T: T.tensor([1.5, -2.0], dtype=T.float64),
    "i64": lambda T: T.tensor([3, -4]),
    "i32": lambda T: T.tensor([3, -4], dtype=T.int32),
    "b": lambda T: T.tensor([True, False]),
    "f32_0d": lambda T: T.tensor(2.5),
    "f64_0d": lambda T: T.tensor(2.5, dtype=T.float64),
    "i64_0d": lambda T: T.tensor(3),
    "b_0d": lambda T: T.tensor(True),
    "py_float": lambda T: 2.5,
    "py_int": lambda T: 3,
}
OPS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
       "div": lambda a, b: a / b, "lt": lambda a, b: a < b, "eq": lambda a, b: a == b}
CASES = [(a, op, b) for a, b in itertools.product(VALUES, repeat=2) for op in OPS
         if not a.startswith("py")]


def _outcome(T, a, op, b):
    try:
        r = OPS[op](VALUES[a](T), VALUES[b](T))
    except (RuntimeError, TypeError) as exc:
        return "error", str(exc)
    return str(r.dtype).replace("torch.", ""), r.tolist()


@pytest.mark.parametrize("a,op,b", CASES, ids=["-".join(c) for c in CASES])
def test_promotion_matches_torch(a, op, b):
    torch = pytest.importorskip("torch")
    ours, theirs = _outcome(gt, a, op, b), _outcome(torch, a, op, b)
    assert ours[0] == theirs[0]
    if ours[0] == "error":
        assert ours[1] == theirs[1]
    else:
        np.testing.assert_allclose(np.asarray(ours[1], float), np.asarray(theirs[1], float),
                                   rtol=1e-6)


def test_promotion_rules_without_torch():
    assert (gt.tensor([1.5]) + gt.tensor([2])).dtype is gt.float32
    assert (gt.tensor([1]) / gt.tensor([2])).dtype is gt.float32
    assert (gt.tensor([1], dtype=gt.int32) + gt.tensor(5)).dtype is gt.int32
    assert (gt.tensor([1.0]) * gt.tensor(2.0, dtype=gt.float64)).dtype is gt.float32
    assert (gt.tensor([True]) + 1).dtype is gt.int64
    assert (gt.tensor([1, 2]) ** 2.5).dtype is gt.float32
    assert (gt.tensor([3, -1, 1, 2]) ** gt.tensor([-2, -3, -1, 2])).tolist() == [0, -1, 1, 4]
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"):
        gt.tensor([True]) - gt.tensor([False])
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
        gt.tensor([1.0]) - gt.tensor([False])
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        gt.tensor([3]) ** -1

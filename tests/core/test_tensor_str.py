"""Tests for core/_tensor_str.py: the printout must equal PyTorch's, character for character.

Stand-in tensors (numpy data plus the attributes the printer reads) are compared with
``repr(torch.tensor(same_array))``; literal strings recorded from torch 2.13 run without torch.
"""
import math

import numpy as np
import pytest

from gradtrace.core import _tensor_str
from gradtrace.core._tensor_str import (
    get_printoptions,
    printoptions,
    set_printoptions,
    tensor_repr,
    tensor_str,
)


class _Dtype:
    def __init__(self, name):
        self.name = name
        self.is_floating_point = name.startswith(("float", "bfloat"))

    def __str__(self):
        return "torch." + self.name


class _Device:
    def __init__(self, type_="cpu", index=None):
        self.type = type_
        self.index = index

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"


class _Node:
    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name


class _GpuArray:
    """Mimics a cupy array: the printer must fetch it with ``.get()``."""

    def __init__(self, array):
        self._array = array

    def get(self):
        return self._array


class StandIn:
    """The attributes of an engine Tensor that the printer reads, built from a numpy array."""

    def __init__(self, array, requires_grad=False, grad_fn=None, device=None):
        array = np.asarray(array)
        self._data = array
        self.dtype = _Dtype(array.dtype.name)
        self.device = device or _Device()
        self.requires_grad = requires_grad or grad_fn is not None
        self.grad_fn = None if grad_fn is None else _Node(grad_fn)
        self.is_leaf = grad_fn is None


@pytest.fixture(autouse=True)
def _default_printoptions():
    set_printoptions(profile="default")
    yield
    set_printoptions(profile="default")
    try:
        import torch
    except ImportError:
        return
    torch.set_printoptions(profile="default")


# ---------------------------------------------------------------- literal strings (no torch)

LITERAL_CASES = [
    (np.array([1., 2., 3.], np.float32), "tensor([1., 2., 3.])"),
    (np.array([[1.5, -2.0], [3.0, 4.0]], np.float32),
     "tensor([[ 1.5000, -2.0000],\n        [ 3.0000,  4.0000]])"),
    (np.array([1e-5, 1.0, 1e5], np.float32), "tensor([1.0000e-05, 1.0000e+00, 1.0000e+05])"),
    (np.array([np.nan, np.inf, -np.inf, 1.5], np.float32), "tensor([   nan,    inf,   -inf, 1.5000])"),
    (np.array([-0., 1.], np.float32), "tensor([-0., 1.])"),
    (np.array(3.25, np.float32), "tensor(3.2500)"),
    (np.array([True, False]), "tensor([ True, False])"),
    (np.array(True), "tensor(True)"),
    (np.array([[1, -20], [300, 4]]), "tensor([[  1, -20],\n        [300,   4]])"),
    (np.array([1.25, 2.5]), "tensor([1.2500, 2.5000], dtype=torch.float64)"),
    (np.array([0.1, 1000.0], np.float16), "tensor([9.9976e-02, 1.0000e+03], dtype=torch.float16)"),
    (np.array([1, 2], np.int32), "tensor([1, 2], dtype=torch.int32)"),
    (np.array([[[[1, 2]]]], np.uint8), "tensor([[[[1, 2]]]], dtype=torch.uint8)"),
    (np.zeros(0, np.float32), "tensor([])"),
    (np.zeros((0, 3), np.float32), "tensor([], size=(0, 3))"),
    (np.zeros(0, np.int64), "tensor([], dtype=torch.int64)"),
    (np.arange(2000, dtype=np.float32),
     "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
     "        1.9990e+03])"),
    (np.arange(1200).reshape(40, 30),
     "tensor([[   0,    1,    2,  ...,   27,   28,   29],\n"
     "        [  30,   31,   32,  ...,   57,   58,   59],\n"
     "        [  60,   61,   62,  ...,   87,   88,   89],\n"
     "        ...,\n"
     "        [1110, 1111, 1112,  ..., 1137, 1138, 1139],\n"
     "        [1140, 1141, 1142,  ..., 1167, 1168, 1169],\n"
     "        [1170, 1171, 1172,  ..., 1197, 1198, 1199]])"),
    (np.arange(30, dtype=np.float32) / np.float32(7),
     "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n"
     "        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n"
     "        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n"
     "        3.8571, 4.0000, 4.1429])"),
    (np.arange(12, dtype=np.float32).reshape(2, 2, 3),
     "tensor([[[ 0.,  1.,  2.],\n         [ 3.,  4.,  5.]],\n\n"
     "        [[ 6.,  7.,  8.],\n         [ 9., 10., 11.]]])"),
    (np.array([1 + 2j, 3 - 0.5j], np.complex64), "tensor([1.+2.0000j, 3.-0.5000j])"),
]


@pytest.mark.parametrize("array, expected", LITERAL_CASES)
def test_literal_printout(array, expected):
    t = StandIn(array)
    assert tensor_repr(t) == expected
    assert tensor_str(t) == expected


@pytest.mark.parametrize("kwargs, expected", [
    (dict(requires_grad=True), "tensor([1., 2.], requires_grad=True)"),
    (dict(grad_fn="MulBackward0"), "tensor([1., 2.], grad_fn=<MulBackward0>)"),
    (dict(device=_Device("cuda", 0)), "tensor([1., 2.], device='cuda:0')"),
    (dict(device=_Device("cuda", 0), grad_fn="AddBackward0"),
     "tensor([1., 2.], device='cuda:0', grad_fn=<AddBackward0>)"),
])
def test_literal_suffixes(kwargs, expected):
    assert tensor_repr(StandIn(np.array([1., 2.], np.float32), **kwargs)) == expected


def test_literal_suffixes_wrap_to_a_new_line():
    t = StandIn(np.linspace(-3, 3, 8).astype(np.float32), grad_fn="MulBackward0")
    assert tensor_repr(t) == (
        "tensor([-3.0000, -2.1429, -1.2857, -0.4286,  0.4286,  1.2857,  2.1429,  3.0000],\n"
        "       grad_fn=<MulBackward0>)")
    t = StandIn(np.linspace(-3, 3, 9), grad_fn="MulBackward0")
    assert tensor_repr(t) == (
        "tensor([-3.0000, -2.2500, -1.5000, -0.7500,  0.0000,  0.7500,  1.5000,  2.2500,\n"
        "         3.0000], dtype=torch.float64, grad_fn=<MulBackward0>)")
    t = StandIn(np.arange(12.) / 3, requires_grad=True)
    assert tensor_repr(t) == (
        "tensor([0.0000, 0.3333, 0.6667, 1.0000, 1.3333, 1.6667, 2.0000, 2.3333, 2.6667,\n"
        "        3.0000, 3.3333, 3.6667], dtype=torch.float64, requires_grad=True)")


def test_gpu_data_is_fetched_with_get():
    t = StandIn(np.array([[1, 2], [3, 4]]), device=_Device("cuda", 0))
    t._data = _GpuArray(t._data)
    assert tensor_repr(t) == "tensor([[1, 2],\n        [3, 4]], device='cuda:0')"


def test_literal_printoptions():
    set_printoptions(threshold=5, edgeitems=0)
    assert tensor_repr(StandIn(np.arange(10))) == "tensor([...], size=(10,))"
    assert tensor_repr(StandIn(np.arange(12.).astype(np.float32).reshape(3, 4))) == (
        "tensor([...], size=(3, 4))")
    set_printoptions(profile="default", precision=2, sci_mode=True)
    assert tensor_repr(StandIn(np.array([1.2345, 2.], np.float32))) == "tensor([1.23e+00, 2.00e+00])"


def test_get_and_set_printoptions_round_trip():
    assert get_printoptions() == dict(precision=4, threshold=1000, edgeitems=3, linewidth=80,
                                      sci_mode=None)
    set_printoptions(profile="full", precision=6)
    assert get_printoptions()["threshold"] == math.inf
    assert get_printoptions()["precision"] == 6
    set_printoptions(sci_mode=True)
    assert get_printoptions()["sci_mode"] is True
    set_printoptions(precision=3)  # sci_mode not given: back to None, as in torch
    assert get_printoptions()["sci_mode"] is None
    with printoptions(precision=1, linewidth=20):
        assert tensor_repr(StandIn(np.array([1.25], np.float32))) == "tensor([1.2])"
    assert get_printoptions()["precision"] == 3 and _tensor_str.PRINT_OPTS.linewidth == 80


# ---------------------------------------------------------------- compared with torch

def _comparison_arrays():
    """Return ``(id, array)`` pairs covering scales, shapes, dtypes and special values."""
    rng = np.random.default_rng(20240613)
    cases = []
    shapes = [(), (1,), (5,), (3, 4), (2, 3, 4), (2, 2, 2, 3)]
    for exponent in range(-9, 10):
        scale = 10.0 ** exponent
        for shape in shapes:
            values = rng.standard_normal(shape) * scale
            cases.append((f"normal-1e{exponent}-{shape}", values.astype(np.float32)))
        cases.append((f"normal-1e{exponent}-f64", rng.standard_normal((4, 3)) * scale))
        with np.errstate(over="ignore"):  # from 1e5 on, some values overflow to inf
            cases.append((f"normal-1e{exponent}-f16",
                          (rng.standard_normal(6) * scale).astype(np.float16)))
        cases.append((f"uniform-1e{exponent}", (rng.uniform(0, 1, 7) * scale).astype(np.float32)))
        cases.append((f"whole-1e{exponent}",
                      np.round(rng.standard_normal(5) * scale).astype(np.float32)))
    cases.append(("mixed-magnitudes", np.array([1e-3, 1.0, 2.0, 999.0], np.float32)))
    cases.append(("ratio-just-over-1000", np.array([1.0, 1000.5], np.float32)))
    cases.append(("max-1e8", np.array([1e8, 1.0], np.float32)))
    cases.append(("max-over-1e8", np.array([2e8, 1e6], np.float32)))
    cases.append(("min-1e-4", np.array([1e-4, 0.05], np.float32)))
    for name, special in [("nan", np.nan), ("inf", np.inf), ("-inf", -np.inf)]:
        cases.append((f"all-{name}", np.full((2, 3), special, np.float32)))
        cases.append((f"{name}-with-normal",
                      np.append(rng.standard_normal(5), special).astype(np.float32)))
        cases.append((f"{name}-with-whole", np.array([1.0, special, -3.0], np.float32)))
        cases.append((f"{name}-with-tiny", np.array([1e-7, special, 2e-7], np.float32)))
        cases.append((f"{name}-scalar", np.array(special, np.float32)))
    cases += [
        ("nan-inf-zero", np.array([np.nan, np.inf, 0.0, -np.inf], np.float32)),
        ("zeros", np.zeros((2, 2), np.float32)),
        ("neg-zero", np.array([-0.0, 0.0, 1.0], np.float32)),
        ("neg-zero-frac", np.array([-0.0, 0.5], np.float32)),
        ("neg-zero-only", np.array([-0.0], np.float32)),
        ("neg-zero-scalar", np.array(-0.0, np.float32)),
        ("neg-zero-sci", np.array([-0.0, 1e-6], np.float32)),
        ("whole-big", np.array([1e9, 2e9, -3e9], np.float32)),
        ("whole-neg", np.array([-1.0, -20.0, 300.0], np.float32)),
        ("whole-f64", np.arange(6.0).reshape(2, 3)),
        ("whole-f16", np.array([1.0, 2048.0, -7.0], np.float16)),
        ("f16-max", np.array([65504.0, 1.0], np.float16)),
        ("f16-tiny", np.array([6e-8, 1e-3], np.float16)),
        ("f16-nan", np.array([np.nan, 0.5], np.float16)),
        ("f64-precise", np.array([1 / 3, 2 / 3, 1e-12])),
        ("scalar-f32", np.array(-12.5, np.float32)),
        ("scalar-f64", np.array(1e10)),
        ("scalar-whole", np.array(7.0, np.float32)),
        ("scalar-tiny", np.array(1e-20, np.float32)),
        ("scalar-int", np.array(-42)),
        ("scalar-false", np.array(False)),
        ("int-range", np.arange(-5, 5)),
        ("int-big", np.array([2 ** 62, -(2 ** 62), 1])),
        ("int-2d", rng.integers(-1000, 1000, (4, 5))),
        ("int-3d", rng.integers(0, 10, (2, 3, 4))),
        ("int-4d", rng.integers(-3, 3, (2, 2, 2, 2))),
        ("int32", np.array([[1, 2], [3, -4]], np.int32)),
        ("int16", np.array([300, -300], np.int16)),
        ("int8", np.array([-128, 127], np.int8)),
        ("uint8", np.array([0, 255], np.uint8)),
        ("bool-1d", np.array([True, False, True])),
        ("bool-all-true", np.array([True, True])),
        ("bool-2d", rng.random((3, 4)) > 0.5),
        ("wrap-f32", rng.standard_normal(40).astype(np.float32)),
        ("wrap-sci", (rng.standard_normal(25) * 1e6).astype(np.float32)),
        ("wrap-int", np.arange(100)),
        ("wrap-2d", rng.standard_normal((3, 15)).astype(np.float32)),
        ("wrap-3d", rng.standard_normal((2, 2, 12)).astype(np.float32)),
        ("wrap-bool", rng.random(30) > 0.5),
        ("summ-1d", rng.standard_normal(2000).astype(np.float32)),
        ("summ-1001", np.arange(1001, dtype=np.float32)),
        ("summ-exactly-1000", np.arange(1000, dtype=np.float32)),
        ("summ-2d", rng.standard_normal((50, 50)).astype(np.float32)),
        ("summ-2d-narrow", rng.standard_normal((500, 4)).astype(np.float32)),
        ("summ-2d-wide", rng.standard_normal((4, 500)).astype(np.float32)),
        ("summ-3d", rng.standard_normal((10, 10, 20)).astype(np.float32)),
        ("summ-4d", rng.standard_normal((4, 5, 6, 10)).astype(np.float32)),
        ("summ-hidden-extremes", np.concatenate([np.ones(3), np.full(1000, 1e9),
                                                 np.ones(3)]).astype(np.float32)),
        ("summ-int", rng.integers(-10 ** 6, 10 ** 6, (40, 30))),
        ("summ-bool", rng.random((30, 40)) > 0.5),
        ("summ-f64", rng.standard_normal((20, 60))),
        ("summ-nan", np.where(rng.random(1500) > 0.5, np.nan, 1.5).astype(np.float32)),
        ("empty-1d", np.zeros(0, np.float32)),
        ("empty-2d", np.zeros((0, 3), np.float32)),
        ("empty-3d", np.zeros((2, 0, 4), np.float32)),
        ("empty-int", np.zeros((0,), np.int64)),
        ("empty-int-2d", np.zeros((3, 0), np.int64)),
        ("empty-bool", np.zeros(0, bool)),
        ("empty-f64", np.zeros((0, 2))),
        ("empty-f16", np.zeros(0, np.float16)),
        ("complex64", (rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3)))
         .astype(np.complex64)),
        ("complex128-whole", np.array([1 + 2j, -3 - 0j, 0.5j])),
        ("complex-summ", (rng.standard_normal(1200) * 1e5 + 1j).astype(np.complex64)),
    ]
    return cases


COMPARISON_CASES = _comparison_arrays()

# print options applied to every case of a subset; each dict is passed to both libraries
OPTION_SETS = [
    dict(precision=2), dict(precision=8), dict(precision=0), dict(sci_mode=True),
    dict(sci_mode=False), dict(linewidth=40), dict(linewidth=200), dict(linewidth=10),
    dict(threshold=10), dict(threshold=10, edgeitems=1), dict(threshold=10, edgeitems=0),
    dict(edgeitems=5), dict(profile="short"), dict(profile="full"),
]
OPTION_CASES = [case for i, case in enumerate(COMPARISON_CASES) if i % 9 == 0
                or case[0].startswith(("summ", "wrap", "empty", "neg-zero", "nan", "whole"))]


def _assert_same_as_torch(torch, array, **kwargs):
    expected = torch.tensor(array)
    if kwargs.get("requires_grad"):
        expected.requires_grad_()
    if kwargs.get("grad_fn"):
        expected = torch.tensor(array, requires_grad=True) * 1
    assert tensor_repr(StandIn(array, **kwargs)) == repr(expected)


@pytest.mark.parametrize("array", [a for _, a in COMPARISON_CASES],
                         ids=[name for name, _ in COMPARISON_CASES])
def test_matches_torch(array):
    torch = pytest.importorskip("torch")
    _assert_same_as_torch(torch, array)


@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda d: ",".join(f"{k}={v}" for k, v in d.items()))
@pytest.mark.parametrize("array", [a for _, a in OPTION_CASES], ids=[name for name, _ in OPTION_CASES])
def test_matches_torch_with_printoptions(array, options):
    torch = pytest.importorskip("torch")
    torch.set_printoptions(**options)
    set_printoptions(**options)
    _assert_same_as_torch(torch, array)


FLOAT_CASES = [(name, a) for name, a in COMPARISON_CASES if a.dtype.kind in "fc"]


@pytest.mark.parametrize("suffix", [dict(requires_grad=True), dict(grad_fn="MulBackward0")],
                         ids=["requires_grad", "grad_fn"])
@pytest.mark.parametrize("array", [a for _, a in FLOAT_CASES], ids=[name for name, _ in FLOAT_CASES])
def test_matches_torch_with_autograd_suffix(array, suffix):
    torch = pytest.importorskip("torch")
    _assert_same_as_torch(torch, array, **suffix)


def test_get_printoptions_matches_torch():
    torch = pytest.importorskip("torch")
    from torch._tensor_str import get_printoptions as torch_get_printoptions
    for options in OPTION_SETS + [dict(profile="default")]:
        torch.set_printoptions(**options)
        set_printoptions(**options)
        assert get_printoptions() == torch_get_printoptions()


@pytest.mark.parametrize("array", [np.array([1.5, 2.0]), np.array([1.5, 2.0], np.float32),
                                   np.zeros(0), np.zeros((0, 2), np.float32),
                                   np.array([1 + 1j, 2j]), np.array([1j], np.complex64),
                                   np.array([1, 2]), np.array([True])],
                         ids=["f64", "f32", "empty-f64", "empty-f32", "c128", "c64", "int", "bool"])
def test_matches_torch_under_float64_default(array):
    torch = pytest.importorskip("torch")
    engine_dtype = pytest.importorskip("gradtrace.core._dtype")
    old = engine_dtype.get_default_dtype()
    engine_dtype.set_default_dtype(engine_dtype.float64)
    torch.set_default_dtype(torch.float64)
    try:
        assert tensor_repr(StandIn(array)) == repr(torch.tensor(array))
    finally:
        engine_dtype.set_default_dtype(old)
        torch.set_default_dtype(torch.float32)


# ---------------------------------------------------------------- through the real engine

ENGINE_EXPRESSIONS = [
    "lib.tensor([[1.5, -2.0], [3.0, 4.0]])",
    "lib.tensor([1.0, 2.0], requires_grad=True)",
    "lib.tensor([1.0, 2.0], requires_grad=True) * 3",
    "(lib.tensor([[1.0, 2.0], [3.0, 4.5]], requires_grad=True) + 1).sum()",
    "lib.tensor([1e-6, 1.0, 20.0], dtype=lib.float64, requires_grad=True).exp()",
    "lib.tensor(2.5)",
    "lib.tensor([1, 2, 3])",
    "lib.tensor([True, False])",
    "lib.tensor([-0.0, float('nan'), float('inf')])",
    "lib.zeros(0, 3)",
    "lib.ones(40, 30)",
    "lib.arange(2000.0)",
]


@pytest.mark.parametrize("expression", ENGINE_EXPRESSIONS)
def test_engine_tensor_prints_like_torch(expression):
    torch = pytest.importorskip("torch")
    import gradtrace.core as lib
    ours = eval(expression, {"lib": lib})
    assert repr(ours) == str(ours) == repr(eval(expression, {"lib": torch}))


def test_engine_reexports_printoptions():
    torch = pytest.importorskip("torch")
    import gradtrace.core as lib
    lib.set_printoptions(precision=2, linewidth=30)
    torch.set_printoptions(precision=2, linewidth=30)
    values = [[1 / 3, 2 / 3, 1.0, 4 / 3, 5 / 3, 2.0, 7 / 3]] * 2
    assert repr(lib.tensor(values)) == repr(torch.tensor(values))
    assert lib.get_printoptions() == get_printoptions()

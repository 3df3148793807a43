"""The CuPy path without a GPU (tests/core/fake_cupy.py plays CuPy): how many kernels the
engine launches against the same workload written by hand in CuPy (the benchmark's own
workloads), and that the hot paths never copy between host and device (each copy waits for the
GPU's queued work). On a GPU small tensors are bound by these launches and waits."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

import gradtrace.core as torch
import gradtrace.core.nn.functional as F

from . import fake_cupy

ROOT = Path(__file__).resolve().parents[2]


def _load(name):
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def bench():
    """benchmarks/engine.py, for its workloads (gradtrace and hand-written versions)."""
    return _load("engine")


@pytest.fixture(scope="module")
def launches():
    """benchmarks/launches.py, for the workloads' inputs on the counting device."""
    return _load("launches")


@pytest.fixture
def cp(monkeypatch):
    cp = fake_cupy.install(monkeypatch)
    yield cp
    torch.set_default_device("cpu")


def counted(fn, *args):
    """(result, counts) of one call after a warm-up call (caches filled as in a loop)."""
    fn(*args)
    fake_cupy.reset()
    result = fn(*args)
    return result, dict(fake_cupy.counts)


def transfers(counts):
    return {k: v for k, v in counts.items() if k.endswith("_to_host") or k.endswith("_to_device")}


# ---------------------------------------------------------------- the double itself
def test_double_refuses_what_cupy_refuses(cp):
    a = cp.ones((2, 2), dtype=np.float32)
    with pytest.raises(TypeError, match="Implicit conversion to a NumPy array is not allowed"):
        np.asarray(a)
    with pytest.raises(TypeError, match="Unsupported type"):
        cp.add(a, np.ones((2, 2)))
    assert type(a.sum()) is cp.ndarray          # reductions stay on the device
    assert fake_cupy.counts["launch"] == 2      # ones and sum; the refused add never ran
    float(a.sum())
    assert fake_cupy.counts["device_to_host"] == 1


# ---------------------------------------------------------------- launches per workload
def test_chain_launches_as_many_kernels_as_hand_written_cupy(cp, bench):
    ops = bench.chain_ops(40)
    x0 = np.random.default_rng(0).random((2, 2), dtype=np.float32)
    with fake_cupy.uncounted():
        xr = cp.asarray(x0)
        xt = torch.tensor(x0, device="cuda", requires_grad=True)
    (s_raw, g_raw), raw = counted(bench.chain_raw, cp, xr, ops)
    (s_gt, g_gt), gt = counted(bench.chain_lib, torch, xt, ops)
    assert gt["launch"] == raw["launch"], (gt, raw)
    assert transfers(gt) == {}
    np.testing.assert_allclose(g_gt._data.get(), g_raw.get(), rtol=1e-5)


def test_mlp_step_launches_at_most_two_kernels_more_than_hand_written(cp, bench, launches):
    """The two: the root gradient's ``ones`` (the hand-written step folds it into the NLL
    gradient) and log-softmax's backward taking the NLL gradient as any gradient (``g - exp(r)
    * sum(g)``, PyTorch's two nodes) where the hand-written one subtracts 1 at the targets."""
    lib_args, raw_args = launches.mlp_inputs(torch, cp, 32)
    (loss_raw, g_raw), raw = counted(bench.mlp_raw, cp, *raw_args)
    (loss_gt, g_gt), gt = counted(bench.mlp_lib, F, *lib_args)
    assert gt["launch"] <= raw["launch"] + 2, (sorted(gt.items()), sorted(raw.items()))
    assert gt.get("arange", 0) == 0       # the rows of the NLL are made once, not per step
    assert transfers(gt) == {}
    np.testing.assert_allclose(float(loss_gt._data), float(loss_raw), rtol=1e-5)
    for a, b in zip(g_gt, g_raw):
        np.testing.assert_allclose(a._data.get(), b.get(), rtol=1e-4, atol=1e-6)


def test_tutorial_on_the_gpu_copies_nothing_between_host_and_device(cp):
    torch.set_default_device("cuda")
    fake_cupy.reset()
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    out.backward()
    assert transfers(fake_cupy.counts) == {}
    assert x.grad.device.type == "cuda"
    np.testing.assert_allclose(x.grad.cpu().numpy(), np.full((2, 2), 4.5))


# ---------------------------------------------------------------- no host copies
def test_creation_on_the_gpu_matches_the_cpu(cp):
    cases = [("zeros", (3, 4), {}), ("ones", (2,), {"dtype": torch.float64}),
             ("full", ((2, 3), 7), {}), ("eye", (3, 4), {}), ("arange", (5,), {}),
             ("arange", (0.0, 1.0, 0.25), {}), ("linspace", (0, 1, 5), {})]
    for name, args, kw in cases:
        fake_cupy.reset()
        on_gpu = getattr(torch, name)(*args, device="cuda", **kw)
        assert transfers(fake_cupy.counts) == {}, name
        on_cpu = getattr(torch, name)(*args, **kw)
        assert on_gpu.device.type == "cuda" and on_gpu.dtype == on_cpu.dtype, name
        np.testing.assert_array_equal(on_gpu.cpu().numpy(), on_cpu.numpy())


def test_python_numbers_as_operands_are_not_copied_from_the_host(cp):
    with fake_cupy.uncounted():
        a = torch.tensor([[-1.0, 2.0], [3.0, -4.0]], device="cuda", requires_grad=True)
    fake_cupy.reset()
    y = torch.where(a > 0, a, 0.0) + torch.maximum(a, a * 0.5).clamp(min=-1.0)
    y.sum().backward()
    assert transfers(fake_cupy.counts) == {}
    np.testing.assert_allclose(a.grad.cpu().numpy(), [[0.5, 2.0], [2.0, 0.0]])

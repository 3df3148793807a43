"""Devices: CPU semantics everywhere, and the whole op table on the GPU (CuPy) when one is
there, compared with the CPU engine. GPU cases are marked ``gpu`` and skip without a GPU."""
import numpy as np
import pytest

import gradtrace.core as torch
from tests.core.opcases import CASES, make_inputs

HAS_GPU = torch.cuda.is_available()
gpu = pytest.mark.skipif(not HAS_GPU, reason="needs CuPy and a CUDA GPU")
DEVICES = ["cpu", pytest.param("cuda", marks=[pytest.mark.gpu, gpu])]


def test_cpu_device_printing():
    t = torch.ones(2)
    assert repr(t.device) == "device(type='cpu')" and str(t.device) == "cpu"
    assert repr(torch.device("cuda", 0)) == "device(type='cuda', index=0)"
    assert torch.device("cuda:1").index == 1
    assert torch.get_default_device() == torch.device("cpu")


@pytest.mark.skipif(HAS_GPU, reason="checks the message shown where no GPU is usable")
def test_cuda_without_cupy_or_gpu_says_what_is_missing():
    assert torch.cuda.is_available() is False and torch.cuda.device_count() == 0
    assert torch.cuda.unavailable_reason()
    with pytest.raises(RuntimeError, match="CuPy"):
        torch.ones(2).cuda()
    with pytest.raises(RuntimeError, match="CuPy"):
        torch.set_default_device("cuda")


@pytest.mark.parametrize("device", DEVICES)
def test_results_and_grads_stay_on_device(device):
    x = torch.ones(2, 2, requires_grad=True, device=device)
    out = ((x + 2) * (x + 2) * 3).mean()
    assert out.device == torch.device(device) or out.device.type == device
    out.backward()
    assert x.grad.device.type == device
    assert x.grad.tolist() == [[4.5, 4.5], [4.5, 4.5]]


@gpu
@pytest.mark.gpu
def test_mixing_devices_raises_pytorch_error():
    with pytest.raises(RuntimeError, match=r"^Expected all tensors to be on the same device, but found at least two devices, (cuda:0 and cpu|cpu and cuda:0)!$"):
        torch.ones(2, device="cuda") + torch.ones(2)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        torch.ones(2, 2, device="cuda") @ torch.ones(2, 2)


@gpu
@pytest.mark.gpu
def test_gpu_printing_and_moves():
    t = torch.tensor([1.0, 2.0], device="cuda")
    assert repr(t) == "tensor([1., 2.], device='cuda:0')"
    assert repr(t.device) == "device(type='cuda', index=0)"
    x = torch.ones(3, requires_grad=True)
    y = x.cuda() * 2
    assert y.grad_fn.name() == "MulBackward0"
    assert y.grad_fn.next_functions[0][0].name() == "ToCopyBackward0"
    y.sum().backward()
    assert x.grad.device.type == "cpu" and x.grad.tolist() == [2.0, 2.0, 2.0]
    assert y.cpu().device.type == "cpu"


@gpu
@pytest.mark.gpu
def test_default_device_runs_a_script_on_the_gpu():
    torch.set_default_device("cuda")
    try:
        x = torch.ones(2, 2, requires_grad=True)
        assert x.device.type == "cuda"
        (x * x).sum().backward()
        assert x.grad.device.type == "cuda"
    finally:
        torch.set_default_device("cpu")


@gpu
@pytest.mark.gpu
@pytest.mark.parametrize("name,fn,shapes,kind", CASES, ids=[c[0] for c in CASES])
def test_op_on_gpu_matches_cpu(name, fn, shapes, kind):
    arrays = make_inputs(shapes, kind, seed=len(name), dtype=np.float32)

    def run(device):
        torch.set_default_device(device)  # tensors the case makes itself (targets) go there too
        try:
            xs = [torch.tensor(a, requires_grad=True) for a in arrays]
            y = fn(torch, *xs)
            w = np.random.default_rng(1).standard_normal(tuple(y.shape)).astype(np.float32)
            y.backward(torch.tensor(w))
        finally:
            torch.set_default_device("cpu")
        return y, xs
    cy, cx = run("cpu")
    gy, gx = run("cuda")
    assert gy.device.type == "cuda" and gy.grad_fn.name() == cy.grad_fn.name()
    np.testing.assert_allclose(gy.detach().cpu().numpy(), cy.detach().numpy(), rtol=1e-4, atol=1e-5)
    for a, b in zip(gx, cx):
        assert a.grad.device.type == "cuda"
        np.testing.assert_allclose(a.grad.cpu().numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-5)

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


# ---------------------------------------------------------------- CPU scalars and mixed devices
@gpu
@pytest.mark.gpu
def test_cpu_scalars_join_gpu_tensors_as_in_pytorch():
    """A 0-d CPU tensor may be an operand of an elementwise op on the GPU; its gradient comes
    back to the CPU, and the node points at the scalar's own AccumulateGrad."""
    x = torch.tensor([1.0, 2.0], device="cuda", requires_grad=True)
    w = torch.tensor(3.0, requires_grad=True)
    y = x * w + torch.tensor(1.0)
    assert y.device.type == "cuda"
    mul = y.grad_fn.next_functions[0][0]
    assert mul.name() == "MulBackward0"
    assert mul.next_functions[1][0].variable is w                 # no copy node in between
    assert y.grad_fn.next_functions[1] == (None, 0)               # the constant scalar
    y.sum().backward()
    assert w.grad.device.type == "cpu" and w.grad.item() == 3.0   # 1 + 2
    assert x.grad.device.type == "cuda" and x.grad.tolist() == [3.0, 3.0]
    a = torch.tensor(1.5, requires_grad=True)
    (g,) = torch.autograd.grad((x * a ** 2).sum(), a, create_graph=True)
    assert g.device.type == "cpu" and g.item() == pytest.approx(9.0)   # 2a * sum(x)
    (g2,) = torch.autograd.grad(g, a)
    assert g2.item() == pytest.approx(6.0)
    c = torch.ones(3, device="cuda")
    assert (c == torch.tensor(1.0)).all().item()
    assert torch.where(c > 0, c, torch.tensor(0.0)).device.type == "cuda"
    assert c.clamp(min=torch.tensor(2.0)).tolist() == [2.0, 2.0, 2.0]
    assert (torch.tensor(2.0) ** c).tolist() == [2.0, 2.0, 2.0]
    assert c.masked_fill(torch.tensor(True), 0.5).tolist() == [0.5, 0.5, 0.5]
    c.add_(torch.tensor(1.0))
    assert c.tolist() == [2.0, 2.0, 2.0]


MIXED = {
    "add": lambda c, h: c(2) + h(2),
    "add_cpu_first": lambda c, h: h(2) + c(2),
    "where_other": lambda c, h: torch.where(c(2) > 0, c(2), h(2)),
    "where_condition": lambda c, h: torch.where(h(2) > 0, c(2), c(2)),
    "masked_fill_mask": lambda c, h: c(2).masked_fill(h(2) > 0, 0.0),
    "clamp_tensor": lambda c, h: c(2).clamp(min=h(2)),
    "maximum": lambda c, h: torch.maximum(c(2), h(2)),
    "eq": lambda c, h: c(2) == h(2),
    "cat": lambda c, h: torch.cat([c(2), h(2)]),
    "stack": lambda c, h: torch.stack([c(2), h(2)]),
    "matmul": lambda c, h: c(2, 2) @ h(2, 2),
    "linear": lambda c, h: torch.nn.functional.linear(c(3, 2), h(4, 2)),
    "mse_loss": lambda c, h: torch.nn.functional.mse_loss(c(2), h(2)),
    "bce_with_logits": lambda c, h: torch.nn.functional.binary_cross_entropy_with_logits(c(2), h(2)),
    "layer_norm_weight": lambda c, h: torch.nn.functional.layer_norm(c(2, 3), (3,), h(3), h(3)),
    "gather_index": lambda c, h: c(3, 4).gather(1, torch.tensor([[0], [1], [2]])),
    "embedding_indices": lambda c, h: torch.nn.functional.embedding(torch.tensor([0, 1]), c(3, 2)),
    "cross_entropy_target": lambda c, h: torch.nn.functional.cross_entropy(c(3, 4), torch.tensor([0, 1, 2])),
    "add_": lambda c, h: c(2).add_(h(2)),
}


@gpu
@pytest.mark.gpu
@pytest.mark.parametrize("name", list(MIXED))
def test_mixing_devices_raises_pytorchs_error_everywhere(name):
    def c(*shape):
        return torch.ones(*shape, device="cuda")

    def h(*shape):
        return torch.ones(*shape)
    with pytest.raises(RuntimeError, match=r"^Expected all tensors to be on the same device, but "
                                           r"found at least two devices, (cuda:0 and cpu|cpu and "
                                           r"cuda:0)!$"):
        MIXED[name](c, h)


@gpu
@pytest.mark.gpu
def test_indexing_and_writes_across_devices():
    c = torch.arange(4.0, device="cuda")
    assert c[torch.tensor([0, 2])].tolist() == [0.0, 2.0]        # CPU indices for a GPU tensor
    with pytest.raises(RuntimeError, match=r"^indices should be either on cpu or on the same "
                                           r"device as the indexed tensor \(cpu\)$"):
        torch.arange(4.0)[torch.tensor([0, 2], device="cuda")]
    c[1:3] = torch.tensor([7.0, 8.0])                           # written across devices (copy_)
    assert c.tolist() == [0.0, 7.0, 8.0, 3.0]
    h = torch.zeros(3)
    h[torch.tensor([0, 2])] = torch.ones(2, device="cuda") * 3
    assert h.tolist() == [3.0, 0.0, 3.0]
    x = torch.ones(3, device="cuda", requires_grad=True)
    w = torch.tensor(5.0, requires_grad=True)
    a = x * 1
    a[0] = w
    (a * 2).sum().backward()
    assert a.grad_fn.name() == "torch::autograd::CopySlices"
    assert w.grad.device.type == "cpu" and w.grad.item() == 2.0
    assert x.grad.tolist() == [0.0, 2.0, 2.0]


@gpu
@pytest.mark.gpu
def test_gpu_tensor_facts():
    t = torch.ones(2, 3, device="cuda")
    assert t.type() == "torch.cuda.FloatTensor" and t.get_device() == 0
    assert t.type("torch.DoubleTensor").device.type == "cpu"
    assert torch.ones(2).type("torch.cuda.LongTensor").device.type == "cuda"
    assert torch.ones(2).type_as(t).device.type == "cuda"
    n = t.new_zeros(4)
    assert n.device.type == "cuda" and n.dtype == torch.float32
    mask = torch.tensor([[0.0, 1.0], [2.0, 0.0]], device="cuda")
    assert mask.nonzero().device.type == "cuda" and mask.nonzero().tolist() == [[0, 1], [1, 0]]
    assert [r.tolist() for r in torch.where(mask > 0)] == [[0, 1], [1, 0]]
    assert isinstance(torch.cuda.get_device_name(), str) and torch.cuda.get_device_name(0)
    torch.cuda.manual_seed(3)
    first = torch.randn(4, device="cuda").tolist()
    torch.cuda.manual_seed_all(3)
    assert torch.randn(4, device="cuda").tolist() == first
    held = torch.cuda.memory_allocated()
    big = torch.ones(1 << 16, device="cuda")
    assert torch.cuda.memory_allocated() >= held + big.numel() * 4
    del big
    torch.cuda.empty_cache()


VIEW_CASES = [((2, 3, 4), 2, 2, (2, 3, 2)), ((2, 8), 2, 1, (2, 2, 2)), ((4, 6), 2, 0, (12,)),
              ((2, 8), 2, 1, (4, 2)), ((2, 3, 4), 2, 2, (6, 2)), ((2, 6), 2, 1, (6,))]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape, chunks, dim, new", VIEW_CASES)
def test_view_of_a_chunk_as_pytorch_on_every_device(device, shape, chunks, dim, new):
    """``.view`` of a non-contiguous piece works exactly where PyTorch's stride rule allows
    it (a device array's strides answer as a host one's; under the fake CuPy this failed for
    every non-contiguous piece), and the gradient flows back into the right entries."""
    real = pytest.importorskip("torch")
    results = []
    for t, dev in ((real, "cpu"), (torch, device)):
        x = t.arange(float(np.prod(shape)), device=dev).reshape(*shape).requires_grad_()
        piece = x.chunk(chunks, dim=dim)[0]
        try:
            v = piece.view(*new)
        except RuntimeError as exc:
            results.append(("refused", "view size is not compatible" in str(exc)))
            continue
        (v * t.arange(float(np.prod(new)), device=dev).reshape(*new)).sum().backward()
        results.append(("ok", np.asarray(x.grad.cpu().tolist())))
    (kind_t, value_t), (kind_g, value_g) = results
    assert kind_g == kind_t
    if kind_t == "ok":
        np.testing.assert_array_equal(value_g, value_t)
    else:
        assert value_t and value_g

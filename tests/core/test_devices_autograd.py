"""Autograd beyond single ops on the GPU: each program runs on the CPU and on "cuda" and must
give the same numbers, with its results and gradients on the device it ran on. Training with
nn and optim, higher-order gradients, hooks, in-place ops and indexed writes, custom Functions,
gradcheck and anomaly mode. Marked ``gpu``: they run on a real GPU, and in ``make test`` on the
CPU through tests/core/fake_cupy.py."""
import numpy as np
import pytest

import gradtrace.core as torch
from gradtrace.core import nn
from gradtrace.core.autograd import grad
from tests.core.test_devices import gpu
from tests.core.test_function import make_exp

pytestmark = [pytest.mark.gpu, gpu]


def on_both(program):
    """``program(device)`` -> {name: tensor}; compare CPU and GPU, check where each result lives."""
    results = {}
    for device in ("cpu", "cuda"):
        torch.manual_seed(0)
        out = program(device)
        for name, t in out.items():
            assert t.device.type == device, f"{name} on {t.device}, expected {device}"
        results[device] = {name: t.detach().cpu().numpy() for name, t in out.items()}
    for name, value in results["cpu"].items():
        np.testing.assert_allclose(results["cuda"][name], value, rtol=1e-5, atol=1e-6,
                                   err_msg=name)
    return results["cuda"]


def _data(device, *shape, seed=0):
    arr = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    return torch.tensor(arr, device=device)


@pytest.mark.parametrize("opt", ["sgd", "adam"])
def test_training_with_nn_and_optim(opt):
    def program(device):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.LayerNorm(8), nn.Linear(8, 3))
        model = model.to(device)
        optimizer = (torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-2)
                     if opt == "sgd" else torch.optim.Adam(model.parameters(), lr=1e-2))
        x = _data(device, 5, 4)
        target = torch.tensor([0, 2, 1, 1, 0], device=device)
        loss_fn = nn.CrossEntropyLoss()
        for _ in range(3):
            optimizer.zero_grad()
            loss = loss_fn(model(x), target)
            loss.backward()
            optimizer.step()
        out = {name: p for name, p in model.named_parameters()}
        out.update({f"{name}.grad": p.grad for name, p in model.named_parameters()}, loss=loss)
        return out
    on_both(program)


def test_embedding_dropout_and_activations():
    def program(device):
        torch.manual_seed(0)
        emb = nn.Embedding(6, 4).to(device)
        drop = nn.Dropout(0.5)
        idx = torch.tensor([[0, 5, 2], [2, 2, 1]], device=device)
        h = drop(emb(idx))
        y = nn.functional.gelu(h) + nn.functional.silu(h) + nn.functional.softplus(h)
        loss = nn.functional.binary_cross_entropy_with_logits(
            y, torch.ones(2, 3, 4, device=device) * 0.5)
        loss.backward()
        return {"h": h, "loss": loss, "weight.grad": emb.weight.grad}
    on_both(program)


def test_higher_order_gradients():
    def program(device):
        x = torch.tensor([1.0, -2.0, 3.0], device=device, requires_grad=True)
        (d1,) = grad((x ** 3).sum(), x, create_graph=True)
        (d2,) = grad(d1.sum(), x, create_graph=True)
        (d3,) = grad(d2.sum(), x)
        w = _data(device, 3, 3).requires_grad_()
        v = torch.tensor([1.0, 0.5, -1.0], device=device)
        (g,) = grad((w @ x).tanh().sum(), x, create_graph=True)
        (hvp,) = grad((g * v).sum(), x)
        return {"d1": d1, "d2": d2, "d3": d3, "hvp": hvp}
    got = on_both(program)
    np.testing.assert_allclose(got["d2"], [6.0, -12.0, 18.0])
    np.testing.assert_allclose(got["d3"], [6.0, 6.0, 6.0])


def test_hooks_and_retain_grad():
    def program(device):
        x = torch.tensor([1.0, 2.0], device=device, requires_grad=True)
        y = x * 3
        y.retain_grad()
        handle = y.register_hook(lambda g: g * 10)
        seen = []
        z = y.exp()
        z.grad_fn.register_prehook(lambda gs: (gs[0] * 0.5,))
        z.grad_fn.register_hook(lambda gin, gout: seen.append(gin[0].device.type))
        z.sum().backward()
        handle.remove()
        assert seen == [device]
        return {"x.grad": x.grad, "y.grad": y.grad}
    on_both(program)


def test_in_place_ops_and_indexed_writes():
    def program(device):
        x = torch.tensor([[1.0, -2.0], [3.0, -4.0]], device=device, requires_grad=True)
        y = x * 2
        y.add_(1).mul_(3)
        y += 1
        y.clamp_(-10, 10)
        z = y.clone()
        z[0] = torch.tensor([5.0, 6.0], device=device)
        z[:, 1] *= 2
        w = z.relu_()
        w.sum().backward()
        return {"w": w, "x.grad": x.grad}
    on_both(program)


def test_in_place_change_to_a_saved_tensor_names_the_cuda_type():
    x = torch.ones(2, 2, device="cuda", requires_grad=True)
    y = x * 1
    z = y * y
    y.add_(1)
    with pytest.raises(RuntimeError, match=r"\[torch\.cuda\.FloatTensor \[2, 2\]\], which is output "
                                           r"0 of Add, is at version 1; expected version 0"):
        z.sum().backward()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in "
                                           "an in-place operation."):
        x.add_(1)


def test_custom_function_and_gradcheck():
    MyExp = make_exp(torch)

    def program(device):
        x = torch.tensor([0.5, -1.0], device=device, requires_grad=True)
        y = MyExp.apply(x)
        y.sum().backward()
        assert y.grad_fn.name() == "MyExpBackward"
        return {"y": y, "x.grad": x.grad}
    on_both(program)
    x = torch.tensor([0.3, -0.7], dtype=torch.float64, device="cuda", requires_grad=True)
    assert torch.autograd.gradcheck(lambda a: (a.sin() * a).sum(), (x,))
    assert torch.autograd.gradcheck(MyExp.apply, (x,))


def test_anomaly_mode_finds_nan_on_the_gpu():
    x = torch.tensor([0.0, 1.0], device="cuda", requires_grad=True)
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"), \
            torch.autograd.detect_anomaly():
        y = x / x   # d/d(other) at 0 is -0/0
        with pytest.raises(RuntimeError, match=r"Function 'DivBackward0' returned nan values in "
                                               r"its 1th output\."), \
                pytest.warns(UserWarning, match="Error detected in DivBackward0"):
            y.sum().backward()


def test_moves_inside_the_graph_send_gradients_home():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], device="cuda", requires_grad=True)
    y = (x.to("cuda") * w).sum()
    y.backward()
    assert x.grad.device.type == "cpu" and x.grad.tolist() == [3.0, 4.0]
    assert w.grad.device.type == "cuda" and w.grad.tolist() == [1.0, 2.0]


def _normalized(result):
    """An outcome with PyTorch's type names made device-free (``torch.cuda.FloatTensor``)."""
    if isinstance(result, tuple) and result and result[0] == "error":
        return result[:2] + (result[2].replace("torch.cuda.", "torch."),)
    return result


def test_inplace_views_and_multi_output_cases_give_the_cpus_outcomes():
    from tests.core import inplace_cases, multi_output_cases
    for case in inplace_cases.CASES + multi_output_cases.CASES:
        on_cpu = inplace_cases.outcome(case, torch)
        torch.set_default_device("cuda")
        try:
            on_gpu = inplace_cases.outcome(case, torch)
        finally:
            torch.set_default_device("cpu")
        assert _normalized(on_gpu) == _normalized(on_cpu), case.__name__


@pytest.mark.parametrize("seed", range(60))
def test_random_inplace_programs_give_the_cpus_outcomes(seed):
    from tests.core.inplace_cases import random_program, run_program
    source = random_program(seed)
    X = np.random.default_rng(seed).standard_normal((3, 3)).round(2).tolist()
    on_cpu = _normalized(run_program(torch, source, X))
    torch.set_default_device("cuda")
    try:
        on_gpu = _normalized(run_program(torch, source, X))
    finally:
        torch.set_default_device("cpu")
    if on_cpu[0] == on_gpu[0] == "ok":
        np.testing.assert_allclose(on_gpu[1], on_cpu[1], rtol=1e-4, atol=1e-4, err_msg=source)
    else:
        assert on_gpu == on_cpu, source

"""Scripts written as PyTorch's beginner tutorials write them, run through the runner (and
``gradtrace render``), print exactly what the same script prints under real PyTorch."""
import contextlib
import io
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gradtrace.gui.model.runner import ScriptRunner

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = re.compile(r" at 0x[0-9a-f]+")

# Random init differs between engines: each script sets its weights deterministically (from
# sin/cos of a range, not linspace, whose equal steps make max-pool ties that rounding flips).
CNN_DATALOADER = """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.utils.data import DataLoader, TensorDataset


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 3, 3)
            self.conv2 = nn.Conv2d(3, 4, 3, padding=1)
            self.fc1 = nn.Linear(4 * 3 * 3, 8)
            self.fc2 = nn.Linear(8, 2)

        def forward(self, input):
            x = F.max_pool2d(F.relu(self.conv1(input)), 2)
            x = F.max_pool2d(F.relu(self.conv2(x)), (1, 1))
            x = torch.flatten(x, 1)
            x = F.relu(self.fc1(x))
            return self.fc2(x)


    def deterministic_(module):
        with torch.no_grad():
            for name, p in module.named_parameters():
                p.copy_((torch.arange(p.numel()) * 0.7 + 0.1).sin().reshape(p.shape) * 0.3)


    net = Net()
    deterministic_(net)
    print(net)
    print([name for name, _ in net.named_parameters()])
    print(list(net.state_dict().keys()))
    images = (torch.arange(6 * 8 * 8) * 0.37).cos().reshape(6, 1, 8, 8)
    labels = torch.tensor([0, 1, 1, 0, 1, 0])
    loader = DataLoader(TensorDataset(images, labels), batch_size=3, shuffle=False)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(2):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(net(xb), yb)
            loss.backward()
            optimizer.step()
        print("epoch", epoch, "loss", round(loss.item(), 4))
    print(loss.grad_fn, loss.grad_fn.next_functions[0][0])
    print(net.fc2.bias.grad)
    print(net(images[:2]))
    print(type(net), type(images), isinstance(net, nn.Module))
"""

WHILE_TRY = """
    import math
    import torch

    x = torch.tensor([2.0, -1.0], requires_grad=True)
    lr, step, history = 0.2, 0, []
    while True:
        step += 1
        loss = (x ** 2).sum()
        try:
            if step % 3 == 0:
                raise ValueError(f"skipped step {step}")
            loss.backward()
        except ValueError as e:
            print("caught:", e)
            continue
        finally:
            history.append(round(loss.item(), 4))
        with torch.no_grad():
            x -= lr * x.grad
        x.grad.zero_()
        if loss.item() < 0.05 or step > 20:
            break
    print(step, history[-3:], x, math.isclose(x.sum().item(), 0.0, abs_tol=0.1))
    try:
        torch.ones(2, 3) @ torch.ones(2, 3)
    except RuntimeError as e:
        print("RuntimeError:", e)
"""

PLAIN_NET = """
    import torch
    from torch import nn


    class TwoLayer(nn.Module):
        def __init__(self, d_in, hidden, d_out):
            super(TwoLayer, self).__init__()
            self.linear1 = nn.Linear(d_in, hidden)
            self.linear2 = nn.Linear(hidden, d_out)
            self.calls = 0

        def forward(self, x):
            self.calls += 1
            return self.linear2(self.linear1(x).clamp(min=0))


    model = TwoLayer(3, 4, 1)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.linspace(-1, 1, p.numel()).reshape(p.shape))
    x = torch.linspace(-2, 2, 15).reshape(5, 3)
    y = x.sum(1, keepdim=True) ** 2
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for t in range(5):
        loss = torch.nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if t % 2 == 0:
            print(t, f"{loss.item():.4f}")
    print(model.calls, model.linear1.weight.grad.shape, model)
"""

MICROGRAD = """
    import torch


    class Value:
        \"\"\" stores a single scalar value and its gradient (micrograd's engine) \"\"\"

        def __init__(self, data, _children=(), _op=''):
            self.data = data
            self.grad = 0
            self._backward = lambda: None
            self._prev = set(_children)
            self._op = _op

        def __add__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            out = Value(self.data + other.data, (self, other), '+')

            def _backward():
                self.grad += out.grad
                other.grad += out.grad
            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            out = Value(self.data * other.data, (self, other), '*')

            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad
            out._backward = _backward
            return out

        def __pow__(self, other):
            assert isinstance(other, (int, float)), "only supporting int/float powers for now"
            out = Value(self.data**other, (self,), f'**{other}')

            def _backward():
                self.grad += (other * self.data**(other-1)) * out.grad
            out._backward = _backward
            return out

        def relu(self):
            out = Value(0 if self.data < 0 else self.data, (self,), 'ReLU')

            def _backward():
                self.grad += (out.data > 0) * out.grad
            out._backward = _backward
            return out

        def backward(self):
            topo = []
            visited = set()

            def build_topo(v):
                if v not in visited:
                    visited.add(v)
                    for child in v._prev:
                        build_topo(child)
                    topo.append(v)
            build_topo(self)
            self.grad = 1
            for v in reversed(topo):
                v._backward()

        def __neg__(self):
            return self * -1

        def __radd__(self, other):
            return self + other

        def __sub__(self, other):
            return self + (-other)

        def __rsub__(self, other):
            return other + (-self)

        def __rmul__(self, other):
            return self * other

        def __truediv__(self, other):
            return self * other**-1

        def __rtruediv__(self, other):
            return other * self**-1

        def __repr__(self):
            return f"Value(data={self.data}, grad={self.grad})"


    def test_sanity_check():
        x = Value(-4.0)
        z = 2 * x + 2 + x
        q = z.relu() + z * x
        h = (z * z).relu()
        y = h + q + q * x
        y.backward()
        xmg, ymg = x, y

        x = torch.Tensor([-4.0]).double()
        x.requires_grad = True
        z = 2 * x + 2 + x
        q = z.relu() + z * x
        h = (z * z).relu()
        y = h + q + q * x
        y.backward()
        xpt, ypt = x, y

        # forward pass went well
        assert ymg.data == ypt.data.item()
        # backward pass went well
        assert xmg.grad == xpt.grad.item()
        print(ymg, xmg, ypt, xpt.grad, sorted(v._op for v in ymg._prev))


    test_sanity_check()
"""

DATASET_SUBCLASS = """
    import torch
    from torch.utils.data import DataLoader, Dataset


    class Squares(Dataset):
        def __init__(self, n):
            self.n = n

        def __len__(self):
            return self.n

        def __getitem__(self, i):
            return torch.tensor([float(i)]), torch.tensor(float(i * i))


    ds = Squares(5)
    print(len(ds), ds[3])
    for xb, yb in DataLoader(ds, batch_size=2):
        print(xb.shape, yb)
    w = torch.zeros(1, requires_grad=True)
    for epoch in range(3):
        for xb, yb in DataLoader(ds, batch_size=5):
            loss = ((xb.squeeze(1) * w - yb) ** 2).mean()
            loss.backward()
            with torch.no_grad():
                w -= 0.01 * w.grad
                w.grad.zero_()
    print(w, round(loss.item(), 4))
"""

EXAMPLES = ["custom_function_double_backward.py"]


def torch_output(source):
    """What the script prints under real PyTorch (same process; the engine is not involved)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<torch>", "exec"), {"__name__": "__main__"})
    return out.getvalue()


def same_as_torch(source):
    pytest.importorskip("torch")
    result = ScriptRunner().run(source)
    assert result.ok, result.error
    assert ADDRESS.sub(" at 0x", result.output) == ADDRESS.sub(" at 0x", torch_output(source))
    return result


@pytest.mark.torch
@pytest.mark.parametrize("name, source", [("cnn-dataloader", CNN_DATALOADER),
                                          ("while-try", WHILE_TRY), ("plain-net", PLAIN_NET),
                                          ("micrograd", MICROGRAD),
                                          ("dataset-subclass", DATASET_SUBCLASS)])
def test_tutorial_style_script_prints_what_pytorch_prints(name, source):
    result = same_as_torch(textwrap.dedent(source))
    assert result.backward_calls


@pytest.mark.torch
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_prints_what_pytorch_prints(example):
    same_as_torch((ROOT / "resources" / "examples" / example).read_text())


def test_module_class_groups_are_named_by_attribute_path():
    result = ScriptRunner().run(textwrap.dedent(CNN_DATALOADER))
    assert result.ok, result.error
    scopes = set()
    todo, seen = [result.tensors["loss"].grad_fn], set()
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        scopes.add(node.metadata.get("scope"))
        todo.extend(n for n, _ in node.next_functions)
    assert {"conv1", "conv2", "fc1", "fc2"} <= scopes


@pytest.mark.parametrize("name, source", [("cnn-dataloader", CNN_DATALOADER),
                                          ("while-try", WHILE_TRY)])
def test_render_runs_the_script(name, source, tmp_path):
    script = tmp_path / f"{name}.py"
    script.write_text(textwrap.dedent(source))
    out = tmp_path / "graph.png"
    done = subprocess.run([sys.executable, "-m", "gradtrace.gui", "render", str(script), "-o",
                           str(out)], capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                               "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 1000

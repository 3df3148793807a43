"""The PyTorch engine (gui/model/torch_runner.py): scripts run on real torch, every backward
recorded by hooks: each step's gradients are PyTorch's, in the order PyTorch ran the nodes."""
import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gradtrace.gui.model.export import to_json  # noqa: E402
from gradtrace.gui.model.graph import build_graph, saved_tensors  # noqa: E402
from gradtrace.gui.model.playback import Timeline  # noqa: E402
from gradtrace.gui.model.torch_runner import TorchScriptRunner, record_backward  # noqa: E402
from tests.gui.custom_function import SQUARE_FUNCTION  # noqa: E402

pytestmark = pytest.mark.torch
_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")
EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"

CUSTOM_FUNCTION = SQUARE_FUNCTION + """\
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = Square.apply(x).sum() * 3
(g,) = torch.autograd.grad(y, x, retain_graph=True)
y.backward()
"""

INPLACE_ERROR = """\
import torch
a = torch.ones(3, requires_grad=True)
b = a.sigmoid()
b.mul_(2)
b.sum().backward()
"""


def _plain_torch(source):
    """The script run as ``python script.py`` would (seeded as the runner seeds), with each
    backward's node order taken by an independent ``register_prehook`` on every node."""
    orders, original = [], torch.Tensor.backward

    def backward(self, *args, **kwargs):
        order, handles, stack, seen = [], [], [self.grad_fn], set()
        while stack:
            node = stack.pop()
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            handles.append(node.register_prehook(lambda g, node=node: order.append(node.name())))
            stack.extend(n for n, _ in node.next_functions)
        try:
            return original(self, *args, **kwargs)
        finally:
            for h in handles:
                h.remove()
            orders.append(order)

    namespace = {"__name__": "__main__"}
    torch.manual_seed(0)
    torch.Tensor.backward = backward
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            exec(compile(source, "<script>", "exec"), namespace)
    finally:
        torch.Tensor.backward = original
    return namespace, orders, out.getvalue()


def _run(source):
    result = TorchScriptRunner().run(source)
    assert result.ok, result.error
    return result


@pytest.mark.parametrize("name", ["tutorial.py", "mlp_step.py", "cnn_blitz.py",
                                  "nn_training.py", "small_cnn.py", "transformer_block.py"])
def test_examples_record_torchs_steps_in_torchs_order_with_its_gradients(name):
    source = (EXAMPLES / name).read_text()
    result = _run(source)
    namespace, orders, output = _plain_torch(source)
    assert _ADDRESS.sub("", result.output) == _ADDRESS.sub("", output)
    assert [[s.node.name() for s in call.steps] for call in result.backward_calls] == orders
    # the last AccumulateGrad step of each leaf leaves it with the .grad PyTorch computed
    final = {}
    for call in result.backward_calls:
        for step in call.steps:
            if step.variable is not None:
                final[id(step.variable)] = step
    assert final
    leaves = {}
    for value in namespace.values():
        if isinstance(value, torch.nn.Module):
            leaves.update(value.named_parameters())
        elif isinstance(value, torch.Tensor) and value.is_leaf and value.requires_grad:
            leaves[id(value)] = value
    names = {n: t for n, t in result.tensors.items()}
    ours = {n: t for n, t in names.items() if t.is_leaf and t.requires_grad}
    for name_, t in ours.items():   # the script's own leaves: their .grad as plain torch's
        theirs = namespace[name_]
        if theirs.grad is None:
            continue
        step = final[id(t)]
        np.testing.assert_allclose(step.grad_after.numpy(), theirs.grad.numpy(), rtol=1e-6)


def test_each_step_sends_what_torch_computes_for_that_edge():
    source = (EXAMPLES / "tutorial.py").read_text().replace(
        "out.backward()", "out.backward(retain_graph=True)")
    result = _run(source)
    (call,) = result.backward_calls
    mean, mul_outer, mul_inner, add, acc = call.steps
    x = result.tensors["x"]
    y, z = result.tensors["y"], result.tensors["z"]
    # every gradient the hooks saw, against torch.autograd.grad of the same graph
    gz, gy = torch.autograd.grad(result.tensors["out"], [z, y], retain_graph=True)
    np.testing.assert_allclose(mean.grads_out[0].numpy(), gz.numpy())
    np.testing.assert_allclose(add.grads_in[0].numpy(), gy.numpy())
    np.testing.assert_allclose(add.grads_out[0].numpy(), x.grad.numpy())
    assert acc.grad_before is None and acc.variable is x
    np.testing.assert_allclose(acc.grad_after.numpy(), np.full((2, 2), 4.5))
    assert len(mul_outer.grads_out) == len(mul_outer.node.next_functions)
    assert mul_outer.grads_out[1] is None   # the constant 3 gets no gradient


def test_custom_function_records_grad_then_backward():
    result = _run(CUSTOM_FUNCTION)
    grad_call, backward_call = result.backward_calls
    assert (grad_call.kind, backward_call.kind) == ("grad", "backward")
    assert [s.node.name() for s in grad_call.steps] == ["MulBackward0", "SumBackward0",
                                                        "SquareBackward"]
    x = result.tensors["x"]
    expected = 6 * x.detach()
    np.testing.assert_allclose(result.tensors["g"].numpy(), expected.numpy())
    np.testing.assert_allclose(grad_call.steps[-1].grads_out[0].numpy(), expected.numpy())
    acc = backward_call.steps[-1]
    assert acc.node.name() == "torch::autograd::AccumulateGrad"
    np.testing.assert_allclose(acc.grad_after.numpy(), x.grad.numpy())
    graph = build_graph(result, include_saved=True)
    assert "SquareBackward#0@y" in graph
    assert "SquareBackward#0@y:saved_tensors[0]" in graph


def test_inplace_error_is_pytorchs_own_at_its_line():
    result = TorchScriptRunner().run(INPLACE_ERROR)
    error = result.error
    assert error is not None and error.kind == "runtime"
    assert error.lineno == 5 and error.source_line == "b.sum().backward()"
    with pytest.raises(RuntimeError) as theirs:
        a = torch.ones(3, requires_grad=True)
        b = a.sigmoid()
        b.mul_(2)
        b.sum().backward()
    assert error.message == f"RuntimeError: {theirs.value}"
    assert len(result.statements) == 5   # everything before it is kept
    assert "b" in result.tensors
    # the nodes PyTorch ran before SigmoidBackward0 found its saved result changed
    (call,) = result.backward_calls
    assert [s.node.name() for s in call.steps] == ["SumBackward0", "MulBackward0"]


def test_json_export_names_nodes_as_pytorch_does():
    result = _run((EXAMPLES / "cnn_blitz.py").read_text())
    graph = build_graph(result, include_saved=True)
    data = json.loads(to_json(graph))
    ops = {node.get("op") for node in data["nodes"]}
    assert {"ConvolutionBackward0", "MaxPool2DWithIndicesBackward0", "AddmmBackward0",
            "MseLossBackward0", "AccumulateGrad"} <= ops
    timeline = Timeline.from_run(result, graph)
    assert len(timeline) > len(result.statements)
    groups = {attrs.get("group") for _, attrs in graph.nodes(data=True)}
    assert {"net.conv1", "net.fc3", "criterion"} <= groups


def test_modules_group_their_nodes_by_dotted_name():
    result = _run("""\
import torch
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
out = model(torch.ones(2, 3)).sum()
""")
    out = result.tensors["out"]
    scopes = {}
    stack = [out.grad_fn]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        scopes[node.name()] = node.metadata.get("scope")
        stack.extend(n for n, _ in node.next_functions)
    assert scopes["ReluBackward0"] == "1"
    assert scopes["AddmmBackward0"] in ("0", "2")
    assert scopes["SumBackward0"] is None
    graph = build_graph(result)
    assert {"model.0", "model.1", "model.2"} <= {a.get("group") for _, a in graph.nodes(data=True)}


def test_statements_output_errors_and_seed():
    result = TorchScriptRunner().run("import torch\nimport sys\nprint('a')\n"
                                     "sys.stderr.write('b\\n')\nr = torch.rand(2)\n"
                                     "1 / 0\nprint('never')")
    assert result.output == "a\nb\n"
    assert result.error.lineno == 6 and result.error.message == \
        "ZeroDivisionError: division by zero"
    torch.manual_seed(0)
    np.testing.assert_array_equal(result.tensors["r"].numpy(), torch.rand(2).numpy())
    syntax = TorchScriptRunner().run("x = (1,\n")
    assert syntax.error.kind == "syntax" and not syntax.statements
    seeded = _run("import torch\ntorch.manual_seed(7)\nr = torch.rand(2)")
    torch.manual_seed(7)
    np.testing.assert_array_equal(seeded.tensors["r"].numpy(), torch.rand(2).numpy())


def test_stepping_into_a_loop_records_each_iteration():
    session = TorchScriptRunner().start("""\
import torch
w = torch.ones(2, requires_grad=True)
for i in range(3):
    (w * (i + 1)).sum().backward()
print(w.grad)
""")
    session.step(), session.step()
    assert session.next_is_loop
    first = session.step_into()
    assert first.part == "iteration 1" and len(session.result.backward_calls) == 1
    rest = session.step()
    assert rest.part == "iterations 2 to 3" and len(session.result.backward_calls) == 3
    session.step()
    assert session.finished and session.result.output == "tensor([6., 6.])\n"


def test_hooks_and_wrappers_are_gone_after_the_run():
    result = _run("import torch\nx = torch.ones(2, requires_grad=True)\n"
                  "out = (x * 2).sum()\nout.backward(retain_graph=True)")
    assert torch.Tensor.backward.__module__ == "torch._tensor"
    assert torch.autograd.grad.__module__ == "torch.autograd"
    (call,) = result.backward_calls
    steps = list(call.steps)
    result.tensors["out"].backward()   # a backward outside the run: no hook records it
    assert call.steps == steps and len(result.backward_calls) == 1
    np.testing.assert_allclose(result.tensors["x"].grad.numpy(), [4.0, 4.0])


def test_torchs_own_grad_calls_are_not_the_scripts():
    result = _run("import torch\nx = torch.ones(2, dtype=torch.double, requires_grad=True)\n"
                  "ok = torch.autograd.gradcheck(lambda t: (t * t).sum(), (x,))")
    assert result.backward_calls == []


def test_record_backward_and_saved_tensors_on_torch_nodes():
    x = torch.ones(2, requires_grad=True)
    y = x.exp()
    out = (y * x).sum()
    mul = out.grad_fn.next_functions[0][0]
    assert set(saved_tensors(mul)) == {"self", "other"}
    assert set(saved_tensors(y.grad_fn)) == {"result"}
    steps, _ = record_backward([out], out.backward)
    assert saved_tensors(mul) == {}   # freed by that backward
    names = [s.node.name() for s in steps]
    assert names[0] == "SumBackward0" and names.count("torch::autograd::AccumulateGrad") == 1
    np.testing.assert_allclose(steps[-1].grad_after.numpy(), x.grad.numpy())


def test_backward_from_here_records_a_retained_backward():
    result = _run("import torch\nx = torch.ones(2, requires_grad=True)\n"
                  "y = x * 3\nout = y.sum()")
    steps = result.backward_from(result.tensors["y"], np.array([1.0, 2.0], dtype=np.float32))
    assert [s.node.name() for s in steps] == ["MulBackward0", "torch::autograd::AccumulateGrad"]
    np.testing.assert_allclose(steps[-1].grad_after.numpy(), [3.0, 6.0])
    again = result.backward_from(result.tensors["out"])   # the graph was kept
    np.testing.assert_allclose(again[-1].grad_before.numpy(), [3.0, 6.0])
    np.testing.assert_allclose(again[-1].grad_after.numpy(), [6.0, 9.0])


def test_a_torch_run_records_and_reopens_as_a_torch_recording(tmp_path):
    from gradtrace.gui.model.recording import load, record, save
    result = _run((EXAMPLES / "cnn_blitz.py").read_text())
    recording = record(result)
    assert recording.engine == "torch" and recording.meta["engine_version"] == torch.__version__
    assert [len(c.steps) for c in recording.calls] == [len(c.steps) for c in
                                                       result.backward_calls]
    first = recording.calls[0].steps
    assert first[0].op == "MseLossBackward0" and first[0].node in recording.graph
    leaf_steps = [s for s in first if s.op == "AccumulateGrad"]
    assert all(s.leaf in recording.graph for s in leaf_steps)
    save(recording, tmp_path / "cnn.gtrace")
    again = load(tmp_path / "cnn.gtrace")
    assert again.engine == "torch"
    assert [s.op for s in again.calls[2].steps] == [s.op for s in recording.calls[2].steps]
    np.testing.assert_allclose(again.calls[0].steps[0].grads_out[0],
                               first[0].grads_out[0])


@pytest.mark.parametrize("name, groups", [
    ("small_cnn.py", {"net", "net.features.0", "net.features.1", "net.head"}),
    ("transformer_block.py", {"model.0", "model.0.attn", "model.0.attn.q", "model.1.mlp.0",
                              "model.1.norm2"})])
def test_model_examples_show_their_modules_as_groups(name, groups):
    result = _run((EXAMPLES / name).read_text())
    graph = build_graph(result)
    assert groups <= {a.get("group") for _, a in graph.nodes(data=True)}

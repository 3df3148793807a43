"""The PyTorch engine from the command line and the window: `gradtrace render --engine torch`
(the JSON names nodes as PyTorch does), `--engine torch` runs and steps in the window, and a
clear error where torch is missing."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui import __main__ as cli
from gradtrace.gui import pipeline
from gradtrace.gui.app import MainWindow
from tests.gui.custom_function import SQUARE_FUNCTION

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"
TIMEOUT = 60_000


def _cli(*args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "gradtrace.gui", *map(str, args)],
                          capture_output=True, text=True, timeout=240, env=env)


@pytest.mark.torch
def test_render_engine_torch_writes_pytorchs_node_names(tmp_path):
    pytest.importorskip("torch")
    out = tmp_path / "cnn.json"
    proc = _cli("render", "--engine", "torch", EXAMPLES / "cnn_blitz.py", "-o", out)
    assert proc.returncode == 0, proc.stderr
    ops = {node.get("op") for node in json.loads(out.read_text())["nodes"]}
    assert {"ConvolutionBackward0", "MaxPool2DWithIndicesBackward0", "MseLossBackward0",
            "AccumulateGrad"} <= ops
    mine = tmp_path / "tutorial.json"
    proc = _cli("render", EXAMPLES / "tutorial.py", "-o", mine, "--engine", "gradtrace")
    assert proc.returncode == 0, proc.stderr


def test_engine_torch_without_torch_says_how_to_install(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(pipeline.importlib.util, "find_spec",
                        lambda name, *a: None if name == "torch" else object())
    assert cli.main(["render", "--engine", "torch", str(EXAMPLES / "tutorial.py"), "-o",
                     str(tmp_path / "x.json")]) == 2
    assert "pip install gradtrace[torch]" in capsys.readouterr().err
    assert cli.main(["--engine", "torch", str(EXAMPLES / "tutorial.py")]) == 2
    assert "pip install gradtrace[torch]" in capsys.readouterr().err
    with pytest.raises(RuntimeError, match=r"pip install gradtrace\[torch\]"):
        pipeline.make_runner(engine="torch")
    with pytest.raises(ValueError, match="engine must be one of gradtrace, torch"):
        pipeline.make_runner(engine="jax")


@pytest.mark.torch
def test_window_runs_and_steps_on_torch(qtbot, tmp_path):
    pytest.importorskip("torch")
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.engine = "torch"
    asked = []
    window.ask_run_unsandboxed = lambda: asked.append(1) or True   # not sandboxed: asked once
    window.script_panel.set_text((EXAMPLES / "tutorial.py").read_text())
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.run_script()
    doc = blocker.args[0]
    assert doc.ok, doc.error
    assert doc.recording.engine == "torch"   # run in the child: torch never imported here
    assert "MeanBackward0#0@out" in doc.graph
    assert any(e.kind == "backward" for e in doc.timeline.entries)
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.step_script()
    session = blocker.args[0].session   # stepped in the run's child process
    assert type(session).__name__ == "ChildSession" and session.engine == "torch"
    assert blocker.args[0].recording.engine == "torch"
    assert asked == [1]


# -- issue 11's "Done when": scripts recorded and played in the window on the PyTorch engine,
# each backward step checked against PyTorch run as `python script.py` would run it

SQUARE = SQUARE_FUNCTION + """\
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
w = torch.tensor([0.5, 1.5, -1.0], requires_grad=True)
y = Square.apply(x * w)
out = (y * torch.tensor([1.0, 2.0, 3.0])).sum()
out.backward()
"""

IN_PLACE = """\
import torch
x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
y = x.exp()
z = (y * 2).sum()
y.add_(1)
z.backward()
"""

DONE_WHEN = {"tutorial": (EXAMPLES / "tutorial.py").read_text(),
             "mlp step": (EXAMPLES / "mlp_step.py").read_text(),
             "custom Function": SQUARE, "in-place error": IN_PLACE,
             "CNN step": (EXAMPLES / "small_cnn.py").read_text()}


def _pytorch_reference(torch, source):
    """Run `source` as plain Python on real torch (seeded as the runner seeds); at each
    ``backward()``, first ``torch.autograd.grad`` of the root with respect to every leaf
    behind it and every named non-leaf, then the real backward with a post-hook on each node
    (the order PyTorch ran them). One dict per call: order, leaves (in AccumulateGrad order),
    ``grad`` (autograd.grad's, by leaf id and by name), ``after`` (each leaf's .grad after)."""
    calls, original = [], torch.Tensor.backward
    namespace = {"__name__": "__main__"}

    def nodes_behind(root):
        seen, stack = {}, [root.grad_fn]
        while stack:
            node = stack.pop()
            if node is None or id(node) in seen:
                continue
            seen[id(node)] = node
            stack.extend(n for n, _ in node.next_functions)
        return list(seen.values())

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        nodes = nodes_behind(self)
        leaves = [n.variable for n in nodes if hasattr(n, "variable")]
        named = {k: v for k, v in namespace.items() if isinstance(v, torch.Tensor) and
                 v.grad_fn is not None and any(v.grad_fn is n for n in nodes)}
        call = {"order": [], "leaves": [], "grad": {}, "after": {}}
        try:
            grads = torch.autograd.grad(self, leaves + list(named.values()), gradient,
                                        retain_graph=True, allow_unused=True)
            for t, g in zip(leaves, grads):
                call["grad"][id(t)] = g
            for name, g in zip(named, grads[len(leaves):]):
                call["grad"][name] = g
        except RuntimeError:   # the in-place error: the real backward raises it below
            pass

        def post(grad_inputs, grad_outputs, node=None):
            call["order"].append(node.name())
            if hasattr(node, "variable"):
                call["leaves"].append(node.variable)
        handles = [n.register_hook(lambda gi, go, n=n: post(gi, go, n)) for n in nodes]
        calls.append(call)
        try:
            original(self, gradient, retain_graph, create_graph, inputs)
        finally:
            for h in handles:
                h.remove()
            call["after"] = {id(t): None if t.grad is None else t.grad.detach().clone()
                             for t in leaves}

    torch.manual_seed(0)
    torch.Tensor.backward = backward
    try:
        exec(compile(source, "script.py", "exec"), namespace)
        error = None
    except RuntimeError as exc:
        error = str(exc)
    finally:
        torch.Tensor.backward = original
    return calls, error


def _function_of(graph, name):
    """The graph id of the function node that made the tensor shown as `name`."""
    return next(p for p in graph.predecessors(name) if graph.nodes[p].get("kind") == "function")


@pytest.mark.torch
@pytest.mark.parametrize("case", list(DONE_WHEN))
def test_done_when_scripts_record_and_play_with_pytorchs_steps(qtbot, tmp_path, case):
    torch = pytest.importorskip("torch")
    source = DONE_WHEN[case]
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.ask_run_unsandboxed = lambda: True
    window.set_engine("torch")
    window.script_panel.set_text(source)
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.run_script()
    doc = blocker.args[0]
    reference, error = _pytorch_reference(torch, source)
    if case == "in-place error":   # PyTorch's own text, at the backward's line
        assert error and "modified by an inplace operation" in error
        assert doc.error is not None and "modified by an inplace operation" in str(doc.error)
        assert doc.error.lineno == 6
    else:
        assert doc.ok, doc.error
        assert error is None
    calls = doc.recording.calls
    assert len(calls) == len(reference) >= 1
    for call, ref in zip(calls, reference):
        ops = [s.op for s in call.steps]
        names = ["AccumulateGrad" if n == "torch::autograd::AccumulateGrad" else n
                 for n in ref["order"]]
        assert ops == names, case   # PyTorch's order (and, on an error, as far as it ran)
        # every leaf's step: .grad after it is PyTorch's .grad, and what it added is
        # autograd.grad's gradient for that leaf
        accumulations = [s for s in call.steps if s.op == "AccumulateGrad"]
        assert len(accumulations) == len(ref["leaves"])
        for step, leaf in zip(accumulations, ref["leaves"]):
            expected = ref["grad"][id(leaf)].numpy()
            np.testing.assert_allclose(step.grads_in[0], expected, rtol=1e-6, atol=1e-7)
            before = 0 if step.grad_before is None else step.grad_before
            np.testing.assert_allclose(step.grad_after - before, expected, rtol=1e-6,
                                       atol=1e-7)
            np.testing.assert_allclose(step.grad_after, ref["after"][id(leaf)].numpy(),
                                       rtol=1e-6, atol=1e-7)
        # every named non-leaf: the gradient that reached its node is autograd.grad's
        by_node = {s.node: s for s in call.steps}
        for name, grad in ref["grad"].items():
            if isinstance(name, str) and name in doc.graph:
                step = by_node.get(_function_of(doc.graph, name))
                if step is not None and grad is not None:
                    np.testing.assert_allclose(step.grads_in[0], grad.numpy(), rtol=1e-6,
                                               atol=1e-7)
    if case != "in-place error":
        checked = [n for n in reference[0]["grad"] if isinstance(n, str)]
        assert checked or case == "CNN step"
    # it plays: to the end of the timeline, every backward step on the way
    player = window.player_widget
    player.seek(0)
    player.set_speed(16.0)
    seen = []
    player.stateChanged.connect(lambda state: seen.append(state))
    with qtbot.waitSignal(player.finished, timeout=TIMEOUT):
        player.play()
    assert player.position == len(doc.timeline) - 1
    steps = sum(1 for e in doc.timeline.entries if e.kind == "backward")
    assert steps == sum(len(c.steps) for c in calls)
    assert any(getattr(s, "active", None) for s in seen)

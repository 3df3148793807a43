"""The app's GPU path without a GPU: with tests/core/fake_cupy.py playing CuPy (numpy behind
CuPy's surface, refusing implicit host conversions as CuPy does), every example runs on
"cuda" through the runner, graph, timeline and exports and gives what the CPU run gives; and the
window's device toggle re-runs the script there. (The GPU machines have no PySide6, so this
path is checked here or nowhere.)"""
import json
from pathlib import Path

import numpy as np
import pytest

import gradtrace.core as engine
from gradtrace.gui.model.export import to_dot, to_json
from gradtrace.gui.model.graph import build_graph
from gradtrace.gui.model.playback import Timeline
from gradtrace.gui.model.runner import ScriptRunner
from tests.core import fake_cupy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.py"))


@pytest.fixture
def fake_gpu(monkeypatch):
    cp = fake_cupy.install(monkeypatch)
    yield cp
    engine.set_default_device("cpu")


def _arrays(graph):
    """Every array attribute of every node (values, gradients, summaries' inputs)."""
    return {(n, k): v for n, attrs in graph.nodes(data=True) for k, v in attrs.items()
            if isinstance(v, np.ndarray)}


def _run(source, device):
    result = ScriptRunner(device=device).run(source)
    assert result.error is None, result.error
    graph = build_graph(result, include_saved=True)
    return result, graph, Timeline.from_run(result, graph)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_on_the_gpu_shows_what_the_cpu_shows(fake_gpu, path):
    source = path.read_text()
    _, cpu_graph, cpu_timeline = _run(source, "cpu")
    result, graph, timeline = _run(source, "cuda")
    assert str(engine.get_default_device()) == "cpu"   # the runner restores it
    tensors = [t for t in result.tensors.values() if isinstance(t, engine.Tensor)]
    assert tensors and all(t.device.type == "cuda" for t in tensors if t.requires_grad)
    devices = {a.get("device") for _, a in graph.nodes(data=True) if a.get("device") and not (
        a["kind"] == "saved" and a["shape"] == ())}   # a saved Python number: a CPU scalar
    assert devices == {"cuda:0"}
    # the same nodes, with the same values and gradients brought back to the host
    assert set(graph.nodes) == set(cpu_graph.nodes)
    gpu_arrays, cpu_arrays = _arrays(graph), _arrays(cpu_graph)
    assert gpu_arrays.keys() == cpu_arrays.keys() and gpu_arrays
    for key, value in cpu_arrays.items():
        np.testing.assert_allclose(gpu_arrays[key], value, rtol=1e-4, atol=1e-6, err_msg=str(key))
    # the same timeline, and the same .grad on every leaf at its end
    assert len(timeline) == len(cpu_timeline)
    end, cpu_end = timeline.state_at(len(timeline) - 1), cpu_timeline.state_at(len(cpu_timeline) - 1)
    assert end.leaf_grads.keys() == cpu_end.leaf_grads.keys()
    for leaf, grad in cpu_end.leaf_grads.items():
        if grad is None:
            assert end.leaf_grads[leaf] is None
        else:
            np.testing.assert_allclose(end.leaf_grads[leaf], grad, rtol=1e-4, atol=1e-6)
    # exports carry the device
    data = json.loads(to_json(graph, state=end))
    assert {n.get("device") for n in data["nodes"] if n.get("device") and not (
        n["kind"] == "saved" and n["shape"] == [])} == {"cuda:0"}
    assert "cuda:0" in to_dot(graph)


def test_window_device_toggle_reruns_the_script_on_the_gpu(fake_gpu, qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from gradtrace.gui.app import MainWindow
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.in_child = False   # the fake CuPy is installed in this process only
    window.show()
    action = window.actions_.gpu
    assert action.isEnabled(), action.toolTip()
    with qtbot.waitSignal(window.documentReady, timeout=30_000) as first:
        window.run_script()
    assert first.args[0].error is None
    with qtbot.waitSignal(window.documentReady, timeout=30_000) as rerun:
        action.trigger()   # checked: GPU, and the script runs again
    doc = rerun.args[0]
    assert action.isChecked() and action.text() == "GPU"
    assert doc.error is None, str(doc.error)
    assert doc.result.tensors["x"].device.type == "cuda"
    player = window.player_widget
    player.set_speed(16.0)
    with qtbot.waitSignal(player.finished, timeout=30_000):
        player.play()
    window.select_node("x")
    inspector = window.inspector
    assert inspector.props["device"].text() == "cuda:0"
    np.testing.assert_allclose(inspector.grad_view.array(), 4.5)   # brought to the host
    assert "4.5" in inspector.grad_text()

"""The PyTorch engine from the command line and the window: `gradtrace render --engine torch`
(the JSON names nodes as PyTorch does), `--engine torch` runs and steps in the window, and a
clear error where torch is missing."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui import __main__ as cli
from gradtrace.gui import pipeline
from gradtrace.gui.app import MainWindow

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
    torch = pytest.importorskip("torch")
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
    assert isinstance(doc.result.tensors["x"], torch.Tensor)
    assert "MeanBackward0#0@out" in doc.graph
    assert any(e.kind == "backward" for e in doc.timeline.entries)
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.step_script()
    assert type(blocker.args[0].session).__name__ == "TorchScriptSession"
    assert asked == [1]

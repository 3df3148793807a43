"""The window runs each script in a child process (gui/model/child.py): a crash or a kill at a
limit is the script's error, and the app, the editor's text and the last good graph stay as
they were; Cancel stops a run stuck in one C call within a second (pytest-qt, offscreen)."""
import sys
import time

import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui.app import MainWindow

TIMEOUT = 30_000
GOOD = ("import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * 3).sum()\n"
        "y.backward(retain_graph=True)\n")
CRASH = "t = ()\nfor i in range(300000):\n    t = (t,)\nhash(t)\n"


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    return w


def run(window, qtbot, text):
    window.script_panel.set_text(text)
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.run_script()
    return blocker.args[0]


def test_the_window_runs_scripts_in_a_child_process(window, qtbot):
    doc = run(window, qtbot, GOOD)
    assert doc.ok and doc.result is None and doc.live is not None and doc.live.alive
    assert "torch" not in sys.modules or window.engine != "torch"
    assert [s.op for s in doc.recording.calls[0].steps][0] == "SumBackward0"
    assert window.run_backward_from("y")   # in the child that holds the tensors
    assert "3 steps added" in window.statusBar().currentMessage()
    first_child = doc.live
    second = run(window, qtbot, GOOD)   # the next run's document ends the old child
    assert second.live is not first_child and not first_child.alive and second.live.alive


def test_a_crash_keeps_the_text_and_the_last_good_graph(window, qtbot):
    good = run(window, qtbot, GOOD)
    nodes = set(window.graph_view.graph_scene.nodes)
    assert nodes
    crashed = run(window, qtbot, CRASH)
    assert crashed.extras.get("stopped") and crashed.error.kind == "crash"
    assert window.document is good                          # the last good graph, still live
    assert set(window.graph_view.graph_scene.nodes) == nodes
    assert window.script_panel.text() == CRASH               # the user's text untouched
    banner = window.script_panel.error_banner
    assert banner.isVisible()
    assert "crashed the Python interpreter" in window.statusBar().currentMessage()
    assert "line 4" in window.statusBar().currentMessage()
    assert good.live.alive and window.run_backward_from("y")   # the good run still answers
    again = run(window, qtbot, GOOD)                          # and the next run works
    assert again.ok


def test_cancel_stops_a_run_stuck_in_one_c_call_within_a_second(window, qtbot):
    window.settings.time_budget = 60
    window.script_panel.set_text("import numpy as np\na = np.ones((5000, 5000), dtype=np.int64)\n"
                                 "b = a @ a\n")
    window.run_script()
    qtbot.wait(1500)    # well inside the matmul
    process = window.jobs
    assert process.busy
    started = time.monotonic()
    window.cancel_job()
    qtbot.waitUntil(lambda: process.running == 0, timeout=5000)
    assert time.monotonic() - started < 1.0
    assert window.script_panel.text().endswith("b = a @ a\n")
    doc = run(window, qtbot, GOOD)   # a fresh child runs the next script
    assert doc.ok


def test_a_run_past_the_time_budget_names_the_limit(window, qtbot):
    window.settings.time_budget = 1.5
    doc = run(window, qtbot, "import math\nx = 7 ** 200000\ny = pow(x, x, 2 ** 300000 + 1)\n")
    error = doc.error
    assert error is not None and error.lineno == 3, error
    assert error.kind == "budget" and "1.5 s" in str(error)

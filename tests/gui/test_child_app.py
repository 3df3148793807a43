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
#: hashing a tuple aliased 64 deep: 2**64 visits in one C call the sandbox cannot interrupt
ALIASED = "t = (1,)\nfor i in range(64):\n    t = (t, t)\nx = hash(t)\n"
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

def backward(window, qtbot, node_id):
    """Run backward from `node_id` (a job on the run's child process) and wait for its end:
    True when its steps were added."""
    with qtbot.waitSignal(window.backwardRecorded, timeout=TIMEOUT) as blocker:
        assert window.run_backward_from(node_id)
    return blocker.args[0]


def test_the_window_runs_scripts_in_a_child_process(window, qtbot):
    doc = run(window, qtbot, GOOD)
    assert doc.ok and doc.result is None and doc.live is not None and doc.live.alive
    assert "torch" not in sys.modules or window.engine != "torch"
    assert [s.op for s in doc.recording.calls[0].steps][0] == "SumBackward0"
    assert backward(window, qtbot, "y")   # in the child that holds the tensors
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
    assert good.live.alive and backward(window, qtbot, "y")   # the good run still answers
    again = run(window, qtbot, GOOD)                          # and the next run works
    assert again.ok


def test_cancel_stops_a_run_stuck_in_one_c_call_within_a_second(window, qtbot):
    window.settings.time_budget = 60
    window.script_panel.set_text(ALIASED)   # one C call of hours
    window.run_script()
    qtbot.wait(1500)    # well inside the matmul
    process = window.jobs
    assert process.busy
    started = time.monotonic()
    window.cancel_job()
    qtbot.waitUntil(lambda: process.running == 0, timeout=5000)
    assert time.monotonic() - started < 1.0
    assert window.script_panel.text() == ALIASED
    doc = run(window, qtbot, GOOD)   # a fresh child runs the next script
    assert doc.ok


def test_a_run_past_the_time_budget_names_the_limit(window, qtbot):
    window.settings.time_budget = 1.5
    doc = run(window, qtbot, ALIASED)
    error = doc.error
    assert error is not None and error.lineno == 4, error
    assert error.kind == "budget" and "1.5 s" in str(error)


# -- gradtrace render runs the script in a child too ------------------------------------------

def test_render_exits_1_with_the_message_when_the_runs_process_dies(qapp, tmp_path, capsys):
    from gradtrace.gui.__main__ import render
    script = tmp_path / "crash.py"
    script.write_text(CRASH)
    for out in ("graph.png", "run.gtrace"):
        assert render([str(script), "-o", str(tmp_path / out)]) == 1
        err = capsys.readouterr().err
        assert "crashed the Python interpreter" in err and "line 4" in err, err
        assert not (tmp_path / out).exists()
    good = tmp_path / "good.py"
    good.write_text(GOOD)
    assert render([str(good), "-o", str(tmp_path / "good.json")]) == 0
    assert "SumBackward0" in (tmp_path / "good.json").read_text()


def test_run_limits_dialog_sets_the_budget_and_cap_the_next_run_gets(window, qtbot):
    assert window.actions_.limits.text() == "&Limits…"
    limits = window.run_limits()
    assert limits.time_budget == 10.0 and limits.memory_cap is None   # safe defaults
    dialog = window.edit_limits()
    qtbot.addWidget(dialog)
    assert "half the RAM" in dialog.memory.specialValueText()
    dialog.budget.setValue(20.0)
    dialog.memory.setValue(0.5)
    dialog.accept()
    limits = window.run_limits()
    assert limits.time_budget == 20.0 and limits.memory_cap == 1 << 29
    doc = run(window, qtbot, "import numpy as np\na = np.ones(40_000_000)\nb = a + 1\n")
    assert "limit 512 MiB" in str(doc.error) and doc.error.lineno == 3   # 640 MB by then
    dialog = window.edit_limits()
    qtbot.addWidget(dialog)
    dialog.budget.setValue(99)
    dialog.reject()   # Cancel changes nothing
    assert window.run_limits().time_budget == 20.0


#: about 3,500 nodes: over KEEP_NODES and CHUNK_NODES, so the document and the scene's items
#: are frozen out of the collector's sight and built in slices, as a big graph's are
BIG = ("import torch\nx = torch.randn(2, 2, requires_grad=True)\nh = x\n"
       "for i in range(700):\n    h = torch.tanh(h * 0.5 + 0.1)\nh.sum().backward()\n")


def test_f5_again_and_again_frees_each_replaced_graph(window, qtbot):
    """A graph replaced by the next F5 is freed by reference counting alone (a big one is kept
    out of the cyclic collector's sight from before it is replaced until after: a cycle
    through it, item <-> tile or a graph's cached views, kept every old graph, 135 MB a time
    at 20,000 nodes), and what stays frozen does not grow from one F5 to the next."""
    import gc
    import weakref

    scene = window.graph_view.graph_scene
    graphs, edges, frozen = [], [], []
    for _ in range(5):
        run(window, qtbot, BIG)
        qtbot.waitUntil(lambda: not scene.building, timeout=TIMEOUT)
        window.trash.empty()
        doc = window.document
        assert doc.graph.number_of_nodes() > scene.CHUNK_NODES
        graphs.append(weakref.ref(doc.graph))
        edges.append(weakref.ref(next(iter(scene.edges.values()))))
        frozen.append(gc.get_freeze_count())
        del doc
        assert [ref() is None for ref in graphs] == [True] * (len(graphs) - 1) + [False]
        assert [ref() is None for ref in edges] == [True] * (len(edges) - 1) + [False]
    assert max(frozen[1:]) - min(frozen[1:]) < 20_000, frozen

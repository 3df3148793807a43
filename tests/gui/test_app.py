"""The main window end to end: run the tutorial, animate backprop, step back, errors at their
line, export, device toggle, settings, search and breakpoints (pytest-qt, offscreen)."""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from gradtrace.gui.app import MainWindow

TIMEOUT = 30_000
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings_path(tmp_path):
    return str(tmp_path / "settings.ini")


@pytest.fixture
def window(qtbot, settings_path):
    w = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    return w


def run(window, qtbot):
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.run_script()
    return blocker.args[0]


def backward(window, qtbot, node_id):
    """Run backward from `node_id` (a job on the run's child process) and wait for its end:
    True when its steps were added."""
    with qtbot.waitSignal(window.backwardRecorded, timeout=TIMEOUT) as blocker:
        assert window.run_backward_from(node_id)
    return blocker.args[0]


def step(window, qtbot):
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.step_script()
    return blocker.args[0]


def play_to_end(window, qtbot):
    player = window.player_widget
    player.set_speed(16.0)
    with qtbot.waitSignal(player.finished, timeout=TIMEOUT):
        player.play()


def test_tutorial_is_preloaded_on_first_start(window):
    text = window.script_panel.text()
    assert "x = torch.ones(2, 2, requires_grad=True)" in text
    assert "out.backward()" in text


def test_backward_animation_to_the_end_gives_x_grad_4_5(window, qtbot):
    doc = run(window, qtbot)
    assert doc.error is None
    assert window.console.text() == ""        # nothing printed yet at this step
    play_to_end(window, qtbot)
    assert "4.5000" in window.console.text()
    player = window.player_widget
    assert player.position == len(doc.timeline) - 1
    window.select_node("x")
    grad = window.inspector.grad_view.array()
    assert grad is not None and grad.shape == (2, 2)
    np.testing.assert_allclose(grad, 4.5)
    assert "4.5" in window.inspector.grad_text()
    assert window.graph_view.graph_scene.nodes["x"].grad_text == "grad: 4.5 (all)"


def test_stepping_back_to_the_start_removes_the_grads(window, qtbot):
    run(window, qtbot)
    play_to_end(window, qtbot)
    player = window.player_widget
    window.select_node("x")
    with qtbot.waitSignal(player.stepChanged, timeout=TIMEOUT):
        player.step_back()
    with qtbot.waitSignal(player.stepChanged, timeout=TIMEOUT) as blocker:
        player.to_start()
    assert blocker.args == [0]
    assert window.inspector.grad_view.array() is None
    scene = window.graph_view.graph_scene
    assert scene.nodes["x"].grad_text is None
    assert not any(e.grad_label for e in scene.edges.values())
    # and forward again restores the same picture exactly
    with qtbot.waitSignal(player.stepChanged, timeout=TIMEOUT):
        player.to_end()
    np.testing.assert_allclose(window.inspector.grad_view.array(), 4.5)


def test_step_runs_one_statement_and_marks_it(window, qtbot):
    step(window, qtbot)                      # import torch
    doc = step(window, qtbot)                # x = torch.ones(...)
    assert window.script_panel.editor.statement_lines == (6, 6)
    assert "x" in doc.graph
    doc = step(window, qtbot)                # y = x + 2
    assert "y" in doc.graph
    assert window.script_panel.editor.statement_lines == (7, 7)


SYNTAX = "import torch\nx = torch.ones(2)\ny = (x +\nz = 1\n"
SHAPES = "import torch\na = torch.ones(2, 3, requires_grad=True)\nb = torch.ones(4, 5)\nc = a @ b\n"


@pytest.mark.parametrize("text, line", [(SYNTAX, 3), (SHAPES, 4)])
def test_errors_show_their_line_and_keep_the_text(window, qtbot, text, line):
    window.load_script(text)
    doc = run(window, qtbot)
    assert doc.error is not None
    banner = window.script_panel.error_banner
    assert banner.isVisible()
    assert f"line {line}" in banner.text()
    assert window.script_panel.editor.error_line == line
    assert window.script_panel.text() == text


def test_shape_error_still_draws_what_ran(window, qtbot):
    window.load_script(SHAPES)
    doc = run(window, qtbot)
    assert "a" in doc.graph
    assert "a" in window.graph_view.graph_scene.nodes


def test_export_png_svg_dot_json(window, qtbot, tmp_path):
    run(window, qtbot)
    png = window.export(tmp_path / "graph.png")
    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() > 200 and image.height() > 200
    svg = window.export(tmp_path / "graph.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    dot = window.export(tmp_path / "graph.dot").read_text()
    assert "digraph" in dot and "MulBackward0" in dot
    assert '"x"' in window.export(tmp_path / "graph.json").read_text()


def test_device_toggle_disabled_without_cupy(window):
    try:
        import cupy  # noqa: F401
        pytest.skip("CuPy is installed")
    except ImportError:
        pass
    action = window.actions_.gpu
    assert not action.isEnabled()
    assert "CuPy" in action.toolTip() or "GPU" in action.toolTip()


def test_search_highlights_matches(window, qtbot):
    run(window, qtbot)
    window.search_field.setText("mulbackward")
    hits = window.search_graph()
    assert len(hits) == 2
    scene = window.graph_view.graph_scene
    assert all(scene.nodes[h].search_hit for h in hits)
    assert not scene.nodes["x"].search_hit


def test_breakpoint_stops_playback(window, qtbot):
    doc = run(window, qtbot)
    target = next(n for n, a in doc.graph.nodes(data=True) if a.get("op") == "AddBackward0")
    window.set_breakpoint(target, True)
    player = window.player_widget
    player.set_speed(16.0)
    with qtbot.waitSignal(player.breakpointHit, timeout=TIMEOUT) as blocker:
        player.play()
    entry = doc.timeline.entries[blocker.args[0]]
    assert entry.node == target
    assert not player.is_playing


NAN_SCRIPT = """import torch
x = torch.tensor([0.0, 4.0], requires_grad=True)
y = x.sqrt()
loss = y.sum()
loss.backward()
"""


def test_nan_breakpoint_stops_and_marks_red(window, qtbot):
    window.load_script(NAN_SCRIPT)
    doc = run(window, qtbot)
    assert doc.error is None
    player = window.player_widget
    player.set_break_on_nonfinite(True)
    player.set_speed(16.0)
    with qtbot.waitSignal(player.breakpointHit, timeout=TIMEOUT):
        player.play()
    state = player.state()
    assert state.nonfinite is not None
    item = window.graph_view.graph_scene.nodes[state.nonfinite]
    assert item.state["nonfinite"]


def test_settings_and_text_persist(qtbot, settings_path):
    first = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.load_script("import torch\nw = torch.zeros(3, requires_grad=True)\n")
    first.actions_.direction.setChecked(True)
    first.close()
    second = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    assert second.script_panel.text().startswith("import torch\nw = torch.zeros(3")
    assert second.direction == "LR"


def test_direction_toggle_relays_out(window, qtbot):
    doc = run(window, qtbot)
    before = dict(doc.layout.positions)
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.actions_.direction.setChecked(True)
    after = blocker.args[0].layout.positions
    # LR: the leaf is left of the output instead of above it
    assert after["x"][0] < after["out"][0]
    assert before["x"][1] < before["out"][1]


def test_save_and_open_script(window, tmp_path):
    path = tmp_path / "mine.py"
    window.write_script(str(path))
    assert path.read_text() == window.script_panel.text()
    window.load_script("")
    window.open_script(str(path))
    assert window.script_panel.text() == path.read_text()
    assert str(path) in window.settings.recent_files


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "resources" / "examples").glob("*.py")))
def test_examples_run_without_error(window, qtbot, name):
    window.open_example(name)
    doc = run(window, qtbot)
    assert doc.error is None, str(doc.error)
    assert len(doc.graph) > 0
    play_to_end(window, qtbot)


def test_shared_leaf_shows_accumulation_as_a_sum(window, qtbot):
    window.open_example("shared_leaf.py")
    doc = run(window, qtbot)
    player = window.player_widget
    scene = window.graph_view.graph_scene
    last_acc = max(i for i, e in enumerate(doc.timeline.entries)
                   if e.kind == "backward" and e.op == "AccumulateGrad")
    player.seek(last_acc)
    assert any(item.grad_text and "+" in item.grad_text for item in scene.nodes.values())


def _render(*args, cwd=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "gradtrace.gui", "render", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


def test_render_command_exit_codes(tmp_path):
    good = ROOT / "resources" / "examples" / "tutorial.py"
    out = tmp_path / "tutorial.png"
    proc = _render(good, "-o", out, "--step", "8", "--direction", "LR")
    assert proc.returncode == 0, proc.stderr
    assert not QImage(str(out)).isNull()
    bad = tmp_path / "bad.py"
    bad.write_text(SHAPES)
    out_bad = tmp_path / "bad.svg"
    proc = _render(bad, "-o", out_bad)
    assert proc.returncode == 1
    assert "line 4" in proc.stderr
    assert out_bad.exists()        # the graph as far as the run got


def test_show_returns_when_the_window_closes(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import gradtrace.core as torch
    from gradtrace.gui import show

    x = torch.ones(3, requires_grad=True)
    loss = (x * x).sum()
    shown = []

    def close_viewer():
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.viewer and w.isVisible():
                shown.append(sorted(w.graph_view.graph_scene.nodes))
                w.close()
    timer = QTimer()
    timer.timeout.connect(close_viewer)
    timer.start(200)
    show(loss)
    timer.stop()
    assert shown and "x" in shown[0] and "loss" in shown[0]


def test_right_click_menu_sets_a_breakpoint(window, qtbot):
    doc = run(window, qtbot)
    view = window.graph_view
    node = next(n for n, a in doc.graph.nodes(data=True) if a.get("op") == "MulBackward0")
    menu = view.node_menu(view.graph_scene.nodes[node])
    qtbot.addWidget(menu)
    brk = next(a for a in menu.actions() if a.text() == "Break here")
    brk.trigger()
    assert node in window.breakpoints
    assert node in window.player_widget.player.breakpoints


def test_collapse_and_expand_a_group(window, qtbot):
    window.open_example("shared_leaf.py")
    doc = run(window, qtbot)
    groups = {a.get("group") for _, a in doc.graph.nodes(data=True)} - {None}
    assert groups, "square_plus calls should form a group"
    group = sorted(groups)[0]
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT):
        window.toggle_group(group)
    assert f"group:{group}" in window.graph_view.graph_scene.nodes
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT):
        window.toggle_group(group)
    assert f"group:{group}" not in window.graph_view.graph_scene.nodes


def test_backward_started_from_a_node_joins_the_timeline(window, qtbot):
    window.script_panel.set_text("import torch\n"
                                 "x = torch.ones(2, 2, requires_grad=True)\n"
                                 "out = (x * 3).sum()\n")
    doc = run(window, qtbot)
    before = len(doc.timeline)
    assert not any(e.kind == "backward" for e in doc.timeline.entries)
    menu = window.graph_view.node_menu(window.graph_view.graph_scene.nodes["out"])
    qtbot.addWidget(menu)
    action = next(a for a in menu.actions() if a.text() == "Run backward from here")
    with qtbot.waitSignal(window.backwardRecorded, timeout=TIMEOUT):   # a job on the child
        action.trigger()
    assert len(doc.timeline) > before
    assert window.player_widget.slider.maximum() == len(doc.timeline) - 1
    play_to_end(window, qtbot)
    state = window.player_widget.player.state
    np.testing.assert_allclose(state.leaf_grads["x"], 3.0)
    # a second one accumulates, as a second backward() would
    assert backward(window, qtbot, "out")
    play_to_end(window, qtbot)
    np.testing.assert_allclose(window.player_widget.player.state.leaf_grads["x"], 6.0)
    # a non-scalar root says why in the status bar and changes nothing
    window.script_panel.set_text("import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n")
    doc = run(window, qtbot)
    n = len(doc.timeline)
    assert not backward(window, qtbot, "y")
    assert "grad can be implicitly created only for scalar outputs" in window.statusBar().currentMessage()
    assert len(doc.timeline) == n


def test_console_shows_a_loops_prints_in_step_with_its_backward_calls(window, qtbot):
    window.script_panel.set_text("import torch\n"
                                 "x = torch.ones(2, requires_grad=True)\n"
                                 "for i in range(2):\n"
                                 "    print('iteration', i)\n"
                                 "    (x * 2).sum().backward()\n"
                                 "print('done')\n")
    doc = run(window, qtbot)
    entries = doc.timeline.entries
    player = window.player_widget
    seen = []
    for call in (0, 1):
        first = next(e.index for e in entries if e.kind == "backward" and e.call == call)
        player.seek(first)
        seen.append(window.console.text())
    player.seek(len(entries) - 1)
    seen.append(window.console.text())
    assert seen == ["iteration 0\n", "iteration 0\niteration 1\n",
                    "iteration 0\niteration 1\ndone\n"]


def test_one_step_works_out_its_state_once(window, qtbot):
    doc = run(window, qtbot)
    calls = []
    state_at = doc.timeline.state_at
    doc.timeline.state_at = lambda i: calls.append(i) or state_at(i)
    player = window.player_widget
    announced = []
    player.stateChanged.connect(announced.append)
    end = player.position
    for expected in (end - 1, end - 2):
        with qtbot.waitSignal(player.stateChanged, timeout=TIMEOUT) as blocker:
            player.step_back()
        assert blocker.args[0].index == expected
    assert calls == [end - 1, end - 2]    # graph, inspector, console and marks share it
    assert [s.index for s in announced] == [end - 1, end - 2]   # one announcement per step


def test_console_is_complete_at_the_end_of_nn_training(window, qtbot):
    window.open_example("nn_training.py")
    doc = run(window, qtbot)
    printed = doc.recording.output
    assert printed.count("loss") == 2
    window.player_widget.to_end()
    assert window.console.text() == printed
    window.player_widget.to_start()
    window.player_widget.to_end()
    assert window.console.toPlainText() == printed


def test_no_backward_from_a_node_while_a_run_is_in_progress(window, qtbot):
    window.script_panel.set_text("import torch\n"
                                 "x = torch.ones(2, 2, requires_grad=True)\n"
                                 "out = (x * 3).sum()\n")
    doc = run(window, qtbot)
    before = len(doc.timeline)
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT):
        window.run_script()
        assert window.jobs.busy
        view = window.graph_view
        menu = view.node_menu(view.graph_scene.nodes["out"])
        qtbot.addWidget(menu)
        action = next(a for a in menu.actions() if a.text() == "Run backward from here")
        assert not action.isEnabled()
        assert not window.run_backward_from("out")
        assert "wait until the run in progress ends" in window.statusBar().currentMessage()
        assert len(doc.timeline) == before
    menu = view.node_menu(view.graph_scene.nodes["out"])
    qtbot.addWidget(menu)
    assert next(a for a in menu.actions() if a.text() == "Run backward from here").isEnabled()
    assert backward(window, qtbot, "out")


def test_device_action_tooltip_and_status_tip_agree(window, monkeypatch):
    from gradtrace.gui import pipeline
    action = window.actions_.gpu
    window._update_device_action()
    assert action.toolTip() == action.statusTip()
    if not action.isEnabled():
        assert action.toolTip().startswith("Scripts run on the CPU; the GPU is unavailable: ")
        assert window.device_reason in action.toolTip()
    monkeypatch.setattr(pipeline, "device_status", lambda: (True, "Run the script on the GPU"))
    window._update_device_action()
    assert action.isEnabled()
    assert action.toolTip() == action.statusTip() == (
        "Scripts run on the CPU: click to run on the GPU (re-runs the script)")
    action.setChecked(True)        # no run yet: nothing re-runs
    assert action.text() == "GPU"
    assert action.toolTip() == action.statusTip() == (
        "Scripts run on the GPU (CuPy): click to run on the CPU (re-runs the script)")
    action.setChecked(False)


def test_a_breakpoint_on_a_constant_is_refused_with_the_reason(window, qtbot):
    window.script_panel.set_text("import torch\n"
                                 "x = torch.ones(2, requires_grad=True)\n"
                                 "w = torch.tensor([2.0, 3.0])\n"
                                 "y = (x * w).sum()\n"
                                 "y.backward()\n")
    doc = run(window, qtbot)
    assert doc.graph.nodes["w"]["kind"] == "constant"
    assert not window.set_breakpoint("w", True)
    assert window.statusBar().currentMessage() == (
        "No breakpoint on the constant w: it gets no gradient, so backward never stops there. "
        "Break on MulBackward0, which uses it.")
    assert "w" not in window.breakpoints
    assert not window.graph_view.graph_scene.nodes["w"]._breakpoint   # no red dot drawn
    assert "w" not in window.player_widget.player.breakpoints
    mul = next(n for n, a in doc.graph.nodes(data=True) if a.get("op") == "MulBackward0")
    assert window.set_breakpoint(mul, True)          # what the message suggests does fire
    player = window.player_widget
    player.set_speed(16.0)
    with qtbot.waitSignal(player.breakpointHit, timeout=TIMEOUT) as blocker:
        player.play()
    assert doc.timeline.entries[blocker.args[0]].node == mul


def test_a_closed_window_is_freed(qtbot, settings_path):
    """Nothing that outlives a window (the app's style hints, its signals) holds it: a closed
    window and its document go (a lambda holding the window, connected to
    styleHints().colorSchemeChanged, kept every closed viewer and its graph for good)."""
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    w = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat), viewer=True)
    w.show()
    gone = weakref.ref(w)
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del w
    gc.collect()
    assert gone() is None

"""Debugger stepping in the window: F10 steps over a statement and leaves its backward steps to
Play, F11 steps into a top-level loop iteration by iteration, Shift+F11 and F5 continue; the
player's keys reach the player after a run, and the status bar says what is true."""
import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from gradtrace.gui.app import MainWindow

TIMEOUT = 30_000
LOOP = """import torch
w = torch.ones(2, requires_grad=True)
for step in range(3):
    loss = (w * (step + 1)).sum()
    loss.backward()
    print("step", step)
print("done")
"""


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    w.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(w)
    w.show()
    return w


def job(window, qtbot, start):
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        start()
    return blocker.args[0]

def backward(window, qtbot, node_id):
    """Run backward from `node_id` (a job on the run's child process) and wait for its end:
    True when its steps were added."""
    with qtbot.waitSignal(window.backwardRecorded, timeout=TIMEOUT) as blocker:
        assert window.run_backward_from(node_id)
    return blocker.args[0]


def play_to_end(window, qtbot):
    player = window.player_widget
    player.set_speed(16.0)
    seen = []
    player.stepChanged.connect(seen.append)
    with qtbot.waitSignal(player.finished, timeout=TIMEOUT):
        player.play()
    player.stepChanged.disconnect(seen.append)
    return seen


def status(window):
    return window.statusBar().currentMessage()


def test_f10_over_backward_leaves_its_steps_for_play(window, qtbot):
    statements = [line for line in window.script_panel.text().splitlines()
                  if line.strip() and not line.lstrip().startswith("#")]
    backward_at = statements.index("out.backward()")
    for _ in range(backward_at):
        doc = job(window, qtbot, window.step_script)
        assert "Press Space" not in status(window)     # nothing to play: Space would not
    doc = job(window, qtbot, window.step_script)       # out.backward()
    entries = doc.timeline.entries
    player = window.player_widget
    position = player.position
    assert entries[position].kind == "forward"
    assert entries[position].label.endswith("out.backward()")
    ahead = [e.kind for e in entries[position + 1:]]
    assert ahead and set(ahead) == {"backward"}
    assert status(window) == (f"Ran 1 statement (line 12). Press Space to play the "
                              f"{len(ahead)} backward steps.")
    seen = play_to_end(window, qtbot)
    assert [entries[i].kind for i in seen] == ahead    # Play animated exactly the backward pass
    np.testing.assert_allclose(player.state().leaf_grads["x"], 4.5)


def test_f11_steps_into_a_loop_one_iteration_at_a_time(window, qtbot):
    window.script_panel.set_text(LOOP)
    job(window, qtbot, window.step_script)     # import torch
    job(window, qtbot, window.step_script)     # w = ...
    for i in range(3):
        doc = job(window, qtbot, window.step_into)
        assert status(window).startswith(f"Ran iteration {i + 1} of the loop at line 3. "
                                         "Press Space to play the 3 backward steps")
        assert window.script_panel.editor.statement_lines == (4, 6)     # the body
        assert doc.recording.output == "".join(f"step {k}\n" for k in range(i + 1))
        assert len(doc.recording.calls) == i + 1
        label = doc.timeline.entries[window.player_widget.position].label
        assert label == f"line 3: for step in range(3): (iteration {i + 1})"
        seen = play_to_end(window, qtbot)
        assert len(seen) == 3
        np.testing.assert_allclose(window.player_widget.state().leaf_grads["w"],
                                   sum(range(1, i + 2)))
    doc = job(window, qtbot, window.step_into)   # the loop is used up: on to print("done")
    assert status(window).startswith("Ran 1 statement (line 7)")
    assert doc.recording.output.endswith("done\n")
    assert doc.session.finished


def test_f10_over_a_loop_runs_it_whole(window, qtbot):
    window.script_panel.set_text(LOOP)
    job(window, qtbot, window.step_script)
    job(window, qtbot, window.step_script)
    doc = job(window, qtbot, window.step_script)
    assert doc.recording.output == "step 0\nstep 1\nstep 2\n"
    assert len(doc.recording.calls) == 3
    assert status(window) == "Ran 1 statement (line 3). Press Space to play the 9 backward steps."


def test_f10_inside_a_loop_and_shift_f11_finish_it(window, qtbot):
    window.script_panel.set_text(LOOP)
    for start in (window.step_script, window.step_script, window.step_into):
        job(window, qtbot, start)
    doc = job(window, qtbot, window.step_out)
    assert status(window).startswith("Ran iterations 2 to 3 of the loop at line 3.")
    assert doc.recording.output == "step 0\nstep 1\nstep 2\n"
    assert not doc.session.finished
    doc = job(window, qtbot, window.step_out)         # outside a loop: to the end
    assert doc.session.finished and doc.recording.output.endswith("done\n")


def test_f5_after_stepping_continues_the_session(window, qtbot):
    window.script_panel.set_text(LOOP)
    first = job(window, qtbot, window.step_script)
    session = first.session
    job(window, qtbot, window.step_script)
    job(window, qtbot, window.step_into)
    doc = job(window, qtbot, window.run_script)
    assert doc.session is session and session.finished
    assert doc.recording.output == "step 0\nstep 1\nstep 2\ndone\n"
    # it stands before the backward steps that the continuation made: Play animates them
    entries = doc.timeline.entries
    after = entries[window.player_widget.position + 1]
    assert after.kind == "backward" and after.call == 1
    assert "Press Space to play the 6 backward steps" in status(window)
    doc = job(window, qtbot, window.run_script)      # finished: F5 runs it again from the top
    assert doc.session is None and doc.recording.output == "step 0\nstep 1\nstep 2\ndone\n"


def test_space_after_run_plays_and_typing_still_types(window, qtbot):
    editor = window.script_panel.editor
    window.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    text = window.script_panel.text()
    doc = job(window, qtbot, window.run_script)
    assert not editor.hasFocus()
    assert status(window).endswith("Press Space to play the 5 backward steps.")
    player = window.player_widget
    start = player.position
    player.set_speed(16.0)
    with qtbot.waitSignal(player.finished, timeout=TIMEOUT):
        qtbot.keyClick(window.graph_view.viewport(), Qt.Key.Key_Space)
    assert player.position == len(doc.timeline) - 1 > start
    assert window.script_panel.text() == text
    qtbot.keyClick(window.graph_view.viewport(), Qt.Key.Key_Home)
    assert player.position == 0
    # in the editor the plain keys type and move the cursor ...
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClick(editor, Qt.Key.Key_Space)
    assert window.script_panel.text() != text and player.position == 0
    # ... and the F-keys and Alt combinations drive the player from there too
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.AltModifier)
    assert player.position == len(doc.timeline) - 1
    qtbot.keyClick(editor, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert player.position == len(doc.timeline) - 2
    qtbot.keyClick(editor, Qt.Key.Key_Home, Qt.KeyboardModifier.AltModifier)
    assert player.position == 0
    with qtbot.waitSignal(player.finished, timeout=TIMEOUT):
        qtbot.keyClick(editor, Qt.Key.Key_F8)
    assert editor.hasFocus()


def test_f_keys_step_from_the_editor(window, qtbot):
    editor = window.script_panel.editor
    window.script_panel.set_text(LOOP)
    window.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    for key, mods in ((Qt.Key.Key_F10, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_F10, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier)):
        editor.setFocus()
        with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
            qtbot.keyClick(editor, key, mods)
    assert blocker.args[0].recording.statements[-1].part == "iteration 1"
    editor.setFocus()
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        qtbot.keyClick(editor, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    assert blocker.args[0].recording.statements[-1].part == "iterations 2 to 3"
    assert window.script_panel.text() == LOOP


def test_backward_from_a_node_stops_before_its_steps_and_names_the_key(window, qtbot):
    window.script_panel.set_text("import torch\n"
                                 "x = torch.ones(2, 2, requires_grad=True)\n"
                                 "out = (x * 3).sum()\n")
    doc = job(window, qtbot, window.run_script)
    before = len(doc.timeline)
    assert "Press Space" not in status(window)       # no backward steps: nothing to play
    assert backward(window, qtbot, "out")
    player = window.player_widget
    assert player.position == before - 1             # the new steps all lie ahead
    assert status(window) == "Backward from out: 3 steps added. Press Space to play them."
    seen = play_to_end(window, qtbot)
    assert seen == list(range(before, len(doc.timeline)))
    window.activateWindow()
    window.script_panel.editor.setFocus()
    qtbot.waitUntil(window.script_panel.editor.hasFocus)
    assert backward(window, qtbot, "out")           # from the editor Space would type
    assert status(window) == "Backward from out: 3 steps added. Press F8 to play them."

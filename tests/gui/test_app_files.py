"""The window's file side: unsaved edits are never replaced or quit without a Save / Discard /
Cancel question, loading is undoable, examples keep their names, the viewer's settings."""
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from gradtrace.gui.app import MainWindow

Button = QMessageBox.StandardButton
MINE = "import torch\nmine = torch.ones(3)  # my own work\n"


@pytest.fixture
def settings_path(tmp_path):
    return str(tmp_path / "settings.ini")


def make_window(qtbot, settings_path, **kwargs):
    w = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat), **kwargs)
    qtbot.addWidget(w)
    # pytest-qt closes the window after the test: let it go without a modal question
    w.ask_save_changes = lambda: Button.Discard
    return w


@pytest.fixture
def window(qtbot, settings_path):
    w = make_window(qtbot, settings_path)
    w.show()
    return w


class Answers:
    """Stands in for the Save / Discard / Cancel question and records that it was asked."""

    def __init__(self, window, answer):
        self.answer, self.asked = answer, 0
        window.ask_save_changes = self

    def __call__(self):
        self.asked += 1
        return self.answer


def type_own_script(window, qtbot):
    editor = window.script_panel.editor
    editor.selectAll()
    editor.insertPlainText(MINE)   # as typing or pasting does: an edit of the document
    assert window.is_modified()


ACTIONS = {
    "new": lambda w: w.new_script(),
    "example": lambda w: w.open_example("mlp_step.py"),
    "recent": lambda w: w._open_recent(w._recent_target),
}


@pytest.fixture
def recent_file(window, tmp_path):
    path = tmp_path / "other.py"
    path.write_text("import torch\nother = 1\n")
    window._recent_target = str(path)
    return path


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_replacing_unsaved_text_asks_and_cancel_keeps_it(window, qtbot, recent_file, action):
    type_own_script(window, qtbot)
    answers = Answers(window, Button.Cancel)
    ACTIONS[action](window)
    assert answers.asked == 1
    assert window.script_panel.text() == MINE
    assert window.is_modified()


@pytest.mark.parametrize("action", ["new", "example"])
def test_discard_replaces_and_undo_brings_the_text_back(window, qtbot, recent_file, action):
    type_own_script(window, qtbot)
    answers = Answers(window, Button.Discard)
    ACTIONS[action](window)
    assert answers.asked == 1
    assert window.script_panel.text() != MINE
    assert not window.is_modified()
    window.script_panel.editor.undo()
    assert window.script_panel.text() == MINE
    assert window.path is None          # Save asks where: no file gets this text unasked


def test_an_opened_file_starts_a_fresh_undo_history(window, qtbot, recent_file):
    type_own_script(window, qtbot)
    Answers(window, Button.Discard)
    window._open_recent(str(recent_file))
    assert window.script_panel.text() == recent_file.read_text()
    window.script_panel.editor.undo()   # must not put the discarded text under other.py
    assert window.script_panel.text() == recent_file.read_text()
    assert not window.script_panel.editor.document().isUndoAvailable()


def test_open_dialog_asks_first(window, qtbot, monkeypatch):
    type_own_script(window, qtbot)
    answers = Answers(window, Button.Cancel)
    opened = []
    monkeypatch.setattr("gradtrace.gui.script_files.QFileDialog.getOpenFileName",
                        lambda *a, **k: opened.append(a) or ("", ""))
    window.open_script_dialog()
    assert answers.asked == 1 and not opened
    assert window.script_panel.text() == MINE


def test_save_answer_writes_the_file_then_replaces(window, qtbot, tmp_path):
    path = tmp_path / "mine.py"
    window.write_script(str(path))
    type_own_script(window, qtbot)
    Answers(window, Button.Save)
    window.open_example("tutorial.py")
    assert path.read_text() == MINE
    assert "x = torch.ones(2, 2" in window.script_panel.text()


def test_no_question_without_edits(window, qtbot):
    answers = Answers(window, Button.Cancel)
    assert window.open_example("mlp_step.py")
    assert window.new_script()
    assert answers.asked == 0


def test_the_real_question_has_save_discard_cancel(window, qtbot):
    type_own_script(window, qtbot)
    del window.ask_save_changes          # the real QMessageBox this time
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append({box.standardButton(b) for b in box.buttons()})
        box.button(Button.Cancel).click()
    QTimer.singleShot(0, answer)
    assert not window.new_script()
    assert seen == [{Button.Save, Button.Discard, Button.Cancel}]
    assert window.script_panel.text() == MINE
    window.ask_save_changes = lambda: Button.Discard


def test_quitting_with_unsaved_edits_asks(qtbot, settings_path):
    window = make_window(qtbot, settings_path)
    window.show()
    type_own_script(window, qtbot)
    answers = Answers(window, Button.Cancel)
    assert not window.close()
    assert window.isVisible() and answers.asked == 1
    answers.answer = Button.Discard
    assert window.close()
    again = make_window(qtbot, settings_path)
    assert MINE not in again.script_panel.text()


def test_quitting_without_edits_does_not_ask(qtbot, settings_path):
    window = make_window(qtbot, settings_path)
    answers = Answers(window, Button.Cancel)
    window.show()
    assert window.close()
    assert answers.asked == 0


def test_title_carries_the_modified_mark(window, qtbot):
    assert window.windowTitle() == "tutorial.py[*] — gradtrace"
    assert not window.isWindowModified()
    type_own_script(window, qtbot)
    assert window.isWindowModified()


def test_examples_open_under_their_name_and_save_asks_where(window, qtbot, monkeypatch, tmp_path):
    window.open_example("mlp_step.py")
    assert window.windowTitle().startswith("mlp_step.py")
    asked = []
    target = tmp_path / "copy.py"
    monkeypatch.setattr("gradtrace.gui.script_files.QFileDialog.getSaveFileName",
                        lambda _w, _t, suggested, _f: asked.append(suggested) or (str(target), ""))
    assert window.save_script()
    assert asked and Path(asked[0]).name == "mlp_step.py"
    assert target.read_text() == window.script_panel.text()
    assert window.windowTitle().startswith("copy.py")


def test_viewer_keeps_its_own_window_state(qtbot, settings_path):
    import gradtrace.core as torch
    from gradtrace.gui import pipeline
    app_window = make_window(qtbot, settings_path)
    app_window.show()
    app_window.close()
    x = torch.ones(2, requires_grad=True)
    viewer = make_window(qtbot, settings_path, viewer=True)
    viewer.show_document(pipeline.tensors_document([(x * 2).sum()], {"x": x}))
    viewer.show()
    assert viewer.script_dock.isHidden()
    assert not any(a.isEnabled() for a in (viewer.actions_.run, viewer.actions_.step,
                                           viewer.actions_.step_into, viewer.actions_.step_out))
    viewer.close()
    again = make_window(qtbot, settings_path)
    again.show()
    assert not again.script_dock.isHidden()


def test_state_from_elsewhere_never_hides_the_editor(qtbot, settings_path):
    first = make_window(qtbot, settings_path)
    first.show()
    first.script_dock.hide()
    state = first.saveState()
    first.close()
    store = QSettings(settings_path, QSettings.Format.IniFormat)
    store.setValue("window/state", state)
    store.remove("window/state_owner")       # as an older version (or the viewer) left it
    store.sync()
    again = make_window(qtbot, settings_path)
    again.show()
    assert not again.script_dock.isHidden()


def test_a_closed_editor_stays_closed(qtbot, settings_path):
    first = make_window(qtbot, settings_path)
    first.show()
    first.script_dock.close()                 # the user closed it
    first.close()
    again = make_window(qtbot, settings_path)
    again.show()
    assert again.script_dock.isHidden()

"""The toolbar's "Engine: gradtrace | PyTorch" (gui/engine_control.py): remembered, greyed with
the reason where torch is missing, `gradtrace --engine torch` selecting it, and the question
before a file's first PyTorch run (remembered per file; an unsaved buffer: per session)."""
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui import __main__ as cli
from gradtrace.gui import pipeline
from gradtrace.gui.app import MainWindow

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "resources" / "examples" / "tutorial.py"
TIMEOUT = 60_000


def _window(qtbot, settings_path, answers=None):
    """A window whose not-sandboxed question is answered from `answers` (a list; each question
    pops the first answer and is counted in window.questions)."""
    window = MainWindow(QSettings(str(settings_path), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.questions = 0

    def ask():
        window.questions += 1
        return answers.pop(0) if answers else False
    window.ask_run_unsandboxed = ask
    return window


def _no_torch(monkeypatch):
    real = pipeline.importlib.util.find_spec
    monkeypatch.setattr(pipeline.importlib.util, "find_spec",
                        lambda name, *a: None if name == "torch" else real(name, *a))


def _toolbar_texts(window):
    from PySide6.QtWidgets import QLabel, QToolBar
    bar = window.findChild(QToolBar, "main_toolbar")
    labels = [w.text() for w in bar.findChildren(QLabel)]
    return labels, [a.text() for a in bar.actions()]


def test_toolbar_offers_both_engines_and_remembers_the_choice(qtbot, tmp_path):
    pytest.importorskip("torch")
    settings = tmp_path / "s.ini"
    window = _window(qtbot, settings)
    labels, actions = _toolbar_texts(window)
    assert " Engine: " in labels
    assert "gradtrace" in actions and "PyTorch" in actions
    engines = window.actions_.engines
    assert window.engine == "gradtrace" and engines["gradtrace"].isChecked()
    assert engines["torch"].isEnabled()
    assert "not sandboxed" in engines["torch"].toolTip()
    engines["torch"].trigger()   # as a click in the toolbar: no graph yet, nothing runs
    assert window.engine == "torch" and engines["torch"].isChecked()
    assert not engines["gradtrace"].isChecked()
    assert window.questions == 0 and not window.jobs.busy
    window.close()
    again = _window(qtbot, settings)
    assert again.engine == "torch" and again.actions_.engines["torch"].isChecked()


def test_pytorch_greyed_with_the_reason_without_torch(qtbot, tmp_path, monkeypatch):
    settings = tmp_path / "s.ini"
    QSettings(str(settings), QSettings.Format.IniFormat).setValue("run/engine", "torch")
    _no_torch(monkeypatch)
    window = _window(qtbot, settings)
    action = window.actions_.engines["torch"]
    assert not action.isEnabled()
    assert "pip install gradtrace[torch]" in action.toolTip()
    assert window.engine == "gradtrace"   # the remembered choice cannot run here
    assert window.set_engine("torch") is False and window.engine == "gradtrace"
    assert window.actions_.engines["gradtrace"].isChecked()


def test_command_line_engine_selects_it_for_this_session_only(qtbot, tmp_path):
    pytest.importorskip("torch")
    assert cli._open_parser().parse_args([]).engine is None   # the toolbar's choice stays
    assert cli._open_parser().parse_args(["--engine", "torch", "x.py"]).engine == "torch"
    settings = tmp_path / "s.ini"
    window = _window(qtbot, settings)
    window.engine = "torch"   # what open_window does with --engine torch
    assert window.actions_.engines["torch"].isChecked()
    assert window.settings.engine == "gradtrace"


def test_refusing_the_question_leaves_everything_as_it_was(qtbot, tmp_path):
    pytest.importorskip("torch")
    script = tmp_path / "mine.py"
    script.write_text(TUTORIAL.read_text())
    window = _window(qtbot, tmp_path / "s.ini", answers=[False])
    window.open_script(str(script))
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.run_script()   # a first graph on the gradtrace engine
    doc = blocker.args[0]
    text = window.script_panel.text()
    # the toolbar's switch re-runs a shown graph: refused, the engine and graph stay
    assert window.set_engine("torch") is False
    assert window.questions == 1
    assert window.engine == "gradtrace" and window.actions_.engines["gradtrace"].isChecked()
    assert window.settings.engine == "gradtrace"
    assert window.document is doc and not window.jobs.busy
    assert window.script_panel.text() == text
    # chosen without a graph, then F5, F10 and F11 refused: nothing runs
    window.document = None
    assert window.set_engine("torch")
    window.document = doc
    for start in (window.run_script, window.step_script, window.step_into):
        window.ask_run_unsandboxed = lambda: False
        start()
        assert not window.jobs.busy and window.document is doc
    assert window.script_panel.text() == text
    assert window.settings.unsandboxed_files == []


@pytest.mark.torch
def test_allowing_is_remembered_per_file(qtbot, tmp_path):
    pytest.importorskip("torch")
    script = tmp_path / "mine.py"
    script.write_text(TUTORIAL.read_text())
    settings = tmp_path / "s.ini"
    window = _window(qtbot, settings, answers=[True])
    window.set_engine("torch")
    window.open_script(str(script))
    for _ in range(2):   # asked before the first run only
        with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
            window.run_script()
        assert blocker.args[0].recording.engine == "torch"   # run in the child process
    assert window.questions == 1
    assert window.settings.unsandboxed_files == [str(script.resolve())]
    window.close()
    again = _window(qtbot, settings)   # a new session: the file's answer is remembered
    again.open_script(str(script))
    with qtbot.waitSignal(again.documentReady, timeout=TIMEOUT):
        again.step_script()
    assert again.questions == 0
    other = tmp_path / "other.py"
    other.write_text("import torch\nx = torch.ones(2, requires_grad=True)\n")
    again.open_script(str(other))
    again.run_script()   # another file is asked about (and refused here)
    assert again.questions == 1 and not again.jobs.busy


@pytest.mark.torch
def test_an_unsaved_buffer_is_allowed_for_the_session(qtbot, tmp_path):
    pytest.importorskip("torch")
    settings = tmp_path / "s.ini"
    window = _window(qtbot, settings, answers=[True])
    window.set_engine("torch")
    window.load_script(TUTORIAL.read_text(), None)
    assert window.path is None
    for _ in range(2):
        with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT):
            window.run_script()
    assert window.questions == 1
    assert window.settings.unsandboxed_files == []
    window.close()
    again = _window(qtbot, settings)
    again.load_script(TUTORIAL.read_text(), None)
    again.run_script()
    assert again.questions == 1 and not again.jobs.busy


def test_the_tour_runs_on_gradtrace_without_asking(qtbot, tmp_path):
    pytest.importorskip("torch")
    window = _window(qtbot, tmp_path / "s.ini")
    window.set_engine("torch")
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.tour.start()
    assert window.questions == 0
    assert blocker.args[0].recording.engine == "gradtrace"
    window.tour.leave()
    assert window.engine == "torch"


def test_choosing_an_engine_warms_its_spare_process(qtbot, tmp_path, monkeypatch):
    pytest.importorskip("torch")
    from gradtrace.gui.model import child
    warmed = []
    monkeypatch.setattr(child, "warm_up", lambda engine="gradtrace", background=True:
                        warmed.append(engine))
    window = _window(qtbot, tmp_path / "s.ini")
    warmed.clear()
    window.set_engine("torch")   # torch's import happens in the spare before the first F5
    window.engine = "gradtrace"
    assert warmed == ["torch", "gradtrace"]

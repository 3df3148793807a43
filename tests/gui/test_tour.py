"""Help > Tour (pytest-qt, offscreen): walking every stage runs its script and reaches the graph,
player and console state its text describes; leaving gives the user's script back; the
first-start offer, once dismissed for good, stays away."""
import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from gradtrace.gui.app import MainWindow
from gradtrace.gui.model.tour import STAGES

TIMEOUT = 30_000


@pytest.fixture
def settings_path(tmp_path):
    return str(tmp_path / "settings.ini")


def make_window(qtbot, settings_path):
    w = MainWindow(QSettings(settings_path, QSettings.Format.IniFormat))
    w.ask_save_changes = lambda: QMessageBox.StandardButton.Discard   # no modal question
    qtbot.addWidget(w)
    w.show()
    w.player_widget.set_speed(16.0)
    return w


@pytest.fixture
def window(qtbot, settings_path):
    return make_window(qtbot, settings_path)


def go(window, qtbot, index):
    with qtbot.waitSignal(window.tour.stageReady, timeout=TIMEOUT) as blocker:
        if window.tour.active:
            window.tour.go(index)
        else:
            window.tour.start(index)
    assert blocker.args == [index]


def check_stage(window, stage):
    doc, expect = window.document, stage.expect
    assert window.script_panel.text() == stage.script
    assert not window.is_modified()
    labels = {a.get("label") for _, a in doc.graph.nodes(data=True)}
    assert set(expect.nodes) <= labels, (stage.key, labels)
    error = doc.error
    if expect.errors:
        assert error is not None and any(e in str(error) for e in expect.errors), stage.key
        assert window.script_panel.error_banner.isVisible()
    else:
        assert error is None, (stage.key, error)
    state = window.player_widget.state()
    for label, value in expect.leaf_grads.items():
        leaf = next(n for n, a in doc.graph.nodes(data=True) if a.get("label") == label
                    and a.get("role") == "leaf")
        grad = state.leaf_grads.get(leaf)
        assert grad is not None, (stage.key, label)
        if value is not None:
            np.testing.assert_allclose(grad, value, rtol=1e-5)
    if expect.active is not None:
        assert doc.graph.nodes[state.active]["label"] == expect.active, stage.key
    for text in expect.output:
        assert text in window.console.text(), (stage.key, window.console.text())
    selected = window.graph_view.graph_scene.selected_node()
    if stage.select == "@active":
        assert selected == state.active
    elif stage.select is not None:
        assert doc.graph.nodes[selected]["label"] == stage.select, stage.key
        assert window.inspector.node_id == selected
    assert f"Stage {STAGES.index(stage) + 1} of {len(STAGES)}" in window.tour.panel.text()


def test_walking_every_stage_reaches_what_its_text_says(window, qtbot):
    for k, stage in enumerate(STAGES):
        go(window, qtbot, k)
        check_stage(window, stage)
    panel = window.tour.panel
    assert panel.next_button.text() == "Finish"
    with qtbot.waitSignal(window.tour.left, timeout=TIMEOUT):
        panel.next_button.click()
    assert not window.tour.active


def test_the_backward_stage_animates_to_four_and_a_half(window, qtbot):
    k = next(i for i, s in enumerate(STAGES) if s.key == "backward")
    go(window, qtbot, k)
    timeline = window.document.timeline
    assert window.player_widget.position == len(timeline) - 1
    assert "4.5" in window.inspector.grad_text()


def test_the_rule_stage_shows_the_mul_rule_in_the_inspector(window, qtbot):
    k = next(i for i, s in enumerate(STAGES) if s.key == "rule")
    go(window, qtbot, k)
    text = window.inspector.rule_text()
    assert text.startswith("The product rule")
    assert "grad_other = grad · self = [[2.25, 2.25], [2.25, 2.25]]" in text


def test_rerun_and_skip_and_back(window, qtbot):
    go(window, qtbot, 1)
    panel = window.tour.panel
    window.script_panel.editor.setPlainText("x = 1\n")   # the learner edits the stage's script
    with qtbot.waitSignal(window.tour.stageReady, timeout=TIMEOUT) as blocker:
        panel.rerun_button.click()
    assert blocker.args == [1] and window.script_panel.text() == STAGES[1].script
    with qtbot.waitSignal(window.tour.stageReady, timeout=TIMEOUT) as blocker:
        panel.next_button.click()
    assert blocker.args == [2]
    with qtbot.waitSignal(window.tour.stageReady, timeout=TIMEOUT) as blocker:
        panel.back_button.click()
    assert blocker.args == [1]


def test_leaving_restores_the_users_script_graph_and_file(window, qtbot, tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("import torch\na = torch.ones(3, requires_grad=True)\nb = a * 2\n")
    window.open_script(str(path))
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT):
        window.run_script()
    editor = window.script_panel.editor
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText("c = b + 1\n")            # unsaved edit, cursor at its end
    cursor = editor.textCursor().position()
    nodes = set(window.document.graph.nodes)
    assert window.is_modified()
    go(window, qtbot, 3)
    assert window.script_name() == "tour.py" and not window.is_modified()
    with qtbot.waitSignal(window.tour.left, timeout=TIMEOUT):
        window.tour.panel.leave_button.click()
    assert window.script_panel.text().endswith("b = a * 2\nc = b + 1\n")
    assert window.path == str(path) and window.is_modified()
    assert window.windowTitle().startswith("mine.py")
    assert editor.textCursor().position() == cursor
    assert set(window.document.graph.nodes) == nodes   # the user's graph, not the tour's
    editor.undo()                                       # the undo history came back too
    assert window.script_panel.text().endswith("b = a * 2\n")
    assert not window.tour.dock.isVisible()
    assert window.statusBar().currentMessage() == ""


def test_closing_during_the_tour_saves_the_users_script(qtbot, settings_path):
    w = make_window(qtbot, settings_path)
    w.script_panel.set_text("import torch\nmine = torch.zeros(1)\n")
    go(w, qtbot, 0)
    w.close()
    s = QSettings(settings_path, QSettings.Format.IniFormat)
    assert s.value("script/text") == "import torch\nmine = torch.zeros(1)\n"


def test_first_start_offer_dismissed_for_good_does_not_come_back(qtbot, settings_path):
    w = make_window(qtbot, settings_path)
    assert w.tour_offer is not None and w.tour_offer.isVisible()
    w.tour_offer.later_button.click()                  # "Not now": back at the next start
    assert not w.tour_offer.isVisible()
    w.close()
    w2 = make_window(qtbot, settings_path)
    assert w2.tour_offer is not None and w2.tour_offer.isVisible()
    w2.tour_offer.never_button.click()                 # "Don't show again": for good
    w2.close()
    w3 = make_window(qtbot, settings_path)
    assert w3.tour_offer is None
    assert QSettings(settings_path, QSettings.Format.IniFormat).value(
        "tour/offer_dismissed") in (True, "true")


def test_the_offer_starts_the_tour(qtbot, settings_path):
    w = make_window(qtbot, settings_path)
    with qtbot.waitSignal(w.tour.stageReady, timeout=TIMEOUT):
        w.tour_offer.start_button.click()
    assert w.tour.active and w.tour.index == 0
    assert not w.tour_offer.isVisible() and w.settings.tour_offer_dismissed


def test_the_tour_speaks_the_chosen_language_and_switches_live(window, qtbot):
    from gradtrace.gui import i18n
    k = next(i for i, s in enumerate(STAGES) if s.key == "rule")
    try:
        i18n.install("zh_CN")
        go(window, qtbot, k)
        panel = window.tour.panel
        assert panel.text().startswith("第 5 站（共 12 站）：每个节点的规则和它的数值")
        assert "乘积法则 grad_self = grad · other" in panel.text()
        assert panel.leave_button.text() == "离开导览"
        assert window.tour.dock.windowTitle() == "导览"
        i18n.install("zh_TW")   # live: every widget gets a LanguageChange
        qtbot.waitUntil(lambda: panel.leave_button.text() == "離開導覽")
        assert panel.text().startswith("第 5 站（共 12 站）：每個節點的規則和它的數值")
        assert window.tour.dock.windowTitle() == "導覽"
        assert "MulBackward0" in panel.text()   # PyTorch's names stay as PyTorch prints them
    finally:
        i18n.install("en")
    qtbot.waitUntil(lambda: panel.leave_button.text() == "Leave tour")


def test_the_tour_uses_the_windows_public_interface_only():
    """gui/tour.py reaches the window through what it offers (load_script, run_script,
    select_node, set_run_aside / restore_run, swap_script_document), no private name."""
    import ast
    from pathlib import Path

    import gradtrace.gui.tour as tour
    tree = ast.parse(Path(tour.__file__).read_text(encoding="utf-8"))
    private = sorted({f"{node.value.id}.{node.attr}" for node in ast.walk(tree)
                      if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                      and node.value.id in ("w", "window", "editor")
                      and node.attr.startswith("_")})
    assert private == []


def test_the_editor_swaps_documents_keeping_each_ones_history(qtbot):
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QTextDocument

    from gradtrace.gui.editor import CodeEditor
    from gradtrace.gui.highlighter import PythonHighlighter
    from gradtrace.gui.theme import DARK
    editor, keeper = CodeEditor(), QObject()
    qtbot.addWidget(editor)
    editor.setPlainText("x = 1\n")
    editor.insertPlainText("y = 2\n")
    mine = editor.highlighter
    user = editor.swap_document(QTextDocument("z = 3\n"), keeper)
    assert user.parent() is keeper and editor.toPlainText() == "z = 3\n"
    assert isinstance(editor.highlighter, PythonHighlighter) and editor.highlighter is not mine
    editor.set_theme(DARK)
    tour_doc = editor.swap_document(user, keeper)
    assert tour_doc.parent() is keeper and user.parent() is editor
    assert editor.highlighter is mine   # in the theme set meanwhile
    assert mine._formats["keyword"].foreground().color().name() == DARK.syntax["keyword"].lower()
    assert editor.toPlainText() == "y = 2\nx = 1\n" and user.isUndoAvailable()
    user.undo()
    assert editor.toPlainText() == "x = 1\n"


def test_the_tour_widens_the_script_for_its_lines_and_gives_the_width_back(window, qtbot):
    from gradtrace.gui.tour import TOUR_WIDTH
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: window.width() == 1600)
    before = window.script_dock.width()
    assert before < TOUR_WIDTH
    go(window, qtbot, 5)
    qtbot.waitUntil(lambda: window.script_dock.width() >= TOUR_WIDTH - 2)
    window.tour.leave()
    qtbot.waitUntil(lambda: abs(window.script_dock.width() - before) <= 2)

"""Source links in the window (pytest-qt, offscreen): a node selected in the graph marks the
lines that made it in the editor; the cursor put on a line outlines the nodes that line made."""
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextCursor

from gradtrace.gui.app import MainWindow

SCRIPT = '''import torch
x = torch.tensor([1.0, -2.0], requires_grad=True)
w = torch.tensor([3.0, 4.0], requires_grad=True)
y = (x * w
     + 1.0)
z = y.sum()
z.backward()
'''


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    w.script_panel.set_text(SCRIPT)
    with qtbot.waitSignal(w.documentReady, timeout=30_000):
        w.run_script()
    return w


def put_cursor(window, qtbot, line):
    editor = window.script_panel.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    cursor = QTextCursor(editor.document().findBlockByNumber(line - 1))
    editor.setTextCursor(cursor)


def test_selecting_a_node_marks_the_lines_that_made_it(window, qtbot):
    editor, scene = window.script_panel.editor, window.graph_view.graph_scene
    add = next(n for n in scene.nodes if n.startswith("AddBackward0"))
    window.select_node(add)
    assert editor.source_lines == (4, 5)          # the statement spans two lines
    window.select_node("z")
    assert editor.source_lines == (6, 6)
    window.select_node("x")                      # the leaf: made by its own line
    assert editor.source_lines == (2, 2)
    scene.clearSelection()
    assert editor.source_lines is None


def test_the_cursor_line_outlines_the_nodes_it_made(window, qtbot):
    scene = window.graph_view.graph_scene
    put_cursor(window, qtbot, 5)
    hit = {n for n, item in scene.nodes.items() if item.line_hit}
    assert "y" in hit and any(n.startswith("MulBackward0") for n in hit) and \
        any(n.startswith("AddBackward0") for n in hit)
    assert "z" not in hit and "x" not in hit
    put_cursor(window, qtbot, 6)
    assert {n for n, item in scene.nodes.items() if item.line_hit} >= {"z"}
    assert not scene.nodes["y"].line_hit
    put_cursor(window, qtbot, 1)                   # import torch made no node
    assert not any(item.line_hit for item in scene.nodes.values())


def test_the_editor_scrolling_to_a_statement_outlines_nothing(window, qtbot):
    scene = window.graph_view.graph_scene
    window.graph_view.setFocus()
    window.player_widget.seek(4)                   # marks line 5's statement, moves no focus
    assert not any(item.line_hit for item in scene.nodes.values())

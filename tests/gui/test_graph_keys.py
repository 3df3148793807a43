"""Keyboard navigation in the graph view (pytest-qt, offscreen): the arrows move the selection
along edges and within a layer, as the layout's direction draws them; Enter inspects; the
player's keys keep working; the shortcut reference lists the graph's keys."""
import pytest
from PySide6.QtCore import QSettings, Qt

from gradtrace.gui import pipeline
from gradtrace.gui.app import MainWindow
from gradtrace.gui.graph_view import GraphView
from gradtrace.gui.help import render_page
from gradtrace.gui.model.paths import step_from
from gradtrace.gui.theme import LIGHT
from tests.gui.small_graph import MUL, SCRIPT, shown_view


def test_step_from_follows_edges_and_layers_in_both_directions():
    pos = {"a": (0, 0), "b": (100, 0), "c": (90, 80), "d": (0, 160), "e": (200, 160)}
    edges = [("a", "c"), ("b", "c"), ("c", "d"), ("c", "e")]
    layers = [["a", "b"], ["c"], ["d", "e"]]
    assert step_from("c", "input", pos, edges, layers=layers) == "b"     # nearest in x
    assert step_from("c", "output", pos, edges, layers=layers) == "d"
    assert step_from("d", "next", pos, edges, layers=layers) == "e"
    assert step_from("e", "next", pos, edges, layers=layers) is None
    assert step_from("e", "previous", pos, edges, layers=layers) == "d"
    assert step_from("c", "input", pos, edges, shown=lambda n: n != "b") == "a"
    assert step_from("a", "input", pos, edges) is None
    lr = {k: (y, x) for k, (x, y) in pos.items()}   # the same graph drawn left to right
    assert step_from("d", "next", lr, edges, "LR") == "e"           # by layout lines, no layers
    with pytest.raises(ValueError, match="unknown move 'sideways'"):
        step_from("c", "sideways", pos, edges)


@pytest.fixture
def view(qtbot):
    v = shown_view(qtbot)
    v.setFocus()
    qtbot.waitUntil(v.hasFocus)
    return v


def test_arrows_move_the_selection_along_edges_and_enter_inspects(view, qtbot):
    scene = view.graph_scene
    scene.select_node(MUL)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert scene.selected_node() == "y"             # its output, drawn below it
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert scene.selected_node() == "SumBackward0#0@z"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert scene.selected_node() == MUL
    qtbot.keyClick(view, Qt.Key.Key_Up)
    first = scene.selected_node()
    assert first in {"AccumulateGrad:x", "AccumulateGrad:w"}
    layer = next(lay for lay in scene.layout.layers if first in lay)
    qtbot.keyClick(view, Qt.Key.Key_Right if first == sorted(
        layer, key=lambda n: scene.layout.positions[n][0])[0] else Qt.Key.Key_Left)
    second = scene.selected_node()
    assert second != first and second in layer      # its neighbour in the layer
    assert scene.path is not None and scene.path.node == second   # the path follows
    with qtbot.waitSignal(view.inspectRequested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [second]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert scene.selected_node() is None
    qtbot.keyClick(view, Qt.Key.Key_Down)           # nothing selected: the node in the middle
    assert scene.selected_node() is not None


def test_left_to_right_turns_the_arrows(qtbot):
    doc = pipeline.run_script(SCRIPT, include_saved=False, direction="LR")
    v = GraphView()
    qtbot.addWidget(v)
    v.show()
    v.graph_scene.set_graph(doc.graph, doc.layout)
    v.setFocus()
    qtbot.waitUntil(v.hasFocus)
    v.graph_scene.select_node(MUL)
    qtbot.keyClick(v, Qt.Key.Key_Right)
    assert v.graph_scene.selected_node() == "y"
    qtbot.keyClick(v, Qt.Key.Key_Left)
    assert v.graph_scene.selected_node() == MUL


def test_in_the_window_arrows_navigate_and_the_player_keys_still_play(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    w.script_panel.set_text(SCRIPT)
    with qtbot.waitSignal(w.documentReady, timeout=30_000):
        w.run_script()
    view = w.graph_view
    qtbot.waitUntil(view.hasFocus)                  # Run gives the graph the focus
    w.select_node(MUL)
    position = w.player_widget.position
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.graph_scene.selected_node() == "y" and w.inspected == "y"
    assert w.player_widget.position == position      # a plain arrow is no player key
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert w.player_widget.position == position - 1  # Shift+Left still steps back
    assert view.graph_scene.selected_node() == "y"
    page = render_page("shortcuts.html", LIGHT, w)
    assert "In the graph" in page and "select an input / an output" in page

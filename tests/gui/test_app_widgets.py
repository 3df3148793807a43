"""The widgets one by one: highlighter, editor marks, inspector views, player widget, job
queue cancellation, graph view zoom/search, theme (pytest-qt, offscreen)."""
import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QTextDocument

from gradtrace.gui.editor import CodeEditor, ScriptPanel
from gradtrace.gui.highlighter import PythonHighlighter
from gradtrace.gui.inspector import ArrayView, heatmap_image
from gradtrace.gui.player_widget import PlayerWidget
from gradtrace.gui.theme import DARK, LIGHT, MagnitudeScale
from gradtrace.gui.workers import JobQueue


def _color_at(doc, block, column):
    """Foreground colour the highlighter gave the character at (block, column)."""
    layout = doc.findBlockByNumber(block).layout()
    for fr in layout.formats():
        if fr.start <= column < fr.start + fr.length:
            return fr.format.foreground().color().name()
    return None


@pytest.mark.parametrize("column, name", [(0, "keyword"), (4, "torch"), (10, "torch"),
                                          (15, "number"), (18, "string"), (24, "comment")])
def test_highlighter_colours_each_kind(qapp, column, name):
    doc = QTextDocument("for torch.ones(2, 'ab') # c\n")
    hl = PythonHighlighter(doc, LIGHT)
    assert _color_at(doc, 0, column) == hl.format_for(name).foreground().color().name()


def test_highlighter_comment_hash_inside_string_is_not_a_comment(qapp):
    doc = QTextDocument("s = '# not a comment'\n")
    hl = PythonHighlighter(doc, LIGHT)
    assert _color_at(doc, 0, 8) == hl.format_for("string").foreground().color().name()


def test_editor_marks_statement_and_error(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.setPlainText("a = 1\nb = 2\nc = (\n")
    editor.mark_statement(2, 2)
    editor.mark_error(3)
    assert editor.statement_lines == (2, 2)
    assert editor.error_line == 3
    assert len(editor.extraSelections()) == 2
    assert editor.line_number_area_width() > 0
    editor.clear_marks()
    assert editor.extraSelections() == []


def test_script_panel_error_banner_keeps_text(qtbot):
    panel = ScriptPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_text("x = (\n")
    panel.show_error(1, "line 1: x = (: SyntaxError: '(' was never closed")
    assert panel.error_banner.isVisible()
    assert panel.text() == "x = (\n"
    panel.clear_error()
    assert not panel.error_banner.isVisible()


def test_array_view_numbers_heatmap_and_statistics(qtbot):
    view = ArrayView()
    qtbot.addWidget(view)
    view.show()
    view.set_array(np.full((2, 2), 4.5, dtype=np.float32))
    assert "4.5" in view.display_text()
    view.set_array(np.arange(400.0).reshape(20, 20))
    assert view.image.isVisible() and not view.image.pixmap().isNull()
    view.set_array(np.arange(10_000.0))
    assert not view.image.isVisible()
    assert "mean" in view.stats.text() and "numel 10000" in view.stats.text()
    view.set_array(np.array([np.nan, 1.0] * 30))
    assert "NaN 30" in view.stats.text()


def test_heatmap_is_red_for_positive_blue_for_negative(qapp):
    img = heatmap_image(np.array([[1.0, -1.0, 0.0]]))
    pos, neg, zero = (img.pixelColor(i, 0) for i in range(3))
    assert pos.red() > pos.blue() and neg.blue() > neg.red()
    assert zero.red() == zero.green() == zero.blue() == 255


def test_magnitude_scale_is_logarithmic_and_flags_nonfinite(qapp):
    scale = MagnitudeScale(0.01, 100.0)
    assert scale.position(1.0) == pytest.approx(0.5)
    assert scale.color(float("inf"), LIGHT).name() == LIGHT.nonfinite
    assert scale.color(1e-9, DARK) != scale.color(1e9, DARK)


def test_player_widget_without_player_is_inert(qtbot):
    w = PlayerWidget()
    qtbot.addWidget(w)
    w.set_player(None)
    w.play()
    assert not w.is_playing
    assert w.position == 0 and w.length == 0
    assert not w.play_action.isEnabled()


def test_job_queue_cancel_drops_the_result(qtbot):
    queue = JobQueue()
    done = []
    queue.done.connect(done.append)

    def slow(report, check_cancel):
        for i in range(2000):
            report("working", i, 2000)
            check_cancel()
            np.linalg.norm(np.ones(1000))
        return "finished"
    with qtbot.waitSignal(queue.started):
        queue.submit(slow)
    with qtbot.waitSignal(queue.cancelled, timeout=5000):
        queue.cancel()
    assert queue.wait(10_000)
    qtbot.wait(50)  # let queued signals from the worker arrive
    assert done == []
    with qtbot.waitSignal(queue.done, timeout=10_000) as blocker:
        queue.submit(lambda report, check: 42)
    assert blocker.args == [42]


def test_graph_view_zooms_around_the_cursor(qtbot):
    import networkx as nx

    from gradtrace.gui.graph_view import GraphView
    from gradtrace.gui.model.layout import LayeredLayout

    g = nx.DiGraph()
    g.add_node("x", kind="tensor", label="x", role="leaf", shape=(2,), dtype="float32")
    g.add_node("f", kind="function", label="MulBackward0", op="MulBackward0", role="function")
    g.add_edge("x", "f", kind="data", shape=(2,))
    view = GraphView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.graph_scene.set_graph(g, LayeredLayout().compute(g))
    view.fit_to_view()
    anchor = QPointF(300, 200)
    before = view.mapToScene(anchor.toPoint())
    zoom = view.zoom()
    view.zoom_by(2.0, anchor)
    assert view.zoom() == pytest.approx(2 * zoom)
    after = view.mapToScene(anchor.toPoint())
    assert abs(after.x() - before.x()) < 2 and abs(after.y() - before.y()) < 2
    assert view.search("mul") == ["f"]
    assert view.graph_scene.nodes["f"].search_hit


def test_job_queue_never_runs_two_jobs_at_once(qtbot):
    import threading
    queue = JobQueue()
    release, running, overlap, order = threading.Event(), [], [], []
    done = []
    queue.done.connect(done.append)

    def first(report, check_cancel):
        running.append(1)
        order.append("first")
        release.wait(10)          # the engine is busy and does not look at the cancel flag
        running.pop()
        return "first"

    def second(report, check_cancel):
        overlap.append(len(running))
        order.append("second")
        return "second"
    queue.submit(first)
    qtbot.waitUntil(lambda: order == ["first"], timeout=5000)
    queue.submit(second)          # cancels the first, whose thread still runs
    assert queue.busy and queue.running == 1
    qtbot.wait(100)
    assert order == ["first"]     # the second waits for the first's thread
    release.set()
    qtbot.waitUntil(lambda: done == ["second"], timeout=10_000)
    assert overlap == [0] and order == ["first", "second"]
    assert queue.wait(10_000) and queue.running == 0


def test_clicking_the_slider_track_jumps_there(qtbot):
    from PySide6.QtCore import QPoint, Qt

    from gradtrace.gui.model.graph import build_graph
    from gradtrace.gui.model.playback import Player, Timeline
    from tests.gui.recorded import run_script

    result = run_script("x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\n"
                        "out = z.mean()\nout.backward()\n")
    timeline = Timeline.from_run(result, build_graph(result))
    w = PlayerWidget()
    qtbot.addWidget(w)
    w.resize(800, 60)
    w.show()
    w.set_player(Player(timeline), timeline)
    slider = w.slider
    last = len(timeline) - 1
    assert last >= 8
    for value in (last, 2, 3 * last // 4):
        x = next(x for x in range(slider.width()) if slider.value_at(x) == value)
        with qtbot.waitSignal(w.stepChanged, timeout=2000) as blocker:
            qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(x, slider.height() // 2))
        assert blocker.args == [value] and w.position == value

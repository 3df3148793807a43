"""The graph view's legend overlay: it folds to a chip on click, the window remembers that, and
fitting the graph leaves the legend's corner free (pytest-qt, offscreen)."""
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, QSettings, Qt
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QApplication

from gradtrace.gui import pipeline
from gradtrace.gui.app import MainWindow
from gradtrace.gui.graph_view import GraphView

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
TIMEOUT = 30_000


def legend_in_viewport(view: GraphView) -> QRectF:
    corner = view.legend.mapTo(view.viewport(), QPoint(0, 0))
    return QRectF(view.legend.rect()).translated(corner.x(), corner.y())


def nodes_under_legend(view: GraphView) -> list[str]:
    legend = legend_in_viewport(view)
    under = []
    for node_id, item in view.graph_scene.nodes.items():
        if item.isVisible():
            shown = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
            if QRectF(shown).intersects(legend):
                under.append(node_id)
    return under


def test_legend_folds_to_a_chip_on_click_and_the_window_remembers(qtbot, tmp_path):
    path = str(tmp_path / "settings.ini")
    first = MainWindow(QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    legend = first.graph_view.legend
    assert not legend.is_collapsed()
    full = legend.size()
    with qtbot.waitSignal(legend.collapsedChanged) as blocker:
        qtbot.mouseClick(legend, Qt.MouseButton.LeftButton)
    assert blocker.args == [True]
    assert legend.is_collapsed()
    assert legend.width() < full.width() / 2 and legend.height() < full.height() / 4
    vp = first.graph_view.viewport().geometry()
    assert abs(legend.geometry().right() - vp.right()) < 20   # still in the top-right corner
    first.close()

    second = MainWindow(QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    second.show()
    legend = second.graph_view.legend
    assert legend.is_collapsed()
    qtbot.mouseClick(legend, Qt.MouseButton.LeftButton)
    assert not legend.is_collapsed()
    assert legend.size() == full
    assert not second.settings.legend_collapsed


def example_view(qtbot, name: str, size, step: int = 12) -> GraphView:
    doc = pipeline.run_script((EXAMPLES / name).read_text(), include_saved=True)
    view = GraphView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    view.graph_scene.set_graph(doc.graph, doc.layout)
    view.graph_scene.apply_state(doc.timeline.state_at(step), animate=False)
    view.legend.refresh()
    return view


@pytest.mark.parametrize("size", [(900, 700), (1400, 330), (270, 720)])
@pytest.mark.parametrize("name", ["nn_training.py", "mlp_step.py", "rnn_unrolled.py"])
def test_fit_to_view_leaves_the_legend_corner_free(qtbot, name, size):
    view = example_view(qtbot, name, size)
    assert view.legend.isVisible() and not view.legend.is_collapsed()
    view.fit_to_view()
    assert view.legend.height() > 200           # the |grad| ramp is showing
    # the whole graph is still in view, clear of the legend, unless that would make its labels
    # unreadable: then readable, the output (nothing is active) clear of the legend
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    if shown.contains(view.graph_scene.itemsBoundingRect()):
        assert nodes_under_legend(view) == []
    else:
        assert view.zoom() == pytest.approx(view.FIT_ZOOM) or view.zoom() > view.FIT_ZOOM
        focus = view.fit_focus()
        assert _fully_shown(view, view.graph_scene.nodes[focus])
        assert focus not in nodes_under_legend(view)


def test_fit_with_the_legend_folded_uses_the_room(qtbot):
    view = example_view(qtbot, "nn_training.py", (1400, 700))   # fits whole, readable
    view.fit_to_view()
    zoom = view.zoom()
    view.legend.set_collapsed(True)
    view.fit_to_view()
    assert view.zoom() > zoom
    assert nodes_under_legend(view) == []


def test_fit_graph_to_view_in_the_window(qtbot, tmp_path):
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.open_example("nn_training.py")
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT):
        window.run_script()
    window.player_widget.player.seek(12)
    window.actions_.fit.trigger()
    view = window.graph_view
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    if shown.contains(view.graph_scene.itemsBoundingRect()):
        assert nodes_under_legend(view) == []
    else:   # readable around the active node, clear of the legend
        focus = view.fit_focus()
        assert focus == view.graph_scene.state.active
        assert _fully_shown(view, view.graph_scene.nodes[focus])
        assert focus not in nodes_under_legend(view)


def test_a_run_and_playback_keep_the_graph_clear_of_the_legend(qtbot, tmp_path):
    # the first, readable fit overflows the view: it used to leave nodes under the legend
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.open_example("nn_training.py")
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT):
        window.run_script()
    view = window.graph_view
    assert view.zoom() >= view.READABLE_ZOOM
    assert nodes_under_legend(view) == []
    # following the active node never parks it under the legend
    legend = legend_in_viewport(view)
    for node_id, item in view.graph_scene.nodes.items():
        view.centerOn(item.sceneBoundingRect().center() - QPointF(
            (legend.center().x() - view.viewport().width() / 2) / view.zoom(),
            (legend.center().y() - view.viewport().height() / 2) / view.zoom()))
        assert node_id in nodes_under_legend(view)
        view.follow(node_id)
        assert node_id not in nodes_under_legend(view)


def _fully_shown(view, item) -> bool:
    box = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
    return QRectF(view.viewport().rect()).contains(QRectF(box))


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_the_first_view_starts_at_the_graphs_start_and_fit_keeps_labels_readable(
        qtbot, tmp_path, direction):
    # attention at 1600x1000: Fit used to shrink it below the zoom where labels are drawn,
    # the first view clipped "AccumulateGrad" at the left, left-to-right showed only the end
    from gradtrace.gui.graph_items import LOD_TEXT
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    window.open_example("attention.py")
    if direction == "LR":
        window.actions_.direction.setChecked(True)
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.run_script()
    doc, view = blocker.args[0], window.graph_view
    assert doc.layout.direction == direction
    items = [i for i in view.graph_scene.nodes.values() if i.isVisible()]
    along = (lambda i: i.pos().y()) if direction == "TB" else (lambda i: i.pos().x())
    first = min(along(i) for i in items)
    start = [i for i in items if along(i) == first]      # the first layer: the inputs
    assert view.zoom() >= view.FIT_ZOOM > LOD_TEXT
    assert all(_fully_shown(view, i) for i in start), [i.node_id for i in start
                                                         if not _fully_shown(view, i)]
    assert nodes_under_legend(view) == []
    # Fit, the graph too big to read whole: readable around the active node or the output
    window.actions_.fit.trigger()
    assert view.zoom() >= view.FIT_ZOOM
    focus = view.graph_scene.nodes[view.fit_focus()]
    assert focus.node_id == "loss"
    assert _fully_shown(view, focus) and "loss" not in nodes_under_legend(view)


def chain_view(qtbot, count=1000, size=(1000, 700)):
    from gradtrace.gui.graph_items import node_sizes
    from gradtrace.gui.model.layout import LayeredLayout
    from tests.gui.test_overview import chain_graph

    view = GraphView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    graph = chain_graph(count)
    view.graph_scene.set_graph(graph, LayeredLayout().compute(graph, sizes=node_sizes(graph)))
    qtbot.waitUntil(lambda: not view.graph_scene.building, timeout=60_000)
    return view


def test_fit_on_a_long_chain_shows_the_output_readable_and_fit_all_the_whole(qtbot):
    from gradtrace.gui.graph_items import LOD_TEXT
    view = chain_view(qtbot)
    last = view.graph_scene.nodes["n999"]
    view.fit_to_view()
    assert view.zoom() >= view.FIT_ZOOM > LOD_TEXT        # labels drawn
    assert view.fit_focus() == "n999"                   # nothing active: the output
    assert _fully_shown(view, last) and "n999" not in nodes_under_legend(view)
    view.fit_all()
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(view.graph_scene.graph_rect())
    assert view.zoom() < LOD_TEXT
    view.fit_to_view()   # and back, readable again
    assert view.zoom() >= view.FIT_ZOOM and _fully_shown(view, last)


def test_fit_follows_the_active_backward_node(qtbot, tmp_path):
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    window.script_panel.set_text("import torch\nx = torch.randn(3, requires_grad=True)\n"
                                 "h = x\nfor i in range(150):\n    h = torch.tanh(h * 0.5)\n"
                                 "h.sum().backward()\n")
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT):
        window.run_script()
    view, timeline = window.graph_view, window.document.timeline
    back = [e.index for e in timeline.entries if e.kind == "backward"]
    for k in (back[len(back) // 2], back[-3]):
        window.player_widget.seek(k)
        active = view.graph_scene.state.active
        assert active is not None
        view.centerOn(view.graph_scene.graph_rect().topLeft())
        window.actions_.fit.trigger()
        assert view.zoom() >= view.FIT_ZOOM
        assert view.fit_focus() == active
        assert _fully_shown(view, view.graph_scene.nodes[active]), active
        assert active not in nodes_under_legend(view)
    window.actions_.fit_all.trigger()
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(view.graph_scene.graph_rect())


class _Painted(QObject):
    """Notes the region of each paint event of the widget it filters."""

    def __init__(self):
        super().__init__()
        self.regions = []

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            self.regions.append(event.region())
        return False


def test_a_scroll_repaints_the_strip_that_comes_into_view_with_the_overlays_shown(qtbot):
    # the legend and the overview lie over the viewport: as its siblings they made Qt repaint
    # the whole viewport at every scroll (each pan frame, each step that follows the node)
    view = example_view(qtbot, "rnn_unrolled.py", (900, 700))
    view.setTransform(QTransform.fromScale(3.0, 3.0))
    view.overview.show()
    qtbot.waitExposed(view)
    assert view.legend.isVisible() and view.overview.isVisible()
    bar = view.verticalScrollBar()
    assert bar.maximum() - bar.minimum() > 100
    bar.setValue(bar.minimum())
    QApplication.processEvents()
    legend_at, overview_at = view.legend.pos(), view.overview.pos()
    painted = _Painted()
    view.viewport().installEventFilter(painted)
    bar.setValue(bar.value() + 30)
    QApplication.processEvents()   # (the paint the scroll asks for, as the event loop runs it)
    vp = view.viewport().rect()
    area = sum(r.width() * r.height() for region in painted.regions for r in region)
    assert painted.regions and area < 0.5 * vp.width() * vp.height()
    # the overlays stay in their corners
    assert view.legend.pos() == legend_at and view.overview.pos() == overview_at
    assert legend_in_viewport(view).right() > vp.right() - 30


def test_the_legend_is_painted_again_only_when_its_picture_changes(qtbot):
    # it lies over the graph, not opaque: each repaint of it repaints the graph under it, and
    # the window asked for one at every backward step
    doc = pipeline.run_script((EXAMPLES / "mlp_step.py").read_text(), include_saved=True)
    view = GraphView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    view.graph_scene.set_graph(doc.graph, doc.layout)
    qtbot.waitExposed(view)
    back = [i for i, e in enumerate(doc.timeline.entries) if e.kind == "backward"]
    calls = {doc.timeline.entries[i].call for i in back}
    first = [i for i in back if doc.timeline.entries[i].call == min(calls)]
    assert len(first) > 4
    painted = _Painted()
    view.legend.installEventFilter(painted)
    for i in first:
        view.graph_scene.apply_state(doc.timeline.state_at(i), animate=False)
        view.legend.refresh()   # (as the window does at each step)
        QApplication.processEvents()
    assert 1 <= len(painted.regions) <= 2   # the |grad| ramp came, once
    before = view.legend.grab().toImage()
    view.legend._picture = None   # drawn afresh: the same picture
    assert view.legend.grab().toImage() == before
    view.legend.set_collapsed(True)
    QApplication.processEvents()
    assert len(painted.regions) >= 3

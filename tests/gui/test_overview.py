"""The graph view's overview (pytest-qt, offscreen): the whole graph in miniature, the viewport
as a rectangle that follows the view and moves it when dragged, the active backward node marked;
View > Show overview toggles it and the choice is remembered."""
import pytest
from PySide6.QtCore import QAbstractAnimation, QEvent, QObject, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor

from gradtrace.gui.app import MainWindow


def make_window(qtbot, path):
    w = MainWindow(QSettings(str(path), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    return w


@pytest.fixture
def window(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path / "s.ini")
    w.open_example("cnn_blitz.py")
    with qtbot.waitSignal(w.documentReady, timeout=60_000):
        w.run_script()
    return w


def test_the_overview_shows_the_graph_and_follows_the_view(window, qtbot):
    view, overview = window.graph_view, window.graph_view.overview
    assert overview.isVisible() and window.actions_.overview.isChecked()
    # in the viewport's bottom-left corner, the graph's shape within its size limit
    vp = view.viewport().geometry()
    assert overview.geometry().left() <= vp.left() + 20
    assert overview.geometry().bottom() >= vp.bottom() - 20
    assert overview.width() <= overview.MAX_SIZE.width()
    overview.grab()   # paints the miniature
    assert overview.scene_rect().contains(view.graph_scene.itemsBoundingRect())
    before = overview.viewport_rect()
    assert overview.rect().toRectF().adjusted(-1, -1, 1, 1).intersects(before)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    after = overview.viewport_rect()
    assert after.center().y() > before.center().y() + 5
    view.zoom_by(0.5)
    assert overview.viewport_rect().width() > after.width() * 1.5


def test_dragging_in_the_overview_moves_the_view(window, qtbot):
    view, overview = window.graph_view, window.graph_view.overview
    view.zoom_by(2.0)
    target = QPoint(overview.width() // 4, overview.height() // 2)
    qtbot.mousePress(overview, Qt.MouseButton.LeftButton, pos=target)
    want = overview.to_scene(QPointF(target))
    centre = view.mapToScene(view.viewport().rect().center())
    assert abs(centre.x() - want.x()) < 30 and abs(centre.y() - want.y()) < 30
    qtbot.mouseRelease(overview, Qt.MouseButton.LeftButton, pos=target)
    end = QPoint(overview.width() * 3 // 4, overview.height() // 2)
    qtbot.mousePress(overview, Qt.MouseButton.LeftButton, pos=end)
    centre = view.mapToScene(view.viewport().rect().center())
    assert centre.x() > want.x() + 100
    qtbot.mouseRelease(overview, Qt.MouseButton.LeftButton, pos=end)
    assert overview.viewport_rect().contains(QPointF(end))


def test_the_active_backward_node_is_marked(window, qtbot):
    overview, timeline = window.graph_view.overview, window.document.timeline
    window.player_widget.seek(0)
    assert overview.active_point() is None
    k = next(e.index for e in timeline.entries if e.kind == "backward" and e.step == 5)
    window.player_widget.seek(k)
    scene = window.graph_view.graph_scene
    active = scene.state.active
    point = overview.active_point()
    assert point == overview.to_widget(scene.nodes[active].pos())
    image = overview.grab().toImage()
    ratio = image.devicePixelRatio()
    pixel = QColor(image.pixel(int(point.x() * ratio), int(point.y() * ratio)))
    assert pixel == QColor(scene.theme.active)


def test_the_view_menu_toggles_the_overview_and_remembers_it(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path / "s.ini")
    w.actions_.overview.setChecked(False)
    assert not w.graph_view.overview.isVisible() and w.settings.show_overview is False
    w.close()
    again = make_window(qtbot, tmp_path / "s.ini")
    assert not again.graph_view.overview.isVisible()
    assert not again.actions_.overview.isChecked()
    again.actions_.overview.setChecked(True)
    assert again.graph_view.overview.isVisible() and again.settings.show_overview is True


def chain_graph(count):
    """A chain of `count` backward functions: far taller than wide."""
    import networkx as nx
    graph = nx.DiGraph()
    for k in range(count):
        graph.add_node(f"n{k}", kind="function", label="AddBackward0", op="AddBackward0",
                       role="function")
        if k:
            graph.add_edge(f"n{k - 1}", f"n{k}")
    return graph


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_a_long_chain_shows_its_shape_in_the_overview(qtbot, direction):
    # 4,000 boxes in one column: at one scale for both axes the miniature was a twentieth of
    # a pixel wide and each box a hundredth of a pixel tall (nothing drawn)
    from gradtrace.gui.graph_items import node_sizes
    from gradtrace.gui.graph_view import GraphView
    from gradtrace.gui.model.layout import LayeredLayout

    view = GraphView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    graph = chain_graph(4000)
    layout = LayeredLayout(direction=direction).compute(graph, sizes=node_sizes(graph))
    view.graph_scene.set_graph(graph, layout)
    scene, overview = view.graph_scene, view.overview
    qtbot.waitUntil(lambda: scene.far_ready and not scene.building, timeout=60_000)
    overview.fit_size()
    image = overview.grab().toImage()
    ratio = image.devicePixelRatio()
    colour = QColor(scene.theme.role("function")).rgb() & 0xFFFFFF
    drawn = [(x, y) for x in range(image.width()) for y in range(image.height())
             if image.pixel(x, y) & 0xFFFFFF == colour]
    assert drawn, "nothing of the chain drawn"
    across = (max(p[0] for p in drawn) - min(p[0] for p in drawn)) / ratio
    along = (max(p[1] for p in drawn) - min(p[1] for p in drawn)) / ratio
    if direction == "LR":
        across, along = along, across
    inner = (overview.height() if direction == "TB" else overview.width()) - 2 * overview.MARGIN
    assert across >= 15, across            # the column has a width to see
    assert along >= 0.9 * inner, (along, inner)   # and runs the miniature's length


class _Paints(QObject):
    """Counts the paint events of the widgets it is installed on."""

    def __init__(self):
        super().__init__()
        self.count = {}

    def eventFilter(self, obj, event):  # Override from QObject
        if event.type() == QEvent.Type.Paint:
            self.count[obj] = self.count.get(obj, 0) + 1
        return False


def test_an_idle_view_does_not_repaint_itself_through_the_overview(window, qtbot):
    # the viewport's foreground asked the overview to repaint; the overview, not opaque, lies
    # over the viewport, whose part under it was painted again, whose foreground asked the
    # overview...: thousands of paints a second, a whole CPU, while nothing changed
    view, overview = window.graph_view, window.graph_view.overview
    paints = _Paints()
    view.viewport().installEventFilter(paints)
    overview.installEventFilter(paints)
    scene = view.graph_scene
    qtbot.waitUntil(lambda: not scene.building and not scene.pulsing_edges and
                    scene._fade.state() == QAbstractAnimation.State.Stopped)   # (they repaint)
    qtbot.wait(50)
    paints.count.clear()
    qtbot.wait(300)
    assert paints.count.get(view.viewport(), 0) <= 2, paints.count
    assert paints.count.get(overview, 0) <= 2, paints.count
    # the overview still follows the view: a scroll repaints it with the rectangle moved
    before = overview.viewport_rect()
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + 200 if bar.value() + 200 <= bar.maximum() else bar.minimum())
    qtbot.waitUntil(lambda: paints.count.get(overview, 0) >= 1)
    assert overview.viewport_rect() != before


def test_a_big_graphs_miniature_snapped_to_pixels_is_the_picture_of_each_box_drawn(qtbot):
    # above MAX_EDGES the boxes come as numpy columns snapped to the miniature's pixels (100,000
    # QRectFs drawn one by one took 60 ms of the GUI thread): the same pixels as drawing each
    import networkx as nx

    from gradtrace.gui.graph_items import node_sizes
    from gradtrace.gui.graph_view import GraphView
    from gradtrace.gui.model.layout import LayeredLayout

    view = GraphView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    graph = nx.DiGraph()
    for k in range(3600):   # 60 chains side by side, leaves feeding functions
        role = "leaf" if k % 60 == 0 else "function"
        graph.add_node(f"n{k}", kind="function" if role == "function" else "tensor",
                       label="MulBackward0", op="MulBackward0", role=role)
        if k >= 60:
            graph.add_edge(f"n{k - 60}", f"n{k}")
    layout = LayeredLayout().compute(graph, sizes=node_sizes(graph))
    scene, overview = view.graph_scene, view.overview
    scene.set_graph(graph, layout)
    qtbot.waitUntil(lambda: scene.far_ready and not scene.building, timeout=60_000)
    overview.fit_size()

    def picture():
        overview.invalidate()
        image = overview.grab().toImage()
        return {role: {(x, y) for x in range(image.width()) for y in range(image.height())
                       if image.pixel(x, y) & 0xFFFFFF == QColor(scene.theme.role(role)).rgb()
                       & 0xFFFFFF} for role in ("leaf", "function")}
    assert scene.far_item.box_arrays() is not None
    snapped = picture()
    scene.far_item.box_rects = None   # each box drawn as a QRectF with its outline
    scene.far_item.invalidate()
    drawn = picture()
    def near(pixels):   # every pixel at most one pixel from one of `pixels`
        return {(x + dx, y + dy) for x, y in pixels for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    for role in ("leaf", "function"):   # the same picture to a pixel (no outlines' sub-pixel
        # gaps: the drawn boxes' rows show the background between them, the snapped ones not)
        assert snapped[role] and drawn[role], role
        assert len(snapped[role] - near(drawn[role])) <= 0.01 * len(snapped[role]), role
        assert len(drawn[role] - near(snapped[role])) <= 0.01 * len(drawn[role]), role

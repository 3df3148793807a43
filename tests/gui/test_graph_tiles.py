"""The graph scene's batched drawing (pytest-qt, offscreen): numpy hit tests on the tiles, the
level of detail far out (the graph's shape in role colours), a step's colours reaching the
pixels, and a big graph built in slices with the event loop running between them."""
import dataclasses
import gc
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, QTimer
from PySide6.QtGui import QColor, QImage, QPainter

from gradtrace.gui.graph_items import node_sizes
from gradtrace.gui.graph_scene import GraphScene
from gradtrace.gui.graph_tiles import ZOOM_SHAPE, EdgeTile, FarItem, NodeTile, rough_edge_bounds
from gradtrace.gui.model.layout import LayeredLayout

from .small_graph import MUL, shown_view


def _mlp(blocks: int, model: str = "mlp"):
    """The benchmark's synthetic MLP graph (benchmarks/layout.py; or another `model` of it)
    and its layout."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "layout.py"
    spec = importlib.util.spec_from_file_location("layout_bench_for_tests", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    graph = getattr(mod, model)(blocks)
    return graph, LayeredLayout().compute(graph, sizes=node_sizes(graph))


def _render(scene: GraphScene, source: QRectF, width: int) -> QImage:
    height = max(1, int(width * source.height() / source.width()))
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(scene.theme.background))
    painter = QPainter(image)
    scene.render(painter, QRectF(0, 0, width, height), source)
    painter.end()
    return image


def _colors(image: QImage) -> set:
    return {image.pixelColor(x, y).name() for x in range(0, image.width(), 2)
            for y in range(0, image.height(), 2)}


def _close(a: QColor, b: QColor, tol: int = 40) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tol


# ---------------------------------------------------------------------- hit tests
def test_nodes_are_drawn_by_tiles_and_found_with_numpy(qtbot):
    view = shown_view(qtbot)
    scene = view.graph_scene
    assert not any(isinstance(i, type(scene.nodes[MUL])) for i in scene.items())
    assert all(isinstance(i, NodeTile) for i in scene.items() if i.zValue() == 2)
    item = scene.nodes[MUL]
    assert scene.node_at(item.pos()) is item
    assert view.node_at(view.mapFromScene(item.pos())) is item
    corner = item.scene_rect().topLeft() + QPointF(2, item.size()[1] / 2)
    assert scene.node_at(corner) is item
    far = scene.graph_rect().bottomRight() + QPointF(500, 500)
    assert scene.node_at(far) is None
    # a hidden node is not under the mouse; a rubber band finds the shown boxes it meets
    item.setVisible(False)
    assert scene.node_at(item.pos()) is None
    item.setVisible(True)
    band = item.scene_rect().adjusted(-1, -1, 1, 1)
    assert scene.nodes_in(band) == [MUL]
    assert set(scene.nodes_in(scene.graph_rect())) == set(scene.nodes)
    assert view.select_in(band) == [MUL] and scene.selected_node() == MUL
    # an edge is found along its drawn line, not across its bounding box's corner
    edge = next(e for e in scene.edges.values() if e.target == MUL)
    on_line = edge.path.pointAtPercent(0.5)
    assert scene.edge_at(on_line) is edge
    assert scene.edge_at(on_line + QPointF(40, 0)) is not edge


def test_a_click_on_a_box_selects_it_and_on_the_background_clears(qtbot):
    from PySide6.QtCore import Qt

    view = shown_view(qtbot)
    scene = view.graph_scene
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.mapFromScene(scene.nodes[MUL].pos()))
    assert scene.selected_node() == MUL and scene.nodes[MUL].isSelected()
    empty = scene.graph_rect().topLeft() + QPointF(3, 3)
    assert scene.node_at(empty) is None
    view.centerOn(empty)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(empty))
    assert scene.selected_node() is None


# ---------------------------------------------------------------------- level of detail
def test_far_out_the_graph_keeps_its_shape_in_role_colours(qtbot):
    graph, layout = _mlp(60)
    scene = GraphScene()
    scene.set_graph(graph, layout)
    scene.apply_state(None)
    far = next(i for i in scene.items() if isinstance(i, FarItem))
    assert not far.isVisible()
    scene.set_zoom(ZOOM_SHAPE / 2)
    assert far.isVisible()
    assert not any(t.isVisible() for t in scene.node_tiles + scene.edge_tiles)
    rect = scene.graph_rect()
    image = _render(scene, rect, 60)   # about 0.01 px per unit: below ZOOM_SHAPE
    colors = _colors(image)
    theme = scene.theme
    for role in ("leaf", "function"):
        assert any(_close(QColor(c), theme.role(role), 10) for c in colors), role
    # no grey smear: most of the picture is background, the boxes are their own colours
    bg = QColor(theme.background)
    share = sum(_close(image.pixelColor(x, y), bg, 10) for x in range(image.width())
                for y in range(image.height())) / (image.width() * image.height())
    assert share > 0.1 and len(colors) >= 3
    # back in: the tiles draw again, the FarItem hides
    scene.set_zoom(1.0)
    assert not far.isVisible() and all(t.isVisible() for t in scene.node_tiles)


def test_mid_zoom_draws_filled_boxes_and_zoom_one_draws_text(qtbot):
    view = shown_view(qtbot)
    scene = view.graph_scene
    item = scene.nodes["x"]
    box = item.scene_rect()
    fill = item.fill()
    few = _render(scene, box.adjusted(-20, -20, 20, 20), 12)   # ~0.1 px per unit
    assert any(_close(QColor(c), fill, 10) for c in _colors(few))
    assert not any(_close(QColor(c), QColor(scene.theme.text), 30) for c in _colors(few))
    near = _render(scene, box, int(box.width() * 2))   # zoom 2: title and subtitle
    assert any(_close(QColor(c), QColor(scene.theme.text), 60) for c in _colors(near))


# ---------------------------------------------------------------------- a step's colours
def test_a_steps_colours_reach_the_picture(qtbot):
    view = shown_view(qtbot)
    scene, doc = view.graph_scene, view.doc
    entries = doc.timeline.entries
    first_backward = next(i for i, e in enumerate(entries) if e.kind == "backward")
    state = doc.timeline.state_at(first_backward)
    scene.apply_state(state, animate=False)
    active = scene.nodes[state.active]
    box = active.scene_rect()
    theme = scene.theme

    def shows_active() -> bool:   # its halo and border
        image = _render(scene, box.adjusted(-8, -8, 8, 8), int(box.width()) + 16)
        return any(_close(QColor(c), QColor(theme.active), 40) for c in _colors(image))

    assert shows_active()
    # the next state: another node is active, this one's border takes its gradient colour
    scene.apply_state(doc.timeline.state_at(len(entries) - 1), animate=False)
    assert not shows_active()
    # a NaN made by another node: its box is filled red, far out too
    other = next(n for n in state.visible if n != state.active and
                 scene.nodes[n].kind == "function")
    box = scene.nodes[other].scene_rect()
    bad = dataclasses.replace(state, nonfinite=other)
    far = _render(scene, box.adjusted(-40, -40, 40, 40), 12)   # far out, as it was: cached
    assert not any(_close(QColor(c), QColor(theme.nonfinite), 20) for c in _colors(far))
    scene.apply_state(bad, animate=False)
    far = _render(scene, box.adjusted(-40, -40, 40, 40), 12)
    assert any(_close(QColor(c), QColor(theme.nonfinite), 20) for c in _colors(far))
    near = _render(scene, box, int(box.width()))
    assert _close(near.pixelColor(near.width() // 2, near.height() - 3),
                  QColor(theme.nonfinite), 40)


# ---------------------------------------------------------------------- building in slices
def test_a_big_graph_builds_in_slices_with_the_event_loop_running_between(qtbot):
    graph, layout = _mlp(200)   # 1604 nodes: over the small CHUNK_NODES set here
    scene = GraphScene()
    # one step of 300 nodes or edges per event-loop turn
    scene.CHUNK_NODES, scene.SLICE, scene.STEP = 500, 0.0, 300
    turns = []
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: turns.append(len(scene.nodes)))
    ticker.start()
    scene.set_graph(graph, layout)
    assert scene.building and not scene.drawable
    assert len(scene.nodes) < graph.number_of_nodes()   # nothing made before the loop ran
    with qtbot.waitSignal(scene.built, timeout=60_000):
        pass
    ticker.stop()
    assert not scene.building and len(scene.nodes) == graph.number_of_nodes()
    # the loop ran while the nodes were being made, and again before the graph was done
    made = [n for n in turns if 0 < n < graph.number_of_nodes()]
    assert made, turns[:20]
    assert len(set(turns)) >= 3
    assert len(scene.edges) == graph.number_of_edges()
    placed = [t for t in scene.edge_tiles if isinstance(t, EdgeTile) and t.labels_placed]
    assert scene.groups and len(placed) == min(len(scene.edge_tiles), scene.LABEL_TILES)


def test_a_big_graphs_items_are_indexed_slice_by_slice_in_one_rect(qtbot, monkeypatch):
    # Qt's item index grew the scene's rect with the items and deepened with their count,
    # starting again over every item each time, and indexed what the slices added in the
    # first paint that asked: at 100,000 nodes 35,000 boundingRect calls in one paint
    from gradtrace.gui.group_frames import GroupFrame, GroupTitle
    graph, layout = _mlp(200)
    scene = GraphScene()
    scene.CHUNK_NODES, scene.SLICE, scene.STEP = 500, 0.0, 300
    asked = [0]
    for cls in (NodeTile, EdgeTile, GroupFrame, GroupTitle):
        real = cls.boundingRect

        def counted(self, _real=real):
            asked[0] += 1
            return _real(self)
        monkeypatch.setattr(cls, "boundingRect", counted)
    scene.set_graph(graph, layout)
    rect, depth = scene.sceneRect(), scene.bspTreeDepth()
    x0, y0, x1, y1 = layout.bounds
    assert rect.contains(QRectF(x0, y0, x1 - x0, y1 - y0)) and depth >= 5
    # its top-left is where the items reach (a view never fitted starts there, as with Qt's
    # growing rect): the boxes and frames, and graph_rect's margin
    rows = [r for frame in layout.frames.values() for r in frame]
    assert rect.left() == min([x0] + [r[0] for r in rows]) - 30
    assert rect.top() == min([y0] + [r[1] for r in rows]) - 30
    with qtbot.waitSignal(scene.built, timeout=60_000):
        pass
    assert scene.sceneRect() == rect and scene.bspTreeDepth() == depth   # never started again
    items = len(scene.items())
    assert items > 400
    asked[0] = 0
    scene.items(QRectF(x0, y0, 50, 50))   # what a paint asks: nothing left to index
    assert asked[0] < 100, (asked[0], items)
    scene.set_graph(graph, layout, chunked=False)   # built at once: a rect around, Qt's depth
    assert scene.bspTreeDepth() == 0 and scene.sceneRect().contains(rect)
    scene.set_graph(None, None)
    assert scene.bspTreeDepth() == 0


def test_a_state_shown_while_building_applies_once_drawable(qtbot):
    graph, layout = _mlp(200)
    scene = GraphScene()
    scene.CHUNK_NODES, scene.SLICE, scene.STEP = 500, 0.0, 300
    scene.set_graph(graph, layout)
    first = next(iter(graph.nodes))
    from gradtrace.gui.model.playback import Timeline
    timeline = Timeline.from_graph(graph)
    scene.apply_state(timeline.state_at(0), animate=False)
    with qtbot.waitSignal(scene.graphChanged, timeout=60_000):
        pass
    shown = timeline.state_at(0).visible
    assert scene.nodes[first].isVisible() == (first in shown)
    assert {n for n, i in scene.nodes.items() if i.isVisible()} == set(shown)
    scene.finish_building()
    assert not scene.building


def test_a_big_graph_makes_its_far_out_picture_after_the_first_frame(qtbot):
    # the tiles' far-out batches (the overview's miniature, the FarItem) come in the
    # background after the graph is drawable; the miniature waits for them
    graph, layout = _mlp(200)
    scene = GraphScene()
    scene.CHUNK_NODES, scene.SLICE, scene.STEP = 500, 0.0, 300
    scene.set_graph(graph, layout)
    with qtbot.waitSignal(scene.graphChanged, timeout=60_000):
        pass
    assert scene.drawable and not scene.far_ready
    assert all(tile._far is None for tile in scene.node_tiles)
    with qtbot.waitSignal(scene.shapeReady, timeout=60_000):
        pass
    assert scene.far_ready and scene.building
    assert all(tile._far is not None for tile in scene.node_tiles)
    boxes, _ = scene.far_item.batches()
    assert sum(len(rects) for rects in boxes.values()) == graph.number_of_nodes()
    scene.finish_building()
    assert scene.far_ready


def test_the_boxes_far_out_are_gathered_without_joining_the_edges_paths(qtbot):
    # the overview's miniature draws the boxes alone: joining every edge tile's path as well
    # was most of 145 ms of the GUI thread at 100,000 nodes
    graph, layout = _mlp(200)
    scene = GraphScene()
    scene.set_graph(graph, layout)
    far = scene.far_item
    far.invalidate()
    boxes = far.box_batches()
    assert far._batches is None
    assert sum(len(rects) for rects in boxes.values()) == graph.number_of_nodes()
    assert far.batches()[0] is boxes   # the FarItem's paint takes the same gathering
    scene.node_tiles[0].invalidate()   # a box changed: gathered again
    assert far._batches is None and far.box_batches() is not boxes


def test_the_boxes_far_out_as_numpy_columns_are_the_rects_of_the_batches(qtbot):
    # (the overview's miniature of a big graph snaps these to its pixels)
    graph, layout = _mlp(200)
    scene = GraphScene()
    scene.set_graph(graph, layout)
    first = next(iter(scene.nodes.values()))
    first.setVisible(False)   # a hidden box is in neither
    far = scene.far_item
    arrays, boxes = far.box_arrays(), far.box_batches()
    assert arrays is not None and set(arrays) == set(boxes)
    for key, rects in boxes.items():
        want = np.array(sorted((r.left(), r.top(), r.right(), r.bottom()) for r in rects))
        got = np.array(sorted(zip(*(column.tolist() for column in arrays[key]))))
        assert got.shape == want.shape and np.allclose(got, want)
    assert sum(len(r) for r in boxes.values()) == graph.number_of_nodes() - 1
    first.setVisible(True)
    assert sum(len(a[0]) for a in far.box_arrays().values()) == graph.number_of_nodes()


def test_trunks_shared_in_slices_are_those_shared_at_once(qtbot):
    graph, layout = _mlp(150, "rnn")   # 760 nodes whose shared weights' edges run together
    sliced = GraphScene()
    sliced.CHUNK_NODES, sliced.SLICE, sliced.STEP = 500, 0.0, 300
    sliced.set_graph(graph, layout)
    with qtbot.waitSignal(sliced.built, timeout=60_000):
        pass
    whole = GraphScene()
    whole.set_graph(graph, layout, chunked=False)

    def shared(scene):
        return sorted((str(t.key), tuple(sorted((e.source, e.target) for e, _ in t.members)))
                      for t in scene.trunks)

    assert sliced.trunks and shared(sliced) == shared(whole)
    assert {k: e.shares_trunk for k, e in sliced.edges.items()} == \
        {k: e.shares_trunk for k, e in whole.edges.items()}


def test_the_edges_rough_bounds_at_once_are_each_edges_own(qtbot):
    graph, layout = _mlp(40, "rnn")   # edges of two points and long ones of many
    scene = GraphScene()
    scene.set_graph(graph, layout)
    edges = list(scene.edges.values())
    assert max(len(e.points) for e in edges) > 2
    assert rough_edge_bounds(edges).tolist() == [list(e.rough_bounds()) for e in edges]
    for tile in scene.node_tiles:   # the tiles' rects worked out at once: each box's own
        assert tile.rects.x0.tolist() == [n.sceneBoundingRect().left() for n in tile.nodes]
        assert tile.rects.y1.tolist() == [n.sceneBoundingRect().bottom() for n in tile.nodes]


def _rnn_scene_building(qtbot):
    """A scene building a small RNN's graph in small slices, from its first frame on (its
    shared weights' edges are long: they reach every step)."""
    graph, layout = _mlp(150, "rnn")
    scene = GraphScene()
    scene.CHUNK_NODES, scene.SLICE, scene.STEP = 500, 0.0, 300
    scene.set_graph(graph, layout)
    with qtbot.waitSignal(scene.graphChanged, timeout=60_000):
        pass
    return scene


def test_long_edges_have_tiles_of_their_own_and_are_drawn_where_they_run(qtbot):
    # an RNN's shared weights reach every step: their edges go into tiles of long edges
    # (drawn as hairlines while the graph still builds, before the trunks they share)
    from gradtrace.gui.graph_tiles import LONG_EDGE

    scene = _rnn_scene_building(qtbot)
    long = [t for t in scene.edge_tiles if t.long]
    assert long and any(not t.long for t in scene.edge_tiles)
    for tile in scene.edge_tiles:   # by the rough bounds the tiles were made from
        r = rough_edge_bounds(tile.edges)
        wide = np.maximum(r[:, 2] - r[:, 0], r[:, 3] - r[:, 1]) > LONG_EDGE
        assert bool(wide.all() if tile.long else not wide.any()), tile

    def drawn_by(scene, tile) -> bool:
        source = tile.boundingRect()
        shown = _render(scene, source, 200)
        tile.setVisible(False)
        hidden = _render(scene, source, 200)
        tile.setVisible(True)
        return shown != hidden

    tile = max(long, key=lambda t: len(t.edges))
    assert scene.building and drawn_by(scene, tile)
    scene.finish_building()
    assert not scene.building and drawn_by(scene, tile)
    # a scene no view owns goes now, not in a later test's collection (one made while a
    # window painted crashed PySide)
    del scene, long, tile
    gc.collect()


def test_a_tile_seen_with_text_before_its_labels_are_placed_places_them_after_the_paint(qtbot):
    # placing labels inside a paint blocked the window (a long edge's tile reaches into many
    # views): the paint asks, and they are placed between event-loop turns, then drawn
    from gradtrace.gui.graph_view import GraphView

    graph, layout = _mlp(200)
    view = GraphView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    scene = view.graph_scene
    scene.set_graph(graph, layout, chunked=False)
    view.center_on_node(next(iter(graph.nodes)))
    qtbot.waitExposed(view)
    qtbot.wait(50)
    seen = [t for t in scene.edge_tiles
            if t.boundingRect().intersects(view.mapToScene(view.viewport().rect())
                                           .boundingRect())]
    assert seen and view.zoom() >= 0.45
    for tile in seen:
        tile.labels_placed = False
    asked = []
    original = scene.place_tile_labels
    scene.place_tile_labels = lambda tile: (asked.append(tile), original(tile))
    view.viewport().repaint()   # the paint asks only
    assert not asked and all(t in scene._label_queue for t in seen)
    qtbot.waitUntil(lambda: all(t.labels_placed for t in seen), timeout=10_000)
    assert set(asked) == set(seen) and not scene._label_queue


# ---------------------------------------------------------------------- edges in a colour
def _coloured_rnn():
    """The test RNN with every node run and a gradient (five norms) on every edge."""
    from gradtrace.gui.model.playback import GradInfo
    from tests.gui.test_graph_scene import rnn_scene, shown_state

    _, scene = rnn_scene()
    state = shown_state(scene.nodes)
    state.done = frozenset(scene.nodes)
    state.edge_grads = {key: GradInfo(shape=(4,), norm=1.0 + k % 5, finite=True)
                        for k, key in enumerate(scene.edges)}
    scene.apply_state(state, animate=False)
    return scene


def _render_at_1(scene, source: QRectF) -> QImage:
    image = QImage(int(source.width()), int(source.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    return image


def test_edges_in_a_gradient_colour_are_drawn_in_batches_with_their_own_pen(qapp, monkeypatch):
    from gradtrace.gui.graph_items import EdgeItem, batch_pen

    scene = _coloured_rnn()
    keys = {e.batch_key for e in scene.edges.values()}
    assert None not in keys and len({k[3] for k in keys if len(k) > 3}) >= 2
    for edge in scene.edges.values():   # (the colour as the 8-bit pixels take it)
        (c1, *rest1), (c2, *rest2) = batch_pen(edge._theme, edge.batch_key), edge.pen_style()
        assert c1.rgba() == c2.rgba() and rest1 == rest2
    drawn_alone = []
    real = EdgeItem.paint
    monkeypatch.setattr(EdgeItem, "paint", lambda self, *a, **k: (drawn_alone.append(self),
                                                                  real(self, *a, **k)))
    rect = scene.graph_rect()
    _render_at_1(scene, QRectF(rect.left(), rect.top(), 900, 900))   # zoom 1: lines, not hairlines
    assert drawn_alone == []


def test_a_long_tile_strokes_its_edges_square_by_square_and_loses_no_piece(qapp):
    import math

    scene = _coloured_rnn()
    long_tiles = [t for t in scene.edge_tiles if t.long]
    assert long_tiles
    for tile in long_tiles:
        index = tile._square_index()
        for edge in tile.edges:
            mine = [(parts, arrow) for cell in index for e, parts, arrow in index[cell]
                    if e is edge]
            assert sum(arrow for _, arrow in mine) == 1
            straight = sum(math.dist(a, b) for parts, _ in mine for a, c, b in parts if c is None)
            assert straight == pytest.approx(sum(math.dist(p.a, p.b) for p in edge._drawn_list
                                                 if p.kind == "L"))
            assert sum(c is not None for parts, _ in mine for _, c, _ in parts) == \
                sum(p.kind == "Q" for p in edge._drawn_list)
        assert tile._exposed_squares(QRectF(-1e6, -1e6, 10, 10)) == []
    # the same picture as the tile's whole batches stroked at once
    rect = scene.graph_rect()
    source = QRectF(rect.left(), rect.center().y() - 400, min(rect.width(), 1200), 800)
    squares = _render_at_1(scene, source)
    for tile in long_tiles:
        tile.long = False
        tile.invalidate()
    whole = _render_at_1(scene, source)
    a = np.frombuffer(squares.constBits(), np.uint8).reshape(-1, 4).astype(int)
    b = np.frombuffer(whole.constBits(), np.uint8).reshape(-1, 4).astype(int)
    inked = (b[:, :3] < 230).any(axis=1).sum()
    assert inked > 1000
    assert (np.abs(a - b).max(axis=1) > 60).sum() < 0.01 * inked


def test_an_edge_far_from_the_view_is_not_painted_though_its_bounds_cross_it(qapp):
    scene = _coloured_rnn()
    edge = max(scene.edges.values(), key=lambda e: e.boundingRect().height())
    bounds = edge.boundingRect()
    assert bounds.height() > 1000
    assert edge.shows_in(bounds, 1.0)
    pieces = [p for p in edge._drawn_list]
    xs = [x for p in pieces for x in (p.a[0], p.b[0])]
    ys = [y for p in pieces for y in (p.a[1], p.b[1])]
    # a square inside its bounds, clear of every piece, the arrowhead and the label
    for y in np.linspace(bounds.top(), bounds.bottom(), 40):
        for x in np.linspace(bounds.left(), bounds.right(), 40):
            rect = QRectF(x - 5, y - 5, 10, 10)
            if all(abs(px - x) > 80 for px in xs) and all(abs(py - y) > 80 for py in ys) \
                    and not rect.intersects(edge._label_rect) and \
                    not any(near(p, x, y) for p in pieces):
                assert not edge.shows_in(rect, 1.0)
                return
    pytest.skip("no clear square in this layout")


def near(p, x, y) -> bool:
    x0, x1 = sorted((p.a[0], p.b[0]))
    y0, y1 = sorted((p.a[1], p.b[1]))
    return x0 - 20 <= x <= x1 + 20 and y0 - 20 <= y <= y1 + 20


def test_the_boxes_draw_uncached_while_the_zoom_changes(qtbot):
    from PySide6.QtWidgets import QGraphicsItem

    scene = _coloured_rnn()
    cached = QGraphicsItem.CacheMode.DeviceCoordinateCache
    scene.set_zoom(1.0)
    assert all(t.cacheMode() == cached for t in scene.node_tiles)
    scene.set_zoom(1.1)
    assert scene.zooming
    assert all(t.cacheMode() == QGraphicsItem.CacheMode.NoCache for t in scene.node_tiles)
    qtbot.waitUntil(lambda: not scene.zooming, timeout=3000)
    assert all(t.cacheMode() == cached for t in scene.node_tiles)


def test_a_straight_piece_is_cut_where_it_crosses_into_another_square():
    import math

    from gradtrace.gui.edge_paths import Piece
    from gradtrace.gui.graph_tiles import TILE, _in_squares

    piece = Piece("L", (10.0, 100.0), None, (10.0 + 3 * TILE, 5000.0), ("L",), 0.0, 1.0)
    parts = _in_squares(piece)
    assert parts[0][0] == piece.a and parts[-1][2] == piece.b
    assert all(parts[k][2] == parts[k + 1][0] for k in range(len(parts) - 1))
    assert sum(math.dist(a, b) for a, _, b in parts) == pytest.approx(math.dist(piece.a, piece.b))
    # each part inside one square: 4 horizontal and 3 vertical borders crossed
    assert len(parts) == 8
    for a, _, b in parts:
        assert math.floor(min(a[0], b[0]) / TILE + 1e-9) == math.floor(max(a[0], b[0]) / TILE - 1e-9)
        assert math.floor(min(a[1], b[1]) / TILE + 1e-9) == math.floor(max(a[1], b[1]) / TILE - 1e-9)
    bend = Piece("Q", (0.0, 0.0), (0.0, 1300.0), (50.0, 1350.0), ("Q",))
    assert _in_squares(bend) == [(bend.a, bend.c, bend.b)]


def test_a_zoom_that_settles_after_the_scene_was_cleared_touches_no_deleted_tile(qtbot):
    scene = _coloured_rnn()
    scene.set_zoom(1.0)
    scene.set_zoom(1.2)
    scene.clear()   # (the benchmark clears a closed window's scene; the timer still runs)
    qtbot.waitUntil(lambda: not scene.zooming, timeout=3000)


def test_a_long_tiles_square_index_stays_through_a_recolour_and_follows_moved_pieces(qapp):
    # (looked at edge by edge only when a change may have moved pieces, not at every paint)
    scene = _coloured_rnn()
    tile = next(t for t in scene.edge_tiles if t.long and len(t.edges) > 1)
    index = tile._square_index()
    edge = tile.edges[0]
    edge.set_grad("∇ (4,) ‖9‖", QColor("red"))
    tile._square_order(scene.theme, next(iter(index)))
    assert tile._square_index() is index
    moved = [(x + 50.0, y) for x, y in edge.points]
    edge.set_points(moved)
    again = tile._square_index()
    assert again is not index
    mine = [part for cell in again for e, parts, _ in again[cell] if e is edge for part in parts]
    assert min(a[0] for a, _, _ in mine) == pytest.approx(min(x for x, _ in moved), abs=1.0)
    tile.invalidate()   # (a tile restyled quietly, as the path highlighting does)
    assert tile._square_index() is again   # nothing moved: the same index


def test_the_long_edges_lines_are_stroked_by_one_layer_each_distinct_piece_once(qapp):
    from gradtrace.gui.graph_tiles import LongEdgeLayer, _looks_in, _paths_of

    scene = _coloured_rnn()
    layer = next(i for i in scene.items() if isinstance(i, LongEdgeLayer))
    long_tiles = [t for t in scene.edge_tiles if t.long]
    assert set(layer.tiles) == set(long_tiles)
    for tile in long_tiles:
        assert layer.boundingRect().contains(tile.boundingRect())
    # a square's paths hold each part of a look once, whichever tiles and edges draw it
    tile = max(long_tiles, key=lambda t: len(t.edges))
    index = tile._square_index()
    cell = max(index, key=lambda c: len(index[c]))
    listed = index[cell]
    once = _paths_of([_looks_in(listed)])
    twice = _paths_of([_looks_in(listed), _looks_in(listed + listed)])
    assert once.keys() == twice.keys()
    for key, (lines, arrows) in once.items():
        other = twice[key]
        assert (lines.elementCount() if lines else 0) == \
            (other[0].elementCount() if other[0] else 0)
        assert (arrows.elementCount() if arrows else 0) == \
            (other[1].elementCount() if other[1] else 0)
    # a recolour makes again the squares of the tile changed, not the others'
    rect = scene.graph_rect()
    _render_at_1(scene, QRectF(rect.left(), rect.center().y() - 400, min(rect.width(), 1200),
                               800))
    made = dict(layer._cells)
    assert made
    changed = next(iter(long_tiles[0].edges))
    changed.set_grad("∇ (4,) ‖9‖", QColor("red"))
    for cell, (key, entries) in made.items():
        again = layer._cell_order(scene.theme, cell)
        with_it = id(long_tiles[0]) in {tile_id for tile_id, _ in key[:-1]}
        assert (again is entries) == (not with_it)


def test_a_long_tile_paints_only_the_labels_in_the_exposed_rect(qapp, monkeypatch):
    from gradtrace.gui.graph_items import EdgeItem

    scene = _coloured_rnn()
    for tile in scene.edge_tiles:
        tile.labels_placed = True
    painted = []
    real = EdgeItem.paint_label
    monkeypatch.setattr(EdgeItem, "paint_label", lambda self, *a, **k: (painted.append(self),
                                                                        real(self, *a, **k)))
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    rect = scene.graph_rect()
    source = QRectF(rect.left(), rect.center().y() - 300, min(rect.width(), 900), 600)
    image = QImage(900, 600, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.translate(-source.left(), -source.top())
    option = QStyleOptionGraphicsItem()
    option.exposedRect = source   # (as a view's paint gives it; scene.render exposes all)
    long_tiles = [t for t in scene.edge_tiles if t.long]
    for tile in long_tiles:
        tile.paint(painter, option)
    painter.end()
    long_edges = {e for t in long_tiles for e in t.edges}
    shown = {e for e in long_edges if e._visible and e._label_rect.intersects(source)}
    assert shown and set(painted) == shown


def test_a_state_restyling_many_repaints_each_tile_holding_one_once(qapp, monkeypatch):
    from gradtrace.gui.model.playback import GradInfo
    from tests.gui.test_graph_scene import rnn_scene, shown_state

    _, scene = rnn_scene(120)
    scene.apply_state(shown_state(scene.nodes), animate=False)
    asked = []
    for cls in (NodeTile, EdgeTile):
        monkeypatch.setattr(cls, "update", lambda self, *rect: asked.append((self, rect)))
    state = shown_state(scene.nodes)
    state.done = frozenset(scene.nodes)
    state.edge_grads = {key: GradInfo(shape=(4,), norm=1.0 + k % 5, finite=True)
                        for k, key in enumerate(scene.edges)}
    assert len(scene.nodes) + len(scene.edges) > scene.REPAINT_EACH
    before = {n: item.state for n, item in scene.nodes.items()}
    scene.apply_state(state, animate=False)
    changed = {item.owner for n, item in scene.nodes.items() if item.state != before[n]}
    changed |= {e.owner for e in scene.edges.values()}
    tiles = [tile for tile, _ in asked]
    assert changed and changed <= set(tiles)
    assert len(tiles) == len(set(tiles)) and all(rect == () for _, rect in asked)
    # a step restyling a few asks for the boxes' and edges' own rects
    asked.clear()
    step = shown_state(scene.nodes)
    step.done = frozenset(list(scene.nodes)[1:])
    step.edge_grads = state.edge_grads
    scene.apply_state(step, animate=False)
    assert asked and all(rect for _, rect in asked)


# ---------------------------------------------------------------------- thin strokes
def _stroked(draw, scale: float = 1.0, opacity: float = 1.0) -> np.ndarray:
    """How dark each pixel of a 60x60 image is after `draw(painter, pen, path, scale)` of an
    L of two 40-unit lines (one across, one down) and a slanted one, in the edges' 1.4 pen,
    summed over four places a quarter pixel apart (antialiasing depends on where a line
    falls in its pixels)."""
    return sum(_stroked_at(draw, scale, opacity, k / 4) for k in range(4))


def _stroked_at(draw, scale: float, opacity: float, shift: float) -> np.ndarray:
    from PySide6.QtGui import QPainterPath, QPen

    image = QImage(60, 60, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(shift, shift)
    painter.scale(scale, scale)
    painter.setOpacity(opacity)
    path = QPainterPath()
    path.moveTo(10 / scale, 10 / scale)
    path.lineTo(50 / scale, 10 / scale)
    path.moveTo(10 / scale, 20 / scale)
    path.lineTo(10 / scale, 50 / scale)
    path.moveTo(20 / scale, 20 / scale)
    path.lineTo(50 / scale, 45 / scale)
    draw(painter, QPen(QColor("black"), 1.4), path, scale)
    painter.end()
    return np.array([[255 - image.pixelColor(x, y).red() for x in range(60)]
                     for y in range(60)], dtype=np.float64)


def _plain(painter, pen, path, scale) -> None:
    painter.setPen(pen)
    painter.drawPath(path)


def test_a_thin_solid_batch_is_stroked_as_two_pixel_lines_with_the_pens_ink():
    from PySide6.QtGui import QPainterPath, QPen

    from gradtrace.gui.graph_tiles import stroke_lines

    for scale in (0.75, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3):   # the pen 1.05-1.82 px on screen
        plain, fast = _stroked(_plain, scale), _stroked(stroke_lines, scale)
        for rows, cols in ((slice(6, 15), slice(20, 40)), (slice(25, 45), slice(6, 15))):
            a, b = fast[rows, cols].sum(), plain[rows, cols].sum()   # across, down: as wide
            assert abs(a - b) < 0.12 * b, (scale, a, b)   # (one 1-px line at 1.4: -29%)
        # the slanted line (the pair's offset runs partly along it) 0.69-0.84 of the ink
        assert abs(fast.sum() - plain.sum()) < 0.2 * plain.sum()
        across, plain_across = fast[6:15, 20:40].sum(axis=1), plain[6:15, 20:40].sum(axis=1)
        assert abs(int(np.argmax(across)) - int(np.argmax(plain_across))) <= 1   # same place
    # in 1-pixel lines (the raster engine's cosmetic stroker), not by filling the pen's outline
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    thin = stroke_lines(painter, QPen(QColor("black"), 1.4), QPainterPath(), 1.0)
    painter.end()
    assert thin
    # wider than THIN_STROKE on screen, or the opacity times the width over 1: as it is
    assert np.array_equal(_stroked(stroke_lines, 2.0), _stroked(_plain, 2.0))
    assert np.array_equal(_stroked(stroke_lines, 1.0, 0.8), _stroked(_plain, 1.0, 0.8))
    # faint (a dimmed edge's opacity): one line at the opacity times the width, as much ink
    for scale, opacity in ((1.0, 0.22), (1.3, 0.22), (0.8, 0.5)):
        plain, fast = _stroked(_plain, scale, opacity), _stroked(stroke_lines, scale, opacity)
        assert abs(fast[6:15, 20:40].sum() - plain[6:15, 20:40].sum()) < \
            0.05 * plain[6:15, 20:40].sum()   # the line across
        # (all three: 0.90-0.92; a 1-px line has one pixel of ink a step along its longer
        # axis, the slanted one 0.77 of the pen's)
        assert abs(fast.sum() - plain.sum()) < 0.12 * plain.sum(), (scale, opacity)
    # on a HiDPI device (two pixels a unit) the pen is 2.8 px: as it is, not 1-px lines
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(2.0)
    painter = QPainter(image)
    thin = stroke_lines(painter, QPen(QColor("black"), 1.4), QPainterPath(), 1.0)
    painter.end()
    assert not thin


def test_the_edge_tiles_at_zoom_one_stroke_their_batches_thin(qapp, monkeypatch):
    from gradtrace.gui import graph_tiles

    graph, layout = _mlp(6)
    scene = GraphScene()
    scene.set_graph(graph, layout)
    scene.apply_state(None)
    calls = []
    real = graph_tiles.stroke_lines
    monkeypatch.setattr(graph_tiles, "stroke_lines",
                        lambda painter, pen, lines, scale: calls.append(
                            (scale, real(painter, pen, lines, scale))))
    rect = scene.graph_rect()
    image = _render_at_1(scene, QRectF(rect.left(), rect.top(), 600, 600))
    assert calls and all(abs(s - 1.0) < 1e-9 and thin for s, thin in calls)
    assert QColor(scene.theme.edge).name() in {image.pixelColor(x, y).name()
                                               for x in range(600) for y in range(600)}


def test_while_building_the_long_edges_hairlines_come_from_one_picture_of_the_view(qtbot,
                                                                                   monkeypatch):
    # every paint of the build (a slice's frames, titles, trunks) stroked thousands of long
    # hairlines again: the layer keeps them as one picture of the viewport while building
    from PySide6.QtWidgets import QGraphicsView

    from gradtrace.gui.graph_tiles import LongEdgeLayer

    scene = _rnn_scene_building(qtbot)
    assert scene.building
    scene._build_timer.stop()   # held mid-build: the paints below are a build's paints
    layer = next(i for i in scene.items() if isinstance(i, LongEdgeLayer))
    long = [t for t in scene.edge_tiles if t.long]
    view = QGraphicsView(scene)
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.centerOn(max(long, key=lambda t: len(t.edges)).boundingRect().center())
    strokes = []
    real = LongEdgeLayer._draw_hairlines
    monkeypatch.setattr(LongEdgeLayer, "_draw_hairlines",
                        lambda self, p, theme, orders=None: (strokes.append(1),
                                                                 real(self, p, theme, orders)))
    first = view.viewport().grab().toImage()
    assert len(strokes) == 1
    again = view.viewport().grab().toImage()   # nothing changed: the picture again
    assert len(strokes) == 1 and again == first
    layer.setVisible(False)                    # each tile strokes its own: the same lines
    own = view.viewport().grab().toImage()
    layer.setVisible(True)
    assert len(strokes) == 1
    differ = sum(first.pixel(x, y) != own.pixel(x, y)
                 for x in range(0, first.width(), 2) for y in range(0, first.height(), 2))
    assert differ == 0
    long[0].edges[0]._visible = False          # what a tile draws changed: made again
    long[0].invalidate()
    view.viewport().grab()
    assert len(strokes) == 2
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 40)
    view.viewport().grab()                     # another transform: made again
    assert len(strokes) == 3
    for tile in long:                          # no long tile drawn: nothing drawn
        tile.setVisible(False)
    blank = view.viewport().grab().toImage()
    assert len(strokes) == 3 and blank != own
    scene.finish_building()
    view.viewport().grab()
    assert layer._picture is None              # built: the squares' strokes as before
    view.setScene(None)
    del scene, view, layer, long
    gc.collect()


def test_the_index_of_a_big_graph_is_at_most_max_index_depth_deep():
    # Qt's rule below it (log2 of the items, at least 5); a whole-graph view of the 100k MLP
    # (31,000 items) visits every leaf: 2**15 of them by the rule
    assert GraphScene.index_depth(10) == 5
    assert GraphScene.index_depth(3000) == 12
    assert GraphScene.index_depth(100_000 // 16 + 2 * 12_500 + 64) == GraphScene.MAX_INDEX_DEPTH
    assert GraphScene.MAX_INDEX_DEPTH == 13

"""How a highlighted path is painted (pytest-qt, offscreen): the tiles draw the dimmed and the
on-path edges in batches with the pens the edges would use, the picture changes when a path is
shown and comes back when it is cleared, and an edge sharing a trunk draws its whole path while
on the path."""
import pytest
from PySide6.QtGui import QColor

from gradtrace.gui.graph_items import DIM_OPACITY, EdgeItem, batch_pen
from tests.gui.small_graph import MUL, shown_view
from tests.gui.test_graph_scene import rnn_scene


@pytest.fixture
def view(qtbot):
    v = shown_view(qtbot)
    v.graph_scene.apply_state(v.doc.timeline.state_at(5), animate=False)  # all made, before backward
    v.fit_to_view()
    v.viewport().repaint()
    return v


def _box(view, image, node):
    """The box of `node` as drawn in `image`: its pixels' colours, row by row."""
    r = view.mapFromScene(view.graph_scene.nodes[node].scene_rect()).boundingRect()
    return [QColor(image.pixel(x, y)).getRgb() for y in range(r.top() + 2, r.bottom() - 1)
            for x in range(r.left() + 2, r.right() - 1)]


def _lightness(pixels):
    return sum(r + g + b for r, g, b, _ in pixels) / len(pixels)


def test_showing_a_path_repaints_the_dimmed_boxes_and_clearing_restores_the_picture(view):
    scene = view.graph_scene
    before = view.viewport().grab().toImage()
    scene.show_path(MUL)
    dimmed = view.viewport().grab().toImage()
    assert scene.nodes["other"].dimmed and not scene.nodes["y"].dimmed
    # a dimmed box fades towards the background; a bright one keeps its colour
    assert _lightness(_box(view, dimmed, "other")) > _lightness(_box(view, before, "other")) + 20
    assert _box(view, dimmed, "y") == _box(view, before, "y")
    scene.show_path(None)
    assert view.viewport().grab().toImage() == before


def test_dimmed_and_on_path_edges_are_drawn_in_batches_not_one_by_one(view, monkeypatch):
    scene = view.graph_scene
    scene.show_path(MUL)
    looks = {e.batch_key for e in scene.edges.values()}
    assert ("data", "grad", False) in looks and ("data", "input", False) in looks
    assert ("data", None, True) in looks
    drawn_alone = []
    real = EdgeItem.paint
    monkeypatch.setattr(EdgeItem, "paint", lambda self, *a, **k: (drawn_alone.append(self),
                                                                  real(self, *a, **k)))
    for tile in scene.edge_tiles:
        tile.invalidate()
    view.viewport().repaint()
    assert drawn_alone == []   # no gradient on any edge before backward: every line batched
    for tile in scene.edge_tiles:
        keys = set(tile._batches())
        assert keys == {e.batch_key for e in tile.edges if e.isVisible()}


def test_the_batch_pen_is_the_pen_the_edge_draws_itself_with(view):
    scene = view.graph_scene
    for node in (MUL, "other", None):
        scene.show_path(node)
        for edge in scene.edges.values():
            if edge.batch_key is not None:
                assert batch_pen(edge._theme, edge.batch_key) == edge.pen_style()
    assert 0 < DIM_OPACITY < 1


def test_an_edge_sharing_a_trunk_draws_its_whole_path_while_on_the_path(qapp):
    _, scene = rnn_scene()
    edge = scene.edges[("acc", "T30")]
    assert edge.shares_trunk
    own = edge.drawn_path().length()
    assert own < edge.path.length() - 1
    scene.show_path("T30")
    assert edge.on_path == "input"   # W feeds T30
    assert edge.drawn_path().length() == pytest.approx(edge.path.length())
    assert edge.boundingRect().contains(edge.path.boundingRect())
    scene.show_path(None)
    assert edge.drawn_path().length() == pytest.approx(own)

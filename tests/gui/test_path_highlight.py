"""Path highlighting in the graph view (pytest-qt, offscreen): selecting a node keeps what it is
computed from and what is computed from it bright, the gradient's way back to it marked, the rest
dimmed; Esc clears; an edge's tooltip gives its gradient's shape, norm and min/max at the step."""
import pytest
from PySide6.QtCore import Qt

from gradtrace.gui.model.paths import node_path
from tests.gui.small_graph import MUL, shown_view


@pytest.fixture
def view(qtbot):
    return shown_view(qtbot)


def test_node_path_walks_both_ways_and_splits_the_edges():
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("e", "c"), ("b", "f")]
    p = node_path(edges, "c")
    assert p.ancestors == {"a", "b", "e"} and p.descendants == {"d"}
    assert p.input_edges == {("a", "b"), ("b", "c"), ("e", "c")}
    assert p.grad_edges == {("c", "d")}
    assert "f" not in p.nodes      # a sibling branch of an ancestor is not on the path


def test_clicking_a_node_highlights_its_path_and_dims_the_rest_esc_clears(view, qtbot):
    scene = view.graph_scene
    item = scene.nodes[MUL]
    view.center_on_node(MUL)
    with qtbot.waitSignal(view.nodeSelected) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.mapFromScene(item.pos()))
    assert blocker.args == [MUL]
    bright = {"x", "w", "AccumulateGrad:x", "AccumulateGrad:w", MUL, "y", "SumBackward0#0@z",
              "z"}
    assert {n for n, i in scene.nodes.items() if not i.dimmed} == bright
    assert {n for n, i in scene.nodes.items() if i.dimmed} == \
        {"other", "SumBackward0#0@other", "MulBackward0#0@other"}
    grad = {k for k, e in scene.edges.items() if e.on_path == "grad"}
    assert grad == {(MUL, "y"), ("y", "SumBackward0#0@z"), ("SumBackward0#0@z", "z")}
    assert scene.edges["AccumulateGrad:x", MUL].on_path == "input"
    assert scene.edges["AccumulateGrad:w", "MulBackward0#0@other"].dimmed
    assert all(t._dimmed for t in scene.trunks)
    # another node moves the path with the selection
    scene.select_node("other")
    assert scene.nodes["other"].dimmed is False and scene.nodes["z"].dimmed
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert scene.selected_node() is None and scene.path is None
    assert not any(i.dimmed for i in scene.nodes.values())
    assert not any(e.dimmed or e.on_path for e in scene.edges.values())


def test_the_selection_keeps_its_path_when_the_step_changes(view):
    scene = view.graph_scene
    scene.select_node(MUL)
    scene.apply_state(view.doc.timeline.state_at(8), animate=False)
    assert scene.path is not None and scene.path.node == MUL
    assert scene.nodes["other"].dimmed


def test_an_edges_tooltip_gives_its_gradient_at_the_step(view):
    scene, timeline = view.graph_scene, view.doc.timeline
    last = len(timeline) - 1
    scene.apply_state(timeline.state_at(last), animate=False)
    edge = scene.edges["AccumulateGrad:x", MUL]
    tip = scene.edge_tip(edge)
    assert tip.splitlines()[0] == "AccumulateGrad → MulBackward0"   # as the boxes say, no ids
    unnamed = scene.nodes["AccumulateGrad:x"]   # a node whose data has no label: its box's
    unnamed.attrs = {k: v for k, v in unnamed.attrs.items() if k != "label"}   # title, no id
    unnamed.retranslate()
    assert scene.edge_tip(edge).splitlines()[0] == "AccumulateGrad → MulBackward0"
    # x's gradient is w = [3, 4]: norm 5, min 3, max 4
    assert "gradient 2" in tip and "norm ‖∇‖ = 5.0" in tip and "min 3.0, max 4.0" in tip, tip
    scene.apply_state(timeline.state_at(3), animate=False)    # before backward
    assert "no gradient" in scene.edge_tip(edge)

"""The frames of one module's calls never overlap (cnn_blitz: net, net (call 2), net (call 3)
with their saved tensors, top to bottom and left to right): the layout keeps each top-level
call's nodes together and moves the calls apart where they share layers."""
import itertools

import pytest

from gradtrace.gui import pipeline
from gradtrace.gui.graph_items import node_sizes
from gradtrace.gui.graph_view import GraphView
from gradtrace.gui.model.layout import LayeredLayout
from gradtrace.gui.script_files import examples_dir

CALLS = ("net", "net (call 2)", "net (call 3)")


@pytest.fixture(scope="module")
def cnn_doc(qapp):
    doc = pipeline.run_script((examples_dir() / "cnn_blitz.py").read_text(), include_saved=True)
    assert doc.error is None, doc.error
    return doc


def boxes_of(doc, layout, sizes, call):
    parents = doc.graph.graph["group_parent"]
    out = []
    for v, g in doc.graph.nodes(data="group"):
        while g is not None and g != call:
            g = parents.get(g)
        if g == call:
            (x, y), (w, h) = layout.positions[v], sizes[v]
            out.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    return out


def extent(boxes):
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_the_calls_of_net_lie_apart_in_the_layout(cnn_doc, direction):
    sizes = node_sizes(cnn_doc.graph)
    layouter = LayeredLayout(direction=direction)
    layout = layouter.compute(cnn_doc.graph, sizes=sizes)
    rects = {c: extent(boxes_of(cnn_doc, layout, sizes, c)) for c in CALLS}
    for a, b in itertools.combinations(CALLS, 2):
        ra, rb = rects[a], rects[b]
        apart_x = ra[2] + layouter.group_gap <= rb[0] + 1e-6 or \
            rb[2] + layouter.group_gap <= ra[0] + 1e-6
        apart_y = ra[3] + layouter.group_gap <= rb[1] + 1e-6 or \
            rb[3] + layouter.group_gap <= ra[1] + 1e-6
        assert apart_x or apart_y, (a, b, ra, rb)
    # and no two boxes of one layer overlap
    for layer in layout.layers:
        spans = sorted((layout.positions[v][0 if direction == "TB" else 1],
                        sizes.get(v, (0, 0))[0 if direction == "TB" else 1]) for v in layer)
        for (c0, w0), (c1, w1) in zip(spans, spans[1:]):
            assert c0 + w0 / 2 <= c1 - w1 / 2 + 1e-6


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_the_frames_of_nets_calls_do_not_overlap_in_the_view(qtbot, cnn_doc, direction):
    layout = LayeredLayout(direction=direction).compute(cnn_doc.graph,
                                                        sizes=node_sizes(cnn_doc.graph))
    view = GraphView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.graph_scene.set_graph(cnn_doc.graph, layout)
    frames = view.graph_scene.groups
    assert set(CALLS) <= set(frames)
    for a, b in itertools.combinations(CALLS, 2):
        assert not frames[a].rect().intersects(frames[b].rect()), (a, b)
        assert frames[a].title.rect().intersects(frames[a].rect())


def test_a_graph_whose_calls_do_not_meet_keeps_its_layout(qapp):
    """nn_training's two calls of each layer lie apart already: nothing is reordered."""
    doc = pipeline.run_script((examples_dir() / "nn_training.py").read_text(),
                              include_saved=True)
    wide = LayeredLayout(group_gap=0.0).compute(doc.graph, sizes=node_sizes(doc.graph))
    assert doc.layout.positions == wide.positions

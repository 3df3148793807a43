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


def holders(graph, group):
    """`group` and the groups around it."""
    parents = graph.graph.get("group_parent") or {}
    out = set()
    while group is not None and group not in out:
        out.add(group)
        group = parents.get(group)
    return out


def assert_frames_apart(graph, scene):
    """No row of one frame overlaps a row of another unless one holds the other, and every
    title lies in its frame, clear of every other title."""
    frames = scene.groups
    rows = {g: f.rows() for g, f in frames.items()}
    for a, b in itertools.combinations(frames, 2):
        if a in holders(graph, b) or b in holders(graph, a):
            continue
        for ra in rows[a]:
            assert not any(ra.intersects(rb) for rb in rows[b]), (a, b)
        assert not frames[a].title.rect().intersects(frames[b].title.rect()), (a, b)
    for frame in frames.values():
        assert any(r.contains(frame.title.rect()) for r in frame.rows()), frame.name


EXAMPLES = ["nn_training.py", "small_cnn.py", "cnn_blitz.py", "dataloader_training.py",
            "transformer_block.py", "shared_leaf.py"]


@pytest.mark.parametrize("direction", ["TB", "LR"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_the_frames_of_different_groups_never_overlap(qtbot, name, direction):
    # a Linear's frame and the Tanh's after it (its saved result sat beside the Linear's
    # last node), a CNN's features and its head, one step's loss and the next step's model
    doc = pipeline.run_script((examples_dir() / name).read_text(), include_saved=True,
                              direction=direction)
    view = GraphView()
    qtbot.addWidget(view)
    view.graph_scene.set_graph(doc.graph, doc.layout, chunked=False)
    assert len(view.graph_scene.groups) >= 2
    assert_frames_apart(doc.graph, view.graph_scene)
    # and collapsed: every top-level group of cnn_blitz's second call as one box
    view.graph_scene.clear()


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_frames_stay_apart_with_groups_collapsed(qtbot, direction):
    doc = pipeline.run_script((examples_dir() / "cnn_blitz.py").read_text(),
                              include_saved=True)
    layouter = LayeredLayout(direction=direction)
    layouter.set_collapsed({"net (call 2)", "net.conv1", "net.fc1 (call 3)"})
    layout = layouter.compute(doc.graph, sizes=node_sizes(doc.graph))
    view = GraphView()
    qtbot.addWidget(view)
    view.graph_scene.set_graph(doc.graph, layout, chunked=False)
    assert "net (call 2)" not in view.graph_scene.groups and "net" in view.graph_scene.groups
    assert_frames_apart(doc.graph, view.graph_scene)
    view.graph_scene.clear()


@pytest.mark.parametrize("direction", ["TB", "LR"])
@pytest.mark.parametrize("model", ["mlp", "rnn", "attention"])
def test_the_benchmark_graphs_frames_never_overlap_and_add_no_layer(qtbot, model, direction):
    # the synthetic MLP's next layer's weights sit beside this layer's output: with frames
    # kept apart by layers it went from 7,505 to 15,002 layers at 20k nodes
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "layout.py"
    spec = importlib.util.spec_from_file_location("layout_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    graph = {"mlp": lambda: bench.mlp(12), "rnn": lambda: bench.rnn(10),
             "attention": lambda: bench.attention(2, heads=3)}[model]()
    layout = LayeredLayout(direction=direction).compute(graph)
    plain = graph.copy()
    for _, attrs in plain.nodes(data=True):
        attrs["group"] = None
    assert len(layout.layers) == len(LayeredLayout(direction=direction).compute(plain).layers)
    view = GraphView()
    qtbot.addWidget(view)
    view.graph_scene.set_graph(graph, layout, chunked=False)
    assert len(view.graph_scene.groups) >= 2
    assert_frames_apart(graph, view.graph_scene)
    view.graph_scene.clear()

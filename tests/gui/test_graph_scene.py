"""The graph scene's items (pytest-qt, offscreen): group frames and their titles, edges drawn
along shared trunks, and what a view at zoom 1 has to paint."""
from itertools import combinations
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import pytest
from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QPainterPathStroker

from gradtrace.gui import pipeline
from gradtrace.gui.edge_paths import BEND, edge_pieces
from gradtrace.gui.graph_items import EdgeItem
from gradtrace.gui.graph_scene import GraphScene
from gradtrace.gui.graph_view import GraphView
from gradtrace.gui.group_frames import arrange_frames
from gradtrace.gui.model.layout import LayeredLayout

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def example_scene(name: str, step=None) -> GraphScene:
    """The scene `gradtrace render` draws for an example (at timeline entry `step`)."""
    doc = pipeline.run_script((EXAMPLES / name).read_text(), include_saved=True)
    assert doc.error is None, str(doc.error)
    scene = GraphScene()
    scene.set_graph(doc.graph, doc.layout)
    if step is not None:
        scene.apply_state(doc.timeline.state_at(min(step, len(doc.timeline) - 1)), animate=False)
    return scene


def box(item) -> QRectF:
    return item.rect().translated(item.pos())


# ---------------------------------------------------------------------- group frames
@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_group_titles_never_overlap_and_frames_hold_their_members(qapp, name):
    scene = example_scene(name, step=12)
    titles = {g: frame.title.rect() for g, frame in scene.groups.items()}
    for a, b in combinations(titles, 2):
        assert not titles[a].intersects(titles[b]), f"titles of {a!r} and {b!r} overlap"
    for node_id, item in scene.nodes.items():
        group = item.attrs.get("group")
        if group:
            assert scene.groups[group].rect().contains(box(item)), (group, node_id)
        for g, title in titles.items():
            assert not title.intersects(box(item)), f"{node_id!r} covers the title of {g!r}"
    for g, title in titles.items():
        assert scene.groups[g].rect().contains(title), g
        for (u, v), edge in scene.edges.items():
            assert not edge.label_rect().intersects(title), f"label of {u}->{v} covers {g!r}"


def test_a_module_called_three_times_is_three_groups_each_framing_its_submodules(qapp):
    # Net's own relu/max_pool/flatten between its submodules' calls used to be a "call" each
    # ("net (call 12)"): a call is the group's nodes together with those of the groups inside
    scene = example_scene("cnn_blitz.py", step=30)
    calls = ("", " (call 2)", " (call 3)")
    parts = ("conv1", "conv2", "fc1", "fc2", "fc3")
    assert set(scene.groups) == {f"net{c}" for c in calls} | {f"criterion{c}" for c in calls} \
        | {f"net.{p}{c}" for p in parts for c in calls}
    parents = scene.graph.graph["group_parent"]
    for c in calls:
        holder = scene.groups[f"net{c}"].rect()
        for p in parts:
            assert parents[f"net.{p}{c}"] == f"net{c}"
            assert holder.contains(scene.groups[f"net.{p}{c}"].rect()), (p, c)
    # each call of net holds the calls of its layers made in that call (the first conv1
    # node of call k is older than call k+1's)
    seq = {g: min(a["sequence_nr"] for _, a in scene.graph.nodes(data=True)
                  if a.get("group") == g and a.get("sequence_nr") is not None)
           for g in scene.groups}
    assert seq["net"] < seq["net (call 2)"] < seq["net (call 3)"]
    assert seq["net.conv1"] < seq["net.fc3"] < seq["net.conv1 (call 2)"]


def test_collapsing_one_call_of_a_module_takes_its_submodules_of_that_call_only(qapp):
    doc = pipeline.run_script((EXAMPLES / "cnn_blitz.py").read_text(), include_saved=True)
    from gradtrace.gui.model.layout import collapse_group, group_members
    members = group_members(doc.graph, "net (call 2)")
    groups = {doc.graph.nodes[m]["group"] for m in members}
    assert groups == {"net (call 2)"} | {f"net.{p} (call 2)"
                                         for p in ("conv1", "conv2", "fc1", "fc2", "fc3")}
    out = collapse_group(doc.graph, "net (call 2)")
    boxed = out.nodes["group:net (call 2)"]["members"]
    assert set(boxed) == members and out.nodes["group:net (call 2)"]["group"] is None
    assert any(a.get("group") == "net.conv1" for _, a in out.nodes(data=True))


def test_nn_training_titles_of_neighbouring_modules_both_read(qapp):
    # Linear "2" holds Tanh "1" and starts in the same row: "▾ 2" used to land on "▾ 1"
    scene = example_scene("nn_training.py")
    assert {"model.0", "model.1", "model.2", "loss_fn", "model.0 (call 2)", "model.1 (call 2)",
            "model.2 (call 2)", "loss_fn (call 2)"} <= set(scene.groups)
    one, two = scene.groups["model.1"], scene.groups["model.2"]
    assert not two.title.rect().intersects(one.title.rect())
    assert not one.rect().intersects(two.title.rect())   # "▾ 2" is not inside frame 1


def test_a_title_with_no_room_in_its_row_gets_a_row_of_its_own(qapp):
    inner = QRectF(0, 0, 120, 40)
    outer = QRectF(0, 0, 130, 200)     # same top, barely wider: no room beside "▾ inner"
    size = QSizeF(60, 15)
    out = arrange_frames({"inner": inner, "outer": outer}, {"inner": size, "outer": size})
    (f_in, t_in), (f_out, t_out) = out["inner"], out["outer"]
    assert not t_in.intersects(t_out)
    assert f_out.contains(f_in) and f_out.contains(outer) and f_in.contains(inner)
    assert not t_out.intersects(f_in)  # above the inner frame, not on it
    assert f_out.top() < f_in.top()


def test_node_boxes_in_the_way_of_a_title_may_be_plain_bounds(qapp):
    # the scene hands a big graph's boxes over as (x0, y0, x1, y1), no Qt rect each: the
    # titles go where they go with the same boxes as QRectFs
    members = {"a": QRectF(0, 0, 300, 80), "b": QRectF(0, 200, 300, 80)}
    sizes = {"a": QSizeF(60, 15), "b": QSizeF(60, 15)}
    boxes = [QRectF(4, -30, 90, 20), QRectF(150, 170, 60, 20)]   # on the title rows
    as_rects = arrange_frames(members, sizes, boxes)
    as_bounds = arrange_frames(members, sizes, [(r.left(), r.top(), r.right(), r.bottom())
                                                for r in boxes])
    assert as_bounds == as_rects
    assert not any(as_rects[n][1].intersects(r) for n in as_rects for r in boxes)
    assert as_rects != arrange_frames(members, sizes)   # the boxes moved a title


def test_the_cluster_sweep_in_steps_gives_the_sets_at_once(qapp):
    from gradtrace.gui.graph_scene import _clusters, _clusters_steps
    # frames stacked down the page touch their neighbours (the title rows above each): one
    # set; a column far to the right is another
    members = {f"g{k}": QRectF(0, 100 * k, 200, 60) for k in range(40)}
    members.update({f"h{k}": QRectF(5000, 100 * k, 200, 60) for k in range(3)})
    out: list = []
    turns = sum(1 for _ in _clusters_steps(members, out, step=5))
    assert turns > 5
    assert sorted(map(sorted, out)) == sorted(map(sorted, _clusters(members)))
    assert sorted(len(c) for c in out) == [3, 40]


# ---------------------------------------------------------------------- edges and trunks
def test_short_bends_are_the_usual_curves_and_long_runs_are_straight():
    # every segment short: one curve per bend through the midpoints, no straight piece
    pieces = edge_pieces([(0, 0), (0, 100), (50, 150), (50, 300)])
    assert [p.kind for p in pieces] == ["Q", "Q"]
    assert pieces[0].a == (0, 0) and pieces[0].b == (25, 125) and pieces[1].b == (50, 300)
    # a long trunk: straight but for BEND at each end, the same for every edge along it
    a = edge_pieces([(0, 0), (50, 100), (50, 9000), (400, 9100)])
    b = edge_pieces([(0, 0), (50, 100), (50, 20000), (-300, 20100)])
    assert a[0] == b[0]     # the first bend is shared
    line_a = next(p for p in a if p.kind == "L")
    line_b = next(p for p in b if p.kind == "L")
    assert line_a.key == line_b.key and line_a.s == line_b.s == BEND
    assert line_a.t < line_b.t


def rnn_graph(steps: int) -> nx.DiGraph:
    """h = tanh(h @ W.T) unrolled: W's AccumulateGrad feeds one TBackward0 per step."""
    g = nx.DiGraph()
    g.add_node("W", kind="tensor", label="W", role="leaf", shape=(4, 4), is_leaf=True)
    g.add_node("acc", kind="accumulate", label="AccumulateGrad", op="AccumulateGrad",
               role="accumulate")
    g.add_edge("W", "acc", kind="data", shape=(4, 4))
    h = "h0"
    g.add_node(h, kind="constant", label="h0", role="constant", shape=(4,))
    for t in range(steps):
        for node, op in ((f"T{t}", "TBackward0"), (f"mm{t}", "MvBackward0"),
                         (f"tanh{t}", "TanhBackward0")):
            g.add_node(node, kind="function", label=op, op=op, role="function", group=f"s{t}")
        g.add_edges_from([("acc", f"T{t}"), (h, f"mm{t}"), (f"T{t}", f"mm{t}"),
                          (f"mm{t}", f"tanh{t}")], kind="data", shape=(4,))
        h = f"tanh{t}"
    return g


def rnn_scene(steps: int = 40):
    g = rnn_graph(steps)
    scene = GraphScene()
    scene.set_graph(g, LayeredLayout().compute(g, sizes=scene.node_sizes(g)))
    return g, scene


def near(path, width: float = 3.0):
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    return stroker.createStroke(path)


def shown_state(visible):
    return SimpleNamespace(visible=frozenset(visible), done=frozenset(), pending=frozenset(),
                           active=None, edge_grads={}, leaf_grads={}, nonfinite=None, added=(),
                           node_norms={}, node_nonfinite=frozenset(), accumulation={})


def test_a_trunk_is_drawn_once_and_nothing_of_an_edge_goes_missing(qapp):
    g, scene = rnn_scene()
    assert scene.trunks
    trunk_edges = [e for (u, _), e in scene.edges.items() if u == "acc"]
    assert sum(e.shares_trunk for e in trunk_edges) >= len(trunk_edges) // 2

    def check(edges):
        drawn = [near(t.drawn_path()) for t in scene.trunks if t.isVisible()]
        for edge in edges:
            own = near(edge.drawn_path())
            path = edge.path
            for k in range(201):
                p = path.pointAtPercent(k / 200)
                assert own.contains(p) or any(d.contains(p) for d in drawn), \
                    (edge.source, edge.target, k)
        # the trunk draws only what visible edges share
        for trunk in scene.trunks:
            if not trunk.isVisible():
                continue
            mine = [near(e.path) for e, _ in trunk.members if e.isVisible()]
            tpath = trunk.drawn_path()
            for k in range(51):
                assert any(m.contains(tpath.pointAtPercent(k / 50)) for m in mine)

    check(scene.edges.values())
    # the own pieces of the edges along the trunk never overlap: each stretch drawn once
    by_line = {}
    for edge in trunk_edges:
        for p in edge._own_pieces or edge.pieces:
            if p.kind == "L":
                by_line.setdefault(p.key, []).append((p.s, p.t))
    for spans in by_line.values():
        spans.sort()
        assert all(b[0] >= a[1] - 1e-6 for a, b in zip(spans, spans[1:]))
    # halfway through the forward pass the trunk reaches only the steps made so far
    visible = {n for n in g if not n[-1].isdigit() or int(n.lstrip("Tmtanh")) < 10} | {"h0"}
    scene.apply_state(shown_state(visible), animate=False)
    shown = [e for e in scene.edges.values() if e.isVisible()]
    assert 0 < len(shown) < len(scene.edges)
    check(shown)
    bottom = max(box(scene.nodes[f"T{t}"]).bottom() for t in range(10))
    assert all(t.boundingRect().top() < bottom + 5 for t in scene.trunks if t.isVisible())


def test_a_highlighted_edge_draws_its_whole_path_on_top(qapp):
    _, scene = rnn_scene()
    edge = scene.edges[("acc", "T30")]
    assert edge.shares_trunk
    whole = edge.path.boundingRect()
    assert not edge.boundingRect().contains(whole)
    edge.set_highlight(True)
    assert edge.boundingRect().contains(whole)
    assert edge.drawn_path().length() == pytest.approx(edge.path.length())
    edge.set_highlight(False)
    assert not edge.boundingRect().contains(whole)


def test_at_zoom_one_a_view_on_the_trunk_paints_few_edges(qtbot):
    # hundreds of edges ran down one trunk: a frame there painted every one of them
    _, scene = rnn_scene(60)
    view = GraphView()
    qtbot.addWidget(view)
    view.graph_scene.set_graph(scene.graph, scene.layout)
    view.resize(900, 700)
    view.show()
    view.fit_to_view()
    view.zoom_by(1.0 / view.zoom())
    trunk = max((t for t in view.graph_scene.trunks), key=lambda t: t.boundingRect().height())
    view.centerOn(trunk.boundingRect().center())
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    painted = [i for i in view.graph_scene.items(shown)
               if isinstance(i, EdgeItem) and i.source == "acc"]
    along = [e for e in view.graph_scene.edges.values()
             if e.source == "acc" and e.path.boundingRect().intersects(shown)]
    assert len(along) > 30
    assert len(painted) <= len(along) // 3
    assert trunk in view.graph_scene.items(shown)


# ---------------------------------------------------------------------- applying states
def _looks(scene: GraphScene) -> dict:
    """Everything a state sets on the scene's boxes and edges, by id."""
    nodes = {n: (item.isVisible(), item.state["done"], item.state["active"],
                 item.state["pending"], item.state["nonfinite"],
                 item.state["magnitude"].rgba() if item.state["magnitude"] else None,
                 item.grad_text, item.released)
             for n, item in scene.nodes.items()}
    edges = {k: (e.isVisible(), e.grad_label, e._magnitude.rgba() if e._magnitude else None,
                 e._nonfinite)
             for k, e in scene.edges.items()}
    return {"nodes": nodes, "edges": edges}


@pytest.mark.parametrize("name", ["nn_training.py", "shared_leaf.py", "tutorial.py",
                                  "rnn_unrolled.py", "custom_function_double_backward.py"])
def test_stepping_restyles_only_what_changed_and_looks_as_a_fresh_apply(qapp, name):
    # apply_state restyles only the nodes and edges whose look differs from the state shown
    # before: walking the timeline forward, back and in jumps must end in the same picture as
    # a scene that is shown that state alone
    _walk_looks_as_fresh((EXAMPLES / name).read_text(), name)


def test_stepping_through_nan_gradients_looks_as_a_fresh_apply(qapp):
    _walk_looks_as_fresh("import torch\nx = torch.ones(2, requires_grad=True)\n"
                         "y = torch.sqrt(x - 2)\nw = torch.ones(2, requires_grad=True)\n"
                         "out = (y * w).sum() + (x * w).sum()\nout.backward()\n", "nan")


def _walk_looks_as_fresh(source: str, name: str) -> None:
    doc = pipeline.run_script(source, include_saved=True)
    assert doc.error is None, str(doc.error)
    walked = GraphScene()
    walked.set_graph(doc.graph, doc.layout)
    n = len(doc.timeline)
    back = [i for i, e in enumerate(doc.timeline.entries) if e.kind == "backward"]
    assert len(back) > 4
    jumps = [back[-1], back[1], back[len(back) // 2], back[0], back[-2], back[2]]
    order = list(range(n)) + list(range(n - 1, -1, -1)) + [n - 1, 0, n // 2] + jumps
    for i in order:
        walked.apply_state(doc.timeline.state_at(i), animate=False)
        fresh = GraphScene()
        fresh.set_graph(doc.graph, doc.layout)
        fresh._shown = None   # every node and edge restyled, none taken as unchanged
        fresh.apply_state(doc.timeline.state_at(i), animate=False)
        assert _looks(walked) == _looks(fresh), f"{name}: entry {i}"
        _looks_as_the_state_says(walked, doc.timeline.state_at(i))


def _looks_as_the_state_says(scene: GraphScene, state) -> None:
    """Each box's and edge's look against the state itself (no collapsed groups)."""
    for n, item in scene.nodes.items():
        ran = n in state.done or n == state.active
        look = item.state
        assert (look["done"], look["active"], look["pending"]) == (
            n in state.done, n == state.active, n in state.pending), n
        assert look["nonfinite"] == (n == state.nonfinite or
                                     (ran and n in state.node_nonfinite)), n
        assert (look["magnitude"] is not None) == (ran and state.node_norms.get(n) is not None)
        assert item.isVisible() == (n in state.visible) and item.released == (n in
                                                                             state.released)
    for key, edge in scene.edges.items():
        info = state.edge_grads.get(key)
        assert (edge.grad_label is not None) == (info is not None), key
        assert edge._nonfinite == (info is not None and not info.finite), key


def test_a_steps_pulses_and_shown_edges_come_from_the_graph_not_an_index_of_every_edge(qapp):
    # (an index over every edge made at the first step cost a big graph 40 ms then)
    doc = pipeline.run_script((EXAMPLES / "rnn_unrolled.py").read_text(), include_saved=True)
    scene = GraphScene()
    scene.set_graph(doc.graph, doc.layout)
    back = [i for i, e in enumerate(doc.timeline.entries) if e.kind == "backward"]
    for i in back:
        state = doc.timeline.state_at(i)
        scene.apply_state(state, animate=True)
        into = {k for k in scene.edges if k[1] == state.active and k in state.edge_grads
                and scene.edges[k].isVisible()}
        assert {(e.source, e.target) for e in scene.pulsing_edges} == into
        for n in list(scene.nodes)[:40]:
            assert set(scene._edges_of(n)) == {k for k in scene.edges if n in k}
    assert scene._in_edges is None and scene._node_edges is None

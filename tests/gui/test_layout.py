"""Tests for gui/model/layout.py: no overlaps, edges flow down (or right), crossing reduction,
stability under edits, group collapse/expand, LR as the transpose of TB, cycles and edge cases."""
import networkx as nx
import numpy as np
import pytest

from gradtrace.gui.model.layout import DEFAULT_SIZE, LayeredLayout, collapse_group


def random_dag(seed, n=40, p=0.08):
    """A random DAG with string ids and random box sizes."""
    rng = np.random.default_rng(seed)
    g = nx.DiGraph()
    g.add_nodes_from(f"n{i}" for i in range(n))
    g.add_edges_from((f"n{u}", f"n{v}") for u in range(n) for v in range(u + 1, n)
                     if rng.random() < p)
    sizes = {v: (float(rng.integers(20, 160)), float(rng.integers(16, 70))) for v in g}
    return g, sizes


def autograd_graph(blocks=3):
    """A small MLP graph shaped like the graph model's: leaves -> AccumulateGrad -> TBackward0
    -> AddmmBackward0 -> ReluBackward0 -> named tensor, with one shared weight (long edges)."""
    g = nx.DiGraph()
    g.add_node("x", kind="constant", group=None)
    g.add_edge("shared", "AccumulateGrad:shared")
    h = "x"
    for k in range(blocks):
        grp = f"layer{k}"
        for name in (f"w{k}", f"b{k}", f"AccumulateGrad:w{k}", f"AccumulateGrad:b{k}",
                     f"T{k}", f"Addmm{k}", f"Relu{k}", f"Mul{k}", f"h{k}"):
            g.add_node(name, group=grp)
        g.add_edges_from([(f"w{k}", f"AccumulateGrad:w{k}"), (f"AccumulateGrad:w{k}", f"T{k}"),
                          (f"b{k}", f"AccumulateGrad:b{k}"), (f"T{k}", f"Addmm{k}"),
                          (f"AccumulateGrad:b{k}", f"Addmm{k}"), (h, f"Addmm{k}"),
                          (f"Addmm{k}", f"Relu{k}"), (f"Relu{k}", f"Mul{k}"),
                          ("AccumulateGrad:shared", f"Mul{k}"), (f"Mul{k}", f"h{k}")])
        h = f"h{k}"
    g.add_edges_from([(h, "SumBackward0"), ("SumBackward0", "loss")])
    return g


def boxes(layout, sizes):
    ids = list(layout.positions)
    xy = np.array([layout.positions[v] for v in ids])
    wh = np.array([sizes.get(v, DEFAULT_SIZE) for v in ids])
    return ids, xy, wh


def assert_no_overlap(layout, sizes):
    _, xy, wh = boxes(layout, sizes)
    dx = np.abs(xy[:, None, 0] - xy[None, :, 0]) - (wh[:, None, 0] + wh[None, :, 0]) / 2
    dy = np.abs(xy[:, None, 1] - xy[None, :, 1]) - (wh[:, None, 1] + wh[None, :, 1]) / 2
    overlap = (dx < -1e-6) & (dy < -1e-6)
    np.fill_diagonal(overlap, False)
    assert not overlap.any()


def segment_hits_box(p, q, box):
    """Whether segment p-q passes through the interior of box (x0, y0, x1, y1) (Liang-Barsky)."""
    (x0, y0), (x1, y1) = p, q
    lo, hi = 0.0, 1.0
    for d, a, b in ((x1 - x0, x0 - box[0], box[2] - x0), (y1 - y0, y0 - box[1], box[3] - y0)):
        a, b = a - 1e-6, b - 1e-6  # touching the border is fine
        if d == 0:
            if a < 0 or b < 0:
                return False
            continue
        t0, t1 = sorted((-a / d, b / d))
        lo, hi = max(lo, t0), min(hi, t1)
    return lo < hi


@pytest.mark.parametrize("direction", ["TB", "LR"])
@pytest.mark.parametrize("seed", range(6))
def test_boxes_never_overlap(seed, direction):
    g, sizes = random_dag(seed)
    layout = LayeredLayout(direction=direction).compute(g, sizes)
    assert set(layout.positions) == set(g)
    assert_no_overlap(layout, sizes)


@pytest.mark.parametrize("direction", ["TB", "LR"])
@pytest.mark.parametrize("seed", range(4))
def test_edges_go_from_lower_layer_to_higher(seed, direction):
    g, sizes = random_dag(seed)
    layout = LayeredLayout(direction=direction).compute(g, sizes)
    axis = 1 if direction == "TB" else 0
    assert set(layout.edges) == set(g.edges)
    for (u, v), pts in layout.edges.items():
        assert layout.positions[u][axis] < layout.positions[v][axis]
        along = [p[axis] for p in pts]
        assert along == sorted(along) and along[0] < along[-1]
        # starts on the border of u, ends on the border of v
        assert pts[0][1 - axis] == pytest.approx(layout.positions[u][1 - axis])
        assert pts[0][axis] == pytest.approx(layout.positions[u][axis] + sizes[u][axis] / 2)
        assert pts[-1][axis] == pytest.approx(layout.positions[v][axis] - sizes[v][axis] / 2)


@pytest.mark.parametrize("seed", range(3))
def test_no_edge_runs_through_a_box(seed):
    g, sizes = random_dag(seed, n=30, p=0.12)
    layout = LayeredLayout().compute(g, sizes)
    for (u, v), pts in layout.edges.items():
        for w, (x, y) in layout.positions.items():
            if w in (u, v):
                continue
            box = (x - sizes[w][0] / 2, y - sizes[w][1] / 2, x + sizes[w][0] / 2,
                   y + sizes[w][1] / 2)
            assert not any(segment_hits_box(p, q, box) for p, q in zip(pts, pts[1:])), (u, v, w)


def test_bounds_hold_every_box_and_edge_point():
    g, sizes = random_dag(1)
    layout = LayeredLayout().compute(g, sizes)
    x0, y0, x1, y1 = layout.bounds
    _, xy, wh = boxes(layout, sizes)
    assert (xy - wh / 2 >= (x0 - 1e-6, y0 - 1e-6)).all()
    assert (xy + wh / 2 <= (x1 + 1e-6, y1 + 1e-6)).all()
    pts = np.array([p for poly in layout.edges.values() for p in poly])
    assert (pts >= (x0 - 1e-6, y0 - 1e-6)).all() and (pts <= (x1 + 1e-6, y1 + 1e-6)).all()
    assert (x0, y0) == (0.0, 0.0)


@pytest.mark.parametrize("seed", range(8))
def test_crossing_reduction_never_worsens_networkx_order(seed):
    g, sizes = random_dag(seed, n=60, p=0.06)
    layout = LayeredLayout().compute(g, sizes)
    assert 0 <= layout.crossings <= layout.initial_crossings


def test_crossing_reduction_untangles_a_known_crossing():
    # networkx lists generation 1 as [y, x]: edges a->x and b->y cross; x, y swapped do not
    g = nx.DiGraph([("a", "x"), ("b", "y"), ("b", "x")])
    assert list(nx.topological_generations(g))[1] == ["y", "x"]
    layout = LayeredLayout().compute(g)
    assert layout.initial_crossings == 1
    assert layout.crossings == 0
    assert layout.positions["x"][0] < layout.positions["y"][0]


def test_crossing_reduction_improves_an_autograd_graph():
    layout = LayeredLayout().compute(autograd_graph(4))
    assert layout.crossings < layout.initial_crossings


def test_chains_are_straight():
    # w -> AccumulateGrad -> TBackward0 and the main path line up vertically
    layout = LayeredLayout().compute(autograd_graph(3))
    x = {v: p[0] for v, p in layout.positions.items()}
    assert x["w1"] == x["AccumulateGrad:w1"] == x["T1"]
    assert x["Addmm1"] == x["Relu1"] == x["Mul1"] == x["h1"]


def test_shared_leaf_edges_share_one_straight_trunk():
    layout = LayeredLayout().compute(autograd_graph(4))
    src = "AccumulateGrad:shared"
    trunks = [pts[1:-1] for (u, _), pts in layout.edges.items() if u == src]
    long_ones = [t for t in trunks if t]
    assert len(long_ones) >= 2
    xs = {round(p[0], 6) for t in long_ones for p in t}
    assert len(xs) == 1  # every point of every long edge is on one vertical line


def assert_stable(before, after):
    """Old nodes keep their order in every layer; layers with the same nodes keep positions."""
    old_layers = [tuple(layer) for layer in before.layers]
    kept = 0
    for layer in after.layers:
        old = [v for v in layer if v in before.positions]
        assert old == sorted(old, key=lambda v: before.positions[v][0])
        if tuple(layer) in old_layers:
            kept += 1
            assert all(after.positions[v] == before.positions[v] for v in layer)
    return kept


@pytest.mark.parametrize("new_edges", [[("loss", "print")], [("loss", "z"), ("h0", "z")],
                                       [("loss", "z"), ("x", "z")]])
def test_stable_when_a_statement_is_added_at_the_end(new_edges):
    g = autograd_graph(3)
    engine = LayeredLayout()
    before = engine.compute(g)
    g2 = g.copy()
    g2.add_edges_from(new_edges)
    sizes = {v: (1500.0, 40.0) for _, v in new_edges}  # a wide new box would shift everything
    after = engine.compute(g2, sizes, previous=before)
    assert assert_stable(before, after) == len(before.layers)
    assert after.positions[new_edges[0][1]][1] > after.positions["loss"][1]
    assert_no_overlap(after, sizes)


def test_stable_when_a_node_joins_a_middle_layer():
    g = autograd_graph(3)
    engine = LayeredLayout()
    before = engine.compute(g)
    g2 = g.copy()
    g2.add_edge("extra", "Addmm1")  # a new input in the middle of the graph
    after = engine.compute(g2, previous=before)
    assert assert_stable(before, after) == len(before.layers) - 1
    assert_no_overlap(after, {})


def test_previous_from_other_direction_keeps_order():
    g, sizes = random_dag(3)
    before = LayeredLayout("TB").compute(g, sizes)
    after = LayeredLayout("LR").compute(g, sizes, previous=before)
    assert_no_overlap(after, sizes)
    for layer in after.layers:
        assert layer == sorted(layer, key=lambda v: before.positions[v][0])


@pytest.mark.parametrize("seed", range(3))
def test_lr_is_the_transpose_of_tb(seed):
    g, sizes = random_dag(seed)
    lr = LayeredLayout(direction="LR").compute(g, sizes)
    tb = LayeredLayout(direction="TB").compute(g, {v: (h, w) for v, (w, h) in sizes.items()})
    for v, (x, y) in tb.positions.items():
        assert lr.positions[v] == pytest.approx((y, x))
    for e, pts in tb.edges.items():
        assert np.array(lr.edges[e]) == pytest.approx(np.array(pts)[:, ::-1])
    x0, y0, x1, y1 = tb.bounds
    assert lr.bounds == pytest.approx((y0, x0, y1, x1))
    assert (lr.crossings, lr.initial_crossings) == (tb.crossings, tb.initial_crossings)


def test_collapse_group_makes_one_box():
    g = autograd_graph(3)
    g.nodes["Mul1"]["group"] = "layer1.scale"  # a scope inside layer1 collapses with it
    c = collapse_group(g, "layer1")
    members = [v for v in g if str(g.nodes[v].get("group")).startswith("layer1")]
    assert "group:layer1" in c and not any(v in c for v in members)
    assert c.nodes["group:layer1"]["kind"] == "group"
    assert set(c.nodes["group:layer1"]["members"]) == set(members)
    assert nx.number_of_selfloops(c) == 0
    assert set(c.predecessors("group:layer1")) == {"h0", "AccumulateGrad:shared"}
    assert set(c.successors("group:layer1")) == {"Addmm2"}
    assert collapse_group(g, "no such group").edges == g.edges


def test_collapse_that_would_close_a_cycle_is_refused():
    g = nx.DiGraph([("a", "outside"), ("outside", "b")])
    nx.set_node_attributes(g, {"a": "grp", "b": "grp"}, "group")
    with pytest.raises(ValueError, match="cycle"):
        collapse_group(g, "grp")


def test_layout_collapse_expand_round_trip():
    g = autograd_graph(3)
    engine = LayeredLayout()
    full = engine.compute(g)
    engine.collapse("layer1")
    assert engine.collapsed == {"layer1"}
    small = engine.compute(g)
    assert "group:layer1" in small.positions and "Addmm1" not in small.positions
    assert ("group:layer1", "Addmm2") in small.edges
    assert_no_overlap(small, {})
    engine.expand("layer1")
    assert engine.collapsed == frozenset()
    again = engine.compute(g)
    assert again.positions == full.positions and again.edges == full.edges


def test_cycle_raises_value_error():
    with pytest.raises(ValueError, match="cycle"):
        LayeredLayout().compute(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]))
    with pytest.raises(ValueError, match="cycle"):
        LayeredLayout().compute(nx.DiGraph([("a", "a")]))


def test_empty_graph_and_single_node():
    empty = LayeredLayout().compute(nx.DiGraph())
    assert (empty.positions, empty.edges, empty.crossings, empty.layers) == ({}, {}, 0, [])
    assert empty.bounds == (0.0, 0.0, 0.0, 0.0)
    g = nx.DiGraph()
    g.add_node("x")
    one = LayeredLayout().compute(g, {"x": (100.0, 30.0)})
    assert one.positions == {"x": (50.0, 15.0)} and one.edges == {}
    assert one.bounds == (0.0, 0.0, 100.0, 30.0)
    assert one.layers == [["x"]]


def test_bad_direction_is_refused():
    with pytest.raises(ValueError):
        LayeredLayout(direction="BT")
    engine = LayeredLayout()
    engine.direction = "diagonal"
    with pytest.raises(ValueError):
        engine.compute(nx.DiGraph([("a", "b")]))


@pytest.mark.parametrize("seed", range(5))
def test_crossings_are_counted_right(seed):
    # every edge spans one layer, so crossings can be counted from the positions directly
    rng = np.random.default_rng(seed)
    layers = [[f"l{k}n{i}" for i in range(rng.integers(2, 7))] for k in range(5)]
    layer_of = {v: k for k, layer in enumerate(layers) for v in layer}
    g = nx.DiGraph()
    g.add_nodes_from(layers[0])
    for upper, lower in zip(layers, layers[1:]):
        for v in lower:  # one or two inputs each, so the layers are networkx's generations
            g.add_edges_from((u, v) for u in rng.choice(upper, rng.integers(1, 3), replace=False))
        g.add_edges_from((u, v) for u in upper for v in lower if rng.random() < 0.2)
        g.add_edges_from((u, lower[0]) for u in upper if g.out_degree(u) == 0)
    layout = LayeredLayout().compute(g)
    assert [sorted(layer) for layer in layout.layers] == [sorted(layer) for layer in layers]
    x = {v: p[0] for v, p in layout.positions.items()}
    edges = list(g.edges)
    count = sum((x[a] - x[c]) * (x[b] - x[d]) < 0 for i, (a, b) in enumerate(edges)
                for c, d in edges[i + 1:] if layer_of[a] == layer_of[c])
    assert layout.crossings == count

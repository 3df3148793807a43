"""The module hierarchy's model (gui/model/hierarchy.py, collapse_groups in layout.py): depth,
collapse all to depth N, repeated blocks alike, hiding the nodes that need no gradient."""
import json

import networkx as nx
import pytest

from gradtrace.gui.model.export import to_json
from gradtrace.gui.model.graph import build_graph
from gradtrace.gui.model.hierarchy import (
    GroupTree,
    alike_label,
    bridged_without,
    group_tree,
    group_tree_steps,
    needs_no_grad,
)
from gradtrace.gui.model.layout import LayeredLayout, collapse_group, collapse_groups, collapsible
from gradtrace.gui.model.runner import ScriptRunner
from gradtrace.gui.script_files import examples_dir

from .blocks_script import BLOCKS


def graph_of(source):
    result = ScriptRunner().run(source)
    assert result.error is None, result.error
    return build_graph(result)


@pytest.fixture(scope="module")
def blocks():
    return graph_of(BLOCKS)


@pytest.fixture(scope="module")
def cnn():
    return graph_of((examples_dir() / "cnn_blitz.py").read_text())


def test_depths_of_a_twelve_layer_sequential(blocks):
    tree = GroupTree(blocks)
    assert tree.max_depth == 1
    assert tree.at_depth(0) == ["head"] + [f"layers.{i}" for i in range(12)]   # natural order
    assert tree.depth("layers.3.fc") == 1 and tree.depth("layers.3") == 0
    assert set(tree.at_depth(1)) == {f"layers.{i}.{p}" for i in range(12) for p in ("fc", "norm")}
    assert tree.at_depth(2) == []
    assert set(tree.members["layers.3"]) >= set(tree.members["layers.3.fc"])
    with pytest.raises(ValueError, match="depth must be 0 or more, not -1"):
        tree.at_depth(-1)


def test_the_twelve_blocks_are_alike_and_the_head_is_not(blocks):
    alike = group_tree(blocks).alike
    assert alike["layers.3"] == tuple(f"layers.{i}" for i in range(12))   # natural order
    assert len(alike["layers.7.norm"]) == 12
    # the head is a Linear as each block's fc is (the same class, the same ops), not a block
    assert alike["head"] == ("head",) + tuple(f"layers.{i}.fc" for i in range(12))
    assert set(alike["layers.3"]).isdisjoint(alike["head"])
    assert alike_label("layers.3", len(alike["layers.3"])) == "layers.3 (×12 alike)"
    assert group_tree(blocks) is group_tree(blocks)   # made once per graph


def test_a_changed_block_is_not_alike():
    changed = BLOCKS.replace("layers = nn.Sequential(*[Block() for _ in range(12)])",
                             "layers = nn.Sequential(*[Block() for _ in range(12)])\n"
                             "layers[5].norm = nn.Identity()")
    alike = group_tree(graph_of(changed)).alike
    assert "layers.5" not in alike and len(alike["layers.4"]) == 11


def test_calls_of_one_module_are_alike(cnn):
    alike = group_tree(cnn).alike
    assert alike["net (call 2)"] == ("net", "net (call 2)", "net (call 3)")
    assert alike_label("net (call 2)", 3) == "net (call 2, ×3 alike)"


def test_collapse_to_depth_zero_draws_each_top_level_call_as_one_box(blocks):
    layouter = LayeredLayout()
    layouter.set_collapsed(group_tree(blocks).at_depth(0))
    layout = layouter.compute(blocks)
    assert set(layout.boxes) == {f"group:layers.{i}" for i in range(12)} | {"group:head"}
    assert all(layout.boxes[f"group:layers.{i}"]["alike"] == 12 for i in range(12))
    assert layout.boxes["group:head"]["alike"] == 13   # with the 12 fc's inside the boxes
    inside = {m for a in layout.boxes.values() for m in a["members"]}
    assert not inside & set(layout.positions)
    assert set(layout.positions) == (set(blocks) - inside) | set(layout.boxes)
    # the boxes are chained as the blocks are: block i feeds block i + 1
    for i in range(11):
        assert (f"group:layers.{i}", f"group:layers.{i + 1}") in layout.box_edges


def test_collapse_to_depth_one_keeps_the_blocks_open_around_their_boxes(blocks):
    layouter = LayeredLayout()
    layouter.set_collapsed(group_tree(blocks).at_depth(1))
    layout = layouter.compute(blocks)
    assert len(layout.boxes) == 24
    assert layout.boxes["group:layers.3.fc"]["group"] == "layers.3"   # drawn inside its frame
    layouter.set_collapsed(())
    assert layouter.compute(blocks).positions.keys() == set(blocks)


def test_collapse_groups_at_once_is_collapsing_one_by_one(cnn):
    groups = ["net", "net (call 2)", "criterion (call 3)"]
    one_by_one = cnn
    for g in groups:
        one_by_one = collapse_group(one_by_one, g)
    at_once = collapse_groups(cnn, groups + ["net.fc1"])   # net.fc1 lies in net's box
    assert set(at_once.edges) == set(one_by_one.edges)
    assert {v: a.get("members") for v, a in at_once.nodes(data=True)} == \
        {v: a.get("members") for v, a in one_by_one.nodes(data=True)}


def test_a_group_whose_box_would_close_a_cycle_stays_open():
    g = nx.DiGraph([("a", "x"), ("x", "b"), ("c", "d")])
    nx.set_node_attributes(g, {"a": "fc", "b": "fc", "c": "ok", "d": "ok"}, "group")
    with pytest.raises(ValueError, match="collapsing group 'fc' would make a cycle"):
        collapse_groups(g, ["fc", "ok"])
    assert collapsible(g, ["fc", "ok"]) == ["ok"]


def test_hiding_leaves_out_constants_and_no_grad_nodes_with_bridged_edges():
    g = nx.DiGraph()
    g.add_node("x", kind="constant", requires_grad=False)
    g.add_node("w", kind="tensor", requires_grad=True)
    g.add_node("m", kind="tensor", requires_grad=False)     # a no-grad tensor in between
    g.add_node("f", kind="function", requires_grad=True)
    g.add_node("box", kind="group")
    g.add_edges_from([("x", "m"), ("w", "m"), ("m", "f"), ("f", "box")])
    assert [v for v, a in g.nodes(data=True) if needs_no_grad(a)] == ["x", "m"]
    shown = bridged_without(g, ["x", "m"])
    assert set(shown) == {"w", "f", "box"}
    assert shown.edges["w", "f"]["bridged"] is True and ("f", "box") in shown.edges


def test_hide_no_grad_layout_leaves_the_graph_and_its_export_whole(blocks):
    layouter = LayeredLayout()
    layouter.hide_no_grad = True
    layout = layouter.compute(blocks)
    hidden = {v for v, a in blocks.nodes(data=True) if needs_no_grad(a)}
    assert "x" in hidden and not hidden & set(layout.positions)
    assert set(layout.positions) == set(blocks) - hidden
    assert len(json.loads(to_json(blocks))["nodes"]) == len(blocks)   # every node exported
    layouter.set_collapsed(["layers.0"])   # hiding and collapsing together
    both = layouter.compute(blocks)
    assert "group:layers.0" in both.positions and "x" not in both.positions


def test_blocks_alike_whatever_their_node_ids_hash_to():
    # each layer has two AccumulateGrad nodes that tie in the topological order; the tie is
    # broken by the graph's order, not by how a set of the node ids happens to iterate (which
    # split 40 identical layers into classes at random)
    g = nx.DiGraph()
    h = "x"
    g.add_node(h, kind="constant", label="x")
    for k in range(40):
        grp = f"layer{k}"
        for p in ("weight", "bias"):
            g.add_node(f"{grp}.{p}", kind="tensor", role="leaf", group=grp)
            g.add_node(f"acc/{grp}.{p}", kind="accumulate", op="AccumulateGrad", group=grp)
            g.add_edge(f"{grp}.{p}", f"acc/{grp}.{p}")
        t, mm, relu = (f"{op}@{k * 7919 % 101}:{grp}" for op in ("T", "Addmm", "Relu"))
        for node, op in ((t, "TBackward0"), (mm, "AddmmBackward0"), (relu, "ReluBackward0")):
            g.add_node(node, kind="function", op=op, group=grp)
        g.add_edges_from([(f"acc/{grp}.weight", t), (f"acc/{grp}.bias", mm), (h, mm), (t, mm),
                          (mm, relu)])
        h = relu
    alike = GroupTree(g).alike
    assert alike["layer7"] == tuple(f"layer{k}" for k in range(40))
    # one tuple for the class, not one per group (12,500 layers alike: 156M references)
    assert alike["layer0"] is alike["layer39"]
    steps = GroupTree(g)
    assert sum(1 for _ in steps.alike_steps(step=10)) == 4
    assert steps.alike == alike


def test_the_tree_made_in_steps_is_the_tree_made_at_once():
    # a big graph's tree is made between event-loop turns: the same tree, cached the same way
    g = nx.DiGraph(group_parent={f"net.layers.{k}": "net" for k in range(30)})
    for k in range(30):
        for j in range(300):
            g.add_node(f"n{k}.{j}", group=f"net.layers.{k}", kind="function",
                       op="AddBackward0" if j % 2 else "MulBackward0")
    turns = sum(1 for _ in group_tree_steps(g))
    assert turns > 3
    tree, whole = group_tree(g), GroupTree(g)
    assert g.graph["_group_tree"] is tree
    assert tree.groups == whole.groups == ["net"] + [f"net.layers.{k}" for k in range(30)]
    assert tree.members == whole.members and tree.parent == whole.parent
    assert len(tree.members["net"]) == 9000 and tree.members["net.layers.2"][0] == "n2.0"
    assert [tree.depth(n) for n in tree.groups] == [whole.depth(n) for n in whole.groups]
    assert tree.alike == whole.alike and len(tree.alike["net.layers.3"]) == 30
    assert sum(1 for _ in group_tree_steps(g)) == 0   # made once

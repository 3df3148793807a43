"""Saved tensors over the timeline: with show-saved on, each node's saved tensors show from the
statement that made them until the backward step that runs the node frees them (not when
retain_graph=True), as PyTorch frees them; their values are the ones backward used."""
from pathlib import Path

import numpy as np
import pytest

from gradtrace.gui import pipeline

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def saved_doc(name):
    doc = pipeline.run_script((EXAMPLES / name).read_text(), include_saved=True)
    assert doc.error is None, str(doc.error)
    return doc


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_every_example_shows_saved_tensors_at_some_step(qapp, name):
    doc = saved_doc(name)
    saved = {n for n, a in doc.graph.nodes(data=True) if a["kind"] == "saved"}
    assert saved, f"{name}: no saved tensor in the graph"
    seen = set()
    for i in range(len(doc.timeline)):
        seen |= doc.timeline.state_at(i).visible & saved
    assert seen == saved


def test_saved_tensors_go_when_the_step_that_runs_their_node_frees_them(qapp):
    doc = saved_doc("tutorial.py")
    timeline = doc.timeline
    mul = "MulBackward0#0@z"                       # y * y saves self and other (= y)
    mine = {f"{mul}:self", f"{mul}:other"}
    run = next(e.index for e in timeline.entries if e.node == mul)
    before = timeline.state_at(run - 1)
    assert mine <= before.visible and not (mine & before.released)
    at = timeline.state_at(run)
    assert mine <= at.visible and mine <= at.released      # shown as freed by this step
    after = timeline.state_at(run + 1)
    assert not (mine & after.visible)
    np.testing.assert_allclose(doc.graph.nodes[f"{mul}:self"]["value"], np.full((2, 2), 3.0))


def test_retain_graph_keeps_them_until_the_backward_that_frees_them(qapp):
    doc = saved_doc("shared_leaf.py")   # backward(retain_graph=True), then backward()
    timeline = doc.timeline
    saved = {n for n, a in doc.graph.nodes(data=True) if a["kind"] == "saved"}
    calls = [[e.index for e in timeline.entries if e.kind == "backward" and e.call == c]
             for c in (0, 1)]
    assert saved <= timeline.state_at(calls[0][-1]).visible      # the first call kept them
    assert saved <= timeline.state_at(calls[1][0] - 1).visible
    assert not (saved & timeline.state_at(calls[1][-1]).visible)  # the second freed them


def test_the_scene_draws_a_released_saved_tensor_as_freed(qapp):
    from gradtrace.gui.graph_scene import GraphScene
    doc = saved_doc("tutorial.py")
    scene = GraphScene()
    scene.set_graph(doc.graph, doc.layout)
    run = next(e.index for e in doc.timeline.entries if e.node == "MulBackward0#0@z")
    scene.apply_state(doc.timeline.state_at(run), animate=False)
    item = scene.nodes["MulBackward0#0@z:self"]
    assert item.isVisible() and item.released
    scene.apply_state(doc.timeline.state_at(run + 1), animate=False)
    assert not item.isVisible()


def test_the_inspector_says_when_a_saved_tensor_was_freed(qtbot):
    from gradtrace.gui.inspector import Inspector
    doc = saved_doc("tutorial.py")
    inspector = Inspector()
    qtbot.addWidget(inspector)
    node = "MulBackward0#0@z:self"
    run = doc.timeline.freed_at(node)
    assert run == next(e.index for e in doc.timeline.entries if e.node == "MulBackward0#0@z")
    for i, words in ((run - 1, None), (run, "freed by this backward step"),
                     (run + 1, "freed by the backward call")):
        inspector.show_node(node, dict(doc.graph.nodes[node]), doc.timeline.state_at(i),
                            doc.graph, doc.timeline)
        text = inspector.kind_label.text()
        assert "not made yet" not in text
        assert (words in text) if words else "freed" not in text, text
        np.testing.assert_allclose(inspector.value_view.array(), np.full((2, 2), 3.0))
        assert inspector.saved_box.title() == "Saved by"
        assert inspector.saved_label.text().startswith("MulBackward0 (for its backward)")


def test_the_inspector_marks_a_nodes_saved_tensors_once_freed(qtbot):
    """The function node's "Saved tensors" list says which of them backward has freed (the
    tour's 'backward twice' stage: the node whose saved tensors are gone)."""
    from gradtrace.gui.inspector import Inspector
    doc = saved_doc("tutorial.py")
    inspector = Inspector()
    qtbot.addWidget(inspector)
    node = "MulBackward0#0@z"
    run = doc.timeline.freed_at(f"{node}:self")
    for i, mark in ((run - 1, ""), (run, " (freed by this backward step)"),
                    (len(doc.timeline) - 1, " (freed by backward)")):
        inspector.show_node(node, dict(doc.graph.nodes[node]), doc.timeline.state_at(i),
                            doc.graph, doc.timeline)
        lines = inspector.saved_label.text().splitlines()
        assert sorted(lines) == [f"other: 2×2 float32{mark}", f"self: 2×2 float32{mark}"]

"""Tests for gui/model/timeline_steps.py: a state made from its neighbour is the state made
whole, stepping forward and back, and its `StepChanges` name everything that differs."""
from pathlib import Path

import numpy as np
import pytest

from gradtrace.gui import pipeline
from gradtrace.gui.model.timeline_steps import neighbour_fields

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"

NAN = ("import torch\nx = torch.ones(2, requires_grad=True)\ny = torch.sqrt(x - 2)\n"
       "out = (y * x).sum()\nout.backward()\n")
TWICE = ("import torch\nx = torch.ones(2, 2, requires_grad=True)\nw = torch.ones(2, 2, "
         "requires_grad=True)\nz = (x * w + 2) * 3\nout = z.mean()\n"
         "out.backward(retain_graph=True)\nprint(x.grad)\nout.backward()\ny = out * 2\n")


def _timeline(source: str):
    doc = pipeline.run_script(source, include_saved=True)
    assert doc.error is None, doc.error
    return doc.timeline


SOURCES = {name: (EXAMPLES / name).read_text() for name in (
    "shared_leaf.py", "rnn_unrolled.py", "nn_training.py", "custom_function_double_backward.py",
    "softmax_cross_entropy.py")}
SOURCES.update(nan=NAN, twice=TWICE)


def _differs(a, b):
    """The nodes whose look differs between states a and b, the edges whose gradient does,
    and the nodes that appear or go."""
    nodes = set(a.visible ^ b.visible) | (a.done ^ b.done) | (a.pending ^ b.pending)
    nodes |= a.node_nonfinite ^ b.node_nonfinite
    nodes |= a.released ^ b.released
    nodes |= a.accumulation.keys() | b.accumulation.keys()
    nodes |= {a.active, b.active, a.nonfinite, b.nonfinite} if (
        a.active != b.active or a.nonfinite != b.nonfinite) else set()
    nodes |= {n for n in a.node_norms.keys() | b.node_norms.keys()
              if a.node_norms.get(n) != b.node_norms.get(n)}
    for leaf in a.leaf_grads.keys() | b.leaf_grads.keys():
        x, y = a.leaf_grads.get(leaf), b.leaf_grads.get(leaf)
        if (x is None) != (y is None) or (x is not None and not np.array_equal(
                np.asarray(getattr(x, "shape", x)), np.asarray(getattr(y, "shape", y)))
                or (isinstance(x, np.ndarray) and not np.array_equal(x, y, equal_nan=True))):
            nodes.add(leaf)
    edges = {k for k in a.edge_grads.keys() | b.edge_grads.keys()
             if a.edge_grads.get(k) != b.edge_grads.get(k)}
    nodes.discard(None)
    return nodes, edges, set(a.visible ^ b.visible)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_a_state_made_from_its_neighbour_is_the_state_made_whole_both_ways(qapp, name):
    timeline = _timeline(SOURCES[name])
    whole = [timeline._state_whole(i) for i in range(len(timeline))]
    derived = 0
    for i in range(1, len(timeline)):
        derived += neighbour_fields(timeline, whole[i - 1], i) is not None
        derived += neighbour_fields(timeline, whole[i], i - 1) is not None
    assert derived >= len(timeline) // 2   # (not every state made whole anyway)
    timeline.state_at(0)
    for i in range(1, len(timeline)):       # forward, each from the one before
        assert timeline.state_at(i) == whole[i], i
    for i in reversed(range(len(timeline) - 1)):   # and back
        state = timeline.state_at(i)
        assert state == whole[i], i
        assert state.released == whole[i].released and state.visible == whole[i].visible


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_step_changes_name_every_node_and_edge_that_differs(qapp, name):
    timeline = _timeline(SOURCES[name])
    whole = [timeline._state_whole(i) for i in range(len(timeline))]
    known = 0
    for i in range(1, len(timeline)):
        changes = whole[i].changes
        if changes is None:
            assert timeline._call_at[i] != timeline._call_at[i - 1]
            continue
        known += 1
        nodes, edges, shown = _differs(whole[i - 1], whole[i])
        assert nodes <= changes.nodes, (i, nodes - changes.nodes)
        assert edges <= changes.edges, (i, edges - changes.edges)
        assert shown <= changes.shown <= changes.nodes
        assert len(changes.nodes) <= 12 + len(shown)   # a step, not the graph
    assert known >= len(timeline) // 2
    assert whole[0].changes is None


def test_states_of_a_timeline_grown_by_a_call_are_not_made_from_older_ones(qapp):
    timeline = _timeline(TWICE)
    before = timeline.state_at(len(timeline) - 1)
    call = timeline.recording.calls[0]
    timeline.add_call(call)
    after = timeline.state_at(before.index + 1)
    assert after.source is not before.source
    assert after == timeline._state_whole(before.index + 1)

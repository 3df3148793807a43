"""Tests for gui/model/playback.py: timeline order, exact state at every index, accumulation
over several backward calls, breakpoints (op, label, id, NaN) and the Player."""
import random

import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.gui.model.graph import build_graph
from gradtrace.gui.model.playback import GradInfo, Player, Timeline
from tests.gui.recorded import run_script

TUTORIAL = """\
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
"""


def timeline_of(source):
    result = run_script(source)
    graph = build_graph(result)
    return result, graph, Timeline.from_run(result, graph)


def test_entries_in_script_order():
    _, _, timeline = timeline_of(TUTORIAL + "out.backward()\n")
    labels = [e.label for e in timeline.entries]
    assert labels[:5] == ["line 1: x = torch.ones(2, 2, requires_grad=True)",
                          "line 2: y = x + 2", "line 3: z = y * y * 3", "line 4: out = z.mean()",
                          "line 5: out.backward()"]
    assert labels[5:] == ["backward step 1/5: MeanBackward0", "backward step 2/5: MulBackward0",
                          "backward step 3/5: MulBackward0", "backward step 4/5: AddBackward0",
                          "backward step 5/5: AccumulateGrad"]
    assert [e.kind for e in timeline.entries] == ["forward"] * 5 + ["backward"] * 5
    assert [e.statement_index for e in timeline.entries] == [0, 1, 2, 3, 4] + [4] * 5
    assert timeline.entries[8].node == "AddBackward0#0@y"
    assert "y" in timeline.entries[8].targets


def test_forward_end_matches_backward_and_start_has_no_grads():
    result, graph, timeline = timeline_of(TUTORIAL + "out.backward()\n")
    end = timeline.state_at(len(timeline) - 1)
    np.testing.assert_array_equal(end.leaf_grads["x"], result.tensors["x"].grad.numpy())
    reference = gt.ones(2, 2, requires_grad=True)
    ((reference + 2) * (reference + 2) * 3).mean().backward()
    np.testing.assert_array_equal(end.leaf_grads["x"], reference.grad.numpy())
    assert end.done == {"MeanBackward0#0@out", "MulBackward0#1@z", "MulBackward0#0@z",
                        "AddBackward0#0@y"} and end.active == "AccumulateGrad:x"
    assert end.visible == frozenset(graph.nodes)
    np.testing.assert_allclose(end.edge_grads["x", "AccumulateGrad:x"].norm, 9.0)
    start = timeline.state_at(0)
    assert start.leaf_grads == {"x": None}
    assert start.visible == {"x"} and not start.done and not start.pending
    assert start.active is None and start.edge_grads == {}


def test_visible_done_active_pending_per_step():
    _, graph, timeline = timeline_of(TUTORIAL + "out.backward()\n")
    assert timeline.state_at(1).visible == {"x", "y", "AddBackward0#0@y", "AccumulateGrad:x"}
    assert timeline.state_at(1).added == {"y", "AddBackward0#0@y", "AccumulateGrad:x"}
    call_nodes = {e.node for e in timeline.entries if e.kind == "backward"}
    for i in range(5, 10):
        state = timeline.state_at(i)
        assert state.active == timeline.entries[i].node
        assert state.done | {state.active} | state.pending == call_nodes
        assert state.active not in state.done | state.pending
        assert len(state.done) == i - 5
    mid = timeline.state_at(6)   # after MulBackward0#1 ran
    assert set(mid.edge_grads) == {("MeanBackward0#0@out", "out"), ("z", "MeanBackward0#0@out"),
                                   ("MulBackward0#1@z", "z"),
                                   ("MulBackward0#0@z", "MulBackward0#1@z")}
    info = mid.edge_grads["z", "MeanBackward0#0@out"]
    assert info == GradInfo((2, 2), 0.5, True, min=0.25, max=0.25)
    assert mid.leaf_grads["x"] is None


def test_stepping_back_and_seeking_are_exact():
    _, _, timeline = timeline_of(TUTORIAL + "out.backward(retain_graph=True)\nout.backward()\n")
    fresh = [timeline.state_at(i) for i in range(len(timeline))]
    player = Player(timeline)
    player.to_end()
    for i in reversed(range(len(timeline))):
        assert player.position == i and player.state == fresh[i]
        player.step_back()
    order = list(range(len(timeline))) * 3
    random.Random(7).shuffle(order)
    for i in order:
        assert player.seek(i) == fresh[i]
    player.to_start()
    assert player.state == fresh[0] and player.state.leaf_grads["x"] is None


def test_two_backward_calls_accumulate_visibly():
    _, _, timeline = timeline_of(TUTORIAL + "out.backward(retain_graph=True)\nout.backward()\n")
    accs = [e.index for e in timeline.entries if e.op == "AccumulateGrad"]
    assert len(accs) == 2
    first, second = accs
    assert timeline.state_at(first - 1).leaf_grads["x"] is None
    np.testing.assert_allclose(timeline.state_at(first).leaf_grads["x"], np.full((2, 2), 4.5))
    second_start = timeline.entries[second].index - 4
    assert timeline.entries[second_start].label == "backward step 1/5: MeanBackward0 (call 2)"
    np.testing.assert_allclose(timeline.state_at(second_start).leaf_grads["x"], 4.5)
    np.testing.assert_allclose(timeline.state_at(second).leaf_grads["x"], np.full((2, 2), 9.0))
    assert timeline.state_at(second_start).done == frozenset()   # the second call restarts


def test_breakpoints_by_op_label_and_id():
    _, _, timeline = timeline_of(TUTORIAL + "out.backward()\n")
    player = Player(timeline)
    player.add_breakpoint("MulBackward0")
    assert player.run_to_break() == 6 and player.last_break.reason == "breakpoint"
    assert player.run_to_break() == 7 and player.last_break.node == "MulBackward0#0@z"
    assert player.run_to_break() == len(timeline) - 1 and player.last_break is None
    player.clear_breakpoints()
    player.to_start()
    player.add_breakpoint("y")                 # a user label: the step that makes y's grad
    assert player.run_to_break() == 8 and player.last_break.op == "AddBackward0"
    player.remove_breakpoint("y")
    player.add_breakpoint("AccumulateGrad:x")  # a node id
    assert player.run_to_break() == 9
    assert player.breakpoints == {"AccumulateGrad:x"}


def test_nan_breakpoint_names_the_node_that_made_it():
    result, graph, timeline = timeline_of(
        "x = torch.ones(2, requires_grad=True)\ny = torch.sqrt(x - 2)\nout = y.sum()\n"
        "out.backward()\n")
    player = Player(timeline)
    player.break_on_nonfinite = True
    stop = player.run_to_break()
    hit = player.last_break
    assert hit.reason == "nonfinite" and hit.op == "SqrtBackward0"
    assert hit.node == "SqrtBackward0#0@y" and "SqrtBackward0" in hit.message
    state = player.state
    assert state.nonfinite == "SqrtBackward0#0@y" and state.active == hit.node
    assert not state.edge_grads["SubBackward0#0@y", "SqrtBackward0#0@y"].finite
    assert state.edge_grads["SqrtBackward0#0@y", "y"].finite
    assert timeline.state_at(stop - 1).nonfinite is None
    assert player.run_to_break() == len(timeline) - 1 and player.last_break is None
    assert np.isnan(timeline.state_at(-1).leaf_grads["x"]).all()


def test_add_backward_when_the_script_calls_none():
    result, graph, timeline = timeline_of(TUTORIAL)
    assert len(timeline) == 4
    seen = []
    timeline.subscribe(lambda tl: seen.append(len(tl)))
    new = timeline.add_backward("out")
    assert list(new) == [4, 5, 6, 7, 8] and seen == [9]
    assert timeline.entries[4].statement_index is None
    np.testing.assert_allclose(timeline.state_at(-1).leaf_grads["x"], np.full((2, 2), 4.5))
    timeline.add_backward(result.tensors["out"])      # a tensor works too; it accumulates
    np.testing.assert_allclose(timeline.state_at(-1).leaf_grads["x"], np.full((2, 2), 9.0))
    np.testing.assert_allclose(timeline.state_at(8).leaf_grads["x"], np.full((2, 2), 4.5))
    assert timeline.state_at(3).leaf_grads["x"] is None
    with pytest.raises(KeyError):
        timeline.add_backward("no such node")


def test_from_graph_and_copies_survive_in_place_changes():
    x = gt.ones(3, requires_grad=True)
    out = (x * x).sum()
    timeline = Timeline.from_graph(build_graph({"x": x, "out": out}))
    timeline.add_backward(out)
    x.grad.zero_()                       # the recorded copies keep the values of then
    np.testing.assert_allclose(timeline.state_at(-1).leaf_grads["x"], [2.0, 2.0, 2.0])


def test_training_loop_calls_accumulate_on_the_leaf():
    _, graph, timeline = timeline_of(
        "w = torch.ones(2, requires_grad=True)\n"
        "for i in range(3):\n    loss = (w * 2).sum()\n    loss.backward()\n")
    calls = {e.call for e in timeline.entries if e.kind == "backward"}
    assert calls == {0, 1, 2}
    grads = [timeline.state_at(e.index).leaf_grads["w"][0] for e in timeline.entries
             if e.op == "AccumulateGrad"]
    assert grads == [2.0, 4.0, 6.0]


def test_player_notifies_subscribers_and_clamps():
    _, _, timeline = timeline_of(TUTORIAL + "out.backward()\n")
    player = Player(timeline)
    got = []
    unsubscribe = player.subscribe(got.append)
    player.step_forward()
    player.step_back()
    player.step_back()                   # already at 0: no move, no call
    player.seek(100)
    assert [s.index for s in got] == [1, 0, len(timeline) - 1] and player.at_end
    unsubscribe()
    player.to_start()
    assert len(got) == 3 and player.position == 0


def test_with_the_script_runner_on_the_tutorial():
    runner = pytest.importorskip("gradtrace.gui.model.runner")
    from importlib import resources
    source = resources.files("gradtrace.resources").joinpath("examples/tutorial.py").read_text()
    result = runner.ScriptRunner().run(source)
    assert result.ok, result.error
    graph = build_graph(result)
    assert {"x", "y", "z", "out", "AccumulateGrad:x", "MulBackward0#1@z"} <= set(graph.nodes)
    timeline = Timeline.from_run(result, graph)
    np.testing.assert_allclose(timeline.state_at(-1).leaf_grads["x"], np.full((2, 2), 4.5))
    assert timeline.state_at(0).leaf_grads["x"] is None
    assert [e.op for e in timeline.entries if e.kind == "backward"] == [
        "MeanBackward0", "MulBackward0", "MulBackward0", "AddBackward0", "AccumulateGrad"]


def test_grad_zeroed_in_place_later_does_not_rewrite_history():
    from gradtrace.gui.model.runner import ScriptRunner
    src = ("import torch\n"
           "x = torch.ones(2, requires_grad=True)\n"
           "(x * 2).sum().backward()\n"
           "x.grad.zero_()\n"
           "(x * 3).sum().backward()\n")
    result = ScriptRunner().run(src)
    timeline = Timeline.from_run(result, build_graph(result))
    accumulated = [i for i, e in enumerate(timeline.entries)
                   if e.kind == "backward" and e.op == "AccumulateGrad"]
    assert [timeline.state_at(i).leaf_grads["x"].tolist() for i in accumulated] == [
        [2.0, 2.0], [3.0, 3.0]]


def test_state_says_what_a_step_adds_to_an_earlier_grad():
    _, _, timeline = timeline_of(TUTORIAL + "out.backward(retain_graph=True)\nout.backward()\n")
    acc = [e.index for e in timeline.entries if e.op == "AccumulateGrad"]
    assert timeline.state_at(acc[0]).accumulation == {}        # the first .grad: nothing before
    old, added = timeline.state_at(acc[1]).accumulation["x"]
    np.testing.assert_allclose(old, np.full((2, 2), 4.5))
    np.testing.assert_allclose(added, np.full((2, 2), 4.5))
    assert timeline.state_at(acc[1] - 1).accumulation == {}    # only at the step itself


def test_state_has_each_nodes_largest_incoming_gradient_norm():
    _, _, timeline = timeline_of(TUTORIAL + "out.backward()\n")
    end = timeline.state_at(-1)
    expected = {}
    for (u, _v), info in end.edge_grads.items():
        expected[u] = max(expected.get(u, 0.0), info.norm)
    assert end.node_norms == expected and end.node_norms
    np.testing.assert_allclose(end.node_norms["x"], 9.0)
    assert end.node_nonfinite == frozenset()
    assert timeline.state_at(0).node_norms == {}


def test_state_marks_nodes_a_nonfinite_gradient_reached():
    _, _, timeline = timeline_of("x = torch.tensor([0.0, 1.0], requires_grad=True)\n"
                                 "y = x.sqrt()\nz = y.sum()\nz.backward()\n")
    end = timeline.state_at(-1)
    assert "x" in end.node_nonfinite and end.node_norms["x"] == float("inf")


def test_state_has_the_console_text_and_statement_lines():
    from gradtrace.gui.model.runner import ScriptRunner
    result = ScriptRunner().run("import torch\n"
                                "x = torch.ones(2, requires_grad=True)\n"
                                "for i in range(2):\n"
                                "    print('iteration', i)\n"
                                "    (x * 2).sum().backward()\n"
                                "print('done')\n")
    timeline = Timeline.from_run(result, build_graph(result))
    entries = timeline.entries
    firsts = [next(e.index for e in entries if e.kind == "backward" and e.call == c)
              for c in (0, 1)]
    assert [timeline.state_at(i).output for i in firsts + [len(entries) - 1]] == [
        "iteration 0\n", "iteration 0\niteration 1\n", "iteration 0\niteration 1\ndone\n"]
    assert timeline.state_at(1).output == ""
    assert timeline.state_at(1).lines == (2, 2)
    assert timeline.state_at(2).lines == (3, 5)        # the whole loop
    assert timeline.state_at(firsts[0]).lines == (3, 5)
    assert timeline.state_at(-1).lines == (6, 6)


def test_a_timeline_without_a_run_has_no_output_or_lines():
    x = gt.ones(2, requires_grad=True)
    timeline = Timeline.from_graph(build_graph([x * 2], names={"x": x}))
    state = timeline.state_at(0)
    assert state.output is None and state.lines is None


def test_player_works_out_each_state_once():
    _, _, timeline = timeline_of(TUTORIAL + "out.backward()\n")
    calls = []
    state_at = timeline.state_at
    timeline.state_at = lambda i: calls.append(i) or state_at(i)
    player = Player(timeline)
    seen = []
    player.subscribe(seen.append)
    for _ in range(3):
        player.step_forward()
        assert player.state is seen[-1]
    assert calls == [1, 2, 3]


def test_console_is_complete_at_the_end_and_true_after_each_call():
    from gradtrace.gui.model.runner import ScriptRunner
    result = ScriptRunner().run("import torch\n"
                                "w = torch.ones(2, requires_grad=True)\n"
                                "for step in range(2):\n"
                                "    loss = (w * 2).sum()\n"
                                "    loss.backward()\n"
                                "    print('step', step, 'loss', loss.item())\n")
    timeline = Timeline.from_run(result, build_graph(result))
    entries = timeline.entries
    lasts = [max(e.index for e in entries if e.kind == "backward" and e.call == c)
             for c in (0, 1)]
    assert lasts[1] == len(entries) - 1
    assert timeline.state_at(-1).output == "step 0 loss 4.0\nstep 1 loss 4.0\n"
    # the first call is over: what the loop printed before the second call began
    assert timeline.state_at(lasts[0]).output == "step 0 loss 4.0\n"
    assert timeline.state_at(lasts[0] - 1).output == ""
    assert timeline.state_at(lasts[0] + 1).output == "step 0 loss 4.0\n"


def _grad_info_by_numpy(a):
    """GradInfo.of as numpy works it out for any array (the reference of the small path)."""
    nan = int(np.isnan(a).sum()) if a.dtype.kind == "f" else 0
    inf = int(np.isinf(a).sum()) if a.dtype.kind == "f" else 0
    norm = float(np.sqrt(np.sum(np.square(np.abs(a), dtype=np.float64))))
    finite = a if nan == inf == 0 else a[np.isfinite(a)]
    lo = float(finite.min()) if finite.size else None
    hi = float(finite.max()) if finite.size else None
    return tuple(a.shape), norm, nan == 0 and inf == 0, nan, inf, lo, hi


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int8", "bool"])
def test_the_grad_info_of_a_small_array_is_numpys(dtype):
    rng = np.random.default_rng(5)
    for size in (1, 2, 16, 63, 64, 65):
        a = (rng.normal(size=size) * 100).astype(dtype)
        if dtype.startswith("float"):
            a[rng.integers(0, size, 2)] = rng.choice([np.nan, np.inf, -np.inf, -0.0], 2)
        info = GradInfo.of(a.reshape(-1, 1) if size % 2 else a)
        shape, norm, finite, nan, inf, lo, hi = _grad_info_by_numpy(
            a.reshape(-1, 1) if size % 2 else a)
        assert (info.shape, info.finite, info.nan, info.inf, info.min, info.max) == \
            (shape, finite, nan, inf, lo, hi)
        assert info.norm == pytest.approx(norm, rel=1e-12, nan_ok=True)
    everywhere = np.full((4, 4), np.nan, dtype=np.float32)
    info = GradInfo.of(everywhere)
    assert info.nan == 16 and info.min is None and not info.finite

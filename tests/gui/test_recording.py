"""The Recording (gui/model/recording.py): a run as plain data, and its .gtrace file: a round
trip gives the identical timeline, the format is pinned, bad files are refused clearly."""
import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from gradtrace.gui.model.graph import build_graph
from gradtrace.gui.model.playback import Timeline
from gradtrace.gui.model.recording import (
    FORMAT_NAME,
    CallRecording,
    Recording,
    RecordingError,
    StepRecording,
    ValueStats,
    load,
    record,
    save,
)
from gradtrace.gui.model.runner import ScriptRunner

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.py"))
FIXTURE = Path(__file__).parent / "data" / "tiny.gtrace"
TINY = ("import torch\n"
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "y = (x * x).sum()\n"
        "print(y)\n"
        "y.backward()\n")


def same(a, b):
    """Deep equality of plain data with numpy arrays (NaN equal to NaN)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return type(a) is type(b) and a == b


def assert_same_timeline(a, b):
    assert len(a) == len(b)
    assert [e.label for e in a.entries] == [e.label for e in b.entries]
    for i in range(len(a)):
        assert a.state_at(i) == b.state_at(i), f"state {i} differs"
        sa, sb = a.state_at(i), b.state_at(i)
        assert sa.leaf_grads.keys() == sb.leaf_grads.keys()
        for key in sa.leaf_grads:
            assert same(sa.leaf_grads[key], sb.leaf_grads[key])


def assert_same_graph(a, b):
    assert list(a.nodes) == list(b.nodes) and list(a.edges) == list(b.edges)
    for n in a.nodes:
        assert same(a.nodes[n], b.nodes[n]), n
    for u, v in a.edges:
        assert same(a.edges[u, v], b.edges[u, v]), (u, v)
    assert same(a.graph, b.graph)


def tiny_recording(**kw):
    result = ScriptRunner().run(TINY)
    assert result.ok, result.error
    return result, record(result, **kw)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_reopens_to_the_identical_timeline(path, tmp_path):
    result = ScriptRunner().run(path.read_text(encoding="utf-8"))
    assert result.ok, result.error
    graph = build_graph(result, include_saved=True)
    live = Timeline.from_run(result, graph)
    rec = live.recording
    save(rec, tmp_path / "run.gtrace")
    back = load(tmp_path / "run.gtrace")
    assert_same_graph(rec.graph, back.graph)
    assert "_index" not in back.graph.graph and "_index" not in rec.graph.graph
    assert_same_timeline(live, Timeline.from_recording(back))
    assert back.source == result.source and back.output == result.output
    assert [s.lineno for s in back.statements] == [s.lineno for s in result.statements]


def test_steps_are_placed_on_graph_ids_with_the_engines_gradients():
    result, rec = tiny_recording()
    (call,) = rec.calls
    steps = result.backward_calls[0].steps
    assert [s.op for s in call.steps] == ["SumBackward0", "MulBackward0", "AccumulateGrad"]
    assert call.steps[0].node == "SumBackward0#0@y" and call.steps[2].node == "AccumulateGrad:x"
    assert call.steps[2].leaf == "x"
    for mine, theirs in zip(call.steps, steps):
        for a, b in zip(mine.grads_in + mine.grads_out, theirs.grads_in + theirs.grads_out):
            assert (a is None) == (b is None)
            if a is not None:
                np.testing.assert_array_equal(a, b.numpy())
    np.testing.assert_array_equal(call.steps[2].grad_after, [2.0, 4.0])
    assert call.steps[2].grad_before is None
    assert rec.statements[1].names == {"x": "x"} and rec.statements[2].names["y"] == "y"
    assert rec.engine == "gradtrace" and rec.meta["value_cap"] == 1_000_000


def test_a_recording_may_take_its_graph_instead_of_a_copy():
    result = ScriptRunner().run(TINY)
    graph = build_graph(result, include_saved=True)
    copied = record(result, graph=graph, value_cap=1)
    assert copied.graph is not graph and "_index" in graph.graph
    assert isinstance(graph.nodes["x"]["value"], np.ndarray)   # left as built
    owned = record(result, graph=graph, value_cap=1, own_graph=True)
    assert owned.graph is graph and "_index" not in graph.graph
    assert isinstance(graph.nodes["x"]["value"], ValueStats)   # capped in place
    assert copied.graph.nodes["x"]["value"] == owned.graph.nodes["x"]["value"]
    assert all(owned.graph.nodes[n].keys() == a.keys() for n, a in copied.graph.nodes(data=True))
    assert sorted(owned.graph.edges) == sorted(copied.graph.edges)
    assert [s.node for s in owned.calls[0].steps] == [s.node for s in copied.calls[0].steps]


def test_step_for_gives_the_step_recording():
    result = ScriptRunner().run(TINY)
    timeline = Timeline.from_run(result, build_graph(result))
    step = timeline.step_for("MulBackward0#0@y", len(timeline) - 1)
    assert isinstance(step, StepRecording) and step.op == "MulBackward0"
    for sent in step.grads_out:   # x * x: each input slot gets grad * the other, x
        np.testing.assert_array_equal(sent, [1.0, 2.0])


def test_add_call_appends_a_call_recorded_elsewhere(tmp_path):
    result = ScriptRunner().run(TINY)
    timeline = Timeline.from_run(result, build_graph(result))
    heard = []
    timeline.subscribe(heard.append)
    n = len(timeline)
    again = timeline.recording.calls[0]
    new = timeline.add_call(CallRecording(None, "backward", list(again.steps),
                                          retain_graph=True))
    assert new == range(n, n + 3) and heard == [timeline]
    assert timeline.entries[n].label == "backward step 1/3: SumBackward0 (call 2)"
    assert timeline.state_at(-1).active == "AccumulateGrad:x"
    assert len(timeline.recording.calls) == 2
    save(timeline.recording, tmp_path / "more.gtrace")   # the added call is saved too
    assert_same_timeline(timeline, Timeline.from_recording(load(tmp_path / "more.gtrace")))


def test_the_file_format_is_pinned(tmp_path):
    _, rec = tiny_recording()
    save(rec, tmp_path / "tiny.gtrace")
    with zipfile.ZipFile(tmp_path / "tiny.gtrace") as zf:
        assert zf.namelist() == ["recording.json", "arrays.npz"]
        doc = json.loads(zf.read("recording.json"))
        npz = np.load(io.BytesIO(zf.read("arrays.npz")), allow_pickle=False)
    assert doc["format"] == FORMAT_NAME == "gradtrace-recording" and doc["version"] == 1
    assert list(doc) == ["format", "version", "engine", "source", "output", "error", "meta",
                         "statements", "calls", "graph"]
    assert list(doc["statements"][0]) == ["index", "lineno", "end_lineno", "source", "output",
                                          "error", "part", "mark", "names"]
    step = doc["calls"][0]["steps"][2]
    assert list(step) == ["node", "op", "grads_in", "grads_out", "leaf", "grad_before",
                          "grad_after"]
    assert step["op"] == "AccumulateGrad" and step["leaf"] == "x"
    name = step["grad_after"]["$array"]
    assert name.startswith("a") and npz[name].tolist() == [2.0, 4.0]
    assert set(npz.files) == {f"a{k}" for k in range(len(npz.files))}
    nodes = dict((n, a) for n, a in doc["graph"]["nodes"])
    assert nodes["x"]["shape"] == {"$tuple": [2]} and nodes["x"]["kind"] == "tensor"
    assert list(doc["graph"]) == ["graph", "nodes", "edges"]


def test_a_checked_in_recording_still_opens():
    """tests/gui/data/tiny.gtrace was written by `save` of TINY's recording; a change that
    cannot read it breaks users' files (make a version 2 reader instead)."""
    rec = load(FIXTURE)
    timeline = Timeline.from_recording(rec)
    assert rec.source == TINY and rec.output == "tensor(5., grad_fn=<SumBackward0>)\n"
    assert [e.label for e in timeline.entries][-3:] == [
        "backward step 1/3: SumBackward0", "backward step 2/3: MulBackward0",
        "backward step 3/3: AccumulateGrad"]
    np.testing.assert_array_equal(timeline.state_at(-1).leaf_grads["x"], [2.0, 4.0])
    assert rec.graph.nodes["x"]["shape"] == (2,)
    assert isinstance(rec.graph.nodes["MulBackward0#0@y"]["saved"]["self"], tuple)
    _, fresh = tiny_recording()
    for graph in (fresh.graph, rec.graph):   # what differs from run to run in one process:
        for _, attrs in graph.nodes(data=True):   # "<MulBackward0 object at 0x...>", the
            if attrs.get("grad_fn"):              # engine's node counter
                attrs["grad_fn"] = attrs["grad_fn"].split(" object at ")[0]
            attrs.pop("sequence_nr", None)
    assert_same_graph(fresh.graph, rec.graph)
    assert_same_timeline(Timeline.from_recording(fresh), timeline)


def _rewrite(src, dst, *, doc=None, npz=None, drop=None):
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    if doc is not None:
        parts["recording.json"] = json.dumps(doc(json.loads(parts["recording.json"]))).encode()
    if npz is not None:
        parts["arrays.npz"] = npz
    if drop is not None:
        del parts[drop]
    with zipfile.ZipFile(dst, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)


def test_a_newer_or_damaged_file_is_a_clear_error(tmp_path):
    _, rec = tiny_recording()
    good = tmp_path / "good.gtrace"
    save(rec, good)
    newer = tmp_path / "newer.gtrace"
    _rewrite(good, newer, doc=lambda d: {**d, "version": 2})
    with pytest.raises(RecordingError, match=r"newer\.gtrace was written by a newer gradtrace "
                                             r"\(recording format version 2"):
        load(newer)
    cut = tmp_path / "cut.gtrace"
    cut.write_bytes(good.read_bytes()[:200])
    with pytest.raises(RecordingError, match=r"cut\.gtrace: not a gradtrace recording"):
        load(cut)
    text = tmp_path / "script.gtrace"
    text.write_text(TINY)
    with pytest.raises(RecordingError, match="not a zip file"):
        load(text)
    for drop in ("recording.json", "arrays.npz"):
        missing = tmp_path / f"no-{drop}.gtrace"
        _rewrite(good, missing, drop=drop)
        with pytest.raises(RecordingError, match=f"it has no {drop}"):
            load(missing)
    other = tmp_path / "other.gtrace"
    _rewrite(good, other, doc=lambda d: {**d, "format": "something-else"})
    with pytest.raises(RecordingError, match="has no format 'gradtrace-recording'"):
        load(other)
    broken = tmp_path / "broken.gtrace"
    _rewrite(good, broken, doc=lambda d: {k: v for k, v in d.items() if k != "calls"})
    with pytest.raises(RecordingError, match=r"broken\.gtrace: damaged recording: missing "
                                             r"'calls'"):
        load(broken)
    lost = tmp_path / "lost.gtrace"
    buffer = io.BytesIO()
    np.savez_compressed(buffer, zz=np.zeros(1))
    _rewrite(good, lost, npz=buffer.getvalue())
    with pytest.raises(RecordingError, match=r"array 'a\d+' is missing from arrays\.npz"):
        load(lost)


def test_an_object_array_in_the_npz_is_refused(tmp_path):
    _, rec = tiny_recording()
    good = tmp_path / "good.gtrace"
    save(rec, good)
    evil = tmp_path / "evil.gtrace"
    buffer = io.BytesIO()
    np.savez(buffer, a0=np.array([{"x": 1}, None], dtype=object))   # pickled inside
    _rewrite(good, evil, npz=buffer.getvalue())
    with pytest.raises(RecordingError, match=r"evil\.gtrace: refused: .*pickle"):
        load(evil)
    with pytest.raises(TypeError, match="an array of Python objects cannot be saved"):
        rec.graph.nodes["x"]["value"] = np.array([object()], dtype=object)
        save(rec, tmp_path / "never.gtrace")
    assert not (tmp_path / "never.gtrace").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".gtrace-")]


def test_arrays_above_the_cap_keep_statistics_only(tmp_path):
    result, rec = tiny_recording(value_cap=1)
    step = rec.calls[0].steps[2]
    assert isinstance(step.grad_after, ValueStats)
    assert step.grad_after.note == "value not recorded: 2 elements (cap 1)"
    assert (step.grad_after.min, step.grad_after.max, step.grad_after.norm) == (
        2.0, 4.0, pytest.approx(np.hypot(2, 4)))
    assert isinstance(rec.calls[0].steps[0].grads_in[0], np.ndarray)   # 0-d: within the cap
    assert isinstance(rec.graph.nodes["x"]["value"], ValueStats)
    assert rec.meta["values_omitted"] > 0
    save(rec, tmp_path / "capped.gtrace")
    back = load(tmp_path / "capped.gtrace")
    assert back.calls[0].steps[2].grad_after == step.grad_after
    live = Timeline.from_recording(rec)
    assert_same_timeline(live, Timeline.from_recording(back))
    info = live.state_at(-1).edge_grads[("x", "AccumulateGrad:x")]
    assert info.shape == (2,) and info.norm == pytest.approx(np.hypot(2, 4))


def test_awkward_values_round_trip(tmp_path):
    graph = nx.DiGraph(roots=["nan"], group_parent={"a (call 2)": "b"})
    graph.add_node("nan", label="inf", value=np.array([np.nan, np.inf, -np.inf]),
                   summary={"min": float("nan"), "max": float("inf"), "$odd": 1},
                   saved={"self": ((2, 3), "float32")}, by_number={1: "one", (2, 3): "x"},
                   flag=np.bool_(True), count=np.int64(3))
    graph.add_edge("nan", "b", slots=[0], shape=(3,))
    rec = Recording("gradtrace", "", [], [], graph, meta={"created": "-inf"})
    save(rec, tmp_path / "odd.gtrace")
    back = load(tmp_path / "odd.gtrace")
    attrs = back.graph.nodes["nan"]
    assert attrs["label"] == "inf" and isinstance(attrs["label"], str)
    assert np.isnan(attrs["summary"]["min"]) and attrs["summary"]["max"] == float("inf")
    assert attrs["summary"]["$odd"] == 1 and attrs["by_number"] == {1: "one", (2, 3): "x"}
    assert attrs["saved"] == {"self": ((2, 3), "float32")}
    assert attrs["flag"] is True and attrs["count"] == 3
    assert back.graph.graph == {"roots": ["nan"], "group_parent": {"a (call 2)": "b"}}
    assert back.meta == {"created": "-inf"}
    assert back.graph.edges["nan", "b"] == {"slots": [0], "shape": (3,)}
    np.testing.assert_array_equal(attrs["value"], [np.nan, np.inf, -np.inf])

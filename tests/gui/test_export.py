"""Tests for gui/model/export.py: JSON round trips through json.loads and nx.node_link_graph;
DOT text is well formed, escapes labels, declares every node (and renders when dot exists)."""
import json
import re
import shutil
import subprocess
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.gui.model.export import graph_from_json, graph_to_data, jsonable, to_dot, to_json
from gradtrace.gui.model.graph import build_graph
from gradtrace.gui.model.playback import Timeline


@pytest.fixture
def tutorial():
    x = gt.ones(2, 2, requires_grad=True)
    y = x + 2
    y.grad_fn.metadata["scope"] = "block 1"
    z = y * y * 3
    out = z.mean()
    c = gt.tensor([float("nan"), 1.0])
    d = x.detach()
    bound = {"x": x, "y": y, "z": z, "out": out, "c": c, "d": d}
    sources = ["x = torch.ones(2, 2, requires_grad=True)", "y = x + 2", "z = y * y * 3",
               "out = z.mean()", "c = torch.tensor([float('nan'), 1.0])", "d = x.detach()"]
    result = SimpleNamespace(   # what the script runner records, written out by hand
        statements=[SimpleNamespace(index=i, source=src, tensors={name: bound[name]})
                    for i, (src, name) in enumerate(zip(sources, bound))],
        tensors=bound, backward_calls=[])
    graph = build_graph(result, include_saved=True)
    timeline = Timeline.from_graph(graph)
    timeline.add_backward(out)
    return graph, timeline


def test_json_round_trips(tutorial):
    graph, _ = tutorial
    text = to_json(graph)
    data = json.loads(text)                       # strict JSON: no NaN tokens
    assert "NaN" not in text and "_index" not in data["graph"]
    assert data["graph"]["roots"] == ["x", "y", "z", "out", "c", "d"]
    again = nx.node_link_graph(data, edges="edges")
    assert set(again.nodes) == set(graph.nodes) and set(again.edges) == set(graph.edges)
    back = graph_from_json(text)
    assert isinstance(back, nx.DiGraph)
    assert back.nodes["x"]["shape"] == (2, 2) and back.nodes["out"]["shape"] == ()
    assert back.edges["y", "MulBackward0#0@z"]["shape"] == (2, 2)
    for node, attrs in graph.nodes(data=True):
        for key in ("kind", "label", "op", "role", "dtype", "device", "requires_grad", "group",
                    "statement"):
            assert back.nodes[node][key] == attrs[key]
    value = back.nodes["x"]["value"]
    assert value["shape"] == [2, 2] and value["data"] == [[1.0, 1.0], [1.0, 1.0]]
    assert back.nodes["c"]["value"]["data"] == ["nan", 1.0]
    assert back.nodes["c"]["summary"]["nan"] == 1


def test_json_with_layout_and_state(tutorial):
    graph, timeline = tutorial
    state = timeline.state_at(len(timeline) - 1)
    layout = SimpleNamespace(positions={n: (float(i), 2.0 * i) for i, n in enumerate(graph)},
                             edges={e: [(0.0, 0.0), (1.0, 1.0)] for e in graph.edges})
    data = json.loads(to_json(graph, layout=layout, state=state))
    edges = {(e["source"], e["target"]): e for e in data["edges"]}
    assert edges["x", "AccumulateGrad:x"]["grad"]["norm"] == pytest.approx(9.0)
    assert edges["x", "AccumulateGrad:x"]["points"] == [[0.0, 0.0], [1.0, 1.0]]
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["x"]["leaf_grad"]["data"] == [[4.5, 4.5], [4.5, 4.5]]
    assert len(nodes["out"]["pos"]) == 2
    assert data["graph"]["state"]["active"] == "AccumulateGrad:x"


def test_jsonable_large_arrays_and_odd_values():
    big = jsonable(np.zeros((100, 100)), max_elements=1000)
    assert big["data"] is None and big["summary"]["numel"] == 10_000
    assert jsonable({"s": {3, 1}, "t": (1, 2), "f": float("-inf"), "n": np.float32(2.5),
                     "o": object}) == {"s": [1, 3], "t": [1, 2], "f": "-inf", "n": 2.5,
                                       "o": str(object)}
    assert json.dumps(graph_to_data(nx.DiGraph()))


def _dot_tokens_balanced(text):
    """Braces and brackets balance outside quoted strings, and every string is closed."""
    depth, brackets, quoted, escaped = 0, 0, False, False
    for ch in text:
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "{}":
            depth += 1 if ch == "{" else -1
            assert depth >= 0
        elif ch in "[]":
            brackets += 1 if ch == "[" else -1
    return depth == 0 and brackets == 0 and not quoted


_QUOTED = r'"((?:[^"\\]|\\.)*)"'


def test_dot_is_well_formed(tutorial):
    graph, timeline = tutorial
    for state in (None, timeline.state_at(len(timeline) - 1)):
        text = to_dot(graph, state=state)
        assert text.startswith('digraph "gradtrace" {') and text.rstrip().endswith("}")
        assert _dot_tokens_balanced(text)
        declared = set(re.findall(rf"^\s+{_QUOTED} \[", text, re.M))
        assert declared == set(graph.nodes)
        edges = re.findall(rf"^\s+{_QUOTED} -> {_QUOTED}", text, re.M)
        assert set(edges) == set(graph.edges)
    assert re.search(r'"x" -> "d" \[[^]]*style="dashed"', text)   # the detach() cut
    assert 'subgraph "cluster_0"' in text and 'label="block 1"' in text
    assert 'penwidth="3"' in text                                    # the active node


def test_dot_escapes_labels():
    graph = nx.DiGraph()
    graph.add_node('a "quoted" \\ name', kind="tensor", role="leaf", label='say "hi"\\n',
                   shape=(2,), dtype="float32")
    graph.add_node("b\nc", kind="function", label="Line1\nLine2", role="function")
    graph.add_edge('a "quoted" \\ name', "b\nc", kind="data", shape=(2,))
    text = to_dot(graph)
    assert _dot_tokens_balanced(text)
    assert '"a \\"quoted\\" \\\\ name" [label="say \\"hi\\"\\\\n\\n(2,) float32"' in text
    assert '"b\\nc" [label="Line1\\nLine2"' in text
    assert "\n\n" not in text


def test_dot_renders_when_graphviz_is_installed(tutorial, tmp_path):
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz's dot is not installed")
    graph, _ = tutorial
    path = tmp_path / "graph.dot"
    path.write_text(to_dot(graph))
    done = subprocess.run([dot, "-Tsvg", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout


def test_nonfinite_values_are_strict_json_and_the_file_says_how():
    x = gt.tensor([1.0, 0.0, -1.0], requires_grad=True)
    y = x / 0.0
    out = y.sum()
    result = SimpleNamespace(
        statements=[SimpleNamespace(index=0, source="...",
                                    tensors={"x": x, "y": y, "out": out})],
        tensors={"x": x, "y": y, "out": out}, backward_calls=[])
    text = to_json(build_graph(result))

    def refuse(name):
        raise AssertionError(f"{name} is not JSON")
    data = json.loads(text, parse_constant=refuse)
    values = [n.get("value", {}).get("data") for n in data["nodes"] if n.get("value")]
    assert ["inf", "nan", "-inf"] in values
    note = data["graph"]["format"]
    assert '"nan", "inf" and "-inf"' in note and "node-link" in note


def test_export_without_a_graph_is_a_clear_error():
    with pytest.raises(ValueError, match="no graph to write as DOT: no script has run yet"):
        to_dot(None)
    with pytest.raises(ValueError, match="no graph to write as JSON"):
        to_json(None)

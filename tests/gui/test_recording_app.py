"""Recordings in the app (pytest-qt, offscreen): the pipeline, inspector and exports read the
Recording; File > Save recording / Open of a .gtrace file (read-only: no Run backward from
here); `gradtrace render` writing and drawing .gtrace files."""
import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui import pipeline
from gradtrace.gui.__main__ import main
from gradtrace.gui.app import MainWindow
from gradtrace.gui.inspector import Inspector
from gradtrace.gui.model.recording import RecordingError, ValueStats, load, record
from gradtrace.gui.model.runner import ScriptRunner
from gradtrace.gui.run_control import no_live_run

from .test_recording import TINY, assert_same_timeline

TIMEOUT = 30_000
TUTORIAL = Path(__file__).resolve().parents[2] / "resources" / "examples" / "tutorial.py"


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    return w


def run(window, qtbot):
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.run_script()
    return blocker.args[0]


def test_the_pipeline_draws_the_recording(qapp):
    doc = pipeline.run_script(TINY.replace("y.backward()\n", ""))
    assert doc.recording is not None and doc.graph is doc.recording.graph
    assert doc.timeline.recording is doc.recording and doc.timeline.graph is doc.graph
    assert "_index" not in doc.graph.graph
    assert doc.live is not None        # the run's tensors, for "Run backward from here"
    call = pipeline.backward_from(doc, "y")
    assert [s.op for s in call.steps] == ["SumBackward0", "MulBackward0", "AccumulateGrad"]
    np.testing.assert_array_equal(call.steps[-1].grad_after, [2.0, 4.0])
    with pytest.raises(KeyError, match="no tensor node 'nope'"):
        pipeline.backward_from(doc, "nope")


def test_show_records_the_tensors_graph(qapp):
    import gradtrace.core as torch
    x = torch.ones(2, requires_grad=True)
    out = (x * 3).sum()
    doc = pipeline.tensors_document([out], {"x": x, "out": out})
    assert doc.recording.statements == [] and doc.graph is doc.recording.graph
    assert [e.label for e in doc.timeline.entries] == [
        "the graph of the tensors passed to show()"]
    new = doc.timeline.add_call(pipeline.backward_from(doc, "out"))
    assert len(new) == 3 and len(doc.recording.calls) == 1
    np.testing.assert_array_equal(doc.timeline.state_at(-1).leaf_grads["x"], [3.0, 3.0])
    assert x.grad is None   # the caller's .grad stays as it was (model/caller_grads.py)


def test_an_opened_recording_has_no_live_run(qapp, tmp_path):
    doc = pipeline.run_script(TINY)
    from gradtrace.gui.model.recording import save
    save(doc.recording, tmp_path / "t.gtrace")
    opened = pipeline.open_recording(tmp_path / "t.gtrace")
    assert opened.live is None and opened.result is None and opened.path.endswith("t.gtrace")
    assert opened.error is None and opened.ok
    assert_same_timeline(doc.timeline, opened.timeline)
    with pytest.raises(RuntimeError, match="a recording has no live run"):
        pipeline.backward_from(opened, "y")


def capped_doc(cap):
    rec = record(ScriptRunner().run(
        "import torch\nx = torch.ones(2, 2, requires_grad=True)\nout = (x * 3).sum()\n"
        "out.backward()\n"), value_cap=cap)
    return pipeline.lay_out(pipeline.GraphDocument(recording=rec))


def test_the_inspector_says_a_value_was_not_recorded(qtbot):
    inspector = Inspector()
    qtbot.addWidget(inspector)
    doc = capped_doc(3)
    assert isinstance(doc.graph.nodes["x"]["value"], ValueStats)
    state = doc.timeline.state_at(-1)
    inspector.show_node("x", dict(doc.graph.nodes["x"]), state, doc.graph, doc.timeline)
    view = inspector.value_view
    assert view.display_text() == "2×2 float32"
    assert view.note.text() == "value not recorded: 4 elements (cap 3)"
    assert "min 1" in view.stats.text() and "‖·‖ 2" in view.stats.text()
    assert inspector.grad_view.note.text() == "value not recorded: 4 elements (cap 3)"
    # the AccumulateGrad step: what arrived and the .grad before/after, as recorded
    acc = next(e for e in doc.timeline.entries if e.op == "AccumulateGrad")
    inspector.show_node("AccumulateGrad:x", dict(doc.graph.nodes["AccumulateGrad:x"]),
                        doc.timeline.state_at(acc.index), doc.graph, doc.timeline)
    step_text = inspector.step_label.text()
    assert ".grad before: None" in step_text
    assert ".grad after:  2×2 ‖·‖ 6 (value not recorded: 4 elements (cap 3))" in step_text


def test_the_inspector_shows_a_steps_recorded_grads(qtbot):
    inspector = Inspector()
    qtbot.addWidget(inspector)
    doc = capped_doc(1000)
    acc = next(e for e in doc.timeline.entries if e.op == "AccumulateGrad")
    inspector.show_node("AccumulateGrad:x", dict(doc.graph.nodes["AccumulateGrad:x"]),
                        doc.timeline.state_at(acc.index), doc.graph, doc.timeline)
    lines = inspector.step_label.text().splitlines()
    assert lines[0] == "backward step 3/3: AccumulateGrad"
    assert lines[1].startswith("grad in [0]:  [3., 3., 3., 3.]")
    assert lines[-2:] == [".grad before: None", ".grad after:  [3., 3., 3., 3.] 2×2"]


def test_save_and_open_a_recording_in_the_window(window, qtbot, tmp_path):
    assert not window.actions_.save_recording.isEnabled()   # nothing ran yet
    window.script_panel.set_text(TUTORIAL.read_text())
    doc = run(window, qtbot)
    assert window.actions_.save_recording.isEnabled()
    written = window.save_recording(tmp_path / "session")
    assert written == tmp_path / "session.gtrace" and written.exists()
    window.new_script()
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        assert window.open_script_file(str(written))
    opened = blocker.args[0]
    assert opened.path == str(written) and opened.live is None
    assert window.script_panel.text() == TUTORIAL.read_text()
    assert window.path is None and "session.gtrace" in window.windowTitle()
    assert not window.is_modified()
    assert_same_timeline(doc.timeline, opened.timeline)
    assert window.statusBar().currentMessage().startswith(
        "Opened the recording session.gtrace: ")
    # player, inspector, exports work on it
    window.player_widget.seek(len(opened.timeline) - 1)
    np.testing.assert_allclose(window.player_widget.state().leaf_grads["x"], 4.5)
    assert window.console.toPlainText().strip() == doc.recording.output.strip() != ""
    window.select_node("x")
    assert window.inspector.title.text()
    window.export(str(tmp_path / "g.json"))
    data = json.loads((tmp_path / "g.json").read_text())
    assert {n["id"] for n in data["nodes"]} == set(opened.graph.nodes)
    # but no backward from here: the tensors are not in this process
    menu = window.graph_view.node_menu(window.graph_view.graph_scene.nodes["out"])
    qtbot.addWidget(menu)
    action = next(a for a in menu.actions() if a.text() == "Run backward from here")
    assert not action.isEnabled() and action.toolTip() == no_live_run()
    n = len(opened.timeline)
    assert not window.run_backward_from("out")
    assert no_live_run() in window.statusBar().currentMessage() and len(opened.timeline) == n
    # running its script makes a live document again, in no file
    live = run(window, qtbot)
    assert live.live is not None and window.recording_path is None
    assert "untitled.py" in window.windowTitle()


def test_a_bad_recording_leaves_the_window_as_it_was(window, qtbot, tmp_path):
    bad = tmp_path / "bad.gtrace"
    bad.write_bytes(b"PK\x03\x04 not really")
    window.script_panel.set_text("import torch\nx = 1\n")
    shown = []
    window.show_open_failure = shown.append
    assert not window.open_script_file(str(bad))
    assert len(shown) == 1 and shown[0].startswith(f"{bad}: not a gradtrace recording")
    assert window.script_panel.text() == "import torch\nx = 1\n"
    assert window.recording_path is None
    with pytest.raises(RecordingError):   # as `gradtrace bad.gtrace` calls it
        window.open_script(str(bad))


def test_render_writes_and_draws_recordings(qapp, tmp_path, capsys):
    out = tmp_path / "tutorial.gtrace"
    assert main(["render", str(TUTORIAL), "-o", str(out)]) == 0
    rec = load(out)
    assert rec.source == TUTORIAL.read_text() and rec.calls
    graph_json = tmp_path / "graph.json"
    assert main(["render", str(out), "-o", str(graph_json), "--step", "end"]) == 0
    data = json.loads(graph_json.read_text())
    assert {n["id"] for n in data["nodes"]} == set(rec.graph.nodes)
    x = next(n for n in data["nodes"] if n["id"] == "x")
    assert x["leaf_grad"]["data"] == [[4.5, 4.5], [4.5, 4.5]]
    png = tmp_path / "graph.png"
    assert main(["render", str(out), "-o", str(png)]) == 0 and png.stat().st_size > 1000
    assert main(["render", str(out), "-o", str(tmp_path / "again.gtrace")]) == 2
    assert "already a recording" in capsys.readouterr().err
    (tmp_path / "junk.gtrace").write_text("junk")
    assert main(["render", str(tmp_path / "junk.gtrace"), "-o", str(png)]) == 2
    assert "junk.gtrace: not a gradtrace recording" in capsys.readouterr().err
    failing = tmp_path / "fails.py"
    failing.write_text("import torch\nx = torch.ones(2)\ny = x @ torch.ones(3)\n")
    assert main(["render", str(failing), "-o", str(tmp_path / "fails.gtrace")]) == 1
    assert load(tmp_path / "fails.gtrace").error.lineno == 3   # what ran is kept


def test_backward_from_a_torch_run_is_recorded_by_its_hooks(qapp):
    torch = pytest.importorskip("torch")
    source = ("import torch\nx = torch.ones(2, requires_grad=True)\n"
              "out = (x * 3).sum()\n")
    doc = pipeline.run_script(source, engine="torch")
    assert doc.recording.engine == "torch"
    call = pipeline.backward_from(doc, "out")
    assert [s.op for s in call.steps] == ["SumBackward0", "MulBackward0", "AccumulateGrad"]
    assert [s.node for s in call.steps] == [
        "SumBackward0#0@out", "MulBackward0#0@out", "AccumulateGrad:x"]
    x = torch.ones(2, requires_grad=True)
    (x * 3).sum().backward()
    np.testing.assert_array_equal(call.steps[-1].grad_after, x.grad.numpy())
    new = doc.timeline.add_call(call)
    np.testing.assert_array_equal(doc.timeline.state_at(new[-1]).leaf_grads["x"], [3.0, 3.0])

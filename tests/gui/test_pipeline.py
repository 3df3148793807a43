"""Tests for gui/pipeline.py's handling of big documents: the cyclic garbage collector waits
while a recording is read, laid out and given its timeline, and a big document is kept out of
its sight afterwards (the window would otherwise block while a collection walks it)."""
import gc

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from gradtrace.gui import pipeline
from gradtrace.gui.model import child as children
from gradtrace.gui.model import graph as model_graph
from gradtrace.gui.model.layout import LayeredLayout

SCRIPT = """import torch
x = torch.ones(3, requires_grad=True)
y = (x * 2).tanh()
y.sum().backward()
"""


@pytest.fixture
def collector_watch(qapp, monkeypatch):
    """Whether the collector ran during each layout; the freeze state reset around the test.
    Windows an earlier test closed are deleted first: one alive keeps the automatic collector
    off (gui/collector.py), and pytest-qt only posts their deletion."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    model_graph.return_to_collector()
    seen = []
    real = LayeredLayout.compute

    def compute(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)
    monkeypatch.setattr(LayeredLayout, "compute", compute)
    yield seen
    model_graph.return_to_collector()


@pytest.mark.parametrize("in_child", [False, True])
def test_a_big_document_is_laid_out_with_the_collector_paused_and_kept_out_of_it(
        collector_watch, monkeypatch, in_child):
    monkeypatch.setattr(pipeline, "KEEP_NODES", 5)
    after_reply = []
    if in_child:
        real_run = children.run_script

        def run_script(*args, **kwargs):   # between the child's reply and the layout
            run = real_run(*args, **kwargs)
            after_reply.append(gc.isenabled())
            return run
        monkeypatch.setattr(children, "run_script", run_script)
    doc = pipeline.run_script(SCRIPT, child=in_child)
    try:
        assert doc.ok and doc.graph.number_of_nodes() >= 5
        assert collector_watch == [False] and gc.isenabled()
        assert after_reply == ([False] if in_child else [])
        assert model_graph.FROZEN[0] and gc.get_freeze_count() > 0
        model_graph.return_to_collector()   # the scene does this when the graph is replaced
        assert not model_graph.FROZEN[0] and gc.get_freeze_count() == 0
    finally:
        pipeline.release(doc, None)


def test_a_small_document_is_left_to_the_collector(collector_watch):
    doc = pipeline.run_script(SCRIPT)
    assert doc.ok and doc.graph.number_of_nodes() < pipeline.KEEP_NODES
    assert collector_watch == [False] and gc.isenabled()
    assert not model_graph.FROZEN[0] and gc.get_freeze_count() == 0


def test_a_relayout_of_a_big_document_is_kept_out_of_the_collector_too(collector_watch,
                                                                        monkeypatch):
    doc = pipeline.run_script(SCRIPT)
    monkeypatch.setattr(pipeline, "KEEP_NODES", 5)
    new = pipeline.relayout(doc, direction="LR")
    assert new.layout is not doc.layout and collector_watch == [False, False]
    assert model_graph.FROZEN[0] and gc.isenabled()


def test_the_graph_a_child_sends_ahead_is_laid_out_while_it_records_the_steps(qapp,
                                                                              monkeypatch):
    order = []
    real_place, real_run = pipeline.place, children.run_script

    def place(graph, **kwargs):
        order.append("laid out")
        return real_place(graph, **kwargs)

    def run_script(*args, **kwargs):
        run = real_run(*args, **kwargs)
        order.append("recording back")
        return run
    monkeypatch.setattr(pipeline, "place", place)
    monkeypatch.setattr(children, "run_script", run_script)
    doc = pipeline.run_script(SCRIPT, child=True, direction="LR")
    try:
        assert order == ["laid out", "recording back"]   # once, before the steps came
        assert doc.ok and doc.layouter.direction == "LR"
        assert set(doc.layout.positions) == set(doc.graph.nodes)
        assert doc.timeline is not None and len(doc.recording.calls[0].steps) == 4
    finally:
        pipeline.release(doc, None)


def test_a_cancel_while_the_graph_sent_ahead_is_laid_out_ends_the_child(qapp):
    class Cancelled(Exception):
        pass

    def report(text):   # the job's cancel, raised from within the layout of the graph
        if "laying out" in text:
            raise Cancelled
    with pytest.raises(Cancelled) as raised:
        pipeline.run_script(SCRIPT, child=True, report=report)
    spare = children._POOL._spare
    assert raised.tb is not None   # (its frames hold the child: ended all the same)
    assert not [c for c in children._LIVE if c.alive and c is not spare]


def test_the_gui_threads_collections_wait_while_a_document_is_made(qapp):
    from gradtrace.gui import collector
    was_enabled = gc.isenabled()
    try:
        with model_graph.collector_paused():   # as a job making a document, in any thread
            made = [[] for _ in range(3 * gc.get_threshold()[0])]
            assert collector.collect_due() == 0
            assert gc.get_count()[0] > gc.get_threshold()[0]   # not collected meanwhile
        collector.collect_due()
        assert gc.get_count()[0] < gc.get_threshold()[0] and made
    finally:
        if was_enabled:
            gc.enable()


MODULES = """import torch
net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
net(torch.ones(2, 3)).sum().backward()
"""


def test_the_groups_frames_are_made_with_the_layout_not_when_the_scene_asks(qapp):
    """place and relayout run in a job's thread (or the child's waiter): the frames, made
    lazily by `Layout.frames`, are made there, so the GUI thread only reads them."""
    doc = pipeline.run_script(MODULES)
    assert doc.ok
    _, _, layout = pipeline.place(doc.graph)
    assert layout._frame_rows is None and layout._frames is not None
    assert {"net.0", "net.2"} <= set(layout._frames)
    new = pipeline.relayout(doc, direction="LR")
    assert new.layout._frame_rows is None and set(new.layout._frames) == set(layout._frames)
    fresh = LayeredLayout().compute(doc.graph)   # made lazily when asked, the same rows
    assert fresh._frames is None and set(fresh.frames) == set(layout._frames)
    rows = [r for rows in layout.frames.values() for r in rows]   # (the scene's rect takes it)
    assert layout.frames_bounds == (min(r[0] for r in rows), min(r[1] for r in rows),
                                    max(r[2] for r in rows), max(r[3] for r in rows))


def test_the_group_tree_the_frames_titles_need_is_made_with_the_layout(qapp):
    # (the scene's titles count repeated blocks: 170 ms of the GUI thread at 100,000 nodes)
    from gradtrace.gui.model.hierarchy import GroupTree
    doc = pipeline.run_script(MODULES.replace("torch.nn.Linear(4, 1)", "torch.nn.Linear(4, 4)"))
    assert doc.ok
    doc.graph.graph.pop("_group_tree", None)
    pipeline.place(doc.graph)
    tree = doc.graph.graph.get("_group_tree")
    assert isinstance(tree, GroupTree) and tree.graph is doc.graph
    assert tree._alike == {"net.0": ("net.0", "net.2"), "net.2": ("net.0", "net.2")}


def test_release_ends_the_old_runs_child_without_waiting_for_it(qapp, monkeypatch):
    """The replaced run's process is killed at once and no longer alive; the wait for it to
    be gone (10-30 ms for a big one, the GUI thread's time) and the clean-up happen in a
    thread of their own."""
    import os
    import threading
    import time

    from gradtrace.gui.model import child as children
    doc = pipeline.run_script(SCRIPT, child=True)
    run = doc.extras["child"]
    process, fault = run.child.process, run.child.fault_path
    waited_in = []
    real_end = children._Child._end

    def end(*args):
        waited_in.append(threading.current_thread().name)
        real_end(*args)
    monkeypatch.setattr(children._Child, "_end", staticmethod(end))
    pipeline.release(doc, None)
    assert not run.alive
    deadline = time.monotonic() + 10
    while os.path.exists(fault) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not os.path.exists(fault) and process.exitcode is not None
    assert waited_in == ["gradtrace-child-end"]

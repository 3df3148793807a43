"""The hierarchy's ways in the window (pytest-qt, offscreen): View > Collapse to depth N and
Expand all groups, "Collapse all alike" from a node's menu, the repeats' titles, and the
"Hide constants and no-grad nodes" toggle (a setting; exports keep every node)."""
import json

import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui.app import MainWindow
from gradtrace.gui.model.hierarchy import needs_no_grad

from .blocks_script import BLOCKS

TIMEOUT = 30_000


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    return w


def run_blocks(window, qtbot, source=BLOCKS):
    window.script_panel.set_text(source)
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.run_script()
    doc = blocker.args[0]
    assert doc.error is None, doc.error
    return doc


def relaid(window, qtbot, action):
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        action()
    return blocker.args[0]


def boxes(window):
    return {n for n, item in window.graph_view.graph_scene.nodes.items() if item.kind == "group"}


def test_view_menu_collapses_to_each_depth_and_expands_all(window, qtbot):
    doc = run_blocks(window, qtbot)
    window.fill_depth_menu()
    texts = [a.text() for a in window.depth_menu.actions()]
    assert texts == ["Depth 0 (13 groups)", "Depth 1 (24 groups)"]
    relaid(window, qtbot, window.depth_menu.actions()[0].trigger)
    scene = window.graph_view.graph_scene
    assert boxes(window) == {f"group:layers.{i}" for i in range(12)} | {"group:head"}
    assert scene.nodes["group:layers.3"].title == "▸ layers.3 (×12 alike)"
    assert not scene.groups   # nothing left open at depth 0
    relaid(window, qtbot, window.depth_menu.actions()[1].trigger)
    assert len(boxes(window)) == 24
    assert "▾ layers.3 (×12 alike)" in {f.title.text for f in scene.groups.values()}
    relaid(window, qtbot, window.actions_.expand_all.trigger)
    assert not boxes(window) and set(scene.nodes) == set(doc.graph)


def test_a_nodes_menu_collapses_all_alike_and_a_box_expands_them(window, qtbot):
    run_blocks(window, qtbot)
    view, scene = window.graph_view, window.graph_view.graph_scene
    node = next(n for n, item in scene.nodes.items() if item.attrs.get("group") == "layers.3"
                and item.attrs.get("op") == "AddBackward0")
    menu = view.node_menu(scene.nodes[node])
    alike = next(a for a in menu.actions() if a.text() == "Collapse all 12 alike")
    relaid(window, qtbot, alike.trigger)
    assert boxes(window) == {f"group:layers.{i}" for i in range(12)}   # the head stays open
    menu = view.node_menu(scene.nodes["group:layers.5"])
    expand = next(a for a in menu.actions() if a.text() == "Expand all 12 alike")
    relaid(window, qtbot, expand.trigger)
    assert not boxes(window)


def test_the_views_background_menu_has_the_depths(window, qtbot):
    run_blocks(window, qtbot)
    menu = window.graph_view.background_menu()
    depth = next(a.menu() for a in menu.actions() if a.menu() is not None)
    assert [a.text() for a in depth.actions()] == ["Depth 0 (13 groups)", "Depth 1 (24 groups)"]
    with qtbot.waitSignal(window.graph_view.depthRequested) as blocker:
        depth.actions()[1].trigger()
    assert blocker.args == [1]


def test_hide_no_grad_toggle_hides_drawn_nodes_only_and_is_remembered(window, qtbot, tmp_path):
    doc = run_blocks(window, qtbot)
    scene = window.graph_view.graph_scene
    hidden = {v for v, a in doc.graph.nodes(data=True) if needs_no_grad(a)}
    assert "x" in hidden and hidden <= set(scene.nodes)
    relaid(window, qtbot, window.actions_.hide_no_grad.trigger)
    assert window.actions_.hide_no_grad.isChecked() and window.settings.hide_no_grad
    assert not hidden & set(scene.nodes)
    assert all(e.isVisible() for e in scene.edges.values() if e.source != e.target)
    out = window.export(str(tmp_path / "g.json"))
    assert len(json.loads(out.read_text())["nodes"]) == len(doc.graph)   # exports keep all
    # a new run keeps hiding; so does a new window with the same settings
    again = run_blocks(window, qtbot)
    assert not hidden & set(scene.nodes) and again.layouter.hide_no_grad
    second = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    assert second.actions_.hide_no_grad.isChecked()
    relaid(window, qtbot, window.actions_.hide_no_grad.trigger)
    assert hidden <= set(scene.nodes)


def test_no_laying_out_status_stays_after_a_relayout(window, qtbot):
    run_blocks(window, qtbot)
    said = []
    window.statusBar().messageChanged.connect(said.append)
    relaid(window, qtbot, window.actions_.expand_all.trigger)
    relaid(window, qtbot, lambda: window.toggle_group("layers.3"))
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=TIMEOUT)
    assert any(m.startswith("Laying out") for m in said)   # it was said while it was true
    assert not window.statusBar().currentMessage().startswith("Laying out")

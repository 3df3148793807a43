"""Collapsing and expanding groups in the window (pytest-qt, offscreen): the box keeps its
edges, labelled with the gradient at that step; double-click expands at once and restores the
exact layout; groups carry the user's names; a collapsed group can be inspected."""
import pytest
from PySide6.QtCore import QSettings, Qt

from gradtrace.gui.app import MainWindow

TIMEOUT = 30_000


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    return w


def run_example(window, qtbot, name):
    window.open_example(name)
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.run_script()
    return blocker.args[0]


def toggle(window, qtbot, group):
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.toggle_group(group)
    return blocker.args[0]


def test_groups_carry_the_users_names(window, qtbot):
    doc = run_example(window, qtbot, "nn_training.py")
    groups = {a.get("group") for _, a in doc.graph.nodes(data=True)} - {None}
    assert {"model.0", "model.1", "model.2", "loss_fn", "model.0 (call 2)"} <= groups
    assert not any("#" in g or g.startswith("group:") for g in groups)
    scene = window.graph_view.graph_scene
    titles = {frame.title.text for frame in scene.groups.values()}
    assert "▾ model.0 (×4 alike)" in titles and not any("#" in t for t in titles)


def test_a_collapsed_group_keeps_its_edges_with_gradients_and_expands_exactly(window, qtbot):
    doc = run_example(window, qtbot, "nn_training.py")
    scene, view = window.graph_view.graph_scene, window.graph_view
    before = dict(doc.layout.positions)
    first_call_end = next(e.index for e in doc.timeline.entries
                          if e.kind == "backward" and e.call == 0 and e.step == e.steps - 1)
    window.player_widget.seek(first_call_end)
    toggle(window, qtbot, "model.0")
    box = scene.nodes["group:model.0"]
    assert box.isVisible() and box.title == "▸ model.0 (×4 alike)"
    box_edges = [e for (u, v), e in scene.edges.items() if "group:model.0" in (u, v)]
    assert len(box_edges) >= 3 and all(e.isVisible() for e in box_edges)
    labelled = [e for e in box_edges if e.grad_label]
    assert labelled and all(e.grad_label.startswith("∇ ") for e in labelled)
    assert box.state["done"]                             # its members ran in this call
    # the inspector shows the group: members and the edges in and out
    window.select_node("group:model.0")
    assert window.inspector.title.text() == "model.0"
    text = window.inspector.group_label.text()
    assert "members:" in text and "AddmmBackward0" in text and "in from" in text
    # double-click on the box expands it at once: the same layout as before
    point = view.mapFromScene(box.scenePos())
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    after = blocker.args[0]
    assert "group:model.0" not in scene.nodes
    assert after.layout.positions == before
    assert window.player_widget.position == first_call_end


def test_the_grad_colour_scale_is_fixed_over_one_backward_call(window, qtbot):
    doc = run_example(window, qtbot, "mlp_step.py")
    scene = window.graph_view.graph_scene
    steps = [e.index for e in doc.timeline.entries if e.kind == "backward" and e.call == 0]
    scales = set()
    for i in steps:
        window.player_widget.seek(i)
        scales.add((scene.scale.low, scene.scale.high))
    assert len(scales) == 1


def test_a_frame_of_the_layouts_rows_keeps_them_as_numbers_and_draws_the_same(qapp):
    # (GroupFrame.of_rows: 12,500 frames of six rows at 100,000 nodes kept 75,000 QRectFs, each
    # an entry of Shiboken's table of live wrappers)
    from PySide6.QtCore import QRectF

    from gradtrace.gui.group_frames import GroupFrame
    rows = [(0.0, 0.0, 100.0, 40.0), (20.0, 40.0, 80.0, 90.0)]
    made = GroupFrame.of_rows("g", rows)
    given = GroupFrame("g", QRectF(), rows=[QRectF(x0, y0, x1 - x0, y1 - y0)
                                            for x0, y0, x1, y1 in rows])
    assert all(isinstance(r, tuple) for r in made._rows)
    assert made.rect() == given.rect() == QRectF(0, 0, 100, 90)
    assert made.rows() == given.rows() and made.first_row() == QRectF(0, 0, 100, 40)
    assert made.outline() == given.outline()
    for probe, meets in ((QRectF(90, 60, 5, 5), False),   # in the bounding rect, off the rows
                         (QRectF(30, 50, 5, 5), True), (QRectF(95, 30, 10, 5), True),
                         (QRectF(200, 0, 5, 5), False), (QRectF(80, 45, 5, 5), False)):
        assert made.overlaps(probe) == given.overlaps(probe) == meets, probe
    single = GroupFrame("s", QRectF(5, 5, 10, 10))
    assert single.rows() == [QRectF(5, 5, 10, 10)] and single.rect() == QRectF(5, 5, 10, 10)

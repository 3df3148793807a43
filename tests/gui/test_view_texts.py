"""What the graph view says to a user (pytest-qt, offscreen): Find's "1 of 3" count, node
tooltips (op, inputs, saved tensors), and stop messages without internal node ids."""
import re

import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui.app import MainWindow
from gradtrace.gui.model.playback import Player

TIMEOUT = 30_000


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    return w


def run(window, qtbot, example=None):
    if example:
        window.open_example(example)
    with qtbot.waitSignal(window.documentReady, timeout=TIMEOUT) as blocker:
        window.run_script()
    return blocker.args[0]


def test_find_says_which_match_of_how_many(window, qtbot):
    run(window, qtbot)
    window.search_field.setText("backward")          # live: how many
    assert window.search_status.text().strip() == "4 matches"
    seen = []
    for k in range(1, 6):
        hits = window.search_graph()                 # Enter: the next one
        seen.append(window.graph_view.hit_index)
        assert window.search_status.text().strip() == f"{(k - 1) % 4 + 1} of 4"
    assert len(hits) == 4 and seen == [0, 1, 2, 3, 0]
    window.search_field.setText("nothing like it")
    window.search_graph()
    assert window.search_status.text().strip() == "no match"


def test_a_node_tooltip_says_its_op_inputs_and_saved_tensors(window, qtbot):
    run(window, qtbot)
    scene = window.graph_view.graph_scene
    tip = scene.nodes["MulBackward0#0@z"].toolTip()   # y * y
    assert "<tt>MulBackward0</tt>" in tip
    assert "inputs (next_functions): y (2×2), y (2×2)" in tip
    assert re.search(r"saved: (self 2×2 float32, other 2×2 float32|other 2×2 float32, "
                     r"self 2×2 float32)", tip)
    assert "grad_fn: &lt;AddBackward0 object at 0x" in scene.nodes["y"].toolTip()
    assert "adds the gradient into x.grad" in scene.nodes["AccumulateGrad:x"].toolTip()


def test_stop_messages_name_nodes_as_the_user_knows_them(window, qtbot):
    doc = run(window, qtbot, "mlp_step.py")
    node = next(n for n, a in doc.graph.nodes(data=True) if a.get("op") == "ReluBackward0")
    player = Player(doc.timeline)
    player.add_breakpoint(node)
    player.run_to_break()
    message = player.last_break.message
    assert node not in message and "@" not in message and "#" not in message
    assert message.startswith("breakpoint on ReluBackward0 (line 14) at backward step")

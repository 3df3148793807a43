"""The inspector (pytest-qt, offscreen): PyTorch's grad_fn text, the gradient a non-leaf and a
backward function received and sent at a step, heat maps with a colour scale, constant and
3-d tensors said as such, and a collapsed group's members and edges."""
import re
from pathlib import Path

import numpy as np
import pytest

from gradtrace.gui import pipeline
from gradtrace.gui.inspector import NEUTRAL, ArrayView, Inspector, heatmap_image

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


@pytest.fixture(scope="module")
def tutorial():
    doc = pipeline.run_script((EXAMPLES / "tutorial.py").read_text())
    assert doc.error is None
    return doc


@pytest.fixture
def inspector(qtbot):
    w = Inspector()
    qtbot.addWidget(w)
    w.show()
    return w


def show(inspector, doc, node_id, i):
    state = doc.timeline.state_at(i)
    inspector.show_node(node_id, dict(doc.graph.nodes[node_id]), state, doc.graph,
                        doc.timeline)
    return state


def step_of(doc, node_id):
    return next(e.index for e in doc.timeline.entries if e.node == node_id)


def test_grad_fn_of_a_non_leaf_is_printed_as_pytorch_prints_it(inspector, tutorial):
    show(inspector, tutorial, "y", -1)
    assert re.fullmatch(r"<AddBackward0 object at 0x[0-9a-f]+>",
                        inspector.props["grad_fn"].text())
    show(inspector, tutorial, "out", -1)
    assert inspector.props["grad_fn"].text().startswith("<MeanBackward0 object at 0x")
    show(inspector, tutorial, "x", -1)
    assert inspector.props["grad_fn"].text() == "None"


def test_a_long_grad_fn_is_elided_with_the_whole_text_in_its_tooltip(inspector, qtbot):
    from gradtrace.gui.inspector import ElidedLabel
    assert isinstance(inspector.props["grad_fn"], ElidedLabel)
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.show()
    long = "<ConvolutionBackward0WithAVeryLongName object at 0x7f45a8c3b2e0>"
    label.setText(long)
    label.resize(120, label.height())
    assert label.text() == long and label.shown_text() != long and "…" in label.shown_text()
    assert label.shown_text().startswith("<") and label.shown_text().endswith(">")
    assert label.toolTip() == long
    assert label.fontMetrics().horizontalAdvance(label.shown_text()) <= 120
    label.resize(2000, label.height())   # room for all of it: whole, no tooltip needed
    assert label.shown_text() == long and label.toolTip() == ""


def test_grad_fn_text_matches_torch(inspector):
    torch = pytest.importorskip("torch")
    y = torch.ones(2, requires_grad=True) * 2
    doc = pipeline.run_script("import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n")
    show(inspector, doc, "y", -1)
    pattern = re.sub(r"0x[0-9a-f]+", "0x[0-9a-f]+", re.escape(repr(y.grad_fn)))
    assert re.fullmatch(pattern, inspector.props["grad_fn"].text())


def test_a_non_leaf_shows_the_gradient_that_reached_it_not_none(inspector, tutorial):
    mean = step_of(tutorial, "MeanBackward0#0@out")
    show(inspector, tutorial, "z", mean)
    np.testing.assert_allclose(inspector.grad_view.array(), np.full((2, 2), 0.25))
    assert "None" not in inspector.grad_text() or not inspector.grad_view.isVisible()
    assert "arrived from MeanBackward0" in inspector.grad_flow.text()
    assert "non-leaf" in inspector.grad_caption.text()
    show(inspector, tutorial, "z", mean - 1)   # before backward reaches it
    assert inspector.grad_view.array() is None and not inspector.grad_flow.isVisible()


def test_a_function_node_shows_what_arrived_and_what_it_sent(inspector, tutorial):
    node = "MulBackward0#0@z"      # y * y: sends 3 * 2 * 0.25 * y = 2.25... to y twice
    at = step_of(tutorial, node)
    show(inspector, tutorial, node, at)
    assert inspector.grad_box.isVisible() and inspector.grad_view.isVisible()
    np.testing.assert_allclose(inspector.grad_view.array(), np.full((2, 2), 0.75))
    sent = inspector.grad_flow.text()
    assert sent.count("sent to y") == 2 and "2.25" in sent
    show(inspector, tutorial, node, at - 2)     # still waiting
    assert "waits for its gradient" in inspector.grad_text()
    show(inspector, tutorial, node, 0)          # no backward yet
    assert "no backward call" in inspector.grad_text()


def test_heat_map_has_a_colour_scale_and_a_constant_is_drawn_neutral(qtbot):
    view = ArrayView()
    qtbot.addWidget(view)
    view.show()
    a = np.linspace(-3.0, 2.0, 400).reshape(20, 20)
    view.set_array(a)
    assert view.image.isVisible() and view.scale_text() == "-3 ▬ 3"
    view.set_array(np.full((20, 20), 7.0))
    assert view.image.isVisible() and view.scale_text() == ""
    assert "constant" in view.note.text() and "7" in view.note.text()
    img = heatmap_image(np.full((3, 3), 7.0))
    assert img.pixelColor(1, 1).getRgb()[:3] == NEUTRAL
    small = np.full((3, 4), 2.0)       # few elements: numbers and a neutral heat map
    view.set_array(small)
    assert "constant" in view.note.text()


def test_a_3d_tensor_says_how_it_is_shown(qtbot):
    view = ArrayView()
    qtbot.addWidget(view)
    view.show()
    view.set_array(np.arange(2 * 3 * 8, dtype=float).reshape(2, 3, 8))
    assert view.image.isVisible()
    note = view.note.text()
    assert "3-d" in note and "2×3×8" in note and "6 rows of 8" in note
    view.set_array(np.arange(24.0).reshape(2, 3, 4) - 5)
    assert not view.note.isVisible() or "constant" not in view.note.text()


def test_rule_box_shows_the_selected_nodes_rule_with_the_steps_numbers(inspector, tutorial):
    doc = tutorial
    mul = next(e for e in doc.timeline.entries
               if e.kind == "backward" and e.op == "MulBackward0" and e.step == 2)
    show(inspector, doc, mul.node, mul.index)
    text = inspector.rule_text()
    assert text.startswith("The product rule")
    assert "grad_self = grad · other = [[2.25, 2.25], [2.25, 2.25]]" in text
    sent = mul.record.grads_out[0]   # the recording keeps numpy arrays
    np.testing.assert_allclose(inspector.explanation.result_for(0), sent)
    show(inspector, doc, mul.node, mul.index - 1)   # before backward reached it: no rule
    assert inspector.rule_text() == ""
    show(inspector, doc, "x", mul.index)             # a tensor has no backward rule
    assert inspector.rule_text() == ""

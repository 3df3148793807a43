"""`gradtrace.gui.show(loss)` on either engine's tensors: the viewer draws real torch tensors as
well as gradtrace's, and its "Run backward from here" records with retain_graph=True while the
caller's .grad and retained grads stay exactly as they were (gui/model/caller_grads.py)."""
import numpy as np
import pytest

from gradtrace.gui import pipeline
from gradtrace.gui.app import MainWindow


def _engine(name):
    if name == "torch":
        return pytest.importorskip("torch")
    import gradtrace.core as torch
    return torch


def _program(torch):
    """A caller's graph: two leaves, one with a .grad from an earlier backward, a retained
    non-leaf, and a loss."""
    w = torch.tensor([[0.2, -0.5], [1.0, 0.3], [-0.7, 0.9]], requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    x = torch.tensor([[1.0, -2.0, 0.5], [0.3, 0.7, -1.1]])
    (w * 2).sum().backward()          # w.grad exists before show()
    h = torch.tanh(x @ w + b)
    h.retain_grad()
    (h.sum() * 0).backward(retain_graph=True)   # h.grad exists (zeros), b.grad too
    loss = (h * h).mean()
    return w, b, h, loss


def _node_of(doc, tensor):
    return next(n for n, obj in doc.live.objects.items() if obj is tensor)


def _grads(*tensors):
    return [(t.grad, None if t.grad is None else np.array(t.grad.detach().tolist()))
            for t in tensors]


def _unchanged(before, tensors):
    for (obj, values), t in zip(before, tensors):
        assert t.grad is obj
        if values is not None:
            np.testing.assert_array_equal(np.array(t.grad.detach().tolist()), values)


@pytest.mark.parametrize("engine", ["gradtrace", "torch"])
def test_run_backward_from_here_keeps_the_callers_grads(engine, qapp):
    torch = _engine(engine)
    w, b, h, loss = _program(torch)
    names = {"w": w, "b": b, "h": h, "loss": loss}
    real = pytest.importorskip("torch")   # PyTorch's gradients, the reference for both engines
    *_, real_loss = leaves = _program(real)
    dw, db = (np.asarray(g.tolist()) for g in real.autograd.grad(real_loss, leaves[:2]))
    before = _grads(w, b, h)
    doc = pipeline.tensors_document([loss], names)
    assert {"w", "b", "h", "loss"} <= set(doc.graph)
    call = pipeline.backward_from(doc, _node_of(doc, loss))
    _unchanged(before, (w, b, h))
    # the steps are PyTorch's gradients: each leaf's AccumulateGrad adds autograd.grad's value
    # to the .grad the caller had
    leaves = {s.leaf: s for s in call.steps if s.leaf is not None}
    for name, tensor, grad in (("w", w, dw), ("b", b, db)):
        step = leaves[name]
        np.testing.assert_allclose(step.grad_after, np.asarray(tensor.grad.detach().tolist()) + grad,
                                   rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(step.grad_before, np.asarray(tensor.grad.detach().tolist()))
    assert call.retain_graph
    _unchanged(before, (w, b, h))
    loss.backward()   # the graph was retained: the caller can still run its own backward
    np.testing.assert_allclose(np.asarray(w.grad.detach().tolist()),
                               before[0][1] + dw, rtol=1e-6)


@pytest.mark.torch
def test_show_draws_torch_tensors_and_records_their_backward(qtbot):
    torch = pytest.importorskip("torch")
    from gradtrace.gui import show
    w, b, h, loss = _program(torch)
    before = _grads(w, b, h)
    window = show(loss, block=False)
    qtbot.addWidget(window)
    assert isinstance(window, MainWindow) and window.viewer
    doc = window.document
    ops = {a.get("op") for _, a in doc.graph.nodes(data=True)}
    assert {"MeanBackward0", "TanhBackward0", "MmBackward0", "AccumulateGrad"} <= ops
    assert {"w", "b", "h", "loss"} <= set(window.graph_view.graph_scene.nodes)
    steps_before = len(doc.timeline)
    assert window.run_backward_from(_node_of(doc, loss))
    assert len(doc.timeline) > steps_before
    _unchanged(before, (w, b, h))
    # the order of the steps is PyTorch's own (its hooks), the names PyTorch's
    added = [e for e in doc.timeline.entries if e.kind == "backward"]
    assert added and doc.graph.nodes[added[0].node]["op"] == "MeanBackward0"


def test_show_on_gradtrace_tensors_keeps_the_grads_in_the_viewer(qtbot):
    import gradtrace.core as torch
    from gradtrace.gui import show
    w, b, h, loss = _program(torch)
    before = _grads(w, b, h)
    window = show(loss, block=False)
    qtbot.addWidget(window)
    assert window.run_backward_from(_node_of(window.document, loss))
    _unchanged(before, (w, b, h))

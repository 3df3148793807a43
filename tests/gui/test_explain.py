"""The per-node explanation (gui/model/explain.py): for every op it knows, what its rule makes from
the numbers that arrived and were saved equals what the engine sent at that step."""
import numpy as np
import pytest

from gradtrace.gui.model.explain import (
    EXPLAINED_OPS,
    Explanation,
    explain_step,
    format_numbers,
    saved_for_step,
)
from gradtrace.gui.model.recording import record
from gradtrace.gui.model.runner import ScriptRunner

# every op of EXPLAINED_OPS, some broadcast (the bias, b * 2), some with a constant input
SCRIPT = """
import torch
import torch.nn.functional as F
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
out.backward()
w = torch.randn(3, 2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
a = torch.randn(4, 3)
h = F.linear(a, w.t(), b).relu().sigmoid().tanh().exp().log()
m = (h.t() @ torch.randn(4, 2, requires_grad=True)).view(4)
p = m ** 3 / (b.sum() + 5) - b.mean() * 2
q = torch.randn(4, requires_grad=True)
loss = F.cross_entropy(torch.randn(3, 4, requires_grad=True), torch.tensor([0, 1, 2]))
loss = loss + F.mse_loss(p, q) + (p - q / 2).sum() + (q * b.sum()).mean()
loss.backward()
out2 = (x * x).sum()
out2.backward()
"""


@pytest.fixture(scope="module")
def both():
    """The run and its recording (what the inspector explains from)."""
    result = ScriptRunner().run(SCRIPT)
    assert result.error is None, result.error
    return result, record(result)


@pytest.fixture(scope="module")
def run(both):
    return both[1]


def explain(rec, step):
    return explain_step(step, saved_for_step(rec, step), rec.graph)


def test_every_explained_op_shows_what_the_engine_sent(both):
    seen = set()
    result, rec = both
    for call, engine_call in zip(rec.calls, result.backward_calls, strict=True):
        for step, engine_step in zip(call.steps, engine_call.steps, strict=True):
            expl = explain(rec, step)
            op = step.op
            if op not in EXPLAINED_OPS:
                assert expl is None
                continue
            seen.add(op)
            assert isinstance(expl, Explanation) and expl.op == op
            if op == "AccumulateGrad":
                shown = expl.results[0].value
                np.testing.assert_allclose(shown, engine_step.grad_after.numpy(), rtol=1e-5)
                continue
            for slot, sent in enumerate(engine_step.grads_out):
                shown = expl.result_for(slot)
                if sent is None:
                    assert shown is None
                    continue
                assert shown is not None, (op, slot)
                assert shown.shape == tuple(sent.shape), (op, slot)
                np.testing.assert_allclose(shown, sent.numpy(), rtol=1e-5, atol=1e-7,
                                           err_msg=f"{op} slot {slot}")
    assert seen == EXPLAINED_OPS


def test_tutorial_numbers_lead_to_four_and_a_half(run):
    steps = run.calls[0].steps
    lines = [explain_step(s, saved_for_step(run, s), run.graph).lines() for s in steps]
    assert lines[0][0].startswith("The mean of n = 4 elements")
    assert lines[0][-1].startswith("grad_self = grad / n = [[0.25, 0.25], [0.25, 0.25]]")
    assert "other = 3   — saved for backward" in lines[1]
    assert any(line.startswith("grad_other = grad · self = [[2.25, 2.25], [2.25, 2.25]]")
               for line in lines[2])
    assert lines[-1][-1] == ".grad = grad = [[4.5, 4.5], [4.5, 4.5]]"


def test_a_second_backward_is_shown_as_accumulation(run):
    step = run.calls[2].steps[-1]
    expl = explain(run, step)
    assert expl.results[0].formula == ".grad + grad"
    np.testing.assert_allclose(expl.given[1].value, np.full((2, 2), 4.5))
    np.testing.assert_allclose(expl.results[0].value, np.full((2, 2), 6.5))


def test_broadcast_gradient_is_summed_to_the_input_shape(run):
    step = next(s for s in run.calls[1].steps if s.op == "AddmmBackward0")
    bias = explain(run, step).results[0]
    assert bias.value.shape == (2,)
    assert bias.args == {"shape": (2,)} and "broadcast" in bias.note


def test_the_prose_goes_through_the_translator(run):
    step = run.calls[0].steps[0]
    lines = explain(run, step).lines(
        lambda s: {"The mean of n = {n} elements: every element gets the gradient divided by "
                   "n.": "{n} 个元素的平均值"}.get(s, s))
    assert lines[0] == "4 个元素的平均值"
    assert lines[1] == "grad = 1   — arrived (grad_output)"


def test_big_values_show_shape_and_norm():
    assert format_numbers(np.full((3, 5), 2.0)) == "shape (3, 5), ‖·‖ 7.746"
    assert format_numbers(None) == "None"

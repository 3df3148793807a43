"""The rule a backward node applies, worked out with the numbers of one recorded step (for the
inspector's "Rule" box): formula text as written, prose in English marked for translation.

``explain_step(step, saved, graph)`` (a recording's `StepRecording`) recomputes what the node sent from what arrived and what it saved,
by the textbook rule (PyTorch's ``derivatives.yaml``), never by reading the engine's answer; the
tests compare the two, so a rule shown here is a rule that holds.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .i18n import translate

__all__ = ["Term", "Explanation", "explain_step", "saved_for_step", "format_numbers",
           "CONTEXT", "EXPLAINED_OPS"]

#: the translation context of the prose (QCoreApplication.translate(CONTEXT, text))
CONTEXT = "Explain"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:   # noqa: N802 - lupdate's marker name
    """Marks `text` for pyside6-lupdate (context `context`) without Qt: returns it unchanged."""
    return text


#: elements up to which a value prints as numbers (else its shape and norm)
SMALL = 12

ARRIVED = QT_TRANSLATE_NOOP("Explain", "arrived (grad_output)")
SAVED = QT_TRANSLATE_NOOP("Explain", "saved for backward")
SENT = QT_TRANSLATE_NOOP("Explain", "sent to input {slot}")
BEFORE = QT_TRANSLATE_NOOP("Explain", "the leaf's .grad before this step")
NOT_SAVED = QT_TRANSLATE_NOOP("Explain", "not saved: no input that reads it needs a gradient")
BROADCAST = QT_TRANSLATE_NOOP("Explain", "summed over the broadcast dimensions to the input's shape {shape}")


@dataclass(frozen=True)
class Term:
    """One line of an explanation: a value the rule reads (`formula` "") or one it makes.

    ``note`` is English prose (a translation source, context `CONTEXT`) with ``{placeholders}``
    filled from ``args``; ``slot`` is the ``next_functions`` slot a made value is sent to."""

    name: str
    formula: str
    value: np.ndarray | None
    note: str = ""
    args: dict = field(default_factory=dict)
    slot: int | None = None


@dataclass(frozen=True)
class Explanation:
    """The rule of one backward step: ``rule`` (English prose, a translation source with
    ``{placeholders}`` from ``args``), the values it reads (``given``) and makes (``results``)."""

    op: str
    rule: str
    args: dict
    given: tuple[Term, ...]
    results: tuple[Term, ...]

    def result_for(self, slot: int) -> np.ndarray | None:
        """The value this explanation says the node sends to ``next_functions[slot]``."""
        for term in self.results:
            if term.slot == slot:
                return term.value
        return None

    def lines(self, translate: Callable[[str], str] = lambda s: s) -> list[str]:
        """The explanation as text lines, prose through `translate` (formulas stay).

        >>> e = Explanation("MeanBackward0", "mean of {n}", {"n": 4}, (),
        ...                 (Term("grad_self", "grad / n", np.full(2, 0.25), slot=0),))
        >>> e.lines()
        ['mean of 4', 'grad_self = grad / n = [0.25, 0.25]']
        """
        out = [translate(self.rule).format(**self.args)]
        for term in self.given + self.results:
            text = term.name + (f" = {term.formula}" if term.formula else "")
            if term.value is not None:
                text += f" = {format_numbers(term.value)}"
            if term.note:
                text += f"   — {translate(term.note).format(**term.args)}"
            out.append(text)
        return out


def format_numbers(value: Any) -> str:
    """Element values for a small array, else its shape and norm.

    >>> format_numbers(np.array([[4.5, 4.5], [4.5, 4.5]]))
    '[[4.5, 4.5], [4.5, 4.5]]'
    >>> format_numbers(np.ones((10, 10)))
    'shape (10, 10), ‖·‖ 10'
    """
    arr = _array(value)
    if arr is None:
        return "None"
    if arr.size <= SMALL:
        if arr.dtype.kind in "fc":
            return np.array2string(arr, separator=", ", formatter={
                "float_kind": lambda v: f"{v:.4g}", "complex_kind": lambda v: f"{v:.4g}"}
            ).replace("\n", "")
        return np.array2string(arr, separator=", ").replace("\n", "")
    norm = float(np.linalg.norm(arr.astype(np.float64).reshape(-1)))
    return translate("Explain", "shape {shape}, ‖·‖ {norm}").format(
        shape=tuple(int(n) for n in arr.shape), norm=f"{norm:.4g}")


# ------------------------------------------------------------------ where the numbers come from
def _array(value: Any) -> np.ndarray | None:
    """A recorded value as an array; None for None and for statistics kept above a cap."""
    return value if isinstance(value, np.ndarray) else (
        None if value is None or not isinstance(value, (int, float, list, tuple))
        else np.asarray(value))


def saved_for_step(recording: Any, step: Any) -> dict[str, np.ndarray | None]:
    """What the node of `step` (a `StepRecording`) had saved, by PyTorch's names, from the
    recording's graph: its saved-tensor nodes hold the values as they were before a backward
    call freed them (None where a value was too big to keep)."""
    graph = getattr(recording, "graph", None)
    node = getattr(step, "node", None)
    if graph is None or node is None or node not in graph:
        return {}
    found = {}
    for name in graph.nodes[node].get("saved") or {}:
        saved_id = f"{node}:{name}"
        found[name] = _array(graph.nodes[saved_id].get("value")) if saved_id in graph else None
    return found


# ------------------------------------------------------------------ the rules
@dataclass
class _Step:
    op: str
    g: np.ndarray | None
    grads_out: list
    saved: dict
    kw: dict
    in_shapes: tuple
    raw: Any


def _sum_to(arr: np.ndarray, shape) -> tuple[np.ndarray, bool]:
    """`arr` summed over its broadcast dimensions down to `shape`; True when it had to be."""
    if shape is None or tuple(arr.shape) == tuple(shape):
        return arr, False
    shape = tuple(shape)
    lead = arr.ndim - len(shape)
    out = arr.sum(axis=tuple(range(lead))) if lead > 0 else arr
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and out.shape[i] != 1)
    if axes:
        out = out.sum(axis=axes, keepdims=True)
    return out.reshape(shape), True


def _result(s: _Step, slot: int, name: str, formula: str, value) -> Term | None:
    """The term for what slot `slot` is sent, or None when nothing is sent there."""
    if slot >= len(s.grads_out) or s.grads_out[slot] is None:
        return None
    if value is None:
        return Term(name, formula, None, NOT_SAVED, slot=slot)
    value = np.asarray(value)
    shape = s.in_shapes[slot] if slot < len(s.in_shapes) else None
    value, summed = _sum_to(value, shape)
    if summed:
        return Term(name, formula, value, BROADCAST, {"shape": tuple(shape or ())}, slot=slot)
    return Term(name, formula, value, SENT, {"slot": slot}, slot=slot)


def _given(s: _Step, *names: str) -> list[Term]:
    terms = [Term("grad", "", s.g, ARRIVED)]
    for name in names:
        if name in s.saved:
            terms.append(Term(name, "", s.saved[name], SAVED))
    return terms


def _mul(a, b):
    return None if a is None or b is None else a * b


RuleFn = Callable[[_Step], tuple[str, dict, list, list]]
_RULES: dict[str, RuleFn] = {}


def _rule(*ops: str):
    def register(fn: RuleFn) -> RuleFn:
        for op in ops:
            _RULES[op] = fn
        return fn
    return register


@_rule("AddBackward0", "SubBackward0")
def _add(s):
    alpha = s.kw.get("alpha", 1)
    sign = -1 if s.op == "SubBackward0" else 1
    other = s.g * (sign * alpha)
    f_other = ("-grad" if sign < 0 else "grad") + ("" if alpha == 1 else f" · {alpha}")
    rule = (QT_TRANSLATE_NOOP("Explain", "Addition passes the gradient on unchanged to both inputs.") if sign > 0 else
            QT_TRANSLATE_NOOP("Explain", "Subtraction passes the gradient to self and its negative to other."))
    return rule, {}, _given(s), [_result(s, 0, "grad_self", "grad", s.g),
                                 _result(s, 1, "grad_other", f_other, other)]


@_rule("MulBackward0")
def _mul_rule(s):
    a, b = s.saved.get("self"), s.saved.get("other")
    return (QT_TRANSLATE_NOOP("Explain", "The product rule: each input's gradient is the incoming gradient times the "
               "other input."), {}, _given(s, "self", "other"),
            [_result(s, 0, "grad_self", "grad · other", _mul(s.g, b)),
             _result(s, 1, "grad_other", "grad · self", _mul(s.g, a))])


@_rule("DivBackward0")
def _div(s):
    a, b = s.saved.get("self"), s.saved.get("other")
    return (QT_TRANSLATE_NOOP("Explain", "The quotient rule: self gets grad / other, other gets -grad · self / other²."),
            {}, _given(s, "self", "other"),
            [_result(s, 0, "grad_self", "grad / other", None if b is None else s.g / b),
             _result(s, 1, "grad_other", "-grad · self / other²",
                     None if a is None or b is None else -s.g * a / (b * b))])


@_rule("PowBackward0")
def _pow(s):
    a, p = s.saved.get("self"), s.kw.get("exponent")
    value = None
    if a is not None and p is not None:
        value = s.g * 0.0 if p == 0 else s.g * p * np.power(a, p - 1)
    return (QT_TRANSLATE_NOOP("Explain", "The power rule: d(self^p)/d(self) = p · self^(p-1), here p = {p}."), {"p": p},
            _given(s, "self"), [_result(s, 0, "grad_self", "grad · p · self^(p-1)", value)])


@_rule("MeanBackward0")
def _mean(s):
    shape = tuple(s.kw.get("shape") or (s.in_shapes[0] if s.in_shapes else ()))
    n = math.prod(shape)
    value = np.broadcast_to(s.g / n, shape) if n else None
    return (QT_TRANSLATE_NOOP("Explain", "The mean of n = {n} elements: every element gets the gradient divided by n."),
            {"n": n}, _given(s), [_result(s, 0, "grad_self", "grad / n", value)])


@_rule("SumBackward0")
def _sum(s):
    shape = tuple(s.kw.get("shape") or (s.in_shapes[0] if s.in_shapes else ()))
    return (QT_TRANSLATE_NOOP("Explain", "A sum: every element gets the gradient, copied to the input's shape {shape}."),
            {"shape": shape}, _given(s),
            [_result(s, 0, "grad_self", "grad.expand(self.shape)", np.broadcast_to(s.g, shape))])


@_rule("MmBackward0")
def _mm(s):
    a, b = s.saved.get("self"), s.saved.get("other")
    return (QT_TRANSLATE_NOOP("Explain", "A matrix product: self gets grad @ otherᵀ, other gets selfᵀ @ grad."), {},
            _given(s, "self", "other"),
            [_result(s, 0, "grad_self", "grad @ otherᵀ", None if b is None else s.g @ b.T),
             _result(s, 1, "grad_other", "selfᵀ @ grad", None if a is None else a.T @ s.g)])


@_rule("AddmmBackward0")
def _addmm(s):
    a, b = s.saved.get("mat1"), s.saved.get("mat2")
    return (QT_TRANSLATE_NOOP("Explain", "bias + mat1 @ mat2: the bias gets the gradient (summed over the rows it was "
               "added to), mat1 gets grad @ mat2ᵀ, mat2 gets mat1ᵀ @ grad."), {},
            _given(s, "mat1", "mat2"),
            [_result(s, 0, "grad_self", "grad", s.g),
             _result(s, 1, "grad_mat1", "grad @ mat2ᵀ", None if b is None else s.g @ b.T),
             _result(s, 2, "grad_mat2", "mat1ᵀ @ grad", None if a is None else a.T @ s.g)])


def _of_result(formula: str, prose: str, fn):
    def rule(s):
        r = s.saved.get("result")
        return prose, {}, _given(s, "result"), [
            _result(s, 0, "grad_self", formula, None if r is None else fn(s.g, r))]
    return rule


_RULES["ReluBackward0"] = _of_result(
    "grad · (result > 0)", QT_TRANSLATE_NOOP("Explain", "ReLU lets the gradient through where its output was positive "
                              "and stops it (0) elsewhere."), lambda g, r: g * (r > 0))
_RULES["SigmoidBackward0"] = _of_result(
    "grad · result · (1 - result)", QT_TRANSLATE_NOOP("Explain", "The sigmoid's derivative is σ(x) · (1 - σ(x)), read "
                                       "from its saved output."), lambda g, r: g * r * (1 - r))
_RULES["TanhBackward0"] = _of_result(
    "grad · (1 - result²)", QT_TRANSLATE_NOOP("Explain", "The tanh's derivative is 1 - tanh(x)², read from its saved "
                               "output."), lambda g, r: g * (1 - r * r))
_RULES["ExpBackward0"] = _of_result(
    "grad · result", QT_TRANSLATE_NOOP("Explain", "exp is its own derivative: the gradient times the saved output."),
    lambda g, r: g * r)


@_rule("LogBackward0")
def _log(s):
    a = s.saved.get("self")
    return (QT_TRANSLATE_NOOP("Explain", "The derivative of log(x) is 1/x: the gradient divided by the saved input."), {},
            _given(s, "self"),
            [_result(s, 0, "grad_self", "grad / self", None if a is None else s.g / a)])


@_rule("TBackward0")
def _t_rule(s):
    return (QT_TRANSLATE_NOOP("Explain", "A transpose: the gradient is transposed back."), {}, _given(s),
            [_result(s, 0, "grad_self", "gradᵀ", s.g.T)])


@_rule("ViewBackward0")
def _view(s):
    shape = tuple(s.kw.get("in_shape") or (s.in_shapes[0] if s.in_shapes else s.g.shape))
    return (QT_TRANSLATE_NOOP("Explain", "A view changes no numbers: the gradient is reshaped back to the input's shape "
               "{shape}."), {"shape": shape}, _given(s),
            [_result(s, 0, "grad_self", "grad.view(self.shape)", s.g.reshape(shape))])


@_rule("MseLossBackward0")
def _mse(s):
    a, b = s.saved.get("self"), s.saved.get("other")
    red = s.kw.get("reduction", "mean")
    n = math.prod(a.shape) if a is not None and red == "mean" else 1
    d = None if a is None or b is None else 2.0 * (a - b) * s.g / max(n, 1)
    formula = "grad · 2(self - target) / n" if red == "mean" else "grad · 2(self - target)"
    return (QT_TRANSLATE_NOOP("Explain", "Mean squared error ({reduction}): the gradient of (self - target)² is "
               "2(self - target), divided by n = {n} for the mean."),
            {"reduction": red, "n": n}, _given(s, "self", "other"),
            [_result(s, 0, "grad_self", formula, d),
             _result(s, 1, "grad_target", "-grad_self", None if d is None else -d)])


@_rule("NllLossBackward0")
def _nll(s):
    target = np.asarray(s.kw.get("target"))
    red = s.kw.get("reduction", "mean")
    shape = tuple(s.kw.get("shape") or s.in_shapes[0])
    value = None
    n = int(target.size)
    if len(shape) == 2 and target.ndim == 1:
        value = np.zeros(shape, dtype=np.result_type(s.g, np.float32))
        scale = -s.g / n if red == "mean" else -s.g
        value[np.arange(n), target.astype(np.int64)] = scale if np.ndim(scale) == 0 else \
            scale.reshape(-1)
    return (QT_TRANSLATE_NOOP("Explain", "The negative log-likelihood picks each row's target class: that entry gets "
               "-grad ({reduction}: divided by n = {n}), every other entry 0."),
            {"reduction": red, "n": n}, [Term("grad", "", s.g, ARRIVED),
                                         Term("target", "", target, "")],
            [_result(s, 0, "grad_self", "-grad / n · one_hot(target)" if red == "mean"
                     else "-grad · one_hot(target)", value)])


@_rule("LogSoftmaxBackward0")
def _log_softmax(s):
    r, dim = s.saved.get("result"), s.kw.get("dim", -1)
    value = None if r is None else s.g - np.exp(r) * s.g.sum(axis=dim, keepdims=True)
    return (QT_TRANSLATE_NOOP("Explain", "log_softmax (the first half of cross_entropy): grad - softmax · sum(grad) "
               "along dim {dim}."), {"dim": dim}, _given(s, "result"),
            [_result(s, 0, "grad_self", "grad - exp(result) · grad.sum(dim)", value)])


EXPLAINED_OPS = frozenset(_RULES) | {"AccumulateGrad"}


def explain_step(step: Any, saved: dict[str, Any] | None = None,
                 graph: Any = None) -> Explanation | None:
    """The rule `step` (a recording's `StepRecording`) applied, with its numbers; `saved` is
    what its node had saved (`saved_for_step`), `graph` the recording's graph (the node's rule
    arguments, ``args``, and ``input_shapes``). None for an op this module does not know.

    >>> from gradtrace.gui.model.recording import record
    >>> from gradtrace.gui.model.runner import ScriptRunner
    >>> rec = record(ScriptRunner().run("import torch\\nx = torch.ones(2, requires_grad=True)\\n"
    ...                                 "(x * 2).mean().backward()\\n"))
    >>> step = rec.calls[0].steps[0]
    >>> explain_step(step, saved_for_step(rec, step), rec.graph).lines()[-1]
    'grad_self = grad / n = [0.5, 0.5]   — sent to input 0'
    """
    op = str(getattr(step, "op", ""))
    grads_in = [_array(g) for g in getattr(step, "grads_in", ()) or ()]
    g = grads_in[0] if grads_in else None
    if op == "AccumulateGrad":
        before = _array(step.grad_before)
        if before is None:
            return Explanation(op, QT_TRANSLATE_NOOP("Explain", "The leaf had no .grad yet: it becomes the gradient that "
                                      "arrived."), {}, (Term("grad", "", g, ARRIVED),),
                               (Term(".grad", "grad", g),))
        return Explanation(op, QT_TRANSLATE_NOOP("Explain", "Gradient accumulation: the gradient that arrived is added to "
                                  "the leaf's .grad (zero_grad() sets it back)."), {},
                           (Term("grad", "", g, ARRIVED), Term(".grad", "", before, BEFORE)),
                           (Term(".grad", ".grad + grad", None if g is None else before + g),))
    rule = _RULES.get(op)
    if rule is None or g is None:
        return None
    node = getattr(step, "node", None)
    attrs = graph.nodes[node] if graph is not None and node is not None and node in graph \
        else {}
    s = _Step(op, g, list(getattr(step, "grads_out", ()) or ()),
              {k: _array(v) for k, v in (saved or {}).items()},
              dict(attrs.get("args") or {}), tuple(attrs.get("input_shapes") or ()), step)
    prose, args, given, results = rule(s)
    return Explanation(op, prose, args, tuple(given), tuple(t for t in results if t is not None))

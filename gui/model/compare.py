"""`gradtrace compare`: one script run on both engines (gradtrace's and PyTorch's), matched node
by node on the graph's stable ids, with where names, values and gradients differ, and a
float64 finite-difference check of the leaves' gradients on each engine.

Plain Python: the engines come in as runner factories (PyTorch's is imported only when asked
for), so the comparison itself never imports torch.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .graph import build_graph, graph_index, is_tensor, to_numpy
from .i18n import Context, Text, retranslate, translate

__all__ = ["Difference", "FiniteDifference", "Comparison", "compare_script", "run_steps",
           "finite_differences", "shown_again"]

ENGINE_NAMES = {"gradtrace": "gradtrace", "torch": "PyTorch"}
#: the report's texts with a count (Qt's plural forms; lupdate reads ``Compare.tr``)
Compare = Context("Compare")


class _Joined(str):
    """A report text made of parts, each a translated `Text` (context "Compare") or plain
    text, so it can be shown again in another language (`shown_again`)."""

    parts: tuple


def _join(*parts: str) -> str:
    text = _Joined("".join(parts))
    text.parts = parts
    return text


def _part_dict(part: str) -> dict[str, Any]:
    """A translated text as data: its English source, its count (plural forms) and its fields,
    a field that is a translated text itself nested the same way; other text as "plain"."""
    if isinstance(part, Text):
        data: dict[str, Any] = {"source": part.source, "fields": {
            k: _part_dict(v) if isinstance(v, Text) else str(v)
            for k, v in (part.fields or {}).items()}}
        if part.n >= 0:
            data["n"] = part.n
        return data
    return {"plain": str(part)}


def _part_from(part: dict[str, Any]) -> str:
    """`_part_dict`'s data as the text in the language now in use."""
    if "source" not in part:
        return str(part.get("plain", ""))
    n = part.get("n")
    text = translate("Compare", str(part["source"]), None, int(n) if n is not None else -1)
    fields = part.get("fields") or {}
    return text.format(**{k: _part_from(v) if isinstance(v, dict) else str(v)
                          for k, v in fields.items()}) if fields else text


def _text_dict(text: str) -> Any:
    """A report text as JSON data: its parts' English sources and fields (plain text as is)."""
    parts = getattr(text, "parts", None) or ((text,) if isinstance(text, Text) else None)
    return [_part_dict(p) for p in parts] if parts else str(text)


def _text_from(data: Any) -> str:
    """`_text_dict`'s data as the text, translated into the language now in use."""
    if not isinstance(data, list):
        return str(data)
    return _join(*(_part_from(part) for part in data))


def shown_again(text: str) -> str:
    """A report text in the language now in use (after a language switch)."""
    parts = getattr(text, "parts", None)
    return _join(*(retranslate(p) for p in parts)) if parts else retranslate(text)


@dataclass(frozen=True)
class Difference:
    """One place where the engines disagree: ``kind`` is "error", "output", "name", "value",
    "order", "backward" (a node received the same gradient and sent different ones),
    "gradient" (a gradient that differs downstream of such a node) or "grad" (a leaf's final
    ``.grad``); ``text`` says it in words.

    Where it is, as data: ``line`` (the script's line) with ``code`` (its text), ``call`` (the
    backward call, from 1), ``printed`` (the printed line, from 1); ``where`` is the place in
    English for machines ("call 1 (line 9: out.backward())", "line 7: y = x * 2", "printed
    line 3", "the run", "the graph", an engine's name, or a graph id or leaf name, which are
    not translated) and `place` the same in the user's language.

    >>> Difference("order", "call 2 (line 9: out.backward())", "...", line=9,
    ...            code="out.backward()", call=2).place
    'call 2 (line 9: out.backward())'
    """

    kind: str
    where: str
    text: str
    line: int | None = None
    call: int | None = None
    printed: int | None = None
    code: str | None = None

    @property
    def place(self) -> str:
        """``where`` in the language now in use (graph ids, leaf and engine names as they are)."""
        if self.printed is not None:
            return translate("Compare", "printed line {line}").format(line=self.printed)
        if self.line is not None:
            here = translate("Compare", "line {line}: {code}").format(line=self.line,
                                                                      code=self.code or "")
        elif self.call is not None or self.where == "the graph":
            here = translate("Compare", "the graph")
        elif self.where == "the run":
            return translate("Compare", "the run")
        else:
            return self.where
        if self.call is None:
            return here
        return translate("Compare", "call {call} ({place})").format(call=self.call, place=here)


@dataclass(frozen=True)
class FiniteDifference:
    """A leaf's autograd gradient against central differences, on one engine: ``entries``
    checked (flat indices), the worst error, and whether all were within tolerance."""

    engine: str
    leaf: str
    dtype: str
    entries: tuple
    max_error: float
    ok: bool


@dataclass
class Comparison:
    """What `compare_script` found; ``lines()`` is the terminal report."""

    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    finite: list[FiniteDifference] = field(default_factory=list)
    skipped_fd: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No difference and every finite-difference check within tolerance."""
        return not self.differences and all(f.ok for f in self.finite)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (``gradtrace compare --json``); `from_dict` reads it back.

        >>> c = Comparison([Difference("grad", "x", "far")], ["a note"])
        >>> Comparison.from_dict(c.as_dict()) == c
        True
        """
        return {"format": "gradtrace-compare", "version": 1, "ok": self.ok,
                "notes": [_text_dict(n) for n in self.notes],
                "skipped_fd": [_text_dict(t) for t in self.skipped_fd],
                "differences": [{"kind": d.kind, "where": str(d.where),
                                 "text": _text_dict(d.text), "line": d.line, "call": d.call,
                                 "printed": d.printed, "code": d.code}
                                for d in self.differences],
                "finite": [{"engine": f.engine, "leaf": f.leaf, "dtype": f.dtype,
                            "entries": [int(i) for i in f.entries],
                            "max_error": float(f.max_error), "ok": bool(f.ok)}
                           for f in self.finite]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comparison:
        """The comparison `as_dict` wrote (ValueError for data that is not one)."""
        if not isinstance(data, dict) or data.get("format") != "gradtrace-compare":
            raise ValueError("not the output of gradtrace compare --json")
        def number(value):
            return int(value) if value is not None else None
        return cls([Difference(str(d["kind"]), str(d["where"]), _text_from(d["text"]),
                               number(d.get("line")), number(d.get("call")),
                               number(d.get("printed")),
                               str(d["code"]) if d.get("code") is not None else None)
                    for d in data.get("differences", [])],
                   [_text_from(n) for n in data.get("notes", [])],
                   [FiniteDifference(str(f["engine"]), str(f["leaf"]), str(f["dtype"]),
                                     tuple(f["entries"]), float(f["max_error"]), bool(f["ok"]))
                    for f in data.get("finite", [])],
                   [_text_from(t) for t in data.get("skipped_fd", [])])

    def lines(self) -> list[str]:
        """The terminal report, in the language now in use (``[kind]`` is the machine kind).

        >>> Comparison().lines()
        ['no differences: names, values and gradients agree']
        """
        out = [shown_again(n) for n in self.notes]
        if self.differences:
            out.append(Compare.tr("%n difference(s):", "", len(self.differences)))
            for d in self.differences:
                out.append("  " + translate("Compare", "[{kind}] {place}: {text}").format(
                    kind=d.kind, place=d.place, text=shown_again(d.text)))
        else:
            out.append(translate("Compare", "no differences: names, values and gradients agree"))
        if self.finite or self.skipped_fd:
            out.append(translate("Compare", "finite differences (float64, central):"))
        for f in self.finite:
            verdict = translate("Compare", "ok") if f.ok else translate("Compare", "WRONG")
            out.append("  " + Compare.tr(
                "{engine} {leaf} ({dtype}): %n entries, max error {error}: {verdict}", "",
                len(f.entries)).format(engine=ENGINE_NAMES.get(f.engine, f.engine), leaf=f.leaf,
                                       dtype=f.dtype, error=f"{f.max_error:.3g}",
                                       verdict=verdict))
        for text in self.skipped_fd:
            out.append("  " + translate("Compare", "skipped: {why}").format(
                why=shown_again(text)))
        return out


# ---------------------------------------------------------------- running
def run_steps(runner: Any, source: str,
              after: Callable[[Any, Any], bool | None] | None = None) -> Any:
    """Run ``source`` statement by statement on ``runner``; ``after(session, record)`` is called
    after each statement and may return True to stop there. Returns the session."""
    session = runner.start(source)
    while (record := session.step()) is not None:
        if after is not None and after(session, record):
            break
    return session


def _engine_of(session):
    return session.runner.engine


def _module_type(session):
    return getattr(getattr(_engine_of(session), "nn", None), "Module", None)


def _leaves_bound(session, record, needing_grad=True):
    """The leaves (that need grad, or all tensors made outside a graph) ``record``'s statement
    bound anew, and the parameters of the modules it bound: name -> tensor (parameters by
    their dotted names)."""
    found = {}
    delta = getattr(record.tensors, "delta", record.tensors)
    for name, t in delta.items():
        if is_tensor(t) and t.grad_fn is None and (t.requires_grad or not needing_grad):
            found[name] = t
    module_type = _module_type(session)
    if module_type is not None:
        for name, value in list(session._globals.items()):
            if isinstance(value, module_type) and name in _bound_names(session, record):
                for pname, p in module_type.named_parameters(value):
                    found[f"{name}.{pname}"] = p
    return found


def _bound_names(session, record):
    return session._binds.get(record.lineno, ())


def _assign(session, tensor, array):
    """Write ``array`` into ``tensor`` in place, outside the graph (as an optimizer does)."""
    engine = _engine_of(session)
    with engine.no_grad():
        tensor.copy_(engine.tensor(np.ascontiguousarray(array)).reshape(tuple(tensor.shape)))


# ---------------------------------------------------------------- comparing
def _close(a, b, rtol, atol):
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind not in "biuf" or b.dtype.kind not in "biuf":
        return bool(np.array_equal(a, b))
    return bool(np.allclose(a.astype(np.float64), b.astype(np.float64), rtol=rtol, atol=atol,
                            equal_nan=True))


def _gap(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return translate("Compare", "shape {a} vs {b}").format(a=tuple(a.shape), b=tuple(b.shape))
    if a.size == 0:
        return translate("Compare", "empty")
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
    worst = float(np.nanmax(diff)) if np.isfinite(diff).any() else float("nan")
    return translate("Compare", "max |diff| {diff}").format(diff=f"{worst:.3g}")


_NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+e[-+]?\d+")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def _same_text(a, b, rtol):
    """Two printed lines alike: the same words, numbers equal up to float32 rounding (``rtol``)
    and object addresses ignored.

    >>> _same_text("loss 1.9081501960754395", "loss 1.908150315284729", 1e-4)
    True
    >>> _same_text("loss 1.9", "loss 2.9", 1e-4)
    False
    """
    a, b = _ADDRESS.sub(">", a), _ADDRESS.sub(">", b)
    if _NUMBER.sub("#", a) != _NUMBER.sub("#", b):
        return False
    x = [float(n) for n in _NUMBER.findall(a)]
    y = [float(n) for n in _NUMBER.findall(b)]
    return bool(np.allclose(x, y, rtol=rtol, atol=1e-6)) if x else True


def _steps_by_id(result, graph):
    """Per backward call: [(node id, op, grads_in arrays, grads_out arrays)] in run order."""
    index = graph_index(graph)
    calls = []
    for call in getattr(result, "backward_calls", ()):
        rows = []
        for step in call.steps:
            node_id = index.node_id(step.node) if index is not None else None
            name = step.node.name() if hasattr(step.node, "name") else type(step.node).__name__
            rows.append((node_id, name.rsplit("::", 1)[-1],
                         [to_numpy(g) for g in step.grads_in],
                         [to_numpy(g) for g in step.grads_out]))
        calls.append((call, rows))
    return calls


def _line_of(result, statement) -> dict[str, Any]:
    """Where `statement` (an index) is, as `Difference`'s fields: ``where`` (English),
    ``line`` and ``code``; "the graph" when there is no such statement."""
    records = getattr(result, "statements", ())
    if statement is None or statement >= len(records):
        return {"where": "the graph"}
    record = records[statement]
    text = (record.source or "").strip().splitlines()
    code = text[0] if text else ""
    return {"where": f"line {record.lineno}: {code}", "line": int(record.lineno), "code": code}


def _call_of(k: int, result, statement) -> dict[str, Any]:
    """Backward call `k` (from 1) made at `statement`, as `Difference`'s fields."""
    at = _line_of(result, statement)
    return {**at, "where": f"call {k} ({at['where']})", "call": k}


def _at(kind: str, place: dict[str, Any], text: str) -> Difference:
    return Difference(kind, place["where"], text, place.get("line"), place.get("call"),
                      place.get("printed"), place.get("code"))


def _compare_names(graphs, results, out):
    """Function nodes statement by statement: ops in creation order, aligned."""
    ops = []
    for graph in graphs:
        by_statement: dict[Any, list] = {}
        for node_id, attrs in graph.nodes(data=True):
            if attrs.get("kind") == "function":
                by_statement.setdefault(attrs.get("statement"), []).append(
                    (attrs.get("sequence_nr") or 0, node_id, attrs.get("op")))
        ops.append({k: sorted(v) for k, v in by_statement.items()})
    for statement in sorted(set(ops[0]) | set(ops[1]), key=lambda s: (s is None, s or 0)):
        mine = [op for *_, op in ops[0].get(statement, [])]
        theirs = [op for *_, op in ops[1].get(statement, [])]
        if mine == theirs:
            continue
        where = _line_of(results[1], statement)
        matcher = difflib.SequenceMatcher(a=mine, b=theirs, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            a = ", ".join(mine[i1:i2]) or "-"
            b = ", ".join(theirs[j1:j2]) or "-"
            out.append(_at("name", where, translate(
                "Compare", "gradtrace records {a} where PyTorch records {b}").format(a=a, b=b)))


def _compare_values(graphs, rtol, atol, synced, out):
    """Named tensors: shape, dtype, value; only where the value first differs (its inputs
    agree), with how many tensors computed from it differ too. Returns the ids that differ."""
    mine, theirs = graphs
    differing = []
    for node_id, attrs in mine.nodes(data=True):
        if attrs.get("kind") not in ("tensor", "constant") or node_id not in theirs:
            continue
        other = theirs.nodes[node_id]
        if attrs.get("shape") != other.get("shape"):
            out.append(Difference("value", node_id, translate(
                "Compare", "shape {a} on gradtrace, {b} on PyTorch").format(
                    a=attrs.get("shape"), b=other.get("shape"))))
            continue
        if attrs.get("dtype") != other.get("dtype"):
            out.append(Difference("value", node_id, translate(
                "Compare", "dtype {a} on gradtrace, {b} on PyTorch").format(
                    a=attrs.get("dtype"), b=other.get("dtype"))))
        if not _close(attrs.get("value"), other.get("value"), rtol, atol):
            differing.append(node_id)
    bad = set(differing)
    for node_id in differing:
        upstream = [a for a in _ancestors(mine, node_id) if a in bad]
        if upstream:
            continue
        below = sum(1 for d in differing if node_id in _ancestors(mine, d))
        parts = [_gap(mine.nodes[node_id]["value"], theirs.nodes[node_id]["value"])]
        if mine.nodes[node_id].get("role") in ("leaf", "constant") and node_id not in synced:
            parts.append(translate("Compare", " (made by the script, not synced: the engines' "
                                   "random generators differ, and so do values updated from "
                                   "gradients that differ)"))
        if below:
            parts.append(Compare.tr("; %n tensor(s) computed from it differ too", "", below))
        out.append(Difference("value", node_id, _join(*parts)))
    return bad


_ANCESTORS: dict[tuple[int, str], set] = {}


def _ancestors(graph, node_id):
    import networkx as nx
    key = (id(graph), node_id)
    if key not in _ANCESTORS:
        _ANCESTORS[key] = nx.ancestors(graph, node_id)
    return _ANCESTORS[key]


def _compare_backward(graphs, results, rtol, atol, out, bad=frozenset()):
    """Each backward call: the order of its steps, then node by node what it received and sent;
    a node that received the same gradients and sent different ones, from inputs of the same
    values (no tensor in ``bad`` before it), is the one to look at."""
    calls = [_steps_by_id(r, g) for r, g in zip(results, graphs)]
    if len(calls[0]) != len(calls[1]):
        out.append(Difference("order", "the run", Compare.tr(
            "%n backward call(s) on gradtrace, {b} on PyTorch", "", len(calls[0])).format(
                b=len(calls[1]))))
    for k, ((call, mine), (_, theirs)) in enumerate(zip(*calls), 1):
        where = _call_of(k, results[1], call.statement_index)
        a = [f"{op}" for _, op, *_ in mine]
        b = [f"{op}" for _, op, *_ in theirs]
        ids_a = [n for n, *_ in mine]
        ids_b = [n for n, *_ in theirs]
        if a != b or ids_a != ids_b:
            first = next((i for i, (x, y) in enumerate(zip(ids_a, ids_b)) if x != y),
                         min(len(ids_a), len(ids_b)))
            out.append(_at("order", where, Compare.tr(
                "steps differ from step {step}: gradtrace {a}, PyTorch {b} ({na} vs %n "
                "steps)", "", len(b)).format(step=first + 1, a=a[first:first + 3],
                                             b=b[first:first + 3], na=len(a))))
        theirs_by_id = {n: row for n, *row in theirs if n is not None}
        downstream = 0
        for node_id, op, grads_in, grads_out in mine:
            if node_id is None or node_id not in theirs_by_id:
                continue
            _, t_in, t_out = theirs_by_id[node_id]
            same_in = len(grads_in) == len(t_in) and all(
                _close(x, y, rtol, atol) for x, y in zip(grads_in, t_in))
            same_out = len(grads_out) == len(t_out) and all(
                _close(x, y, rtol, atol) for x, y in zip(grads_out, t_out))
            if same_in and not same_out and not (bad and bad & _ancestors(graphs[0], node_id)):
                slots = [i for i, (x, y) in enumerate(zip(grads_out, t_out))
                         if not _close(x, y, rtol, atol)]
                gaps = []
                for i in slots:
                    gaps += [translate("Compare", "; ") if gaps else "",
                             translate("Compare", "input {index}: ").format(index=i),
                             _gap(grads_out[i], t_out[i]) if grads_out[i] is not None and
                             t_out[i] is not None else translate("Compare", "None on one engine")]
                out.append(Difference("backward", node_id, _join(translate(
                    "Compare", "{op} received the same gradient on both engines and sent "
                    "different ones ({where}): ").format(op=op, where=_at("", where, "").place),
                    *gaps)))
            elif not same_in:
                downstream += 1
        if downstream:
            out.append(_at("gradient", where, Compare.tr(
                "%n node(s) received different gradients", "", downstream)))


def _compare_grads(graphs, rtol, atol, out):
    mine, theirs = graphs
    for node_id, attrs in mine.nodes(data=True):
        shown = attrs.get("role") == "leaf" or (attrs.get("role") == "accumulate" and
                                                attrs.get("leaf") is None)
        if not shown or node_id not in theirs:
            continue
        a, b = attrs.get("grad"), theirs.nodes[node_id].get("grad")
        if not _close(a, b, rtol, atol):
            text = _gap(a, b) if a is not None and b is not None else translate(
                "Compare", ".grad is None on gradtrace, set on PyTorch") if a is None else \
                translate("Compare", ".grad is set on gradtrace, None on PyTorch")
            out.append(Difference("grad", attrs.get("leaf_label") or node_id, text))


# ---------------------------------------------------------------- finite differences
def _first_backward(result):
    """(call, root name, the weights fed to the root) of the first ``backward()`` whose root
    a statement before it named; None when there is none."""
    for call in getattr(result, "backward_calls", ()):
        if call.kind != "backward" or not call.steps:
            continue
        k = call.statement_index
        if k is None or k == 0:
            return None
        before = result.statements[k - 1].tensors
        root = call.steps[0].node
        name = next((n for n, t in before.items() if is_tensor(t) and t.grad_fn is root), None)
        if name is None:
            return None
        return call, name, to_numpy(call.steps[0].grads_in[0])
    return None


def finite_differences(make_runner: Callable[[], Any], source: str, engine: str,
                       samples: int = 3, max_leaves: int = 8) -> tuple[list[FiniteDifference],
                                                                    list[str]]:
    """Check each leaf's gradient from the script's first ``backward()`` against central
    differences, with the script run in float64 (its default dtype; tensors it makes in
    float32 on purpose keep it, with a looser step and tolerance). Each checked entry runs the
    script twice up to that backward with the leaf nudged right after the statement that made
    it. Returns the checks and why some were skipped."""
    engine_module = make_runner().engine
    float64 = engine_module.float64
    skipped: list[str] = []
    label = ENGINE_NAMES.get(engine, engine)

    def run(after=None):
        before = engine_module.get_default_dtype()
        engine_module.set_default_dtype(float64)
        try:
            return run_steps(make_runner(), source, after)
        finally:
            engine_module.set_default_dtype(before)

    made: dict[str, int] = {}        # leaf -> index of the statement that made it
    tensors: dict[str, Any] = {}     # leaf -> the tensor itself, in the unnudged run

    def note(session, record):
        for name, t in _leaves_bound(session, record).items():
            made.setdefault(name, record.index)
            tensors.setdefault(name, t)
        return None
    result = run(note).result
    found = _first_backward(result)
    if found is None:
        return [], [translate("Compare", "{engine}: no top-level backward() of a tensor named "
                              "before it").format(engine=label)]
    call, root, weights = found
    stop = call.statement_index - 1
    by_leaf = {id(s.variable): s for s in call.steps if getattr(s, "variable", None) is not None}
    grads = {}
    for name, t in tensors.items():
        step = by_leaf.get(id(t))
        if step is None or made[name] > stop:
            continue
        after, before = to_numpy(step.grad_after), to_numpy(step.grad_before)
        if after is not None:
            grads[name] = after - (before if before is not None else 0)
    checks: list[FiniteDifference] = []
    for name in list(grads)[:max_leaves]:
        leaf = tensors[name]
        grad = grads[name]
        size = int(np.prod(grad.shape)) if grad.shape else 1
        entries = tuple(dict.fromkeys(i for i in (0, size // 2, size - 1)[:samples]))
        dtype = np.asarray(to_numpy(leaf)).dtype
        is64 = dtype == np.float64
        eps, rtol, atol = (1e-6, 1e-3, 1e-5) if is64 else (1e-2, 5e-2, 1e-2)
        worst, ok = 0.0, True
        for flat in entries:
            values = []
            for sign in (1.0, -1.0):
                def nudge(session, record, sign=sign, flat=flat, name=name, eps=eps):
                    if record.index == made[name]:
                        t = _lookup(session, name)
                        value = np.array(to_numpy(t), copy=True)
                        value.reshape(-1)[flat] += sign * eps
                        _assign(session, t, value)
                    return record.index >= stop
                session = run(nudge)
                out = to_numpy(session._globals.get(root))
                if out is None:
                    return checks, skipped + [translate(
                        "Compare", "{engine}: {root} could not be read").format(
                            engine=label, root=root)]
                w = np.ones_like(out) if weights is None else weights.astype(np.float64)
                values.append(float(np.sum(out.astype(np.float64) * w)))
            numeric = (values[0] - values[1]) / (2 * eps)
            analytic = float(np.asarray(grad, dtype=np.float64).reshape(-1)[flat])
            error = abs(numeric - analytic)
            worst = max(worst, error)
            ok = ok and error <= atol + rtol * abs(numeric)
        checks.append(FiniteDifference(engine, name, str(dtype), entries, worst, ok))
    if len(grads) > max_leaves:
        skipped.append(Compare.tr("{engine}: %n more leaves not checked", "",
                                  len(grads) - max_leaves).format(engine=label))
    return checks, skipped


def _lookup(session, name):
    """A leaf by its name in the script, or a module's parameter by its dotted name."""
    g = session._globals
    if name in g:
        return g[name]
    head, _, rest = name.partition(".")
    module_type = _module_type(session)
    module = g.get(head)
    if module_type is not None and isinstance(module, module_type):
        return dict(module_type.named_parameters(module)).get(rest)
    return None


# ---------------------------------------------------------------- the whole comparison
def compare_script(source: str, runners: dict[str, Callable[[], Any]] | None = None, *,
                   rtol: float = 1e-4, atol: float = 1e-5, sync_leaves: bool = True,
                   finite: bool = True, samples: int = 3) -> Comparison:
    """Run ``source`` on both engines and compare them node by node.

    ``runners`` maps "gradtrace" and "torch" to runner factories (default: the sandboxed
    `ScriptRunner` and the `TorchScriptRunner`). With ``sync_leaves`` the leaves the script
    makes (and its modules' parameters) get PyTorch's values on the gradtrace run right after
    the statement that made them, so random initial values do not hide everything else.

    Examples
    --------
    >>> compare_script("import torch\\nx = torch.ones(2, requires_grad=True)\\n"
    ...                "(x * 3).sum().backward()", finite=False).ok   # doctest: +SKIP
    True
    """
    if runners is None:
        from .runner import ScriptRunner
        from .torch_runner import TorchScriptRunner
        runners = {"gradtrace": ScriptRunner, "torch": TorchScriptRunner}
    comparison = Comparison()
    values: dict[int, dict[str, np.ndarray]] = {}

    def keep(session, record):
        values[record.index] = {name: np.array(to_numpy(t), copy=True) for name, t in
                                _leaves_bound(session, record, needing_grad=False).items()}
        return None
    theirs = run_steps(runners["torch"](), source, keep)
    synced: set[str] = set()

    def sync(session, record):
        for name, t in _leaves_bound(session, record, needing_grad=False).items():
            value = values.get(record.index, {}).get(name)
            if value is not None and tuple(t.shape) == value.shape and \
                    to_numpy(t).dtype == value.dtype:
                _assign(session, t, value)
                synced.add(name)
        return None
    mine = run_steps(runners["gradtrace"](), source, sync if sync_leaves else None)
    results = (mine.result, theirs.result)
    engine_version = getattr(theirs.runner.engine, "__version__", "?")
    comparison.notes.append(Compare.tr(
        "gradtrace (sandboxed) against PyTorch {version}: {a} and %n statement(s) ran", "",
        len(results[1].statements)).format(version=engine_version, a=len(results[0].statements)))
    if synced:
        names = sorted(synced)
        more = Compare.tr(" and %n more", "", len(names) - 8) if len(names) > 8 else ""
        comparison.notes.append(_join(translate(
            "Compare", "leaves given PyTorch's values on the gradtrace run: {names}").format(
                names=", ".join(names[:8])), more))
    out = comparison.differences
    for label, result in zip(("gradtrace", "PyTorch"), results):
        if result.error is not None:
            out.append(Difference("error", label, str(result.error)))
    a, b = results[0].output.splitlines(), results[1].output.splitlines()
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if not _same_text(x, y, rtol)),
                 None if len(a) == len(b) else min(len(a), len(b)))
    if first is not None:
        out.append(Difference("output", f"printed line {first + 1}", translate(
            "Compare", "gradtrace {a}, PyTorch {b}").format(
                a=repr(a[first]) if first < len(a) else "-",
                b=repr(b[first]) if first < len(b) else "-"), printed=first + 1))
    graphs = tuple(build_graph(r) for r in results)
    _compare_names(graphs, results, out)
    bad = _compare_values(graphs, rtol, atol, synced, out)
    _compare_backward(graphs, results, rtol, atol, out, bad)
    _compare_grads(graphs, rtol, atol, out)
    _ANCESTORS.clear()
    if finite:
        for engine in ("gradtrace", "torch"):
            try:
                checks, skipped = finite_differences(runners[engine], source, engine, samples)
            except Exception as exc:  # noqa: BLE001 - the check is extra: it says why it stopped
                checks, skipped = [], [f"{ENGINE_NAMES[engine]}: {type(exc).__name__}: {exc}"]
            comparison.finite.extend(checks)
            comparison.skipped_fd.extend(skipped)
    return comparison


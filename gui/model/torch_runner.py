"""TorchScriptRunner: runs a script on real PyTorch (not sandboxed), statement by statement, and
records every backward pass through hooks on each grad_fn, in the order PyTorch ran the nodes.

The only module of gui/model that imports ``torch``; it runs inside the run's child process
(gui/model/child.py), or in-process in tests. Its ``RunResult`` holds real torch tensors and
nodes, and its steps are duck-typed twins of gradtrace's ``BackwardStep`` (``.node``,
``.grads_in``, ``.grads_out``, ``.variable``, ``.grad_before``, ``.grad_after``), so
``build_graph``, ``Timeline`` and ``recording.record`` read it as they read gradtrace's.
"""
from __future__ import annotations

import ast
import contextlib
import inspect
import linecache
import os
import sys
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import torch

from .bindings import Bindings, bound_names, global_names
from .parse_errors import locate_parse_failure
from .runner import (
    BackwardCall,
    RunResult,
    ScriptError,
    ScriptSession,
    StatementRecord,
    _describe,
    _EngineState,
    _Exhausted,
    _future_flags,
    _next_sequence_nr,
)
from .sandbox import SCRIPT_FILENAME, PrintSink
from .stepping import split_loop

__all__ = ["TorchScriptRunner", "TorchScriptSession", "TorchRunResult", "TorchStep",
           "backward_again", "record_backward", "torch_version"]

# what the wrappers call: PyTorch's own functions, as they were when this module was imported
_TENSOR_BACKWARD = torch.Tensor.backward
_AUTOGRAD_BACKWARD = torch.autograd.backward
_AUTOGRAD_GRAD = torch.autograd.grad
_ACTIVE: list[TorchBackwardRecorder] = []   # the recorder of the statement running now
_ORIGINALS = (_TENSOR_BACKWARD, _AUTOGRAD_BACKWARD, _AUTOGRAD_GRAD)
_TORCH_DIR = os.path.dirname(torch.__file__) + os.sep


def torch_version() -> str:
    """``"2.13.0+cpu"``: the version of the torch this runner drives."""
    return str(torch.__version__)


@dataclass(frozen=True)
class TorchStep:
    """One grad_fn PyTorch ran, as its hooks saw it (copies of the tensors, detached).

    ``grads_in``: the gradient arriving at each output of the node (its ``grad_outputs``);
    ``grads_out``: what it sent along each of its ``next_functions`` (its ``grad_inputs``;
    ``()`` for ``AccumulateGrad``); ``variable``, ``grad_before``, ``grad_after``: for an
    ``AccumulateGrad`` node, the leaf and its ``.grad`` before and after the step.
    """

    index: int
    node: Any
    grads_in: tuple
    grads_out: tuple
    variable: Any = None
    grad_before: Any = None
    grad_after: Any = None

    def snapshot(self) -> TorchStep:
        """The step itself: its tensors are copies already."""
        return self


def _copy(value):
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    return None


def _nodes_behind(roots) -> list:
    """Every grad_fn reachable from ``roots`` (tensors or GradientEdges) along next_functions."""
    stack, seen = [], {}
    for root in roots:
        node = root.grad_fn if isinstance(root, torch.Tensor) else getattr(root, "node", None)
        if node is not None:
            stack.append(node)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        stack.extend(nxt for nxt, _ in node.next_functions if nxt is not None)
    return list(seen.values())


def record_backward(roots: list[Any], call: Callable[[], Any],
                    steps: list[TorchStep] | None = None) -> tuple[list[TorchStep], Any]:
    """Run ``call()`` (a real backward or ``autograd.grad``) with a pre- and a post-hook on every
    node behind ``roots``; returns the steps in the order the hooks fired and ``call()``'s value
    (into ``steps`` when given, which keeps the steps that ran when ``call()`` raises).

    The hooks only copy tensors; they are removed afterwards, whatever happened. The backward
    runs with ``set_multithreading_enabled(False)``, so device work runs on this thread too and
    the order of the post-hooks is the order PyTorch ran the nodes.

    Examples
    --------
    >>> import torch
    >>> x = torch.ones(2, requires_grad=True)
    >>> out = (x * 3).sum()
    >>> steps, _ = record_backward([out], out.backward)
    >>> [s.node.name() for s in steps]
    ['SumBackward0', 'MulBackward0', 'torch::autograd::AccumulateGrad']
    >>> steps[-1].grad_after.tolist()
    [3.0, 3.0]
    """
    steps = [] if steps is None else steps
    before: dict[int, Any] = {}
    handles = []

    def hooks(node):
        variable = getattr(node, "variable", None) if "AccumulateGrad" in node.name() else None

        def pre(grad_outputs):
            if variable is not None:
                before[id(node)] = _copy(variable.grad)

        def post(grad_inputs, grad_outputs):
            steps.append(TorchStep(
                len(steps), node, tuple(_copy(g) for g in grad_outputs),
                tuple(_copy(g) for g in grad_inputs), variable,
                before.pop(id(node), None) if variable is not None else None,
                _copy(variable.grad) if variable is not None else None))
        return pre, post

    try:
        for node in _nodes_behind(roots):
            pre, post = hooks(node)
            handles.append(node.register_prehook(pre))
            handles.append(node.register_hook(post))
        with torch.autograd.set_multithreading_enabled(False):
            value = call()
    finally:
        for handle in handles:
            handle.remove()
    return steps, value


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


class TorchBackwardRecorder:
    """The script's ``Tensor.backward``, ``autograd.backward`` and ``autograd.grad`` while a
    statement runs: each real call is recorded by `record_backward` into a ``BackwardCall``."""

    def __init__(self, session: TorchScriptSession):
        self._session = session
        self.depth = 0   # >0 inside a recorded call: Tensor.backward calls autograd.backward

    def record(self, kind: str, roots: list[Any], retain_graph: bool | None,
               create_graph: bool, call: Callable[[], Any]) -> Any:
        from .graph import saved_snapshot
        session = self._session
        printed = session.sink.size
        saved = saved_snapshot([r for r in roots if isinstance(r, torch.Tensor)])
        retain = bool(create_graph if retain_graph is None else retain_graph)
        steps: list[TorchStep] = []
        self.depth += 1
        try:
            _, value = record_backward(roots, call, steps)
        except BaseException:
            if steps:   # PyTorch's error came mid-way (an in-place change): what ran is kept
                session.result.backward_calls.append(
                    BackwardCall(session.statement_index, steps, kind, printed, saved, retain))
            raise
        finally:
            self.depth -= 1
        session.result.backward_calls.append(
            BackwardCall(session.statement_index, steps, kind, printed, saved, retain))
        return value


def _recorder() -> TorchBackwardRecorder | None:
    """The recorder that should record the call being made now: None outside a statement,
    inside a recorded call, and for torch's own calls (gradcheck's, functional.jacobian's)."""
    recorder = _ACTIVE[-1] if _ACTIVE else None
    if recorder is None or recorder.depth:
        return None
    caller = sys._getframe(2).f_code.co_filename
    return None if caller.startswith(_TORCH_DIR) else recorder


def _bound(function, args, kwargs):
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.arguments


def _tensor_backward(self, *args, **kwargs):
    recorder = _recorder()
    if recorder is None:
        return _TENSOR_BACKWARD(self, *args, **kwargs)
    a = _bound(_TENSOR_BACKWARD, (self, *args), kwargs)
    return recorder.record("backward", [self], a["retain_graph"], a["create_graph"],
                           lambda: _TENSOR_BACKWARD(self, *args, **kwargs))


def _autograd_backward(*args, **kwargs):
    recorder = _recorder()
    if recorder is None:
        return _AUTOGRAD_BACKWARD(*args, **kwargs)
    a = _bound(_AUTOGRAD_BACKWARD, args, kwargs)
    return recorder.record("backward", _as_list(a["tensors"]), a["retain_graph"],
                           a["create_graph"], lambda: _AUTOGRAD_BACKWARD(*args, **kwargs))


def _autograd_grad(*args, **kwargs):
    recorder = _recorder()
    if recorder is None:
        return _AUTOGRAD_GRAD(*args, **kwargs)
    a = _bound(_AUTOGRAD_GRAD, args, kwargs)
    return recorder.record("grad", _as_list(a["outputs"]), a["retain_graph"], a["create_graph"],
                           lambda: _AUTOGRAD_GRAD(*args, **kwargs))


# wrappers stay what a script bound (``from torch.autograd import grad``): outside a recording
# statement they are PyTorch's own functions
_tensor_backward.__wrapped__ = _TENSOR_BACKWARD   # type: ignore[attr-defined]
_autograd_backward.__wrapped__ = _AUTOGRAD_BACKWARD   # type: ignore[attr-defined]
_autograd_grad.__wrapped__ = _AUTOGRAD_GRAD   # type: ignore[attr-defined]


class _ModuleScopes:
    """Global forward pre/post hooks on every ``nn.Module`` while a statement runs: each call
    puts its dotted name (``"0"``, ``"layers.1"``; the class name for the outermost module)
    into ``metadata["scope"]`` of the nodes its forward made, as gradtrace's Module does."""

    def __init__(self):
        self.calls: list[tuple[Any, str, int | None]] = []
        self.handles: list = []

    def _qualified_name(self, module):
        if not self.calls:
            return ""
        parent, prefix, _ = self.calls[-1]
        name = next((n for n, m in parent._modules.items() if m is module), None)
        if name is None:
            name = next((n for n, m in parent.named_modules() if m is module and n),
                        type(module).__name__)
        return f"{prefix}.{name}" if prefix else name

    def _pre(self, module, args):
        self.calls.append((module, self._qualified_name(module), _next_sequence_nr(torch)))

    def _post(self, module, args, output):
        if not self.calls or self.calls[-1][0] is not module:
            return None
        _, scope, start = self.calls.pop()
        end = _next_sequence_nr(torch)
        if start is None or end is None:
            return None
        scope = scope or type(module).__name__
        stack = [t.grad_fn for t in _tensors_in(output) if t.grad_fn is not None]
        seen = set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            seq = node._sequence_nr()
            if "AccumulateGrad" in node.name() or not start <= seq < end:
                continue
            node.metadata.setdefault("scope", scope)
            stack.extend(n for n, _ in node.next_functions if n is not None)
        return None

    def __enter__(self):
        hooks = torch.nn.modules.module
        self.handles = [hooks.register_module_forward_pre_hook(self._pre),
                        hooks.register_module_forward_hook(self._post, always_call=True)]
        return self

    def __exit__(self, *exc):
        for handle in self.handles:
            handle.remove()
        self.handles, self.calls = [], []


def _tensors_in(value):
    stack, found = [value], []
    while stack:
        v = stack.pop()
        if isinstance(v, torch.Tensor):
            found.append(v)
        elif isinstance(v, (tuple, list)):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
    return found


class _TorchState(_EngineState):
    """`_EngineState` over torch (grad and anomaly mode, default dtype, the random stream from
    seed 0), but the default device only when one is asked for: ``set_default_device`` puts a
    torch function mode over every later call, which ``set_default_device(None)`` takes off."""

    def __init__(self, device):
        super().__init__(torch, None)
        keep = [k for k, (get, _) in enumerate(self.pairs)
                if getattr(get, "__name__", "") != "get_default_device"]
        self.pairs = [self.pairs[k] for k in keep]
        self.script = [self.script[k] for k in keep]
        self.device = device
        if device is not None:
            try:
                torch.empty(0, device=device)
            except Exception as exc:  # noqa: BLE001 - no such device here
                self.error = f"device {device!r} is not available: {exc}"

    def enter(self):
        super().enter()
        if self.device is not None:
            torch.set_default_device(self.device)

    def leave(self):
        if self.device is not None:
            torch.set_default_device(None)
        super().leave()


class _Stream:
    """``sys.stdout``/``sys.stderr`` of the script: into the run's one output buffer."""

    def __init__(self, sink: PrintSink):
        self._sink = sink

    def write(self, text):
        self._sink.write(str(text))
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


class _Policy:
    """What `_future_flags` reports misplaced ``__future__`` imports to."""

    def __init__(self):
        self.refusals: list[tuple[int, int, str]] = []

    def error(self, node, message):
        self.refusals.append((node.lineno, node.col_offset, message))


@dataclass
class TorchRunResult(RunResult):
    """A `RunResult` of real torch tensors and nodes, with "Run backward from here"."""

    engine = "torch"   # what recording.record writes as the recording's engine

    @property
    def engine_version(self) -> str:
        return torch_version()

    def backward_from(self, tensor: Any, gradient: Any = None) -> list[TorchStep]:
        """Run ``tensor``'s backward again (``retain_graph=True``; ``gradient`` a numpy array,
        or None for a scalar) and return its steps, as the hooks recorded them. As in the
        script, the leaves' ``.grad`` accumulate."""
        return backward_again(tensor, gradient)


def backward_again(tensor: Any, gradient: Any = None) -> list[TorchStep]:
    """Run torch tensor ``tensor``'s backward with ``retain_graph=True`` (``gradient``: a
    numpy array, or None for a scalar) and return its steps as the hooks recorded them; the
    leaves' ``.grad`` accumulate as in ``backward()``.

    >>> import torch
    >>> x = torch.ones(2, requires_grad=True)
    >>> y = (x * x).sum()
    >>> [s.node.name() for s in backward_again(y)][-1], x.grad.tolist()
    ('torch::autograd::AccumulateGrad', [2.0, 2.0])
    """
    grad = None if gradient is None else torch.as_tensor(
        gradient, dtype=tensor.dtype, device=tensor.device)
    steps, _ = record_backward([tensor], lambda: _AUTOGRAD_BACKWARD(
        [tensor], None if grad is None else [grad], retain_graph=True))
    return steps


class TorchScriptRunner:
    """Runs scripts on real PyTorch, statement by statement: not sandboxed (the script runs as
    ``python script.py`` would), with every backward recorded by hooks.

    Parameters
    ----------
    device : str or None
        Run with ``torch.set_default_device(device)`` ("cpu", "cuda").

    Examples
    --------
    >>> result = TorchScriptRunner().run("import torch\\nx = torch.ones(2)\\nprint(x.sum())")
    >>> result.output
    'tensor(2.)\\n'
    """

    engine_name = "torch"

    def __init__(self, time_budget=None, max_elements=None, device=None):
        self.device = device
        self.engine = torch
        self.time_budget = time_budget   # not enforced here: the child process has the limits
        # told each statement's line just before it runs (gui/model/child.py keeps it where
        # the app can read it after a crash)
        self.on_statement: Callable[[int], None] | None = None

    def run(self, source: str) -> RunResult:
        """Run the whole script; stops at the first error."""
        session = self.start(source)
        while session.step() is not None:
            pass
        return session.result

    def start(self, source: str) -> TorchScriptSession:
        """Compile the script; the session runs one statement per ``step()``."""
        return TorchScriptSession(self, source)


class TorchScriptSession(ScriptSession):
    """A script running on PyTorch statement by statement (F10 / F11 as `ScriptSession`).

    Each top-level statement is compiled with filename ``"<script>"`` and run in one
    namespace; print, warnings and ``sys.stdout``/``stderr`` go to the output; the random
    stream starts from ``torch.manual_seed(0)`` (a script that seeds, seeds).
    """

    def __init__(self, runner: TorchScriptRunner, source: str):   # noqa: D107
        self.runner = runner   # type: ignore[assignment]
        self.result = TorchRunResult(source=source)
        self._lines = source.splitlines()
        self.limits = SimpleNamespace(   # type: ignore[assignment]
            tensor_type=torch.Tensor)    # all that _snapshot reads of the budgets
        self.sink = PrintSink()
        self._recorder = TorchBackwardRecorder(self)
        self._globals: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
        self._state = _TorchState(runner.device)
        self._next = 0
        self._tensors = Bindings()
        self._modules: dict[str, None] = {}
        self._binds: dict[int, tuple[str, ...]] = {}
        self._always: tuple[str, ...] = ()
        self._statements: list = []
        self._loops: dict = {}
        self._loop = None
        if self._state.error:
            self.result.error = ScriptError(self._state.error, None, None, "", "runtime")
        else:
            self._compile(source)

    def _compile(self, source):
        try:
            tree = ast.parse(source, SCRIPT_FILENAME)
        except SyntaxError as exc:
            if exc.lineno is None or not exc.msg:
                self._parse_failure(source, exc)
                return
            line = (exc.text or "").strip() or self._line(exc.lineno)
            self.result.error = ScriptError(f"SyntaxError: {exc.msg}", exc.lineno,
                                            max((exc.offset or 1) - 1, 0), line, "syntax")
            return
        except (ValueError, RecursionError, MemoryError) as exc:
            message, lineno, col = locate_parse_failure(source, exc)
            self.result.error = ScriptError(message, lineno, col, self._line(lineno), "syntax")
            return
        # tracebacks (anomaly mode's forward trace, the script's own) show the script's lines
        linecache.cache[SCRIPT_FILENAME] = (len(source), None,
                                            [ln + "\n" for ln in self._lines], SCRIPT_FILENAME)
        policy = _Policy()
        flags = _future_flags(tree, policy)
        self._always = tuple(global_names(tree))
        compiled = []
        for stmt in tree.body:
            module = ast.Module(body=[stmt], type_ignores=[])
            self._binds[stmt.lineno] = tuple(dict.fromkeys(
                self._binds.get(stmt.lineno, ()) + bound_names(stmt)))
            try:
                code = compile(module, SCRIPT_FILENAME, "exec", flags=flags, dont_inherit=True)
            except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError) as exc:
                msg = f"SyntaxError: {exc.msg}" if isinstance(exc, SyntaxError) else \
                    f"cannot compile this statement: {exc}"
                policy.error(stmt, msg)
                continue
            compiled.append(((stmt.lineno, stmt.end_lineno or stmt.lineno), code))
            try:
                parts = split_loop(module)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                parts = None
            if parts is not None:
                self._loops[len(compiled) - 1] = parts
        if policy.refusals:
            lineno, col, message = min(policy.refusals)
            self.result.error = ScriptError(message, lineno, col, self._line(lineno), "syntax")
            return
        self._statements = compiled

    def _execute(self, run, lineno, end_lineno, part="", mark=None) -> StatementRecord:
        """Run ``run()`` with the recorder, the module scopes and the output in place, and
        append the record of what it did."""
        index = self.statement_index
        sink = self.sink
        first_part = len(sink.parts)
        error = None
        first_node = _next_sequence_nr(torch)
        on_statement = getattr(self.runner, "on_statement", None)
        if on_statement is not None:
            on_statement(lineno)
        patched: tuple[tuple[Any, str, Any], ...] = ((torch.Tensor, "backward", _tensor_backward),
                   (torch.autograd, "backward", _autograd_backward),
                   (torch.autograd, "grad", _autograd_grad))
        stream = _Stream(sink)
        self._state.enter()
        _ACTIVE.append(self._recorder)
        for owner, name, wrapper in patched:
            setattr(owner, name, wrapper)
        try:
            with warnings.catch_warnings(record=True) as caught, _ModuleScopes(), \
                    contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
                warnings.simplefilter("default")
                try:
                    run()
                finally:
                    for w in caught:
                        sink.write(f"{w.category.__name__}: {w.message}\n")
        except _Exhausted:
            raise
        except BaseException as exc:  # noqa: BLE001 - the script's error, whatever it raised
            error = self._error(exc, "runtime", _describe(exc), lineno)
        finally:
            for (where, attr, _), original in zip(patched, _ORIGINALS):
                setattr(where, attr, original)
            _ACTIVE.remove(self._recorder)
            self._state.leave()
        tensors = self._snapshot(self._binds.get(lineno, ()) + self._always)
        record = StatementRecord(index, lineno, end_lineno, self._source(lineno, end_lineno),
                                 tensors, "".join(sink.parts[first_part:]), error, first_node,
                                 part() if callable(part) else part,
                                 mark() if callable(mark) else mark)
        result = self.result
        result.statements.append(record)
        result.tensors = tensors
        result.output = sink.text()
        result.error = error
        return record

    def _error(self, exc, kind, message, stmt_lineno):
        lineno, col = stmt_lineno, None
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename == SCRIPT_FILENAME]
        if frames:
            lineno, col = frames[-1].lineno, getattr(frames[-1], "colno", None)
        return ScriptError(message, lineno, col, self._line(lineno), kind)


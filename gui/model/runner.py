"""ScriptRunner: runs a user's PyTorch-dialect script in the sandbox, one top-level statement at
a time, recording the tensors each name holds, what print wrote, errors and every backward pass."""
from __future__ import annotations
import __future__

import ast
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from types import CodeType
from typing import Any

from .bindings import Bindings, bound_names, global_names
from .i18n import Text, retranslate, translate
from .limits import MAX_MEMORY, BudgetExceeded, Limits, shown_text
from .parse_errors import locate_parse_failure
from .sandbox import SCRIPT_FILENAME, AccessRefused, Guards, ScriptPolicy
from .sandbox_modules import SEED
from .stepping import ITEM, ITERABLE, RAN, TEST, LoopParts, split_loop

__all__ = ["ScriptRunner", "ScriptSession", "RunResult", "StatementRecord", "ScriptError",
           "BackwardCall"]


@dataclass(frozen=True)
class ScriptError:
    """Why a script stopped.

    ``lineno`` is 1-based, ``col`` a 0-based offset (as in ``ast``); both are None when the
    error has no place in the source. ``kind`` is one of "syntax", "refused", "runtime",
    "budget". ``str(err)`` reads ``line 3: y = x @ w: RuntimeError: ...``, in the language in
    use when it is shown (gradtrace's own messages are translated `Text`s; PyTorch's stay as
    PyTorch wrote them).
    """

    message: str
    lineno: int | None
    col: int | None
    source_line: str
    kind: str
    # gradtrace's own message as plain data (context, source, disambiguation, n, fields),
    # made from a translated `Text` message: it survives pickling (the child process) and
    # recordings, and is shown in the language in use (`shown_message`)
    text: tuple | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.text is None and isinstance(self.message, Text):
            object.__setattr__(self, "text", _portable(self.message))

    @property
    def shown_message(self) -> str:
        """The message in the language in use (PyTorch's and Python's texts as they are)."""
        if self.text is not None:
            try:
                return _rebuilt(self.text)
            except (KeyError, IndexError, TypeError, ValueError):
                pass
        return retranslate(self.message)

    def __str__(self):
        where = translate("ScriptError", "line {line}: ").format(line=self.lineno) \
            if self.lineno else ""
        code = translate("ScriptError", "{code}: ").format(code=self.source_line) \
            if self.source_line else ""
        return f"{where}{code}{self.shown_message}"


def _portable(text: Text) -> tuple:
    fields = {k: _portable(v) if isinstance(v, Text) else v
              for k, v in (text.fields or {}).items()}
    return (text.context, text.source, text.disambiguation, text.n, fields or None)


def _rebuilt(text: tuple) -> str:
    context, source, disambiguation, n, fields = text
    shown = translate(context, source, disambiguation, n)
    if not fields:
        return shown
    return shown.format(**{k: _rebuilt(v) if isinstance(v, tuple) else v
                           for k, v in fields.items()})


@dataclass(frozen=True)
class StatementRecord:
    """What one top-level statement did: the tensors bound to names after it ran (a read-only
    `Bindings` mapping, the very one of the record before when it bound no tensor), its
    output, and its error (None when it succeeded).

    When F11 stepped into a top-level ``for``, each iteration has a record of its own:
    ``part`` says which ("iteration 2", or "iterations 3 to 5" for the rest of the loop run
    with F10), ``lineno``/``source`` are the loop's and ``mark`` the body lines it ran.
    ``index`` is the record's position in ``RunResult.statements``.
    """

    index: int
    lineno: int
    end_lineno: int
    source: str
    tensors: dict
    output: str
    error: ScriptError | None = None
    first_node: int | None = None   # the engine's node sequence number when it began
    part: str = ""                  # "" for a whole statement, else which loop iterations
    mark: tuple | None = None       # (first, last) line the editor marks; None: the statement's


def _next_sequence_nr(engine):
    """The sequence number the engine's next graph node will get (a node is made to find out:
    gradtrace and PyTorch count nodes the same way); None when it cannot be told."""
    try:
        with engine.enable_grad():
            probe = engine.ones(1, requires_grad=True) * 1
        return probe.grad_fn._sequence_nr() + 1
    except Exception:  # noqa: BLE001 - an engine without the API: claims fall back to names
        return None


@dataclass(frozen=True)
class BackwardCall:
    """One ``.backward()`` / ``autograd.backward`` / ``autograd.grad`` call of the script, with
    the ``BackwardStep`` records ``iter_backward`` yielded, in order. ``kind`` says which call."""

    statement_index: int
    steps: list
    kind: str = "backward"
    output_before: int = 0   # characters the script had printed when the call began
    # what each node of the graph had saved when the call began (the call may free it):
    # id(node) -> (node, {saved name: attributes}), see graph.saved_snapshot
    saved: dict = field(default_factory=dict, compare=False, repr=False)
    retain_graph: bool = False   # True: the call left the saved tensors in place


@dataclass
class RunResult:
    """Everything a run (or a session so far) produced.

    ``labels`` maps ``id(tensor)`` to the name most recently bound to it; ``aliases`` keeps
    every name each tensor was bound to, in order; ``modules`` maps each name bound to an
    ``nn.Module`` to its class name and its submodules' dotted paths (to name groups).
    ``error`` is the first error; the run stops there and everything before it is kept.
    """

    source: str = ""
    statements: list = field(default_factory=list)
    error: ScriptError | None = None
    tensors: dict = field(default_factory=dict)
    output: str = ""
    backward_calls: list = field(default_factory=list)
    labels: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)
    modules: dict = field(default_factory=dict)   # name -> (class name, its submodules' paths)
    limits: Limits | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    def call_in_budget(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``func`` (app code that may call back into the script: a hook, a custom
        Function's backward, as "Run backward from here" does) with the script's time budget
        armed again; running out raises RuntimeError, and so does any exception the script's
        code raises (with its line). Outside this (and the run) script code refuses to run at
        all."""
        lim = self.limits
        if lim is None:
            return func(*args, **kwargs)
        lim.arm(lim.time_budget)
        try:
            return func(*args, **kwargs)
        except BudgetExceeded as exc:
            raise RuntimeError(shown_text(exc) or str(exc)) from None
        except Exception as exc:
            # an error the script's own code raised (a hook's ValueError...) is the script's:
            # a RuntimeError "line N: code: ValueError: ...", as the run reports it; the
            # app's own errors (a KeyError for an unknown node) pass unchanged
            frames = [f for f in traceback.extract_tb(exc.__traceback__)
                      if f.filename == SCRIPT_FILENAME]
            if not frames:
                raise
            lines = self.source.splitlines()
            line = frames[-1].lineno or 0
            code = lines[line - 1].strip() if 0 < line <= len(lines) else ""
            raise RuntimeError(str(ScriptError(_describe(exc), line or None, None, code,
                                               "runtime"))) from None
        finally:
            lim.disarm()


class ScriptRunner:
    """Runs scripts written against ``torch`` on gradtrace's engine, in a sandbox.

    Parameters
    ----------
    time_budget : float
        Seconds a run may take (checked at every loop turn, call and backward step).
    max_elements : int
        The most elements one tensor (or list, tuple...) made by the script may hold.
    max_memory : int
        The most bytes a run may add to the process's memory (768 MiB; 0: no cap): many objects
        each under ``max_elements`` are stopped too.
    device : str or None
        Run with ``set_default_device(device)`` ("cpu", "cuda"); restored afterwards.
    engine : module, optional
        The module bound to ``torch``; ``gradtrace.core`` by default.

    Examples
    --------
    >>> result = ScriptRunner().run("import torch\\nx = torch.ones(2)\\nprint(x.sum())")
    >>> result.output
    'tensor(2.)\\n'
    >>> session = ScriptRunner().start("import torch\\nx = torch.ones(2)")
    >>> session.step().source
    'import torch'
    """

    def __init__(self, time_budget=10.0, max_elements=50_000_000, device=None, *, engine=None,
                 max_memory=MAX_MEMORY):
        if engine is None:
            import gradtrace.core as engine
        self.time_budget = float(time_budget)
        self.max_elements = int(max_elements)
        self.max_memory = int(max_memory)
        self.device = device
        self.engine = engine

    def run(self, source: str) -> RunResult:
        """Run the whole script; stops at the first error."""
        session = self.start(source)
        while session.step() is not None:
            pass
        return session.result

    def start(self, source: str) -> ScriptSession:
        """Check and compile the script; the session runs one statement per ``step()``."""
        return ScriptSession(self, source)


class _Exhausted(Exception):
    """The loop stepped into has no item left and no ``else``: nothing ran."""


class _Loop:
    """A top-level ``for`` that F11 stepped into: its parts, iterator and iterations so far."""

    def __init__(self, statement, parts, iterator):
        self.statement, self.parts, self.iterator, self.count = statement, parts, iterator, 0


class ScriptSession:
    """A script being run statement by statement (the app's F10 / F11).

    ``step()`` runs the next top-level statement (step over: a whole loop, or the rest of the
    loop stepped into) and returns its record, or None when the script is finished or stopped
    at an error; ``step_into()`` runs one iteration of a top-level ``for`` or ``while`` loop
    (else it is ``step()``); ``result`` is what ran so far.
    """

    def __init__(self, runner: ScriptRunner, source: str):
        self.runner = runner
        self.result = RunResult(source=source)
        self._lines = source.splitlines()
        engine = runner.engine
        self.limits = Limits(runner.time_budget, runner.max_elements, getattr(engine, "Tensor", ()),
                             runner.max_memory)
        self.result.limits = self.limits
        self.guards = Guards(engine, self.limits, BackwardRecorder(self))
        self._globals = self.guards.make_globals()
        self._state = _EngineState(engine, runner.device, self._script_frames)
        self._used = 0.0
        self._next = 0
        self._tensors = Bindings()              # the tensors bound after the last record
        self._modules: dict[str, None] = {}     # names bound to an nn.Module, in order
        self._binds: dict[int, tuple[str, ...]] = {}   # statement line -> names it may bind
        self._always: tuple[str, ...] = ()             # names a `global` statement declares
        self._statements: list[tuple[tuple[int, int], CodeType]] = []
        self._loops: dict[int, LoopParts] = {}   # statement index -> its parts, for F11
        self._loop: _Loop | None = None
        if self._state.error:
            self.result.error = ScriptError(self._state.error, None, None, "", "runtime")
        else:
            self._compile(source)

    @property
    def finished(self) -> bool:
        return self.result.error is not None or self._next >= len(self._statements)

    @property
    def statement_index(self) -> int:
        """Index of the record being made now (or next) in ``result.statements``: the
        top-level statement's index unless F11 gave loop iterations records of their own."""
        return len(self.result.statements)

    @property
    def in_loop(self) -> bool:
        """Whether F11 stepped into the loop at the next statement and it has not ended."""
        return self._loop is not None

    @property
    def next_is_loop(self) -> bool:
        """Whether the next statement is a top-level ``for`` F11 can step into."""
        return not self.finished and self._next in self._loops

    # ---------------------------------------------------------------- compile
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
            self._parse_failure(source, exc)
            return
        policy = ScriptPolicy(self.guards.import_refusal)
        compiled = []
        flags = _future_flags(tree, policy)
        self._always = tuple(global_names(tree))
        for stmt in tree.body:
            where = ast.Module(body=[stmt], type_ignores=[])
            lines = (stmt.lineno, stmt.end_lineno or stmt.lineno)
            self._binds[stmt.lineno] = tuple(dict.fromkeys(   # (`a = 1; b = 2`: one line)
                self._binds.get(stmt.lineno, ()) + bound_names(stmt)))
            try:
                module = policy.visit(where)
            except RecursionError:
                policy.error(stmt, translate("ScriptError", "statement is too deeply nested"))
                continue
            if policy.refusals:
                continue
            try:
                compiled.append((lines, compile(module, SCRIPT_FILENAME, "exec", flags=flags,
                                                dont_inherit=True)))
            except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError) as exc:
                policy.error(stmt, translate("ScriptError", "cannot compile this statement: "
                                                            "{error}").format(error=str(exc)))
                continue
            try:
                parts = split_loop(module)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                parts = None   # F11 runs this loop whole
            if parts is not None:
                self._loops[len(compiled) - 1] = parts
        if policy.refusals:
            lineno, col, message = min(policy.refusals)
            self.result.error = ScriptError(message, lineno, col, self._line(lineno), "refused")
            return
        self._statements = compiled

    def _parse_failure(self, source, exc):
        """A parse error Python gave no line for (null byte, lone surrogate, nesting too deep
        for its parser): located in the source (gui/model/parse_errors.py)."""
        message, lineno, col = locate_parse_failure(source, exc)
        self.result.error = ScriptError(message, lineno, col, self._line(lineno), "syntax")

    def _script_frames(self, frames):
        """The script's own frames of a stack (anomaly mode's forward traceback), with their
        source lines: nothing of the app (its paths, the runner, the sandbox) reaches it."""
        return [traceback.FrameSummary(SCRIPT_FILENAME, f.lineno, f.name, lookup_line=False,
                                       line=self._line(f.lineno))
                for f in frames if f.filename == SCRIPT_FILENAME]

    def _line(self, lineno):
        if lineno and 0 < lineno <= len(self._lines):
            return self._lines[lineno - 1].strip()
        return ""

    # ---------------------------------------------------------------- run
    def step(self) -> StatementRecord | None:
        """Run the next top-level statement (or the rest of the loop F11 stepped into); None
        when there is nothing (more) to run."""
        if self.finished:
            return None
        if self._loop is not None:
            return self._rest_of_loop()
        index = self._next
        (lineno, end_lineno), code = self._statements[index]
        self._next += 1
        return self._execute(lambda: exec(code, self._globals), lineno, end_lineno)

    def step_into(self) -> StatementRecord | None:
        """Run one iteration of the top-level ``for`` or ``while`` loop at the next statement
        (its first one, or the next); when its iterator is used up (its condition is false) the
        loop runs its ``else`` (if any) and ends, and F11 goes on with the statement after it.
        Any other statement: ``step()``."""
        if self.finished:
            return None
        if self._loop is None and self._next not in self._loops:
            return self.step()
        index = self._loop.statement if self._loop is not None else self._next
        (lineno, end_lineno), _code = self._statements[index]
        parts = self._loops[index]
        count = self._loop.count if self._loop is not None else 0
        ran_else = []

        def one_iteration():
            if self._loop is None:
                iterator = None
                if parts.start is not None:      # a for loop (a while loop tests each time)
                    exec(parts.start, self._globals)
                    iterator = iter(self._globals.pop(ITERABLE))
                self._loop = _Loop(index, parts, iterator)
            ran_else.append(self._iteration(self._loop))
        try:
            return self._execute(one_iteration, lineno, end_lineno,
                                 part=lambda: "the loop's else" if any(ran_else) else
                                 f"iteration {count + 1}",
                                 mark=lambda: None if any(ran_else) else parts.body_lines)
        except _Exhausted:
            self._end_loop()
            return self.step_into()

    def _iteration(self, loop: _Loop) -> bool:
        """Run the loop body once; True when the iterator was used up and the loop's ``else``
        ran instead (`_Exhausted` when it has none). A ``break`` ends the loop."""
        try:
            if loop.parts.test is None:
                item = next(loop.iterator)
            else:
                exec(loop.parts.test, self._globals)
                if not self._globals.pop(TEST):
                    raise StopIteration
                item = None
        except StopIteration:
            if loop.parts.orelse is None:
                raise _Exhausted() from None
            self._end_loop()
            exec(loop.parts.orelse, self._globals)
            return True
        loop.count += 1
        self._globals[ITEM], self._globals[RAN] = (item,), False
        try:
            exec(loop.parts.iteration, self._globals)
        finally:
            self._globals.pop(ITEM, None)
            if not self._globals.pop(RAN, True) and self._loop is loop:   # break
                self._end_loop()
        return False

    def _end_loop(self) -> None:
        if self._loop is not None:
            self._loop = None
            self._next += 1

    def _rest_of_loop(self) -> StatementRecord:
        """F10 inside a loop stepped into: all its remaining iterations as one record."""
        loop = self._loop
        assert loop is not None
        (lineno, end_lineno), _code = self._statements[loop.statement]
        first = loop.count + 1

        def rest():
            while self._loop is loop:
                try:
                    self._iteration(loop)
                except _Exhausted:
                    self._end_loop()

        def part():
            done = loop.count
            return (f"iteration {first}" if done == first else
                    f"iterations {first} to {done}" if done > first else "the rest of the loop")
        return self._execute(rest, lineno, end_lineno, part=part)

    def _execute(self, run, lineno, end_lineno, part="", mark=None) -> StatementRecord:
        """Run ``run()`` (which execs the script's code) under the budget and the script's
        engine modes, and append the record of what it did."""
        index = self.statement_index
        sink = self.guards.sink
        first_part = len(sink.parts)
        error = None
        first_node = _next_sequence_nr(self.runner.engine)
        on_statement = getattr(self.runner, "on_statement", None)
        if on_statement is not None:   # gui/model/child.py: the line a crash report names
            on_statement(lineno)
        self._state.enter()
        self.limits.arm(max(self.runner.time_budget - self._used, 0.0))
        started = time.perf_counter()
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("default")
                try:
                    run()
                finally:
                    for w in caught:
                        if issubclass(w.category, RuntimeWarning) and \
                                w.filename != SCRIPT_FILENAME:
                            continue   # numpy's float warnings (log(0) is -inf): torch says none
                        sink.write(f"{w.category.__name__}: {w.message}\n")
        except _Exhausted:
            raise          # nothing ran: no record (see step_into)
        except BudgetExceeded as exc:
            error = self._error(exc, "budget", shown_text(exc) or str(exc), lineno)
        except AccessRefused as exc:
            error = self._error(exc, "refused", shown_text(exc) or str(exc), lineno)
        except BaseException as exc:  # noqa: BLE001 - the script's error, whatever it raised
            error = self._error(exc, "runtime", _describe(exc), lineno)
        finally:
            if self.limits.tripped is not None and (error is None or error.kind != "budget"):
                # the script caught the budget (or hid it behind another error): it still ends
                where = error if error is not None else None
                error = ScriptError(self.limits.tripped, where.lineno if where else lineno,
                                    where.col if where else None,
                                    where.source_line if where else self._line(lineno),
                                    "budget")
            self.limits.disarm()
            self.limits.scopes.clear()
            self._state.leave()
        tensors = self._snapshot(self._binds.get(lineno, ()) + self._always)
        self._used += time.perf_counter() - started   # the snapshot counts in the budget
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

    def _snapshot(self, names):
        """The tensors bound after a statement that may have bound ``names`` (read from its
        ast): only those are looked at, the rest is shared with the record before."""
        tensor_type = self.limits.tensor_type
        module_type = getattr(getattr(self.runner.engine, "nn", None), "Module", None)
        before, g = self._tensors, self._globals
        changes, removed = {}, set()
        labels, aliases = self.result.labels, self.result.aliases
        for name in names:
            if name.startswith("_"):
                continue
            value = g.get(name)
            if isinstance(value, tensor_type):
                if before.get(name) is not value:
                    changes[name] = value
                    labels[id(value)] = name
                    known = aliases.setdefault(id(value), [])
                    if name not in known:
                        known.append(name)
            elif name in before:
                removed.add(name)
            if module_type is not None and isinstance(value, module_type):
                self._modules[name] = None
            else:
                self._modules.pop(name, None)
        self._tensors = before.changed(changes, removed)
        self._label_parameters(labels)
        return self._tensors

    def _label_parameters(self, labels):
        """Give each parameter of a module the script named its dotted name (``model.0.weight``),
        unless the script bound the parameter to a name of its own."""
        module_type = getattr(getattr(self.runner.engine, "nn", None), "Module", None)
        if module_type is None:
            return
        for name in self._modules:
            value = self._globals.get(name)
            if isinstance(value, module_type):
                try:   # the script's own Module may override these: its code cannot run now
                    named = list(module_type.named_parameters(value))
                    paths = tuple(path for path, _ in module_type.named_modules(value) if path)
                except (Exception, BudgetExceeded):  # noqa: BLE001
                    continue
                for pname, param in named:
                    labels.setdefault(id(param), f"{name}.{pname}")
                self.result.modules[name] = (type(value).__name__, paths)

    def _source(self, lineno, end_lineno):
        return "\n".join(self._lines[lineno - 1:end_lineno])


def _describe(exc):
    """``"KeyError: 'x'"``; the script's own exception class may define ``__str__`` (or an
    engine error may show the script's object): if that fails, the class name alone."""
    name = type(exc).__name__
    if type(name) is not str:
        name = "Exception"
    shown = shown_text(exc)     # gradtrace's own TypeError...: shown again in another language
    if shown is not None:
        return translate("ScriptError", "{kind}: {message}").format(kind=name, message=shown)
    try:
        text = str(exc)
    except BaseException:  # noqa: BLE001 - a looping __str__ raises the budget here
        return f"{name}: (its message could not be shown)"
    return f"{name}: {text}" if type(text) is str else name


def _future_flags(tree, policy):
    """The compiler flags of the script's ``from __future__ import ...`` (each statement is
    compiled alone, so they are passed on to all); misplaced ones are refused as Python does."""
    flags, leading = 0, True
    for i, stmt in enumerate(tree.body):
        is_future = isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"
        docstring = i == 0 and isinstance(stmt, ast.Expr) and isinstance(
            getattr(stmt, "value", None), ast.Constant) and isinstance(stmt.value.value, str)
        if is_future and not leading:
            policy.error(stmt, "SyntaxError: from __future__ imports must occur at the "
                               "beginning of the file")
        elif is_future:
            for alias in stmt.names:
                feature = getattr(__future__, alias.name, None)
                if not isinstance(feature, __future__._Feature):
                    policy.error(stmt, f"SyntaxError: future feature {alias.name} is not defined")
                else:
                    flags |= feature.compiler_flag
        elif not docstring:
            leading = False
    return flags


class BackwardRecorder:
    """The script's ``Tensor.backward``, ``autograd.backward`` and ``autograd.grad``: each runs
    through ``iter_backward`` and lands in ``result.backward_calls`` as a ``BackwardCall``."""

    def __init__(self, session: ScriptSession):
        self._session = session
        self._autograd = session.runner.engine.autograd
        self._iter_backward = self._autograd.iter_backward

    def _record(self, kind, steps_iter, roots=(), retain_graph=None, create_graph=False,
                saved=None):
        from .graph import saved_snapshot
        session, steps = self._session, []
        printed = sum(len(part) for part in session.guards.sink.parts)
        # before the first step runs (the generator has not started): what every node saved
        if saved is None:
            saved = saved_snapshot(roots) if roots else {}
        retain = bool(create_graph if retain_graph is None else retain_graph)
        call = BackwardCall(session.statement_index, steps, kind, printed, saved, retain)
        for step in steps_iter:
            session.limits.check_time()
            steps.append(step.snapshot())  # the leaf's .grad as it was then, whatever comes later
        session.result.backward_calls.append(call)

    def tensor_backward(self, tensor: Any, gradient: Any = None, retain_graph: bool | None = None,
                        create_graph: bool = False, inputs: Any = None) -> None:
        """``tensor.backward(...)``."""
        self._record("backward", self._iter_backward(
            tensor, gradient, retain_graph, create_graph, inputs), [tensor], retain_graph,
            create_graph)

    def backward(self, tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Any = None) -> None:
        """``torch.autograd.backward(...)``."""
        self._record("backward", self._iter_backward(
            tensors, grad_tensors, retain_graph, create_graph, inputs),
            list(tensors) if isinstance(tensors, (list, tuple)) else [tensors], retain_graph,
            create_graph)

    def grad(self, outputs: Any, inputs: Any, grad_outputs: Any = None,
             retain_graph: bool | None = None, create_graph: bool = False,
             allow_unused: bool | None = None, materialize_grads: bool = False) -> Any:
        """``torch.autograd.grad(...)``: the engine's ``iter_grad``, its steps recorded on their
        way through; returns what ``grad`` returns (the generator's return value)."""
        check, steps = self._session.limits.check_time, []
        from .graph import saved_snapshot
        saved = saved_snapshot(list(outputs) if isinstance(outputs, (list, tuple)) else [outputs])
        running = self._autograd.iter_grad(outputs, inputs, grad_outputs, retain_graph,
                                           create_graph, allow_unused, materialize_grads)
        while True:
            try:
                step = next(running)
            except StopIteration as done:
                grads = done.value
                break
            check()
            steps.append(step)
        self._record("grad", steps, retain_graph=retain_graph, create_graph=create_graph,
                     saved=saved)
        return self._session.limits.result(grads)



class _EngineState:
    """The engine's global modes (grad mode, anomaly mode, default dtype and device): the
    script keeps its own across steps, and the app gets its own back after every step."""

    MODES = (("", "is_grad_enabled", "set_grad_enabled"),
             ("autograd", "is_anomaly_enabled", "set_detect_anomaly"),
             ("", "get_default_dtype", "set_default_dtype"),
             ("", "get_default_device", "set_default_device"))

    def __init__(self, engine, device, forward_frames=None):
        self.pairs = []
        for where, get, set_ in self.MODES:
            module = getattr(engine, where) if where else engine
            if hasattr(module, get) and hasattr(module, set_):
                self.pairs.append((getattr(module, get), getattr(module, set_)))
        self.script = [get() for get, _ in self.pairs]
        self.saved: list = []
        self.error = None
        # anomaly mode's forward tracebacks show the script's frames only (not the app's)
        anomaly = getattr(getattr(engine, "autograd", None), "anomaly_mode", None)
        slot = getattr(anomaly, "_forward_frames", None)
        if isinstance(slot, list) and forward_frames is not None:
            self.pairs.append((lambda: slot[0], lambda value: slot.__setitem__(0, value)))
            self.script.append(forward_frames)
        # the default random stream starts from SEED in every run, whatever ran before; with
        # get/set_rng_state the script keeps its own stream across steps, the app its own
        self._seed = getattr(engine, "manual_seed", None)
        get_rng, set_rng = (getattr(engine, "get_rng_state", None),
                            getattr(engine, "set_rng_state", None))
        if self._seed is not None and get_rng is not None and set_rng is not None:
            before = get_rng()
            self._seed(SEED)
            self.pairs.append((get_rng, set_rng))
            self.script.append(get_rng())
            set_rng(before)
            self._seed = None
        setter = getattr(engine, "set_default_device", None)
        if device is None or setter is None:
            return
        before = engine.get_default_device()
        try:
            setter(device)
            self.script = [get() for get, _ in self.pairs]
        except Exception as exc:  # noqa: BLE001 - e.g. no GPU
            self.error = translate("ScriptError", "device {device} is not available: {error}"
                                   ).format(device=repr(device), error=str(exc))
        finally:
            setter(before)

    def enter(self):
        self.saved = [get() for get, _ in self.pairs]
        for (_, set_), value in zip(self.pairs, self.script):
            set_(value)
        if self._seed is not None:   # an engine without get/set_rng_state: seeded once
            self._seed(SEED)
            self._seed = None

    def leave(self):
        self.script = [get() for get, _ in self.pairs]
        for (_, set_), value in zip(self.pairs, self.saved):
            set_(value)

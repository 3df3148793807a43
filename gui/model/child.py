"""Every script runs in a child process: the wall behind the sandbox's own checks.

The app (its Qt process) never runs a script and never imports torch: a child process runs the
script on either engine, builds its graph and its `Recording`, sends the recording back and
keeps the live run (its tensors, an F10 session) for "Run backward from here" and the next step.
What the child does can neither hang, crash nor outgrow the app:

- the parent kills it at the **wall-time budget** of each command (`RunLimits.time_budget` plus
  `GRACE`, counting the script, graph building and recording), after asking faulthandler
  (SIGUSR1) where the script was, so the error names the line;
- the operating system caps it: ``RLIMIT_AS`` (the address space the run may add, the memory
  cap; a device run, whose CUDA/CuPy reserve huge virtual ranges, is watched by its resident
  size instead) and ``RLIMIT_CPU``; a MemoryError is the script's error with its line;
- a child that dies (SIGSEGV from deep C recursion, ``os.abort()``, the OOM killer) is reported
  as the script's error, its line from faulthandler's dump of the crash (else the statement the
  child published in shared memory before running it); the app and its document stay as they
  were;
- Cancel (``check_cancel`` raising) kills it at once.

Children are forked from a ``forkserver`` that has imported the engine and the model layer
(safe from a process with threads, as the Qt app is), and one **warm spare** waits, engine
modules imported (torch too once the PyTorch engine was used), so F5 costs no start-up.

Messages from the child are unpickled by `_SafeUnpickler`, which admits only builtins, numpy
arrays and scalars, the recording's classes and what a caller allows: a PyTorch-engine script
is not sandboxed and could write to the pipe. Messages to the child are the app's own.

See docs/ARCHITECTURE.md (gui/model/child.py in the table of gui/model/).
"""
from __future__ import annotations

import atexit
import contextlib
import dataclasses
import gc
import importlib
import io
import multiprocessing
import multiprocessing.connection
import multiprocessing.spawn
import os
import pickle
import re
import signal
import tempfile
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .graph import collector_paused
from .i18n import translate

__all__ = ["RunLimits", "ChildRun", "ChildSession", "ChildError", "run_script", "start_script",
           "call", "warm_up", "shutdown", "default_memory_cap", "GRACE"]

#: seconds past the time budget before the parent kills a command: the in-process check of
#: the budget reports first (with a partial result) when it can
GRACE = 1.0
#: how often the waiting parent looks at cancel, the deadline and a device run's memory
POLL = 0.05
#: the most seconds a child may take to start (import its engine) before its first command
STARTUP = 120.0

_GiB = 1 << 30


def default_memory_cap() -> int:
    """Half of the machine's RAM, in bytes (4 GiB where it cannot be read)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")) // 2
    except (ValueError, OSError, AttributeError):
        return 4 * _GiB


@dataclass(frozen=True)
class RunLimits:
    """The limits of each command run in a child (a run, a step, a backward from a node).

    ``time_budget``: wall seconds for everything one command does (the script, its graph and
    recording); ``memory_cap``: bytes the run may add to the child's address space (None: the
    default, half the RAM; 0: no cap); ``max_elements``: the gradtrace runner's element limit.
    """

    time_budget: float = 10.0
    memory_cap: int | None = None
    max_elements: int = 50_000_000

    @property
    def cap(self) -> int:
        """The memory cap in bytes (0: none)."""
        return default_memory_cap() if self.memory_cap is None else int(self.memory_cap)


def format_bytes(n: int) -> str:
    """``12 GiB``, ``1.5 GiB``, ``512 MiB``."""
    if n >= _GiB:
        value, unit = n / _GiB, "GiB"
    else:
        value, unit = n / (1 << 20), "MiB"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text} {unit}"


class ChildError(RuntimeError):
    """`call` failed: the function raised in the child (``traceback``: its text), or the child
    died or ran past its limits (``error``: the ScriptError saying so)."""

    def __init__(self, message: str, traceback_text: str = "", error: Any = None):
        super().__init__(message)
        self.traceback = traceback_text
        self.error = error


# -- the wire ------------------------------------------------------------------------------

_NUMPY = {("numpy", "dtype"), ("numpy", "ndarray"),
          ("numpy._core.numeric", "_frombuffer"), ("numpy.core.numeric", "_frombuffer"),
          ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "_reconstruct"),
          ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar")}
_BUILTINS = {"str", "int", "float", "bool", "bytes", "tuple", "list", "dict", "complex", "set",
             "frozenset", "slice", "range", "bytearray"}
_MODEL_CLASSES = {("gradtrace.gui.model.recording", name) for name in (
    "Recording", "StatementRecording", "CallRecording", "StepRecording", "ValueStats")} | {
    ("gradtrace.gui.model.runner", "ScriptError"), ("gradtrace.gui.model.i18n", "Text"),
    # the recording's graph as networkx keeps it (its dicts of plain data, rebuilt as they are,
    # sent in pieces: _reduce_graph)
    ("networkx.classes.digraph", "DiGraph"), (__name__, "_piece"), (__name__, "_joined")}


class _SafeUnpickler(pickle.Unpickler):
    """Unpickles only plain data: builtins, numpy arrays and scalars, the recording's
    classes, and the classes in ``allowed``; anything else is an UnpicklingError."""

    def __init__(self, file: Any, allowed: tuple = ()):
        super().__init__(file)
        self.allow(allowed)

    def allow(self, allowed: tuple) -> None:
        self._allowed = {(c.__module__, c.__qualname__) for c in allowed}

    def find_class(self, module: str, name: str) -> Any:
        key = (module, name)
        if module == "builtins" and name in _BUILTINS or key in _NUMPY or \
                key in _MODEL_CLASSES or key in self._allowed:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"the run's process sent a {module}.{name}: refused")


# Every message of the child goes through one pickler (`_Sender`) and the parent's one
# unpickler (`_Receiver`), whose memos last from message to message: the recording's graph,
# sent ahead of its steps, and the steps share their arrays as in the child. A message is one
# header byte and a pickle: RESET (both memos emptied first: a new command, or after a failed
# message) or GO_ON (the memos as the last message left them).
RESET, GO_ON = b"0", b"="


class _Sender:
    """The child's side of the wire: `message` pickles one message (header + pickle)."""

    def __init__(self):
        import copyreg

        import networkx as nx
        self._buffer = io.BytesIO()
        self._pickler = pickle.Pickler(self._buffer, protocol=5)
        self._pickler.dispatch_table = {**copyreg.dispatch_table, nx.DiGraph: _reduce_graph}
        self._reset = True

    def reset(self) -> None:
        """The next message starts both memos afresh (a new command: what the last sent
        need not be kept alive on either side)."""
        self._pickler.clear_memo()
        self._reset = True

    def message(self, obj: Any) -> bytes:
        header = RESET if self._reset else GO_ON
        try:
            with collector_paused():
                self._pickler.dump(obj)
            self._reset = False
            return header + self._buffer.getvalue()
        except BaseException:
            self.reset()   # its memo may hold what was never sent
            raise
        finally:
            self._buffer.seek(0)
            self._buffer.truncate()


# what a DiGraph sent from the child consists of: its dicts as networkx keeps them (no cached
# views), rebuilt as they are in the parent (no add_nodes_from/add_edges_from to run again)
_GRAPH_STATE = ("graph", "_node", "_adj", "_succ", "_pred")


# entries of a graph's node or adjacency dict per piece sent: the parent unpickles a piece in
# one C call of a few milliseconds that holds the GIL, and between two pieces (`_piece`, a
# Python call) the GUI thread can take it (the whole graph in one piece held it 26-33 ms at
# 20,000 nodes, 65-87 ms at 50,000; pieces of 4,000: 8-9 ms). Smaller pieces hand the GIL over
# more often for nothing: with a busy GUI thread, pieces of 1,000 made the job's unpickling
# half again as long. (No "#:" here: lupdate would take it as a note.)
GRAPH_PIECE = 4000


class _Pieces:
    """A big dict of a graph, pickled as pieces joined again by the parent (`_joined`)."""

    __slots__ = ("parts",)

    def __init__(self, whole: dict):
        items = list(whole.items())
        self.parts = [_Piece(dict(items[k:k + GRAPH_PIECE]))
                      for k in range(0, len(items), GRAPH_PIECE)]

    def __reduce__(self):
        return _joined, tuple(self.parts)


class _Piece:
    __slots__ = ("part",)

    def __init__(self, part: dict):
        self.part = part

    def __reduce__(self):
        return _piece, (self.part,)


def _piece(part: dict) -> dict:
    """One piece of a graph's dict, as it arrives (a Python call between two pieces)."""
    return part


def _joined(*parts: dict) -> dict:
    """The dict a graph was sent as in pieces; a piece that is no dict is refused."""
    whole: dict = {}
    for part in parts:
        if type(part) is not dict:
            raise pickle.UnpicklingError("a graph's piece that is no dict: refused")
        whole.update(part)
    return whole


def _reduce_graph(graph):
    state = vars(graph)
    adj = _Pieces(state["_adj"])   # one object: _succ is _adj, as networkx keeps them
    return type(graph), (), {"graph": state["graph"], "_node": _Pieces(state["_node"]),
                             "_adj": adj, "_succ": adj, "_pred": _Pieces(state["_pred"])}


def _checked_graph(graph):
    """``graph`` when it is a DiGraph made of dicts only as `_reduce_graph` sends it, else
    ValueError (a forged message)."""
    import networkx as nx
    state = vars(graph) if type(graph) is nx.DiGraph else {}
    if set(state) - {*_GRAPH_STATE, "__networkx_cache__"} or not all(
            type(state.get(key)) is dict for key in _GRAPH_STATE) or \
            state["_adj"] is not state["_succ"] or \
            any(type(v) is not dict for part in ("_node", "_adj", "_pred")
                for v in state[part].values()):
        raise ValueError(f"a {type(graph).__name__} that is no graph of a recording")
    return graph


class _Receiver:
    """The parent's side: `message` unpickles one message from the child, refusing what is
    not plain data (`_SafeUnpickler`)."""

    def __init__(self):
        self._buffer = io.BytesIO()
        self._unpickler = _SafeUnpickler(self._buffer)

    def message(self, data: bytes, allowed: tuple = ()) -> Any:
        header, body = data[:1], memoryview(data)[1:]
        if header == RESET:   # a new unpickler: its memo empty (CPython 3.11 crashes on
            self._unpickler = _SafeUnpickler(self._buffer)   # `memo = {}` before a load)
        elif header != GO_ON:
            raise pickle.UnpicklingError("the run's process sent something not framed as a "
                                         "message: refused")
        self._buffer.seek(0)
        self._buffer.truncate()
        self._buffer.write(body)
        self._buffer.seek(0)
        self._unpickler.allow(allowed)
        # a recording is a million small objects: the cyclic collector, let run, would walk
        # the whole process (the app's objects too) many times over while they are made
        with collector_paused():
            return self._unpickler.load()


# -- the child's side ----------------------------------------------------------------------

_PRELOAD = ["gradtrace.core", "gradtrace.gui.model.runner", "gradtrace.gui.model.graph",
            "gradtrace.gui.model.recording", "gradtrace.gui.model.child"]
_TORCH_MODULES = ["torch", "gradtrace.gui.model.torch_runner"]

_MEMORY_TEXTS = ("MemoryError", "can't allocate memory", "out of memory")


def _vm_size() -> int:
    """This process's address space in bytes (0 where /proc cannot tell)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _rss_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _ChildState:
    """What one child keeps between commands: the live run (result, its graph index, the
    recording's graph) or the F10 session, and the limits it applies."""

    def __init__(self, conn, line, sender=None):
        self.conn = conn
        self.line = line
        self.sender = sender or _Sender()
        self.result = None
        self.index = None
        self.graph = None
        self.session = None
        self.runner = None
        self.limits = RunLimits()
        self.device = None
        self.include_saved = True
        self._vm_base = 0
        self._paused = False

    def pause_collector(self) -> None:
        """Pause the cyclic garbage collector until `resume_collector` (after the reply)."""
        if gc.isenabled():
            gc.disable()
            self._paused = True

    def resume_collector(self) -> None:
        """What the command made is the live run, kept until the child ends: out of the
        collector's sight (``gc.freeze``) before it resumes, so no collection walks it all."""
        if self._paused:
            gc.freeze()
            gc.enable()
            self._paused = False

    # the commands -------------------------------------------------------------------
    def progress(self, phase: str) -> None:
        self.send(("progress", phase))

    def send(self, message) -> None:
        self.conn.send_bytes(self.sender.message(message))

    def publish(self, lineno: int) -> None:
        self.line.value = int(lineno or 0)

    def apply_limits(self, limits: RunLimits, device) -> None:
        """The OS's caps for the command that starts now: the address space the run may add
        (not for a device run: the parent watches its RSS) and the CPU seconds it may use."""
        self.limits, self.device = limits, device
        try:
            import resource
        except ImportError:   # not POSIX: only the parent's wall budget and kill
            return
        if limits.cap and not device:
            if not self._vm_base:
                self._vm_base = _vm_size()
            if self._vm_base:
                _, hard = resource.getrlimit(resource.RLIMIT_AS)
                soft = self._vm_base + limits.cap
                if hard != resource.RLIM_INFINITY:
                    soft = min(soft, hard)
                resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = usage.ru_utime + usage.ru_stime
        cpu = int(used + (limits.time_budget + 5) * max(1, os.cpu_count() or 1)) + 1
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard != resource.RLIM_INFINITY:
            cpu = min(cpu, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))

    def make_runner(self, engine: str, device):
        limits = self.limits
        if engine == "torch":
            from .torch_runner import TorchScriptRunner
            runner: Any = TorchScriptRunner(time_budget=limits.time_budget, device=device)
        elif engine == "gradtrace":
            from .runner import ScriptRunner
            # the memory cap is one setting: the runner's own check of the process's growth
            # (the first line: it names the statement) and RLIMIT_AS behind it (0: neither)
            runner = ScriptRunner(time_budget=limits.time_budget,
                                  max_elements=limits.max_elements, device=device,
                                  max_memory=limits.cap)
        else:
            raise ValueError(f"engine must be gradtrace or torch, not {engine!r}")
        runner.on_statement = self.publish
        return runner

    def memory_error(self, error):
        """A MemoryError (or an allocator's refusal) of the script under the cap: the
        script's error saying which limit stopped it."""
        if error is None or not any(t in str(error.message) for t in _MEMORY_TEXTS):
            return error
        return dataclasses.replace(error, kind="budget", message=_memory_message(
            self.limits.cap, error.message))

    def finish(self, result, first: int = 0):
        """Graph and recording of ``result``; the live run kept for backward_from."""
        from .graph import build_graph, graph_index
        from .recording import record
        result.error = self.memory_error(result.error)
        for i, st in enumerate(result.statements):
            if st.error is not None and st.error is not result.error:
                fixed = self.memory_error(st.error)
                if fixed is not st.error:
                    result.statements[i] = dataclasses.replace(st, error=fixed)
        self.progress("building the graph")
        # from here to the reply sent the collector waits (`_child_main` resumes it): the
        # graph, the recording and its pickle are many objects and no garbage
        self.pause_collector()
        graph = build_graph(result, include_saved=self.include_saved)
        self.progress("recording the run")

        def send_graph(plain):   # ahead of the steps: the parent lays it out meanwhile
            self.send(("graph", plain))
        index = graph_index(graph)
        rec = record(result, graph=graph, device=self.device, graph_ready=send_graph,
                     own_graph=True)
        self.result, self.index, self.graph = result, index, rec.graph
        session = self.session
        state = None if session is None else {
            "finished": bool(session.finished), "in_loop": bool(session.in_loop),
            "statement_count": len(result.statements)}
        return ("recording", dataclasses.replace(rec, graph=None), first, state)

    def run(self, source, engine, device, limits, include_saved):
        self.apply_limits(limits, device)
        self.include_saved = include_saved
        self.progress("running the script")
        runner = self.make_runner(engine, device)
        return self.finish(runner.run(source))

    def start(self, source, engine, device, limits, include_saved):
        self.apply_limits(limits, device)
        self.include_saved = include_saved
        self.session = self.make_runner(engine, device).start(source)
        return ("started", {"finished": bool(self.session.finished),
                            "in_loop": bool(self.session.in_loop), "statement_count": 0})

    def step(self, how):
        session = self.session
        self.apply_limits(self.limits, self.device)
        self.progress("running the next statement" if how in ("over", "into") else "running")
        first = len(session.result.statements)
        if how == "into":
            session.step_into()
        elif how == "over" or (how == "out" and session.in_loop):
            session.step()
        elif how in ("out", "continue"):
            while session.step() is not None:
                pass
        else:
            raise ValueError(f"step: how must be over, into, out or continue, not {how!r}")
        return self.finish(session.result, first)

    def backward(self, node_id):
        if self.result is None:
            return ("raise", "RuntimeError", "the run has no tensors to run backward from")
        self.apply_limits(self.limits, self.device)
        call = getattr(self.result, "call_in_budget", None)
        try:
            if call is not None:
                recorded = call(backward_from, self.result, self.index, self.graph, node_id)
            else:
                recorded = backward_from(self.result, self.index, self.graph, node_id)
        except KeyError as exc:
            return ("raise", "KeyError", exc.args[0] if exc.args else str(exc))
        except MemoryError:
            return ("raise", "RuntimeError", _memory_message(self.limits.cap, "MemoryError"))
        except Exception as exc:  # noqa: BLE001 - the script's (or PyTorch's) error, told
            message = exc.args[0] if isinstance(exc, RuntimeError) and exc.args else \
                f"{type(exc).__name__}: {exc}"
            return ("raise", "RuntimeError", str(message))
        return ("call", recorded)

    def call(self, target, args, kwargs, limits, device):
        self.apply_limits(limits, device)
        module, _, name = target.partition(":")
        func = getattr(importlib.import_module(module), name)
        try:
            return ("value", func(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed back as ChildError
            return ("raise", "ChildError", f"{type(exc).__name__}: {exc}",
                    traceback.format_exc())


def backward_from(result: Any, index: Any, graph: Any, node_id: str) -> Any:
    """Run backward from tensor ``node_id`` of a live run and record it (a `CallRecording`):
    through the torch runner's hooks for a PyTorch-engine run, else gradtrace's
    ``iter_backward``. ``graph`` is the recording's graph. KeyError for a node that is no
    tensor."""
    from .graph import is_tensor
    from .recording import CallRecording, record_backward, record_steps
    run_again = getattr(result, "backward_from", None)   # the torch runner's hooks
    if run_again is None:
        return record_backward(node_id, index, graph)
    tensor = index.objects.get(node_id) if index is not None else None
    if not is_tensor(tensor):
        raise KeyError(f"no tensor node {node_id!r} in the graph")
    return CallRecording(None, "backward", record_steps(run_again(tensor), index, graph),
                         retain_graph=True)


def _pdeathsig() -> None:
    """Linux: SIGKILL this process when its parent (the forkserver, which ends with the app)
    goes."""
    with contextlib.suppress(Exception):
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG


def _child_main(conn, line, fault_path: str, engine: str) -> None:
    """The child: faulthandler on (crashes, and SIGUSR1 from a parent about to kill it, dump
    the stack into ``fault_path``), the engine's modules imported, then one command at a time
    until the pipe closes."""
    import faulthandler
    _pdeathsig()
    fault = open(fault_path, "w")   # noqa: SIM115 - open for the process's life
    faulthandler.enable(file=fault, all_threads=True)
    if hasattr(faulthandler, "register"):
        faulthandler.register(signal.SIGUSR1, file=fault, all_threads=True)
    # what the forkserver preloaded is here already; what it could not (or torch, which only
    # a spare for the PyTorch engine imports) is imported before the first command's clock
    for module in _PRELOAD + (_TORCH_MODULES if engine == "torch" else []):
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    gc.freeze()   # the modules stay: the script's collections need not walk them
    state = _ChildState(conn, line)
    state.send(("ready",))   # the parent's clock for the first command starts now
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        kind, args = message[0], message[1:]
        if kind == "exit":
            return
        state.sender.reset()
        try:
            reply = getattr(state, kind)(*args)
        except MemoryError:
            reply = ("raise", "ChildError", _memory_message(state.limits.cap, "MemoryError"), "")
        except BaseException as exc:  # noqa: BLE001 - the app's own error in the child
            reply = ("raise", "ChildError", f"{type(exc).__name__}: {exc}", traceback.format_exc())
        state.publish(0)
        try:
            state.send(reply)
        except MemoryError:
            state.send(("raise", "ChildError", _memory_message(state.limits.cap, "MemoryError"),
                        ""))
        state.resume_collector()


# -- the parent's side ---------------------------------------------------------------------

def _memory_message(cap: int, what: str = "") -> str:
    if cap:
        return translate("Child", "the script ran out of memory (limit {cap}; Run > Limits… "
                         "sets it)").format(cap=format_bytes(cap))
    return translate("Child", "the script ran out of memory ({what})").format(what=what)


def _time_message(budget: float) -> str:
    return translate("Child", "the run took longer than its time budget of {budget} s (the "
                     "script, its graph and recording together) and was stopped; Run > Limits… "
                     "sets the budget").format(budget=f"{budget:g}")


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:   # noqa: N802 - lupdate's marker name
    """Marks ``text`` for translation in ``context`` (translated when shown)."""
    return text


_FAULT = QT_TRANSLATE_NOOP("Child", "deep recursion in a C function, or a fault in a native "
                           "library")
_NATIVE = QT_TRANSLATE_NOOP("Child", "a fault in a native library")
_CRASH_REASONS = {
    "SIGSEGV": _FAULT, "SIGBUS": _FAULT, "SIGILL": _NATIVE, "SIGFPE": _NATIVE,
    "SIGABRT": QT_TRANSLATE_NOOP("Child", "the process aborted (os.abort(), or a failed check "
                                 "in a native library)"),
}


def _crash_message(exitcode: int | None, fault: str, cap: int) -> str:
    """Why the child died, for the script's error."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
    else:
        name = ""
    header = next((ln.strip() for ln in fault.splitlines() if ln.startswith("Fatal Python error")),
                  "")
    if name == "SIGKILL":
        return translate("Child", "the script's process was killed by the system, most likely "
                         "for using too much memory (limit {cap}; Run > Limits… sets it)").format(
            cap=format_bytes(cap) if cap else translate("Child", "none"))
    if name == "SIGXCPU":
        return translate("Child", "the script used up the CPU time its process may use")
    if name in _CRASH_REASONS:
        reason = translate("Child", _CRASH_REASONS[name])
        detail = f" ({header})" if header else f" ({name})"
        return translate("Child", "the script crashed the Python interpreter: {reason}").format(
            reason=reason) + detail
    if name:
        return translate("Child", "the script's process died of {signal}").format(signal=name)
    return translate("Child", "the script's process ended without an answer (exit code "
                     "{code})").format(code=exitcode)


_SCRIPT_FRAME = re.compile(r'File "<script>", line (\d+)')


def _fault_line(text: str) -> int | None:
    """The innermost line of the script in a faulthandler dump (the current thread's first)."""
    for block in re.split(r"\n(?=(?:Current thread|Thread) 0x)", text):
        if block.lstrip().startswith("Current thread") or "Current thread" in block[:40]:
            hit = _SCRIPT_FRAME.search(block)
            if hit:
                return int(hit.group(1))
    hit = _SCRIPT_FRAME.search(text)
    return int(hit.group(1)) if hit else None


class _Stopped(Exception):
    """The child was killed or died during a command; ``error`` is the ScriptError."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


_LIVE: weakref.WeakSet = weakref.WeakSet()
_START_LOCK = threading.Lock()


class _Child:
    """One child process and its pipe."""

    def __init__(self, ctx, engine: str):
        self.engine = engine
        fd, self.fault_path = tempfile.mkstemp(prefix="gradtrace-child-", suffix=".txt")
        os.close(fd)
        self.line = ctx.RawValue("i", 0)
        self.conn, child_conn = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_child_main, name="gradtrace-run",
                                   args=(child_conn, self.line, self.fault_path, engine),
                                   daemon=True)
        with _START_LOCK:
            prepare = multiprocessing.spawn.get_preparation_data

            def without_main(name):
                # the child must not import the app's __main__ (a console script's, which
                # would bring Qt into every child): it needs only this module
                data = prepare(name)
                data.pop("init_main_from_path", None)
                data.pop("init_main_from_name", None)
                return data
            multiprocessing.spawn.get_preparation_data = without_main
            try:
                self.process.start()
            finally:
                multiprocessing.spawn.get_preparation_data = prepare
        child_conn.close()
        self.receiver = _Receiver()
        self.graph: Any = None   # the last recording's graph, sent ahead of its reply
        self.source = ""
        self.busy = False
        self.ready = False
        self._cap = 0
        self._finalizer = weakref.finalize(self, _Child._end, self.process, self.conn,
                                           self.fault_path)
        _LIVE.add(self)

    @staticmethod
    def _end(process, conn, fault_path) -> None:
        with contextlib.suppress(Exception):
            if process.is_alive():
                process.kill()
            process.join(2)
        with contextlib.suppress(Exception):
            conn.close()
        with contextlib.suppress(OSError):
            os.unlink(fault_path)

    @property
    def alive(self) -> bool:
        return self._finalizer.alive and self.process.is_alive()

    def close(self, wait: bool = True) -> None:
        """End the process (killed if alive), close its pipe, remove its fault file. Without
        ``wait`` only the kill happens here and the rest in a thread of its own: waiting for
        a big process to be gone takes the kernel 10-30 ms (a GUI thread would be blocked)."""
        if wait:
            self._finalizer()
            return
        ended = self._finalizer.detach()   # (the child is no longer `alive` from here)
        if ended is None:
            return
        with contextlib.suppress(Exception):
            self.process.kill()
        threading.Thread(target=_Child._end, args=ended[2], name="gradtrace-child-end",
                         daemon=True).start()

    def _fault_text(self, offset: int = 0) -> str:
        try:
            with open(self.fault_path, errors="replace") as fh:
                fh.seek(offset)
                return fh.read(200_000)
        except OSError:
            return ""

    def _fault_size(self) -> int:
        try:
            return os.path.getsize(self.fault_path)
        except OSError:
            return 0

    def _script_error(self, message: str, lineno: int | None, kind: str = "crash"):
        from .runner import ScriptError
        lines = self.source.splitlines()
        code = lines[lineno - 1].strip() if lineno and 0 < lineno <= len(lines) else ""
        return ScriptError(message, lineno or None, None, code, kind)

    def request(self, message: tuple, limits: RunLimits, *, device=None, report=None,
                check_cancel=None, allowed: tuple = (), on_graph=None) -> tuple:
        """Send one command and wait for its reply, under the wall budget (and, for a device
        run, the memory cap by RSS); progress goes to ``report``, a recording's graph (sent
        ahead of its steps) to ``on_graph`` and `graph`. Raises `_Stopped` when the child was
        killed or died, or what ``check_cancel`` raised (the child killed)."""
        if not self.alive:
            raise _Stopped(self._script_error(translate(
                "Child", "the run's process has ended: run the script again (F5)"), None))
        self.busy = True
        self.graph = None
        try:
            self.wait_ready(check_cancel)
            self.conn.send(message)
            return self._wait(limits, device, report, check_cancel, allowed, on_graph)
        finally:
            self.busy = False

    def wait_ready(self, check_cancel=None, timeout: float = STARTUP) -> None:
        """Wait until the child has imported its engine (its "ready"): a command's budget
        starts after that. Raises `_Stopped` for a child that dies or never gets ready."""
        end = time.monotonic() + timeout
        while not self.ready:
            try:
                ready = multiprocessing.connection.wait([self.conn, self.process.sentinel],
                                                        POLL)
            except OSError:
                ready = [self.process.sentinel]
            if self.conn in ready:
                try:
                    reply = self.receiver.message(self.conn.recv_bytes())
                except Exception:  # noqa: BLE001 - dead or garbled before its first command
                    reply = None
                if reply == ("ready",):
                    self.ready = True
                    return
            self._check_alive(ready, check_cancel)
            if time.monotonic() > end:
                self.close()
                raise _Stopped(self._script_error(translate(
                    "Child", "the run's process did not start within {seconds} s").format(
                    seconds=int(timeout)), None))

    def _wait(self, limits, device, report, check_cancel, allowed, on_graph=None):
        deadline = time.monotonic() + limits.time_budget + GRACE
        rss_cap = limits.cap if device else 0
        rss_base = _rss_of(self.process.pid) if rss_cap else 0
        while True:
            try:
                ready = multiprocessing.connection.wait([self.conn, self.process.sentinel],
                                                        POLL)
            except OSError:
                ready = [self.process.sentinel]
            if self.conn in ready:
                try:
                    data = self.conn.recv_bytes()
                except (EOFError, OSError):
                    data = None
                if data is not None:
                    try:
                        reply = self.receiver.message(data, allowed)
                    except Exception as exc:  # noqa: BLE001 - a forged or damaged message
                        self.close()
                        raise _Stopped(self._script_error(translate(
                            "Child", "the run's process sent something that is not a result "
                            "({error}); it was stopped").format(error=exc), None)) from None
                    if isinstance(reply, tuple) and reply and reply[0] == "progress":
                        if report is not None and len(reply) > 1:
                            report(translate("Pipeline", str(reply[1])))
                        continue
                    if isinstance(reply, tuple) and len(reply) == 2 and reply[0] == "graph":
                        self._graph_arrived(reply, on_graph)
                        continue
                    return reply
            self._check_alive(ready, check_cancel)
            now = time.monotonic()
            if now > deadline:
                self._kill_at(_time_message(limits.time_budget))
            if rss_cap and _rss_of(self.process.pid) - rss_base > rss_cap:
                self._kill_at(_memory_message(rss_cap), "budget")

    def _graph_arrived(self, message, on_graph) -> None:
        """The recording's graph, sent ahead of its steps: kept for the reply (`graph`) and
        handed to ``on_graph`` (the pipeline lays it out while the child records the steps);
        what ``on_graph`` raises (a cancel) ends the child."""
        try:
            self.graph = _checked_graph(message[1])
        except ValueError as exc:   # a forged message
            self.close()
            raise _Stopped(self._script_error(translate(
                "Child", "the run's process sent something that is not a result "
                "({error}); it was stopped").format(error=exc), None)) from None
        if on_graph is not None:
            try:
                on_graph(self.graph)
            except BaseException:
                self.close()
                raise

    def _check_alive(self, ready, check_cancel) -> None:
        """Between two polls: a child that has ended is reported (`_died` raises), and a
        cancelled command ends the child before the cancellation goes on up."""
        if self.process.sentinel in ready or not self.process.is_alive():
            self.process.join(1)
            self._died()
        if check_cancel is not None:
            try:
                check_cancel()
            except BaseException:
                self.close()
                raise

    def _died(self) -> None:
        time.sleep(0.02)   # faulthandler's last bytes
        fault = self._fault_text()
        lineno = _fault_line(fault) or self.line.value or None
        code = self.process.exitcode
        self.close()
        raise _Stopped(self._script_error(_crash_message(code, fault, self._cap), lineno))

    def _kill_at(self, message: str, kind: str = "budget") -> None:
        """Ask faulthandler where the script is (SIGUSR1), then kill the child."""
        offset = self._fault_size()
        lineno = None
        with contextlib.suppress(OSError):
            os.kill(self.process.pid, signal.SIGUSR1)
            end = time.monotonic() + 0.3
            while time.monotonic() < end and self._fault_size() == offset:
                time.sleep(0.01)
            time.sleep(0.02)
            lineno = _fault_line(self._fault_text(offset))
        lineno = lineno or self.line.value or None
        self.close()
        raise _Stopped(self._script_error(message, lineno, kind))


class _Pool:
    """The forkserver context and the one warm spare child."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ctx = None
        self._spare: _Child | None = None
        self.engine = "gradtrace"

    def _context(self):
        if self._ctx is None:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() \
                else "spawn"
            ctx = multiprocessing.get_context(method)
            if method == "forkserver":
                ctx.set_forkserver_preload(list(_PRELOAD))
            self._ctx = ctx
        return self._ctx

    def take(self, engine: str) -> _Child:
        """A started child (the spare when it is ready for ``engine``'s modules)."""
        with self._lock:
            spare, self._spare = self._spare, None
            self.engine = engine
            ctx = self._context()
        if spare is not None and spare.alive and spare.engine == engine:
            return spare
        if spare is not None:
            spare.close()
        return _Child(ctx, engine)

    def refill(self) -> None:
        """Start the next spare (after a command, so it never competes with a run)."""
        with self._lock:
            if self._spare is not None and self._spare.alive:
                return
            self._spare = _Child(self._context(), self.engine)

    def warm_up(self, engine: str, wait: bool = False) -> None:
        with self._lock:
            self.engine = engine
            spare = self._spare
        if spare is not None and spare.alive and spare.engine != engine and engine == "torch":
            spare.close()
            with self._lock:
                self._spare = None
        self.refill()
        spare = self._spare
        if wait and spare is not None:
            with contextlib.suppress(_Stopped):
                spare.wait_ready()

    def shutdown(self) -> None:
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is not None:
            spare.close()
        for child in list(_LIVE):
            child.close()


_POOL = _Pool()
atexit.register(_POOL.shutdown)


def warm_up(engine: str = "gradtrace", background: bool = True) -> None:
    """Start the warm spare now (the window does at start; in a thread of its own unless not
    ``background``): a run then costs no start-up."""
    if background:
        threading.Thread(target=_POOL.warm_up, args=(engine,), name="gradtrace-warm-up",
                         daemon=True).start()
    else:
        _POOL.warm_up(engine, wait=True)


def shutdown() -> None:
    """Kill the spare and every child (the app's exit does it too)."""
    _POOL.shutdown()


def _empty_recording(source: str, engine: str, error):
    import networkx as nx

    from .recording import Recording
    return Recording(engine, source, [], [], nx.DiGraph(), "", error, {})


class ChildRun:
    """What one command in a child made: ``recording`` (also when it failed: the error is
    ``recording.error``), ``ran`` (the statements this command ran) and, while the child
    lives, ``backward_from`` on its tensors."""

    def __init__(self, child: _Child | None, recording, first: int = 0, stopped: bool = False):
        self._child = child
        self.recording = recording
        self.ran = list(recording.statements[first:])
        #: True when the process boundary stopped the command (crash, kill at a limit):
        #: the recording then holds no run, only the error
        self.stopped = stopped
        self.limits = RunLimits()
        self.device = None

    @property
    def error(self) -> Any:
        return self.recording.error

    @property
    def alive(self) -> bool:
        return self._child is not None and self._child.alive

    @property
    def child(self) -> Any:
        return self._child

    def backward_from(self, node_id: str, report: Callable[[str], None] | None = None,
                      check_cancel: Callable[[], None] | None = None) -> Any:
        """Run backward from tensor ``node_id`` in the child and record it. RuntimeError for
        the script's error (with its line), the budget, or a child that is gone; KeyError for
        a node that is no tensor."""
        if self._child is None or not self._child.alive:
            raise RuntimeError(translate("Child", "the run's process has ended: run the "
                                         "script again (F5)"))
        try:
            reply = self._child.request(("backward", node_id), self.limits, device=self.device,
                                        report=report, check_cancel=check_cancel)
        except _Stopped as stop:
            raise RuntimeError(str(stop.error)) from None
        finally:
            _POOL.refill()
        if reply[0] == "raise":
            exc = KeyError if reply[1] == "KeyError" else RuntimeError
            raise exc(reply[2])
        return reply[1]

    def close(self, wait: bool = True) -> None:
        """End the child (see `_Child.close`)."""
        if self._child is not None:
            self._child.close(wait)


def _command(child: _Child, message, limits, device, engine, source, report, check_cancel,
             on_graph=None):
    """Run one recording command; a stopped child gives a recording holding only the
    error."""
    child.source = source
    child._cap = limits.cap
    try:
        reply = child.request(message, limits, device=device, report=report,
                              check_cancel=check_cancel, on_graph=on_graph)
    except _Stopped as stop:
        return None, ChildRun(None, _empty_recording(source, engine, stop.error), 0, True)
    finally:
        _POOL.refill()
    if reply[0] == "raise":
        from .runner import ScriptError
        error = ScriptError(str(reply[2]), None, None, "", "runtime")
        return reply, ChildRun(child, _empty_recording(source, engine, error), 0, True)
    from .recording import Recording
    kind, rec, first, state = reply
    if kind != "recording" or not isinstance(rec, Recording) or child.graph is None:
        child.close()
        from .runner import ScriptError
        error = ScriptError(translate("Child", "the run's process sent something that is not "
                                      "a result ({error}); it was stopped").format(
            error="no graph" if child.graph is None else kind), None, None, "", "crash")
        return None, ChildRun(None, _empty_recording(source, engine, error), 0, True)
    rec.graph = child.graph
    run = ChildRun(child, rec, first)
    run.limits, run.device = limits, device
    return state, run


def run_script(source: str, *, engine: str = "gradtrace", device: str | None = None,
               limits: RunLimits | None = None, include_saved: bool = True,
               report: Callable[[str], None] | None = None,
               check_cancel: Callable[[], None] | None = None,
               on_graph: Callable[[Any], object] | None = None) -> ChildRun:
    """Run the whole script in a child process and bring back its recording (F5). The
    child keeps the run's tensors for ``backward_from`` until ``close()``. ``on_graph`` is
    called with the recording's graph as soon as it arrives, while the child still records
    the steps (the pipeline lays the graph out meanwhile); a graph that ends up in no
    recording (the child stopped after it) is simply not used."""
    limits = limits or RunLimits()
    child = _POOL.take(engine)
    _, run = _command(child, ("run", source, engine, device, limits, include_saved), limits,
                      device, engine, source, report, check_cancel, on_graph)
    if run.stopped:
        child.close()
    return run


class ChildSession:
    """A script stepped in a child (F10, F11, Shift+F11, Continue): ``step(how)`` runs the
    next part and returns its `ChildRun`; ``finished``, ``in_loop``, ``statement_count``
    follow what the child says."""

    def __init__(self, source: str, *, engine: str = "gradtrace", device: str | None = None,
                 limits: RunLimits | None = None, include_saved: bool = True):
        self.source, self.engine, self.device = source, engine, device
        self.limits = limits or RunLimits()
        self.include_saved = include_saved
        self.finished = False
        self.in_loop = False
        self.statement_count = 0
        self.last: ChildRun | None = None
        self._child: _Child | None = None
        self._started = False

    @property
    def alive(self) -> bool:
        return self._child is not None and self._child.alive

    def _start(self, report, check_cancel) -> ChildRun | None:
        self._child = _POOL.take(self.engine)
        self._child.source = self.source
        self._child._cap = self.limits.cap
        self._started = True
        try:
            reply = self._child.request(("start", self.source, self.engine, self.device,
                                         self.limits, self.include_saved), self.limits,
                                        device=self.device, report=report,
                                        check_cancel=check_cancel)
        except _Stopped as stop:
            return self._stopped(stop.error)
        if reply[0] == "raise":
            from .runner import ScriptError
            return self._stopped(ScriptError(str(reply[2]), None, None, "", "runtime"))
        self._update(reply[1])
        return None

    def _stopped(self, error) -> ChildRun:
        self.finished, self.in_loop = True, False
        self.close()
        return ChildRun(None, _empty_recording(self.source, self.engine, error), 0, True)

    def _update(self, state) -> None:
        if state:
            self.finished = state["finished"]
            self.in_loop = state["in_loop"]
            self.statement_count = state["statement_count"]

    def step(self, how: str = "over", report: Callable[[str], None] | None = None,
             check_cancel: Callable[[], None] | None = None,
             on_graph: Callable[[Any], object] | None = None) -> ChildRun:
        """Run the next part: "over" (F10), "into" (F11), "out" (Shift+F11), "continue";
        ``on_graph`` as for `run_script`."""
        if how not in ("over", "into", "out", "continue"):
            raise ValueError(f"step: how must be over, into, out or continue, not {how!r}")
        if not self._started:
            stopped = self._start(report, check_cancel)
            if stopped is not None:
                return stopped
        if self._child is None or not self._child.alive:
            from .runner import ScriptError
            return self._stopped(ScriptError(translate(
                "Child", "the run's process has ended: run the script again (F5)"), None, None,
                "", "crash"))
        state, run = _command(self._child, ("step", how), self.limits, self.device, self.engine,
                              self.source, report, check_cancel, on_graph)
        if run.stopped:
            self.finished, self.in_loop = True, False
            self.close()
            return run
        self._update(state)
        self.last = run
        return run

    def backward_from(self, node_id: str, report: Callable[[str], None] | None = None,
                      check_cancel: Callable[[], None] | None = None) -> Any:
        if self.last is None:
            raise RuntimeError(translate("Child", "the run's process has ended: run the "
                                         "script again (F5)"))
        return self.last.backward_from(node_id, report=report, check_cancel=check_cancel)

    def close(self) -> None:
        if self._child is not None:
            self._child.close()


def start_script(source: str, *, engine: str = "gradtrace", device: str | None = None,
                 limits: RunLimits | None = None, include_saved: bool = True) -> ChildSession:
    """A stepping session in a child (started at its first ``step``)."""
    return ChildSession(source, engine=engine, device=device, limits=limits,
                        include_saved=include_saved)


def call(target: str, *args: Any, allowed: tuple = (), engine: str = "gradtrace",
         device: str | None = None, limits: RunLimits | None = None,
         report: Callable[[str], None] | None = None,
         check_cancel: Callable[[], None] | None = None, **kwargs: Any) -> Any:
    """``module:function(*args, **kwargs)`` in a fresh child under ``limits``; its return
    value must be plain data (builtins, numpy) or instances of ``allowed`` classes. Raises
    `ChildError` when it raised there, died or ran past a limit."""
    limits = limits or RunLimits()
    child = _POOL.take(engine)
    child._cap = limits.cap
    try:
        reply = child.request(("call", target, args, kwargs, limits, device), limits,
                              device=device, report=report, check_cancel=check_cancel,
                              allowed=allowed)
    except _Stopped as stop:
        raise ChildError(str(stop.error), error=stop.error) from None
    finally:
        child.close()
        _POOL.refill()
    if reply[0] == "raise":
        raise ChildError(str(reply[2]), reply[3] if len(reply) > 3 else "")
    return reply[1]

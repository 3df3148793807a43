"""Running the script from the window: Run (F5, or Continue after stepping), Step over / into /
out (F10, F11, Shift+F11), Run backward from a node, the device, and the status texts they leave."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from . import pipeline
from .model.i18n import retranslate


def no_live_run() -> str:
    """Why "Run backward from here" is off for an opened recording (translated)."""
    return QCoreApplication.translate(
        "RunControl", "A recording has no live run to run backward in: run its script (F5) to "
        "make one")


@dataclass(frozen=True)
class RunState:
    """What a run left in the window, kept aside while the tour runs its own scripts: the
    document shown (None before any run), the player's position, the node inspected, the
    stepping session and the text it was made from, the breakpoints and the graph's
    placeholder."""

    document: Any
    position: int
    inspected: str | None
    session: Any
    session_source: str | None
    breakpoints: frozenset
    placeholder: str


class RunControl:
    """Run and step actions of MainWindow (needs `script_panel`, `jobs`, `player_widget`,
    `actions_`, `statusBar()`, `document`, `viewer`); each submits one job to `jobs`, whose
    `GraphDocument` comes back through `show_document`, which calls `_seek_initial` and
    `_run_summary`."""

    #: the engine scripts run on: "gradtrace" (sandboxed) or "torch" (`gradtrace --engine torch`)
    engine = "gradtrace"
    #: scripts run in a child process (gui/model/child.py): the app survives what they do;
    #: False runs them in this process (tests that look at the engine's own objects)
    in_child = True

    def edit_limits(self):
        """Run > Limits…: the time budget and memory cap of each run (returns the dialog,
        opened window-modal)."""
        from .limits_dialog import LimitsDialog
        dialog = LimitsDialog(self.settings, self)
        dialog.open()
        return dialog

    def run_limits(self):
        """The limits each run's process gets, from the settings (Run > Limits…)."""
        from .model.child import RunLimits
        gib = self.settings.memory_cap_gib
        return RunLimits(time_budget=self.settings.time_budget,
                         memory_cap=int(gib * (1 << 30)) if gib else None)

    @staticmethod
    def _run_tr(source: str, disambiguation: str | None = None, n: int = -1) -> str:
        """tr() in context "RunControl": PySide's own tr() in a mixin, given `n`, returns the
        MainWindow context's untranslated text. lupdate reads it as tr (gui/i18n_build.py)."""
        return QCoreApplication.translate("RunControl", source, disambiguation, n)

    def set_run_aside(self) -> RunState:
        """The run as it is now (`restore_run` shows it again); the player pauses and the
        breakpoints are cleared, since they would stop another script's playback."""
        state = RunState(self.document, self.player_widget.position, self.inspected,
                         self._session, self._session_source, frozenset(self.breakpoints),
                         self.graph_view.placeholder)
        self.player_widget.pause()
        self.breakpoints.clear()
        return state

    def restore_run(self, state: RunState, source: str = "") -> None:
        """Show the run `state` again: its document at its position (none: an empty graph
        for the script `source`), its stepping session, breakpoints and selection."""
        self._session, self._session_source = state.session, state.session_source
        self.breakpoints.clear()
        self.breakpoints.update(state.breakpoints)
        self.graph_view.set_placeholder(state.placeholder)
        self._seek_after = "keep"   # a document shown again: no run summary, its own position
        doc = state.document
        if doc is None:
            self.show_document(pipeline.GraphDocument(source=source))
            self.document = None
            self._update_export_actions()
            self.graph_view.set_placeholder(state.placeholder)
        else:
            doc.extras["position"] = state.position
            self.show_document(doc)
        self.graph_view.set_breakpoints(self.breakpoints)
        if state.inspected:
            self.select_node(state.inspected)
        self.inspected = state.inspected
        self._refresh_inspector()

    def _view_options(self) -> dict:
        return {"direction": self.direction,
                "include_saved": self.actions_.show_saved.isChecked(),
                "hide_no_grad": self.actions_.hide_no_grad.isChecked()}

    @property
    def device(self) -> str | None:
        return "cuda" if self.actions_.gpu.isChecked() else None

    def run_script(self, restart: bool = False) -> None:
        """Run the script (F5) on a worker thread: after F10/F11 it continues the session to
        the end (as a debugger's Continue does), else (or with `restart`) from the top."""
        if self.viewer:
            return
        session = self._live_session()
        if session is not None and not restart:
            self._submit_step(session, "continue")
            return
        self._reset_session()
        self.script_panel.clear_error()
        source, device, options = self.script_panel.text(), self.device, self._view_options()
        self._seek_after = ("new_backward", 0)
        self._focus_graph_next = True
        engine, child, limits = self.engine, self.in_child, self.run_limits()
        self.jobs.submit(lambda report, cancel: pipeline.run_script(
            source, device=device, report=report, check_cancel=cancel, engine=engine,
            child=child, limits=limits, **options))

    def step_script(self) -> None:
        """Step over (F10): run the next statement, a whole loop, or the rest of the loop F11
        stepped into; a changed text starts from the top."""
        self._submit_step(self._live_session(), "over")

    def step_into(self) -> None:
        """Step into (F11): one iteration of a top-level ``for`` or ``while`` loop, else like F10."""
        self._submit_step(self._live_session(), "into")

    def step_out(self) -> None:
        """Step out (Shift+F11): the rest of the loop stepped into, else to the end."""
        self._submit_step(self._live_session(), "out")

    def _live_session(self):
        """The F10/F11 session to go on with: None when there is none, it is finished or the
        text changed since it started."""
        session = self._session
        if session is not None and (self.script_panel.text() != self._session_source or
                                    session.finished):
            return None
        return session

    def _submit_step(self, session, how: str) -> None:
        if self.viewer:
            return
        source = self.script_panel.text()
        if session is None:
            self._fit_next = True
            self.script_panel.clear_error()
        self._session_source = source
        device, options = self.device, self._view_options()
        first = 0 if session is None else getattr(session, "statement_count", None)
        if first is None:   # an in-process session (in_child off)
            first = len(session.result.statements)
        self._seek_after = ("new_backward", first)
        self._focus_graph_next = True
        engine, child, limits = self.engine, self.in_child, self.run_limits()
        self.jobs.submit(lambda report, cancel: pipeline.step_script(
            session, source, device=device, report=report, check_cancel=cancel, how=how,
            engine=engine, child=child, limits=limits, **options))

    def _reset_session(self) -> None:
        self._session = None
        self._session_source = None

    def cancel_job(self) -> None:
        if self.jobs.busy:
            self.jobs.cancel()
            self.show_status(lambda: self._run_tr("Cancelled"), 3000)

    def run_backward_from(self, node_id: str) -> bool:
        """Run backward from the tensor `node_id` and append its steps to the timeline (for a
        script that made no backward call, or to see another root's). False if it failed."""
        doc = self.document
        if doc is None or doc.timeline is None:
            return False
        label = doc.graph.nodes[node_id].get("label", node_id) if node_id in doc.graph else node_id
        if self.jobs.busy:   # the engine is running the script: one engine job at a time
            self.show_status(lambda: self._run_tr(
                "Backward from {label}: wait until the run in progress ends (or Stop it)."
            ).format(label=label), 8000)
            return False
        if doc.live is None:   # an opened .gtrace file: its tensors are not here
            self.show_status(lambda: self._run_tr("Backward from {label}: {message}").format(
                label=label, message=no_live_run()), 10000)
            return False
        if "child" in doc.extras:   # the run's tensors live in its child process: a job
            # waits on it off the GUI thread (a hook that loops stops at the budget, Cancel
            # kills it); `backwardRecorded` says how it ended
            def job(report, cancel):
                try:
                    return BackwardDone(doc, node_id, label, pipeline.backward_from(
                        doc, node_id, report=report, check_cancel=cancel))
                except (RuntimeError, KeyError) as exc:
                    return BackwardDone(doc, node_id, label, None,
                                        exc.args[0] if exc.args else str(exc))
            self.jobs.submit(job)
            return True
        try:   # the script's hooks and custom Functions run again, under its time budget
            call = getattr(doc.result, "call_in_budget", None)
            recorded = call(pipeline.backward_from, doc, node_id) if call else \
                pipeline.backward_from(doc, node_id)
        except (RuntimeError, KeyError) as exc:
            recorded, message = None, exc.args[0] if exc.args else str(exc)
        else:
            message = ""
        return self._backward_done(BackwardDone(doc, node_id, label, recorded, message))

    def _backward_done(self, done: BackwardDone) -> bool:
        """Append what "Run backward from here" recorded to the timeline (or say why it
        failed); emits `backwardRecorded`."""
        doc, label = done.doc, done.label
        new = None
        if done.recorded is not None and doc is self.document:
            try:
                new = doc.timeline.add_call(done.recorded)
            except (RuntimeError, KeyError) as exc:
                done.message = exc.args[0] if exc.args else str(exc)
        if new is None:
            self.show_status(lambda: self._run_tr("Backward from {label}: {message}").format(
                label=label, message=done.message), 10000)
            self.backwardRecorded.emit(False)
            return False
        self.player_widget.timeline_grew()
        self._fill_timeline_list(doc.timeline)
        if len(new):   # just before them, as after F10: Play animates every new step
            self.player_widget.seek(max(new.start - 1, 0))
        keys = self._run_tr("Space") if self._space_plays() else self._play_keys()
        self.show_status(lambda: self._run_tr(
            "Backward from {label}: %n steps added. Press {keys} to play them.", "", len(new)
        ).format(label=label, keys=keys), 8000)
        self.backwardRecorded.emit(True)
        return True

    def _run_summary(self, doc) -> str:
        """The status text after a run or step: what ran, and "Press Space" only when the
        player stands before backward steps that Space would now play."""
        ran = doc.extras.get("ran")
        n = doc.graph.number_of_nodes() if doc.graph is not None else 0
        rec = doc.recording
        calls = len(getattr(rec, "calls", []) or [])
        if doc.path is not None:   # an opened recording
            what = self._run_tr("Opened the recording {name}: ").format(
                name=Path(doc.path).name) + \
                self._run_tr("%n statements, ", "", len(getattr(rec, "statements", ()))) + \
                self._run_tr("%n nodes, ", "", n) + self._run_tr("%n backward calls", "", calls)
        elif ran is None:   # a whole run
            what = self._run_tr("Ran %n statements: ", "", len(rec.statements)) + \
                self._run_tr("%n nodes, ", "", n) + self._run_tr("%n backward calls", "", calls)
        elif not ran:
            return self._run_tr("Nothing left to run: the script has finished. F5 runs it again.")
        elif len(ran) == 1:
            what = describe_record(ran[0])
        else:
            what = self._run_tr("Ran %n statements", "", len(ran))
        timeline, position = doc.timeline, self.player_widget.position
        ahead = 0
        if timeline is not None:
            ahead = sum(1 for e in timeline.entries[position + 1:] if e.kind == "backward")
        if ahead and self._space_plays():
            what += self._run_tr(". Press Space to play the %n backward steps", "", ahead)
        elif ahead:
            what += self._run_tr(". Press {keys} to play the %n backward steps", "", ahead).format(
                keys=self._play_keys())
        session = doc.session
        if ran is not None and session is not None and session.finished:
            what += self._run_tr(". The script has finished")
        return what + self._run_tr(".")

    def _space_plays(self) -> bool:
        """Whether a plain Space now reaches the player: no editable text field (the editor,
        Find) has the focus, where Space types."""
        return not takes_typing(QApplication.focusWidget())

    def _play_keys(self) -> str:
        """The play key that works wherever the focus is (F8)."""
        keys = self.actions_.play.shortcuts()
        return keys[-1].toString(QKeySequence.SequenceFormat.NativeText) if keys else \
            self._run_tr("Play")

    def _seek_initial(self, doc) -> None:
        timeline, player = doc.timeline, self.player_widget
        target = len(timeline) - 1
        mode = getattr(self, "_seek_after", "end")
        if mode == "keep" and "position" in doc.extras:
            target = min(int(doc.extras["position"]), target)
        elif isinstance(mode, tuple) and mode[0] == "new_backward":
            # before the first backward step of what this run or step made: Play animates it
            first = next((e.index for e in timeline.entries if e.kind == "backward" and
                          e.statement_index is not None and e.statement_index >= mode[1]),
                         None)
            if first is not None:
                target = max(0, first - 1)
        player.seek(target)
        if player.position == target:
            self._on_state_changed(player.state())

    def _update_device_action(self) -> None:
        available, why = pipeline.device_status()
        act = self.actions_.gpu
        act.setEnabled(available and not self.viewer)
        self.device_reason = why
        self._describe_device()

    def _describe_device(self) -> None:
        """One text for the device button's tooltip and status tip: where scripts run now and
        what a click does (or why there is no GPU)."""
        act = self.actions_.gpu
        on = act.isChecked()
        act.setText(self._run_tr("GPU") if on else self._run_tr("CPU"))
        if not act.isEnabled() and not on:
            text = self._run_tr("Scripts run on the CPU; the GPU is unavailable: {reason}").format(
                reason=retranslate(self.device_reason))
        elif on:
            text = self._run_tr("Scripts run on the GPU (CuPy): click to run on the CPU "
                                "(re-runs the script)")
        else:
            text = self._run_tr("Scripts run on the CPU: click to run on the GPU (re-runs "
                                "the script)")
        act.setToolTip(text)
        act.setStatusTip(text)

    def set_gpu(self, on: bool) -> None:
        self._describe_device()
        self.show_status(lambda: self._run_tr("Device: {device}").format(
            device=self._run_tr("GPU") if on else self._run_tr("CPU")), 3000)
        if self.document is not None:
            self.run_script(restart=True)


@dataclass
class BackwardDone:
    """What a "Run backward from here" job brings back: the `CallRecording` (None when it
    failed, ``message`` saying why) for `doc`'s timeline."""

    doc: object
    node_id: str
    label: str
    recorded: object = None
    message: str = ""


def takes_typing(widget) -> bool:
    """Whether `widget` is an editable text field, which keeps plain keys (Space, arrows,
    Home, End) for typing; everywhere else they drive the player."""
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
        return not widget.isReadOnly()
    return False


def describe_record(record) -> str:
    """What one record of a step did, for the status bar: "Ran 1 statement (line 7)", "Ran
    iteration 2 of the loop at line 5", "Ran iterations 3 to 5 of the loop at line 5"."""
    part = getattr(record, "part", "") or ""
    translate = QCoreApplication.translate
    if part == "the loop's else":
        text = translate("MainWindow", "Ran the else of the loop at line {line}")
    elif part == "the rest of the loop":
        text = translate("MainWindow", "Ran the rest of the loop at line {line}")
    elif part.startswith("iterations "):   # "iterations 3 to 5" (gui/model/stepping.py)
        first, _, last = part[len("iterations "):].partition(" to ")
        text = translate("MainWindow",
                         "Ran iterations {first} to {last} of the loop at line {line}")
        return text.format(first=first, last=last, line=record.lineno)
    elif part.startswith("iteration "):
        text = translate("MainWindow", "Ran iteration {index} of the loop at line {line}")
        return text.format(index=part[len("iteration "):], line=record.lineno)
    elif part:
        return translate("MainWindow", "Ran {part} of the loop at line {line}").format(
            part=part, line=record.lineno)
    else:
        text = translate("MainWindow", "Ran 1 statement (line {line})")
    return text.format(line=record.lineno)

"""The engine scripts run on, MainWindow's side: the toolbar's "Engine: gradtrace | PyTorch"
(remembered; PyTorch greyed with the reason where torch is missing), and the question asked
before the first PyTorch run of a file, whose scripts are not sandboxed."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from . import pipeline
from .model.i18n import retranslate

translate = QCoreApplication.translate   # lupdate reads translate("EngineControl", ...)


class EngineControl:
    """The engine side of MainWindow (needs `actions_.engines`, `settings`, `viewer`, `path`,
    `document`, `statusBar()`, and RunControl after it in the MRO: `run_script` and
    `_submit_step` ask here before a PyTorch run that was not allowed yet)."""

    _engine = "gradtrace"
    _unsaved_allowed = False   # the unsaved buffer's answer, for this session only
    torch_reason = ""

    @property
    def engine(self) -> str:
        """The engine the next run uses: "gradtrace" (sandboxed) or "torch"; the tour's
        stages always run on gradtrace's."""
        tour = getattr(self, "tour", None)
        if tour is not None and tour.active:
            return "gradtrace"
        return self._engine

    @engine.setter
    def engine(self, name: str) -> None:   # `gradtrace --engine torch`: this session only
        self.set_engine(name, remember=False, rerun=False)

    def _init_engine(self) -> None:
        """Grey PyTorch where torch is missing and select the remembered engine."""
        available, why = pipeline.torch_status()
        self.torch_reason = why
        torch_action = self.actions_.engines["torch"]
        torch_action.setEnabled(available and not self.viewer)
        self.actions_.engines["gradtrace"].setEnabled(not self.viewer)
        chosen = self.settings.engine if available else "gradtrace"
        self._engine = chosen
        self._check_engine_action(chosen)
        self._describe_engine()

    def _check_engine_action(self, name: str) -> None:
        for key, act in self.actions_.engines.items():
            act.blockSignals(True)
            act.setChecked(key == name)
            act.blockSignals(False)

    def _describe_engine(self) -> None:
        """The engine buttons' tooltips: what each does, or why PyTorch cannot run."""
        gradtrace, torch_action = self.actions_.engines["gradtrace"], \
            self.actions_.engines["torch"]
        text = translate("EngineControl",
                         "Run scripts on gradtrace's own engine, sandboxed (the default)")
        gradtrace.setToolTip(text)
        gradtrace.setStatusTip(text)
        if torch_action.isEnabled():
            text = translate("EngineControl", "Run scripts on real PyTorch: not sandboxed, "
                             "a script runs as `python script.py` would")
        else:
            text = retranslate(self.torch_reason)
        torch_action.setToolTip(text)
        torch_action.setStatusTip(text)

    def set_engine(self, name: str, remember: bool = True, rerun: bool = True) -> bool:
        """Select engine `name` ("gradtrace" or "torch"; remembered with `remember`). With a
        graph shown and `rerun`, runs the script again on it; a PyTorch run the user refuses
        leaves the engine as it was. False when nothing changed."""
        if name not in pipeline.ENGINES:
            raise ValueError(f"engine must be one of {', '.join(pipeline.ENGINES)}, not {name!r}")
        if name == "torch" and not self.actions_.engines["torch"].isEnabled() and \
                not self.viewer:
            self._check_engine_action(self._engine)
            self.show_status(lambda: retranslate(self.torch_reason), 8000)
            return False
        previous = self._engine
        if name == previous:
            self._check_engine_action(name)
            return False
        if rerun and self.document is not None and name == "torch" and \
                not self.unsandboxed_allowed("torch"):
            self._check_engine_action(previous)
            return False
        self._engine = name
        self._check_engine_action(name)
        if remember:
            self.settings.engine = name
        if getattr(self, "in_child", False) and not self.viewer:
            from .model.child import warm_up
            warm_up(name)   # the spare process imports this engine (torch: seconds) now
        self.show_status(lambda: translate("EngineControl", "Engine: PyTorch (not sandboxed)")
                         if name == "torch"
                         else translate("EngineControl", "Engine: gradtrace (sandboxed)"), 4000)
        if rerun and self.document is not None and not self.viewer:
            self.run_script(restart=True)
        return True

    def _engine_key(self) -> str | None:
        """The file an answer is remembered for (None: the unsaved buffer)."""
        return str(Path(self.path).resolve()) if self.path else None

    def unsandboxed_allowed(self, engine: str | None = None) -> bool:
        """True when the script may run on `engine` (default: the chosen one): it is
        gradtrace's, or the user allowed this file (remembered) or this unsaved buffer (this
        session) to run on PyTorch, now or before."""
        if (engine or self.engine) != "torch" or self.viewer:
            return True
        key = self._engine_key()
        if key is None and self._unsaved_allowed:
            return True
        if key is not None and key in self.settings.unsandboxed_files:
            return True
        if not self.ask_run_unsandboxed():
            self.show_status(lambda: translate(
                "EngineControl", "Not run: the PyTorch engine was not allowed for this script"),
                6000)
            return False
        if key is None:
            self._unsaved_allowed = True
        else:
            self.settings.allow_unsandboxed(key)
        return True

    def ask_run_unsandboxed(self) -> bool:
        """The question before a file's first PyTorch run (tests replace this method)."""
        name = self.script_name() if hasattr(self, "script_name") else "script.py"
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(translate("EngineControl", "Run on PyTorch, not sandboxed?"))
        box.setText(translate(
            "EngineControl", "{name} will run on real PyTorch, not sandboxed: it runs as "
            "`python {name}` would, and can open, change and delete files, import any module "
            "and use the network.").format(name=name))
        box.setInformativeText(translate(
            "EngineControl", "The gradtrace engine runs scripts sandboxed. Your answer is "
            "remembered for this file.") if self._engine_key() else translate(
            "EngineControl", "The gradtrace engine runs scripts sandboxed. Your answer is "
            "remembered for this unsaved script until gradtrace closes."))
        run = box.addButton(translate("EngineControl", "Run on PyTorch"),
                            QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is run

    # RunControl's entry points, asked first (super(): RunControl's)
    def run_script(self, restart: bool = False) -> None:
        if self._needs_question(restart) and not self.unsandboxed_allowed():
            return
        super().run_script(restart)  # type: ignore[misc]

    def _submit_step(self, session, how: str) -> None:
        if session is None and not self.unsandboxed_allowed():
            return
        super()._submit_step(session, how)  # type: ignore[misc]

    def _needs_question(self, restart: bool) -> bool:
        """Whether this Run starts a new run (not a Continue of a live session)."""
        return restart or self._live_session() is None  # type: ignore[attr-defined]

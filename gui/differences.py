"""Run > Compare engines…: `gradtrace compare` in the window. The script runs on both engines in
a separate process (``python -m gradtrace.gui compare --json``: the app never imports torch),
and the "Differences" tab lists its report row by row (op names, values, gradients, step order,
the finite-difference check); clicking a row selects its node in the graph, or the line."""
from __future__ import annotations

import json
import os
import sys
import tempfile

from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QEvent, QProcess, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from . import pipeline
from .model.compare import Comparison, Difference, shown_again
from .model.i18n import retranslate
from .model.script_text import encode_script

#: the report's kinds (gui/model/compare.py's Difference.kind, "finite" for a check's row)
KINDS = {
    "error": N("DifferencesPanel", "Error"), "output": N("DifferencesPanel", "Printed output"),
    "name": N("DifferencesPanel", "Op names"), "value": N("DifferencesPanel", "Value"),
    "order": N("DifferencesPanel", "Step order"), "backward": N("DifferencesPanel", "Backward"),
    "gradient": N("DifferencesPanel", "Gradients"), "grad": ".grad",
    "finite": N("DifferencesPanel", "Finite differences"), "note": N("DifferencesPanel", "Note"),
}
ENGINE_NAMES = {"gradtrace": "gradtrace", "torch": "PyTorch"}


class DifferencesPanel(QWidget):
    """The Differences tab: `compare(source)` runs the comparison in a `QProcess`, `comparison`
    is the last report; `targetRequested(where, line)` when a row is clicked (a graph id or a
    leaf's name, and the script line the row is about, 0 for none), `finished(comparison or
    None)` when a run ends."""

    targetRequested = Signal(str, int)
    finished = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemClicked.connect(self._on_item)
        self.tree.itemActivated.connect(self._on_item)
        box = QVBoxLayout(self)
        box.setContentsMargins(2, 2, 2, 2)
        box.addWidget(self.status)
        box.addWidget(self.tree, 1)
        self.comparison: Comparison | None = None
        self.error: str | None = None
        self.process: QProcess | None = None
        self._file: str | None = None
        self._details: list = []   # per row: the report's text (or a check), for re-translation
        self._places: list = []    # per row: its Difference (its place re-translated) or text
        self._state = "idle"   # idle, running, done, failed
        self._retranslate()

    # -------------------------------------------------------------- running
    def command(self, path: str) -> list[str]:
        """The program and arguments that compare the script at `path` (tests plant a bug by
        replacing this)."""
        return [sys.executable, "-m", "gradtrace.gui", "compare", "--json", path]

    @property
    def running(self) -> bool:
        return self.process is not None

    def compare(self, source: str, name: str = "script.py") -> None:
        """Compare the engines on `source` (a run in progress is stopped first)."""
        self.cancel()
        fd, self._file = tempfile.mkstemp(prefix="gradtrace-compare-", suffix=f"-{name}")
        with os.fdopen(fd, "wb") as f:
            f.write(encode_script(source, name))
        program, *args = self.command(self._file)
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        process.finished.connect(lambda code, status, p=process: self._on_finished(p, code,
                                                                                   status))
        process.errorOccurred.connect(lambda err, p=process: self._on_error(p, err))
        self.process = process
        self.comparison, self.error, self._state = None, None, "running"
        self._clear()
        self._retranslate()
        process.start(program, args)

    def cancel(self) -> None:
        """Stop a comparison in progress (its process is killed)."""
        process, self.process = self.process, None
        if process is not None:
            process.blockSignals(True)
            process.kill()
            process.waitForFinished(2000)
            process.deleteLater()
            if self._state == "running":
                self._state = "idle"
                self._retranslate()
        self._forget_file()

    def _forget_file(self) -> None:
        if self._file is not None:
            try:
                os.unlink(self._file)
            except OSError:
                pass
            self._file = None

    def _on_error(self, process: QProcess, error) -> None:
        if process is not self.process or error != QProcess.ProcessError.FailedToStart:
            return
        self.process = None
        self._forget_file()
        self._fail(process.errorString())

    def _on_finished(self, process: QProcess, code: int, status) -> None:
        if process is not self.process:
            return
        self.process = None
        self._forget_file()
        out = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
        err = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        process.deleteLater()
        comparison = None
        if status == QProcess.ExitStatus.NormalExit and code in (0, 1):
            try:
                comparison = Comparison.from_dict(json.loads(out.strip().splitlines()[-1]))
            except (ValueError, IndexError, KeyError, TypeError):
                comparison = None
        if comparison is None:
            lines = [line for line in err.strip().splitlines() if line.strip()]
            self._fail(lines[-1] if lines else self.tr("exit status {code}").format(code=code))
            return
        self.show_comparison(comparison)

    def _fail(self, message: str) -> None:
        self.comparison, self.error, self._state = None, message, "failed"
        self._clear()
        self._retranslate()
        self.finished.emit(None)

    # -------------------------------------------------------------- the report
    def show_comparison(self, comparison: Comparison) -> None:
        """List `comparison` row by row: notes, differences, finite-difference checks."""
        self.comparison, self.error, self._state = comparison, None, "done"
        self._clear()
        for note in comparison.notes:
            self._row("note", "", note, ("", 0))
        for d in comparison.differences:
            self._row(d.kind, d, d.text, (d.where, d.line or 0))
        for f in comparison.finite:
            self._row("finite", f.leaf, (f.engine, f), (f.leaf, 0), bad=not f.ok)
        for text in comparison.skipped_fd:
            self._row("finite", "", text, ("", 0))
        self._retranslate()
        for column in (0, 1):   # kinds and places whole; the details take the rest
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, min(self.tree.columnWidth(column) + 12, 280))
        self.finished.emit(comparison)

    def _clear(self) -> None:
        self.tree.clear()
        self._details, self._places = [], []

    def _row(self, kind, where, details, target, bad=None) -> QTreeWidgetItem:
        """A row: `where` a `Difference` (its place shown) or a text, `target` (graph id or
        leaf name, script line or 0) what a click asks for."""
        item = QTreeWidgetItem(self.tree)
        item.setData(0, Qt.ItemDataRole.UserRole, kind)
        item.setData(1, Qt.ItemDataRole.UserRole, list(target))
        self._details.append(details)
        self._places.append(where)
        if bad is None:
            bad = kind not in ("note", "finite")
        item.setData(3, Qt.ItemDataRole.UserRole, bad)
        if bad:
            item.setForeground(0, Qt.GlobalColor.red)
        self._translate_row(item)
        return item

    def _translate_row(self, item: QTreeWidgetItem) -> None:
        kind = item.data(0, Qt.ItemDataRole.UserRole)
        item.setText(0, self.tr(KINDS.get(kind, kind)))
        row = self.tree.indexOfTopLevelItem(item)
        where = self._places[row]
        item.setText(1, where.place if isinstance(where, Difference) else where)
        details = self._details[row]
        if isinstance(details, tuple):   # a finite-difference check
            engine, check = details
            verdict = self.tr("ok") if check.ok else self.tr("WRONG")
            text = self.tr("{engine}, {dtype}: %n entries checked, max error {error}: "
                           "{verdict}", "", len(check.entries)).format(
                engine=ENGINE_NAMES.get(engine, engine), dtype=check.dtype,
                error=f"{check.max_error:.3g}", verdict=verdict)
        else:   # the report's own text, in the language now in use
            text = self._details[row] = shown_again(details)
        item.setText(2, text)
        item.setToolTip(2, text)

    def rows(self) -> list[tuple[str, str, str]]:
        """What the tab shows: (kind, where, details) per row, as displayed."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            out.append((item.text(0), item.text(1), item.text(2)))
        return out

    def select_row(self, index: int) -> None:
        """Click row `index` (as the user does)."""
        item = self.tree.topLevelItem(index)
        self.tree.setCurrentItem(item)
        self._on_item(item)

    def _on_item(self, item, _column=0) -> None:
        target = item.data(1, Qt.ItemDataRole.UserRole) if item is not None else None
        if target and (target[0] or target[1]):
            self.targetRequested.emit(str(target[0]), int(target[1]))

    # -------------------------------------------------------------- texts
    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # after the switch is complete: the model's translate hook is reset after Qt's
            # translators are installed (which sends this event)
            QTimer.singleShot(0, self._retranslate)
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("What"), self.tr("Where"), self.tr("Details")])
        for i in range(self.tree.topLevelItemCount()):
            self._translate_row(self.tree.topLevelItem(i))
        c = self.comparison
        if self._state == "running":
            text = self.tr("Comparing: the script runs on gradtrace's engine and on PyTorch "
                           "(not sandboxed), then the finite-difference check…")
        elif self._state == "failed":
            text = self.tr("The comparison could not run: {reason}").format(
                reason=self.error or "")
        elif c is not None and c.ok:
            text = self.tr("The engines agree: names, values and gradients are the same, and "
                           "every finite-difference check passes.")
        elif c is not None:
            wrong = sum(1 for f in c.finite if not f.ok)
            text = self.tr("%n differences between the engines", "", len(c.differences)) + \
                self.tr("; %n finite-difference checks failed", "", wrong) + \
                self.tr(". Click a row to select its node in the graph.")
        else:
            text = self.tr("Run > Compare engines… runs the script on both engines and lists "
                           "here where names, values and gradients differ.")
        self.status.setText(text)


class DifferencesControl:
    """MainWindow's side of the comparison (needs `differences`, `bottom_tabs`, `document`,
    `script_panel`, `graph_view`, `source_links`, `unsandboxed_allowed`)."""

    def compare_engines(self) -> bool:
        """Run > Compare engines…: compare the script on both engines (asking first, as any
        PyTorch run); the graph is run too when the one shown is not of this text."""
        available, why = pipeline.torch_status()
        if not available:
            self.show_status(lambda: retranslate(why), 8000)
            return False
        if not self.unsandboxed_allowed("torch"):
            return False
        source = self.script_panel.text()
        self.bottom_tabs.setCurrentWidget(self.differences)
        self.console_dock.show()
        self.differences.compare(source, self.script_name())
        doc = self.document
        if doc is None or doc.source != source:
            self.run_script(restart=True)
        return True

    def _on_difference_target(self, where: str, line: int) -> None:
        """A row clicked: its node selected (and shown, and inspected), else its line."""
        doc = self.document
        graph = doc.graph if doc is not None else None
        if graph is not None and where in graph:
            self.select_node(where)
            self.graph_view.center_on_node(where)
            self._on_node_selected(where)
            return
        if line > 0:   # the editor's cursor to the line; its nodes outlined
            editor = self.script_panel.editor
            block = editor.document().findBlockByNumber(line - 1)
            if block.isValid():
                editor.setTextCursor(QTextCursor(block))
                editor.centerCursor()
            self.source_links.show_line(line)

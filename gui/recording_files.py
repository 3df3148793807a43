"""File > Save recording and opening `.gtrace` files in the main window (a mixin of MainWindow):
an opened recording is a read-only document, its script's text in the editor, no live run."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from . import pipeline
from .model.recording import save

SUFFIX = ".gtrace"


def is_recording_path(path) -> bool:
    """Whether `path` names a recording (by its suffix) rather than a script."""
    return Path(str(path)).suffix.lower() == SUFFIX


class RecordingFiles:
    """Recording side of MainWindow's File menu (needs what `ScriptFiles` needs, plus `jobs`,
    `document`, `direction`). `recording_path` is the `.gtrace` file shown, None otherwise.
    Texts are in context "RecordingFiles" (a mixin's tr() would not find its own)."""

    recording_path: str | None = None

    def save_recording(self, path) -> Path:
        """Write the recording of the document shown to `path` (``.gtrace`` added when the
        name has another suffix); returns the path written. ValueError when nothing ran."""
        rec = getattr(self.document, "recording", None)
        if rec is None:
            raise ValueError(QCoreApplication.translate(
                "RecordingFiles", "Nothing to save: no script has run yet, so there is no "
                "recording (run it first, F5)"))
        path = Path(path)
        if path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        save(rec, path)
        return path

    def save_recording_dialog(self) -> None:
        stem = Path(self.path or self.recording_path or "run").stem
        path, _ = QFileDialog.getSaveFileName(
            self, QCoreApplication.translate("RecordingFiles", "Save recording"),
            str(Path.cwd() / f"{stem}{SUFFIX}"),
            QCoreApplication.translate("RecordingFiles", "gradtrace recordings (*.gtrace)"))
        if not path:
            return
        try:
            written = self.save_recording(path)
        except (OSError, ValueError, TypeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            QMessageBox.warning(
                self, QCoreApplication.translate("RecordingFiles", "Save failed"),
                QCoreApplication.translate(
                    "RecordingFiles", "Could not save the recording {path}: {reason}").format(
                    path=path, reason=reason))
            return
        self.show_status(lambda: QCoreApplication.translate(
            "RecordingFiles", "Saved the recording {path}").format(path=written), 4000)

    def open_recording(self, path) -> None:
        """Open the recording `path`: its script's text goes into the editor (in no file) and
        its graph, timeline and inspector show as recorded. Raises `RecordingError` or
        OSError before anything changes."""
        from .model.recording import load
        recording = load(path)
        self.load_script(recording.source, None, undoable=False)
        self.recording_path = str(path)
        self._update_title()
        self._rebuild_recent_menu(self.settings.add_recent(str(path)))
        self._seek_after = ("new_backward", 0)
        self._focus_graph_next = True
        doc = pipeline.GraphDocument(source=recording.source, recording=recording,
                                     path=str(path))
        direction, hide = self.direction, self.actions_.hide_no_grad.isChecked()
        self.jobs.submit(lambda report, cancel: pipeline.lay_out(
            doc, direction=direction, hide_no_grad=hide, report=report, check_cancel=cancel))

"""The script-file side of the main window: new, open, save, recent files, the Examples menu
and the window title. A mixin of MainWindow; it only moves text between files and the editor."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from .model.recording import RecordingError
from .model.script_text import ScriptDecodeError, encode_script, read_script
from .recording_files import is_recording_path

NEW_SCRIPT_TEXT = "import torch\n\n"

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "resources" / "examples"
#: File > Examples: each example's title (translated, context "Examples"); an example not
#: named here goes by its file's name
EXAMPLE_TITLES = {
    "tutorial": N("Examples", "The autograd tutorial"),
    "mlp_step": N("Examples", "An MLP training step"),
    "softmax_cross_entropy": N("Examples", "Softmax and cross-entropy"),
    "rnn_unrolled": N("Examples", "An unrolled RNN"),
    "shared_leaf": N("Examples", "A leaf used twice"),
    "nn_training": N("Examples", "An nn.Sequential training loop"),
    "attention": N("Examples", "Causal self-attention"),
    "cnn_blitz": N("Examples", "The 60-minute blitz's CNN, a few SGD steps"),
    "custom_function_double_backward": N("Examples",
                                         "A custom autograd.Function with a double backward"),
    "dataloader_training": N("Examples", "A DataLoader training loop"),
    "small_cnn": N("Examples", "A small CNN with batch norm"),
    "transformer_block": N("Examples", "Two pre-norm transformer blocks"),
}


def example_title(path: Path) -> str:
    """The title File > Examples shows for the example `path`, in the user's language."""
    title = EXAMPLE_TITLES.get(path.stem)
    return QCoreApplication.translate("Examples", title) if title else \
        path.stem.replace("_", " ")


def examples_dir() -> Path:
    try:
        from importlib.resources import files
        path = Path(str(files("gradtrace.resources") / "examples"))
        if path.is_dir():
            return path
    except Exception:  # noqa: BLE001 - running from a source tree
        pass
    return EXAMPLES_DIR


def tutorial_text() -> str:
    path = examples_dir() / "tutorial.py"
    return path.read_text(encoding="utf-8") if path.exists() else \
        "import torch\nx = torch.ones(2, 2, requires_grad=True)\n"


class ScriptFiles:
    """File actions of MainWindow (needs `script_panel`, `settings`, `recent_menu`,
    `examples_menu`, `path`, `example_name`).

    Every way of replacing the editor's text (New, Open, Open Recent, Examples) first asks
    Save / Discard / Cancel when the text has unsaved edits (`confirm_discard`). New and an
    example replace it as one undoable edit (Ctrl+Z brings the previous text back); a file
    starts a fresh undo history, so Ctrl+Z then Save can never write one file's text into
    another."""

    def script_name(self) -> str:
        """The name the script goes by: its file's, the example's, or "untitled.py"."""
        if self.path:
            return Path(self.path).name
        if getattr(self, "recording_path", None):
            return Path(self.recording_path).name
        return self.example_name or "untitled.py"

    def _update_title(self, *_args) -> None:
        # "[*]" is where Qt draws the modified mark (windowModified), as editors do.
        self.setWindowTitle(f"{self.script_name()}[*] — gradtrace")
        self.setWindowModified(self.is_modified())

    def swap_script_document(self, doc, keeper):
        """Give the editor the QTextDocument `doc` (the tour's script) and return the one it
        edited until now, kept by QObject `keeper` with its text, undo history, modified flag
        and cursor untouched; the title follows the document edited (its modified mark)."""
        editor = self.script_panel.editor
        editor.document().modificationChanged.disconnect(self._update_title)
        old = editor.swap_document(doc, keeper)
        doc.modificationChanged.connect(self._update_title)
        self._update_title()
        return old

    def is_modified(self) -> bool:
        """Whether the editor holds edits that are in no file (or no longer the example)."""
        return self.script_panel.editor.document().isModified()

    def load_script(self, text: str, path: str | None = None, example: str | None = None,
                    undoable: bool = True) -> None:
        """Put `text` in the editor (from `path` or the example `example`) and forget the old
        run. The text is replaced as one undoable edit (`undoable=False`: with no undo history,
        as for a file, so that an undo can never put another file's text under this path);
        the result counts as unmodified."""
        self.cancel_job()
        self._reset_session()
        self.path = path
        self.recording_path = None
        self.example_name = example
        if undoable:
            self.script_panel.replace_text(text)
        else:
            self.script_panel.set_text(text)
        self.script_panel.clear_error()
        self.script_panel.editor.clear_marks()
        self._update_title()
        self._fit_next = True

    def open_script(self, path: str) -> None:
        """Load the script file `path`, decoded as Python would (PEP 263), or open the
        recording `path` (a ``.gtrace`` file, `open_recording`). Raises OSError,
        ScriptDecodeError or RecordingError before the editor changes; `open_script_file`
        reports them. The file starts a fresh undo history."""
        if is_recording_path(path):
            self.open_recording(path)
            return
        text = read_script(path)
        self.load_script(text, str(path), undoable=False)
        self._rebuild_recent_menu(self.settings.add_recent(str(path)))

    def open_script_file(self, path: str) -> bool:
        """`open_script`, with a file that cannot be read or decoded reported in a message box
        (the editor keeps its text); False then."""
        try:
            self.open_script(path)
        except (OSError, ScriptDecodeError, RecordingError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            self.show_open_failure(self.tr("Could not open {path}: {reason}").format(
                path=path, reason=reason) if isinstance(exc, OSError) else str(exc))
            return False
        return True

    def show_open_failure(self, message: str) -> None:
        """The Open failed message box (tests replace this method to read it)."""
        QMessageBox.warning(self, self.tr("Open failed"), message)

    def open_example(self, name: str) -> bool:
        """Load the example `name` (after asking about unsaved edits); False if cancelled."""
        if not self.confirm_discard():
            return False
        path = examples_dir() / name
        self.load_script(path.read_text(encoding="utf-8"), None, example=name)
        self.show_status(
            lambda: self.tr("Example {name} loaded: press F5 to run").format(name=name), 4000)
        return True

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """The Save / Discard / Cancel question (tests replace this method to answer it)."""
        return QMessageBox.question(
            self, self.tr("Unsaved changes"),
            self.tr("{name} has unsaved changes. Save them before they are replaced?").format(
                name=self.script_name()),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard |
            QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)

    def confirm_discard(self) -> bool:
        """True when the editor's text may be replaced: it has no unsaved edits, or the user
        saved them (Save) or let them go (Discard). False on Cancel or a cancelled save."""
        if not self.is_modified():
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save_script()
        return answer == QMessageBox.StandardButton.Discard

    def new_script(self) -> bool:
        if not self.confirm_discard():
            return False
        self.load_script(NEW_SCRIPT_TEXT, None)
        return True

    def open_script_dialog(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open script"), str(Path.cwd()),
            self.tr("Scripts and recordings (*.py *.gtrace);;Python scripts (*.py);;"
                    "gradtrace recordings (*.gtrace);;All files (*)"))
        if path:
            self.open_script_file(path)

    def save_script(self) -> bool:
        if not self.path:
            return self.save_script_as()
        return self.write_script(self.path)

    def save_script_as(self) -> bool:
        """Ask where to save (an example is offered under its own name in the working folder:
        the examples themselves are read-only package files)."""
        suggested = self.path or str(Path.cwd() / (self.example_name or "script.py"))
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save script"), suggested,
                                              self.tr("Python scripts (*.py)"))
        return self.write_script(path) if path else False

    def write_script(self, path: str) -> bool:
        try:   # in the encoding the script's coding line declares, else UTF-8 (PEP 263)
            Path(path).write_bytes(encode_script(self.script_panel.text(), str(path)))
        except (OSError, ScriptDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            QMessageBox.warning(self, self.tr("Save failed"), self.tr(
                "Could not save {path}: {reason}").format(path=path, reason=reason))
            return False
        self.path = str(path)
        self.example_name = None
        self.script_panel.editor.document().setModified(False)
        self._rebuild_recent_menu(self.settings.add_recent(self.path))
        self._update_title()
        self.show_status(lambda: self.tr("Saved {path}").format(path=path), 3000)
        return True

    def _rebuild_recent_menu(self, files: list[str] | None = None) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.settings.recent_files if files is None else files
        for path in files:
            act = menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        menu.setEnabled(bool(files))

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            self.settings.recent_files = [f for f in self.settings.recent_files if f != path]
            self._rebuild_recent_menu()
            QMessageBox.warning(self, self.tr("File not found"),
                                self.tr("{path} no longer exists.").format(path=path))
            return
        if self.confirm_discard():
            self.open_script_file(path)

    def _retranslate_examples_menu(self) -> None:
        """The examples' titles in the language installed now (the actions stay)."""
        for act in self.examples_menu.actions():
            if act.data():
                act.setText(example_title(Path(act.data())))

    def _rebuild_examples_menu(self) -> None:
        self.examples_menu.clear()
        for path in sorted(examples_dir().glob("*.py")):
            if path.name.startswith("_"):
                continue
            act = self.examples_menu.addAction(example_title(path))
            act.setToolTip(path.name)
            act.setData(str(path))
            act.triggered.connect(lambda _=False, n=path.name: self.open_example(n))

"""The script-file side of the main window: new, open, save, recent files, the Examples menu
and the window title. A mixin of MainWindow; it only moves text between files and the editor."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "resources" / "examples"


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
    `examples_menu`, `path`)."""

    def _update_title(self, *_args) -> None:
        name = Path(self.path).name if self.path else "untitled.py"
        modified = self.script_panel.editor.document().isModified()
        self.setWindowTitle(f"{name}{' •' if modified else ''} — gradtrace")

    def load_script(self, text: str, path: str | None = None) -> None:
        """Put `text` in the editor (from `path` or an example) and forget the old run."""
        self.cancel_job()
        self._reset_session()
        self.path = path
        self.script_panel.set_text(text)
        self.script_panel.clear_error()
        self.script_panel.editor.clear_marks()
        self._update_title()
        self._fit_next = True

    def open_script(self, path: str) -> None:
        text = Path(path).read_text(encoding="utf-8")
        self.load_script(text, str(path))
        self._rebuild_recent_menu(self.settings.add_recent(str(path)))

    def open_example(self, name: str) -> None:
        path = examples_dir() / name
        self.load_script(path.read_text(encoding="utf-8"), None)
        self.statusBar().showMessage(f"Example {name} loaded: press F5 to run", 4000)

    def _confirm_discard(self) -> bool:
        if not self.script_panel.editor.document().isModified() or not self.path:
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", "The script has unsaved changes. Save them first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard |
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_script()
        return answer == QMessageBox.StandardButton.Discard

    def new_script(self) -> None:
        if self._confirm_discard():
            self.load_script("import torch\n\n", None)

    def open_script_dialog(self) -> None:
        if not self._confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open script", str(Path.cwd()),
                                              "Python scripts (*.py);;All files (*)")
        if path:
            self.open_script(path)

    def save_script(self) -> bool:
        if not self.path:
            return self.save_script_as()
        return self.write_script(self.path)

    def save_script_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save script", self.path or "script.py",
                                              "Python scripts (*.py)")
        return self.write_script(path) if path else False

    def write_script(self, path: str) -> bool:
        Path(path).write_text(self.script_panel.text(), encoding="utf-8")
        self.path = str(path)
        self.script_panel.editor.document().setModified(False)
        self._rebuild_recent_menu(self.settings.add_recent(self.path))
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 3000)
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
            QMessageBox.warning(self, "File not found", f"{path} no longer exists.")
            return
        if self._confirm_discard():
            self.open_script(path)

    def _rebuild_examples_menu(self) -> None:
        self.examples_menu.clear()
        for path in sorted(examples_dir().glob("*.py")):
            if path.name.startswith("_"):
                continue
            act = self.examples_menu.addAction(path.stem.replace("_", " "))
            act.setToolTip(str(path))
            act.triggered.connect(lambda _=False, n=path.name: self.open_example(n))

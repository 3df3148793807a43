"""The console tab: what the script printed, read-only, in a monospace font."""
from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from .editor import monospace_font


class ConsoleView(QPlainTextEdit):
    """Read-only output pane; `set_output` replaces, `append_output` adds.

    >>> c = ConsoleView(); c.set_output("tensor([1.])\\n"); c.text()
    'tensor([1.])\\n'
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFont(monospace_font(10))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._text = ""
        self._retranslate()

    def _retranslate(self) -> None:
        self.setPlaceholderText(self.tr("What the script prints appears here."))

    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def text(self) -> str:
        return self._text

    def set_output(self, text: str) -> None:
        if text == self._text:
            return
        if text.startswith(self._text) and self._text:
            self.append_output(text[len(self._text):])
            return
        self._text = text
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.End)

    def append_output(self, text: str) -> None:
        self._text += text
        self.moveCursor(QTextCursor.MoveOperation.End)
        self.insertPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.End)

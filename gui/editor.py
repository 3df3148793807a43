"""The script editor: a QPlainTextEdit with line numbers, the current statement and an error
line marked, plus the error banner under it. It edits text; running it is the window's job."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from .error_help import explain
from .highlighter import PythonHighlighter
from .theme import LIGHT, Theme


def monospace_font(point_size: int = 11) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(point_size)
    return font


class LineNumberArea(QWidget):
    """The gutter left of the editor; it asks the editor to paint it."""

    def __init__(self, editor: CodeEditor):
        super().__init__(editor)
        self._editor = editor

    # Override from QWidget
    def sizeHint(self) -> QSize:
        return QSize(self._editor.line_number_area_width(), 0)

    # Override from QWidget
    def paintEvent(self, event) -> None:
        self._editor.paint_line_numbers(event)


class CodeEditor(QPlainTextEdit):
    """Python editor with a line-number gutter, highlighting and two kinds of marks:
    the current statement (lines `first..last`) and an error line.

    >>> ed = CodeEditor(); ed.setPlainText("x = 1\\ny = 2"); ed.mark_statement(2, 2)
    """

    def __init__(self, parent=None, theme: Theme = LIGHT):
        super().__init__(parent)
        self._theme = theme
        self._statement: tuple[int, int] | None = None
        self._source: tuple[int, int] | None = None   # the lines that made the selected node
        self._error_line: int | None = None
        self.setFont(monospace_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))
        self._gutter = LineNumberArea(self)
        self.highlighter = PythonHighlighter(self.document(), theme)
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self._update_gutter_width()

    # ------------------------------------------------------------------ marks
    def mark_statement(self, first: int | None, last: int | None = None) -> None:
        """Mark lines `first..last` (1-based) as the current statement; None clears it."""
        self._statement = None if first is None else (first, last or first)
        self._refresh_marks()
        if first is not None:
            self._scroll_to_line(first)

    def mark_source(self, first: int | None, last: int | None = None) -> None:
        """Mark lines `first..last` (1-based) as those that made the node selected in the
        graph (a source link); None clears it."""
        self._source = None if first is None else (first, last or first)
        self._refresh_marks()
        if first is not None:
            self._scroll_to_line(first)

    @property
    def source_lines(self) -> tuple[int, int] | None:
        return self._source

    def mark_error(self, lineno: int | None) -> None:
        """Mark line `lineno` (1-based) as the offending line; None clears it."""
        self._error_line = lineno
        self._refresh_marks()
        if lineno is not None:
            self._scroll_to_line(lineno)

    def clear_marks(self) -> None:
        self._statement = None
        self._error_line = None
        self._refresh_marks()

    @property
    def statement_lines(self) -> tuple[int, int] | None:
        return self._statement

    @property
    def error_line(self) -> int | None:
        return self._error_line

    def swap_document(self, doc: QTextDocument, keeper: QObject) -> QTextDocument:
        """Edit `doc` from now on and return the document edited until now, handed to
        `keeper` (QPlainTextEdit deletes a document that is its own child when it is
        replaced): its text, undo history and highlighter wait there untouched. `doc` becomes
        the editor's, highlighted in the editor's theme (its own highlighter, if it had one)."""
        old = self.document()
        old.setParent(keeper)
        if doc.documentLayout() is None or \
                not isinstance(doc.documentLayout(), QPlainTextDocumentLayout):
            doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
        self.setDocument(doc)
        doc.setParent(self)
        highlighter = doc.findChild(PythonHighlighter)
        self.highlighter = highlighter if highlighter is not None else \
            PythonHighlighter(doc, self._theme)
        self.highlighter.set_theme(self._theme)   # the theme may have changed meanwhile
        return old

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.highlighter.set_theme(theme)
        self._refresh_marks()
        self._gutter.update()

    def _line_selection(self, lineno: int, color: str, underline: bool = False):
        sel = QTextEdit.ExtraSelection()
        block = self.document().findBlockByNumber(lineno - 1)
        if not block.isValid():
            return None
        cursor = QTextCursor(block)
        sel.cursor = cursor
        sel.format.setBackground(QColor(color))
        sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        if underline:
            sel.format.setUnderlineStyle(sel.format.UnderlineStyle.WaveUnderline)
            sel.format.setUnderlineColor(QColor(self._theme.nonfinite))
        return sel

    def _refresh_marks(self) -> None:
        sels = []
        if self._source is not None:
            source = QColor(self._theme.selection)
            source.setAlpha(60)
            for line in range(self._source[0], self._source[1] + 1):
                sel = self._line_selection(line, source.name(QColor.NameFormat.HexArgb))
                if sel is not None:
                    sels.append(sel)
        if self._statement is not None:
            first, last = self._statement
            for line in range(first, last + 1):
                sel = self._line_selection(line, self._theme.current_line)
                if sel is not None:
                    sels.append(sel)
        if self._error_line is not None:
            sel = self._line_selection(self._error_line, self._theme.error_line)
            if sel is not None:
                sels.append(sel)
        self.setExtraSelections(sels)
        self._gutter.update()

    def _scroll_to_line(self, lineno: int) -> None:
        block = self.document().findBlockByNumber(max(lineno - 1, 0))
        if block.isValid():
            cursor = QTextCursor(block)
            keep = self.textCursor()
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
            if keep.position() != cursor.position() and self.hasFocus():
                self.setTextCursor(keep)

    # ------------------------------------------------------------------ gutter
    def line_number_area_width(self) -> int:
        digits = max(2, len(str(max(1, self.blockCount()))))
        return 14 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_gutter_width(self, _count: int = 0) -> None:
        self.setViewportMargins(self.line_number_area_width(), 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    # Override from QWidget
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._gutter.setGeometry(QRect(cr.left(), cr.top(), self.line_number_area_width(),
                                       cr.height()))

    def paint_line_numbers(self, event) -> None:
        painter = QPainter(self._gutter)
        theme = self._theme
        painter.fillRect(event.rect(), QColor(theme.background))
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        width = self._gutter.width() - 6
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible() and bottom >= event.rect().top():
                line = number + 1
                color = theme.line_numbers
                if self._error_line == line:
                    painter.fillRect(0, top, self._gutter.width(), height,
                                     QColor(theme.nonfinite))
                    color = "#ffffff"
                elif self._statement and self._statement[0] <= line <= self._statement[1]:
                    painter.fillRect(0, top, 4, height, QColor(theme.active))
                    color = theme.text
                painter.setPen(QColor(color))
                painter.drawText(0, top, width, height, Qt.AlignmentFlag.AlignRight, str(line))
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1
        painter.end()


class ErrorBanner(QLabel):
    """The strip under the editor that shows a script error (line and message)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMargin(6)
        self.setFont(monospace_font(10))
        self.setStyleSheet("QLabel { background: #c62828; color: white; border-radius: 3px; }")
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setToolTip(text)
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()


class ScriptPanel(QWidget):
    """Editor plus error banner: the left dock's content."""

    textEdited = Signal()

    def __init__(self, parent=None, theme: Theme = LIGHT):
        super().__init__(parent)
        self.editor = CodeEditor(self, theme)
        self.error_banner = ErrorBanner(self)
        # under PyTorch's own error text: what a common autograd error means (gui/error_help)
        self.error_help = QLabel(self)
        self.error_help.setWordWrap(True)
        self.error_help.setMargin(6)
        self.error_help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_help.setStyleSheet("QLabel { background: #fdecea; color: #5f1d1d; "
                                      "border-radius: 3px; }")
        self.error_help.hide()
        self._error_text = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error_banner)
        layout.addWidget(self.error_help)
        self.editor.textChanged.connect(self.textEdited)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Start over with `text` (no undo history: the text the app starts with)."""
        self.editor.setPlainText(text)
        self.editor.document().setModified(False)

    def replace_text(self, text: str) -> None:
        """Replace the whole text as one undoable edit (Ctrl+Z brings the old text back);
        the new text counts as unmodified, the old one as modified again after an undo."""
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        start = QTextCursor(self.editor.document())
        self.editor.setTextCursor(start)
        self.editor.document().setModified(False)

    def show_error(self, lineno: int | None, message: str) -> None:
        """The error as the script's engine wrote it, and under it, for a common autograd
        error, what it means in the user's language."""
        self.editor.mark_error(lineno)
        self.error_banner.show_error(message)
        self._error_text = message
        self._explain()

    def _explain(self) -> None:
        help_text = explain(self._error_text) if self._error_text else ""
        self.error_help.setText(help_text)
        self.error_help.setVisible(bool(help_text))

    def clear_error(self) -> None:
        self.editor.mark_error(None)
        self.error_banner.clear_error()
        self._error_text = ""
        self._explain()

    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._explain()
        super().changeEvent(event)

"""The timeline as a list under the graph (one row per statement and backward step): a list
model over the timeline's entries, whose rows are written only when the view shows them."""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView

from .model.i18n import retranslate


class TimelineModel(QAbstractListModel):
    """The entries of one timeline as rows ``"  3  line 2: x = ..."`` in the user's language;
    a row's text is made when a view asks for it (a big run has tens of thousands)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list = []

    def set_timeline(self, timeline) -> None:
        """Show the entries of `timeline` (None: none), their texts in the language now."""
        self.beginResetModel()
        self._entries = list(timeline.entries) if timeline is not None else []
        self.endResetModel()

    def row_text(self, row: int) -> str:
        label = retranslate(getattr(self._entries[row], "label", "") or "")
        return f"{row + 1:>3}  {label}"

    # Override from QAbstractItemModel
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._entries)

    # Override from QAbstractItemModel
    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and \
                0 <= index.row() < len(self._entries):
            return self.row_text(index.row())
        return None


class TimelineList(QListView):
    """The timeline's rows; `currentRowChanged(row)` when the user picks one (as
    QListWidget's); `setCurrentRow` moves the mark (the view scrolls to it)."""

    currentRowChanged = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.timeline_model = TimelineModel(self)
        self.setModel(self.timeline_model)
        self.setUniformItemSizes(True)   # no row is measured but the first
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.currentRowChanged.emit(current.row()))

    def set_timeline(self, timeline) -> None:
        self.timeline_model.set_timeline(timeline)

    def count(self) -> int:
        return self.timeline_model.rowCount()

    def row_text(self, row: int) -> str:
        """The text of row `row`, as drawn."""
        return self.timeline_model.row_text(row)

    def currentRow(self) -> int:
        return self.currentIndex().row()

    def setCurrentRow(self, row: int) -> None:
        self.setCurrentIndex(self.timeline_model.index(row, 0))

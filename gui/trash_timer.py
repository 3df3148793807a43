"""Empties a `model.trash.Trash` between event-loop turns: what a replaced graph held (the old
document, the scene's old items) is freed a few milliseconds at a time once the new graph is
built, instead of in one long block of the GUI thread."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from .model.trash import Trash


class TrashTimer(QObject):
    """`add` things to free; a timer frees them for `SLICE` seconds every `INTERVAL_MS`, not
    while ``busy()`` says the GUI thread has better to do (a graph being built) or another
    thread needs the GIL (a job running).

    The old 20,005-node document and scene take about 0.3 s of CPU so (0.15-0.2 s freed at
    once, in one block), none of it while the next graph is run, laid out or built."""

    #: seconds of freeing per turn (under the 16 ms of a frame, with room for the frame)
    SLICE = 0.008
    #: milliseconds between two turns (the rest of the time is the event loop's)
    INTERVAL_MS = 10

    def __init__(self, parent: QObject | None = None, busy: Callable[[], bool] | None = None):
        super().__init__(parent)
        self.trash = Trash()
        self._busy = busy
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer)

    def add(self, *objs) -> None:
        """Free ``objs`` later (what still holds them keeps them, see `Trash`)."""
        self.trash.add(*objs)
        if len(self.trash):
            self._timer.start()

    @property
    def pending(self) -> bool:
        """Whether something is left to free."""
        return bool(len(self.trash))

    def empty(self) -> None:
        """Free everything now (tests, the window's end)."""
        while not self.trash.empty_for(1.0):
            pass
        self._timer.stop()

    def _on_timer(self) -> None:
        if self._busy is not None and self._busy():
            return
        if self.trash.empty_for(self.SLICE):
            self._timer.stop()

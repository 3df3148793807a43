"""Python's cyclic garbage collector kept to the GUI thread while a window is open: a collection
that starts in a worker thread (a job, a child process's waiter) frees the Qt objects of the
cycles it finds there, and Qt crashes when a widget, scene or timer dies outside its thread.

A closed window waiting for its ``deleteLater`` lives on in cycles of its own (signals connected
to its bound methods): Python's automatic collection runs in whichever thread allocates past
the threshold, so without this a job's thread could delete that window, its scene and timers.
While a `MainWindow` exists, the automatic collection is off and a timer of the GUI thread
collects with Python's own thresholds (as pyqtgraph's ``GarbageCollector`` does); once the last
window is gone it is collected once more here and the automatic collection is back on.
(Between a window's end and its ``destroyed`` signal, or while a worker's `collector_paused`
block that began before the window ends, the automatic collector's state can lag: `collect_due`
turns it off again at its next look.)
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from .model.graph import collector_is_paused

#: how often the GUI thread looks whether a collection is due (milliseconds)
INTERVAL_MS = 250

_holders = 0
_timer: list[QTimer] = []


def collect_due() -> int:
    """Collect the generations whose counts passed Python's thresholds (what the automatic
    collector would have done since the last look); the number of objects collected."""
    if gc.isenabled():   # someone turned it on again (a paused collector's "was on")
        gc.disable()
    if collector_is_paused():   # a job builds a big document (model/graph.py): not now
        return 0
    t0, t1, t2 = gc.get_threshold()
    c0, c1, c2 = gc.get_count()
    if c0 <= t0:
        return 0
    if c1 <= t1:
        return gc.collect(0)
    if c2 <= t2:
        return gc.collect(1)
    return gc.collect(2)


def hold(owner: QObject) -> None:
    """Keep the cyclic collector to the GUI thread for as long as `owner` (a window) exists:
    call it in the GUI thread, in the owner's ``__init__``."""
    global _holders
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("hold(): create the QApplication first")
    _holders += 1
    if _holders == 1:
        gc.disable()
        timer = QTimer(app)
        timer.setInterval(INTERVAL_MS)
        timer.timeout.connect(collect_due)
        timer.start()
        _timer[:] = [timer]
    owner.destroyed.connect(_release)


def _release(_owner=None) -> None:
    """One holder is gone (its ``destroyed``, in the GUI thread); after the last one the
    collector collects here once and runs by itself again."""
    global _holders
    _holders = max(0, _holders - 1)
    if _holders:
        return
    while _timer:
        timer = _timer.pop()
        timer.stop()
        timer.deleteLater()
    gc.collect()
    gc.enable()

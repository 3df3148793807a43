"""gui/collector.py: while a window is open, Python's cyclic collector never runs in a worker
thread (where it would delete a closed window's widgets, scene and timers: the PySide segfault
of test_i18n.py and test_tour.py in one process), and the GUI thread collects in its place."""
import gc
import threading
import weakref

from PySide6.QtCore import QSettings

from gradtrace.gui import collector
from gradtrace.gui.app import MainWindow


class _Cycle:
    pass


def _garbage_cycle(freed: list) -> weakref.ref:
    """A cycle no one refers to; `freed` gets the name of the thread that frees it."""
    obj = _Cycle()
    obj.me = obj
    return weakref.ref(obj, lambda _: freed.append(threading.current_thread().name))


def _allocate_in_a_thread() -> None:
    """What a job does: many container objects, far past every generation's threshold."""
    def work():
        keep = []
        for _ in range(300_000):
            keep.append([])
    thread = threading.Thread(target=work, name="worker")
    thread.start()
    thread.join()


def _more_garbage_here() -> None:
    """What the GUI thread goes on making (cycles), past the youngest generation's threshold:
    the timer's next look collects."""
    for _ in range(2 * gc.get_threshold()[0]):
        cycle: list = []
        cycle.append(cycle)


def test_with_a_window_open_only_the_gui_thread_collects(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    assert not gc.isenabled()
    freed: list = []
    ref = _garbage_cycle(freed)
    _allocate_in_a_thread()
    assert freed == [] and ref() is not None   # the worker's allocations collected nothing
    _more_garbage_here()
    qtbot.waitUntil(lambda: freed != [], timeout=5000)
    assert freed == ["MainThread"]


def test_a_scene_in_a_cycle_is_freed_in_the_gui_thread(qtbot, tmp_path):
    """A scene of its own (as `gradtrace render` makes one in-process), its timers made in the
    GUI thread, dropped in a cycle: a worker's allocations do not free it, the GUI thread
    does."""
    from gradtrace.gui.graph_scene import GraphScene
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    scene = GraphScene()
    freed: list = []
    scene.destroyed.connect(lambda *_: freed.append(threading.current_thread().name))
    scene.myself = scene   # only a cycle keeps it
    del scene
    _allocate_in_a_thread()
    assert freed == []
    _more_garbage_here()
    qtbot.waitUntil(lambda: freed != [], timeout=5000)
    assert freed == ["MainThread"]


def test_the_collector_runs_by_itself_once_the_last_window_is_gone(qapp, tmp_path):
    from PySide6.QtCore import QCoreApplication, QEvent
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)   # earlier tests' windows
    assert collector._holders == 0 and gc.isenabled()
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert collector._holders == 1 and not gc.isenabled()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert collector._holders == 0 and gc.isenabled()

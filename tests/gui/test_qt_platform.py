"""The Qt platform the app stands on: fonts exist, QtSvg imports, and the PySide6 6.12
reference-count bug (thousands of QGraphicsItem.setPos calls abort Python) is absent."""
import subprocess
import sys
import textwrap

import PySide6
from PySide6.QtGui import QFontDatabase


def test_pyside6_below_6_12():
    major, minor = (int(p) for p in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12), "PySide6 6.12.0 aborts after many setPos calls"


def test_fonts_are_installed(qapp):
    # without fonts Qt silently draws empty boxes instead of text
    assert QFontDatabase.families()


def test_qtsvg_generator_imports():
    from PySide6.QtSvg import QSvgGenerator  # noqa: F401 - part of PySide6-Essentials


CANARY = textwrap.dedent("""
    import os
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QGraphicsScene
    app = QApplication([])
    scene = QGraphicsScene()
    item = QGraphicsRectItem(0, 0, 10, 10)
    scene.addItem(item)
    for i in range(20000):
        item.setPos(QPointF(i % 300, i % 200))
        item.setPos(float(i % 7), float(i % 5))
    print("ok", item.pos().x())
""")


def test_setpos_loop_does_not_abort_the_interpreter():
    # run apart: the 6.12 bug kills the interpreter ("deallocating None"), not a test
    proc = subprocess.run([sys.executable, "-c", CANARY], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("ok")


def test_missing_display_and_x11_libraries_are_named():
    from gradtrace.gui.__main__ import display_problem
    assert "xvfb-run" in display_problem({}, lambda lib: "lib.so")
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    found = display_problem({"DISPLAY": ":0"}, lambda lib: None if lib == "xcb-cursor" else "x.so")
    assert found.endswith("sudo apt-get install libxcb-cursor0")
    assert display_problem({"DISPLAY": ":0"}, lambda lib: "x.so") is None


def test_show_without_a_screen_says_so_instead_of_hanging(monkeypatch):
    import gradtrace.core as torch
    from gradtrace.gui import show
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    if not sys.platform.startswith("linux"):
        return
    x = torch.ones(2, requires_grad=True)
    try:
        show((x * x).sum())
    except RuntimeError as exc:
        assert "xvfb-run" in str(exc)
    else:
        raise AssertionError("show() returned without a screen")

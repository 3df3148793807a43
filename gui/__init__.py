"""gradtrace.gui: the PySide6 application; gui/model/ is its Qt-free heart.

`show(*tensors)` opens the viewer on those tensors' graph from a user's own program and returns
when the window closes (like ``plt.show()``); `python -m gradtrace.gui` opens the debugger."""
from __future__ import annotations

import inspect

__all__ = ["show"]


def _caller_names(frame, tensors) -> dict:
    """Names the caller gave the tensors in its graph: locals first, then globals."""
    from .model.graph import is_tensor
    names = {}
    if frame is None:
        return names
    for scope in (frame.f_globals, frame.f_locals):
        for name, value in scope.items():
            if not name.startswith("_") and is_tensor(value):
                names[name] = value
    return names


def show(*tensors, names: dict | None = None, block: bool = True):
    """Open the gradtrace viewer on the graph behind `tensors`; return when it is closed.

    Tensors are labelled with the caller's variable names (or `names`, name -> tensor).

    >>> import gradtrace.core as torch                       # doctest: +SKIP
    >>> x = torch.ones(2, requires_grad=True); loss = (x * x).sum()
    >>> gradtrace.gui.show(loss)                            # doctest: +SKIP
    """
    import os
    import sys

    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop
    from PySide6.QtWidgets import QApplication

    if not tensors:
        raise TypeError("show() needs at least one tensor")
    if names is None:
        frame = inspect.currentframe()
        names = _caller_names(frame.f_back if frame is not None else None, tensors)
        del frame
    from .__main__ import display_problem
    problem = display_problem()
    if problem is not None:
        if block:  # no window could ever be closed: say so instead of waiting forever
            raise RuntimeError(f"gradtrace.gui.show(): {problem}")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1] or ["gradtrace"])
        app.setStyle("Fusion")
    from . import pipeline
    from .app import MainWindow

    doc = pipeline.tensors_document(list(tensors), names)
    window = MainWindow(viewer=True)
    window.show_document(doc)
    window.show()
    if not block:
        return window
    loop = QEventLoop()
    window.closed.connect(loop.quit)
    loop.exec()
    # gone now, not at the next event loop: the collector runs by itself again (gui/collector.py)
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del app
    return None

"""File > Export in the window: the actions wait for a graph (before any run there is nothing to
write), and export() called anyway says so instead of failing inside the writer."""
import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui.app import MainWindow


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    return w


def test_export_actions_wait_for_a_graph(window, qtbot, tmp_path):
    actions = window.actions_.export
    assert set(actions) == {"png", "svg", "dot", "json"}
    assert not any(act.isEnabled() for act in actions.values())
    for fmt in actions:
        with pytest.raises(ValueError, match="no script has run yet"):
            window.export(str(tmp_path / f"graph.{fmt}"))
        assert not (tmp_path / f"graph.{fmt}").exists()
    with qtbot.waitSignal(window.documentReady, timeout=30_000):
        window.run_script()
    assert all(act.isEnabled() for act in actions.values())
    assert '"x"' in window.export(str(tmp_path / "graph.dot")).read_text()

"""The timeline list under the graph (pytest-qt, offscreen): its rows, picking one, following
the player, and rows written only when shown."""
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui import timeline_list
from gradtrace.gui.app import MainWindow
from gradtrace.gui.timeline_list import TimelineList


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    return w


def _timeline(n: int):
    return SimpleNamespace(entries=[SimpleNamespace(label=f"backward step {k}")
                                    for k in range(n)])


def test_rows_read_as_the_entries_and_picking_one_says_which(qtbot):
    view = TimelineList()
    qtbot.addWidget(view)
    view.set_timeline(_timeline(30))
    assert view.count() == 30
    assert view.row_text(0) == "  1  backward step 0"
    assert view.row_text(11) == " 12  backward step 11"
    index = view.model().index(11, 0)
    assert view.model().data(index) == view.row_text(11)
    with qtbot.waitSignal(view.currentRowChanged) as got:
        view.setCurrentRow(4)
    assert got.args == [4] and view.currentRow() == 4
    view.set_timeline(None)
    assert view.count() == 0 and view.currentRow() == -1


def test_a_long_timeline_writes_only_the_rows_in_view(qtbot, monkeypatch):
    # 16,000 entries: the list makes the texts of the rows it shows, not of every row
    written = []
    monkeypatch.setattr(timeline_list, "retranslate", lambda text: written.append(text) or text)
    view = TimelineList()
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    view.set_timeline(_timeline(16_000))
    view.setCurrentRow(15_000)   # the view scrolls there (its layout waits a turn)
    qtbot.waitUntil(lambda: "backward step 15000" in written)
    view.viewport().repaint()
    assert view.count() == 16_000
    assert len(written) < 500


def test_the_window_list_follows_the_player_and_seeks_it(window, qtbot):
    w = window
    w.script_panel.set_text("import torch\nx = torch.ones(2, requires_grad=True)\n"
                            "y = (x * 3).sum()\ny.backward()\n")
    with qtbot.waitSignal(w.documentReady, timeout=20000):
        w.run_script()
    n = len(w.document.timeline)
    assert w.timeline_list.count() == n
    w.player_widget.to_end()
    assert w.timeline_list.currentRow() == n - 1
    w.timeline_list.setCurrentRow(1)
    assert w.player_widget.position == 1

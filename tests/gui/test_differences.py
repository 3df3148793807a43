"""Run > Compare engines… (gui/differences.py): `gradtrace compare --json` in its own process,
its report in the Differences tab row by row, a row's click selecting its node; a planted bug
on gradtrace's engine found at its node, a failing run and a refused one."""
import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from gradtrace.gui.app import MainWindow
from gradtrace.gui.model.compare import Comparison, Difference, FiniteDifference
from tests.gui.custom_function import SQUARE

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
TIMEOUT = 300_000

# `gradtrace compare --json` with a bug planted in what gradtrace's engine runs (the custom
# Function's backward three times too big there only), as the real command runs it
PLANTED = """\
import sys
from gradtrace.gui.model import compare, runner
from gradtrace.gui.model.torch_runner import TorchScriptRunner

class Planted(runner.ScriptRunner):
    def start(self, source):
        return super().start(source.replace("return 2 * x * grad", "return 6 * x * grad"))

real = compare.compare_script
compare.compare_script = lambda source, runners=None, **kw: real(
    source, {"gradtrace": Planted, "torch": TorchScriptRunner}, **kw)
from gradtrace.gui.__main__ import main
sys.exit(main(["compare", "--json", sys.argv[1]]))
"""


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.questions = []
    w.ask_run_unsandboxed = lambda: w.questions.append(1) or True
    w.show()
    return w


@pytest.mark.torch
def test_a_planted_bug_is_listed_and_its_row_selects_the_node(window, qtbot, tmp_path):
    pytest.importorskip("torch")
    wrapper = tmp_path / "planted.py"
    wrapper.write_text(PLANTED)
    panel = window.differences
    panel.command = lambda path: [sys.executable, str(wrapper), path]
    window.script_panel.set_text(SQUARE)
    with qtbot.waitSignal(panel.finished, timeout=TIMEOUT) as done, \
            qtbot.waitSignal(window.documentReady, timeout=TIMEOUT):
        assert window.compare_engines()
    assert window.questions == [1]   # PyTorch runs unsandboxed: asked as for any run
    assert window.bottom_tabs.currentWidget() is panel
    comparison = done.args[0]
    assert comparison is not None and not comparison.ok
    rows = panel.rows()
    culprit = next(i for i, (what, where, _) in enumerate(rows) if what == "Backward")
    assert rows[culprit][1] == "SquareBackward#0@y"
    assert "received the same gradient" in rows[culprit][2]
    assert any(what == ".grad" and where == "x" for what, where, _ in rows)
    verdicts = {text.split(",")[0]: text.endswith("WRONG") for what, _, text in rows
                if what == "Finite differences"}
    assert verdicts == {"gradtrace": True, "PyTorch": False}
    assert "difference" in panel.status.text()
    panel.select_row(culprit)   # a click on the row: the node selected and inspected
    assert window.graph_view.graph_scene._selected == "SquareBackward#0@y"
    assert window.inspected == "SquareBackward#0@y"
    fd_row = next(i for i, (what, where, _) in enumerate(rows) if what == "Finite differences")
    panel.select_row(fd_row)
    assert window.graph_view.graph_scene._selected == "x"


def test_a_failed_comparison_says_why(window, qtbot):
    panel = window.differences
    panel.command = lambda path: [sys.executable, "-c", "import sys; sys.stderr.write("
                                  "'gradtrace compare: cannot read it\\n'); sys.exit(2)"]
    with qtbot.waitSignal(panel.finished, timeout=60_000) as done:
        panel.compare("x = 1\n")
    assert done.args[0] is None
    assert "could not run" in panel.status.text() and "cannot read it" in panel.status.text()
    assert panel.rows() == [] and not panel.running


def test_refusing_pytorch_compares_nothing(window):
    pytest.importorskip("torch")
    window.ask_run_unsandboxed = lambda: False
    assert window.compare_engines() is False
    assert not window.differences.running and window.differences.rows() == []


def test_rows_of_an_agreeing_report_and_lines(window, qtbot):
    panel = window.differences
    ok = Comparison([], ["gradtrace (sandboxed) against PyTorch 2.13: 7 and 7 statement(s) ran"],
                    [FiniteDifference("torch", "x", "float64", (0, 2, 3), 1e-10, True)])
    panel.show_comparison(ok)
    assert "agree" in panel.status.text()
    assert panel.rows()[1] == ("Finite differences", "x",
                               "PyTorch, float64: 3 entries checked, max error 1e-10: ok")
    named = Comparison([Difference("name", "line 16: out = (y / t)", "gradtrace records "
                                   "DivBackward0 where PyTorch records MulBackward0", line=16,
                                   code="out = (y / t)")])
    window.script_panel.set_text(SQUARE)
    panel.show_comparison(named)
    assert panel.rows()[0][1] == "line 16: out = (y / t)"
    panel.select_row(0)   # no node of that name: the editor goes to its line (the data's)
    assert window.script_panel.editor.textCursor().blockNumber() + 1 == 16
    # a place's words are not parsed: a row whose text says "line 3" goes where its data says
    called = Comparison([Difference("gradient", "call 1 (line 3: out.backward())", "far",
                                    line=9, call=1, code="out.backward()")])
    panel.show_comparison(called)
    panel.select_row(0)
    assert window.script_panel.editor.textCursor().blockNumber() + 1 == 9


def test_the_report_speaks_the_apps_language(window, qtbot):
    from gradtrace.gui.model.compare import Compare
    # made in English, as the comparison's own process makes it, and sent as JSON
    text = Compare.tr("%n node(s) received different gradients", "", 2)
    data = json.loads(json.dumps(Comparison(
        [Difference("gradient", "call 1 (line 3: out.backward())", text, line=3, call=1,
                    code="out.backward()"),
         Difference("output", "printed line 2", "-", printed=2),
         Difference("order", "the run", "-")]).as_dict()))
    assert data["differences"][0]["line"] == 3 and data["differences"][0]["call"] == 1
    assert data["differences"][0]["where"] == "call 1 (line 3: out.backward())"   # stable
    panel = window.differences
    try:
        window.set_language("zh_CN")
        panel.show_comparison(Comparison.from_dict(data))
        assert panel.rows()[0] == ("梯度", "第 1 次调用（第 3 行：out.backward()）",
                                   "2 个节点收到了不同的梯度")
        assert [r[1] for r in panel.rows()[1:]] == ["打印的第 2 行", "整次运行"]
        window.set_language("zh_TW")   # shown again in the new language
        qtbot.waitUntil(lambda: panel.rows()[0][2] == "2 個節點收到了不同的梯度", timeout=5000)
        assert panel.rows()[0][1] == "第 1 次呼叫（第 3 行：out.backward()）"
        window.set_language("en")
        qtbot.waitUntil(lambda: panel.rows()[0][2] == "2 nodes received different gradients",
                        timeout=5000)
        assert panel.rows()[0][1] == "call 1 (line 3: out.backward())"
        panel.select_row(0)
        assert window.script_panel.editor.textCursor().blockNumber() + 1 == 3
    finally:
        window.set_language("en")

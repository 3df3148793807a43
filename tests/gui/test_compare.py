"""`gradtrace compare` (gui/model/compare.py): one script on both engines, node by node; a
wrong backward is found at its node, and the finite-difference check catches a wrong custom
Function on either engine."""
from pathlib import Path

import pytest

pytest.importorskip("torch")

from gradtrace.gui import __main__ as cli  # noqa: E402
from gradtrace.gui.model.compare import compare_script  # noqa: E402
from gradtrace.gui.model.runner import ScriptRunner  # noqa: E402
from gradtrace.gui.model.torch_runner import TorchScriptRunner  # noqa: E402
from tests.gui.custom_function import SQUARE  # noqa: E402

pytestmark = pytest.mark.torch
EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def _edited(runner_class, old, new):
    """A runner that runs the script with ``old`` replaced by ``new`` (a planted bug)."""
    class Edited(runner_class):
        def start(self, source):
            assert old in source
            return super().start(source.replace(old, new))
    return Edited


def test_the_tutorial_agrees_and_passes_finite_differences():
    result = compare_script((EXAMPLES / "tutorial.py").read_text())
    assert result.differences == [] and result.ok
    assert {(f.engine, f.leaf, f.dtype, f.ok) for f in result.finite} == {
        ("gradtrace", "x", "float64", True), ("torch", "x", "float64", True)}


def test_random_leaves_get_pytorchs_values_so_a_training_step_agrees():
    result = compare_script((EXAMPLES / "mlp_step.py").read_text(), finite=False)
    assert result.differences == [], result.lines()
    assert any("w1" in note and "x" in note for note in result.notes)
    unsynced = compare_script((EXAMPLES / "mlp_step.py").read_text(), finite=False,
                              sync_leaves=False)
    assert any(d.kind == "value" and d.where == "x" and "random" in d.text
               for d in unsynced.differences)


def test_a_wrong_backward_on_one_engine_is_found_at_its_node():
    runners = {"gradtrace": _edited(ScriptRunner, "return 2 * x * grad", "return 3 * x * grad"),
               "torch": TorchScriptRunner}
    result = compare_script(SQUARE, runners)
    assert not result.ok
    culprits = [d for d in result.differences if d.kind == "backward"]
    assert [d.where for d in culprits] == ["SquareBackward#0@y"]
    assert "received the same gradient" in culprits[0].text
    assert any(d.kind == "grad" and d.where == "x" for d in result.differences)
    verdicts = {f.engine: f.ok for f in result.finite}
    assert verdicts == {"gradtrace": False, "torch": True}


def test_a_custom_function_wrong_on_both_engines_fails_finite_differences():
    wrong = SQUARE.replace("return 2 * x * grad", "return x * grad")
    result = compare_script(wrong)
    assert result.differences == []       # the engines agree with each other...
    assert not result.ok                  # ...and both are wrong
    assert {f.engine for f in result.finite if not f.ok} == {"gradtrace", "torch"}
    assert any("WRONG" in line for line in result.lines())


def test_a_different_op_name_is_reported_at_its_line():
    runners = {"gradtrace": _edited(ScriptRunner, "out = (y * torch", "out = (y / torch"),
               "torch": TorchScriptRunner}
    result = compare_script(SQUARE, runners, finite=False)
    names = [d for d in result.differences if d.kind == "name"]
    assert len(names) == 1 and names[0].where.startswith("line 16: out = (y")
    assert (names[0].line, names[0].call) == (16, None) and names[0].code.startswith("out = (y")
    assert "DivBackward0" in names[0].text and "MulBackward0" in names[0].text


def test_a_wrong_backward_in_other_languages_with_its_place_as_data(qapp, tmp_path):
    """The call and line of a backward difference are data (JSON's line/call/code beside the
    English `where`), its words shown in the language in use, counts in plural forms."""
    import json

    from gradtrace.gui import i18n
    from gradtrace.gui.model.compare import Comparison
    runners = {"gradtrace": _edited(ScriptRunner, "return 2 * x * grad", "return 3 * x * grad"),
               "torch": TorchScriptRunner}
    result = compare_script(SQUARE, runners, finite=False)
    data = json.loads(json.dumps(result.as_dict()))
    lineno = SQUARE.splitlines().index("out.backward()") + 1
    gradient = next(d for d in data["differences"] if d["kind"] == "gradient")
    assert (gradient["call"], gradient["line"], gradient["code"]) == (1, lineno,
                                                                      "out.backward()")
    assert gradient["where"] == f"call 1 (line {lineno}: out.backward())"
    try:
        i18n.install("zh_CN")
        shown = Comparison.from_dict(data)
        culprit = next(d for d in shown.differences if d.kind == "backward")
        assert f"（第 1 次调用（第 {lineno} 行：out.backward()））" in culprit.text
        lines = shown.lines()
        assert lines[len(shown.notes)] == f"{len(shown.differences)} 处不同："
        assert f"  [gradient] 第 1 次调用（第 {lineno} 行：out.backward()）：" in "\n".join(lines)
        i18n.install("zh_TW")
        assert "第 1 次呼叫" in "\n".join(Comparison.from_dict(data).lines())
        i18n.install("en")
        lines = Comparison.from_dict(data).lines()
        assert lines[len(shown.notes)] == f"{len(shown.differences)} differences:"
        assert f"  [gradient] call 1 (line {lineno}: out.backward()): 1 node received " \
            "different gradients" in lines
    finally:
        i18n.install("en")


def test_compare_command_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.py"
    good.write_text(SQUARE)
    assert cli.main(["compare", str(good)]) == 0
    assert "no differences" in capsys.readouterr().out
    bad = tmp_path / "bad.py"
    bad.write_text(SQUARE.replace("return 2 * x * grad", "return x * grad"))
    assert cli.main(["compare", str(bad), "--samples", "2"]) == 1
    assert "WRONG" in capsys.readouterr().out
    try:   # the terminal report in the language asked for
        assert cli.main(["compare", str(bad), "--samples", "2", "--lang", "zh_CN"]) == 1
        out = capsys.readouterr().out
        assert "没有不同" in out and "有限差分" in out and "：错误" in out
    finally:
        from gradtrace.gui import i18n
        i18n.install("en")
    assert cli.main(["compare", str(tmp_path / "missing.py")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["small_cnn.py", "transformer_block.py", "nn_training.py"])
def test_the_model_examples_agree_node_by_node(name):
    result = compare_script((EXAMPLES / name).read_text(), finite=False)
    assert result.differences == [], result.lines()

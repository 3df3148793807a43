"""The examples written as PyTorch's tutorials write them print in the app (the sandboxed
runner) what they print under PyTorch: exactly, addresses aside, where no random input enters,
and line by line in their fixed parts (printouts of modules, nodes, sizes) where one does."""
import contextlib
import io
import re
from pathlib import Path

import pytest

from gradtrace.gui.model.runner import ScriptRunner

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")
_NUMBER = re.compile(r"-?\d+\.\d+(e[-+]\d+)?")


def _in_app(name):
    result = ScriptRunner().run((EXAMPLES / name).read_text())
    assert result.ok, result.error
    return _ADDRESS.sub(" at 0x>", result.output)


def _under_torch(name):
    pytest.importorskip("torch")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile((EXAMPLES / name).read_text(), name, "exec"), {"__name__": "__main__"})
    return _ADDRESS.sub(" at 0x>", out.getvalue())


def test_custom_function_double_backward_prints_what_torch_prints():
    name = "custom_function_double_backward.py"
    assert _in_app(name) == _under_torch(name)


@pytest.mark.parametrize("name", ["cnn_blitz.py", "dataloader_training.py"])
def test_random_examples_print_torchs_lines_with_their_own_numbers(name):
    # numbers replaced, white space dropped (a tensor of other values may wrap differently)
    mine, theirs = (re.sub(r"\s+", "", _NUMBER.sub("#", text))
                    for text in (_in_app(name), _under_torch(name)))
    assert mine == theirs

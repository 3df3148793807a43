"""Issue 15's hostile scripts through the runner and the graph builder: every failure is the
script's error with its line (never the app's traceback, never a bare "SyntaxError: ")."""
from pathlib import Path

import pytest

from gradtrace.gui.model.graph import build_graph
from gradtrace.gui.model.runner import ScriptRunner


def run(source):
    result = ScriptRunner().run(source)
    return result, build_graph(result, include_saved=True)


@pytest.mark.parametrize("value", ["[1]", "{'a': 1}", "torch.ones(2)", "3", "''"])
def test_a_scripts_own_scope_metadata_is_no_group(value):
    # "unhashable type: 'list'" and "Boolean value of Tensor ... is ambiguous" escaped the
    # graph builder's grouping; PyTorch gives metadata["scope"] no meaning
    result, graph = run("import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n"
                        f"y.grad_fn.metadata['scope'] = {value}\nz = y.sum()\n")
    assert result.error is None
    assert {attrs.get("group") for _, attrs in graph.nodes(data=True)} == {None}


def test_a_string_scope_still_groups():
    _, graph = run("import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n"
                   "y.grad_fn.metadata['scope'] = 'block'\nz = y.sum()\n")
    assert "block" in {attrs.get("group") for _, attrs in graph.nodes(data=True)}


def test_deep_module_nesting_is_the_scripts_error_or_drawn():
    result, _ = run("import torch\nfrom torch import nn\nm = nn.Linear(2, 2)\n"
                    "for i in range(3000):\n    m = nn.Sequential(m)\n"
                    "print(len(list(m.named_modules())))\n")
    assert result.error is not None and result.error.lineno == 6
    assert "RecursionError" in result.error.message
    result, graph = run("import torch\nfrom torch import nn\nm = nn.Sequential()\n"
                        "for i in range(3000):\n    m = nn.Sequential(m)\n"
                        "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n")
    assert result.error is None and "x" in graph


def test_printing_a_deeply_nested_list_is_the_scripts_error():
    result, _ = run("import torch\na = []\nfor i in range(100000):\n    a = [a]\nprint(a)\n")
    assert result.error.lineno == 5 and "RecursionError" in result.error.message


DEEP = "\n".join(["import torch", "x = 1", "y = " + "{}", "z = 2", ""])


@pytest.mark.parametrize("name, expression", [
    ("recursion during ast construction", "1" + "+1" * 200_000),
    ("parser stack overflow (MemoryError)", "-" * 100_000 + "1"),
    ("deep attribute chain", "a" + ".b" * 200_000),
])
def test_too_deep_for_the_parser_names_the_line(name, expression):
    result = ScriptRunner().run(DEEP.format(expression))
    error = result.error
    assert error.kind == "syntax" and error.lineno == 3, name
    assert "nested too deeply" in error.message
    assert "line 3: " in str(error)


@pytest.mark.parametrize("source, lineno, col", [
    ("import torch\nx = 1\x00\n", 2, 5),
    ("import torch\nx = '\x00'\n", 2, 5),
])
def test_a_null_byte_names_its_line(source, lineno, col):
    error = ScriptRunner().run(source).error
    assert (error.lineno, error.col, error.kind) == (lineno, col, "syntax")
    assert error.message == "SyntaxError: source code string cannot contain null bytes"


def test_a_lone_surrogate_names_its_line():
    error = ScriptRunner().run("import torch\n\nx = '\ud800'\nprint(x)\n").error
    assert (error.lineno, error.col, error.kind) == (3, 5, "syntax")
    assert "lone surrogate" in error.message and "'\\ud800'" in error.message


def test_deep_lambda_nesting_names_its_line():
    error = ScriptRunner().run("import torch\nf = " + "lambda: " * 2000 + "1\n").error
    assert error.lineno == 2 and "too deeply nested" in error.message


@pytest.mark.parametrize("source", [
    "import torch\nx = " + "not " * 100_000 + "1\n",
    "import torch\nx = 1\x00\n",
    "x = '\udcff'\n",
    "x = " + "(" * 300 + "1" + ")" * 300 + "\n",
])
def test_no_syntax_error_is_bare(source):
    error = ScriptRunner().run(source).error
    assert error is not None and error.lineno is not None
    assert error.message.rstrip() != "SyntaxError:"


ANOMALY = """import torch
def double(a):
    return a * 2
with torch.autograd.detect_anomaly():
    x = torch.zeros(1, requires_grad=True)
    y = double(x)
    q = (y / y).sum()
tb = ''.join(y.grad_fn.metadata['traceback_'])
print(tb)
with torch.autograd.detect_anomaly():
    q.backward()
"""


def test_anomaly_tracebacks_show_the_scripts_frames_only():
    import gradtrace.gui.model.runner as runner_module
    here = str(Path(runner_module.__file__).resolve().parents[2])   # the install directory
    result = ScriptRunner().run(ANOMALY)
    assert result.error.lineno == 11 and "returned nan values" in result.error.message
    frames = result.statements[4].output    # print(tb): the forward stack the script reads
    assert frames == ('  File "<script>", line 6, in <module>\n    y = double(x)\n'
                      '  File "<script>", line 3, in double\n    return a * 2\n\n')
    warned = result.output.split("Traceback of forward call that caused the error:\n")[1]
    assert warned.startswith('  File "<script>", line 7, in <module>\n    q = (y / y).sum()\n')
    for text in (result.output, str(result.error)):
        assert here not in text and "runner.py" not in text and "limits.py" not in text
    # the app's own anomaly tracebacks are left as they were (all frames outside the engine)
    import gradtrace.core as gt
    with gt.autograd.detect_anomaly():
        z = gt.ones(1, requires_grad=True) * 2
    assert __file__ in "".join(z.grad_fn.metadata["traceback_"])


RANDOM = "import torch\nprint(torch.rand(3))\nprint(torch.randn(2, generator=None))\n"
FAILING = "import torch\nimport random\nimport numpy as np\nx = torch.rand(100)\n" \
          "r = random.random()\nn = np.random.rand(5)\nraise ValueError('A fails')\n"


def test_each_run_starts_from_the_same_random_state():
    import gradtrace.core as gt
    first = ScriptRunner().run(RANDOM).output
    gt.manual_seed(1234)                          # the app's (or a test's) own stream moves on
    gt.rand(7)
    failed = ScriptRunner().run(FAILING)
    assert failed.error.lineno == 7
    assert ScriptRunner().run(RANDOM).output == first
    seeded = ScriptRunner().run("import torch\ntorch.manual_seed(5)\nprint(torch.rand(2))\n")
    gt.manual_seed(5)
    assert seeded.output == f"{gt.rand(2)}\n"
    assert ScriptRunner().run("import torch\nprint(torch.initial_seed())\n").output == "0\n"


def test_a_stepped_script_keeps_its_random_stream_between_steps():
    import gradtrace.core as gt
    whole = ScriptRunner().run(RANDOM).output
    session = ScriptRunner().start(RANDOM)
    session.step()
    session.step()
    ScriptRunner().run(FAILING)                   # another run between two steps
    gt.rand(5)
    session.step()
    assert session.result.output == whole


HOOK = """import torch
x = torch.ones(2, requires_grad=True)
def hook(g):
    raise ValueError('my hook fails')
h = x.register_hook(hook)
y = (x * 2).sum()
"""


def test_a_failing_hook_under_run_backward_from_here_is_the_scripts_error():
    from gradtrace.gui.model.playback import Timeline
    result, graph = run(HOOK)
    assert result.error is None
    timeline = Timeline.from_run(result, graph)
    # "Run backward from here" (gui/run_control.py) reports RuntimeError and KeyError; the
    # hook's own ValueError escaped the window's handler as the app's traceback
    with pytest.raises(RuntimeError, match=r"^line 4: raise ValueError\('my hook fails'\): "
                                           r"ValueError: my hook fails$"):
        result.call_in_budget(timeline.add_backward, "y")
    with pytest.raises(KeyError):   # the app's own errors pass unchanged
        result.call_in_budget(timeline.add_backward, "no such node")

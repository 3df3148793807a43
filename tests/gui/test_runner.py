"""Tests for gui/model/runner.py (and its sandbox.py and limits.py): escapes refused, tutorial
scripts run, budgets stop runaway scripts, statements, errors and backward calls recorded."""
import importlib.util
import time
from pathlib import Path

import pytest

import gradtrace.core as engine
from gradtrace.gui.model.runner import (
    BackwardCall,
    RunResult,
    ScriptError,
    ScriptRunner,
    StatementRecord,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.py"))


def _load_escapes():
    spec = importlib.util.spec_from_file_location("sandbox_escapes",
                                                  Path(__file__).with_name("sandbox_escapes.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ESCAPES


ESCAPES = _load_escapes()

TUTORIAL = """import torch
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
out.backward()
print(x.grad)
"""


def run(source, **kwargs):
    return ScriptRunner(**kwargs).run(source)


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------- escapes
@pytest.mark.parametrize("name, source, kinds", ESCAPES, ids=[e[0] for e in ESCAPES])
def test_escape_is_refused_and_nothing_happens(name, source, kinds, in_tmp):
    exported = {n: getattr(engine, n) for n in engine.__all__}
    result = run(source)
    err = result.error
    assert err is not None and not result.ok
    assert err.kind in kinds, str(err)
    if err.kind == "runtime" and "refused" in kinds:
        assert "AttributeError" in err.message
    assert err.lineno is not None and str(err).startswith(f"line {err.lineno}: ")
    assert list(in_tmp.iterdir()) == []
    assert {n: getattr(engine, n) for n in engine.__all__} == exported
    if err.kind == "refused" and not any(s.error for s in result.statements):
        assert result.statements == []        # refused before anything ran


def test_refused_construct_anywhere_runs_nothing(in_tmp):
    result = run("import torch\nprint('ran')\nx = torch.ones(2)\nimport os\n")
    assert result.error.kind == "refused"
    assert result.error.lineno == 4 and result.error.source_line == "import os"
    assert result.statements == [] and result.output == "" and result.tensors == {}
    assert "'os' is not allowed" in str(result.error)


def test_refusal_reports_the_first_offending_line():
    result = run("import torch\nx = 1\ny = x.__class__\nimport os\n")
    assert result.error.kind == "refused"
    assert result.error.lineno == 3
    assert str(result.error).startswith("line 3: y = x.__class__: ")


def test_runtime_refusal_keeps_earlier_statements():
    result = run("import torch\nt = torch.ones(2)\nprint('before')\nf = t.numpy().tofile\n")
    assert result.error.kind == "refused" and result.error.lineno == 4
    assert [s.error is None for s in result.statements] == [True, True, True, False]
    assert result.output == "before\n"
    assert "tofile" in result.error.message


def test_hook_cannot_escape_during_backward(in_tmp):
    result = run("import torch\nx = torch.ones(2, requires_grad=True)\n"
                 "h = x.register_hook(lambda g: g.numpy().tofile('pwned.bin'))\n"
                 "x.sum().backward()\n")
    assert result.error.kind == "refused" and "tofile" in result.error.message
    assert result.error.lineno == 3          # the lambda's line, where the lookup happened
    assert list(in_tmp.iterdir()) == []


def test_engine_modes_are_restored_after_a_script():
    result = run("import torch\ntorch.set_grad_enabled(False)\n"
                 "torch.set_default_dtype(torch.float64)\nx = torch.ones(2)\n")
    assert result.ok, result.error
    assert result.tensors["x"].dtype == engine.float64
    assert engine.is_grad_enabled() and engine.get_default_dtype() == engine.float32


# ---------------------------------------------------------------- legal scripts
def test_pytorch_autograd_tutorial():
    result = run(TUTORIAL)
    assert result.ok, result.error
    assert result.output == "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])\n"
    assert set(result.tensors) == {"x", "y", "z", "out"}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_shipped_examples_run(path):
    result = run(path.read_text())
    assert result.ok, result.error
    assert result.backward_calls


def test_dialect_features_run():
    source = '''import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn import functional as G
from torch import nn as nn2, tensor
import math
from math import pi, sqrt

x = tensor([1.0, -2.0, 3.0], requires_grad=True)
y = F.relu(x) + G.relu(-x) + nn.functional.relu(x) * 0 + nn2.functional.relu(x) * 0
squares = [v * v for v in range(4)]
table = {k: v for k, v in zip("abc", squares)}
evens = sorted(set(i for i in range(10) if i % 2 == 0), reverse=True)
total = sum(squares) + max(squares) + min(3, 4) + abs(-2) + round(2.6) + len(table)
pairs = list(enumerate(["a", "b"]))
a, (b, c) = 1, (2, 3)
total += a + b + c
def scale(t, k=2.0):
    return t * k
double = lambda t: scale(t, 2.0)
z = double(y)
if isinstance(z, torch.Tensor) and isinstance(squares, list) and not isinstance(z, tuple):
    label = f"{z.shape} {z.dtype} {z.device} {z.grad_fn.name()} {pi:.2f} {sqrt(4):.0f}"
for i in range(2):
    z = z + i
with torch.no_grad():
    frozen = z * 2
@torch.no_grad()
def peek(t):
    return t * 3
p = peek(z)
arr = x.detach().numpy()
stats = (arr.shape, float(arr.sum()), arr.tolist(), arr[0], (arr * 2).max(), arr.dtype.name)
x.grad = None
w = torch.zeros(3)
w[0] = 5.0
w.requires_grad = True
words = "a,b".split(",") + ["%d-%s" % (3, "x")]
nexts = z.grad_fn.next_functions
del a
print(label, total, evens, pairs, table["b"], stats, frozen.requires_grad, p.requires_grad)
print(words, len(nexts), math.floor(2.5), any([0, 1]), all([]), list(map(abs, [-1])))
print(list(filter(None, [0, 2])), list(reversed([1, 2])), tuple([1]), dict(a=1), "%.1f" % 2)
'''
    result = run(source)
    assert result.ok, result.error
    first, second, third = result.output.splitlines()
    assert first.startswith("torch.Size([3]) torch.float32 cpu MulBackward0 3.14 2 ")
    assert "[8, 6, 4, 2, 0]" in first and "False False" in first
    assert second == "['a', 'b', '3-x'] 2 2 True True [1]"
    assert third == "[2] [2, 1] (1,) {'a': 1} 2.0"
    assert result.tensors["w"].requires_grad


def test_formatting_and_unpacking_still_work():
    source = ("x = 3.14159\na, *b = [1, 2, 3]\n"
              "print(f'{x:.2f} {x!r:>9}|{\"ab\"!s:^6}|', '%5.1f|%-4d|%d%%' % (x, 7, 5),"
              " *b, [*b])\n")
    result = run(source)
    assert result.ok, result.error
    assert result.output == "3.14   3.14159|  ab  |   3.1|7   |5% 2 3 [2, 3]\n"


def test_numpy_values_can_be_printed_and_used_in_math():
    result = run("import torch\nt = torch.tensor([1.0, 2.0])\na = t.numpy()\n"
                 "print(a, a * 2 + 1, a.mean(), a.reshape(2, 1).shape)\n")
    assert result.ok, result.error
    assert result.output == "[1. 2.] [3. 5.] 1.5 (2, 1)\n"


def test_warnings_go_to_the_output():
    result = run("import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\ng = y.grad\n")
    assert result.ok
    assert result.statements[3].output.startswith("UserWarning: The .grad attribute")


def test_runs_are_independent():
    runner = ScriptRunner()
    assert runner.run("import torch\nx = torch.ones(1)\n").ok
    result = runner.run("y = x\n")
    assert result.error.kind == "runtime" and "NameError" in result.error.message


# ---------------------------------------------------------------- budgets
def test_runaway_loop_stops_at_the_time_budget():
    started = time.perf_counter()
    result = run("for i in range(10**12):\n    pass\n", time_budget=0.3)
    assert 0.25 < time.perf_counter() - started < 3
    assert result.error.kind == "budget" and "time budget" in result.error.message


def test_runaway_recursion_stops_at_the_time_budget():
    source = ("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
              "x = 1\nx = fib(100)\n")
    started = time.perf_counter()
    result = run(source, time_budget=0.3)
    assert time.perf_counter() - started < 3
    assert result.error.kind == "budget" and result.error.lineno == 2
    assert len(result.statements) == 3 and result.statements[1].error is None


@pytest.mark.parametrize("source", [
    "x = sum(range(10**12))",
    "x = [i for i in range(10**12)]",
    "x = max(i for i in range(10**12))",
    "f = lambda i: i\nx = list(map(f, range(10**12)))",
])
def test_loops_in_builtins_and_comprehensions_stop(source):
    started = time.perf_counter()
    result = run(source, time_budget=0.3)
    assert time.perf_counter() - started < 3
    assert result.error.kind == "budget"


def test_element_cap_refuses_huge_tensors_without_allocating():
    started = time.perf_counter()
    result = run("import torch\nx = torch.ones(100000, 100000)\n")
    assert time.perf_counter() - started < 1
    assert result.error.kind == "budget" and result.error.lineno == 2
    assert "10,000,000,000" in result.error.message


@pytest.mark.parametrize("source", [
    "x = torch.ones(11, 10)",
    "x = torch.zeros((11, 10))",
    "x = torch.randn(size=(11, 10))",
    "x = torch.full((11, 10), 2.0)",
    "x = torch.empty(101)",
    "x = torch.rand(101)",
    "x = torch.randint(0, 5, (101,))",
    "x = torch.arange(101)",
    "x = torch.linspace(0, 1, 101)",
    "x = torch.eye(11)",
    "x = torch.tensor(range(101))",
    "x = torch.ones(11)\ny = x[:, None] * x[None, :]",
    "x = torch.ones(11, 1)\ny = x @ x.T",
    "x = torch.ones(11, 1)\ny = torch.matmul(x, x.t())",
    "x = torch.ones(11)\ny = x[:, None] < x[None, :]",
    "x = torch.ones(11)\ny = torch.where(x[:, None] > 0, x[None, :], 0.0)",
    "x = torch.ones(1)\ny = x.expand(101)",
    "x = torch.ones(60)\ny = torch.cat([x, x])",
    "x = torch.ones(2)\ny = x + range(101)",
    "x = torch.ones(2)\ny = torch.add(x, range(101))",
    "x = torch.ones(2)\nx[0:1] = range(101)",
    "x = [0] * 101",
    "x = list(range(101))",
    "x = tuple(range(101))",
    "x = set(range(101))",
    "x = sorted(range(101))",
    "x = dict.fromkeys(range(101))",
    "x = 'a'.ljust(101)",
    "x = 'ab' * 30\ny = x + x",
    "x = [0] * 60\nx.extend(x)",
    "x = ','.join(['ab'] * 40)",
    "a, *b = range(101)",
    "x = [*range(101)]",
    "print(*range(101))",
    "x = f'{1:>{101}}'",
    "x = f'{1.5:.101f}'",
    "x = '%*d' % (101, 1)",
    "x = '%.101f' % 1.0",
    "x = 2 ** 10**9",
    "x = 1 << 10**9",
    "x = pow(3, 10**9)",
    "x = (1).to_bytes(101, 'little')",
    "x = (1).to_bytes(length=101, byteorder='little')",
    "x = (b'a' * 60).hex()",
    "x = ('a' * 10).translate({97: 'b' * 11})",
    "m = torch.nn.Linear(11, 10)",
    "m = torch.nn.Embedding(11, 10)",
    "m = torch.nn.Conv2d(3, 4, 3)",
    "m = torch.nn.Conv1d(in_channels=3, out_channels=4, kernel_size=(9,))",
    "m = torch.nn.LayerNorm(101)",
    "x = torch.nn.functional.one_hot(torch.arange(11), 10)",
    "x = torch.nn.functional.one_hot(torch.arange(11), num_classes=10)",
])
def test_element_cap_applies_before_allocating(source):
    result = run("import torch\n" + source, max_elements=100)
    assert result.error is not None and result.error.kind == "budget", result.error


def test_element_cap_allows_what_fits():
    result = run("import torch\nx = torch.ones(10, 10)\ny = x @ x\nz = [0] * 100\n",
                 max_elements=100)
    assert result.ok, result.error
    result = run("import torch\nm = torch.nn.Linear(10, 10)\nc = torch.nn.Conv2d(4, 4, 2)\n"
                 "b = (1).to_bytes(100, 'big')\nh = (b'a' * 50).hex()\n"
                 "o = torch.nn.functional.one_hot(torch.arange(10), 10)\n", max_elements=100)
    assert result.ok, result.error


# Many objects, each far under the element cap, that together outgrow the process (issue 15:
# 30 strings of 49 MB from ljust, f-string or % widths, to_bytes, copies of a list...). Each
# makes ~100 MB here; the cap is 48 MB of growth.
@pytest.mark.parametrize("source", [
    "x = [('a' * 10).ljust(2_000_000) for i in range(50)]",
    "x = [f'{i:>2000000}' for i in range(50)]",
    "x = ['%2000000d' % i for i in range(50)]",
    "x = [(i).to_bytes(2_000_000, 'little') for i in range(50)]",
    "x = [str(i) * 1000 for i in range(100_000)]",
    "y = [0] * 250_000\nx = [y[:] for i in range(50)]",
    "x = [torch.ones(500_000) for i in range(50)]",
    "x = {i: str(i) for i in range(2_000_000)}",
])
def test_memory_cap_stops_many_objects_under_the_element_cap(source):
    import gc
    import resource
    gc.collect()   # the run before (max_memory=0) left its 100 MB in a reference cycle
    result = run("import torch\n" + source, max_memory=48 << 20)
    error = result.error
    assert error is not None and error.kind == "budget", error
    assert "memory limit of 48 MB" in error.message and error.lineno == source.count("\n") + 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 2_000_000   # KiB: no 2 GB
    assert run("import torch\n" + source, max_memory=0, time_budget=30).ok   # the cap did it


def test_memory_cap_refuses_a_planned_allocation_before_it_is_made():
    result = run("x = 'a' * 30_000_000\n", max_memory=16 << 20)
    assert result.error.kind == "budget"
    assert result.error.message.startswith("a repeated sequence would need 29 MB, past the "
                                           "memory limit of 16 MB")


def test_memory_cap_allows_what_fits():
    assert run("import torch\nx = [torch.ones(100_000) for i in range(10)]\n",
               max_memory=48 << 20).ok


def test_ten_thousand_one_line_statements_run_under_the_default_budget():
    # the per-statement snapshot looks only at what a statement binds, inside the budget
    source = "".join(f"v{i} = {i}\n" for i in range(10_000))
    result = ScriptRunner().run(source)
    assert result.ok, result.error
    assert len(result.statements) == 10_000


# One C call that would run for seconds or minutes past the budget (issue 15): refused from
# its arguments before it starts (the child process's wall is behind these)
@pytest.mark.parametrize("source, message", [
    ("x = pow(3, 10**100000, 10**100000 + 1)", "integer result too large"),
    ("import math\nx = math.lcm(*range(1, 200000))", "math.lcm argument too large"),
    ("import math\nx = math.gcd(*range(1, 200000))", "math.gcd argument too large"),
    ("import math\nx = math.isqrt(int.from_bytes(b'\\xff' * 1_000_000, 'big'))",
     "math.isqrt argument too large"),
    ("a = torch.ones(3000, 3000, dtype=torch.int64)\nb = a @ a", "an integer matmul of shapes"),
    ("a = torch.ones(3000, 3000, dtype=torch.int32)\nb = torch.matmul(a, a)",
     "an integer matmul of shapes (3000, 3000) and (3000, 3000) would take longer"),
    ("import numpy as np\na = np.ones((3000, 3000), dtype=np.int64)\nb = a @ a",
     "an integer matmul"),
])
def test_long_c_calls_are_refused_from_their_arguments(source, message):
    result = run("import torch\n" + source)
    assert result.error is not None and result.error.kind == "budget", result.error
    assert message in result.error.message and result.error.lineno == source.count("\n") + 2


def test_small_c_calls_of_the_same_kinds_run():
    result = run("import torch\nimport math\nprint(pow(3, 65537, 2**4096 - 1) % 7)\n"
                 "print(math.lcm(*range(1, 1000)) % 7, math.gcd(12, 18), math.isqrt(10**100))\n"
                 "a = torch.ones(100, 100, dtype=torch.int64)\nprint((a @ a)[0, 0])\n"
                 "f = torch.ones(1500, 1500)\nprint((f @ f)[0, 0])\n")
    assert result.ok, result.error
    assert result.output.splitlines()[-2:] == ["tensor(100)", "tensor(1500.)"]


ALIASED = "a = [0] * 1000\nfor i in range(6):\n    a = [a] * 1000\n"   # 10**21 items shown


@pytest.mark.parametrize("show", ["print(a)", "x = repr(a)", "x = ascii(a)", "x = f'{a}'",
                                  "x = f'{a!r:>10}'", "x = '%s' % (a,)", "x = '%r' % [a]",
                                  "x = '{}'.format(a)", "x = format(a)", "x = ({'k': a},)\nprint(x)"])
def test_the_text_of_an_aliased_list_is_refused_before_repr_makes_it(show):
    # one C call of repr: minutes and gigabytes; sized first, each container once
    result = run(ALIASED + show)
    error = result.error
    assert error is not None and error.kind == "budget", error
    assert "would hold more than 50,000,000 characters" in error.message
    assert error.lineno == 4 + show.count("\n")


def test_texts_of_ordinary_and_self_containing_containers_are_made():
    result = run("a = []\na.append(a)\nprint(a, repr({1: a}), f'{a}')\n"
                 "b = [1, 'xy', (2.5, None), {3: [4]}]\nprint(b, f'{b}', '%s' % (b,))\n"
                 "s = [str(i) for i in range(100000)]\nprint(len(repr(s)))\n")
    assert result.ok, result.error
    assert result.output.splitlines() == [
        "[[...]] {1: [[...]]} [[...]]",
        "[1, 'xy', (2.5, None), {3: [4]}] " * 2 + "[1, 'xy', (2.5, None), {3: [4]}]",
        str(len(repr([str(i) for i in range(100000)])))]


def test_print_output_is_capped():
    result = run("for i in range(20000):\n    print('x' * 100)\n")
    assert result.ok
    assert 1_000_000 <= len(result.output) < 1_000_100
    assert result.output.endswith("... (output truncated)\n")


def test_tensor_data_must_be_a_tensor():
    result = run("import torch\nx = torch.ones(2)\nx.data = range(10)\n")
    assert result.error.kind == "runtime" and "TypeError" in result.error.message


# ---------------------------------------------------------------- statements and errors
def test_empty_script_runs_nothing():
    for source in ("", "# just a comment\n"):
        result = run(source)
        assert result.ok and result.statements == [] and result.output == ""


def test_too_deeply_nested_script_is_a_syntax_error():
    result = run("x = " + "+".join(["1"] * 100_000))
    assert result.error.kind in ("syntax", "refused") and result.statements == []


def test_session_steps_one_statement_at_a_time():
    session = ScriptRunner().start(TUTORIAL)
    assert not session.finished
    first = session.step()
    assert isinstance(first, StatementRecord)
    assert (first.index, first.lineno, first.source, first.tensors) == (0, 1, "import torch", {})
    second = session.step()
    assert second.lineno == 2 and list(second.tensors) == ["x"]
    assert session.result.statements == [first, second]
    assert set(session.result.tensors) == {"x"}
    records = []
    while (record := session.step()) is not None:
        records.append(record)
    assert session.finished and session.step() is None
    assert [r.lineno for r in records] == [3, 4, 5, 6, 7]
    assert records[-1].output == session.result.output != ""
    assert records[3].output == "" and list(records[3].tensors) == ["x", "y", "z", "out"]
    assert session.result.ok


def test_multiline_statements_keep_their_span():
    result = run("def f(t):\n    u = t + 1\n    return u\nfor i in range(2):\n    pass\n")
    assert [(s.lineno, s.end_lineno) for s in result.statements] == [(1, 3), (4, 5)]
    assert result.statements[0].source == "def f(t):\n    u = t + 1\n    return u"


def test_failing_statement_keeps_earlier_records():
    source = "import torch\nx = torch.ones(2, 3)\nw = torch.ones(2, 2)\ny = x @ w\nz = 1\n"
    result = run(source)
    err = result.error
    assert isinstance(err, ScriptError) and err.kind == "runtime"
    assert (err.lineno, err.col, err.source_line) == (4, 4, "y = x @ w")
    assert str(err) == ("line 4: y = x @ w: RuntimeError: mat1 and mat2 shapes cannot be "
                        "multiplied (2x3 and 2x2)")
    assert len(result.statements) == 4 and result.statements[-1].error == err
    assert set(result.tensors) == {"x", "w"}


def test_error_inside_a_def_points_at_the_def_line():
    source = ("import torch\ndef layer(t):\n    u = t * 2\n    return u @ t\n"
              "x = torch.ones(2, 3)\ny = layer(x)\n")
    result = run(source)
    assert result.error.kind == "runtime" and result.error.lineno == 4
    assert result.error.source_line == "return u @ t"
    assert len(result.statements) == 4


def test_syntax_error_gives_line_and_column():
    result = run("import torch\nx = torch.ones(2\ny = 1\n")
    assert result.error.kind == "syntax" and result.error.lineno == 2
    assert result.error.col is not None
    assert result.statements == []
    result = run("x = 1\ny = = 2\n")
    assert (result.error.kind, result.error.lineno, result.error.col) == ("syntax", 2, 4)
    assert str(result.error).startswith("line 2: y = = 2: SyntaxError: ")


def test_script_error_str_without_place():
    err = ScriptError("boom", None, None, "", "runtime")
    assert str(err) == "boom"


def test_labels_follow_the_latest_binding_and_remember_all_names():
    result = run("import torch\nx = torch.ones(2)\nalias = x\ny = x * 2\nx = y\n")
    x0 = result.statements[1].tensors["x"]
    y = result.tensors["y"]
    assert result.labels[id(x0)] == "alias"
    assert result.aliases[id(x0)] == ["x", "alias"]
    assert result.labels[id(y)] == "x" and result.aliases[id(y)] == ["y", "x"]


def test_scope_of_nodes_made_inside_a_def():
    result = run("import torch\nw = torch.ones(2, requires_grad=True)\nv = w * 5\n"
                 "def square_plus(t):\n    return t * t + t\n"
                 "a = square_plus(w)\nb = square_plus(v)\n")
    assert result.ok
    assert result.tensors["a"].grad_fn.metadata["scope"] == "square_plus"
    mul = result.tensors["a"].grad_fn.next_functions[0][0]
    assert mul.metadata["scope"] == "square_plus"
    assert "scope" not in result.tensors["v"].grad_fn.metadata


# ---------------------------------------------------------------- backward calls
def test_backward_call_records_its_steps():
    result = run(TUTORIAL)
    (call,) = result.backward_calls
    assert isinstance(call, BackwardCall) and call.statement_index == 5
    assert [s.node.name() for s in call.steps] == [
        "MeanBackward0", "MulBackward0", "MulBackward0", "AddBackward0",
        "torch::autograd::AccumulateGrad"]
    assert call.steps[-1].variable is result.tensors["x"]


def test_two_backward_calls_show_accumulation():
    source = ("import torch\nx = torch.ones(2, requires_grad=True)\nloss = (x * 3).sum()\n"
              "loss.backward(retain_graph=True)\nloss.backward()\n")
    result = run(source)
    assert result.ok, result.error
    first, second = result.backward_calls
    assert (first.statement_index, second.statement_index) == (3, 4)
    acc1, acc2 = first.steps[-1], second.steps[-1]
    assert acc1.grad_before is None and acc1.grad_after.tolist() == [3.0, 3.0]
    assert acc2.grad_before.tolist() == [3.0, 3.0] and acc2.grad_after.tolist() == [6.0, 6.0]


def test_autograd_backward_and_grad_are_recorded():
    source = ("import torch\nx = torch.tensor(3.0, requires_grad=True)\ny = x ** 3\n"
              "(dx,) = torch.autograd.grad(y, x, create_graph=True)\n"
              "torch.autograd.backward(dx)\nstep = torch.Tensor.backward\n"
              "z = x * 2\nstep(z)\n")
    result = run(source)
    assert result.ok, result.error
    assert [(c.statement_index, c.kind) for c in result.backward_calls] == [
        (3, "grad"), (4, "backward"), (7, "backward")]
    assert result.tensors["dx"].item() == 27.0
    assert result.tensors["x"].grad.item() == 18.0 + 2.0
    # as in PyTorch, autograd.grad runs no AccumulateGrad: x's gradient is captured on arrival
    assert [s.node.name() for s in result.backward_calls[0].steps] == ["PowBackward0"]


def test_failed_backward_keeps_the_earlier_call():
    source = ("import torch\nx = torch.ones(2, requires_grad=True)\nloss = (x * x).sum()\n"
              "loss.backward()\nloss.backward()\n")
    result = run(source)
    assert result.error.kind == "runtime" and result.error.lineno == 5
    assert "second time" in result.error.message
    assert len(result.backward_calls) == 1


# ---------------------------------------------------------------- devices
def test_cpu_device_runs():
    result = run(TUTORIAL, device="cpu")
    assert result.ok and result.tensors["x"].device.type == "cpu"
    assert str(engine.get_default_device()) == "cpu"


def test_cuda_device_runs_on_the_gpu_or_says_why_not():
    result = run("import torch\nx = torch.ones(2)\n", device="cuda")
    assert str(engine.get_default_device()) == "cpu"
    if engine.cuda.is_available():
        assert result.ok and result.tensors["x"].device.type == "cuda"
    else:
        assert result.error.kind == "runtime" and "cuda" in result.error.message
        assert result.statements == []


def test_result_defaults():
    result = RunResult()
    assert result.ok and result.statements == [] and result.labels == {}


def test_script_modes_persist_between_steps_but_not_outside():
    session = ScriptRunner().start("import torch\ntorch.set_grad_enabled(False)\n"
                                   "torch.autograd.set_detect_anomaly(True)\n"
                                   "x = torch.ones(2, requires_grad=True)\ny = x * 2\n")
    for _ in range(3):
        session.step()
    assert engine.is_grad_enabled() and not engine.autograd.is_anomaly_enabled()
    session.step()
    session.step()
    assert session.result.ok and not session.result.tensors["y"].requires_grad
    assert engine.is_grad_enabled() and not engine.autograd.is_anomaly_enabled()


def test_nn_module_members_are_reachable_and_private_ones_are_not():
    src = ("import torch\n"
           "import torch.nn as nn\n"
           "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))\n"
           "opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
           "loss = model(torch.randn(5, 3)).sum()\n"
           "loss.backward()\n"
           "opt.step()\n"
           "print(model[0].weight.grad.shape, model[2].bias.shape)\n")
    result = ScriptRunner().run(src)
    assert result.ok, result.error
    assert result.output.strip() == "torch.Size([4, 3]) torch.Size([2])"
    refused = ScriptRunner().run("import torch\nm = torch.nn.Linear(2, 2)\nprint(m._parameters)")
    assert refused.error is not None and refused.error.kind == "refused"
    missing = ScriptRunner().run("import torch\nm = torch.nn.Linear(2, 2)\nprint(m.nothere)")
    assert missing.error is not None and "has no attribute 'nothere'" in missing.error.message


def test_module_parameters_are_labelled_with_their_dotted_names():
    src = ("import torch\n"
           "model = torch.nn.Sequential(torch.nn.Linear(3, 2))\n"
           "w = model[0].weight\n")
    result = ScriptRunner().run(src)
    labels = {name for name in result.labels.values()}
    assert "model.0.bias" in labels and "w" in labels     # a name the script gave wins
    assert "model.0.weight" not in labels


def test_backward_calls_know_what_was_printed_before_them():
    src = ("import torch\n"
           "x = torch.ones(2, requires_grad=True)\n"
           "for i in range(2):\n"
           "    print('iteration', i)\n"
           "    (x * 2).sum().backward()\n")
    result = ScriptRunner().run(src)
    assert [result.output[:c.output_before] for c in result.backward_calls] == [
        "iteration 0\n", "iteration 0\niteration 1\n"]


def test_scripts_reach_sorting_views_and_out():
    """The engine's newer surface is usable from a script: sort/topk results by field, views
    changed in place, out=, nonzero, type()."""
    result = run("""import torch
x = torch.tensor([[0.5, -1.5, 2.5], [3.0, 1.0, 3.0]], requires_grad=True)
v, i = x.sort(dim=1, descending=True)
t = torch.topk(x, 2)
y = x * 1
y[0].mul_(2)
buf = torch.empty(2, 3)
with torch.no_grad():
    torch.mul(x, 2, out=buf)
out = v.sum() + t.values.sum() + y.sum() + x.round().sum()
out.backward()
print(x.type(), x.detach().nonzero().shape, y.grad_fn)
print(x.grad)
""")
    assert result.error is None, result.error
    assert "torch.FloatTensor torch.Size([6, 2]) <CopySlices object at" in result.output
    assert "tensor([[4., 3., 4.],\n        [3., 2., 3.]])" in result.output

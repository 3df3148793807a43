"""Tests for gui/model/stepping.py through the runner: F11 runs a top-level for loop one
iteration per record (break, continue, else, errors, budget kept), F10 the rest of it."""
import re
from pathlib import Path

import pytest

from gradtrace.gui.model.runner import ScriptRunner

LOOPS = """import torch
x = torch.ones(2, requires_grad=True)
for i in range(3):
    y = (x * i).sum()
    y.backward()
    print('it', i)
print('done')
for j in range(5):
    if j == 1:
        continue
    if j == 3:
        break
    print('j', j)
else:
    print('never')
for k in []:
    pass
else:
    print('else ran')
"""


def into_all(source):
    session = ScriptRunner().start(source)
    records = []
    while (record := session.step_into()) is not None:
        records.append(record)
    return session, records


def test_step_into_gives_each_iteration_a_record():
    session, records = into_all(LOOPS)
    assert [(r.lineno, r.part, r.output) for r in records] == [
        (1, "", ""), (2, "", ""),
        (3, "iteration 1", "it 0\n"), (3, "iteration 2", "it 1\n"), (3, "iteration 3", "it 2\n"),
        (7, "", "done\n"),
        (8, "iteration 1", "j 0\n"), (8, "iteration 2", ""), (8, "iteration 3", "j 2\n"),
        (8, "iteration 4", ""),                 # break: the loop ends, its else does not run
        (16, "the loop's else", "else ran\n")]
    assert [r.index for r in records] == list(range(len(records)))
    assert records[2].mark == (4, 6)
    assert [c.statement_index for c in session.result.backward_calls] == [2, 3, 4]
    assert session.finished and session.result.error is None
    assert session.result.output == ScriptRunner().run(LOOPS).output


def test_step_over_inside_a_loop_runs_the_rest_as_one_record():
    session = ScriptRunner().start(LOOPS)
    session.step(), session.step(), session.step_into()
    assert session.in_loop
    rest = session.step()
    assert (rest.part, rest.output) == ("iterations 2 to 3", "it 1\nit 2\n")
    assert not session.in_loop
    assert session.step().output == "done\n"
    whole = session.step()                       # F10 at a loop: the whole loop, no part
    assert (whole.lineno, whole.part, whole.output) == (8, "", "j 0\nj 2\n")


def test_an_error_in_an_iteration_stops_there_with_its_line():
    session, records = into_all("import torch\n"
                                "for i in range(3):\n"
                                "    print(i)\n"
                                "    if i == 1:\n"
                                "        torch.ones(2) @ torch.ones(3)\n")
    assert [r.part for r in records] == ["", "iteration 1", "iteration 2"]
    error = records[-1].error
    assert error is not None and error.lineno == 5 and "RuntimeError" in error.message
    assert session.finished and session.step_into() is None


def test_the_iterable_is_checked_as_in_a_whole_run():
    _, records = into_all("for i in 3:\n    pass\n")
    assert "TypeError: 'int' object is not iterable" in records[-1].error.message
    _, records = into_all("for a, b in [(1, 2), (3, 4)]:\n    print(a + b)\n")
    assert [r.output for r in records] == ["3\n", "7\n"]


def test_the_time_budget_holds_across_iterations():
    session = ScriptRunner(time_budget=0.5).start(
        "import torch\nfor i in range(10**9):\n    x = torch.ones(10)\n")
    records = []
    while (record := session.step_into()) is not None and len(records) < 10**6:
        records.append(record)
    assert records[-1].error is not None and records[-1].error.kind == "budget"


def test_numpy_float_warnings_stay_out_of_the_console():
    result = ScriptRunner().run("import torch\n"
                                "z = torch.log(torch.zeros(2))\n"
                                "e = torch.exp(torch.tensor([1000.0]))\n"
                                "m = torch.tensor([1e30]) * torch.tensor([1e30])\n"
                                "r = torch.zeros(1).rsqrt()\n"
                                "print(z, e, m, r)\n")
    assert result.error is None
    assert result.output == ("tensor([-inf, -inf]) tensor([inf]) tensor([inf]) "
                             "tensor([inf])\n")


def test_step_into_a_while_loop():
    source = ("import torch\n"
              "n = 0\n"
              "while n < 3:\n"
              "    n += 1\n"
              "    if n == 2:\n"
              "        continue\n"
              "    print('n', n)\n"
              "else:\n"
              "    print('while else')\n"
              "bool = None\n"
              "k = 0\n"
              "while True:\n"
              "    k += 1\n"
              "    if k > 1:\n"
              "        break\n"
              "print('end', k)\n")
    session, records = into_all(source)
    assert [(r.lineno, r.part, r.output) for r in records] == [
        (1, "", ""), (2, "", ""),
        (3, "iteration 1", "n 1\n"), (3, "iteration 2", ""), (3, "iteration 3", "n 3\n"),
        (3, "the loop's else", "while else\n"),
        (10, "", ""), (11, "", ""),
        (12, "iteration 1", ""), (12, "iteration 2", ""),    # break: no else, loop over
        (16, "", "end 2\n")]
    assert records[2].mark == (4, 7)
    assert session.result.output == ScriptRunner().run(source).output


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_stepping_into_every_example_does_what_a_run_does(path):
    source = path.read_text(encoding="utf-8")
    whole = ScriptRunner().run(source)
    session, records = into_all(source)
    assert session.result.error is None and whole.error is None, session.result.error
    def same(text):   # objects print their address ("<AddBackward0 object at 0x...>")
        return re.sub(r"0x[0-9a-f]+", "0x", text)
    assert same(session.result.output) == same(whole.output)
    assert [len(c.steps) for c in session.result.backward_calls] == [
        len(c.steps) for c in whole.backward_calls]

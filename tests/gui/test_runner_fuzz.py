"""A seeded fuzz of the runner: a few hundred generated scripts (tensor code, control flow, the
script's errors, hostile lines) through the runner, build_graph and the timeline, as the app
runs them; none may escape as the app's traceback, run past its budget or differ when rerun."""
import random
import re
import time

import pytest

from gradtrace.gui.model.graph import build_graph
from gradtrace.gui.model.playback import Timeline
from gradtrace.gui.model.runner import ScriptRunner

SCRIPTS = 300          # per run of the suite, in BATCHES seeded batches
BATCHES = 6
BUDGET = 1.0           # seconds per script: a loop that never ends is stopped by it
SLACK = 4.0            # what the app may add past the budget (graph, timeline), generously

SHAPES = ["(3,)", "(2, 3)", "(3, 3)", "(3, 2)", "()", "(1, 3)"]
METHODS = ["sum()", "mean()", "exp()", "relu()", "tanh()", "sigmoid()", "view(-1)", "t()",
           "unsqueeze(0)", "abs()", "clone()", "detach()", "pow(2)", "log()", "sqrt()",
           "max()", "softmax(0)", "reshape(-1, 1)", "T", "grad", "grad_fn", "shape",
           "requires_grad", "item()", "tolist()", "numpy()", "norm()", "flatten()", "square()"]
OPS = ["+", "-", "*", "/", "@", "**"]
HOSTILE = [
    "raise ValueError('the script fails')",
    "x = 1 / 0",
    "x = undefined_name + 1",
    "x = [1, 2][5]",
    "x = {}['missing']",
    "x = 'a' * 10 ** 9",
    "x = [0] * 10 ** 9",
    "x = 'a'.ljust(10 ** 9)",
    "x = (1).to_bytes(10 ** 9, 'little')",
    "x = torch.ones(10 ** 5, 10 ** 5)",
    "while True:\n    pass",
    "def r(n):\n    return r(n + 1)\nr(0)",
    "x = ().__class__",
    "import os",
    "open('/etc/passwd')",
    "x = eval('1')",
    "x = " + "(" * 300 + "1" + ")" * 300,
    "x = 1" + "+1" * 20000,
    "x = " + "-" * 20000 + "1",
    "x = '\ud800'",
    "x = '\\x00'",
    "x = torch.nn.Linear(10000, 8000)",
    "a = []\nfor i in range(50000):\n    a = [a]\nprint(a)",
    "with torch.autograd.detect_anomaly():\n    q = (torch.zeros(1, requires_grad=True) / 0)"
    "\n    (q * 0).sum().backward()",
    "x = torch.ones(2)\nx.grad_fn.metadata['scope'] = [1]",
    "y = torch.ones(2, requires_grad=True) * 2\ny.grad_fn.metadata['scope'] = torch.ones(2)",
    "print(torch.get_rng_state().shape)",
    "assert False, 'no'",
    "x = int('nope')",
    "x = torch.ones(2, 3) @ torch.ones(2, 3)",
    "x = torch.ones(2, requires_grad=True)\nx.backward()",
    "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.sum().backward()\ny.sum().backward()",
]


class Generator:
    """One script from a seed: statements over named tensors, some valid, some not."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.names = []

    def name(self):
        return self.rng.choice(self.names) if self.names else "torch.ones(3)"

    def fresh(self):
        name = f"v{len(self.names)}"
        self.names.append(name)
        return name

    def statement(self, depth=0):
        r, pick = self.rng.random(), self.rng.choice
        if r < 0.18 or not self.names:
            grad = pick(["", ", requires_grad=True"])
            return f"{self.fresh()} = torch.{pick(['randn', 'rand', 'ones'])}{pick(SHAPES)[:-1]}" \
                   f"{grad})".replace("(,", "(").replace(",)", ")").replace("(()", "(")
        if r < 0.40:
            return f"{self.fresh()} = {self.name()} {pick(OPS)} {pick([self.name(), '2', '0.5'])}"
        if r < 0.58:
            return f"{self.fresh()} = {self.name()}.{pick(METHODS)}"
        if r < 0.66:
            return f"{self.name()}.{pick(['sum()', 'mean()'])}.backward(" \
                   f"{pick(['', 'retain_graph=True'])})"
        if r < 0.72:
            return f"print({self.name()}{pick(['', '.grad', '.shape', '.grad_fn'])})"
        if r < 0.78 and depth < 2:
            body = self.statement(depth + 1).replace("\n", "\n    ")
            return f"for i in range({self.rng.randint(0, 3)}):\n    {body}"
        if r < 0.83 and depth < 2:
            body = self.statement(depth + 1).replace("\n", "\n    ")
            return f"if {self.name()}.sum() > 0:\n    {body}\nelse:\n    pass"
        if r < 0.87 and depth < 2:
            body = self.statement(depth + 1).replace("\n", "\n        ")
            return f"try:\n    {body}\nexcept Exception as exc:\n    print(type(exc).__name__)"
        if r < 0.90:
            return f"def f(a):\n    return a * 2 + 1\n{self.fresh()} = f({self.name()})"
        if r < 0.92:
            return f"with torch.no_grad():\n    {self.fresh()} = {self.name()} * 3"
        return pick(HOSTILE)

    def script(self):
        lines = ["import torch"]
        lines += [self.statement() for _ in range(self.rng.randint(1, 12))]
        text = "\n".join(lines) + "\n"
        if self.rng.random() < 0.08:   # a typo: one character dropped or doubled
            k = self.rng.randrange(len(text))
            text = text[:k] + (text[k] * 2 if self.rng.random() < 0.5 else "") + text[k + 1:]
        return text


def run_as_the_app_does(source):
    started = time.perf_counter()
    result = ScriptRunner(time_budget=BUDGET).run(source)
    graph = build_graph(result, include_saved=True)
    timeline = Timeline.from_run(result, graph)
    elapsed = time.perf_counter() - started
    return result, graph, timeline, elapsed


ADDRESS = re.compile(r"0x[0-9a-f]+")   # repr of an object (a grad_fn) differs run to run


def outcome(result, graph, timeline):
    error = result.error
    return (ADDRESS.sub("0x?", result.output),
            None if error is None else (ADDRESS.sub("0x?", str(error)), error.kind),
            sorted(graph.nodes), len(timeline))


@pytest.mark.parametrize("batch", range(BATCHES))
def test_generated_scripts_fail_only_as_the_scripts_errors(batch):
    budget_stops = 0
    for k in range(SCRIPTS // BATCHES):
        seed = batch * 10_000 + k
        source = Generator(seed).script()
        first = run_as_the_app_does(source)          # nothing may escape from here
        result, _, _, elapsed = first
        where = f"seed {seed}:\n{source}"
        assert elapsed < BUDGET + SLACK, f"ran {elapsed:.1f} s, past the budget; {where}"
        error = result.error
        if error is not None:
            lines = source.count("\n") + 1
            assert error.lineno is not None and 1 <= error.lineno <= lines, \
                f"{error!s} has no line; {where}"
            assert error.message.strip() not in ("", "SyntaxError:"), where
            assert "Traceback" not in error.message and "gradtrace/" not in error.message, \
                where
            budget_stops += error.kind == "budget"
        again = run_as_the_app_does(source)
        assert outcome(*again[:3]) == outcome(*first[:3]), f"a rerun differs; {where}"
    assert budget_stops < SCRIPTS // BATCHES // 4   # the fuzz stays fast: few full budgets

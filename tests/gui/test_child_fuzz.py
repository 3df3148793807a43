"""The suite's fuzz through the process boundary: generated scripts (tests/gui/
test_runner_fuzz.py's generator, seeded) each run in a child process as the window runs them;
none may kill or hang the parent, run past the budget, or leave an error without its line."""
import time

import pytest

from gradtrace.gui.model import child
from gradtrace.gui.model.child import GRACE, RunLimits

from .test_runner_fuzz import Generator

SCRIPTS = 300          # per run of the suite, in BATCHES seeded batches
BATCHES = 6
BUDGET = 1.0


@pytest.fixture(autouse=True, scope="module")
def warm():
    child.warm_up("gradtrace", background=False)


@pytest.mark.parametrize("batch", range(BATCHES))
def test_generated_scripts_through_the_child_fail_only_as_the_scripts_errors(batch):
    limits = RunLimits(time_budget=BUDGET, memory_cap=2 << 30)
    stopped = 0
    for k in range(SCRIPTS // BATCHES):
        seed = 50_000 + batch * 10_000 + k
        source = Generator(seed).script()
        where = f"seed {seed}:\n{source}"
        started = time.monotonic()
        run = child.run_script(source, limits=limits)
        elapsed = time.monotonic() - started
        run.close()
        assert elapsed < BUDGET + GRACE + 3.0, f"ran {elapsed:.1f} s; {where}"
        error = run.error
        if error is not None:
            lines = source.count("\n") + 1
            assert error.lineno is not None and 1 <= error.lineno <= lines, \
                f"{error!s} has no line; {where}"
            assert "Traceback" not in error.message, where
            assert error.kind != "crash", f"{error}; {where}"   # none of these kills Python
            stopped += run.stopped
    assert stopped < SCRIPTS // BATCHES // 4   # few reach the process boundary's kill

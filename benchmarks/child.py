"""What running each script in its own process costs and how fast it stops one
(gui/model/child.py): a warm spare's start (fork from the forkserver to "ready"), a run of the
tutorial and of a 5,000-node script through the child against the same run in this process
(the run, its graph and its Recording; no layout), on each engine, and how long Cancel and the
time budget take to stop a run stuck in one C call. Run by hand: ``.venv/bin/python
benchmarks/child.py``; writes the "Child process" section of benchmarks/RESULTS.md."""
from __future__ import annotations

import importlib.util
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from recording import chain_script  # noqa: E402
from results_file import replace_section  # noqa: E402

from gradtrace.gui.model import child  # noqa: E402
from gradtrace.gui.model.child import GRACE, RunLimits  # noqa: E402
from gradtrace.gui.model.graph import build_graph  # noqa: E402
from gradtrace.gui.model.recording import record  # noqa: E402

REPEAT = 5
HAS_TORCH = importlib.util.find_spec("torch") is not None
ENGINES = ["gradtrace"] + (["torch"] if HAS_TORCH else [])
CASES = [("tutorial", (ROOT / "resources" / "examples" / "tutorial.py").read_text()),
         ("tanh chain (about 5,000 nodes)", chain_script(1000, 16))]
STUCK = "import numpy as np\na = np.ones((5000, 5000), dtype=np.int64)\nb = a @ a\n"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _in_process(source: str, engine: str):
    if engine == "torch":
        from gradtrace.gui.model.torch_runner import TorchScriptRunner
        result = TorchScriptRunner().run(source)
    else:
        from gradtrace.gui.model.runner import ScriptRunner
        result = ScriptRunner(time_budget=60).run(source)
    return record(result, graph=build_graph(result, include_saved=True))


def spare_start(engine: str) -> float:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        spare = child._Child(child._POOL._context(), engine)
        spare.wait_ready()
        times.append(time.perf_counter() - started)
        spare.close()
    return statistics.median(times)


def run_times(source: str, engine: str) -> tuple[float, float]:
    limits = RunLimits(time_budget=120.0)
    through, here = [], []
    for _ in range(REPEAT):
        child._POOL.warm_up(engine, wait=True)   # the spare is ready, as seconds after a run
        started = time.perf_counter()
        run = child.run_script(source, engine=engine, limits=limits)
        through.append(time.perf_counter() - started)
        assert run.error is None, run.error
        run.close()
        started = time.perf_counter()
        _in_process(source, engine)
        here.append(time.perf_counter() - started)
    return statistics.median(through), statistics.median(here)


def cancel_latency(engine: str) -> float:
    class Cancelled(Exception):
        pass
    times = []
    for _ in range(3):
        child._POOL.warm_up(engine, wait=True)
        at = time.perf_counter() + 1.0

        def check(at=at):
            if time.perf_counter() > at:
                raise Cancelled()
        try:
            child.run_script(("import torch\n" if engine == "torch" else "") + STUCK,
                             engine=engine, limits=RunLimits(time_budget=120.0),
                             check_cancel=check)
        except Cancelled:
            times.append(time.perf_counter() - at)
    return statistics.median(times)


def budget_overshoot(engine: str) -> float:
    times = []
    for _ in range(3):
        child._POOL.warm_up(engine, wait=True)
        started = time.perf_counter()
        run = child.run_script(("import torch\n" if engine == "torch" else "") + STUCK,
                               engine=engine, limits=RunLimits(time_budget=2.0))
        times.append(time.perf_counter() - started - 2.0)
        assert run.error is not None and run.error.kind == "budget", run.error
    return statistics.median(times)


def main() -> None:
    rows = []
    for name, source in CASES:
        for engine in ENGINES:
            through, here = run_times(source, engine)
            rows.append(f"| {name} | {engine} | {_ms(through)} | {_ms(here)} | "
                        f"{_ms(through - here)} |")
            print(rows[-1], flush=True)
    stops = []
    for engine in ENGINES:
        stops.append(f"| {engine} | {_ms(spare_start(engine))} | {_ms(cancel_latency(engine))} "
                     f"| {_ms(budget_overshoot(engine))} |")
        print(stops[-1], flush=True)
    cpu = os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    machine = (f"{platform.machine()}, {cpu} CPUs (os.cpu_count), Python "
               f"{platform.python_version()}; shared with other jobs while measured (load "
               f"average {load:.1f} at the end), one run of this script")
    section = "\n".join([
        "## Child process", "",
        "`benchmarks/child.py`: every script runs in a child process (`gui/model/child.py`). "
        f"Medians of {REPEAT} runs of the run, its graph and its Recording (no layout) through "
        "the child, the warm spare ready as it is seconds after the last run, against the same "
        "here in one process (warm after its first run). Machine: " + machine + ".", "",
        "| script | engine | through the child | in this process | the child's cost |",
        "| --- | --- | ---: | ---: | ---: |", *rows, "",
        "A spare's start (fork from the forkserver, which imported the engine, to its \"ready\"; "
        "a PyTorch spare imports torch then), how long after Cancel a run stuck in one C call "
        "(an int64 5000x5000 matmul) has ended (median of 3), and how long past a 2 s time "
        f"budget the same run ends (the kill comes at the budget + GRACE = {GRACE:g} s, after "
        "faulthandler names the line):", "",
        "| engine | spare start | Cancel to ended | past the budget |",
        "| --- | ---: | ---: | ---: |", *stops, ""])
    replace_section("## Child process", section)
    child.shutdown()


if __name__ == "__main__":
    main()

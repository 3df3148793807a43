"""benchmarks/hostile.py: issue 15's campaign, run by hand. N generated scripts (the fuzz generator
of tests/gui/test_runner_fuzz.py) plus every hostile script of the suite (issue 15's cases, the
fuzz's hostile lines, the sandbox escape corpus) through the app's run path: each script twice,
the second time in another order (another script ran before it), counting

- deaths of the app process (the worker that plays the app dies: a script crashed it),
- hangs past the budget (a run took longer than the time budget plus the child's grace and
  MARGIN),
- bypassed limits (the child's resident memory grew past the memory cap; sampled every 10 ms),
- escaped tracebacks (an exception out of the run path, or an error that is not the script's
  error with a line: no line, a bare "SyntaxError:", "Traceback" or the app's paths in it),
- results that depend on the previous run (printed output, error and graph differ between
  the two runs; where a limit stopped either run, the difference is listed apart: which limit
  trips first, after how much output, is a matter of timing on a loaded machine).

    .venv/bin/python benchmarks/hostile.py --scripts 2000            # through the child
    .venv/bin/python benchmarks/hostile.py --scripts 500 --in-process  # ScriptRunner in the app

Prints a JSON summary (and each finding) and, with --results, writes it into RESULTS.md's
"Hostile campaign" section. The machine is named in the summary.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))   # the suite's generator and hostile scripts (tests/gui)

BUDGET = 1.0          # seconds per run
MEMORY_CAP = 1 << 30  # bytes the child may add (RunLimits.memory_cap)
MARGIN = 3.0          # seconds past budget + the child's grace before a run is a hang
BATCH = 100           # scripts per worker process (a dead worker is replaced)

#: issue 15's cases, one script each (the sandbox's first line or the child's wall stops them)
ISSUE15 = {
    "deep tuple hash (SIGSEGV)": "t = ()\nfor i in range(300000):\n    t = (t,)\nx = hash(t)\n",
    "deep generator (SIGSEGV)": "g = (i for i in range(3))\nfor i in range(300000):\n"
                                "    g = (j for j in g)\nx = sum(g)\n",
    "pow with a modulus": "x = pow(3, 10**100000, 10**100000 + 1)\n",
    "math.lcm of huge ints": "import math\nx = math.lcm(*range(1, 200000))\n",
    "isqrt of int.from_bytes": "import math\n"
                               "x = math.isqrt(int.from_bytes(b'\\xff' * 1_000_000, 'big'))\n",
    "hash of aliased tuples": "t = ()\nfor i in range(60):\n    t = (t, t)\nx = hash(t)\n",
    "== of aliased lists": "a = []\nb = []\nfor i in range(60):\n    a = [a, a]\n    b = [b, b]\n"
                           "x = a == b\n",
    "object array to a huge power": "import numpy as np\n"
                                    "a = np.array([3] * 1000, dtype=object) ** 100000\n",
    "int64 matmul 5000x5000": "import torch\na = torch.ones(5000, 5000, dtype=torch.int64)\n"
                              "b = a @ a\n",
    "5,000 statements": "import torch\nx = torch.ones(2, requires_grad=True)\n" +
                        "".join(f"v{i} = x * {i}\n" for i in range(5000)),
    "str.ljust x30": "x = 'a'.ljust(49_000_000)\ny = [x.ljust(49_000_001) for i in range(30)]\n",
    "f-string widths": "x = [f'{1:>49000000}' for i in range(30)]\n",
    "% widths": "x = ['%49000000d' % 1 for i in range(30)]\n",
    "int.to_bytes": "x = [(1).to_bytes(49_000_000, 'little') for i in range(30)]\n",
    "str.translate": "s = 'a' * 49_000_000\nx = [s.translate({97: 'bb'}) for i in range(10)]\n",
    "bytes.hex": "b = b'a' * 24_000_000\nx = [b.hex() for i in range(40)]\n",
    "repr of an aliased list": "a = [0] * 1000\nfor i in range(6):\n    a = [a] * 1000\n"
                               "x = repr(a)\n",
    "print of an aliased list": "a = [0] * 1000\nfor i in range(6):\n    a = [a] * 1000\n"
                                "print(a)\n",
    "dict.fromkeys 51M": "x = dict.fromkeys(range(51_000_000))\n",
    "astype to a wide string": "import numpy as np\nb = np.zeros(1000).astype('U10000000')\n",
    "object array of long strings": "import numpy as np\n"
                                    "x = np.array(['a' * 10_000_000] * 100, dtype=object)\n",
    "nn.Linear(10000, 8000)": "import torch\nm = torch.nn.Linear(10000, 8000)\n"
                              "n = sum(p.numel() for p in m.parameters())\n",
    "many Linear(7000, 7000)": "import torch\n"
                               "ms = [torch.nn.Linear(7000, 7000) for i in range(20)]\n",
    "F.one_hot": "import torch\nx = torch.nn.functional.one_hot(torch.arange(20000), 20000)\n",
    "unbounded comprehension": "x = [i for i in range(10**10)]\n",
    "comprehension of strings": "x = ['a' * 1000 for i in range(10**7)]\n",
    "3,000 nested Sequentials": "import torch\nfrom torch import nn\nm = nn.Linear(2, 2)\n"
                                "for i in range(3000):\n    m = nn.Sequential(m)\n"
                                "print(len(list(m.named_modules())))\n",
    "repr of a deep list": "a = []\nfor i in range(100000):\n    a = [a]\nprint(a)\n",
    "scope metadata a list": "import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n"
                             "y.grad_fn.metadata['scope'] = [1]\nz = y.sum()\n",
    "scope metadata a tensor": "import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n"
                               "y.grad_fn.metadata['scope'] = torch.ones(2)\nz = y.sum()\n",
    "ast recursion": "x = 1" + "+1" * 200_000 + "\n",
    "null byte": "x = 1\x00\n",
    "lone surrogate": "x = '\ud800'\n",
    "deep lambdas": "f = " + "lambda: " * 2000 + "1\n",
    "anomaly traceback": "import torch\nwith torch.autograd.detect_anomaly():\n"
                         "    x = torch.zeros(1, requires_grad=True)\n    q = (x / x).sum()\n"
                         "print(''.join(q.grad_fn.metadata['traceback_']))\n",
    "random state": "import torch\nimport random\nprint(torch.rand(3), random.random())\n",
    "a hook looping": "import torch\nx = torch.ones(2, requires_grad=True)\n"
                      "def hook(g):\n    while True:\n        pass\nh = x.register_hook(hook)\n"
                      "y = (x * 2).sum()\ny.backward()\n",
}

ADDRESS = re.compile(r"0x[0-9a-f]+")
APP_PATHS = (str(ROOT), "site-packages", "/bin/gradtrace")


def hostile_scripts() -> dict[str, str]:
    """Every hostile script of the suite, by name."""
    from tests.gui import test_runner_fuzz
    scripts = {f"issue 15: {k}": v for k, v in ISSUE15.items()}
    for i, line in enumerate(test_runner_fuzz.HOSTILE):
        scripts[f"fuzz hostile {i}"] = "import torch\n" + line + "\n"
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "sandbox_escapes", ROOT / "tests" / "gui" / "sandbox_escapes.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    for name, source, _ in module.ESCAPES:
        scripts[f"escape {name}"] = source + "\n"
    return scripts


def generated_scripts(n: int, seed: int) -> dict[str, str]:
    from tests.gui.test_runner_fuzz import Generator
    return {f"generated {seed + k}": Generator(seed + k).script() for k in range(n)}


# ---------------------------------------------------------------- the worker (plays the app)
class RssSampler:
    """The largest resident size each live child reached, sampled every 10 ms."""

    def __init__(self):
        self.peaks: dict[int, int] = {}
        self.base: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self):
        from gradtrace.gui.model import child
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.wait(0.01):
            for c in list(child._LIVE):
                pid = c.process.pid
                try:
                    with open(f"/proc/{pid}/statm") as fh:
                        rss = int(fh.read().split()[1]) * page
                except (OSError, ValueError, IndexError, TypeError):
                    continue
                self.base.setdefault(pid, rss)
                self.peaks[pid] = max(self.peaks.get(pid, 0), rss)

    def grown(self) -> int:
        return max((self.peaks[p] - self.base.get(p, self.peaks[p]) for p in self.peaks),
                   default=0)

    def reset(self):
        self.peaks.clear()
        self.base.clear()


def outcome(recording) -> list:
    error = recording.error
    return [ADDRESS.sub("0x?", recording.output or ""),
            None if error is None else ADDRESS.sub("0x?", str(error)),
            sorted(str(n) for n in recording.graph.nodes) if recording.graph is not None else []]


def problems_of(error, source) -> list[str]:
    if error is None:
        return []
    text, found = str(error), []
    lines = source.count("\n") + 1
    if error.lineno is None or not 1 <= error.lineno <= lines:
        found.append("no line")
    if error.message.strip() in ("", "SyntaxError:"):
        found.append("bare message")
    if "Traceback" in error.message or any(p in text for p in APP_PATHS):
        found.append("app's traceback or path")
    return found


def run_one(source, in_process):
    """(seconds, outcome, error, peak growth of the child) of one run as the app does it."""
    started = time.perf_counter()
    if in_process:
        import resource

        from gradtrace.gui.model.recording import record
        from gradtrace.gui.model.runner import ScriptRunner
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        result = ScriptRunner(time_budget=BUDGET).run(source)
        recording = record(result, include_saved=True)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
        return time.perf_counter() - started, outcome(recording), recording.error, grown
    from gradtrace.gui.model import child
    run = child.run_script(source, limits=child.RunLimits(time_budget=BUDGET,
                                                          memory_cap=MEMORY_CAP))
    elapsed = time.perf_counter() - started
    run.close()
    return elapsed, outcome(run.recording), run.recording.error, 0


def worker(todo_path, out_path, in_process):
    """Run the scripts of ``todo_path`` (JSON lines: key, name, source), appending a JSON line
    per run to ``out_path`` ("start" before, the result after: a death leaves a start)."""
    sampler = None if in_process else RssSampler()
    from gradtrace.gui.model import child
    with open(out_path, "a") as out:
        for line in open(todo_path):
            key, name, source = json.loads(line)
            out.write(json.dumps({"start": key}) + "\n")
            out.flush()
            if sampler is not None:
                sampler.reset()
            try:
                elapsed, result, error, grown = run_one(source, in_process)
                escaped = None
            except BaseException as exc:  # noqa: BLE001 - an escape out of the run path
                elapsed, result, error, grown = 0.0, None, None, 0
                escaped = f"{type(exc).__name__}: {exc}"[:300]
            if sampler is not None:
                time.sleep(0.02)
                grown = max(grown, sampler.grown())
            out.write(json.dumps({
                "key": key, "name": name, "seconds": round(elapsed, 3), "outcome": result,
                "kind": getattr(error, "kind", None), "problems": problems_of(error, source),
                "escaped": escaped, "grown": grown}) + "\n")
            out.flush()
    if not in_process:
        child.shutdown()


# ---------------------------------------------------------------- the supervisor
def campaign(scripts: dict[str, str], in_process: bool, seed: int) -> dict:
    order = list(scripts)
    second = order[:]
    random.Random(seed).shuffle(second)        # another script runs before each one
    runs = [(f"1:{n}", n) for n in order] + [(f"2:{n}", n) for n in second]
    results: dict[str, dict] = {}
    deaths: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="gradtrace-hostile-"))
    out_path = tmp / "out.jsonl"
    position = 0
    while position < len(runs):
        batch = runs[position:position + BATCH]
        todo = tmp / "todo.jsonl"
        todo.write_text("".join(json.dumps([k, n, scripts[n]]) + "\n" for k, n in batch))
        proc = subprocess.run([sys.executable, __file__, "--worker", str(todo), str(out_path)]
                              + (["--in-process"] if in_process else []),
                              cwd=ROOT, timeout=BATCH * (BUDGET + 30) + 120)
        started = None
        for line in out_path.read_text().splitlines():
            entry = json.loads(line)
            if "start" in entry:
                started = entry["start"]
            else:
                results[entry["key"]] = entry
                started = None
        done = [k for k, _ in batch if k in results]
        if proc.returncode != 0 and started is not None and started not in results:
            deaths.append(f"{started} (exit {proc.returncode})")
            results[started] = {"key": started, "died": True}
        position += max(1, len([k for k, _ in batch if k in results]))
        if len(done) == len(batch) and proc.returncode != 0:
            deaths.append(f"worker exit {proc.returncode} after its batch")
        out_path.write_text("")
        print(f"{position}/{len(runs)} runs", file=sys.stderr, flush=True)

    hangs, bypassed, escaped, differ, timing = [], [], [], [], []
    slowest = 0.0
    kinds: dict[str, int] = {}
    grace = 0.0 if in_process else 1.0
    for name in order:
        first, again = results.get(f"1:{name}", {}), results.get(f"2:{name}", {})
        for entry in (first, again):
            if entry.get("died"):
                continue
            seconds = entry.get("seconds", 0.0)
            slowest = max(slowest, seconds)
            if seconds > BUDGET + grace + MARGIN:
                hangs.append(f"{name}: {seconds:.1f} s")
            if entry.get("grown", 0) > MEMORY_CAP:
                bypassed.append(f"{name}: +{entry['grown'] >> 20} MiB")
            if entry.get("escaped") or entry.get("problems"):
                escaped.append(f"{name}: {entry.get('escaped') or entry.get('problems')}")
            kinds[str(entry.get("kind"))] = kinds.get(str(entry.get("kind")), 0) + 1
        if first.get("outcome") is not None and again.get("outcome") is not None and \
                first["outcome"] != again["outcome"]:
            shown = f"{name}: {str(first['outcome'][1])[:90]!r} / {str(again['outcome'][1])[:90]!r}"
            if {first.get("kind"), again.get("kind")} & {"budget", "crash"}:
                timing.append(shown)    # which limit trips first, and when, is timing
            else:
                differ.append(shown)
    return {
        "machine": f"{platform.node()}: {platform.processor() or platform.machine()}, "
                   f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
                   f"Python {platform.python_version()}",
        "path": "in-process ScriptRunner" if in_process else "child process (gui/model/child)",
        "scripts": len(order), "runs": len(runs), "budget_s": BUDGET,
        "memory_cap_mib": MEMORY_CAP >> 20, "slowest_run_s": round(slowest, 2),
        "largest_growth_mib": max((e.get("grown", 0) for e in results.values()),
                                  default=0) >> 20,
        "error_kinds": kinds,
        "deaths": deaths, "hangs": hangs, "bypassed_limits": bypassed,
        "escaped_tracebacks": escaped, "depend_on_previous_run": differ,
        "stopped_by_a_limit_at_different_points": timing,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scripts", type=int, default=2000, help="generated scripts")
    parser.add_argument("--seed", type=int, default=150_000)
    parser.add_argument("--in-process", action="store_true",
                        help="run ScriptRunner in the worker itself (no child process)")
    parser.add_argument("--no-hostile", action="store_true")
    parser.add_argument("--json", help="write the summary there")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker, args.in_process)
        return
    scripts = {} if args.no_hostile else hostile_scripts()
    scripts.update(generated_scripts(args.scripts, args.seed))
    started = time.perf_counter()
    summary = campaign(scripts, args.in_process, args.seed)
    summary["wall_s"] = round(time.perf_counter() - started)
    text = json.dumps(summary, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).write_text(text)


if __name__ == "__main__":
    main()

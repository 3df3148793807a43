"""Size on disk of a run's recording (the .gtrace file) and the time to record, save and load
it, for the tutorial and a 5,000-node script. Run by hand: ``.venv/bin/python
benchmarks/recording.py``; writes the "Recordings" section of benchmarks/RESULTS.md."""
from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import numpy as np  # noqa: E402
from results_file import replace_section  # noqa: E402

from gradtrace.gui.model.graph import build_graph  # noqa: E402
from gradtrace.gui.model.recording import load, record, save  # noqa: E402
from gradtrace.gui.model.runner import ScriptRunner  # noqa: E402


def chain_script(iterations: int, size: int) -> str:
    """A script whose graph has about 2 * `iterations` function nodes (a long tanh chain on
    `size` x `size` tensors, four shared weights), one backward through all of it."""
    return ("import torch\n"
            f"x = torch.randn({size}, {size}, requires_grad=True)\n"
            f"ws = [torch.randn({size}, {size}, requires_grad=True) for _ in range(4)]\n"
            "h = x\n"
            f"for i in range({iterations}):\n"
            "    h = (h * ws[i % 4]).tanh()\n"
            "loss = h.sum()\n"
            "loss.backward()\n")


# 1000 iterations: 2,000 function nodes plus the tensors they saved and the leaves' nodes,
# about 5,000 graph nodes in all
CASES = [("tutorial", (ROOT / "resources" / "examples" / "tutorial.py").read_text()),
         ("tanh chain, 16x16", chain_script(1000, 16)),
         ("tanh chain, 64x64", chain_script(1000, 64))]


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _median_time(func, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(name, source, repeat=3):
    result = ScriptRunner(time_budget=120.0).run(source)
    if result.error is not None:
        raise SystemExit(f"{name}: {result.error}")
    graph = build_graph(result, include_saved=True)
    rec = record(result, graph=graph)
    t_record = _median_time(lambda: record(result, graph=graph), repeat)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "run.gtrace"
        t_save = _median_time(lambda: save(rec, path), repeat)
        t_load = _median_time(lambda: load(path), repeat)
        with zipfile.ZipFile(path) as zf:
            json_size = zf.getinfo("recording.json").file_size
            json_packed = zf.getinfo("recording.json").compress_size
            npz_size = zf.getinfo("arrays.npz").file_size
        size = path.stat().st_size
    steps = sum(len(c.steps) for c in rec.calls)
    return {"name": name, "nodes": graph.number_of_nodes(), "steps": steps, "size": size,
            "json": json_size, "json_packed": json_packed, "npz": npz_size,
            "record": t_record, "save": t_save, "load": t_load}


def _kib(n):
    return f"{n / 1024:,.1f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MiB"


def main() -> None:
    rows = [measure(name, source) for name, source in CASES]
    cpu = _cpu_name()
    lines = ["## Recordings", "",
             "`benchmarks/recording.py`: the `.gtrace` file of a run recorded with the gradtrace "
             "engine (`record(result)`, saved tensors included), its size and its parts, and the "
             "median of 3 `record` / `save` / `load` calls. Machine: "
             f"{platform.machine()}, {os.cpu_count()} CPUs (os.cpu_count), {cpu}, Python "
             f"{platform.python_version()}, numpy {np.__version__}; shared with other jobs "
             "while measured. Every step's gradients are kept (one array per distinct "
             "buffer), so the file grows with steps x gradient size; arrays.npz is "
             "`savez_compressed`, which random float32 values barely shrink.", "",
             "| script | nodes | backward steps | file | recording.json (raw / zipped) | "
             "arrays.npz | record | save | load |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['nodes']} | {r['steps']} | {_kib(r['size'])} | "
                     f"{_kib(r['json'])} / {_kib(r['json_packed'])} | {_kib(r['npz'])} | "
                     f"{r['record'] * 1e3:.0f} ms | {r['save'] * 1e3:.0f} ms | "
                     f"{r['load'] * 1e3:.0f} ms |")
    section = "\n".join(lines) + "\n"
    replace_section("## Recordings", section)
    print(section)


if __name__ == "__main__":
    main()

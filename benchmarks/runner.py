"""benchmarks/runner.py: the script runner's cost per statement on long scripts (10,000 one-line
statements, 3,000 statements each binding a new tensor): wall time of the run and of build_graph,
and the process's peak memory, each case in a fresh interpreter."""
from __future__ import annotations

import json
import subprocess
import sys

CASES = {
    "10,000 one-line statements (v_i = i)":
        "import torch\nx = torch.ones(2, requires_grad=True)\n" +
        "".join(f"v{i} = {i}\n" for i in range(10_000)),
    "3,000 statements binding a tensor (t_i = x * i)":
        "import torch\nx = torch.ones(2, requires_grad=True)\n" +
        "".join(f"t{i} = x * {i}\n" for i in range(3_000)),
}

CHILD = """
import json, resource, sys, time
from gradtrace.gui.model.runner import ScriptRunner
from gradtrace.gui.model.graph import build_graph
source = sys.stdin.read()
started = time.perf_counter()
result = ScriptRunner(time_budget=600).run(source)
ran = time.perf_counter() - started
started = time.perf_counter()
graph = build_graph(result)
built = time.perf_counter() - started
print(json.dumps({"run": ran, "graph": built, "nodes": len(graph), "ok": result.error is None,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(source: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD], input=source, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    print("| script | run | build_graph | peak memory | graph nodes |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, source in CASES.items():
        m = measure(source)
        assert m["ok"], name
        print(f"| {name} | {m['run']:.2f} s | {m['graph']:.2f} s | {m['peak_mb']:.0f} MB | "
              f"{m['nodes']} |")


if __name__ == "__main__":
    main()

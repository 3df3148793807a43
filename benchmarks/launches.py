"""Counts the GPU kernel launches and host<->device copies of the engine's CUDA workloads,
against the same workloads written by hand in CuPy, without a GPU: tests/core/fake_cupy.py
plays CuPy (numpy behind CuPy's surface) and counts every call that would start a kernel.

On a GPU small tensors are bound by the host: each CuPy call costs microseconds of Python and
driver time whatever its size, so launches per step are the part of the GPU benchmark that
this machine can measure exactly. (Time per launch needs a GPU: benchmarks/gpu_check.sh.)

    .venv/bin/python benchmarks/launches.py [--write-results]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import engine  # noqa: E402  (the workloads, shared with the timed benchmark)
from results_file import replace_section  # noqa: E402

from tests.core import fake_cupy  # noqa: E402

SECTION = "## Kernel launches"


def _install():
    gt = engine.import_gradtrace()
    fake_cupy.install_globally()
    import gradtrace.core.nn.functional as F
    return gt, F


def _count(fn, *args):
    fn(*args)  # warm-up: caches filled as in a training loop
    fake_cupy.reset()
    fn(*args)
    return dict(fake_cupy.counts)


def measure():
    gt, F = _install()
    cp = fake_cupy.cupy
    rows = []
    with fake_cupy.uncounted():
        x0 = np.random.default_rng(0).random((2, 2), dtype=np.float32)
        xr, xt = cp.asarray(x0), gt.tensor(x0, device="cuda", requires_grad=True)
    for title, n in (("chain of 200 elementwise ops, forward + backward", 200),
                     ("10 elementwise ops, forward + backward", 10)):
        ops = engine.chain_ops(n)
        rows.append((title, _count(engine.chain_lib, gt, xt, ops),
                     _count(engine.chain_raw, cp, xr, ops)))
    lib_args, raw_args = mlp_inputs(gt, cp, 64)
    rows.append(("MLP training step, 784-512-512-10 (any batch)",
                 _count(engine.mlp_lib, F, *lib_args), _count(engine.mlp_raw, cp, *raw_args)))
    return rows


def mlp_inputs(gt, cp, batch):
    """The MLP step's arguments on the (counting) device, made uncounted: ``(x, target,
    params)`` as gradtrace tensors and as CuPy arrays."""
    x, target, params = engine.mlp_data(batch)
    with fake_cupy.uncounted():
        lib = (gt.tensor(x, device="cuda"), gt.tensor(target, device="cuda"),
               [gt.tensor(p, device="cuda", requires_grad=True) for p in params])
        raw = (cp.asarray(x), cp.asarray(target), [cp.asarray(p) for p in params])
    return lib, raw


def _copies(c):
    return c.get("host_to_device", 0) + c.get("device_to_host", 0)


def markdown(rows):
    lines = [SECTION, "",
             "`benchmarks/launches.py`: kernel launches per step on the CUDA path, counted with "
             "`tests/core/fake_cupy.py` standing in for CuPy (no GPU needed; the same counts on any "
             "machine), against the hand-written CuPy of `benchmarks/engine.py`. Host<->device "
             "copies inside a step: each waits for the GPU's queued work.", "",
             "| workload | gradtrace launches | hand-written CuPy launches | extra | "
             "gradtrace copies | hand-written copies |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for title, gt, raw in rows:
        lines.append(f"| {title} | {gt['launch']} | {raw['launch']} | "
                     f"{gt['launch'] - raw['launch']:+d} | {_copies(gt)} | {_copies(raw)} |")
    lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write-results", action="store_true",
                        help=f'rewrite the "{SECTION[3:]}" section of benchmarks/RESULTS.md')
    args = parser.parse_args()
    rows = measure()
    for title, gt, raw in rows:
        extra = {k: gt.get(k, 0) - raw.get(k, 0) for k in sorted(set(gt) | set(raw))
                 if k != "launch" and gt.get(k, 0) != raw.get(k, 0)}
        print(f"{title}: gradtrace {gt['launch']} launches, hand-written {raw['launch']} "
              f"(difference by kernel: {extra or 'none'}); copies {_copies(gt)} / {_copies(raw)}")
    if args.write_results:
        replace_section(SECTION, markdown(rows))


if __name__ == "__main__":
    main()

"""A/B timing of two versions of the engine in one process: another checkout's ``core/`` (loaded
under the name ``gt_base``) against the installed ``gradtrace.core``, interleaved round-robin.

Run by hand (not a test), e.g. against the engine of an older commit::

    git archive OLD core | tar -x -C /tmp/old
    .venv/bin/python benchmarks/engine_ab.py /tmp/old/core

Each timed block is measured in CPU time of this process (``time.process_time``), so other
processes on a shared machine skew it far less than wall time; medians over many short blocks,
alternating which version goes first. Workloads as in ``engine.py``: a chain of 200 elementwise
ops on 2x2 (µs per op), PyTorch's autograd tutorial program (µs), an MLP training step (ms).
Set ``OPENBLAS_NUM_THREADS=1`` for the MLP: BLAS worker threads add CPU time of their own.
"""
import argparse
import gc
import importlib.util
import statistics
import sys
import time
from pathlib import Path

import numpy as np


def load_engine(name, core_dir):
    """The engine in ``core_dir`` as package ``name`` (its imports are all relative)."""
    core_dir = Path(core_dir).resolve()
    spec = importlib.util.spec_from_file_location(
        name, core_dir / "__init__.py", submodule_search_locations=[str(core_dir)])
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def chain(T):
    x = T.ones(2, 2, requires_grad=True)

    def run():
        y = x
        for _ in range(50):
            y = ((y * 1.0001).exp() * 0.5).sin() + 0.1
        y.sum().backward()
        x.grad = None
    return run, 200, 1e6, "µs/op"


def tutorial(T):
    def run():
        x = T.ones(2, 2, requires_grad=True)
        y = x + 2
        z = y * y * 3
        z.mean().backward()
        v = T.randn(3, requires_grad=True)
        w = v * 2
        while w.data.norm() < 1000:
            w = w * 2
        w.backward(T.tensor([0.1, 1.0, 0.0001], dtype=T.float32))
        with T.no_grad():
            _ = (v ** 2).requires_grad
    return run, 1, 1e6, "µs/program"


def mlp(T):
    rng = np.random.default_rng(0)
    X = T.tensor(rng.standard_normal((256, 784)).astype(np.float32))
    Y = T.tensor(rng.integers(0, 10, 256))
    model = T.nn.Sequential(T.nn.Linear(784, 512), T.nn.ReLU(), T.nn.Linear(512, 512),
                            T.nn.ReLU(), T.nn.Linear(512, 10))
    opt = T.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = T.nn.CrossEntropyLoss()

    def run():
        opt.zero_grad()
        loss_fn(model(X), Y).backward()
        opt.step()
    return run, 1, 1e3, "ms/step"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_core", help="the other checkout's core/ folder")
    parser.add_argument("--blocks", type=int, default=301, help="timed blocks per version")
    args = parser.parse_args()
    base = load_engine("gt_base", args.base_core)
    import gradtrace.core as new
    for workload, inner, blocks in ((chain, 3, args.blocks), (tutorial, 30, args.blocks),
                                    (mlp, 1, max(args.blocks // 5, 11))):
        runs = {"base": workload(base), "new": workload(new)}
        for run, *_ in runs.values():
            for _ in range(3):
                run()
        times = {"base": [], "new": []}
        gc.disable()
        try:
            for i in range(blocks):
                for key in (("base", "new") if i % 2 == 0 else ("new", "base")):
                    run, per, _, _ = runs[key]
                    t0 = time.process_time()
                    for _ in range(inner):
                        run()
                    times[key].append((time.process_time() - t0) / inner / per)
        finally:
            gc.enable()
        _, _, scale, unit = runs["new"]
        mb, mn = statistics.median(times["base"]), statistics.median(times["new"])
        print(f"{workload.__name__:9s} base {mb * scale:9.3f}  new {mn * scale:9.3f} {unit:11s}"
              f"new/base {mn / mb:.3f}")


if __name__ == "__main__":
    main()

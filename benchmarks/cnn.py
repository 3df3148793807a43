"""Times the 60-minute blitz's CNN (``Net``: conv 1->6 5x5, pool, conv 6->16 5x5, pool, three
linear layers) forward + backward on a 1x1x32x32 input, gradtrace against PyTorch on the CPU.

Run by hand (not a test)::

    .venv/bin/python benchmarks/cnn.py [--repeats N] [--batch B] [--write-results]

Both nets hold the same weights; the losses and gradients are checked to agree before timing.
The two implementations run interleaved (round-robin) in one process; medians per step in ms.
``--write-results`` rewrites the "CNN" section of ``benchmarks/RESULTS.md``.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
from results_file import replace_section  # noqa: E402

SECTION = "## CNN"


def make_net(T):
    nn, F = T.nn, T.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = T.flatten(x, 1)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)
    return Net()


def step(T, net, x, target):
    net.zero_grad()
    loss = T.nn.functional.mse_loss(net(x), target)
    loss.backward()
    return loss


def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=200)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    import torch

    import gradtrace.core as gt
    torch.set_num_threads(os.cpu_count() or 1)
    mine, theirs = make_net(gt), make_net(torch)
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in mine.state_dict().items()})
    rng = np.random.default_rng(0)
    x = rng.standard_normal((args.batch, 1, 32, 32)).astype(np.float32)
    t = rng.standard_normal((args.batch, 10)).astype(np.float32)
    runs = {"gradtrace": (gt, mine, gt.tensor(x), gt.tensor(t)),
            "torch": (torch, theirs, torch.tensor(x), torch.tensor(t))}
    losses = {k: step(*v).item() for k, v in runs.items()}
    assert abs(losses["gradtrace"] - losses["torch"]) <= 1e-5 * abs(losses["torch"]) + 1e-7, losses
    for a, b in zip(mine.parameters(), theirs.parameters()):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-5)
    for _ in range(20):   # warm-up
        for v in runs.values():
            step(*v)
    times = {k: [] for k in runs}
    load0 = os.getloadavg()
    for i in range(args.repeats):
        order = list(runs) if i % 2 == 0 else list(runs)[::-1]
        for k in order:
            t0 = time.perf_counter()
            step(*runs[k])
            times[k].append(time.perf_counter() - t0)
    load1 = os.getloadavg()
    med = {k: statistics.median(v) * 1e3 for k, v in times.items()}
    p90 = {k: sorted(v)[int(0.9 * len(v))] * 1e3 for k, v in times.items()}
    machine = (f"{cpu_name()}, `nproc` {os.cpu_count()}, Python {platform.python_version()}, "
               f"numpy {np.__version__}, torch {torch.__version__} ({torch.get_num_threads()} "
               f"threads); load average (1/5/15 min) {[round(v, 2) for v in load0]} at the "
               f"start, {[round(v, 2) for v in load1]} at the end; "
               f"{datetime.date.today().isoformat()}")
    lines = [SECTION, "",
             "`benchmarks/cnn.py`: the 60-minute blitz's `Net` (conv 1->6 5x5, max-pool 2, conv "
             "6->16 5x5, max-pool 2, flatten, linear 400-120-84-10), one forward + MSE loss + "
             f"backward on a {args.batch}x1x32x32 input, same weights in both; medians of "
             f"{args.repeats} interleaved steps after 20 warm-up steps.", "",
             f"Machine: {machine}.", "",
             "| implementation | median ms per step | p90 ms |", "| --- | ---: | ---: |"]
    for k in runs:
        lines.append(f"| {k} | {med[k]:.2f} | {p90[k]:.2f} |")
    lines.append("")
    lines.append(f"gradtrace / torch: {med['gradtrace'] / med['torch']:.2f}x.")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write_results:
        replace_section(SECTION, text)


if __name__ == "__main__":
    main()

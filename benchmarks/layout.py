"""Times LayeredLayout on autograd-shaped graphs (deep MLP, unrolled RNN, attention), 1k-20k nodes.
Run by hand: ``.venv/bin/python benchmarks/layout.py``; writes the Layout section of RESULTS.md."""
from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from results_file import replace_section  # noqa: E402

try:
    from gradtrace.gui.model.layout import LayeredLayout
except ImportError:  # not installed: load the file itself (it needs only numpy and networkx)
    _spec = importlib.util.spec_from_file_location("layout", ROOT / "gui" / "model" / "layout.py")
    _mod = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_mod)
    LayeredLayout = _mod.LayeredLayout


class GraphBuilder:
    """Adds nodes with the graph model's attributes (kind, label, op, role, group)."""

    def __init__(self):
        self.g = nx.DiGraph()
        self.group = None

    def tensor(self, name, role="intermediate", kind="tensor"):
        self.g.add_node(name, kind=kind, label=name.rpartition("/")[2], op=None, role=role,
                        group=self.group)
        return name

    def leaf(self, name):
        """A parameter and its AccumulateGrad node; returns the AccumulateGrad id."""
        self.tensor(name, role="leaf")
        acc = f"{name}/AccumulateGrad"
        self.g.add_node(acc, kind="accumulate", label="AccumulateGrad", op="AccumulateGrad",
                        role="accumulate", group=self.group)
        self.g.add_edge(name, acc)
        return acc

    def fn(self, op, *inputs, tag=""):
        node = f"{op}#{self.g.number_of_nodes()}{tag}"
        self.g.add_node(node, kind="function", label=op, op=op, role="function",
                        group=self.group)
        self.g.add_edges_from((i, node) for i in inputs)
        return node

    def linear(self, x, name, bias=True):
        """x @ W.T + b as PyTorch records it: AddmmBackward0(b, x, TBackward0(W))."""
        wt = self.fn("TBackward0", self.leaf(f"{name}.weight"))
        if bias:
            return self.fn("AddmmBackward0", self.leaf(f"{name}.bias"), x, wt)
        return self.fn("MmBackward0", x, wt)


def mlp(blocks):
    """A deep MLP: Linear + ReLU repeated, every hidden activation named."""
    b = GraphBuilder()
    h = b.tensor("x", role="constant", kind="constant")
    for k in range(blocks):
        b.group = f"layer{k}"
        h = _named(b, b.fn("ReluBackward0", b.linear(h, f"layer{k}")), f"layer{k}/h")
    b.group = None
    target = b.tensor("target", role="constant", kind="constant")
    _named(b, b.fn("MseLossBackward0", h, target), "loss")
    return b.g


def rnn(steps):
    """An unrolled Elman RNN h = tanh(h @ W.T + x_t @ U.T + b) sharing W, U, b over all steps."""
    b = GraphBuilder()
    acc_w, acc_u, acc_b = b.leaf("rnn.W"), b.leaf("rnn.U"), b.leaf("rnn.b")
    h = b.tensor("h0", role="constant", kind="constant")
    outs = []
    for t in range(steps):
        b.group = f"step{t}"
        x = b.tensor(f"step{t}/x", role="constant", kind="constant")
        hw = b.fn("MmBackward0", h, b.fn("TBackward0", acc_w))
        xu = b.fn("MmBackward0", x, b.fn("TBackward0", acc_u))
        h = b.fn("TanhBackward0", b.fn("AddBackward0", b.fn("AddBackward0", hw, xu), acc_b))
        h = _named(b, h, f"step{t}/h")
        outs.append(h)
    b.group = None
    _named(b, b.fn("SumBackward0", b.fn("StackBackward0", *outs)), "loss")
    return b.g


def attention(blocks, heads=8):
    """Pre-norm transformer blocks: multi-head attention (heads in parallel) and an MLP, with
    residual adds; views, permutes, transposes, softmax and batched matmuls as PyTorch records."""
    b = GraphBuilder()
    x = b.tensor("x", role="constant", kind="constant")
    for k in range(blocks):
        b.group = f"block{k}.attn"
        ln = b.fn("NativeLayerNormBackward0", x, b.leaf(f"block{k}.ln1.weight"),
                  b.leaf(f"block{k}.ln1.bias"))
        flat = b.fn("ViewBackward0", ln)
        qkv = []
        for proj in "qkv":
            y = b.fn("ViewBackward0", b.linear(flat, f"block{k}.{proj}", bias=False))
            qkv.append(b.fn("PermuteBackward0", y))
        outs = []
        for hd in range(heads):
            q, kk, v = (b.fn("SelectBackward0", t, tag=f"h{hd}") for t in qkv)
            s = b.fn("BmmBackward0", q, b.fn("TransposeBackward0", kk))
            a = b.fn("SoftmaxBackward0", b.fn("DivBackward0", s))
            outs.append(b.fn("BmmBackward0", a, v))
        o = b.fn("ViewBackward0", b.fn("CatBackward0", *outs))
        o = b.fn("ViewBackward0", b.linear(o, f"block{k}.o", bias=False))
        x = _named(b, b.fn("AddBackward0", x, o), f"block{k}/attn_out")
        b.group = f"block{k}.mlp"
        ln = b.fn("NativeLayerNormBackward0", x, b.leaf(f"block{k}.ln2.weight"),
                  b.leaf(f"block{k}.ln2.bias"))
        hdn = b.fn("GeluBackward0", b.linear(b.fn("ViewBackward0", ln), f"block{k}.fc1"))
        y = b.fn("ViewBackward0", b.linear(hdn, f"block{k}.fc2"))
        x = _named(b, b.fn("AddBackward0", x, y), f"block{k}/out")
    b.group = None
    _named(b, b.fn("MeanBackward0", x), "loss")
    return b.g


def _named(b, node, name):
    """A named tensor node after `node` (what the script binds to a variable)."""
    b.tensor(name)
    b.g.add_edge(node, name)
    return name


# model -> size parameter for about 1k, 5k and 20k nodes
SIZES = {"mlp": (mlp, (125, 625, 2500)), "rnn": (rnn, (100, 500, 2000)),
         "attention": (attention, (8, 40, 160))}


def machine():
    """``uname -m``, ``nproc`` and the CPU model from /proc/cpuinfo, in one line."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{platform.machine()}, {cpus} CPUs (nproc), {model}"


def run(repeats, models):
    """Time every size of every model; print and return one row per graph."""
    rows = []
    for name in models:
        make, params = SIZES[name]
        for param in params:
            g = make(param)
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                lay = LayeredLayout().compute(g)
                times.append(time.perf_counter() - t0)
            row = (name, g.number_of_nodes(), g.number_of_edges(), len(lay.layers),
                   statistics.median(times), lay.initial_crossings, lay.crossings)
            rows.append(row)
            print(f"{name:10s} {row[1]:6d} nodes {row[2]:6d} edges {row[3]:6d} layers  "
                  f"median {row[4] * 1000:7.1f} ms  crossings: networkx order {row[5]}, "
                  f"after reduction {row[6]}", flush=True)
            if row[6] > row[5] or (row[5] > 0 and row[6] == row[5]):
                print("  WARNING: reduction did not beat networkx's order", file=sys.stderr)
    return rows


def write_results(rows, repeats, path=ROOT / "benchmarks" / "RESULTS.md"):
    """Replace (or add) the "## Layout" section of RESULTS.md, leaving other sections alone."""
    lines = ["## Layout", "",
             f"`benchmarks/layout.py`, median of {repeats} runs of `LayeredLayout().compute(g)` "
             f"(default sizes, TB). Machine: {machine()}.",
             "Targets: 5,000 nodes under 0.2 s, 20,000 under 1 s. The MLP has nothing to untangle:"
             " once leaves sit next to their consumer, networkx's order already has no crossing.",
             "",
             "| graph | nodes | edges | layers | median time | crossings, networkx order "
             "| crossings, after reduction |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4] * 1000:.1f} ms | {r[5]} | {r[6]} |"
              for r in rows]
    replace_section("## Layout", "\n".join(lines) + "\n", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--models", nargs="*", default=list(SIZES))
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    print(machine())
    rows = run(args.repeats, args.models)
    if not args.no_write and set(args.models) == set(SIZES):
        write_results(rows, args.repeats)


if __name__ == "__main__":
    main()

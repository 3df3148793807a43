"""Times the autograd engine against its lower bound (raw numpy, or raw CuPy on the GPU: the same
arithmetic, forward and hand-written backward, no graph) and against PyTorch at the same thread
count, in one process, interleaved round-robin over the implementations with many repeats.

Run by hand (not a test)::

    .venv/bin/python benchmarks/engine.py [--device cpu|cuda] [--quick] [--json PATH] [--write-results]

Workloads (CPU): a chain of 200 elementwise ops on a 2x2 tensor (µs per op, forward + backward),
an MLP training step (batch 256, 784-512-512-10, ms per step), ten elementwise ops on a
2048x2048 tensor (ms) and PyTorch's autograd tutorial program (µs per program). On CUDA: the
tiny-tensor chain, ten elementwise ops on 4096x4096 and the MLP step at batch 4096.
``--write-results`` rewrites the "Engine" section of ``benchmarks/RESULTS.md`` (other sections
are kept).
"""
from __future__ import annotations

import argparse
import datetime
import gc
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import traceback
import types
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT / "benchmarks"))
from results_file import read_section, replace_section  # noqa: E402

SECTION = "## Engine"
BLAS_SETTLE_S = 0.2  # OpenBLAS/OpenMP workers spin ~125 ms after a matmul: let them park


# ---------------------------------------------------------------- imports
def import_gradtrace():
    """``gradtrace.core``, installed or (not installed: a bare checkout on another machine)
    loaded from ``core/`` of this checkout."""
    try:
        import gradtrace.core as gt
        return gt
    except ImportError:
        pass
    pkg = types.ModuleType("gradtrace")
    pkg.__path__ = []
    sys.modules["gradtrace"] = pkg
    spec = importlib.util.spec_from_file_location(
        "gradtrace.core", ROOT / "core" / "__init__.py",
        submodule_search_locations=[str(ROOT / "core")])
    mod = importlib.util.module_from_spec(spec)
    sys.modules["gradtrace.core"] = mod
    spec.loader.exec_module(mod)
    pkg.core = mod
    return mod


def import_torch():
    try:
        import torch
        return torch
    except ImportError:
        return None


def import_cupy():
    try:
        import cupy
    except Exception as exc:  # ImportError, or a CUDA library that fails to load
        sys.exit(f"--device cuda needs CuPy (the raw-CuPy baseline and gradtrace's CUDA backend): "
                 f"{type(exc).__name__}: {exc}\nInstall it with: pip install gradtrace[gpu] "
                 f"(or cupy-cuda12x / cupy-cuda13x matching your CUDA)")
    try:
        if cupy.cuda.runtime.getDeviceCount() == 0:
            raise RuntimeError("no CUDA device found")
    except Exception as exc:
        sys.exit(f"--device cuda: CuPy is installed but no CUDA GPU is usable: {exc}")
    return cupy


# ---------------------------------------------------------------- threads and machine
def blas_info():
    """(numpy's BLAS threads, BLAS description, whether threadpoolctl was used)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        import numpy.linalg  # noqa: F401  (loads the BLAS library so that it is listed)
        for lib in threadpool_info():
            if lib.get("user_api") == "blas" and ("numpy" in lib.get("filepath", "")
                                                   or "openblas" in lib.get("prefix", "")):
                desc = (f"{lib.get('internal_api')} {lib.get('version')} "
                        f"({lib.get('architecture')}, {lib.get('threading_layer')})")
                return int(lib["num_threads"]), desc, True
    # without threadpoolctl: numpy's build config and the usual environment variables
    desc = "unknown BLAS"
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        desc = f"{blas.get('name')} {blas.get('version')}"
    except Exception:
        pass
    n = None
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            n = int(os.environ[var])
            break
    return n or len(os.sched_getaffinity(0)), desc, False


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def loadavg():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def nproc():
    try:
        return int(subprocess.run(["nproc"], capture_output=True, text=True).stdout)
    except Exception:
        return os.cpu_count()


# ---------------------------------------------------------------- workload 1: op chain
def chain_ops(n):
    """The op pattern: ``y*1.01``, ``y+0.1``, ``sin(y)``, ``exp(y)``, repeated (bounded values)."""
    pattern = ("mul", "add", "sin", "exp")
    return [pattern[i % 4] for i in range(n)]


def chain_lib(T, x, ops):
    """gradtrace or torch: the ops, ``.sum().backward()``; returns (out, x.grad)."""
    y = x
    for op in ops:
        if op == "mul":
            y = y * 1.01
        elif op == "add":
            y = y + 0.1
        elif op == "sin":
            y = T.sin(y)
        else:
            y = T.exp(y)
    s = y.sum()
    s.backward()
    g = x.grad
    x.grad = None
    return s, g


def chain_raw(xp, x, ops):
    """The same forward with hand-written backward (keeps what each op's vjp needs)."""
    saved = []
    y = x
    for op in ops:
        if op == "mul":
            saved.append(None)
            y = y * 1.01
        elif op == "add":
            saved.append(None)
            y = y + 0.1
        elif op == "sin":
            saved.append(y)
            y = xp.sin(y)
        else:
            y = xp.exp(y)
            saved.append(y)
    s = y.sum()
    g = xp.broadcast_to(xp.ones((), dtype=y.dtype), y.shape)
    for op, v in zip(reversed(ops), reversed(saved)):
        if op == "mul":
            g = g * 1.01
        elif op == "sin":
            g = g * xp.cos(v)
        elif op == "exp":
            g = g * v
        # add: g passes through
    return s, g


# ---------------------------------------------------------------- workload 2: MLP step
def mlp_data(batch, sizes=(784, 512, 512, 10), seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, sizes[0]), dtype=np.float32)
    target = rng.integers(0, sizes[-1], batch).astype(np.int64)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = 1.0 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, (fan_out,)).astype(np.float32))
    return x, target, params


def mlp_lib(F, x, target, params):
    """gradtrace or torch: F.linear/F.relu/F.cross_entropy and backward; grads back to None."""
    w1, b1, w2, b2, w3, b3 = params
    h = F.relu(F.linear(x, w1, b1))
    h = F.relu(F.linear(h, w2, b2))
    loss = F.cross_entropy(F.linear(h, w3, b3), target)
    loss.backward()
    grads = [p.grad for p in params]
    for p in params:
        p.grad = None
    return loss, grads


def mlp_raw(xp, x, target, params):
    """The same step by hand: matmuls, ReLU, log-softmax + NLL, and their backward."""
    w1, b1, w2, b2, w3, b3 = params
    a1 = x @ w1.T
    a1 += b1
    h1 = xp.maximum(a1, 0)
    a2 = h1 @ w2.T
    a2 += b2
    h2 = xp.maximum(a2, 0)
    logits = h2 @ w3.T
    logits += b3
    shifted = logits - logits.max(axis=1, keepdims=True)
    logp = shifted - xp.log(xp.exp(shifted).sum(axis=1, keepdims=True))
    n = x.shape[0]
    rows = xp.arange(n)
    loss = -logp[rows, target].mean()
    # backward
    d = xp.exp(logp)
    d[rows, target] -= 1.0
    d *= 1.0 / n
    gw3, gb3 = d.T @ h2, d.sum(axis=0)
    d = d @ w3
    d *= h2 > 0
    gw2, gb2 = d.T @ h1, d.sum(axis=0)
    d = d @ w2
    d *= h1 > 0
    gw1, gb1 = d.T @ x, d.sum(axis=0)
    return loss, [gw1, gb1, gw2, gb2, gw3, gb3]


# ---------------------------------------------------------------- workload 3: big elementwise
BIG_OPS = chain_ops(10)  # mul add sin exp mul add sin exp mul add


# ---------------------------------------------------------------- workload 4: the tutorial
def tutorial_lib(torch):
    """PyTorch's autograd tutorial, without the printing; its data-dependent doubling loop is
    fixed at 9 doublings (the norm is still computed each time). Returns what a check needs."""
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    a = torch.randn(2, 2)
    a = ((a * 3) / (a - 1))
    a.requires_grad
    a.requires_grad_(True)
    a.requires_grad
    b = (a * a).sum()
    b.grad_fn
    out.backward()
    g1 = x.grad
    x = torch.randn(3, requires_grad=True)
    y = x * 2
    for _ in range(9):
        y.data.norm() < 1000
        y = y * 2
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    y.backward(v)
    g2 = x.grad
    x.requires_grad
    (x ** 2).requires_grad
    with torch.no_grad():
        (x ** 2).requires_grad
    x.requires_grad
    y = x.detach()
    y.requires_grad
    same = x.eq(y).all()
    return out, g1, g2, same


def tutorial_raw(rng):
    """The tutorial's arithmetic by hand (float32, forward and backward)."""
    f32 = np.float32
    x = np.ones((2, 2), f32)
    y = x + 2
    yy = y * y
    z = yy * 3
    out = z.mean()
    a = rng.standard_normal((2, 2), dtype=f32)
    a = (a * 3) / (a - 1)
    b = (a * a).sum()  # noqa: F841
    gz = np.full((2, 2), 1 / 4, f32)
    gyy = gz * 3
    g1 = gyy * y + gyy * y
    x = rng.standard_normal(3, dtype=f32)
    y = x * 2
    for _ in range(9):
        np.sqrt((y * y).sum()) < 1000
        y = y * 2
    v = np.array([0.1, 1.0, 0.0001], f32)
    g2 = v
    for _ in range(10):
        g2 = g2 * 2
    x ** 2
    y = x.view()
    same = (x == y).all()
    return out, g1, g2, same


# ---------------------------------------------------------------- timing
class Sync:
    """Waits for the GPU work of CuPy and torch (a no-op on the CPU)."""

    def __init__(self, cupy=None, torch=None):
        self.cupy, self.torch = cupy, torch

    def __call__(self):
        if self.cupy is not None:
            self.cupy.cuda.Device().synchronize()
        if self.torch is not None:
            self.torch.cuda.synchronize()


def measure(impls, rounds, inner, warmup, settle, sync):
    """Round-robin over ``impls`` ({name: fn}); each timed block runs ``fn`` ``inner`` times.
    The starting implementation rotates each round. With ``settle``: sleep that long before
    each block (another implementation's BLAS/OpenMP workers stop spinning), then run ``fn``
    once untimed (its own pool and allocator warm again, as in a training loop's steady
    state), then time the block. Returns {name: [seconds per call]}."""
    names = list(impls)
    for _ in range(warmup):
        for name in names:
            for _ in range(inner):
                impls[name]()
    sync()
    times = {name: [] for name in names}
    for r in range(rounds):
        for k in range(len(names)):
            name = names[(r + k) % len(names)]
            fn = impls[name]
            if settle:
                time.sleep(settle)
                fn()
            sync()
            t0 = time.perf_counter()
            for _ in range(inner):
                fn()
            sync()
            times[name].append((time.perf_counter() - t0) / inner)
    return times


KIND_NAMES = {"chain": "op-chain", "big": "large-array elementwise", "mlp": "MLP",
              "tutorial": "tutorial"}


def fmt_ratio(x):
    return "n/a" if x is None else f"{x:.2f}x"


def close(a, b, what, rtol=2e-4, atol=1e-5):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if not np.allclose(a, b, rtol=rtol, atol=atol):
        err = np.max(np.abs(a - b))
        raise AssertionError(f"check failed: {what} differ (max abs difference {err:.3g})")


# ---------------------------------------------------------------- the benchmark
class Bench:
    def __init__(self, args):
        self.args = args
        self.cuda = args.device == "cuda"
        self.gt = import_gradtrace()
        self.torch = import_torch()
        self.cupy = import_cupy() if self.cuda else None
        self.xp = self.cupy if self.cuda else np
        self.raw_name = "raw CuPy" if self.cuda else "raw numpy"
        self.threads, self.blas, self.tpc = blas_info()
        self._limiter = None
        if args.threads:
            if not self.tpc:
                sys.exit("--threads needs threadpoolctl to limit numpy's BLAS: "
                         "pip install threadpoolctl")
            from threadpoolctl import threadpool_limits
            self._limiter = threadpool_limits(limits=args.threads, user_api="blas")
            self.threads = args.threads
        self.torch_dev = None
        if self.torch is not None:
            if self.cuda:
                self.torch_dev = "cuda" if self.torch.cuda.is_available() else None
            else:
                self.torch_dev = "cpu"
                self.torch.set_num_threads(self.threads)
        self.sync = Sync(self.cupy if self.cuda else None,
                         self.torch if self.cuda and self.torch_dev == "cuda" else None)
        self.results = []
        self.failures = []  # (workload, implementation, message)
        self.load0 = loadavg()
        self.notes = []

    # ---- helpers to make the same data in each library
    def gt_tensor(self, arr, grad=False):
        dev = "cuda" if self.cuda else "cpu"
        return self.gt.tensor(arr, device=dev, requires_grad=grad)

    def th_tensor(self, arr, grad=False):
        t = self.torch.from_numpy(np.ascontiguousarray(arr)).to(self.torch_dev)
        return t.requires_grad_(grad) if grad else t

    def raw_array(self, arr):
        return self.xp.asarray(arr)

    def has_torch(self):
        return self.torch_dev is not None

    def host(self, a):
        """A library's array/tensor as numpy (for the checks)."""
        if hasattr(a, "detach"):
            a = a.detach()
            if hasattr(a, "cpu"):
                a = a.cpu()
            a = a.numpy() if hasattr(a, "numpy") else a
        if self.cupy is not None and isinstance(a, self.cupy.ndarray):
            a = self.cupy.asnumpy(a)
        return np.asarray(a)

    # ---- running one workload
    def run(self, key, title, unit, scale, impls, rounds, inner, warmup, settle, target=None):
        """``scale`` turns seconds per call into the unit; ``target``: (what, other, limit)."""
        gc.collect()
        times = measure(impls, rounds, inner, warmup, settle, self.sync)
        med = {name: statistics.median(v) * scale for name, v in times.items()}
        q = {name: (float(np.percentile(v, 25)) * scale, float(np.percentile(v, 75)) * scale)
             for name, v in times.items()}
        row = {"key": key, "workload": title, "unit": unit, "rounds": rounds, "inner": inner,
               "median": med, "iqr": q}
        gtm = med.get("gradtrace")
        row["ratio_raw"] = gtm / med["raw"] if gtm is not None else None
        row["ratio_torch"] = gtm / med["torch"] if gtm is not None and "torch" in med else None
        if target is not None:
            other, limit = target
            ratio = row["ratio_raw"] if other == "raw" else row["ratio_torch"]
            if gtm is None:
                verdict = "FAIL"  # gradtrace raised or computed other numbers
            elif ratio is None:
                verdict = "n/a"
            else:
                verdict = "PASS" if ratio <= limit else "MISS"
            row["target"] = {"vs": other, "limit": limit, "ratio": ratio, "verdict": verdict}
        self.results.append(row)
        self.print_row(row)
        if settle:
            time.sleep(settle)
        if self.args.profile and "gradtrace" in impls:
            self.profile(impls["gradtrace"], title, max(20, rounds * inner // 2), settle)
        return row

    def profile(self, fn, title, calls, settle):
        """Where gradtrace's time goes on this workload: cProfile's top functions by own time
        (with their share of the profiled total), and on the GPU the host time per call
        against the synchronized time, and the first device synchronization inside a call."""
        import cProfile
        import pstats
        print(f"  profile of gradtrace, {calls} calls (cProfile, own time; its overhead inflates "
              "small Python functions):")
        if settle:
            time.sleep(settle)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(calls):
            fn()
        self.sync()
        prof.disable()
        st = pstats.Stats(prof)
        total = sum(v[2] for v in st.stats.values())
        top = sorted(st.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:self.args.profile]
        for (path, line, func), (_cc, nc, tt, ct, _) in top:
            where = f"{Path(path).name}:{line}({func})" if line else func
            print(f"    {100 * tt / total:5.1f}%  {tt / calls * 1e6:9.1f} µs/call  "
                  f"{nc // calls:5d} calls/call  cum {ct / calls * 1e6:9.1f} µs  {where}")
        if self.cuda:
            self.sync()
            host = []
            synced = []
            for _ in range(max(10, calls // 2)):
                t0 = time.perf_counter()
                fn()
                t1 = time.perf_counter()
                self.sync()
                t2 = time.perf_counter()
                host.append(t1 - t0)
                synced.append(t2 - t0)
            print(f"    host time per call {statistics.median(host) * 1e6:.1f} µs (returns "
                  f"before the GPU is done), synchronized {statistics.median(synced) * 1e6:.1f} µs")
            try:
                import cupyx
                with cupyx.allow_synchronize(False):
                    fn()
                print("    no device synchronization inside a call")
            except Exception as exc:
                frames = [f for f in traceback.extract_tb(exc.__traceback__)
                          if "engine.py" not in f.filename and "cupy" not in f.filename]
                where = "; ".join(f"{Path(f.filename).name}:{f.lineno} {f.line}" for f in frames[-2:])
                print(f"    a device synchronization inside a call ({type(exc).__name__}) at: {where}")
            self.sync()

    def print_row(self, r):
        u = r["unit"]
        print(f"\n{r['workload']}  ({r['rounds']} rounds x {r['inner']} per block)")
        for name in ("gradtrace", "raw", "torch"):
            if name in r["median"]:
                lo, hi = r["iqr"][name]
                label = {"raw": self.raw_name, "torch": f"torch ({self.torch_dev})"}.get(name, name)
                print(f"  {label:18s} {r['median'][name]:10.3f} {u}   (IQR {lo:.3f} .. {hi:.3f})")
        line = f"  gradtrace / {self.raw_name}: {fmt_ratio(r['ratio_raw'])}"
        line += f"   gradtrace / torch: {fmt_ratio(r['ratio_torch'])}"
        print(line)
        t = r.get("target")
        if t:
            vs = self.raw_name if t["vs"] == "raw" else "torch"
            print(f"  target: at most {t['limit']:.2f}x {vs}: {fmt_ratio(t['ratio'])} "
                  f"-> {t['verdict']}")

    # ---- workloads
    def w_chain(self, n_ops=200, target=("torch", 1.0)):
        gt, T, xp = self.gt, self.torch, self.xp
        ops = chain_ops(n_ops)
        x0 = np.array([[0.1, 0.2], [0.3, 0.4]], np.float32)
        xg, xr = self.gt_tensor(x0, True), self.raw_array(x0)
        impls = {"gradtrace": lambda: chain_lib(gt, xg, ops), "raw": lambda: chain_raw(xp, xr, ops)}
        if self.has_torch():
            xt = self.th_tensor(x0, True)
            impls["torch"] = lambda: chain_lib(T, xt, ops)
        self.check(impls, "chain")
        q = self.args.quick
        dev = "GPU" if self.cuda else "CPU"
        return self.run("chain200", f"chain of {n_ops} elementwise ops on 2x2 float32 ({dev}), "
                        "forward + backward, per op", "µs/op", 1e6 / n_ops, impls,
                        rounds=15 if q else 150, inner=3 if q else 5, warmup=2, settle=0,
                        target=target)

    def w_mlp(self, batch, target):
        gt, T, xp = self.gt, self.torch, self.xp
        x, tgt, params = mlp_data(batch)
        gp = [self.gt_tensor(p, True) for p in params]
        gx, gtgt = self.gt_tensor(x), self.gt_tensor(tgt)
        rp = [self.raw_array(p) for p in params]
        rx, rt = self.raw_array(x), self.raw_array(tgt)
        impls = {"gradtrace": lambda: mlp_lib(gt.nn.functional, gx, gtgt, gp),
                 "raw": lambda: mlp_raw(xp, rx, rt, rp)}
        if self.has_torch():
            tp = [self.th_tensor(p, True) for p in params]
            tx, tt = self.th_tensor(x), self.th_tensor(tgt)
            impls["torch"] = lambda: mlp_lib(T.nn.functional, tx, tt, tp)
        self.mlp_ref = mlp_raw(np, x.astype(np.float64), tgt, [p.astype(np.float64) for p in params])
        self.check(impls, "mlp")
        q = self.args.quick
        dev = "GPU" if self.cuda else "CPU"
        return self.run(f"mlp{batch}", f"MLP training step, batch {batch}, 784-512-512-10 float32 "
                        f"({dev})", "ms/step", 1e3, impls,
                        rounds=8 if q else 60, inner=2, warmup=2,
                        settle=0 if self.cuda else BLAS_SETTLE_S, target=target)

    def w_big(self, n, target):
        gt, T, xp = self.gt, self.torch, self.xp
        rng = np.random.default_rng(1)
        x0 = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        xg, xr = self.gt_tensor(x0, True), self.raw_array(x0)
        impls = {"gradtrace": lambda: chain_lib(gt, xg, BIG_OPS),
                 "raw": lambda: chain_raw(xp, xr, BIG_OPS)}
        if self.has_torch():
            xt = self.th_tensor(x0, True)
            impls["torch"] = lambda: chain_lib(T, xt, BIG_OPS)
        self.check(impls, "big")
        q = self.args.quick
        dev = "GPU" if self.cuda else "CPU"
        # torch's elementwise kernels use its OpenMP pool, whose workers spin after a kernel
        return self.run(f"elementwise{n}", f"10 elementwise ops on {n}x{n} float32 ({dev}), "
                        "forward + backward", "ms", 1e3, impls,
                        rounds=6 if q else 40, inner=1 if not self.cuda else 5, warmup=1,
                        settle=0 if self.cuda else BLAS_SETTLE_S, target=target)

    def w_tutorial(self, target=("torch", 1.0)):
        gt, T = self.gt, self.torch
        rng = np.random.default_rng(2)
        impls = {"gradtrace": lambda: tutorial_lib(gt), "raw": lambda: tutorial_raw(rng)}
        if self.has_torch():
            impls["torch"] = lambda: tutorial_lib(T)
        self.check(impls, "tutorial")
        q = self.args.quick
        return self.run("tutorial", "PyTorch autograd tutorial program (CPU), per program",
                        "µs", 1e6, impls, rounds=15 if q else 150, inner=10 if q else 20,
                        warmup=2, settle=0, target=target)

    # ---- correctness, once before timing
    def check(self, impls, kind):
        """Run each implementation once and compare with the raw one (assert allclose on the
        loss/output and the gradients). An implementation that raises or disagrees is dropped
        from the timing and reported; returns the implementations left."""
        res = {}
        for name, fn in list(impls.items()):
            try:
                res[name] = fn()
            except Exception as exc:
                self.failures.append((kind, name, f"{type(exc).__name__}: {exc}"))
                print(f"  !! {name} raised on the {kind} workload:")
                print("     " + traceback.format_exc().rstrip().replace("\n", "\n     "))
                if name == "raw":
                    raise
                del impls[name]
        ref = res["raw"]
        if kind == "mlp":  # every implementation against a float64 numpy reference
            ref = self.mlp_ref
        for name, got in res.items():
            if name == "raw" and kind != "mlp":
                continue
            try:
                self.compare(kind, name, got, ref)
            except AssertionError as exc:
                if name == "raw":
                    raise
                self.failures.append((kind, name, str(exc)))
                print(f"  !! {name}: {exc}")
                del impls[name]
        return impls

    def compare(self, kind, name, got, ref):
        h = self.host
        if kind == "mlp":
            close(h(got[0]), ref[0], f"{name} vs float64 loss", 1e-4)
            errs = []
            for a, b in zip(got[1], ref[1]):
                a = h(a).astype(np.float64)
                errs.append(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-30))
            worst = max(errs)
            label = {"raw": self.raw_name}.get(name, name)
            err = f"{worst:.1e}" + (" (float32 matmuls reach ~1e-6: TF32 or another "
                                    "reduced-precision matmul?)" if worst > 1e-4 else "")
            self.notes.append(f"{label} {err}")
            print(f"  check: {label}: MLP gradients' largest relative error (in norm) against a "
                  f"float64 reference: {err}")
            if not worst < 5e-3:
                raise AssertionError(f"check failed: {name}'s MLP gradients differ from the "
                                     f"float64 reference (relative error {worst:.3g})")
        elif kind == "tutorial":
            for i, what in enumerate(("out", "x.grad", "x.grad after y.backward(v)", "eq.all")):
                close(h(got[i]), h(ref[i]), f"{name} vs raw tutorial {what}")
        else:
            rtol = 1e-3 if kind == "chain" else 1e-4
            close(h(got[0]), h(ref[0]), f"{name} vs raw {kind} output", rtol,
                  1e-2 if kind == "big" else 1e-5)
            close(h(got[1]), h(ref[1]), f"{name} vs raw {kind} grad", rtol)

    def run_all(self):
        if self.cuda:
            self.w_chain(200, target=("raw", 1.15))
            self.w_big(4096, target=("raw", 1.15))
            self.w_mlp(4096, target=("raw", 1.15))
        else:
            self.w_chain(200, target=("torch", 1.0))
            self.w_mlp(256, target=("torch", 1.2))
            self.w_big(2048, target=("raw", 1.1))
            self.w_tutorial(target=("torch", 1.0))

    # ---- reporting
    def machine(self):
        m = {"cpu": cpu_model(), "nproc": nproc(), "python": platform.python_version(),
             "numpy": np.__version__, "torch": self.torch.__version__ if self.torch else None,
             "blas": self.blas, "blas_threads": self.threads,
             "blas_threads_from": "threadpoolctl" if self.tpc else "environment/affinity",
             "torch_threads": (self.torch.get_num_threads() if self.torch is not None else None),
             "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
             "device": self.args.device, "date": datetime.date.today().isoformat(),
             "quick": bool(self.args.quick), "loadavg_start": self.load0, "loadavg_end": loadavg()}
        if self.cuda:
            dev = self.cupy.cuda.Device()
            props = self.cupy.cuda.runtime.getDeviceProperties(dev.id)
            name = props["name"]
            m["gpu"] = name.decode() if isinstance(name, bytes) else name
            m["cupy"] = self.cupy.__version__
        return m

    def print_header(self):
        m = self.machine()
        print(f"machine: {m['cpu']}, nproc {m['nproc']}, Python {m['python']}, numpy {m['numpy']}, "
              f"torch {m['torch']}")
        print(f"BLAS: {m['blas']}; numpy BLAS threads {m['blas_threads']} "
              f"(read with {m['blas_threads_from']}); torch threads {m['torch_threads']}")
        print(f"OPENBLAS_CORETYPE={m['OPENBLAS_CORETYPE'] or '(not set)'}; load average "
              f"{m['loadavg_start']} (other processes skew timings: compare ratios, not absolutes)")
        if self.cuda:
            print(f"GPU: {m['gpu']}, CuPy {m['cupy']}; torch on {self.torch_dev or 'no CUDA: skipped'}")
        print(f"{'quick run' if self.args.quick else 'full run'}: medians of interleaved blocks "
              "(round-robin, rotating start), after a check that all implementations agree")

    def summary_rows(self):
        rows = []
        for r in self.results:
            med, u = r["median"], r["unit"]
            t = r.get("target")
            tgt = f"<= {t['limit']:.2f}x {t['vs']}: **{t['verdict']}**" if t else ""
            cell = lambda k, med=med: f"{med[k]:.3f}" if k in med else "n/a"  # noqa: E731
            rows.append([r["workload"], u, cell("gradtrace"), cell("raw"), cell("torch"),
                         fmt_ratio(r["ratio_raw"]), fmt_ratio(r["ratio_torch"]), tgt])
        return rows

    def markdown(self):
        """This device's subsection of the Engine section (``### CPU`` or ``### CUDA``)."""
        m = self.machine()
        raw = self.raw_name
        cmd = (f"benchmarks/engine.py{' --device cuda' if self.cuda else ''}"
               f"{' --quick' if self.args.quick else ''}"
               f"{f' --threads {self.args.threads}' if self.args.threads else ''}")
        if self.cuda:
            how = ("the GPU synchronized (CuPy and torch) around each timed block; targets: "
                   "gradtrace within 1.15x of raw CuPy.")
            machine = (f"GPU {m['gpu']}, CuPy {m['cupy']}, torch {m['torch']} "
                       f"({'on cuda' if self.torch_dev else 'no CUDA: skipped'}); host CPU "
                       f"{m['cpu']}, `nproc` {m['nproc']}, Python {m['python']}, numpy "
                       f"{m['numpy']}; {m['date']}.")
        else:
            how = (f"before each block of the matmul-heavy and large-array workloads a "
                   f"{BLAS_SETTLE_S} s sleep (OpenBLAS/OpenMP workers spin for ~125 ms after a "
                   "parallel kernel) and one untimed call (steady state, as in a training loop).")
            machine = (f"{m['cpu']}, `nproc` {m['nproc']}, Python {m['python']}, numpy "
                       f"{m['numpy']}, torch {m['torch']}; BLAS {m['blas']}; numpy BLAS threads "
                       f"{m['blas_threads']} (read with {m['blas_threads_from']}), torch threads "
                       f"{m['torch_threads']}; OPENBLAS_CORETYPE="
                       f"{m['OPENBLAS_CORETYPE'] or 'unset'}; load average (1/5/15 min) "
                       f"{m['loadavg_start']} at the start, {m['loadavg_end']} at the end; "
                       f"{m['date']}.")
        lines = [f"### {'CUDA' if self.cuda else 'CPU'}", "",
                 f"`{cmd}`: medians over interleaved (round-robin, rotating start) timed blocks "
                 "in one process, after warm-up and a check that the implementations compute "
                 f"the same loss and gradients; {how}", "",
                 f"Machine: {machine}", "",
                 f"| workload | unit | gradtrace | {raw} | torch | gradtrace / {raw} "
                 "| gradtrace / torch | target |",
                 "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        lines += ["| " + " | ".join(row) + " |" for row in self.summary_rows()]
        for kind, name, msg in self.failures:
            lines.append(f"\n{name} failed on the {KIND_NAMES[kind]} workload (not timed): "
                         f"`{msg}`")
        if self.notes:
            lines.append("\nCheck: the MLP gradients' largest relative error (in norm) against "
                         "a float64 numpy reference: " + ", ".join(self.notes) + ".")
        return "\n".join(lines) + "\n"

    def write_results(self, path=RESULTS):
        """Replace this device's subsection of the "## Engine" section of RESULTS.md (the other
        device's subsection and the other sections are kept)."""
        sub = self.markdown()
        body = read_section(SECTION, path)
        subs = {}
        for chunk in ("\n" + body).split("\n### ")[1:]:
            name = chunk.split("\n", 1)[0].strip()
            subs[name] = "### " + chunk.strip("\n") + "\n"
        subs["CUDA" if self.cuda else "CPU"] = sub
        intro = ("`benchmarks/engine.py` (run by hand): gradtrace against the lower bound (the "
                 "same arithmetic in raw numpy, or raw CuPy on the GPU, with a hand-written "
                 "backward and no graph) and against PyTorch at the same thread count.\n")
        parts = [SECTION + "\n\n", intro]
        parts += ["\n" + subs[k] for k in ("CPU", "CUDA") if k in subs]
        parts += ["\n" + v for k, v in subs.items() if k not in ("CPU", "CUDA")]
        replace_section(SECTION, "".join(parts), path)
        print(f"\nwrote the Engine section ({'CUDA' if self.cuda else 'CPU'}) of {path}")

    def write_json(self, path):
        data = {"machine": self.machine(), "results": self.results,
                "failures": [{"workload": k, "implementation": n, "error": e}
                             for k, n, e in self.failures]}
        Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (under a minute)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--write-results", action="store_true",
                        help='rewrite the "Engine" section of benchmarks/RESULTS.md')
    parser.add_argument("--threads", type=int, default=0, metavar="N",
                        help="limit numpy's BLAS (threadpoolctl) and torch to N threads "
                             "(default: numpy's BLAS thread count, torch set to match)")
    parser.add_argument("--profile", type=int, nargs="?", const=15, default=0, metavar="N",
                        help="after timing each workload, profile gradtrace on it (top N "
                             "functions by own time, default 15)")
    args = parser.parse_args()
    bench = Bench(args)
    bench.print_header()
    t0 = time.perf_counter()
    bench.run_all()
    print("\nsummary:")
    for row in bench.summary_rows():
        print("  " + " | ".join(row))
    for kind, name, msg in bench.failures:
        print(f"  FAILED: {name} on the {KIND_NAMES[kind]} workload: {msg}")
    print(f"(took {time.perf_counter() - t0:.0f} s; load average now {loadavg()})")
    if args.json:
        bench.write_json(args.json)
    if args.write_results:
        bench.write_results()


if __name__ == "__main__":
    main()

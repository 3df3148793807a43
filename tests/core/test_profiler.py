"""torch.autograd.profiler / torch.profiler against torch: the ops recorded by their ATen names
and counts, record_function ranges holding the ops run inside them, and PyTorch's table."""
import re

import numpy as np
import pytest

import gradtrace.core as gt


def _program(T, prof_module):
    x = T.tensor(np.arange(12.0, dtype=np.float32).reshape(3, 4) / 10, requires_grad=True)
    w = T.tensor(np.ones((2, 4), dtype=np.float32))
    with prof_module() as prof:
        with T.autograd.profiler.record_function("my_block"):
            y = (x * 2).sum()
        z = T.relu(x.mm(x.t())) + 1
        out = T.nn.functional.linear(x, w, T.zeros(2))
    return prof, (y, z, out)


def test_recorded_ops_are_torchs():
    torch = pytest.importorskip("torch")
    mine, _ = _program(gt, gt.autograd.profiler.profile)
    theirs, _ = _program(torch, torch.autograd.profiler.profile)
    got = {e.key: e.count for e in mine.key_averages()}
    want = {e.key: e.count for e in theirs.key_averages()}
    assert set(got) <= set(want), set(got) - set(want)
    for key in ("my_block", "aten::mul", "aten::sum", "aten::mm", "aten::relu", "aten::add",
                "aten::addmm", "aten::t"):
        assert got[key] == want[key], key


def test_a_range_holds_what_ran_inside_it():
    prof, _ = _program(gt, gt.autograd.profiler.profile)
    block = next(e for e in prof.events() if e.key == "my_block")
    assert [c.key for c in block.cpu_children] == ["aten::mul", "aten::sum"]
    assert block.cpu_time_total >= sum(c.cpu_time_total for c in block.cpu_children)
    avg = {e.key: e for e in prof.key_averages()}
    total = sum(e.self_cpu_time_total for e in avg.values())
    assert abs(total - prof.self_cpu_time_total) < 1e-6


def _columns(line):
    return re.split(r"\s{2,}", line.strip())


def test_table_layout_is_torchs():
    torch = pytest.importorskip("torch")
    mine = _program(gt, gt.autograd.profiler.profile)[0].key_averages().table(
        sort_by="self_cpu_time_total", row_limit=5).splitlines()
    theirs = _program(torch, torch.autograd.profiler.profile)[0].key_averages().table(
        sort_by="self_cpu_time_total", row_limit=5).splitlines()
    assert _columns(mine[1]) == _columns(theirs[1])     # the header
    assert len(mine) == len(theirs)                     # 5 rows between the rules
    assert [len(c) for c in mine[0].split()][1:] == [len(c) for c in theirs[0].split()][1:]
    row = _columns(mine[3])
    assert re.fullmatch(r"\d+\.\d\d%", row[1]) and re.fullmatch(r"\d+\.\d{3}(us|ms|s)", row[2])
    assert mine[-1].startswith("Self CPU time total: ")


def test_torch_profiler_namespace_and_nothing_recorded_outside():
    with gt.profiler.profile(activities=[gt.profiler.ProfilerActivity.CPU]) as prof:
        with gt.profiler.record_function("step"):
            gt.ones(3).exp()
    keys = [e.key for e in prof.key_averages()]
    assert keys == ["step", "aten::exp"]
    gt.ones(3).exp()   # after the profile: the ops are plain again
    assert [e.key for e in prof.key_averages()] == keys
    from gradtrace.core.derivatives import OPS
    assert OPS["exp"].forward.__name__ == "exp"    # unwrapped

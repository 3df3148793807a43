"""gui/model/bindings.py through the runner: each record's tensors are exactly the names bound
after it (every way Python binds a name), looked up from what the statement can bind, and
shared with the record before when it bound none."""
import pytest

from gradtrace.gui.model.bindings import FLATTEN, Bindings
from gradtrace.gui.model.runner import ScriptRunner

SCRIPT = """import torch
a = torch.ones(2)
b, (c, d) = a * 1, (a * 2, a * 3)
del c
n = 3
def make():
    global g
    g = torch.zeros(1)
make()
for i in range(2):
    t = a + i
if (w := a * 5) is not None:
    pass
try:
    raise ValueError
except ValueError as e:
    pass
with torch.no_grad():
    h = a * 6
import torch as tt
b = 'no longer a tensor'
x = [y := a * 7]
"""


def full_snapshots(source):
    """What each record's tensors must be: every tensor-valued global after each statement."""
    import ast
    ns, out = {"__builtins__": __builtins__}, []
    import gradtrace.core as gt
    ns["torch"] = gt
    for stmt in ast.parse(source).body:
        exec(compile(ast.Module([stmt], []), "<s>", "exec"), ns)
        out.append({k: v for k, v in ns.items()
                    if not k.startswith("_") and isinstance(v, gt.Tensor)})
    return out


def test_each_record_holds_the_tensors_bound_after_it():
    result = ScriptRunner().run(SCRIPT)
    assert result.error is None, result.error
    expected = full_snapshots(SCRIPT.replace("import torch\n", "", 1))
    got = [dict(r.tensors) for r in result.statements[1:]]
    assert [sorted(g) for g in got] == [sorted(e) for e in expected]
    for g, e in zip(got, expected):
        assert all(g[k] is e[k] or g[k].shape == e[k].shape for k in e)
    assert list(result.tensors) == ["a", "d", "g", "t", "w", "h", "y"]   # binding order
    assert "g" in result.statements[8].tensors   # bound inside make() (global g)


def test_a_statement_that_binds_no_tensor_shares_the_record_before():
    result = ScriptRunner().run("import torch\nx = torch.ones(1)\nn = 1\nprint(n)\n"
                                "x.add_(1)\ny = x * 2\n")
    r = result.statements
    assert r[2].tensors is r[1].tensors and r[3].tensors is r[1].tensors
    assert r[4].tensors is r[1].tensors            # in place: the same binding
    assert r[5].tensors is not r[4].tensors and list(r[5].tensors) == ["x", "y"]
    assert list(r[1].tensors) == ["x"]             # earlier records never change


def test_bindings_stay_right_past_flattening():
    chain, truth = Bindings(), {}
    for k in range(3 * FLATTEN + 5):
        changes = {f"v{k}": k, "v0": -k} if k % 3 else {f"v{k}": k}
        removed = {f"v{k - 2}"} if k % 5 == 0 and k >= 2 else set()
        for name in removed:
            truth.pop(name, None)
        truth.update(changes)
        chain = chain.changed(changes, removed)
        assert dict(chain) == truth and list(chain) == list(truth) and len(chain) == len(truth)
    assert chain["v0"] == truth["v0"]
    with pytest.raises(KeyError):
        chain["v3"]                                 # removed at k = 5

"""PyTorch's autograd tutorial, run with ``import gradtrace.core as torch``: it must print what
PyTorch 2.13 prints, line for line (object addresses aside)."""
import contextlib
import io
import re

import pytest

TUTORIAL = '''
x = torch.ones(2, 2, requires_grad=True); print(x)
y = x + 2; print(y); print(y.grad_fn)
z = y * y * 3; out = z.mean(); print(z, out)
a = torch.randn(2, 2); a = ((a * 3) / (a - 1)); print(a.requires_grad)
a.requires_grad_(True); print(a.requires_grad)
b = (a * a).sum(); print(b.grad_fn)
out.backward(); print(x.grad)
print(x.requires_grad); print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
y = x.detach(); print(y.requires_grad); print(x.eq(y).all())
v = torch.ones(2, 2, requires_grad=True); w = v * 2
w.backward(torch.tensor([[0.1, 1.0], [0.0001, 1.0]])); print(v.grad)
'''

# What PyTorch 2.13 printed for the program above.
RECORDED = """\
tensor([[1., 1.],
        [1., 1.]], requires_grad=True)
tensor([[3., 3.],
        [3., 3.]], grad_fn=<AddBackward0>)
<AddBackward0 object at 0x>
tensor([[27., 27.],
        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)
False
True
<SumBackward0 object at 0x>
tensor([[4.5000, 4.5000],
        [4.5000, 4.5000]])
True
True
False
False
tensor(True)
tensor([[2.0000e-01, 2.0000e+00],
        [2.0000e-04, 2.0000e+00]])
"""


def run_tutorial(module):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(TUTORIAL, {"torch": module})
    return re.sub(r"0x[0-9a-f]+", "0x", buf.getvalue())


def test_tutorial_prints_the_recorded_text():
    import gradtrace.core
    assert run_tutorial(gradtrace.core) == RECORDED


def test_tutorial_prints_what_torch_prints():
    torch = pytest.importorskip("torch")
    import gradtrace.core
    assert run_tutorial(gradtrace.core) == run_tutorial(torch)

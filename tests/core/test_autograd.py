"""Autograd semantics against PyTorch: accumulation, freeing, errors and warnings with their
texts, the generator backward, grad modes, scale (no recursion) and memory (no cycles)."""
import gc
import warnings
import weakref

import numpy as np
import pytest

import gradtrace.core as torch
from gradtrace.core.autograd import BackwardStep, iter_backward


def test_grad_accumulates_over_calls():
    x = torch.ones(2, requires_grad=True)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]


def test_second_backward_raises_pytorch_error():
    x = torch.ones(2, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"^Trying to backward through the graph a second time \(or directly access saved tensors after they have already been freed\)\. Saved intermediate values"):
        y.backward()


def test_saved_tensors_freed_after_backward():
    x = torch.ones(2, requires_grad=True)
    y = x * x
    assert y.grad_fn._saved_self is x
    y.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.grad_fn._saved_self


def test_retain_graph_allows_second_backward():
    x = torch.ones(2, requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 4.0]


def test_nonscalar_backward_needs_gradient():
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="^grad can be implicitly created only for scalar outputs$"):
        (x * 2).backward()


def test_gradient_of_wrong_shape():
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^Mismatch in shape: grad_output\[0\] has a shape of torch.Size\(\[3\]\) and output\[0\] has a shape of torch.Size\(\[2\]\)\.$"):
        (x * 2).backward(torch.ones(3))


def test_backward_without_grad():
    with pytest.raises(RuntimeError, match="^element 0 of tensors does not require grad and does not have a grad_fn$"):
        torch.ones(2).sum().backward()


def test_broadcast_failure_message():
    with pytest.raises(RuntimeError, match=r"^The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton dimension 1$"):
        torch.ones(2, 2) + torch.ones(2, 3)


def test_non_leaf_grad_warns():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    with pytest.warns(UserWarning, match="The .grad attribute of a Tensor that is not a leaf Tensor is being accessed"):
        assert y.grad is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x.grad is None


def test_failing_op_leaves_graph_unchanged():
    x = torch.ones(2, 3, requires_grad=True)
    y = x * 2
    fn, version = y.grad_fn, y._version
    with pytest.raises(RuntimeError, match="mat1 and mat2 shapes cannot be multiplied"):
        y @ torch.ones(2, 3)
    assert y.grad_fn is fn and y._version == version and fn.next_functions[0][0].variable is x
    y.sum().backward()
    assert x.grad.tolist() == [[2.0] * 3] * 2


def test_requires_grad_rules():
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require gradients"):
        torch.ones(2, dtype=torch.int64).requires_grad_()
    y = torch.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
        y.requires_grad_(False)
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad"):
        y.numpy()


def test_graph_structure_like_pytorch():
    x = torch.ones(2, requires_grad=True)
    y = x + 2
    assert y.grad_fn.name() == type(y.grad_fn).__name__ == "AddBackward0"
    (acc, i), (const, j) = y.grad_fn.next_functions
    assert acc.name() == "torch::autograd::AccumulateGrad" and acc.variable is x and i == 0
    assert const is None and j == 0
    assert repr(y.grad_fn).startswith("<AddBackward0 object at 0x")
    z = y.exp()
    assert z.grad_fn._saved_result.tolist() == pytest.approx(z.tolist())
    w = y * x
    assert w.grad_fn._saved_self is y and w.grad_fn._saved_other is x
    # one AccumulateGrad per leaf, shared by its uses
    assert w.grad_fn.next_functions[1][0] is acc
    assert (x ** 2).grad_fn._saved_exponent == 2


def test_iter_backward_yields_steps_in_order():
    x = torch.ones(2, requires_grad=True)
    out = ((x * 3) + 1).sum()
    steps = list(iter_backward(out))
    assert [s.node.name() for s in steps] == ["SumBackward0", "AddBackward0", "MulBackward0", "torch::autograd::AccumulateGrad"]
    assert all(isinstance(s, BackwardStep) for s in steps)
    assert [s.index for s in steps] == [0, 1, 2, 3]
    mul = steps[2]
    assert mul.grads_in[0].tolist() == [1.0, 1.0]
    assert mul.grads_out[0].tolist() == [3.0, 3.0] and mul.grads_out[1] is None
    acc = steps[3]
    assert acc.variable is x and acc.grad_before is None and acc.grad_after.tolist() == [3.0, 3.0]
    with pytest.raises(AttributeError):
        acc.index = 5


def test_iter_backward_is_what_backward_does():
    x = torch.ones(2, requires_grad=True)
    (x * 2).sum().backward()
    out = (x * x).sum()
    steps = list(iter_backward(out))
    acc = steps[-1]
    assert acc.grad_before.tolist() == [2.0, 2.0] and acc.grad_after.tolist() == [4.0, 4.0]
    assert x.grad is acc.grad_after


def test_shared_leaf_accumulates_once_with_sum():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * x + x
    steps = list(iter_backward(y.sum()))
    accs = [s for s in steps if s.node.name() == "torch::autograd::AccumulateGrad"]
    assert len(accs) == 1
    assert x.grad.tolist() == [3.0, 5.0]


def test_grad_modes():
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        assert not (x * 2).requires_grad
        with torch.enable_grad():
            assert (x * 2).requires_grad
    assert torch.is_grad_enabled()

    @torch.no_grad()
    def f(t):
        return t * 2
    assert not f(x).requires_grad
    torch.set_grad_enabled(False)
    assert not torch.is_grad_enabled()
    torch.set_grad_enabled(True)
    with torch.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert torch.is_grad_enabled()


def test_deep_chain_backward_has_no_recursion():
    x = torch.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.sum().backward()
    assert x.grad.tolist() == [1.0]
    del y  # freeing a 100,000-node chain must not overflow the C stack either
    gc.collect()


def test_dropped_graph_frees_arrays_at_once():
    x = torch.ones(1000, requires_grad=True)
    y = (x * 2).exp().sum()
    arr = y.grad_fn.next_functions[0][0]._saved[0]   # the exp result, an ndarray
    probe = weakref.ref(y.grad_fn.next_functions[0][0])
    holder = arr.view()
    ref = weakref.ref(holder)
    del arr, holder
    gc.disable()
    try:
        del y
        assert probe() is None, "graph kept alive by a reference cycle"
        assert ref() is None
    finally:
        gc.enable()


def test_dtypes_follow_pytorch():
    assert torch.tensor(1.5).dtype is torch.float32
    assert torch.tensor(3).dtype is torch.int64
    assert torch.tensor(True).dtype is torch.bool
    assert torch.tensor(np.ones(2)).dtype is torch.float64
    assert repr(torch.tensor([1.0], dtype=torch.float64)) == "tensor([1.], dtype=torch.float64)"
    assert (torch.tensor([1, 2]) / torch.tensor([2, 2])).dtype is torch.float32
    assert (torch.tensor([1, 2]) * 2.5).dtype is torch.float32
    assert (torch.ones(2) * torch.tensor(2.0, dtype=torch.float64)).dtype is torch.float32
    assert (torch.tensor([1, 2]) + torch.tensor(2.5, dtype=torch.float64)).dtype is torch.float64


def test_create_graph_gives_higher_derivatives():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (dx,) = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
    assert dx.tolist() == [3.0, 12.0] and dx.requires_grad
    (ddx,) = torch.autograd.grad(dx.sum(), x)
    assert ddx.tolist() == [6.0, 12.0]


def test_hooks_and_retain_grad():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    h = y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert y.grad.tolist() == [10.0, 10.0] and x.grad.tolist() == [20.0, 20.0]
    h.remove()


def test_inplace_version_error_and_leaf_error():
    x = torch.ones(2, 2, requires_grad=True)
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used in an in-place operation.$"):
        x.add_(1)
    y = x * 1
    z = y * y
    y.mul_(2)
    with pytest.raises(RuntimeError, match=r"one of the variables needed for gradient computation has been modified by an inplace operation: \[torch.FloatTensor \[2, 2\]\], which is output 0 of Mul, is at version 1; expected version 0 instead\. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch\.autograd\.set_detect_anomaly\(True, check_nan=False\)\.$"):
        z.sum().backward()


def test_random_programs_match_torch():
    ref = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    unary = [lambda T, a: a.exp() * 0.1, lambda T, a: a.tanh(), lambda T, a: a.sigmoid(),
             lambda T, a: a.relu(), lambda T, a: a * a, lambda T, a: a.sin(), lambda T, a: -a,
             lambda T, a: a.abs() + 1, lambda T, a: (a * a + 1).sqrt(), lambda T, a: a.softmax(-1)]
    binary = [lambda T, a, b: a + b, lambda T, a, b: a * b, lambda T, a, b: a - b,
              lambda T, a, b: a / (b * b + 1), lambda T, a, b: T.maximum(a, b),
              lambda T, a, b: T.where(a > b, a, b * 2)]
    for _ in range(40):
        program = [(int(rng.integers(2)), int(rng.integers(10)), int(rng.integers(6)),
                    int(rng.integers(4)), int(rng.integers(4))) for _ in range(8)]
        data = [rng.standard_normal((3, 4)).astype(np.float32) for _ in range(3)]

        def run(T, data=data, program=program):
            leaves = [T.tensor(d, requires_grad=True) for d in data]
            vals = list(leaves)
            for kind, u, b, i, j in program:
                a, c = vals[i % len(vals)], vals[j % len(vals)]
                vals.append(unary[u](T, a) if kind == 0 else binary[b](T, a, c))
            out = vals[-1].mean() + sum(v.sum() * 0.01 for v in vals[3:])
            out.backward()
            return out, leaves, [type(v.grad_fn).__name__ for v in vals[3:]]
        go, gl, gn = run(torch)
        to, tl, tn = run(ref)
        assert gn == tn
        np.testing.assert_allclose(go.item(), to.item(), rtol=1e-4, atol=1e-5)
        for a, b in zip(gl, tl):
            assert (a.grad is None) == (b.grad is None)
            if b.grad is not None:
                np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-3, atol=1e-5)


def test_domain_errors_are_silent_like_pytorch():
    x = torch.tensor([-1.0, 0.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = x.log() + x.sqrt()            # log and sqrt outside their domain, 1/0 in backward
        y.backward(torch.ones(2))
        q = x / torch.zeros(2)            # division by zero, forward and backward
        q.backward(torch.ones(2))
    assert np.isnan(y.detach().numpy()[0]) and np.isinf(y.detach().numpy()[1])


def test_anomaly_mode_names_the_node_and_the_forward_line():
    x = torch.tensor([0.0], requires_grad=True)
    with pytest.warns(UserWarning) as record:
        with torch.autograd.detect_anomaly():
            y = x.sqrt() * 0   # the forward line the report must show
            with pytest.raises(RuntimeError, match=r"^Function 'SqrtBackward0' returned nan values in its 0th output\.$"):
                y.sum().backward()
    texts = [str(w.message) for w in record]
    report = [t for t in texts if t.startswith("Error detected in SqrtBackward0. Traceback of forward call that caused the error:")]
    assert report and "y = x.sqrt() * 0" in report[0] and "core/_graph.py" not in report[0]
    assert not torch.autograd.is_anomaly_enabled()


def test_inplace_on_a_saved_result_is_caught():
    a = torch.ones(2, requires_grad=True)
    b = a.exp()
    b.add_(1)
    with pytest.raises(RuntimeError, match=r"\[torch.FloatTensor \[2\]\], which is output 0 of Exp, is at version 1; expected version 0"):
        b.sum().backward()


def test_hook_returning_none_still_lets_other_paths_run():
    x = torch.ones(2, requires_grad=True)
    p = x * 2
    p.register_hook(lambda g: None)
    q = x * 3
    q.grad_fn.register_prehook(lambda gs: (gs[0],))
    h = p + q
    h.grad_fn.register_hook(lambda gin, gout: (None, gin[1]))
    h.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_parameter_like_subclasses_work_in_every_op():
    from gradtrace.core._tensor import Tensor

    class Sub(Tensor):
        __slots__ = ()
    w = Sub._wrap(torch.ones(2, 2)._data)
    w.requires_grad_()
    y = (w @ torch.ones(2) + w.sum()).exp().sum()
    y.backward()
    assert w.grad is not None and tuple(w.grad.shape) == (2, 2)


def test_leaf_grads_never_share_memory_with_each_other_or_the_caller():
    a = torch.ones(2, 2, requires_grad=True)
    b = torch.ones(2, 2, requires_grad=True)
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    c = torch.ones(3, requires_grad=True)
    g = torch.tensor([1.0, 2.0, 3.0])
    c.backward(g)
    assert not np.shares_memory(c.grad.numpy(), g.numpy())
    d = torch.ones(2, 3, requires_grad=True)
    e = torch.ones(2, 3, requires_grad=True)
    (d.t() + e.t()).sum().backward()   # the two grads are views of one array
    assert not np.shares_memory(d.grad.numpy(), e.grad.numpy())
    assert d.grad.tolist() == e.grad.tolist() == [[1.0] * 3] * 2


def test_grad_mode_between_steps_is_the_callers():
    x = torch.ones(2, requires_grad=True)
    modes = []
    for _step in iter_backward((x * 2).sum()):
        modes.append(torch.is_grad_enabled())
        assert (x * 3).requires_grad   # the caller's code records as usual between steps
    assert modes == [True, True, True] and torch.is_grad_enabled()
    root = (x * x).sum()
    with torch.no_grad():
        gen = iter_backward(root)
        next(gen)
        assert not torch.is_grad_enabled()
        list(gen)
    assert torch.is_grad_enabled()


def test_indexed_assignment_is_recorded_as_copyslices():
    x = torch.ones(2, 3, requires_grad=True)
    v = torch.tensor([2.0, 3.0, 4.0], requires_grad=True)
    y = x * 1
    y[0] = v * 2
    y[1, 1:] = 7
    assert y.grad_fn.name() == "torch::autograd::CopySlices" and y._version == 2
    assert y.tolist() == [[4.0, 6.0, 8.0], [1.0, 7.0, 7.0]]
    (y * torch.arange(6.0).reshape(2, 3)).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0], [3.0, 0.0, 0.0]]
    assert v.grad.tolist() == [0.0, 2.0, 4.0]
    w = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        w -= 0.5
        w[0] = 3
    assert w.tolist() == [3.0, 0.5] and w.is_leaf and w.requires_grad


def test_hessian_vector_product_and_third_derivative():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (dx,) = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)      # 3x²
    assert dx.grad_fn is not None
    v = torch.tensor([1.0, 0.5])
    (hv,) = torch.autograd.grad((dx * v).sum(), x, create_graph=True)    # H v = 6x * v
    assert hv.tolist() == [6.0, 6.0]
    (third,) = torch.autograd.grad(hv.sum(), x)                         # d/dx (6 x v) = 6 v
    assert third.tolist() == [6.0, 3.0]


def test_snapshot_keeps_a_step_from_later_in_place_changes():
    x = torch.ones(2, requires_grad=True)
    steps = [s.snapshot() for s in iter_backward((x * 2).sum())]
    x.grad.zero_()
    assert steps[-1].grad_after.tolist() == [2.0, 2.0]
    assert steps[-1].grads_in[0].tolist() == [2.0, 2.0]
    assert steps[0].snapshot() is steps[0]     # only AccumulateGrad steps hold leaf grads


def _drain(steps):
    """The records a generator yields and the value it returns."""
    records = []
    while True:
        try:
            records.append(next(steps))
        except StopIteration as done:
            return records, done.value


def test_iter_grad_yields_the_steps_and_returns_what_grad_returns():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    loss = ((x * w).exp() + x).sum()
    records, grads = _drain(torch.autograd.iter_grad(loss, (x, w), retain_graph=True))
    assert all(isinstance(s, BackwardStep) for s in records)
    assert [s.index for s in records] == list(range(len(records)))
    names = [s.node.name() for s in records]
    # as in PyTorch, no AccumulateGrad runs: the inputs' gradients are captured on arrival
    assert names == ["SumBackward0", "AddBackward0", "ExpBackward0", "MulBackward0"]
    expected = torch.autograd.grad(loss, (x, w), retain_graph=True)
    assert [g.tolist() for g in grads] == [g.tolist() for g in expected]
    assert x.grad is None and w.grad is None   # returned, never accumulated


def test_iter_grad_raises_what_grad_raises():
    x = torch.ones(2, requires_grad=True)
    y = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        _drain(torch.autograd.iter_grad((x * 2).sum(), (x, y)))
    _, grads = _drain(torch.autograd.iter_grad((x * 2).sum(), (x, y), allow_unused=True))
    assert grads[0].tolist() == [2.0, 2.0] and grads[1] is None
    _, (g,) = _drain(torch.autograd.iter_grad((x * 2).sum(), y, allow_unused=True,
                                              materialize_grads=True))
    assert g.tolist() == [0.0, 0.0]


def test_iter_grad_with_create_graph_differentiates_again():
    x = torch.tensor(3.0, requires_grad=True)
    _, (dx,) = _drain(torch.autograd.iter_grad(x ** 3, x, create_graph=True))
    assert dx.item() == 27.0 and dx.grad_fn is not None
    assert torch.autograd.grad(dx, x)[0].item() == 18.0

"""Grad modes across threads: thread-local as in PyTorch (a backward or a ``no_grad`` on one
thread never stops another from recording), anomaly mode process-wide as in PyTorch."""
import threading

import pytest

import gradtrace.core as gt


def _in_thread(fn):
    """``fn()`` run on a new thread; its result (or its exception, raised here)."""
    out = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as exc:   # handed back to the test's thread
            out["error"] = exc
    t = threading.Thread(target=run)
    t.start()
    t.join(30)
    assert not t.is_alive(), "the thread did not finish"
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_a_backward_on_one_thread_leaves_every_op_of_another_thread_recorded():
    # The other thread stops inside its backward (in a hook, where the engine has turned grad
    # mode off for the node it runs) while this thread records ops.
    inside, done = threading.Event(), threading.Event()
    x = gt.ones(3, requires_grad=True)

    def hook(grad):
        inside.set()
        assert done.wait(30), "the recording thread never finished"
        return grad

    def backward():
        y = x * 2
        y.register_hook(hook)
        y.sum().backward()
        return x.grad.tolist()

    t = threading.Thread(target=backward)
    t.start()
    try:
        assert inside.wait(30), "the backward thread never reached its hook"
        w = gt.ones(2, requires_grad=True)
        outs = [w * float(i) for i in range(1000)]
        unrecorded = sum(o.grad_fn is None for o in outs)
    finally:
        done.set()
        t.join(30)
    assert unrecorded == 0, f"{unrecorded} of 1000 ops recorded no node"
    assert gt.is_grad_enabled()


def test_many_ops_recorded_while_another_thread_runs_backward_after_backward():
    x = gt.ones(4, requires_grad=True)
    stop = threading.Event()

    def backwards():
        n = 0
        while not stop.is_set():
            ((x * 3).exp() * 2).sum().backward()
            n += 1
        return n

    t = threading.Thread(target=backwards)
    t.start()
    try:
        w = gt.ones(2, requires_grad=True)
        unrecorded = sum((w * 2).grad_fn is None for _ in range(20000))
    finally:
        stop.set()
        t.join(30)
    assert unrecorded == 0


def test_no_grad_and_inference_mode_stay_on_their_thread():
    with gt.no_grad():
        assert _in_thread(gt.is_grad_enabled) is True   # a new thread starts with grad mode on
        assert _in_thread(lambda: (gt.ones(1, requires_grad=True) * 2).grad_fn is not None)
    with gt.inference_mode():
        assert _in_thread(gt.is_inference_mode_enabled) is False
    _in_thread(lambda: gt.set_grad_enabled(False))
    assert gt.is_grad_enabled() and not gt.is_inference_mode_enabled()


def test_iter_backward_gives_each_thread_its_own_mode_between_steps():
    x = gt.ones(2, requires_grad=True)
    steps = gt.autograd.iter_backward((x * 2).sum())
    next(steps)   # paused between steps: this thread has its own mode back
    assert gt.is_grad_enabled()
    assert _in_thread(gt.is_grad_enabled)
    for _ in steps:
        pass
    assert x.grad.tolist() == [2.0, 2.0]


def test_anomaly_mode_is_process_wide():
    gt.autograd.set_detect_anomaly(True)
    try:
        assert _in_thread(gt.autograd.is_anomaly_enabled) is True
    finally:
        gt.autograd.set_detect_anomaly(False)
    _in_thread(lambda: gt.autograd.set_detect_anomaly(True))
    try:
        assert gt.autograd.is_anomaly_enabled()
    finally:
        gt.autograd.set_detect_anomaly(False)


@pytest.mark.torch
@pytest.mark.parametrize("mode", ["grad", "inference", "anomaly", "anomaly-set-in-thread"])
def test_modes_across_threads_as_pytorch(mode):
    torch = pytest.importorskip("torch")

    def seen(T):
        anomaly = getattr(T, "is_anomaly_enabled", None) or T.autograd.is_anomaly_enabled
        if mode == "grad":
            with T.no_grad():
                return _in_thread(T.is_grad_enabled), T.is_grad_enabled()
        if mode == "inference":
            with T.inference_mode():
                return _in_thread(T.is_inference_mode_enabled), T.is_inference_mode_enabled()
        if mode == "anomaly":
            T.autograd.set_detect_anomaly(True)
            try:
                return _in_thread(anomaly), anomaly()
            finally:
                T.autograd.set_detect_anomaly(False)
        _in_thread(lambda: T.autograd.set_detect_anomaly(True))
        try:
            return anomaly()
        finally:
            T.autograd.set_detect_anomaly(False)

    assert seen(gt) == seen(torch)

"""``optim``: SGD, Adam and AdamW updates against PyTorch over several steps, parameter groups,
``zero_grad``, state dicts, printouts and errors; the learning-rate schedulers."""
import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.core.optim import SGD, Adam, AdamW, Optimizer, lr_scheduler

INIT = [np.array([[0.5, -1.2, 0.3], [2.0, 0.1, -0.7]], dtype=np.float32),
        np.array([0.25, -0.5], dtype=np.float32)]
DATA = np.array([[1.0, -2.0, 0.5], [0.3, 0.8, -1.5], [2.0, 0.0, 1.0]], dtype=np.float32)


def train(T, make_opt, steps=5, groups=False):
    """``steps`` optimizer steps on a small least-squares problem in framework ``T``."""
    w, b = (T.tensor(a.copy(), requires_grad=True) for a in INIT)
    params = [{"params": [w]}, {"params": [b], "lr": 0.05}] if groups else [w, b]
    opt = make_opt(T, params)
    x = T.tensor(DATA)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((x @ w.T + b) ** 2).mean() + (w * w).sum() * 0.1
        loss.backward()
        opt.step()
    return w, b, opt


def optimizer_class(T, name):
    if T is gt:
        return {"SGD": SGD, "Adam": Adam, "AdamW": AdamW}[name]
    return getattr(T.optim, name)


SGD_CASES = [dict(lr=0.1), dict(lr=0.1, momentum=0.9), dict(lr=0.05, momentum=0.8, dampening=0.3),
             dict(lr=0.1, momentum=0.9, nesterov=True), dict(lr=0.1, weight_decay=0.01),
             dict(lr=0.1, momentum=0.5, weight_decay=0.1, maximize=True)]
ADAM_CASES = [dict(), dict(lr=0.01), dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6),
              dict(lr=0.01, weight_decay=0.1), dict(lr=0.01, amsgrad=True),
              dict(lr=0.01, maximize=True), dict(lr=0.01, weight_decay=0.1,
                                                 decoupled_weight_decay=True),
              dict(lr=0.02, betas=(0.3, 0.9))]


ADAMW_CASES = [dict(), dict(lr=0.01, weight_decay=0.3), dict(lr=0.01, amsgrad=True)]


@pytest.mark.parametrize("name,kwargs", [("SGD", k) for k in SGD_CASES]
                         + [("Adam", k) for k in ADAM_CASES]
                         + [("AdamW", k) for k in ADAMW_CASES],
                         ids=[f"SGD{k}" for k in SGD_CASES] + [f"Adam{k}" for k in ADAM_CASES]
                         + [f"AdamW{k}" for k in ADAMW_CASES])
def test_updates_match_torch(name, kwargs):
    torch = pytest.importorskip("torch")

    def make(T, params):
        return optimizer_class(T, name)(params, **kwargs)
    ours, theirs = train(gt, make), train(torch, make)
    for p, q in zip(ours[:2], theirs[:2]):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-6, atol=1e-6)
    for (k, v), (tk, tv) in zip(ours[2].state[ours[0]].items(), theirs[2].state[theirs[0]].items()):
        assert k == tk
        np.testing.assert_allclose(np.asarray(v.numpy()), tv.numpy(), rtol=1e-5, atol=1e-7)


def test_param_groups_match_torch():
    torch = pytest.importorskip("torch")

    def make(T, params):
        return optimizer_class(T, "SGD")(params, lr=0.1, momentum=0.9)
    ours, theirs = train(gt, make, groups=True), train(torch, make, groups=True)
    for p, q in zip(ours[:2], theirs[:2]):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-6, atol=1e-6)
    assert ours[2].param_groups[1]["lr"] == 0.05 and ours[2].param_groups[0]["lr"] == 0.1
    assert repr(ours[2]) == repr(theirs[2])


def test_printout_and_errors_match_torch():
    torch = pytest.importorskip("torch")

    def outcomes(T):
        w = T.ones(2, requires_grad=True)
        texts = [repr(optimizer_class(T, "SGD")([w], lr=0.1)),
                 repr(optimizer_class(T, "Adam")([w]))]
        bad = [lambda: optimizer_class(T, "SGD")([w], lr=-1),
               lambda: optimizer_class(T, "SGD")([w], momentum=-1),
               lambda: optimizer_class(T, "SGD")([w], nesterov=True),
               lambda: optimizer_class(T, "Adam")([w], betas=(1.0, 0.9)),
               lambda: optimizer_class(T, "Adam")([w], eps=-1.0),
               lambda: optimizer_class(T, "SGD")([]),
               lambda: optimizer_class(T, "SGD")(w),
               lambda: optimizer_class(T, "SGD")([w * 2]),
               lambda: optimizer_class(T, "SGD")([w, 3]),
               lambda: optimizer_class(T, "SGD")([{"params": [w]}, {"params": [w]}])]
        for make in bad:
            try:
                make()
                texts.append(None)
            except (ValueError, TypeError) as exc:
                texts.append(f"{type(exc).__name__}: {exc}")
        return texts
    assert outcomes(gt) == outcomes(torch)


# ---------------------------------------------------------------- without torch
def test_sgd_step_by_hand():
    w = gt.tensor([1.0, -2.0], requires_grad=True)
    opt = SGD([w], lr=0.1, momentum=0.5)
    for _ in range(2):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    # g1 = 2w0 = [2, -4]; w1 = w0 - 0.1 g1 = [0.8, -1.6]; b2 = 0.5 g1 + 2 w1 = [2.6, -5.2]
    np.testing.assert_allclose(w.detach().numpy(), [0.54, -1.08], rtol=1e-6)
    assert w._version == 2 and w.is_leaf and w.grad_fn is None


def test_adam_first_step_moves_each_weight_by_lr():
    w = gt.tensor([1.0, -2.0, 0.5], requires_grad=True)
    opt = Adam([w], lr=0.01)
    (w * w * gt.tensor([1.0, 3.0, -2.0])).sum().backward()
    opt.step()
    np.testing.assert_allclose(w.detach().numpy(), [0.99, -1.99, 0.51], rtol=1e-5)
    assert opt.state[w]["step"].item() == 1.0 and opt.state[w]["step"].dtype is gt.float32


def test_zero_grad_and_params_without_grad():
    w, v = gt.ones(2, requires_grad=True), gt.ones(2, requires_grad=True)
    opt = SGD([w, v], lr=1.0)
    (w * 3).sum().backward()
    opt.step()
    assert w.tolist() == [-2.0, -2.0] and v.tolist() == [1.0, 1.0] and v._version == 0
    opt.zero_grad(set_to_none=False)
    assert w.grad.tolist() == [0.0, 0.0] and v.grad is None
    opt.zero_grad()
    assert w.grad is None


def test_step_runs_without_grad_and_returns_the_closure_loss():
    w = gt.ones(2, requires_grad=True)
    opt = Adam([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss
    loss = opt.step(closure)
    assert loss.item() == 2.0 and w.grad_fn is None and gt.is_grad_enabled()


def test_state_dict_round_trip_continues_identically():
    def make(T, params):
        return Adam(params, lr=0.05)
    w1, b1, opt1 = train(gt, make, steps=3)
    w2, b2 = (gt.tensor(t.detach().numpy().copy(), requires_grad=True) for t in (w1, b1))
    opt2 = Adam([w2, b2], lr=0.05)
    opt2.load_state_dict(opt1.state_dict())
    assert opt1.state_dict()["param_groups"][0]["params"] == [0, 1]
    x = gt.tensor(DATA)
    for w, b, opt in ((w1, b1, opt1), (w2, b2, opt2)):
        opt.zero_grad()
        ((x @ w.T + b) ** 2).mean().backward()
        opt.step()
    assert w1.tolist() == w2.tolist() and b1.tolist() == b2.tolist()


def test_base_class_and_repr():
    w = gt.ones(1, requires_grad=True)
    with pytest.raises(NotImplementedError):
        Optimizer([w], {"lr": 1.0}).step()
    assert repr(SGD([w], lr=0.5)) == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n"
        "    foreach: None\n    fused: None\n    lr: 0.5\n    maximize: False\n"
        "    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)")


def test_training_a_module_matches_torch():
    torch = pytest.importorskip("torch")
    from gradtrace.core import nn

    def run(T, nn, init):
        model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
        model.load_state_dict({k: T.tensor(v) for k, v in init.items()})
        opt = (Adam if T is gt else T.optim.Adam)(model.parameters(), lr=0.01)
        x, y = T.tensor(DATA), T.tensor(DATA[:, :2] * 0.5)
        for _ in range(5):
            opt.zero_grad()
            loss = nn.MSELoss()(model(x), y)
            loss.backward()
            opt.step()
        return model, loss
    start = {k: v.numpy().copy() for k, v in
             nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).state_dict().items()}
    gt_model, gt_loss = run(gt, nn, start)
    t_model, t_loss = run(torch, torch.nn, start)
    for (k, p), q in zip(gt_model.state_dict().items(), t_model.state_dict().values()):
        np.testing.assert_allclose(p.numpy(), q.numpy(), rtol=1e-6, atol=1e-6, err_msg=k)
    assert gt_loss.item() == pytest.approx(t_loss.item(), rel=1e-5)


# ---------------------------------------------------------------- learning-rate schedulers
SCHEDULERS = {
    "StepLR": lambda S, opt: S.StepLR(opt, step_size=2, gamma=0.5),
    "MultiStepLR": lambda S, opt: S.MultiStepLR(opt, milestones=[1, 3, 3], gamma=0.1),
    "ExponentialLR": lambda S, opt: S.ExponentialLR(opt, gamma=0.9),
    "LambdaLR": lambda S, opt: S.LambdaLR(opt, lambda epoch: 1 / (epoch + 1)),
    "CosineAnnealingLR": lambda S, opt: S.CosineAnnealingLR(opt, T_max=4, eta_min=0.01),
}


def schedule(T, name, epochs=10):
    """The learning rate before and after each of ``epochs`` SGD steps, and the weights."""
    S = lr_scheduler if T is gt else T.optim.lr_scheduler
    w = T.tensor([1.0, -1.0], requires_grad=True)
    opt = (SGD if T is gt else T.optim.SGD)([w], lr=0.1, momentum=0.9)
    sched = SCHEDULERS[name](S, opt)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(epochs):
        opt.zero_grad()
        (w ** 2).sum().backward()
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    return lrs, w.tolist()


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_schedulers_match_torch(name):
    torch = pytest.importorskip("torch")
    (ours, w_ours), (theirs, w_theirs) = schedule(gt, name), schedule(torch, name)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    np.testing.assert_allclose(w_ours, w_theirs, rtol=1e-6)


def test_step_lr_halves_every_two_epochs():
    lrs, _ = schedule(gt, "StepLR", epochs=6)
    assert lrs == [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]
    lrs, _ = schedule(gt, "CosineAnnealingLR", epochs=4)
    assert lrs[0] == 0.1 and abs(lrs[4] - 0.01) < 1e-12


def test_scheduler_before_optimizer_warns_as_pytorch():
    w = gt.tensor([1.0], requires_grad=True)
    opt = SGD([w], lr=0.1)
    sched = lr_scheduler.StepLR(opt, step_size=1)
    with pytest.warns(UserWarning, match=r"^Detected call of `lr_scheduler.step\(\)` before "
                                         r"`optimizer.step\(\)`"):
        sched.step()
    state = sched.state_dict()
    assert state["last_epoch"] == 1 and "optimizer" not in state
    with pytest.raises(TypeError, match="^int is not an Optimizer$"):
        lr_scheduler.StepLR(3, step_size=1)

"""``nn`` modules: ``Parameter``, registration, printouts, state dicts, layers and losses against
PyTorch, and the module scopes put on graph nodes."""
from collections import OrderedDict

import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.core.nn import functional as F
from gradtrace.core.nn.modules import (
    CrossEntropyLoss,
    Flatten,
    Identity,
    Linear,
    LogSoftmax,
    Module,
    ModuleList,
    MSELoss,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)
from gradtrace.core.nn.parameter import Parameter


def build(nn):
    """The same small model in ``nn`` (gradtrace's or torch's)."""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 1)])
            self.act = nn.ReLU()
            self.w = nn.Parameter(_framework(nn).ones(1))

        def forward(self, x):
            for layer in self.layers:
                x = self.act(layer(x))
            return x * self.w
    return Net()


def _framework(nn):
    return gt if nn is gt.nn else __import__("torch")


class Scale(Module):
    """Multiplies by a plain tensor (no parameters), to test scopes without Parameter ops."""

    def __init__(self, k):
        super().__init__()
        self.k = gt.tensor(k)

    def forward(self, x):
        return x * self.k


# ---------------------------------------------------------------- Parameter
def test_parameter_prints_shares_data_and_is_a_leaf():
    t = gt.tensor([1.0, 2.0])
    p = Parameter(t)
    assert repr(p) == str(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    assert isinstance(p, gt.Tensor) and p.is_leaf and p.requires_grad
    assert p._data is t._data
    assert repr(Parameter(gt.tensor([1.0]), requires_grad=False)) == \
        "Parameter containing:\ntensor([1.])"
    assert repr(Parameter()) == "Parameter containing:\ntensor([], requires_grad=True)"
    assert type(p.detach()) is gt.Tensor and type(p.data) is gt.Tensor
    with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype "
                                           "can require gradients$"):
        Parameter(gt.tensor([1, 2]))


def test_ops_on_a_parameter_give_tensors():
    p = Parameter(gt.tensor([1.0, 2.0]))
    y = p * 2
    assert type(y) is gt.Tensor and y.grad_fn.name() == "MulBackward0"
    y.sum().backward()
    assert p.grad.tolist() == [2.0, 2.0]


# ---------------------------------------------------------------- registration
def test_named_parameters_children_and_modules():
    net = build(gt.nn)
    assert [n for n, _ in net.named_parameters()] == [
        "w", "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]
    assert [n for n, _ in net.named_modules()] == ["", "layers", "layers.0", "layers.1", "act"]
    assert [n for n, _ in net.named_children()] == ["layers", "act"]
    assert len(list(net.parameters())) == 5 and len(list(net.modules())) == 5
    assert list(net.parameters(recurse=False)) == [net.w]


def test_assignment_rules_and_errors():
    net = build(gt.nn)
    with pytest.raises(TypeError, match=r"^cannot assign 'torch.FloatTensor' as parameter 'w' "
                                        r"\(torch.nn.Parameter or None expected\)$"):
        net.w = gt.ones(1)
    with pytest.raises(TypeError, match=r"^cannot assign 'int' as child module 'layers' "
                                        r"\(torch.nn.Module or None expected\)$"):
        net.layers = 3
    with pytest.raises(AttributeError, match=r"^'Net' object has no attribute 'foo'$"):
        net.foo
    net.w = None
    assert "w" not in dict(net.named_parameters())

    class Early(Module):
        def __init__(self, value):
            self.x = value
    with pytest.raises(AttributeError, match=r"^cannot assign parameters before "
                                             r"Module.__init__\(\) call$"):
        Early(Parameter(gt.ones(1)))
    with pytest.raises(AttributeError, match=r"^cannot assign module before "
                                             r"Module.__init__\(\) call$"):
        Early(ReLU())
    with pytest.raises(NotImplementedError, match=r'^Module \[Module\] is missing the required '
                                                  r'"forward" function$'):
        Module()(1)


def test_buffers_are_state_but_not_parameters():
    m = Scale(2.0)
    m.register_buffer("running", gt.zeros(2))
    m.register_buffer("scratch", gt.zeros(1), persistent=False)
    assert list(m.state_dict()) == ["running"]
    assert [n for n, _ in m.named_buffers()] == ["running", "scratch"]
    assert list(m.parameters()) == []


def test_train_eval_zero_grad_and_to():
    net = build(gt.nn)
    assert net.training and not net.eval().training and not net.layers[0].training
    assert net.train().layers[1].training
    with pytest.raises(ValueError, match="^training mode is expected to be boolean$"):
        net.train(1)
    for p in net.parameters():
        p.grad = gt.ones_like(p)
    net.zero_grad(set_to_none=False)
    assert all(p.grad.tolist() == np.zeros(tuple(p.shape)).tolist() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    w = net.w
    assert net.double() is net and net.w is w and w.dtype is gt.float64
    assert net.layers[0].weight.dtype is gt.float64


# ---------------------------------------------------------------- state dicts
def test_state_dict_round_trip_and_errors():
    net, other = build(gt.nn), build(gt.nn)
    sd = net.state_dict()
    assert isinstance(sd, OrderedDict) and list(sd) == [n for n, _ in net.named_parameters()]
    assert sd["w"]._data is net.w._data and sd["w"].grad_fn is None
    assert repr(other.load_state_dict(sd)) == "<All keys matched successfully>"
    assert other.layers[1].bias.tolist() == net.layers[1].bias.tolist()
    sd = net.state_dict()
    sd.pop("w")
    sd["extra"] = gt.ones(1)
    with pytest.raises(RuntimeError) as info:
        other.load_state_dict(sd)
    assert str(info.value) == ('Error(s) in loading state_dict for Net:\n\tMissing key(s) in '
                               'state_dict: "w". \n\tUnexpected key(s) in state_dict: "extra". ')
    assert repr(other.load_state_dict(sd, strict=False)) == \
        "_IncompatibleKeys(missing_keys=['w'], unexpected_keys=['extra'])"
    sd = net.state_dict()
    sd["w"] = gt.ones(2)
    with pytest.raises(RuntimeError, match=r"size mismatch for w: copying a param with shape "
                                           r"torch.Size\(\[2\]\) from checkpoint, the shape in "
                                           r"current model is torch.Size\(\[1\]\)\.$"):
        other.load_state_dict(sd)


# ---------------------------------------------------------------- containers and printouts
MLP_REPR = """Sequential(
  (0): Linear(in_features=3, out_features=2, bias=True)
  (1): ReLU()
  (2): Sequential(
    (0): Tanh()
    (1): Sigmoid()
  )
  (3): Linear(in_features=2, out_features=2, bias=False)
)"""


def test_printouts_literal():
    m = Sequential(Linear(3, 2), ReLU(), Sequential(Tanh(), Sigmoid()), Linear(2, 2, bias=False))
    assert repr(m) == MLP_REPR
    assert repr(ModuleList([Linear(2, 2), Linear(2, 2), ReLU()])) == (
        "ModuleList(\n  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (2): ReLU()\n)")
    assert repr(ModuleList()) == "ModuleList()" and repr(Sequential()) == "Sequential()"
    assert repr(ReLU(inplace=True)) == "ReLU(inplace=True)"
    assert [repr(m) for m in (Softmax(dim=1), LogSoftmax(1), Flatten(), Identity(3),
                              MSELoss(), CrossEntropyLoss())] == [
        "Softmax(dim=1)", "LogSoftmax(dim=1)", "Flatten(start_dim=1, end_dim=-1)",
        "Identity()", "MSELoss()", "CrossEntropyLoss()"]


def test_printouts_match_torch():
    torch = pytest.importorskip("torch")
    for nn in (gt.nn, torch.nn):
        built = [nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Sequential(nn.Tanh(), nn.Sigmoid()),
                               nn.Identity(), nn.MSELoss(), nn.ReLU(inplace=True)),
                 nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU()]),
                 build(nn), nn.Sequential(nn.Linear(3, 2), nn.Tanh())[1:]]
        if nn is gt.nn:
            ours = [repr(m) for m in built]
    assert ours == [repr(m) for m in built]


def test_sequential_and_module_list_indexing():
    a, b, c = ReLU(), Tanh(), Sigmoid()
    seq = Sequential(a, b, c)
    assert len(seq) == 3 and seq[0] is a and seq[-1] is c and list(seq) == [a, b, c]
    sub = seq[1:]
    assert type(sub) is Sequential and list(sub._modules) == ["1", "2"]
    with pytest.raises(IndexError, match="^index 10 is out of range$"):
        seq[10]
    seq.append(Identity())
    del seq[0]
    assert list(seq._modules) == ["0", "1", "2"] and seq[0] is b
    named = Sequential(OrderedDict([("act", a), ("out", c)]))
    assert [n for n, _ in named.named_children()] == ["act", "out"]
    ml = ModuleList([a, b])
    ml.append(c)
    assert type(ml[:2]) is ModuleList and ml[2] is c and len(ml) == 3


# ---------------------------------------------------------------- layers and losses
def test_linear_init_is_seeded_and_bounded():
    gt.manual_seed(3)
    first = Linear(4, 3)
    gt.manual_seed(3)
    second = Linear(4, 3)
    assert first.weight.tolist() == second.weight.tolist()
    assert tuple(first.weight.shape) == (3, 4) and tuple(first.bias.shape) == (3,)
    assert np.abs(first.weight.numpy(force=True)).max() <= 0.5
    assert first.weight.dtype is gt.float32 and first.bias.requires_grad
    assert Linear(4, 3, bias=False).bias is None
    assert Linear(2, 2, dtype=gt.float64).weight.dtype is gt.float64


def test_losses_and_activations_match_torch():
    torch = pytest.importorskip("torch")
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.2, -0.3]], dtype=np.float32)
    t = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]], dtype=np.float32)
    labels = np.array([2, 0])

    def run(T, nn):
        xt = T.tensor(x, requires_grad=True)
        outs = [nn.MSELoss()(xt, T.tensor(t)), nn.MSELoss(reduction="sum")(xt, T.tensor(t)),
                nn.CrossEntropyLoss()(xt, T.tensor(labels)),
                nn.Sequential(nn.Tanh(), nn.Sigmoid(), nn.ReLU())(xt).sum(),
                nn.LogSoftmax(dim=1)(xt).sum(), nn.Softmax(dim=0)(xt)[0, 1]]
        sum(outs).backward()
        return [o.item() for o in outs], [type(o.grad_fn).__name__ for o in outs], xt.grad
    gv, gn, gg = run(gt, gt.nn)
    tv, tn, tg = run(torch, torch.nn)
    np.testing.assert_allclose(gv, tv, rtol=1e-5)
    assert gn == tn
    np.testing.assert_allclose(gg.numpy(), tg.numpy(), rtol=1e-5, atol=1e-6)


def test_linear_and_model_match_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = build(gt.nn), build(torch.nn)
    theirs.load_state_dict({k: torch.tensor(v.numpy(force=True))
                            for k, v in ours.state_dict().items()})
    x = np.array([[0.5, -1.0], [1.5, 2.0], [-0.3, 0.1]], dtype=np.float32)
    gy, ty = ours(gt.tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(gy.detach().numpy(), ty.detach().numpy(), rtol=1e-6, atol=1e-7)
    assert gy.grad_fn.name() == type(ty.grad_fn).__name__
    gy.sum().backward()
    ty.sum().backward()
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-6, atol=1e-7,
                                   err_msg=name)
    assert ours.layers[0](gt.tensor(x)).grad_fn.name() == "AddmmBackward0"


# ---------------------------------------------------------------- graph scopes
def _scopes(out):
    """``{node name: scope}`` over the graph behind ``out`` (names are unique in these tests)."""
    found, stack = {}, [out.grad_fn]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        found[type(node).__name__] = node.metadata.get("scope")
        stack.extend(n for n, _ in node.next_functions)
    return found


def test_scopes_name_the_innermost_module():
    class Block(Module):
        def __init__(self):
            super().__init__()
            self.inner = Sequential(Tanh(), Scale(2.0))

        def forward(self, x):
            return self.inner(x.exp()).sin()

    model = Sequential(Sigmoid(), Block())
    x = gt.ones(2, requires_grad=True)
    out = model(x.cos())
    assert _scopes(out) == {"SinBackward0": "1", "MulBackward0": "1.inner.1",
                            "TanhBackward0": "1.inner.0", "ExpBackward0": "1",
                            "SigmoidBackward0": "0", "CosBackward0": None,
                            "AccumulateGrad": None}


def test_scope_at_the_root_is_the_class_name_and_module_lists_are_named():
    loss = MSELoss()(gt.ones(2, requires_grad=True), gt.zeros(2))
    assert loss.grad_fn.metadata["scope"] == "MSELoss"

    class Stack(Module):
        def __init__(self):
            super().__init__()
            self.blocks = ModuleList([Tanh(), Sigmoid()])

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return x * 2
    out = Stack()(gt.ones(2, requires_grad=True))
    assert _scopes(out) == {"MulBackward0": "Stack", "SigmoidBackward0": "blocks.1",
                            "TanhBackward0": "blocks.0", "AccumulateGrad": None}


def test_forward_hooks():
    m = Scale(3.0)
    calls = []
    handle = m.register_forward_pre_hook(lambda mod, args: (args[0] + 1,))
    m.register_forward_hook(lambda mod, args, out: calls.append(out.tolist()) or out * 2)
    assert m(gt.ones(1)).tolist() == [12.0] and calls == [[6.0]]
    handle.remove()
    assert m(gt.ones(1)).tolist() == [6.0]


def test_functional_relu_module_agrees():
    x = gt.tensor([-1.0, 2.0])
    assert ReLU()(x).tolist() == F.relu(x).tolist() == [0.0, 2.0]


# ---------------------------------------------------------------- class probabilities, one_hot
def _soft_targets(T):
    F = T.nn.functional
    logits = T.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]], requires_grad=True)
    target = T.tensor([[0.2, 0.8, 0.0], [0.0, 0.0, 1.0]])
    out = []
    for reduction in ("mean", "sum", "none"):
        loss = F.cross_entropy(logits, target, reduction=reduction)
        names, fn = [], loss.grad_fn
        while fn is not None:
            names.append(type(fn).__name__)
            fn = fn.next_functions[0][0] if fn.next_functions else None
        out.append((reduction, [round(v, 5) for v in loss.reshape(-1).tolist()], names))
    F.cross_entropy(logits, target).backward()
    out.append([[round(v, 5) for v in row] for row in logits.grad.tolist()])
    out.append(F.one_hot(T.tensor([0, 2, 1])).tolist())
    out.append(tuple(F.one_hot(T.tensor([[0], [3]]), 5).shape))
    return out


def test_cross_entropy_with_class_probabilities():
    got = _soft_targets(gt)
    assert got[0] == ("mean", [0.38699], ["DivBackward1", "NegBackward0", "SumBackward0",
                                          "MulBackward0", "LogSoftmaxBackward0", "AccumulateGrad"])
    assert got[2][2][:2] == ["NegBackward0", "SumBackward1"]
    assert got[4] == [[1, 0, 0], [0, 0, 1], [0, 1, 0]] and got[5] == (2, 1, 5)
    with pytest.raises(RuntimeError, match="^Class values must be smaller than num_classes.$"):
        gt.nn.functional.one_hot(gt.tensor([3]), 2)
    with pytest.raises(RuntimeError, match="^one_hot is only applicable to index tensor"):
        gt.nn.functional.one_hot(gt.tensor([0.5]))


def test_cross_entropy_with_class_probabilities_against_torch():
    torch = pytest.importorskip("torch")
    assert _soft_targets(gt) == _soft_targets(torch)

"""The extra nn layers (core/nn/layers.py): printouts, train/eval behaviour, and results and
gradients against torch with the same weights."""
import numpy as np
import pytest

import gradtrace.core as gt
import gradtrace.core.nn as nn


def test_printouts_match_pytorch():
    assert [repr(m) for m in (nn.GELU(), nn.GELU(approximate="tanh"), nn.LeakyReLU(0.1),
                              nn.SiLU(), nn.Softplus(), nn.ELU(), nn.LayerNorm(4),
                              nn.Dropout(0.2), nn.Embedding(10, 3), nn.BCEWithLogitsLoss())] == [
        "GELU(approximate='none')", "GELU(approximate='tanh')", "LeakyReLU(negative_slope=0.1)",
        "SiLU()", "Softplus(beta=1.0, threshold=20.0)", "ELU(alpha=1.0)",
        "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)",
        "Dropout(p=0.2, inplace=False)", "Embedding(10, 3)", "BCEWithLogitsLoss()"]


def test_dropout_trains_and_evaluates_like_pytorch():
    x = gt.ones(200, 50, requires_grad=True)
    drop = nn.Dropout(0.3)
    y = drop(x)
    kept = y.detach().numpy() != 0
    assert abs(kept.mean() - 0.7) < 0.03
    np.testing.assert_allclose(y.detach().numpy()[kept], 1 / 0.7, rtol=1e-6)
    assert y.grad_fn.name() == "MulBackward0" and y.grad_fn.next_functions[1][0] is None
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy() != 0, kept)
    drop.eval()
    assert drop(x) is x


def test_embedding_accumulates_repeated_rows():
    emb = nn.Embedding(4, 3)
    out = emb(gt.tensor([[1, 1], [3, 1]]))
    assert tuple(out.shape) == (2, 2, 3) and out.grad_fn.name() == "EmbeddingBackward0"
    out.sum().backward()
    np.testing.assert_array_equal(emb.weight.grad.numpy()[:, 0], [0.0, 3.0, 0.0, 1.0])
    with pytest.raises(IndexError, match="index out of range in self"):
        emb(gt.tensor([4]))


def test_layers_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 4)).astype(np.float32)
    w = rng.standard_normal(4).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    target = (rng.random((5, 4)) > 0.5).astype(np.float32)
    for make in (lambda m: m.LayerNorm(4), lambda m: m.GELU(), lambda m: m.SiLU(),
                 lambda m: m.ELU(0.5), lambda m: m.Softplus(2.0), lambda m: m.LeakyReLU(0.2)):
        outs = []
        for lib, mod in ((gt, nn), (torch, torch.nn)):
            layer = make(mod)
            if hasattr(layer, "weight") and layer.weight is not None:
                with lib.no_grad():
                    layer.weight.copy_(lib.tensor(w))
                    layer.bias.copy_(lib.tensor(b))
            xt = lib.tensor(x, requires_grad=True)
            loss = mod.BCEWithLogitsLoss()(layer(xt), lib.tensor(target))
            loss.backward()
            outs.append((loss.item(), xt.grad.numpy().copy(),
                         None if not hasattr(layer, "weight") else layer.weight.grad.numpy()))
        (l1, g1, w1), (l2, g2, w2) = outs
        assert l1 == pytest.approx(l2, rel=1e-5)
        np.testing.assert_allclose(g1, g2, rtol=1e-4, atol=1e-6)
        if w1 is not None:
            np.testing.assert_allclose(w1, w2, rtol=1e-4, atol=1e-6)

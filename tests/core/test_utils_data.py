"""torch.utils.data against torch: batches, collation, shuffling, drop_last, random_split and
the error texts; the shuffled orders are gradtrace's own (its generator is not PyTorch's)."""
import collections

import numpy as np
import pytest

import gradtrace.core as gt
from gradtrace.core.utils import data as gdata


def _both():
    torch = pytest.importorskip("torch")
    return [(gt, gdata), (torch, torch.utils.data)]


def _plain(batch):
    """A batch as nested Python values with the types and dtypes spelled out."""
    if hasattr(batch, "dtype") and hasattr(batch, "shape"):
        return ("tensor", str(batch.dtype).replace("torch.", ""), tuple(batch.shape),
                batch.tolist())
    if isinstance(batch, dict):
        return {k: _plain(v) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)):
        return (type(batch).__name__, [_plain(b) for b in batch])
    return batch


def _dataset(T, D):
    x = T.tensor(np.arange(14, dtype=np.float32).reshape(7, 2))
    y = T.tensor([0, 1, 1, 0, 1, 0, 0])
    return D.TensorDataset(x, y)


@pytest.mark.parametrize("kw", [dict(batch_size=3), dict(batch_size=3, drop_last=True),
                                dict(batch_size=7), dict(batch_size=10), dict(),
                                dict(batch_size=None)])
def test_batches_match_torch(kw):
    (g, gd), (t, td) = _both()
    gl, tl = gd.DataLoader(_dataset(g, gd), **kw), td.DataLoader(_dataset(t, td), **kw)
    assert len(gl) == len(tl)
    assert [_plain(b) for b in gl] == [_plain(b) for b in tl]


def test_nn_tutorial_loop():
    """``for xb, yb in loader:`` unpacks each batch (a list of two tensors, as in PyTorch)."""
    loader = gdata.DataLoader(_dataset(gt, gdata), batch_size=4)
    shapes = [(tuple(xb.shape), tuple(yb.shape)) for xb, yb in loader]
    assert shapes == [((4, 2), (4,)), ((3, 2), (3,))]


@pytest.mark.parametrize("samples", [
    [1, 2, 3], [1.5, 2.0], [True, False], ["a", "b"], [(1, 2.0), (3, 4.0)],
    [{"x": 1, "y": [1.0, 2.0]}, {"x": 2, "y": [3.0, 4.0]}], [[1, 2], [3, 4]],
    [np.float32(1.5), np.float32(2)], [np.arange(3), np.arange(3) + 1],
    [np.ones((2, 2), dtype=np.float32)] * 3])
def test_default_collate_matches_torch(samples):
    (g, gd), (t, td) = _both()
    assert _plain(gd.default_collate(samples)) == _plain(td.default_collate(samples))


def test_collate_tensors_and_namedtuple():
    (g, gd), (t, td) = _both()
    Point = collections.namedtuple("Point", "x y")
    for T, D in ((g, gd), (t, td)):
        out = D.default_collate([Point(T.tensor([1.0]), 2), Point(T.tensor([3.0]), 4)])
        assert type(out).__name__ == "Point"
        assert out.x.tolist() == [[1.0], [3.0]] and out.y.tolist() == [2, 4]


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("call", [
    lambda T, D, ds: D.DataLoader(ds, sampler=D.SequentialSampler(ds), shuffle=True),
    lambda T, D, ds: D.DataLoader(ds, batch_sampler=D.BatchSampler(D.SequentialSampler(ds), 2,
                                                                   False), batch_size=2),
    lambda T, D, ds: D.DataLoader(ds, batch_size=None, drop_last=True),
    lambda T, D, ds: D.DataLoader(ds, num_workers=-1),
    lambda T, D, ds: D.DataLoader(ds, batch_size=0),
    lambda T, D, ds: D.TensorDataset(T.zeros(3), T.zeros(4)),
    lambda T, D, ds: D.random_split(ds, [3, 3]),
    lambda T, D, ds: D.random_split(ds, [1.2, -0.2]),
    lambda T, D, ds: D.default_collate([object(), object()]),
    lambda T, D, ds: D.default_collate([[1, 2], [3]]),
    lambda T, D, ds: D.Dataset()[0],
])
def test_errors_match_torch(call):
    (g, gd), (t, td) = _both()
    got = _error(lambda: call(g, gd, _dataset(g, gd)))
    want = _error(lambda: call(t, td, _dataset(t, td)))
    assert got[0] == want[0]
    assert got[1].replace("gradtrace.core", "torch") == want[1].replace("torch.utils.data", "torch")


def _orders(loader, passes=2):
    return [[int(v) for _, yb in loader for v in yb] for _ in range(passes)]


def test_shuffle_is_a_permutation_new_each_pass_and_seeded():
    n = 40
    ds = gdata.TensorDataset(gt.zeros(n, 1), gt.arange(n))
    gt.manual_seed(0)
    first = _orders(gdata.DataLoader(ds, batch_size=8, shuffle=True))
    gt.manual_seed(0)
    again = _orders(gdata.DataLoader(ds, batch_size=8, shuffle=True))
    assert first == again                                 # torch.manual_seed fixes the order
    assert sorted(first[0]) == list(range(n)) and first[0] != list(range(n))
    assert first[0] != first[1]                           # a new order each pass
    g1 = _orders(gdata.DataLoader(ds, batch_size=8, shuffle=True,
                                  generator=gt.Generator().manual_seed(3)))
    gt.manual_seed(99)
    g2 = _orders(gdata.DataLoader(ds, batch_size=8, shuffle=True,
                                  generator=gt.Generator().manual_seed(3)))
    assert g1 == g2 and g1 != first                        # a generator of its own
    assert len(gdata.DataLoader(ds, batch_size=6, shuffle=True, drop_last=True)) == n // 6
    assert all(len(yb) == 6 for _, yb in gdata.DataLoader(ds, batch_size=6, shuffle=True,
                                                          drop_last=True))


def test_random_split_and_subset():
    (g, gd), (t, td) = _both()
    for T, D in ((g, gd), (t, td)):
        parts = D.random_split(range(10), [0.3, 0.3, 0.4], generator=T.Generator().manual_seed(0))
        assert [len(p) for p in parts] == [3, 3, 4]
        assert sorted(i for p in parts for i in p) == list(range(10))
        parts = D.random_split(range(11), [0.5, 0.5])
        assert [len(p) for p in parts] == [6, 5]
        sub = D.Subset(_dataset(T, D), [4, 0])
        assert len(sub) == 2 and sub[0][1].item() == 1 and sub[1][0].tolist() == [0.0, 1.0]
        assert len(_dataset(T, D) + _dataset(T, D)) == 14


def test_dataset_subclass_and_iterable_dataset():
    (g, gd), (t, td) = _both()
    out = []
    for T, D in ((g, gd), (t, td)):
        class Squares(D.Dataset):
            def __len__(self):
                return 5

            def __getitem__(self, i):
                return {"x": T.tensor([float(i)]), "y": i * i}  # noqa: B023 - this iteration's

        class Stream(D.IterableDataset):
            def __iter__(self):
                return iter(range(7))

        out.append(([_plain(b) for b in D.DataLoader(Squares(), batch_size=2)],
                    [_plain(b) for b in D.DataLoader(Stream(), batch_size=3)],
                    [_plain(b) for b in D.DataLoader(Stream(), batch_size=3, drop_last=True)]))
    assert out[0] == out[1]


def test_randperm_and_generator():
    torch = pytest.importorskip("torch")
    g = gt.Generator().manual_seed(5)
    a = gt.randperm(6, generator=g)
    assert a.dtype is gt.int64 and sorted(a.tolist()) == list(range(6))
    assert gt.randperm(6, generator=gt.Generator().manual_seed(5)).tolist() == a.tolist()
    assert gt.Generator().initial_seed() == torch.Generator().initial_seed()
    assert repr(gt.manual_seed(1)).startswith("<torch._C.Generator object at 0x")
    assert _error(lambda: gt.randperm(-1)) == _error(lambda: torch.randperm(-1))
    assert _error(lambda: gt.randperm(2.0)) == _error(lambda: torch.randperm(2.0))

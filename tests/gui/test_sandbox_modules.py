"""The modules a script may import besides torch (random, itertools, functools, collections,
dataclasses, typing, copy, statistics, time, numpy): same output as plain Python, sizes capped."""
import time

import pytest

from tests.gui.plain_python import python_output, run

PROGRAMS = {
    "random-seeded": """
        import random
        random.seed(3)
        xs = [1, 2, 3, 4, 5]
        random.shuffle(xs)
        print(random.random(), random.randint(1, 6), random.choice("abc"), xs,
              random.sample(range(10), 3), random.choices([1, 2], k=4), random.gauss(0, 1),
              random.uniform(1, 2), random.randrange(0, 10, 2), random.getrandbits(8))
    """,
    "itertools": """
        import itertools
        from itertools import count, islice
        print(list(islice(count(5, 2), 3)), list(itertools.product("ab", repeat=2)),
              list(itertools.permutations([1, 2, 3], 2)), list(itertools.combinations("abc", 2)),
              list(itertools.chain([1], (2, 3))), list(itertools.accumulate([1, 2, 3])),
              [(k, list(g)) for k, g in itertools.groupby("aabbc")],
              list(itertools.zip_longest([1, 2], [3], fillvalue=0)),
              list(itertools.takewhile(lambda v: v < 3, count())),
              list(itertools.starmap(pow, [(2, 3)])), list(islice(itertools.cycle("xy"), 5)),
              [list(t) for t in itertools.tee([1, 2], 2)], list(itertools.repeat(7, 2)))
    """,
    "functools": """
        import functools
        from functools import partial, reduce, lru_cache
        @lru_cache(maxsize=None)
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)
        def deco(f):
            @functools.wraps(f)
            def wrapper(*args):
                return f(*args) + 1
            return wrapper
        @deco
        def three():
            return 3
        @functools.total_ordering
        class V:
            def __init__(self, v):
                self.v = v
            def __eq__(self, other):
                return self.v == other.v
            def __lt__(self, other):
                return self.v < other.v
        print(fib(30), reduce(lambda a, b: a * b, range(1, 6)), partial(pow, 2)(10), three(),
              V(1) >= V(0), sorted([3, 1, 2], key=functools.cmp_to_key(lambda a, b: b - a)))
    """,
    "collections": """
        import collections
        from collections import Counter, OrderedDict, defaultdict, deque, namedtuple
        Point = namedtuple("Point", ["x", "y"], defaults=[0])
        class Point3(namedtuple("Point3", "x y z")):
            def norm1(self):
                return abs(self.x) + abs(self.y) + abs(self.z)
        p = Point(1)
        c = Counter("mississippi")
        c.update("ss")
        d = defaultdict(list)
        for k, v in [("a", 1), ("b", 2), ("a", 3)]:
            d[k].append(v)
        q = deque([1, 2, 3], maxlen=3)
        q.append(4)
        q.appendleft(0)
        od = OrderedDict(a=1, b=2)
        od.move_to_end("a")
        od["c"] = 3
        print(p, p.x, p.y, p[0], Point3(1, -2, 3).norm1(), c.most_common(2), sorted(c.elements())[:3],
              dict(d), q, list(od), isinstance(od, OrderedDict), isinstance(p, tuple), len(q))
    """,
    "dataclasses-typing": """
        from dataclasses import dataclass, field, replace
        from typing import List, Optional, Dict, Tuple, Any
        @dataclass
        class Config:
            lr: float = 0.1
            layers: List[int] = field(default_factory=lambda: [4, 2])
            name: Optional[str] = None
            def __post_init__(self):
                self.depth = len(self.layers)
        @dataclass(frozen=True)
        class Pair:
            a: int
            b: int
        cfg = Config(lr=0.01)
        print(cfg, cfg.depth, replace(cfg, lr=1.0).lr, Pair(1, 2), Pair(1, 2) == Pair(1, 2))
        try:
            Pair(1, 2).a = 3
        except Exception as e:
            print(type(e).__name__)
    """,
    "copy-statistics-time": """
        import copy
        import statistics
        import time
        a = [1, [2, 3]]
        b = copy.copy(a)
        c = copy.deepcopy(a)
        a[1].append(4)
        class Box:
            def __init__(self):
                self.items = [1]
        box = copy.deepcopy(Box())
        start = time.perf_counter()
        print(b, c, box.items, statistics.mean([1, 2, 3, 4]), statistics.median([3, 1, 2]),
              statistics.stdev([1.0, 2.0, 3.0]), statistics.variance([1, 2, 3, 4]),
              statistics.mode([1, 1, 2]), time.perf_counter() >= start, time.time() > 0)
    """,
    "numpy": """
        import numpy as np
        a = np.arange(6, dtype=np.float32).reshape(2, 3)
        m = np.array([[2.0, 1.0], [1.0, 3.0]])
        np.random.seed(0)
        r = np.random.rand(3)
        print(a, a.dtype, a.shape, a.T.shape, a.sum(axis=0), np.mean(a), a.max(), np.maximum(a, 2))
        print(r, np.random.randn(2, 2).shape, np.random.randint(0, 10, size=4),
              np.random.normal(0, 1, size=(2,)), np.random.choice(5, 3), np.random.permutation(4))
        print(np.linalg.inv(m), np.linalg.det(m), np.linalg.solve(m, np.array([1.0, 2.0])),
              np.linalg.norm(m), np.linalg.eigh(m)[0], np.linalg.svd(m)[1])
        print(np.zeros(3, dtype=np.int64), np.ones((2, 2)).astype(np.float32).dtype,
              np.float32(2.5), np.eye(2), np.linspace(0, 1, 5), np.concatenate([a, a]).shape,
              np.stack([r, r]).shape, np.where(a > 2, a, -1), np.clip(a, 1, 3), np.pi)
        print(np.dot(m, m), m @ m, np.outer([1, 2], [3, 4]), np.exp(np.zeros(2)), np.sqrt(4.0),
              np.allclose(m, m), np.argmax(a), np.cumsum([1, 2, 3]), np.unique([3, 1, 3]),
              isinstance(a, np.ndarray), np.meshgrid([1, 2], [3])[0].shape, np.tile([1, 2], 2))
    """,
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_module_prints_what_python_prints(name):
    source = PROGRAMS[name]
    result = run(source)
    assert result.ok, result.error
    assert result.output == python_output(source)


def test_random_is_the_same_every_run():
    source = "import random\nimport numpy as np\nprint(random.random(), np.random.rand(2))\n"
    first, second = run(source), run(source)
    assert first.ok, first.error
    assert first.output == second.output


NUMPY_TORCH = """
    import numpy as np
    import torch
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = torch.from_numpy(a)
    b = (t * 2).numpy()
    x = torch.tensor(np.linspace(0, 1, 5), requires_grad=True)
    y = (x ** 2).sum()
    y.backward()
    g = x.grad.numpy()
    print(t)
    print(b, type(b), b.dtype, np.allclose(b, a * 2))
    print(x.dtype, g, torch.as_tensor(np.ones(2)).dtype, torch.tensor(np.float32(1.5)))
    w = torch.zeros(2)
    w.numpy()[0] = 7.0
    print(w, torch.from_numpy(np.eye(2)) @ torch.ones(2, dtype=torch.float64))
"""


@pytest.mark.torch
def test_numpy_round_trips_print_what_pytorch_prints():
    pytest.importorskip("torch")
    result = run(NUMPY_TORCH)
    assert result.ok, result.error
    assert result.output == python_output(NUMPY_TORCH)


@pytest.mark.parametrize("source", [
    "import numpy as np\nx = np.zeros((11, 10))",
    "import numpy as np\nx = np.ones(101)",
    "import numpy as np\nx = np.empty((11, 10), dtype=np.float32)",
    "import numpy as np\nx = np.full((11, 10), 2.0)",
    "import numpy as np\nx = np.zeros(shape=(101,))",
    "import numpy as np\nx = np.arange(101)",
    "import numpy as np\nx = np.linspace(0, 1, num=101)",
    "import numpy as np\nx = np.eye(11)",
    "import numpy as np\nx = np.identity(11)",
    "import numpy as np\nx = np.diag(np.ones(11))",
    "import numpy as np\nx = np.random.rand(11, 10)",
    "import numpy as np\nx = np.random.normal(0, 1, size=101)",
    "import numpy as np\nx = np.random.normal(0, 1, 101)",
    "import numpy as np\nx = np.random.randint(0, 5, 101)",
    "import numpy as np\nx = np.random.permutation(101)",
    "import numpy as np\nx = np.random.choice(3, size=(11, 10))",
    "import numpy as np\nx = np.outer(np.ones(11), np.ones(11))",
    "import numpy as np\nx = np.ones((11, 1)) + np.ones((1, 11))",
    "import numpy as np\nx = np.ones((11, 1)) @ np.ones((1, 11))",
    "import numpy as np\nx = np.dot(np.ones((11, 1)), np.ones((1, 11)))",
    "import numpy as np\nx = np.meshgrid(np.ones(8), np.ones(8))",
    "import numpy as np\nx = np.tile(np.ones(11), 10)",
    "import numpy as np\nx = np.repeat(np.ones(11), 10)",
    "import numpy as np\nx = np.array(range(101))",
    "import numpy as np\nx = np.float64(range(101))",
    "import numpy as np\nx = np.histogram(np.ones(2), bins=101)",
    "import numpy as np\nx = np.linalg.svd(np.ones((10, 1)))",
    "import random\nx = random.choices([1], k=101)",
    "import random\nx = random.sample(range(1000), 101)",
    "import itertools\nx = list(itertools.product(range(2), repeat=101))",
    "import collections\nx = collections.deque([0]) * 101",
])
def test_module_sizes_are_checked_before_allocating(source):
    result = run(source, max_elements=100)
    assert result.error is not None and result.error.kind == "budget", result.error


@pytest.mark.parametrize("source", [
    "import itertools\nx = ''.join(itertools.repeat('a'))",
    "import itertools\nx = set()\nx.update(itertools.count())",
    "import itertools\nx = sum(itertools.count())",
    "import itertools\nx = 5 in itertools.cycle([1])",
    "import itertools\nimport collections\nx = collections.deque(itertools.count())",
    "import itertools\nimport collections\nx = collections.Counter(itertools.count())",
    "import itertools\nimport functools\nx = functools.reduce(max, itertools.count())",
    "import itertools\nimport statistics\nx = statistics.mean(itertools.count())",
    "import itertools\nx = list(itertools.chain.from_iterable([itertools.count()]))",
    "import collections\nc = collections.Counter(a=10**12)\nx = ''.join(c.elements())",
    "import copy\nx = [[i] for i in range(200000)]\nfor i in range(10**6):\n    y = copy.deepcopy(x)",
])
def test_endless_module_iterators_stop(source):
    started = time.perf_counter()
    result = run(source, time_budget=0.3)
    assert time.perf_counter() - started < 3
    assert result.error is not None and result.error.kind in ("budget", "runtime", "refused"), \
        result.error
    assert result.error.kind != "runtime" or "AttributeError" in result.error.message


def test_a_refused_module_function_names_it_and_why():
    result = run("import numpy as np\nnp.save('x.npy', np.ones(2))\n")
    assert result.error.kind == "refused" and result.error.lineno == 2
    assert "'numpy.save' is not available" in result.error.message
    result = run("import numpy as np\nv = np.vectorize(abs)\n")
    assert "numpy.vectorize" in result.error.message and "per element" in result.error.message
    result = run("import time\ntime.sleep(1)\n")
    assert "only the clock functions" in result.error.message
    result = run("import os\n")
    assert result.error.kind == "refused" and "numpy" in result.error.message


def test_future_imports_work_and_are_checked():
    source = "from __future__ import annotations\ndef f(x: Undefined) -> int:\n    return 1\nprint(f(2))\n"
    result = run(source)
    assert result.ok, result.error
    assert result.output == "1\n"
    result = run("x = 1\nfrom __future__ import annotations\n")
    assert result.error.kind == "refused" and "beginning of the file" in result.error.message
    result = run("from __future__ import braces\n")
    assert result.error.kind == "refused" and "not defined" in result.error.message


@pytest.mark.parametrize("source", [
    "import random\nx = [0] * 2_000_000\nrandom.shuffle(x)",
    "import random\nx = random.choices([1], k=2_000_000)",
    "import collections\nP = collections.namedtuple('P', [f'a{i}' for i in range(2000)])",
    "import numpy as np\nx = np.linalg.eig(np.ones((1300, 1300)))",
    "import numpy as np\nx = np.linalg.inv(np.ones((3, 1000, 1000)))",
])
def test_uninterruptible_library_loops_are_refused_up_front(source):
    started = time.perf_counter()
    result = run(source)
    assert time.perf_counter() - started < 3
    assert result.error is not None and result.error.kind == "budget", result.error

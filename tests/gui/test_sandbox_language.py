"""The language the sandbox admits (classes, while, try, with, generators, decorators, builtins
such as type/getattr/iter): each runs and prints what plain Python prints; budgets stay uncatchable."""
import time

import pytest

from gradtrace.gui.model.limits import BudgetExceeded
from gradtrace.gui.model.runner import ScriptRunner
from tests.gui.plain_python import python_output, run

PLAIN_PROGRAMS = {
    "class-dunders": """
        class Vec:
            def __init__(self, *xs):
                self.xs = list(xs)
            def __repr__(self):
                return f"Vec({', '.join(str(x) for x in self.xs)})"
            def __str__(self):
                return "<" + repr(self) + ">"
            def __len__(self):
                return len(self.xs)
            def __getitem__(self, i):
                return self.xs[i]
            def __setitem__(self, i, v):
                self.xs[i] = v
            def __iter__(self):
                return iter(self.xs)
            def __add__(self, other):
                return Vec(*[a + b for a, b in zip(self, other)])
            def __mul__(self, k):
                return Vec(*[a * k for a in self])
            __rmul__ = __mul__
            def __eq__(self, other):
                return self.xs == other.xs
            def __hash__(self):
                return hash(tuple(self.xs))
            def __call__(self, k):
                return self.xs[k]
            def __contains__(self, x):
                return x in self.xs
            def __bool__(self):
                return bool(self.xs)
            def __neg__(self):
                return self * -1
        v = Vec(1, 2, 3)
        v[0] = 10
        w = v + Vec(1, 1, 1)
        print(v, repr(w), str(w), len(v), v[1], list(v), v(2), 3 in v, bool(Vec()), -v)
        print(v == Vec(10, 2, 3), {v: 1}[Vec(10, 2, 3)], 2 * v, sorted(v, reverse=True))
    """,
    "inheritance-super": """
        class Base(object):
            kind = "base"
            def __init__(self, name):
                self.name = name
                self.log = []
            def describe(self):
                return f"{self.kind}:{self.name}"
        class Child(Base):
            kind = "child"
            def __init__(self, name, extra):
                super().__init__(name)
                self.extra = extra
            def describe(self):
                return super().describe() + f"+{self.extra}"
        class Old(Base):
            def __init__(self):
                super(Old, self).__init__("old")
        c = Child("c", 3)
        print(c.describe(), Old().describe(), isinstance(c, Base), issubclass(Child, Base))
        print(type(c), type(c) is Child, type(c).kind, Child.kind, c.extra)
    """,
    "class-and-static-methods": """
        class Counter:
            total = 0
            def __init__(self):
                self.count = 0
            def bump(self, by=1):
                self.count += by
                Counter.total += by
                return self
            @staticmethod
            def twice(x):
                return 2 * x
            @classmethod
            def make(cls):
                return cls()
            @property
            def doubled(self):
                return self.count * 2
        c = Counter.make().bump().bump(3)
        print(c.count, c.doubled, Counter.total, Counter.twice(4), c.twice(5))
    """,
    "exceptions": """
        class MyError(ValueError):
            pass
        def risky(i):
            if i == 2:
                raise MyError(f"bad {i}")
            return 10 // (i - 1)
        for i in range(4):
            try:
                r = risky(i)
            except ZeroDivisionError as e:
                print("zero", e)
            except MyError as e:
                print("mine", e, e.args, isinstance(e, ValueError))
            else:
                print("ok", r)
            finally:
                print("finally", i)
        try:
            try:
                [][1]
            except IndexError:
                raise KeyError("k")
        except Exception as e:
            print(type(e), repr(e))
        try:
            assert 1 > 2, "one is not more than two"
        except AssertionError as e:
            print("assert", e)
    """,
    "while-loops": """
        n, steps = 27, 0
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
            if steps > 1000:
                break
        else:
            print("reached 1")
        print(steps)
        i = 0
        while True:
            i += 1
            if i < 5:
                continue
            break
        print(i)
    """,
    "with-statements": """
        class Timer:
            def __init__(self, name):
                self.name = name
            def __enter__(self):
                print("enter", self.name)
                return self
            def __exit__(self, kind, value, tb):
                print("exit", self.name, kind is None)
                return kind is KeyError
        with Timer("a") as t, Timer("b"):
            print("body", t.name)
        with Timer("c"):
            raise KeyError("swallowed")
        print("after")
    """,
    "generators": """
        def countdown(n):
            while n > 0:
                yield n
                n -= 1
            return "done"
        def chained():
            result = yield from countdown(3)
            yield result
        def squares(xs):
            for x in xs:
                yield x * x
        g = countdown(2)
        print(next(g), next(g), next(g, "end"))
        print(list(chained()), sum(squares(range(4))), list(squares([1, 2])))
        it = iter([1, 2, 3])
        print(next(it), list(it))
        print([x for x in iter(lambda: 1, 1)])
    """,
    "scopes": """
        total = 0
        def add(x):
            global total
            total += x
        def make_counter():
            count = 0
            def inc():
                nonlocal count
                count += 1
                return count
            return inc
        add(3)
        add(4)
        inc = make_counter()
        inc()
        print(total, inc(), (lambda a, b=2: a * b)(5))
    """,
    "decorators": """
        import functools
        def trace(f):
            def wrapper(*args, **kwargs):
                print("calling", f(*args, **kwargs))
                return f(*args, **kwargs)
            return wrapper
        def repeat(n):
            def deco(f):
                def wrapper(x):
                    for _ in range(n):
                        x = f(x)
                    return x
                return wrapper
            return deco
        @trace
        def double(x):
            return 2 * x
        @repeat(3)
        def inc(x):
            return x + 1
        def tag(cls):
            cls.tagged = True
            return cls
        @tag
        class Thing:
            pass
        print(double(4), inc(0), Thing.tagged)
    """,
    "augmented-targets": """
        state = [0, [1, 2]]
        state[0] += 1
        state[1][0] *= 10
        d = {"a": 1}
        d["a"] -= 5
        d["b"] = d.get("b", 0) + 2
        xs = list(range(6))
        xs[1:3] += [9]
        class Box:
            pass
        b = Box()
        b.n = 1
        b.n += 41
        b.items = []
        b.items += [1]
        print(state, d, xs, b.n, b.items)
    """,
    "builtins-and-names": """
        def forward(self, input, type=None, id=3, format="x", sum=0, min=1, max=2, iter=4, next=5):
            return input, type, id, format, sum, min, max, iter, next
        print(forward(None, "in"))
        class P:
            def __init__(self):
                self.a = 1
        p = P()
        setattr(p, "b", 2)
        print(getattr(p, "a"), getattr(p, "c", "none"), hasattr(p, "b"), hasattr(p, "z"), p.b)
        print(type(1), type(1.5), type("s"), type([]), type(()), type({}), type(None), type(True))
        print(type([]) is list, isinstance({}, dict), format(3.14159, ".2f"), format(7, ">4"))
        print(sum([1, 2, 3]), min(3, 1), max([4, 9]), id(p) == id(p), callable(print))
        print("{} + {} = {}".format(1, 2, 3), "{a}-{b!r}".format(a=1, b="x"),
              "{0[1]} {1[k]}".format([5, 6], {"k": "v"}), "{:>6.2f}|".format(2.5),
              "{name}".format_map({"name": "map"}))
        if __name__ == "__main__":
            print("main", __name__)
    """,
    "annotations": """
        from __future__ import annotations
        from typing import List, Optional
        class Cfg:
            size: int = 3
            name: Optional[str] = None
        def f(xs: List[int]) -> int:
            return len(xs)
        count: int = f([1, 2])
        print(count, Cfg.size, Cfg.name)
    """,
    "del-statements": """
        xs = [1, 2, 3]
        del xs[0]
        d = {"a": 1, "b": 2}
        del d["a"]
        class A:
            pass
        a = A()
        a.x = 1
        del a.x
        y = 5
        del y
        print(xs, d, hasattr(a, "x"))
    """,
}


@pytest.mark.parametrize("name", list(PLAIN_PROGRAMS))
def test_language_feature_prints_what_python_prints(name):
    source = PLAIN_PROGRAMS[name]
    result = run(source)
    assert result.ok, result.error
    assert result.output == python_output(source)


def test_input_reads_nothing_as_python_without_a_console():
    result = run("x = input('name? ')\n")
    assert result.error.kind == "runtime" and "EOFError" in result.error.message
    assert result.output == "name? "


def test_a_refused_class_names_what_and_why():
    result = run("class A:\n    def __getattr__(self, name):\n        return 1\n")
    assert result.error.kind == "refused" and result.error.lineno == 2
    assert "__getattr__" in result.error.message
    result = run("import torch\nclass T(torch.Tensor):\n    pass\n")
    assert result.error.kind == "refused" and result.error.lineno == 2
    assert "<class 'torch.Tensor'> cannot be a base class" in result.error.message
    result = run("t = type('A', (), {})\n")
    assert "type() with 3 arguments" in result.error.message


def test_reading_underscore_attributes_from_outside_stays_refused():
    result = run("class A:\n    def __init__(self):\n        self.x = 1\na = A()\ny = a.__dict__\n")
    assert result.error.kind == "refused" and result.error.lineno == 5
    assert '"__dict__" is an invalid attribute name' in result.error.message


# ---------------------------------------------------------------- budgets cannot be caught
SWALLOWERS = {
    "bare-except": """
        while True:
            try:
                while True:
                    pass
            except:
                pass
    """,
    "except-baseexception": """
        def spin():
            while True:
                pass
        for i in range(10**9):
            try:
                spin()
            except BaseException as e:
                print("caught", e)
    """,
    "finally-continue": """
        for i in range(10**9):
            try:
                while True:
                    pass
            finally:
                continue
    """,
    "finally-return": """
        def f():
            try:
                while True:
                    pass
            finally:
                return 1
        x = 0
        for i in range(10**9):
            x = f()
    """,
    "exit-returns-true": """
        class Swallow:
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                return True
        for i in range(10**9):
            with Swallow():
                while True:
                    pass
    """,
    "generator-close": """
        def g():
            while True:
                try:
                    yield 1
                except BaseException:
                    pass
        for x in g():
            pass
    """,
}


# a generator the script left suspended raises at its first check when it is collected later:
# Python reports that as "Exception ignored in <generator>", which is the point
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("name", list(SWALLOWERS))
def test_time_budget_cannot_be_swallowed(name):
    started = time.perf_counter()
    result = run(SWALLOWERS[name], time_budget=0.3)
    assert time.perf_counter() - started < 3
    assert result.error is not None and result.error.kind == "budget", result.error
    assert "caught" not in result.output


@pytest.mark.parametrize("handler", ["except:", "except BaseException:", "except Exception:",
                                     "finally:"])
def test_element_cap_cannot_be_swallowed(handler):
    source = f"import torch\ntry:\n    x = torch.ones(1000, 1000)\n{handler}\n    pass\nprint('after')\n"
    result = run(source, max_elements=100)
    assert result.error is not None and result.error.kind == "budget", result.error
    assert "1,000,000 elements" in result.error.message
    assert result.output == ""


def test_swallowed_budget_after_the_statement_is_still_reported():
    """A budget swallowed by ``__exit__`` in the last statement still ends the run."""
    source = ("class Swallow:\n    def __enter__(self):\n        return self\n"
              "    def __exit__(self, *exc):\n        return True\n"
              "with Swallow():\n    x = [0] * 1000\n")
    result = run(source, max_elements=100)
    assert result.error is not None and result.error.kind == "budget"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_script_code_cannot_run_after_its_run():
    """A generator's ``finally`` run when the app drops it (or a hook the app calls) raises at
    its first budget check instead of looping unbudgeted."""
    session = ScriptRunner(time_budget=5).start(
        "def g():\n    try:\n        yield 1\n    finally:\n        while True:\n            pass\n"
        "x = g()\ny = next(x)\n")
    while session.step() is not None:
        pass
    assert session.result.ok, session.result.error
    started = time.perf_counter()
    with pytest.raises(BudgetExceeded, match="outside the script's run"):
        session._globals["x"].close()
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("source", [
    "s = set()\ns.update(iter(int, 1))",
    "x = ''.join(iter(lambda: 'a', 'b'))",
    "def g():\n    yield from range(10**12)\nx = []\nx.extend(g())",
    "x = []\nx += iter(int, 1)",
    "x = 5 in iter(int, 1)",
])
def test_endless_iterators_in_c_loops_stop(source):
    started = time.perf_counter()
    result = run(source, time_budget=0.3)
    assert time.perf_counter() - started < 3
    assert result.error is not None and result.error.kind == "budget", result.error


def test_the_runner_never_runs_overridden_module_methods_after_a_statement():
    """The runner reads each module's parameters and submodules after every statement, outside
    the budget: a Module that overrides named_parameters/named_modules is read past them."""
    source = ("import torch\nclass M(torch.nn.Module):\n    def __init__(self):\n"
              "        super().__init__()\n        self.fc = torch.nn.Linear(2, 2)\n"
              "    def named_parameters(self, *a, **k):\n        while True:\n            pass\n"
              "    def named_modules(self, *a, **k):\n        while True:\n            pass\n"
              "m = M()\nprint(m.fc.out_features)\n")
    started = time.perf_counter()
    result = run(source, time_budget=5)
    assert time.perf_counter() - started < 3
    assert result.ok, result.error
    assert result.output == "2\n"


@pytest.mark.parametrize("body", ["while True:\n            pass", "raise KeyError('inner')"])
def test_an_exception_whose_str_fails_still_reports_its_line(body):
    source = ("class Odd(Exception):\n    def __str__(self):\n        " + body + "\n"
              "x = 1\nraise Odd()\n")
    started = time.perf_counter()
    result = run(source, time_budget=0.3)
    assert time.perf_counter() - started < 3
    assert result.error is not None and result.error.lineno == source.count("\n")
    assert result.error.kind == ("budget" if "while" in body else "runtime"), result.error
    assert "Odd" in result.error.message or "time budget" in result.error.message

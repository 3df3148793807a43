"""Fuzzing the sandbox: random walks of attribute, item, call and type() steps from everything a
script can hold; no walk may reach a module, frame, code object, real builtin or guard internal."""
import builtins
import random
import types

import pytest

import gradtrace.core as engine
from gradtrace.gui.model.runner import ScriptRunner

STARTS = [
    "torch", "torch.ones(2, requires_grad=True)", "(torch.ones(2, requires_grad=True) * 2).grad_fn",
    "torch.nn.Linear(2, 2)", "Net()", "Net", "Plain()", "Plain", "F", "F.apply", "np",
    "np.ones(2)", "np.random", "np.float32", "np.linalg", "random", "itertools",
    "itertools.count()", "functools", "functools.partial(print)", "collections",
    "collections.OrderedDict(a=1)", "collections.deque([1])", "copy", "dataclasses", "typing",
    "typing.List", "statistics", "time", "math", "gen()", "(i for i in [1])", "caught()",
    "print", "len", "iter([1])", "type", "super", "getattr", "object", "object()", "property",
    "staticmethod", "classmethod", "type(torch.ones(1))", "type(Net())", "Net().forward",
    "Net().fc", "Net().state_dict()", "torch.utils.data", "torch.optim.SGD",
    "torch.autograd.Function", "lambda: 0", "helper", "'{0}'.format", "str.format", "list",
    "dict", "1", "'text'", "[1, 2]", "{'k': 1}", "None", "Ellipsis", "range(3)", "slice(1)",
    "Exception('e')", "ValueError", "torch.float32", "torch.ones(2).numpy()",
    "torch.ones(2).numpy().dtype", "torch.device('cpu')",
]
NAMES = [
    "__class__", "__dict__", "__globals__", "__builtins__", "__code__", "__closure__",
    "__self__", "__func__", "__module__", "__base__", "__bases__", "__mro__", "__subclasses__",
    "__getattribute__", "__reduce__", "__reduce_ex__", "__init__", "__call__", "__wrapped__",
    "__traceback__", "__context__", "__cause__", "__loader__", "__spec__", "__name__",
    "__qualname__", "__array_interface__", "__objclass__", "__defaults__", "__kwdefaults__",
    "gi_frame", "gi_code", "gi_yieldfrom", "f_globals", "f_back", "f_locals", "tb_frame",
    "co_code", "cr_frame", "ag_frame", "mro", "func", "args", "keywords", "fget", "obj",
    "default_factory", "ctypes", "data", "base", "view", "tofile", "tobytes", "dump", "lib",
    "core", "os", "sys", "np", "numpy", "importlib", "builtins", "load", "save", "type", "dtype",
    "real", "T", "grad_fn", "next_functions", "variable", "metadata", "weight", "fc",
    "forward", "apply", "parameters", "state_dict", "modules", "training", "shape", "numpy",
    "detach", "backward", "register_hook", "saved_tensors", "_saved_self", "_parameters",
    "_modules", "utils", "autograd", "nn", "functional", "random", "linalg", "seed", "send",
    "throw", "close", "items", "keys", "values", "format", "format_map", "mapping", "maxlen",
    "most_common", "elements", "cache_info", "__wrapped__", "im_self", "im_func", "func_globals",
    "fields", "asdict", "make_dataclass", "update_wrapper", "partial", "sleep", "perf_counter",
]
PRIVATE = ["_parameters", "_modules", "_saved_self", "_version", "_base", "_backward_cls", "_vc",
           "_op", "_freed", "_ns_module", "_cp_cls", "_cp_guards", "_w_obj", "_sw_obj", "_make",
           "_fields", "_prev", "_data", "_grad", "_forward_cls", "_opdefs", "_calls", "_sink",
           "_limits", "_guards", "_module", "_root", "_cw_ctx", "_ns_guards", "_cp_call"]
STEPS = ["getattr", "getattr", "getattr", "call", "item", "type", "next", "dir", "private"]

PRELUDE = """\
import torch
import numpy as np
import random, itertools, functools, collections, copy, dataclasses, typing, statistics, time
import math


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(2, 2)

    def forward(self, x):
        return self.fc(x)


class Plain:
    label = "plain"

    def method(self):
        return super().__init__


class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.k = 2
        return x * 1

    @staticmethod
    def backward(ctx, g):
        return g


def gen():
    yield 1


def helper(a=print):
    return a


def caught():
    try:
        torch.ones(1).nothere
    except AttributeError as e:
        return e


found = []
"""

DANGEROUS = {id(f) for f in (builtins.open, builtins.eval, builtins.exec, builtins.compile,
                             builtins.__import__, builtins.globals, builtins.locals,
                             builtins.vars, builtins.dir, builtins.getattr, builtins.setattr,
                             builtins.delattr, builtins.breakpoint, builtins.input,
                             builtins.memoryview, builtins.type, builtins.__build_class__)}
FORBIDDEN_TYPES = (types.ModuleType, types.FrameType, types.CodeType, types.TracebackType)


def walk_script(rng, steps=4):
    lines = []
    start = rng.choice(STARTS)
    lines.append(f"try:\n    v = {start}\nexcept Exception:\n    v = None\nfound.append(v)")
    for _ in range(steps):
        kind = rng.choice(STEPS)
        if kind == "getattr":
            expr = f"getattr(v, {rng.choice(NAMES)!r})"
        elif kind == "call":
            expr = rng.choice(["v()", "v(1)", "v(print)", "v(v)", "v(torch.ones(1))"])
        elif kind == "item":
            expr = rng.choice(["v[0]", "v[-1]", "v['k']", "v[0][0]"])
        elif kind == "type":
            expr = "type(v)"
        elif kind == "next":
            expr = "next(iter(v))"
        elif kind == "private":
            expr = f"v.{rng.choice(PRIVATE)}"
        else:
            expr = f"v.{rng.choice([n for n in NAMES if not n.startswith('_')])}"
        lines.append(f"try:\n    v = {expr}\nexcept Exception:\n    pass\nfound.append(v)")
    return PRELUDE + "\n".join(lines) + "\n"


def forbidden(value, script_builtins):
    if isinstance(value, FORBIDDEN_TYPES) or id(value) in DANGEROUS:
        return "a module, frame, code object or real builtin"
    if any(value is v for v in script_builtins.values()):
        return None                                    # handed out as a builtin
    module = getattr(type(value), "__module__", "") or ""
    if module.startswith("gradtrace.gui") and type(value).__name__ not in (
            "ModuleNamespace", "ClassProxy"):
        return f"a guard internal ({type(value).__name__})"
    owner = getattr(value, "__self__", None)
    if type(owner).__name__ == "PrintSink" and getattr(value, "__name__", "") == "_call_print":
        return None                                    # `print` itself
    if owner is not None and (getattr(type(owner), "__module__", "") or "").startswith(
            "gradtrace.gui") and type(owner).__name__ not in ("ModuleNamespace", "ClassProxy"):
        return f"a method of a guard internal ({type(owner).__name__})"
    if isinstance(owner, types.ModuleType):
        return f"a function of module {owner.__name__}"
    if isinstance(value, type) and value is builtins.type:
        return "the real type"
    return None


@pytest.mark.parametrize("seed", range(40))
def test_random_walks_reach_nothing_forbidden(seed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exported = {n: getattr(engine, n) for n in engine.__all__}
    rng = random.Random(seed)
    for _ in range(8):
        source = walk_script(rng)
        session = ScriptRunner(time_budget=2).start(source)
        while session.step() is not None:
            pass
        result = session.result
        assert result.error is None or result.error.kind in ("refused", "runtime", "budget"), \
            result.error
        script_builtins = session._globals["__builtins__"]
        for value in session._globals.get("found", []):
            why = forbidden(value, script_builtins)
            assert why is None, f"{why}: {value!r}\n{source[len(PRELUDE):]}"
    assert list(tmp_path.iterdir()) == []
    assert {n: getattr(engine, n) for n in engine.__all__} == exported

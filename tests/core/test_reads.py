"""The bytecode reader that decides which saved values a node keeps (``_reads``): what a vjp
rule reads, however it reads it (attributes, closures, comprehensions, nested functions)."""
import functools
import sys

import pytest

import gradtrace.core as gt
from gradtrace.core.derivatives import registry
from gradtrace.core.derivatives.registry import OPS, _reads


def reads(rule, n_saved=2):
    return set(_reads(rule, n_saved))


def test_plain_reads():
    assert reads(lambda m, g, a, b: g * b) == {1}
    assert reads(lambda m, g, a, b: g * a) == {0}
    assert reads(lambda m, g, a, b: g * a * b) == {0, 1}
    assert reads(lambda m, g, a, b: -g) == set()


def test_an_attribute_read_is_a_read():
    """``a.shape`` needs ``a`` kept (gradtrace saves tensors, never only their sizes)."""
    assert reads(lambda m, g, a, b: m.zeros(a.shape) + g) == {0}
    assert reads(lambda m, g, a, b: g.reshape(b.shape).sum(b.ndim - 1)) == {1}


def test_method_calls_and_keyword_arguments():
    assert reads(lambda m, g, a, b, dim=0: m.sum(g * b, dim=dim)) == {1}
    assert reads(lambda m, g, a, b, **kw: m.where(a > 0, g, 0 * g)) == {0}


def test_a_value_read_only_by_a_nested_function_is_read():
    def rule(m, g, a, b):
        def inner():
            return b * 2
        return g * inner()
    assert reads(rule) == {1}


def test_a_value_read_only_by_a_lambda_or_a_default_is_read():
    assert reads(lambda m, g, a, b: (lambda: g * a)()) == {0}
    assert reads(lambda m, g, a, b: (lambda x=b: g * x)()) == {1}


def test_a_value_read_only_inside_a_comprehension_is_read():
    assert reads(lambda m, g, a, b: sum(g * x for x in b)) == {1}
    assert reads(lambda m, g, a, b: [g * a for _ in range(2)][0]) == {0}
    assert reads(lambda m, g, a, b: {k: a for k in range(1)}[0] * g) == {0}


def test_a_closure_over_the_defining_scope_is_not_a_saved_value():
    def make(name):
        return lambda m, g, a, b: getattr(m, name)(g) * b
    assert reads(make("exp")) == {1}


def test_a_value_written_before_it_is_read_is_still_kept():
    """Conservative: over-keeping costs memory, under-keeping breaks backward."""
    def rule(m, g, a, b):
        if g is None:
            a = g
        return a
    assert reads(rule) == {0}


def test_a_wrapped_rule_is_read_through_its_wrapper():
    def rule(m, g, a, b):
        return g * b
    quiet = registry._quiet(rule)
    assert reads(quiet) == {1}

    @functools.wraps(rule)
    def twice(*args, **kw):
        return rule(*args, **kw)
    assert reads(twice) == {1}


@pytest.mark.parametrize("rule", [
    lambda m, g, *saved: saved[0] * g,                 # variadic: cannot tell
    functools.partial(lambda k, m, g, a, b: g * b, 2),  # no code of its own
    lambda m, g, a: g * a,                              # fewer parameters than saved values
])
def test_what_cannot_be_told_keeps_everything(rule):
    assert reads(rule) == {0, 1}


def test_a_bound_method_rule_counts_its_parameters_after_self():
    class Rules:
        def other(self, m, g, a, b):
            return g * b
    assert reads(Rules().other) == {1}


def test_no_rule_reads_nothing():
    assert reads(None) == set()


def test_the_registry_keeps_only_what_the_rules_read():
    """The outcome in the op table: ``y * 2`` keeps the 2 (other), not ``y`` (self)."""
    mul = OPS["mul"]
    assert mul.save_users == (frozenset({1}), frozenset({0}))   # self for d/d other ...
    y = gt.ones(2, requires_grad=True) * 1
    z = y * gt.tensor(2.0)
    assert z.grad_fn._saved_self is None and z.grad_fn._saved_other is not None


def test_every_registry_rule_can_be_read():
    """No rule of the table falls back to 'everything' without a reason (varargs)."""
    for name, op in OPS.items():
        if not op.saves or op.variadic:
            continue
        for rule in op.vjps:
            if rule is None:
                continue
            fn = registry._unwrap(rule)
            code = fn.__code__
            assert code.co_argcount >= 2 + len(op.saves), (name, sys.version)

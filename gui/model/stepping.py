"""Stepping into a top-level ``for`` or ``while`` loop (the app's F11): the sandbox-checked loop
split into code that makes its iterator (or tests its condition), one iteration's body, its else."""
from __future__ import annotations

import ast
from dataclasses import dataclass

from .sandbox import SCRIPT_FILENAME

# Names only the runner binds: scripts cannot name them (the sandbox refuses "_" names).
ITERABLE = "__gradtrace_loop_iterable__"
ITEM = "__gradtrace_loop_item__"
RAN = "__gradtrace_loop_ran__"
TEST = "__gradtrace_loop_test__"
DUMMY = "__gradtrace_loop_dummy__"


@dataclass(frozen=True)
class LoopParts:
    """One top-level ``for TARGET in ITER: BODY else: ORELSE`` (or ``while TEST: ...``),
    compiled in parts.

    ``start`` binds ``ITERABLE`` to the (guarded) iterable (None for a while loop, whose
    ``test`` binds ``TEST`` to its condition's value instead); ``iteration`` runs the body once
    for the item in ``ITEM`` (a 1-tuple) and sets ``RAN`` unless the body ran ``break``;
    ``orelse`` is the ``else`` clause (None without one). ``body_lines`` are the first and last
    lines of the body, which the editor marks during an iteration.
    """

    start: object
    iteration: object
    orelse: object
    body_lines: tuple
    test: object = None


def split_loop(module: ast.Module) -> LoopParts | None:
    """The parts of ``module`` (one statement, already transformed by the sandbox policy) when
    that statement is a ``for`` or ``while`` loop; None otherwise. ``break`` and ``continue``
    keep their meaning: the iteration's body runs inside a one-item ``for`` of its own."""
    if not module.body or not isinstance(module.body[-1], (ast.For, ast.While)):
        return None
    loop = module.body[-1]
    prelude = module.body[:-1]     # e.g. the sandbox's ``_print = _print_(_getattr_)``

    def code(body):
        tree = ast.fix_missing_locations(ast.Module(body=prelude + body, type_ignores=[]))
        return compile(tree, SCRIPT_FILENAME, "exec")

    def name(id_, ctx=ast.Load):
        return ast.copy_location(ast.Name(id=id_, ctx=ctx()), loop)

    def assign(target, value):
        return ast.copy_location(ast.Assign(targets=[name(target, ast.Store)], value=value), loop)

    ran = assign(RAN, ast.Constant(True))
    target = loop.target if isinstance(loop, ast.For) else name(DUMMY, ast.Store)
    once = ast.copy_location(ast.For(target=target, iter=name(ITEM), body=loop.body,
                                     orelse=[ran], type_comment=None), loop)
    body = loop.body
    first = next((s for s in body if getattr(s, "lineno", None) and
                  not _is_instrumentation(s)), body[0])
    lines = (first.lineno, max(getattr(s, "end_lineno", None) or s.lineno for s in body))
    orelse = code(loop.orelse) if loop.orelse else None
    if isinstance(loop, ast.For):
        return LoopParts(code([assign(ITERABLE, loop.iter)]), code([once]), orelse, lines)
    # the runner tests the value's truth itself (a script may rebind ``bool``)
    return LoopParts(None, code([once]), orelse, lines, code([assign(TEST, loop.test)]))


def _is_instrumentation(stmt) -> bool:
    """The sandbox's ``_budget_()`` call at the top of a loop body."""
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and \
        isinstance(stmt.value.func, ast.Name) and stmt.value.func.id.startswith("_")

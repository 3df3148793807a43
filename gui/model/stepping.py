"""Stepping into a top-level ``for`` loop (the app's F11): the sandbox-checked loop split into
code that makes its iterator, code that runs one iteration's body, and code for its ``else``."""
from __future__ import annotations

import ast
from dataclasses import dataclass

from .sandbox import SCRIPT_FILENAME

# Names only the runner binds: scripts cannot name them (the sandbox refuses "_" names).
ITERABLE = "__gradtrace_loop_iterable__"
ITEM = "__gradtrace_loop_item__"
RAN = "__gradtrace_loop_ran__"


@dataclass(frozen=True)
class LoopParts:
    """One top-level ``for TARGET in ITER: BODY else: ORELSE``, compiled in three parts.

    ``start`` binds ``ITERABLE`` to the (guarded) iterable; ``iteration`` runs the body once
    for the item in ``ITEM`` (a 1-tuple) and sets ``RAN`` unless the body ran ``break``;
    ``orelse`` is the ``else`` clause (None without one). ``body_lines`` are the first and last
    lines of the body, which the editor marks during an iteration.
    """

    start: object
    iteration: object
    orelse: object
    body_lines: tuple


def split_loop(module: ast.Module) -> LoopParts | None:
    """The parts of ``module`` (one statement, already transformed by the sandbox policy) when
    that statement is a ``for`` loop; None otherwise. ``break`` and ``continue`` keep their
    meaning: the iteration's body runs inside a one-item ``for`` of its own."""
    loops = [s for s in module.body if isinstance(s, ast.For)]
    if len(loops) != 1 or module.body[-1] is not loops[0]:
        return None
    loop = loops[0]
    prelude = module.body[:-1]     # e.g. the sandbox's ``_print = _print_(_getattr_)``

    def code(body):
        tree = ast.fix_missing_locations(ast.Module(body=prelude + body, type_ignores=[]))
        return compile(tree, SCRIPT_FILENAME, "exec")

    def name(id_, ctx=ast.Load):
        return ast.copy_location(ast.Name(id=id_, ctx=ctx()), loop)

    start = ast.copy_location(ast.Assign(targets=[name(ITERABLE, ast.Store)], value=loop.iter),
                              loop)
    ran = ast.copy_location(ast.Assign(targets=[name(RAN, ast.Store)],
                                       value=ast.Constant(True)), loop)
    once = ast.copy_location(ast.For(target=loop.target, iter=name(ITEM), body=loop.body,
                                     orelse=[ran], type_comment=None), loop)
    body = loop.body
    first = next((s for s in body if getattr(s, "lineno", None) and
                  not _is_instrumentation(s)), body[0])
    lines = (first.lineno, max(getattr(s, "end_lineno", None) or s.lineno for s in body))
    return LoopParts(code([start]), code([once]), code(loop.orelse) if loop.orelse else None,
                     lines)


def _is_instrumentation(stmt) -> bool:
    """The sandbox's ``_budget_()`` call at the top of a loop body."""
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and \
        isinstance(stmt.value.func, ast.Name) and stmt.value.func.id.startswith("_")

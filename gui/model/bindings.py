"""The names a top-level statement can bind (read from its ast), and `Bindings`: the name ->
tensor mapping after each statement, sharing with the one before it what did not change."""
from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["Bindings", "bound_names", "global_names"]

# After this many stacked changes a mapping is copied flat: lookups stay short, and n
# statements over m names cost n * m / FLATTEN entries instead of n * m.
FLATTEN = 32

_MISSING = object()


def bound_names(stmt: ast.AST) -> tuple[str, ...]:
    """Every name ``stmt`` could bind or delete at the top level, over-approximated: stored or
    deleted names anywhere inside it, imports, ``def``/``class`` names, ``except ... as``;
    in the order the walk meets them (``a, b = ...``: a, then b, as Python binds them).

    Examples
    --------
    >>> bound_names(ast.parse("for i, (a, b) in x:\\n    import numpy as np").body[0])
    ('i', 'np', 'a', 'b')
    """
    names: dict[str, None] = {}
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names[node.id] = None
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = None
        elif isinstance(node, ast.alias):
            names[(node.asname or node.name).split(".")[0]] = None
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names[node.name] = None
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names[node.name] = None
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names[node.rest] = None
    return tuple(names)


def global_names(tree: ast.AST) -> frozenset[str]:
    """The names a ``global`` statement anywhere in ``tree`` declares: a function that
    declares one can rebind it whenever it is called, from any later statement."""
    return frozenset(name for node in ast.walk(tree) if isinstance(node, ast.Global)
                     for name in node.names)


class Bindings(Mapping):
    """A read-only name -> value mapping: ``parent`` with ``changes`` bound and ``removed``
    unbound. Each statement record holds one; iteration is in binding order, as the
    globals' own (a rebound name keeps its place, a new one comes last). ``delta`` is what
    it binds anew over its parent (the record before), so a reader that follows the records
    in order need not walk every name at every one.

    Examples
    --------
    >>> first = Bindings(None, {"x": 1, "y": 2})
    >>> second = Bindings(first, {"z": 3, "x": 4}, {"y"})
    >>> dict(second), dict(first)
    ({'x': 4, 'z': 3}, {'x': 1, 'y': 2})
    """

    __slots__ = ("_parent", "_changes", "_removed", "_flat", "_len", "_depth", "delta")

    def __init__(self, parent: Bindings | None = None, changes: dict[str, Any] | None = None,
                 removed: set[str] | frozenset[str] = frozenset()):
        self._changes = dict(changes or {})
        self.delta = self._changes   # what this one binds anew (walk them, not all names)
        self._removed = frozenset(removed)
        self._parent = parent
        self._flat: dict[str, Any] | None = None
        self._len: int | None = None
        self._depth: int = 0 if parent is None else parent._depth + 1
        if parent is None or self._depth >= FLATTEN:
            self._flat = self._materialize()
            self._parent, self._changes, self._removed, self._depth = None, {}, frozenset(), 0

    def changed(self, changes: dict[str, Any], removed: set[str]) -> Bindings:
        """The mapping after a statement: ``self`` itself when nothing changed."""
        if not changes and not removed:
            return self
        return Bindings(self, changes, removed)

    def _materialize(self) -> dict[str, Any]:
        """A plain dict of this mapping: the nearest flat one copied, then every change after
        it applied in order (a rebound name keeps its place, a new one comes last)."""
        chain: list[Bindings] = []
        node: Bindings | None = self
        while node is not None and node._flat is None:
            chain.append(node)
            node = node._parent
        flat = dict(node._flat) if node is not None and node._flat is not None else {}
        for link in reversed(chain):
            for name in link._removed:
                flat.pop(name, None)
            flat.update(link._changes)
        return flat

    # Override from Mapping
    def __getitem__(self, name: str) -> Any:
        node: Bindings | None = self
        while node is not None:
            if node._flat is not None:
                return node._flat[name]
            value = node._changes.get(name, _MISSING)
            if value is not _MISSING:
                return value
            if name in node._removed:
                break
            node = node._parent
        raise KeyError(name)

    # Override from Mapping
    def __iter__(self) -> Iterator[str]:
        return iter(self._flat if self._flat is not None else self._materialize())

    # Override from Mapping
    def __len__(self) -> int:
        if self._flat is not None:
            return len(self._flat)
        if self._len is None:
            self._len = len(self._materialize())
        return self._len

    def __repr__(self) -> str:
        return f"Bindings({dict(self)!r})"

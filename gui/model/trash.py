"""What a replaced graph held (its document, the scene's old items), freed a bounded piece at a
time between event-loop turns instead of all at once (20,000 nodes' worth is 0.1-0.2 s).

Reference counting frees a big structure in one go when its last reference goes: one
assignment can block the window for a tenth of a second. `Trash` holds such structures and
`empty_for` takes them apart for at most a given time: it pops the elements of a dict or list,
one at a time, and goes into an element (or an object's attributes) only when nothing else
holds it, so a structure still in use elsewhere is never changed (it is just let go).
"""
from __future__ import annotations

import sys
import time
from typing import Any

#: a container with at most this many elements is freed in one go (it costs microseconds)
SMALL = 64
#: how many elements are taken apart between two looks at the clock
BATCH = 16


#: `sys.getrefcount` of an object held by nothing but `Trash.empty_for`'s local and
#: `Trash._take`'s argument (and getrefcount's own)
_ONLY_HERE = 3
#: ... of a value in `_holds_big`'s loop held by its container alone (the loop's variable and
#: getrefcount's argument besides)
_HELD_BY_ONE = 3


_PLAIN_TYPES: dict[type, bool] = {}


def _plain(kind: type) -> bool:
    """Whether objects of `kind` are plain Python objects whose ``__dict__`` may be taken apart
    (not a Qt wrapper: those are left to PySide)."""
    plain = _PLAIN_TYPES.get(kind)
    if plain is None:
        plain = not any(k.__module__.split(".")[0] in ("PySide6", "shiboken6", "Shiboken")
                        for k in kind.__mro__)
        _PLAIN_TYPES[kind] = plain
    return plain


class Trash:
    """Structures to free later, piece by piece (`empty_for`).

    >>> trash = Trash()
    >>> trash.add({k: [k] * 3 for k in range(1000)})
    >>> trash.empty_for(1.0), len(trash)
    (True, 0)
    """

    def __init__(self) -> None:
        self._added: list[Any] = []    # as given: looked at once the giver let go of them
        self._stack: list[Any] = []    # dicts and lists being emptied, only ever held here

    def __len__(self) -> int:
        return len(self._added) + len(self._stack)

    def add(self, *objs: Any) -> None:
        """Free ``objs`` later (each one, if nothing else holds it by then)."""
        self._added.extend(o for o in objs if o is not None)

    def empty_for(self, seconds: float) -> bool:
        """Free what was added, for about ``seconds`` at most; True when nothing is left."""
        deadline = time.perf_counter() + seconds
        stack, added = self._stack, self._added
        while stack or added:
            for _ in range(BATCH):
                if stack:
                    top = stack[-1]
                    if not top:
                        stack.pop()
                        continue
                    obj = top.popitem()[1] if type(top) is dict else top.pop()
                elif added:
                    obj = added.pop()
                else:
                    break
                self._take(obj)
                obj = None
            if time.perf_counter() > deadline:
                break
        return not (stack or added)

    def _take(self, obj: Any) -> None:
        """``obj`` (just popped: the caller's local holds it) goes on the stack, to be taken
        apart, when only this holds it and it is big or holds something big; else it is let
        go (freed now when small, left to its other holders when not only held here)."""
        kind = type(obj)
        if kind in _CONTAINERS:
            if sys.getrefcount(obj) <= _ONLY_HERE and (len(obj) > SMALL or _holds_big(obj)):
                self._stack.append(obj if kind is dict or kind is list else list(obj))
            return
        if sys.getrefcount(obj) > _ONLY_HERE or not _plain(kind):
            return
        state = getattr(obj, "__dict__", None)
        if type(state) is dict and _holds_big(state):   # an object only held here
            self._stack.append(state)


_CONTAINERS = (dict, list, tuple)


def _holds_big(container: Any) -> bool:
    """Whether a small container holds a big one, or a plain object held by it alone (what
    freeing it at once would free with it)."""
    for value in (container.values() if type(container) is dict else container):
        kind = type(value)
        if kind in _CONTAINERS:
            if len(value) > SMALL:
                return True
        elif sys.getrefcount(value) <= _HELD_BY_ONE and _plain(kind) and \
                getattr(value, "__dict__", None) is not None:
            return True
    return False

"""RestrictedPython's own refusals in the user's language: each of its messages (its transformer's
``self.error(...)`` texts, as RestrictedPython 8 writes them) is a translatable source with the
names it quotes as fields, so a refusal reads in Chinese with the identifiers unchanged.

`restricted_text` turns one of RestrictedPython's messages into that translated `Text` (shown
again in another language after a switch, as gradtrace's own messages); a message it does not
know stays as RestrictedPython wrote it.

>>> restricted_text('"_x" is an invalid attribute name because it starts with "_".')
'"_x" is an invalid attribute name because it starts with "_".'
>>> restricted_text('"_x" is an invalid attribute name because it starts with "_".').fields
{'name': '_x'}
>>> restricted_text("something new")
'something new'
"""
from __future__ import annotations

import re

from .i18n import Text, translate

__all__ = ["restricted_texts", "restricted_text"]


def restricted_texts() -> tuple[str, ...]:
    """Every message of RestrictedPython's transformer, translated (fields unfilled)."""
    return (
        translate("RestrictedPython",
                  '"{name}" is an invalid variable name because it starts with "_"'),
        translate("RestrictedPython",
                  '"{name}" is an invalid variable name because it ends with "__roles__".'),
        translate("RestrictedPython", '"{name}" is a reserved name.'),
        translate("RestrictedPython", "Lazy import statements are not allowed."),
        translate("RestrictedPython", '"*" imports are not allowed.'),
        translate("RestrictedPython", "{node} statements are not allowed."),
        translate("RestrictedPython", "Exec calls are not allowed."),
        translate("RestrictedPython", "Eval calls are not allowed."),
        translate("RestrictedPython",
                  '"{name}" is an invalid attribute name because it starts with "_".'),
        translate("RestrictedPython",
                  '"{name}" is an invalid attribute name because it ends with "__roles__".'),
        translate("RestrictedPython", '"{name}" is a restricted name, that is forbidden to '
                                      "access in RestrictedPython."),
        translate("RestrictedPython", "Unpacking in comprehensions is not allowed."),
        translate("RestrictedPython", "Augmented assignment of attributes is not allowed."),
        translate("RestrictedPython",
                  "Augmented assignment of object items and slices is not allowed."),
        translate("RestrictedPython", 'The keyword argument "metaclass" is not allowed.'),
        translate("RestrictedPython",
                  "Assignment expressions are only allowed for simple targets"),
    )


_FIELD = re.compile(r"\{(\w+)\}")
#: English source -> the regex that reads its fields back out of RestrictedPython's message
_PATTERNS: dict[str, re.Pattern] = {}


def _pattern(source: str) -> re.Pattern:
    found = _PATTERNS.get(source)
    if found is None:
        parts = _FIELD.split(source)   # text, field, text, field, ..., text
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)"
                        for i, p in enumerate(parts))
        found = _PATTERNS[source] = re.compile(f"^{regex}$", re.S)
    return found


def restricted_text(message: str) -> str:
    """RestrictedPython's `message` as its translated `Text` with the names it quotes as
    fields; a message not in `restricted_texts` (or one of gradtrace's own `Text`s) as is."""
    if isinstance(message, Text):
        return message
    for text in restricted_texts():
        match = _pattern(text.source).match(message) if isinstance(text, Text) else None
        if match is not None:
            return text.format(**match.groupdict()) if match.groupdict() else text
    return message

"""The model layer's texts in the user's language: `translate(context, source)` as Qt's, through a
hook the app installs (gui/i18n.py); without one, the English source. Plain Python, no Qt.

A text remembers its source and fields, so a view can show it again in another language:

>>> t = translate("Timeline", "line {line}: {text}").format(line=3, text="y = x * 2"); t
'line 3: y = x * 2'
>>> retranslate(t)
'line 3: y = x * 2'
>>> translate("Timeline", "%n steps", "", 2)
'2 steps'
"""
from __future__ import annotations

from collections.abc import Callable

#: (context, source, disambiguation, n) -> the translated text; QCoreApplication.translate
#: once the app has installed it (`set_hook`)
Hook = Callable[[str, str, "str | None", int], str]


def _english(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    return source.replace("%n", str(n)) if n >= 0 else source


_hook: Hook = _english
_cache: dict[tuple, str] = {}   # (context, source, disambiguation, n) -> translation, per hook


def set_hook(hook: Hook | None) -> None:
    """Translate the model's texts with `hook` from now on (None: the English sources); the
    app calls it again after each language switch."""
    global _hook
    _hook = hook if hook is not None else _english
    _cache.clear()


def _translated(context: str, source: str, disambiguation: str | None, n: int) -> str:
    key = (context, source, disambiguation, n)
    shown = _cache.get(key)
    if shown is None:
        shown = _cache[key] = _hook(context, source, disambiguation, n)
    return shown


class Text(str):
    """A translated text that keeps its context, English source and the fields `format` filled
    in, for `retranslate`."""

    __slots__ = ("context", "source", "disambiguation", "n", "fields")
    context: str
    source: str
    disambiguation: str | None
    n: int
    fields: dict | None

    def __new__(cls, context: str, source: str, disambiguation: str | None = None, n: int = -1,
                fields: dict | None = None):
        shown = _translated(context, source, disambiguation, n)
        if fields:
            shown = shown.format(**fields)
        text = super().__new__(cls, shown)
        text.context, text.source, text.disambiguation, text.n = context, source, disambiguation, n
        text.fields = fields
        return text

    def format(self, *args, **fields) -> str:
        """The text with its ``{name}`` fields filled in (by name only), still a `Text`."""
        if args or self.fields:
            return str.format(self, *args, **fields)
        return Text(self.context, self.source, self.disambiguation, self.n, fields)

    def __reduce__(self):   # pickles (a recording sent between processes) as the plain text
        return (str, (str(self),))


def translate(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`source` in the user's language; `%n` is `n` (as Qt's translate). Fill fields with the
    result's `.format(name=...)`. pyside6-lupdate reads the calls: literal strings only, and
    no plural forms (Qt marks those only for tr() and QCoreApplication.translate)."""
    return Text(context, source, disambiguation, n)


def retranslate(text: str) -> str:
    """`text` again in the language now in use (fields that are texts too); other str as is."""
    if not isinstance(text, Text):
        return text
    fields = {k: retranslate(v) if isinstance(v, str) else v
              for k, v in (text.fields or {}).items()}
    return Text(text.context, text.source, text.disambiguation, text.n, fields)

"""The model layer's texts in the user's language: `translate(context, source)` as Qt's, through a
hook the app installs (gui/i18n.py); without one, the English source. Plain Python, no Qt.

A text remembers its source and fields, so a view can show it again in another language:

>>> t = translate("Timeline", "line {line}: {text}").format(line=3, text="y = x * 2"); t
'line 3: y = x * 2'
>>> retranslate(t)
'line 3: y = x * 2'
>>> translate("Timeline", "%n steps", "", 2)
'2 steps'

A text with plural forms goes through a `Context` named as its context (lupdate reads only
``Name.tr(source, "", n)`` as plural; `translate` with `n` is filed without plural forms):

>>> GraphItems = Context("GraphItems")
>>> GraphItems.tr("collapsed: %n nodes", "", 3)
'collapsed: 3 nodes'
"""
from __future__ import annotations

from collections.abc import Callable

#: (context, source, disambiguation, n) -> the translated text; QCoreApplication.translate
#: once the app has installed it (`set_hook`)
Hook = Callable[[str, str, "str | None", int], str]


def _english(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    return source.replace("%n", str(n)) if n >= 0 else source


_hook: Hook = _english
#: (context, source, disambiguation, n) -> its Text in the language of the hook: a timeline of
#: 100,000 steps asks for the same few texts over and over
_cache: dict[tuple, Text] = {}


def set_hook(hook: Hook | None) -> None:
    """Translate the model's texts with `hook` from now on (None: the English sources); the
    app calls it again after each language switch."""
    global _hook
    _hook = hook if hook is not None else _english
    _cache.clear()


class Text(str):
    """A translated text that keeps its context, English source and the fields `format` filled
    in, for `retranslate`."""

    __slots__ = ("context", "source", "disambiguation", "n", "fields")
    context: str
    source: str
    disambiguation: str | None
    n: int
    fields: dict | None

    @classmethod
    def _make(cls, shown: str, context: str, source: str, disambiguation: str | None, n: int,
              fields: dict | None) -> Text:
        text = str.__new__(cls, shown)
        text.context, text.source, text.disambiguation, text.n = context, source, disambiguation, n
        text.fields = fields
        return text

    def format(self, *args, **fields) -> str:
        """The text with its ``{name}`` fields filled in (by name only), still a `Text`."""
        if args or self.fields:
            return str.format(self, *args, **fields)
        text = str.__new__(Text, str.format(self, **fields))
        text.context, text.source = self.context, self.source
        text.disambiguation, text.n, text.fields = self.disambiguation, self.n, fields
        return text

    def __reduce__(self):   # pickles (a recording sent between processes) as the plain text
        return (str, (str(self),))


def translate(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`source` in the user's language; `%n` is `n` (as Qt's translate). Fill fields with the
    result's `.format(name=...)`. pyside6-lupdate reads the calls: literal strings only, and
    no plural forms (Qt marks those only for tr() and QCoreApplication.translate)."""
    key = (context, source, disambiguation, n)
    text = _cache.get(key)
    if text is None:
        text = _cache[key] = Text._make(_hook(context, source, disambiguation, n), context,
                                        source, disambiguation, n, None)
    return text


class Context:
    """One translation context's texts with plural forms, for code outside a QObject: bind it
    to a name spelled as the context, ``Pipeline = Context("Pipeline")``, and write
    ``Pipeline.tr("laying out %n nodes", "", n)``; pyside6-lupdate takes ``Name.tr(...)`` as a
    plural text of context ``Name`` (English forms in gradtrace_en.ts, one in Chinese)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def tr(self, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        """`source` in the user's language, the plural form for `n` with `%n` filled in."""
        return translate(self.name, source, disambiguation or None, n)

    def __repr__(self) -> str:
        return f"Context({self.name!r})"


def retranslate(text: str) -> str:
    """`text` again in the language now in use (fields that are texts too); other str as is."""
    if not isinstance(text, Text):
        return text
    again = translate(text.context, text.source, text.disambiguation, text.n)
    if not text.fields:
        return again
    return again.format(**{k: retranslate(v) if isinstance(v, str) else v
                           for k, v in text.fields.items()})

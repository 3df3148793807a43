"""Where a script Python cannot parse went wrong when Python's parser gives no line: a null
byte, a lone surrogate, or nesting too deep for the parser (RecursionError, MemoryError)."""
from __future__ import annotations

import io
import tokenize

__all__ = ["locate_parse_failure"]

TOO_DEEP = ("SyntaxError: this line is nested too deeply for Python's parser (it ran out of "
            "recursion depth): split the expression into smaller ones")


def _line_col(source: str, offset: int) -> tuple[int, int]:
    line_start = source.rfind("\n", 0, offset) + 1
    return source.count("\n", 0, offset) + 1, offset - line_start


def _surrogate(source: str) -> int | None:
    for offset, char in enumerate(source):
        if "\ud800" <= char <= "\udfff":
            return offset
    return None


def _busiest_line(source: str) -> int | None:
    """The logical line with the most tokens (where the parser's recursion ran out), by its
    first physical line; None when the source does not even tokenize."""
    best, best_line, count, first = 0, None, 0, None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                if count > best:
                    best, best_line = count, first
                count, first = 0, None
            elif tok.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT,
                                  tokenize.DEDENT):
                count += 1
                if first is None:
                    first = tok.start[0]
    except (tokenize.TokenError, SyntaxError, RecursionError, MemoryError):
        pass
    if count > best:
        best_line = first
    return best_line


def locate_parse_failure(source: str, exc: BaseException) -> tuple[str, int | None, int | None]:
    """``(message, lineno, col)`` for ``exc``, raised by ``ast.parse(source)`` without a place
    (``lineno`` None): the message as the user should read it, 1-based line, 0-based column.

    Examples
    --------
    >>> locate_parse_failure("x = 1\\ny = '\\x00'\\n", ValueError("source code string cannot "
    ...                      "contain null bytes"))
    ('SyntaxError: source code string cannot contain null bytes', 2, 5)
    >>> locate_parse_failure("x = 1\\ny = 1" + "+1" * 9 + "\\n", RecursionError())[1:]
    (2, 0)
    """
    null = source.find("\x00")
    if null >= 0:
        return ("SyntaxError: source code string cannot contain null bytes",
                *_line_col(source, null))
    surrogate = _surrogate(source)
    if surrogate is not None:
        char = source[surrogate]
        return (f"SyntaxError: {char!r} is a lone surrogate, not a character a script may "
                f"hold: write it as the escape '\\u{ord(char):04x}' inside a string",
                *_line_col(source, surrogate))
    if isinstance(exc, (RecursionError, MemoryError)) or "recursion" in str(exc):
        return TOO_DEEP, _busiest_line(source), 0
    text = str(exc)
    return f"SyntaxError: {text}" if text else "SyntaxError: the script could not be parsed", \
        None, None

"""Script files as text, the way Python reads them (PEP 263): a BOM or a coding line in the first
two lines names the encoding, else UTF-8; a file that does not decode is a clear error."""
from __future__ import annotations

import codecs
import io
import re
import tokenize
from pathlib import Path

__all__ = ["ScriptDecodeError", "read_script", "decode_script", "encode_script",
           "declared_encoding"]

# PEP 263's coding line, as tokenize matches it (a comment in the first or second line).
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)
_BLANK = re.compile(r"^[ \t\f]*(?:[#\r\n]|$)", re.ASCII)


class ScriptDecodeError(ValueError):
    """A script file that is not text in its declared encoding (UTF-8 when none is declared).

    The message names the file, the byte offset, the line and what to do about it.
    """


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_script(data: bytes, name: str = "<script>") -> str:
    """The text of a script file's bytes ``data``, decoded as Python decodes a source file.

    Examples
    --------
    >>> decode_script(b"# -*- coding: latin-1 -*-\\n# caf\\xe9\\n").splitlines()[1]
    '# café'
    >>> decode_script(b"# caf\\xe9\\n", "a.py")
    Traceback (most recent call last):
    ...
    gradtrace.gui.model.script_text.ScriptDecodeError: a.py: byte 5 (line 1) is not UTF-8 \
(0xe9), and no coding line declares another encoding: save the file as UTF-8 or add a first \
line like '# -*- coding: latin-1 -*-' (PEP 263)
    """
    declared = _coding_name(data.decode("latin-1").splitlines()[:2])
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if declared is not None:   # an unknown encoding, or one contradicting a UTF-8 BOM
            raise ScriptDecodeError(f"{name}: {exc.msg} (PEP 263 coding line)") from None
        encoding = "utf-8"         # a first line that is not UTF-8: located below
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.end]
        where = f"byte {exc.start} (line {_line_of(data, exc.start)})"
        shown = " ".join(f"0x{b:02x}" for b in bad[:4])
        if declared is None:
            raise ScriptDecodeError(
                f"{name}: {where} is not UTF-8 ({shown}), and no coding line declares another "
                "encoding: save the file as UTF-8 or add a first line like "
                "'# -*- coding: latin-1 -*-' (PEP 263)") from None
        raise ScriptDecodeError(
            f"{name}: {where} is not valid {declared} ({shown}), the encoding its coding "
            "line declares (PEP 263)") from None


def _coding_name(lines: list[str]) -> str | None:
    """The encoding name a PEP 263 coding line among the first two ``lines`` gives, or None."""
    for number, line in enumerate(lines[:2]):
        match = _CODING.match(line)
        if match:
            return match.group(1)
        if number == 0 and not _BLANK.match(line):
            return None
    return None


def declared_encoding(text: str) -> str | None:
    """The encoding the coding line of the script ``text`` declares (normalised), or None.

    Examples
    --------
    >>> declared_encoding("# -*- coding: Latin-1 -*-\\nx = 1\\n")
    'iso8859-1'
    >>> declared_encoding("x = 1  # coding: latin-1\\n") is None
    True
    """
    name = _coding_name(text.splitlines()[:2])
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def encode_script(text: str, name: str = "<script>") -> bytes:
    """``text`` as the bytes of its file: in the encoding its coding line declares, else UTF-8
    (so a Latin-1 file opened and saved again stays Latin-1 and reopens the same).

    Raises `ScriptDecodeError` naming the line of a character that encoding cannot hold.
    """
    encoding = declared_encoding(text) or "utf-8"
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise ScriptDecodeError(
            f"{name}: line {line} holds {text[exc.start]!r}, which {encoding} (the encoding "
            "the coding line declares) cannot hold: change the coding line to utf-8 or "
            "remove the character") from None


def read_script(path: str | Path) -> str:
    """The text of the script file at ``path`` (PEP 263: BOM or coding line, else UTF-8).

    Raises OSError when the file cannot be read and `ScriptDecodeError` when it does not decode.
    """
    path = Path(path)
    return decode_script(path.read_bytes(), str(path))

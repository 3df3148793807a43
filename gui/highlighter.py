"""PyTorch-aware Python syntax highlighting for the script editor (a QSyntaxHighlighter):
keywords, builtins, torch names, numbers, strings (also triple-quoted over lines), comments."""
from __future__ import annotations

import builtins
import keyword
import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat

from .theme import LIGHT, Theme

#: names highlighted as PyTorch API after `torch.`, `F.`, `nn.` or on their own
TORCH_NAMES = frozenset("""
torch nn F functional optim autograd tensor Tensor ones zeros ones_like zeros_like randn rand
randint arange linspace eye full empty manual_seed no_grad enable_grad set_grad_enabled
backward grad requires_grad requires_grad_ grad_fn is_leaf detach retain_grad item numpy
float32 float64 float16 int64 int32 bool matmul mm bmm exp log sum mean max min sigmoid tanh
relu softmax log_softmax cross_entropy nll_loss mse_loss linear dropout cat stack reshape view
transpose permute squeeze unsqueeze flatten expand where clamp abs sqrt pow norm cuda device
dtype zero_ t T shape size dim
""".split())

_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))
_KEYWORDS = frozenset(keyword.kwlist) | frozenset(getattr(keyword, "softkwlist", ()))

_WORD = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
_NUMBER = re.compile(r"\b(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][+-]?\d+)?j?)\b")
_DECORATOR = re.compile(r"^\s*@[\w.]+")
# single-line strings with optional prefix; triple quotes are handled by block state
_STRING = re.compile(r"""[rbfuRBFU]{0,2}("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?)""")
_TRIPLE = ('"""', "'''")


class PythonHighlighter(QSyntaxHighlighter):
    """Highlights a QTextDocument as Python with PyTorch names in their own colour.

    >>> from PySide6.QtGui import QTextDocument
    >>> h = PythonHighlighter(QTextDocument("x = torch.ones(2)  # hi"))
    """

    def __init__(self, document, theme: Theme = LIGHT):
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self._formats = {}
        for name, color in theme.syntax.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(color))
            if name in ("keyword", "torch"):
                fmt.setFontWeight(QFont.Weight.Bold)
            if name == "comment":
                fmt.setFontItalic(True)
            self._formats[name] = fmt
        self.rehighlight()

    def format_for(self, name: str) -> QTextCharFormat:
        return self._formats[name]

    # Override from QSyntaxHighlighter
    def highlightBlock(self, text: str) -> None:
        fmt = self._formats
        for m in _WORD.finditer(text):
            word = m.group()
            if word in _KEYWORDS:
                self.setFormat(m.start(), m.end() - m.start(), fmt["keyword"])
            elif word in TORCH_NAMES:
                self.setFormat(m.start(), m.end() - m.start(), fmt["torch"])
            elif word in ("self", "cls"):
                self.setFormat(m.start(), m.end() - m.start(), fmt["self"])
            elif word in _BUILTINS:
                self.setFormat(m.start(), m.end() - m.start(), fmt["builtin"])
        for m in _NUMBER.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), fmt["number"])
        m = _DECORATOR.match(text)
        if m:
            self.setFormat(m.start(), m.end() - m.start(), fmt["decorator"])
        self._strings_and_comments(text)

    def _strings_and_comments(self, text: str) -> None:
        """Scan left to right so that '#' inside a string and quotes inside a comment are
        not misread; block state 1/2 means an open triple-quoted string of \"\"\" / '''."""
        fmt = self._formats
        self.setCurrentBlockState(0)
        i = 0
        state = self.previousBlockState()
        if state in (1, 2):
            quote = _TRIPLE[state - 1]
            end = text.find(quote)
            if end < 0:
                self.setFormat(0, len(text), fmt["string"])
                self.setCurrentBlockState(state)
                return
            self.setFormat(0, end + 3, fmt["string"])
            i = end + 3
        while i < len(text):
            ch = text[i]
            if ch == "#":
                self.setFormat(i, len(text) - i, fmt["comment"])
                return
            if ch in "\"'":
                start = i
                while start > 0 and text[start - 1] in "rbfuRBFU" and start > i - 2:
                    start -= 1
                triple = text[i:i + 3]
                if triple in _TRIPLE:
                    end = text.find(triple, i + 3)
                    if end < 0:
                        self.setFormat(start, len(text) - start, fmt["string"])
                        self.setCurrentBlockState(1 if triple == '"""' else 2)
                        return
                    self.setFormat(start, end + 3 - start, fmt["string"])
                    i = end + 3
                    continue
                m = _STRING.match(text, i)
                end = m.end() if m else len(text)
                self.setFormat(start, end - start, fmt["string"])
                i = end
                continue
            i += 1

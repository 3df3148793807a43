"""The Help menu's pages: resources/help/*.html (zh_CN/, zh_TW/ for Chinese) in a QTextBrowser, the
graph's colours from the theme, the shortcut table from the window's actions, the glossary."""
from __future__ import annotations

import html
from pathlib import Path
from string import Template

from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QCoreApplication, QEvent, QUrl
from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

from . import i18n
from .theme import RAMPS, Theme

#: QCoreApplication.translate, under the name pyside6-lupdate reads
translate = QCoreApplication.translate

HELP_DIR = Path(__file__).resolve().parent.parent / "resources" / "help"
PAGES = ("index.html", "guide.html", "shortcuts.html", "reading_the_graph.html", "glossary.html")

#: the glossary page's table: the standard terms of the Chinese interface (Simplified,
#: Traditional), PyTorch's English name, and what it means (translated with the page)
GLOSSARY = (
    ("计算图", "計算圖", "computational graph (grad_fn graph)",
     N("Glossary", "the graph of grad_fn nodes that backward() walks from the output to the "
                   "leaves")),
    ("张量", "張量", "Tensor", N("Glossary", "an array of numbers whose operations autograd can "
                                            "record")),
    ("叶子节点", "葉節點", "leaf tensor (is_leaf)",
     N("Glossary", "a tensor made by you, not by an operation; backward() fills its .grad")),
    ("非叶子节点", "非葉節點", "non-leaf tensor",
     N("Glossary", "a tensor made by an operation; it keeps no .grad unless retain_grad()")),
    ("梯度", "梯度", "gradient (.grad)",
     N("Glossary", "the derivative of the output with respect to a tensor, of the tensor's "
                   "shape")),
    ("反向传播", "反向傳播", "backpropagation, backward()",
     N("Glossary", "working the gradients out from the output back to the leaves by the "
                   "chain rule")),
    ("前向传播", "前向傳播", "forward pass",
     N("Glossary", "running the operations, which records the graph")),
    ("梯度累加", "梯度累加", "gradient accumulation (AccumulateGrad)",
     N("Glossary", "each backward() adds into .grad; zero_grad() sets it back")),
    ("反向函数", "反向函式", "backward function (grad_fn, Node)",
     N("Glossary", "the node that works out an operation's gradients, e.g. MulBackward0")),
    ("需要梯度", "需要梯度", "requires_grad",
     N("Glossary", "whether autograd records the operations on a tensor")),
    ("保存的张量", "儲存的張量", "saved tensors (save_for_backward)",
     N("Glossary", "values an operation keeps for its backward, freed once it has run")),
    ("保留计算图", "保留計算圖", "retain_graph=True",
     N("Glossary", "keep the saved tensors, for a second backward() through the same graph")),
    ("原地操作", "原地操作", "in-place operation (add_, +=)",
     N("Glossary", "changes a tensor's values instead of making a new tensor")),
    ("标量", "純量", "scalar",
     N("Glossary", "a tensor of one element; backward() needs no argument on it")),
    ("向量-雅可比积", "向量-雅可比積", "vector-Jacobian product",
     N("Glossary", "what backward(gradient) works out for an output that is not a scalar")),
    ("链式法则", "連鎖律", "chain rule",
     N("Glossary", "the derivative of a composition is the product of the local derivatives")),
    ("分离", "分離", "detach()",
     N("Glossary", "the same values as a new tensor cut from the graph")),
    ("禁用梯度计算", "停用梯度計算", "torch.no_grad()",
     N("Glossary", "a block in which no graph is recorded")),
    ("设备", "裝置", "device (cpu, cuda)",
     N("Glossary", "where a tensor's values are; the tensors of one operation must share it")),
    ("参数", "參數", "parameter (nn.Parameter)",
     N("Glossary", "a leaf tensor of a module, which the optimizer updates")),
    ("优化器", "最佳化器", "optimizer (torch.optim)",
     N("Glossary", "updates the parameters from their .grad")),
    ("损失", "損失", "loss", N("Glossary", "the scalar that training makes small")),
)


def help_dir() -> Path:
    """Where the help pages are: in the installed package, else in the source tree."""
    try:
        from importlib.resources import files
        path = Path(str(files("gradtrace.resources") / "help"))
        if path.is_dir():
            return path
    except Exception:  # noqa: BLE001 - running from a source tree
        pass
    return HELP_DIR


def shortcut_rows(window) -> list[tuple[str, str, list[str]]]:
    """(menu path, action, [keys]) for every menu action of `window` that has a shortcut, in
    menu order: the reference is read from the actions, so it says what the keys do now."""
    rows: list[tuple[str, str, list[str]]] = []

    def walk(menu, path):
        for action in menu.actions():
            sub = action.menu()
            if sub is not None:
                walk(sub, f"{path} > {_plain(action.text())}")
                continue
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText)
                    for k in action.shortcuts() if not k.isEmpty()]
            if keys and not action.isSeparator():
                rows.append((path, _plain(action.text()), keys))
    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.text()))
    return rows


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_table(window) -> str:
    """The HTML table of `shortcut_rows`, one section per menu."""
    parts, last = [], None
    for menu, name, keys in shortcut_rows(window):
        if menu != last:
            if last is not None:
                parts.append("</table>")
            parts.append(f"<h3>{html.escape(menu)}</h3><table cellpadding='3'>")
            last = menu
        shown = translate("HelpDialog", " or ").join(f"<b>{html.escape(k)}</b>" for k in keys)
        parts.append(f"<tr><td width='220'>{shown}</td><td>{html.escape(name)}</td></tr>")
    if last is not None:
        parts.append("</table>")
    return "\n".join(parts)


def page_values(theme: Theme, window=None) -> dict[str, str]:
    """What the page templates' ``$names`` stand for: the theme's colours (the ones the graph
    is drawn with), the ends of its |grad| ramp, and the shortcut table."""
    values = dict(theme.roles)
    for name in ("background", "text", "edge", "edge_cut", "edge_saved", "active", "done_fill",
                 "nonfinite", "search", "selection", "breakpoint", "pulse"):
        values[name] = getattr(theme, name)
    ramp = RAMPS.get(theme.name, RAMPS["light"])
    values["ramp_low"], values["ramp_high"] = ramp[0], ramp[-1]
    values["shortcuts"] = shortcut_table(window) if window is not None else ""
    values["graph_keys"] = graph_keys_table()
    values["glossary_rows"] = glossary_rows()
    return values


def glossary_rows() -> str:
    """The rows of the glossary page's table (`GLOSSARY`), meanings in the language installed."""
    return "\n".join(f"<tr><td>{cn}</td><td>{tw}</td><td><tt>{html.escape(en)}</tt></td>"
                     f"<td>{html.escape(translate('Glossary', meaning))}</td></tr>"
                     for cn, tw, en, meaning in GLOSSARY)


def page_path(name: str, language: str | None = None) -> Path:
    """Help page `name` in `language` (default: the one installed), else the English one."""
    language = language if language is not None else i18n.current()
    if language and language != "en":
        path = help_dir() / language / name
        if path.exists():
            return path
    return help_dir() / name


def graph_keys_table() -> str:
    """The graph view's own keys (`GRAPH_KEYS`, which its keyPressEvent handles) as a table."""
    from .graph_view import GRAPH_KEYS
    rows = "".join(f"<tr><td width='220'><b>{html.escape(translate('GraphView', k))}</b></td>"
                   f"<td>{html.escape(translate('GraphView', w))}</td></tr>"
                   for k, w in GRAPH_KEYS)
    title = translate("HelpDialog", "In the graph (when it has the focus)")
    return f"<h3>{title}</h3><table cellpadding='3'>{rows}</table>"


def render_page(name: str, theme: Theme, window=None) -> str:
    """The HTML of help page `name` with its ``$names`` filled in."""
    text = page_path(name).read_text(encoding="utf-8")
    return Template(text).substitute(page_values(theme, window))


class HelpBrowser(QTextBrowser):
    """A QTextBrowser that renders the help pages (templates) as it follows their links."""

    def __init__(self, theme: Theme, window=None, parent=None):
        super().__init__(parent)
        self._theme, self._window = theme, window
        self.setOpenLinks(True)
        self.setOpenExternalLinks(False)

    # Override from QTextBrowser
    def loadResource(self, kind: int, url: QUrl):
        name = Path(url.path()).name
        if kind == QTextDocument.ResourceType.HtmlResource.value and name in PAGES:
            return render_page(name, self._theme, self._window)
        return super().loadResource(kind, url)


class HelpDialog(QDialog):
    """The help window: Contents and Back, then the pages."""

    def __init__(self, window, theme: Theme, page: str = "index.html"):
        super().__init__(window)
        self.resize(760, 640)
        self.browser = HelpBrowser(theme, window, self)
        buttons = QHBoxLayout()
        self.back_button = back = QPushButton(self)
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        back.setEnabled(False)
        self.home_button = home = QPushButton(self)
        home.clicked.connect(lambda: self.show_page("index.html"))
        buttons.addWidget(back)
        buttons.addWidget(home)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        self._retranslate()
        self.show_page(page)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("gradtrace help"))
        self.back_button.setText(self.tr("Back"))
        self.home_button.setText(self.tr("Contents"))

    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.browser.reload()   # the page in the new language
        super().changeEvent(event)

    def show_page(self, page: str) -> None:
        self.browser.setSource(QUrl(page))

    def page(self) -> str:
        return Path(self.browser.source().path()).name


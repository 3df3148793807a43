"""The Help menu's pages: resources/help/*.html shown in a QTextBrowser, with the graph's
colours filled in from the theme and the shortcut table read from the window's own actions."""
from __future__ import annotations

import html
from pathlib import Path
from string import Template

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

from .theme import RAMPS, Theme

#: QCoreApplication.translate, under the name pyside6-lupdate reads
translate = QCoreApplication.translate

HELP_DIR = Path(__file__).resolve().parent.parent / "resources" / "help"
PAGES = ("index.html", "guide.html", "shortcuts.html", "reading_the_graph.html")


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
    return values


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
    text = (help_dir() / name).read_text(encoding="utf-8")
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


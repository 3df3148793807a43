"""Tests for gui/help.py: the Help menu's pages, the shortcut reference read from the actions,
the graph page's colours from the theme, links between the pages, and their packaging."""
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence

from gradtrace.gui.app import MainWindow
from gradtrace.gui.help import PAGES, help_dir, render_page, shortcut_rows
from gradtrace.gui.theme import DARK, LIGHT, ROLES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    return w


def text_of(html):
    return re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&")


def test_the_help_menu_offers_the_pages(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    titles = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert titles[:3] == ["gradtrace help", "Keyboard shortcuts", "How to read the graph"]


def test_shortcut_reference_lists_every_menu_shortcut(window):
    rows = shortcut_rows(window)
    page = text_of(render_page("shortcuts.html", LIGHT, window))
    keys = {k for _, _, ks in rows for k in ks}
    assert {"F5", "F10", "F11", "Shift+F11", "Shift+F5", "Space", "F8", "Alt+Left", "Alt+End",
            "Home", "Ctrl+F", "Ctrl+Z"} <= keys
    for menu, name, ks in rows:
        assert name in page and all(k in page for k in ks), (menu, name, ks)
    steps = {name: ks for menu, name, ks in rows if menu == "Run"}
    assert steps["Step into"] == ["F11"] and steps["Step out"] == ["Shift+F11"]


def test_shortcut_reference_follows_the_actions(window):
    window.actions_.fit.setShortcut(QKeySequence("Ctrl+9"))
    page = text_of(render_page("shortcuts.html", LIGHT, window))
    assert "Ctrl+9" in page and "Ctrl+0" not in page


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_reading_the_graph_uses_the_themes_colours(theme):
    page = render_page("reading_the_graph.html", theme)
    for role in ROLES:
        assert f'bgcolor="{theme.roles[role]}"' in page, role
    for name in ("active", "nonfinite", "edge_saved", "edge_cut", "pulse", "breakpoint"):
        assert f'bgcolor="{getattr(theme, name)}"' in page, name
    assert "$" not in page


def test_every_link_between_the_pages_resolves():
    anchors = {}
    for name in PAGES:
        text = (help_dir() / name).read_text(encoding="utf-8")
        anchors[name] = set(re.findall(r'<a name="([^"]+)"', text))
    for name in PAGES:
        for target in re.findall(r'href="([^"]+)"', (help_dir() / name).read_text()):
            page, _, anchor = target.partition("#")
            assert page in PAGES, (name, target)
            assert not anchor or anchor in anchors[page], (name, target)


def test_the_pages_ship_with_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"help/*.html"' in pyproject
    assert {p.name for p in (ROOT / "resources" / "help").glob("*.html")} == set(PAGES)


def test_the_dialog_opens_at_a_page_and_follows_links(window, qtbot):
    dialog = window.show_help("reading_the_graph.html")
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.page() == "reading_the_graph.html"
    assert "How to read the graph" in dialog.browser.toPlainText()
    assert window.show_help("shortcuts.html") is dialog
    assert "Step into" in dialog.browser.toPlainText()
    dialog.browser.setSource(dialog.browser.source().resolved("guide.html#stepping"))
    assert "Running and stepping" in dialog.browser.toPlainText()
    dialog.browser.backward()
    assert dialog.page() == "shortcuts.html"

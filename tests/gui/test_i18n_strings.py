"""Every user-visible text in gui/ goes through Qt's translation (tr, QCoreApplication.translate,
QT_TRANSLATE_NOOP) and the .ts files say what the code says (pyside6-lupdate into a copy)."""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from gradtrace.gui import i18n_build

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "gui"

#: Qt calls (methods, constructors) whose text arguments the user reads, with the positions
#: of those arguments (None: every positional argument) and keyword names
SINKS: dict[str, tuple[tuple[int, ...] | None, tuple[str, ...]]] = {
    **{name: ((0,), ()) for name in (
        "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle",
        "setPlaceholderText", "setTitle", "addMenu", "showMessage", "setFormat",
        "set_placeholder", "set_full_text", "show_error", "setLabelText", "setDescription",
        "setItemText", "setTabText", "setHtml", "setPlainText", "addItem", "insertItem")},
    "addTab": ((1,), ()), "insertTab": ((2,), ()),
    "addAction": ((0,), ()),
    **{name: ((1, 2), ()) for name in ("information", "warning", "critical", "question",
                                         "about")},
    "getOpenFileName": ((1, 3), ("caption", "filter")),
    "getSaveFileName": ((1, 3), ("caption", "filter")),
    **{name: ((0,), ("text", "title")) for name in (
        "QAction", "QMenu", "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox",
        "QDockWidget", "QToolBar", "QToolButton", "ElidedLabel", "QMessageBox")},
    # the window's own helpers that pass their text on to Qt (gui/menus.py, player_widget.py)
    "_action": ((1, 4), ("text", "tip")), "_menu": ((2,), ()), "_keep": ((3,), ()),
    "_button": ((1,), ()),
}
#: what marks a text for translation (lupdate reads these names)
TRANSLATORS = {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP", "N", "_tr", "_run_tr"}
#: texts that stay as they are in every language: names, not words
KEPT = {"gradtrace", "AccumulateGrad"}
#: gui/ files printing to the terminal: their print() texts are read too
CLI_FILES = {"__main__.py"}


def _is_translated(node: ast.AST) -> bool:
    """A call of a translator, or `.format(...)` / `.join(...)` / `+` of translated texts."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in TRANSLATORS:
            return True
        if isinstance(func, ast.Attribute) and func.attr in ("format", "join", "replace"):
            return _is_translated(func.value) or not _words(func.value)
    return False


def _words(node: ast.AST) -> list[str]:
    """The English words written literally in expression `node` and not translated."""
    if _is_translated(node):
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = re.sub(r"\{[^}]*\}", "", node.value)
        for name in KEPT:
            text = text.replace(name, "")
        return [node.value] if re.search(r"[A-Za-z]{2,}", text) else []
    if isinstance(node, ast.JoinedStr):
        return [part for v in node.values for part in _words(v)]
    if isinstance(node, ast.BinOp):
        return _words(node.left) + _words(node.right)
    if isinstance(node, ast.IfExp):
        return _words(node.body) + _words(node.orelse)
    if isinstance(node, ast.FormattedValue):
        return _words(node.value)
    if isinstance(node, (ast.Tuple, ast.List)):
        return [w for e in node.elts for w in _words(e)]
    return []


def untranslated(source: str, filename: str = "<text>", cli: bool = False) -> list[str]:
    """`file:line: text` for each literal English text passed to a Qt text sink unwrapped."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if cli and name == "print":
            args = list(node.args)
        elif name in SINKS:
            positions, keywords = SINKS[name]
            args = [a for i, a in enumerate(node.args) if positions is None or i in positions]
            args += [k.value for k in node.keywords if k.arg in keywords]
        else:
            continue
        for arg in args:
            found += [f"{filename}:{node.lineno}: {text!r}" for text in _words(arg)]
    return found


def test_the_scan_finds_unwrapped_texts():
    """The scan itself: literal, f-string, concatenated and helper texts are caught, the
    translated ones pass."""
    bad = '''
QLabel("Hello world", self)
self.statusBar().showMessage(f"Saved {path}", 3000)
box.setToolTip("Click " + name)
QMessageBox.warning(self, "Save failed", str(exc))
_action(w, "&New", w.new_script, None, "Make a new script")
label.setText("done" if ok else self.tr("failed"))
'''
    good = '''
QLabel(self.tr("Hello world"), self)
self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 3000)
QMessageBox.warning(self, self.tr("Save failed"), str(exc))
_action(w, N("MainWindow", "&New"), w.new_script, None, N("MainWindow", "Make one"))
label.setText(QCoreApplication.translate("Ctx", "x {n}").format(n=name))
label.setText(f"{pos + 1}/{n}  {label}")
QLabel("gradtrace", self)
'''
    assert len(untranslated(bad)) == 7
    assert untranslated(good) == []
    assert untranslated('print(f"gradtrace: cannot open {x}")', cli=True)


def test_every_user_visible_text_in_gui_is_translated():
    found = []
    for path in sorted(GUI.glob("*.py")):
        found += untranslated(path.read_text(encoding="utf-8"), path.name,
                              cli=path.name in CLI_FILES)
    assert found == [], "texts shown untranslated:\n" + "\n".join(found)


def lost_plurals(source: str, filename: str = "<text>") -> list[str]:
    """`file:line` of each count shown without Qt's plural forms: `translate(..., n)` (lupdate
    files it without plural forms; use tr() or model/i18n.Context) and a singular and a
    plural text chosen by `n == 1`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            literal = len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
            if name == "translate" and literal and (len(node.args) > 3 or any(
                    k.arg == "n" for k in node.keywords)):
                found.append(f"{filename}:{node.lineno}: translate() with a count")
        elif isinstance(node, ast.IfExp) and isinstance(node.test, ast.Compare) and \
                any(isinstance(c, ast.Constant) and c.value == 1 for c in node.test.comparators) \
                and _translated_somewhere(node.body) and _translated_somewhere(node.orelse):
            found.append(f"{filename}:{node.lineno}: two texts for one and many")
    return found


def _translated_somewhere(node: ast.AST) -> bool:
    return any(_is_translated(n) for n in ast.walk(node))


def test_the_plural_scan_finds_counts_without_plural_forms():
    bad = '''
a = QCoreApplication.translate("Ctx", "%n nodes", "", n)
b = translate("Ctx", "%n nodes", n=n)
c = translate("Ctx", "1 node") if n == 1 else translate("Ctx", "{n} nodes").format(n=n)
'''
    good = '''
a = self.tr("%n nodes", "", n)
b = GraphItems.tr("%n nodes", "", n)
c = self.tr("(input {k})").format(k=k) if len(inputs) > 1 else ""
'''
    assert len(lost_plurals(bad)) == 3
    assert lost_plurals(good) == []


def test_every_count_in_gui_has_plural_forms():
    found = []
    for path in sorted(GUI.rglob("*.py")):
        found += lost_plurals(path.read_text(encoding="utf-8"), str(path.relative_to(GUI)))
    assert found == [], "counts without plural forms:\n" + "\n".join(found)


@pytest.fixture(scope="module")
def fresh_translations(tmp_path_factory):
    """pyside6-lupdate and lrelease run over the code now, into a copy of the .ts files."""
    folder = tmp_path_factory.mktemp("translations")
    for language in i18n_build.LANGUAGES:
        shutil.copy(i18n_build.ts_path(language), i18n_build.ts_path(language, folder))
    i18n_build.update(folder)
    i18n_build.release(folder)
    return folder


@pytest.mark.parametrize("language", i18n_build.LANGUAGES)
def test_ts_files_are_up_to_date_with_the_code(fresh_translations, language):
    """A text added, changed or removed in gui/ without `make translations` fails here."""
    committed = i18n_build.ts_path(language).read_text(encoding="utf-8")
    fresh = i18n_build.ts_path(language, fresh_translations).read_text(encoding="utf-8")
    assert fresh == committed, (f"resources/translations/gradtrace_{language}.ts is out of "
                                "date with the code: run `make translations` and translate "
                                "what it added")


@pytest.mark.parametrize("language", i18n_build.LANGUAGES)
def test_qm_files_are_compiled_from_the_ts_files(fresh_translations, language):
    committed = i18n_build.ts_path(language).with_suffix(".qm").read_bytes()
    fresh = i18n_build.ts_path(language, fresh_translations).with_suffix(".qm").read_bytes()
    assert fresh == committed, f"gradtrace_{language}.qm is stale: run `make translations`"

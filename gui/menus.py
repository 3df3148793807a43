"""The main window's actions, menus and toolbar, with their standard shortcuts. Each action only
calls a window method; what happens lives in the window and the models."""
from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QStyle, QToolBar, QWidget

from . import i18n
from .i18n import LANGUAGES

# Every text here is marked with QT_TRANSLATE_NOOP("MainWindow", ...), imported as N (lupdate
# runs with -tr-function-alias QT_TRANSLATE_NOOP+=N), and translated when shown:
# `retranslate_menus` shows them again after a language switch.
CONTEXT = "MainWindow"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _action(window, text, slot=None, shortcut=None, tip=None, icon=None, checkable=False):
    """A window action with `text` and `tip`, sources marked with N(...), translated now and
    again by `retranslate_menus`."""
    action = QAction(window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    if checkable:
        action.setCheckable(True)
    window.__dict__.setdefault("_translated_actions", []).append((action, text, tip, shortcut))
    _translate_action(action, text, tip, shortcut)
    if slot is not None:
        (action.toggled if checkable else action.triggered).connect(slot)
    window.addAction(action)
    return action


def _translate_action(action, text, tip, shortcut) -> None:
    if isinstance(text, tuple):   # (source with {fmt}, its fields)
        shown = _tr(text[0]).format(**text[1])
    else:
        shown = _tr(text)
    action.setText(shown)
    tip = _tr(tip) if tip else shown.replace("&", "")
    if shortcut is not None:
        keys = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        tip = f"{tip} ({keys})" if keys else tip
    action.setToolTip(tip)
    action.setStatusTip(tip)


def _menu(window, parent, title: str):
    """`parent.addMenu` with the translated `title` (source marked with N), kept for
    `retranslate_menus`."""
    menu = parent.addMenu(_tr(title))
    window.__dict__.setdefault("_translated_menus", []).append((menu, title))
    return menu


def _keep(window, widget, setter: str, text: str) -> None:
    """`widget.<setter>(text translated)`, again at each `retranslate_menus`."""
    getattr(widget, setter)(_tr(text))
    window.__dict__.setdefault("_translated_widgets", []).append((widget, setter, text))


def retranslate_menus(window) -> None:
    """Show every action, menu and toolbar text of `window` in the language now installed."""
    for action, text, tip, shortcut in window.__dict__.get("_translated_actions", []):
        _translate_action(action, text, tip, shortcut)
    for menu, title in window.__dict__.get("_translated_menus", []):
        menu.setTitle(_tr(title))
    for widget, setter, text in window.__dict__.get("_translated_widgets", []):
        getattr(widget, setter)(_tr(text))


def build_actions(w) -> SimpleNamespace:
    """Create every QAction of window `w` (a MainWindow)."""
    sp = QStyle.StandardPixmap
    ks = QKeySequence.StandardKey
    a = SimpleNamespace()
    a.new = _action(w, N("MainWindow", "&New"), w.new_script, ks.New, icon=sp.SP_FileIcon)
    a.open = _action(w, N("MainWindow", "&Open…"), w.open_script_dialog, ks.Open,
                     icon=sp.SP_DialogOpenButton)
    a.save = _action(w, N("MainWindow", "&Save"), w.save_script, ks.Save,
                     icon=sp.SP_DialogSaveButton)
    a.save_as = _action(w, N("MainWindow", "Save &As…"), w.save_script_as, ks.SaveAs)
    a.save_recording = _action(
        w, N("MainWindow", "Save &recording…"), w.save_recording_dialog, None,
        N("MainWindow", "Save the run (graph, statements, every backward step's gradients) as a "
                        ".gtrace file to open later or send to someone"))
    a.save_recording.setEnabled(False)
    a.export = {fmt: _action(w, (N("MainWindow", "Export graph as {fmt}…"),
                                  {"fmt": fmt.upper()}),
                             lambda _=False, f=fmt: w.export_dialog(f))
                for fmt in ("png", "svg", "dot", "json")}
    a.quit = _action(w, N("MainWindow", "&Quit"), w.close, ks.Quit)

    a.find = _action(w, N("MainWindow", "&Find in graph…"), w.focus_search, ks.Find)

    a.run = _action(w, N("MainWindow", "&Run"), w.run_script, "F5",
                    N("MainWindow", "Run the whole script"), icon=sp.SP_MediaPlay)
    a.step = _action(w, N("MainWindow", "&Step"), w.step_script, "F10",
                     N("MainWindow", "Step over: run the next statement (a whole loop); the "
                                     "graph grows with it"),
                     icon=sp.SP_ArrowRight)
    a.step_into = _action(w, N("MainWindow", "Step &into"), w.step_into, "F11",
                          N("MainWindow", "Step into: run one iteration of the loop at the "
                                          "next statement"),
                          icon=sp.SP_ArrowDown)
    a.step_out = _action(w, N("MainWindow", "Step o&ut"), w.step_out, "Shift+F11",
                         N("MainWindow", "Step out: run the rest of the loop stepped into, "
                                         "else to the end"))
    a.stop = _action(w, N("MainWindow", "S&top"), w.cancel_job, "Shift+F5",
                     N("MainWindow", "Stop the run or layout in progress"),
                     icon=sp.SP_BrowserStop)
    a.stop.setEnabled(False)
    a.limits = _action(w, N("MainWindow", "&Limits…"), w.edit_limits, None,
                       N("MainWindow", "The time budget and the memory cap of each run"))
    a.compare = _action(w, N("MainWindow", "&Compare engines…"), w.compare_engines, None,
                        N("MainWindow", "Run the script on gradtrace's engine and on PyTorch "
                                        "and list where names, values and gradients differ, "
                                        "node by node, with a finite-difference check"))

    a.fit = _action(w, N("MainWindow", "&Fit graph to view"),
                    lambda: w.graph_view.fit_to_view(), "Ctrl+0",
                    N("MainWindow", "The whole graph when its labels stay readable, else "
                                    "readable around the active node or the output"))
    a.fit_all = _action(w, N("MainWindow", "Fit &all"), lambda: w.graph_view.fit_all(),
                        "Ctrl+Alt+0",
                        N("MainWindow", "The whole graph in view, however small"))
    a.zoom_in = _action(w, N("MainWindow", "Zoom &in"), lambda: w.graph_view.zoom_by(1.25),
                        ks.ZoomIn)
    a.zoom_out = _action(w, N("MainWindow", "Zoom &out"), lambda: w.graph_view.zoom_by(0.8),
                         ks.ZoomOut)
    a.direction = _action(w, N("MainWindow", "Left to right"), w.set_direction_lr, "Ctrl+L",
                          N("MainWindow", "Lay the graph out left to right instead of top to "
                                          "bottom"),
                          checkable=True)
    a.show_saved = _action(w, N("MainWindow", "Show saved tensors"), w.set_show_saved, None,
                           N("MainWindow", "Draw the tensors each backward function saved"),
                           checkable=True)
    a.legend = _action(w, N("MainWindow", "Show legend"), w.graph_view.legend.setVisible, None,
                       checkable=True)
    a.hide_no_grad = _action(w, N("MainWindow", "Hide constants and no-grad nodes"),
                             w.set_hide_no_grad, None,
                             N("MainWindow", "Leave out the constants and the tensors and "
                               "functions that need no gradient (exports still write every "
                               "node)"), checkable=True)
    a.expand_all = _action(w, N("MainWindow", "&Expand all groups"), w.expand_all_groups, None,
                           N("MainWindow", "Draw every collapsed group's nodes again"))
    a.legend.setChecked(True)
    a.overview = _action(w, N("MainWindow", "Show overview"), w.set_overview_shown, None,
                         N("MainWindow", "The whole graph in miniature in the view's corner: "
                           "drag its rectangle to move the view"), checkable=True)
    a.theme_group = QActionGroup(w)
    a.themes = {}
    for name, title in (("system", N("MainWindow", "Follow system")),
                        ("light", N("MainWindow", "Light")), ("dark", N("MainWindow", "Dark"))):
        act = _action(w, title, lambda on, n=name: on and w.set_theme_choice(n), checkable=True)
        a.theme_group.addAction(act)
        a.themes[name] = act

    a.language_group = QActionGroup(w)
    a.languages = {}
    for code, name in LANGUAGES.items():   # each in its own language, never translated
        act = QAction(name, w)
        act.setCheckable(True)
        act.toggled.connect(lambda on, c=code: on and c != i18n.current() and w.set_language(c))
        a.language_group.addAction(act)
        a.languages[code] = act

    p = w.player_widget
    a.play = p.play_action
    a.step_back = p.back_action
    a.step_forward = p.forward_action
    a.to_start = p.start_action
    a.to_end = p.end_action
    a.break_nan = _action(w, N("MainWindow", "Break on NaN/inf"), p.set_break_on_nonfinite,
                          None, N("MainWindow", "Stop playback where a gradient becomes NaN or "
                                                "inf"),
                          checkable=True)
    p.nan_box.toggled.connect(a.break_nan.setChecked)

    a.gpu = _action(w, N("MainWindow", "GPU"), w.set_gpu, None,
                    N("MainWindow", "Run the script on the GPU"), checkable=True)
    a.engine_group = QActionGroup(w)
    a.engines = {}
    for name, title in (("gradtrace", N("MainWindow", "gradtrace")),
                        ("torch", N("MainWindow", "PyTorch"))):
        act = _action(w, title, lambda on, n=name: on and w.set_engine(n), checkable=True)
        a.engine_group.addAction(act)
        a.engines[name] = act
    a.help_guide = _action(w, N("MainWindow", "gradtrace &help"),
                           lambda: w.show_help("index.html"), ks.HelpContents,
                           N("MainWindow", "The user guide, after the README's sections"))
    a.help_shortcuts = _action(w, N("MainWindow", "&Keyboard shortcuts"),
                               lambda: w.show_help("shortcuts.html"), None,
                               N("MainWindow", "Every shortcut, read from the menus"))
    a.help_graph = _action(w, N("MainWindow", "How to &read the graph"),
                           lambda: w.show_help("reading_the_graph.html"), None,
                           N("MainWindow", "What each colour, border, edge label and pulse means"))
    a.help_glossary = _action(w, N("MainWindow", "&Glossary"),
                              lambda: w.show_help("glossary.html"), None,
                              N("MainWindow", "The Chinese terms with PyTorch's English names"))
    a.tour = _action(w, N("MainWindow", "&Tour"), lambda: w.tour.start(), None,
                     N("MainWindow", "A guided walk through PyTorch's autograd tutorial, in "
                                     "the app"))
    a.about = _action(w, N("MainWindow", "&About gradtrace"), w.show_about)
    a.about_qt = _action(w, N("MainWindow", "About &Qt"), w.show_about_qt)
    return a


def build_menus(w, a: SimpleNamespace) -> None:
    bar = w.menuBar()
    file = _menu(w, bar, N("MainWindow", "&File"))
    for act in (a.new, a.open):
        file.addAction(act)
    w.recent_menu = _menu(w, file, N("MainWindow", "Open &Recent"))
    w.examples_menu = _menu(w, file, N("MainWindow", "&Examples"))
    file.addSeparator()
    file.addAction(a.save)
    file.addAction(a.save_as)
    file.addAction(a.save_recording)
    export = _menu(w, file, N("MainWindow", "&Export graph"))
    for act in a.export.values():
        export.addAction(act)
    file.addSeparator()
    file.addAction(a.quit)

    edit = _menu(w, bar, N("MainWindow", "&Edit"))
    ed = w.script_panel.editor
    for title, slot, key in ((N("MainWindow", "&Undo"), ed.undo, QKeySequence.StandardKey.Undo),
                             (N("MainWindow", "&Redo"), ed.redo, QKeySequence.StandardKey.Redo),
                             (None, None, None),
                             (N("MainWindow", "Cu&t"), ed.cut, QKeySequence.StandardKey.Cut),
                             (N("MainWindow", "&Copy"), ed.copy, QKeySequence.StandardKey.Copy),
                             (N("MainWindow", "&Paste"), ed.paste, QKeySequence.StandardKey.Paste),
                             (N("MainWindow", "Select &All"), ed.selectAll,
                              QKeySequence.StandardKey.SelectAll)):
        if title is None:
            edit.addSeparator()
            continue
        act = edit.addAction("")
        _keep(w, act, "setText", title)
        act.setShortcut(QKeySequence(key))
        act.setShortcutContext(act.shortcutContext().WidgetShortcut)
        act.triggered.connect(slot)
    edit.addSeparator()
    edit.addAction(a.find)

    run = _menu(w, bar, N("MainWindow", "&Run"))
    for act in (a.run, a.step, a.step_into, a.step_out, a.stop):
        run.addAction(act)
    run.addAction(a.limits)
    run.addSeparator()
    run.addAction(a.compare)
    run.addSeparator()
    run.addAction(a.gpu)
    engine = _menu(w, run, N("MainWindow", "&Engine"))
    for act in a.engines.values():
        engine.addAction(act)

    play = _menu(w, bar, N("MainWindow", "&Playback"))
    for act in (a.play, a.step_back, a.step_forward, a.to_start, a.to_end):
        play.addAction(act)
    play.addSeparator()
    play.addAction(a.break_nan)

    view = _menu(w, bar, N("MainWindow", "&View"))
    for act in (a.fit, a.fit_all, a.zoom_in, a.zoom_out):
        view.addAction(act)
    view.addSeparator()
    view.addAction(a.direction)
    view.addAction(a.show_saved)
    view.addAction(a.hide_no_grad)
    w.depth_menu = _menu(w, view, N("MainWindow", "&Collapse to depth"))
    w.depth_menu.aboutToShow.connect(w.fill_depth_menu)
    view.addAction(a.expand_all)
    view.addAction(a.legend)
    view.addAction(a.overview)
    theme = _menu(w, view, N("MainWindow", "&Theme"))
    for act in a.themes.values():
        theme.addAction(act)
    language = _menu(w, view, N("MainWindow", "&Language"))
    for act in a.languages.values():
        language.addAction(act)
    view.addSeparator()
    w.docks_menu = _menu(w, view, N("MainWindow", "&Panels"))

    help_ = _menu(w, bar, N("MainWindow", "&Help"))
    for act in (a.help_guide, a.help_shortcuts, a.help_graph, a.help_glossary):
        help_.addAction(act)
    help_.addAction(a.tour)
    help_.addSeparator()
    help_.addAction(a.about)
    help_.addAction(a.about_qt)


def build_toolbar(w, a: SimpleNamespace) -> QToolBar:
    bar = QToolBar(w)
    _keep(w, bar, "setWindowTitle", N("MainWindow", "Main toolbar"))
    bar.setObjectName("main_toolbar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for act in (a.run, a.step, a.step_into, a.stop):
        bar.addAction(act)
    bar.addSeparator()
    bar.addAction(a.fit)
    a.direction_button = bar.addAction(a.direction)
    bar.addSeparator()
    w.search_field = QLineEdit(bar)
    _keep(w, w.search_field, "setPlaceholderText", N("MainWindow", "Find node (Ctrl+F)"))
    w.search_field.setClearButtonEnabled(True)
    w.search_field.setMaximumWidth(220)
    w.search_field.returnPressed.connect(w.search_graph)
    w.search_field.textChanged.connect(w.search_graph_live)
    bar.addWidget(w.search_field)
    w.search_status = QLabel("", bar)
    w.search_status.setMinimumWidth(80)
    bar.addWidget(w.search_status)
    spacer = QWidget(bar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    engine = QLabel(bar)
    _keep(w, engine, "setText", N("MainWindow", " Engine: "))
    bar.addWidget(engine)
    for act in a.engines.values():
        bar.addAction(act)
    bar.addSeparator()
    device = QLabel(bar)
    _keep(w, device, "setText", N("MainWindow", " Device: "))
    bar.addWidget(device)
    bar.addAction(a.gpu)
    return bar

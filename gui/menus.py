"""The main window's actions, menus and toolbar, with their standard shortcuts. Each action only
calls a window method; what happens lives in the window and the models."""
from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QStyle, QToolBar, QWidget


def _action(window, text, slot=None, shortcut=None, tip=None, icon=None, checkable=False):
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    if checkable:
        action.setCheckable(True)
    tip = tip or text.replace("&", "")
    if shortcut is not None:
        keys = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        tip = f"{tip} ({keys})" if keys else tip
    action.setToolTip(tip)
    action.setStatusTip(tip)
    if slot is not None:
        (action.toggled if checkable else action.triggered).connect(slot)
    window.addAction(action)
    return action


def build_actions(w) -> SimpleNamespace:
    """Create every QAction of window `w` (a MainWindow)."""
    sp = QStyle.StandardPixmap
    ks = QKeySequence.StandardKey
    a = SimpleNamespace()
    a.new = _action(w, "&New", w.new_script, ks.New, icon=sp.SP_FileIcon)
    a.open = _action(w, "&Open…", w.open_script_dialog, ks.Open, icon=sp.SP_DialogOpenButton)
    a.save = _action(w, "&Save", w.save_script, ks.Save, icon=sp.SP_DialogSaveButton)
    a.save_as = _action(w, "Save &As…", w.save_script_as, ks.SaveAs)
    a.export = {fmt: _action(w, f"Export graph as {fmt.upper()}…",
                             lambda _=False, f=fmt: w.export_dialog(f))
                for fmt in ("png", "svg", "dot", "json")}
    a.quit = _action(w, "&Quit", w.close, ks.Quit)

    a.find = _action(w, "&Find in graph…", w.focus_search, ks.Find)

    a.run = _action(w, "&Run", w.run_script, "F5", "Run the whole script",
                    icon=sp.SP_MediaPlay)
    a.step = _action(w, "&Step", w.step_script, "F10",
                     "Step over: run the next statement (a whole loop); the graph grows with it",
                     icon=sp.SP_ArrowRight)
    a.step_into = _action(w, "Step &into", w.step_into, "F11",
                          "Step into: run one iteration of the loop at the next statement",
                          icon=sp.SP_ArrowDown)
    a.step_out = _action(w, "Step o&ut", w.step_out, "Shift+F11",
                         "Step out: run the rest of the loop stepped into, else to the end")
    a.stop = _action(w, "S&top", w.cancel_job, "Shift+F5", "Stop the run or layout in progress",
                     icon=sp.SP_BrowserStop)
    a.stop.setEnabled(False)

    a.fit = _action(w, "&Fit graph to view", lambda: w.graph_view.fit_to_view(), "Ctrl+0")
    a.zoom_in = _action(w, "Zoom &in", lambda: w.graph_view.zoom_by(1.25), ks.ZoomIn)
    a.zoom_out = _action(w, "Zoom &out", lambda: w.graph_view.zoom_by(0.8), ks.ZoomOut)
    a.direction = _action(w, "Left to right", w.set_direction_lr, "Ctrl+L",
                          "Lay the graph out left to right instead of top to bottom",
                          checkable=True)
    a.show_saved = _action(w, "Show saved tensors", w.set_show_saved, None,
                           "Draw the tensors each backward function saved", checkable=True)
    a.legend = _action(w, "Show legend", w.graph_view.legend.setVisible, None, checkable=True)
    a.legend.setChecked(True)
    a.overview = _action(w, "Show overview", w.set_overview_shown, None,
                         "The whole graph in miniature in the view's corner: drag its "
                         "rectangle to move the view", checkable=True)
    a.theme_group = QActionGroup(w)
    a.themes = {}
    for name, title in (("system", "Follow system"), ("light", "Light"), ("dark", "Dark")):
        act = _action(w, title, lambda on, n=name: on and w.set_theme_choice(n), checkable=True)
        a.theme_group.addAction(act)
        a.themes[name] = act

    p = w.player_widget
    a.play = p.play_action
    a.step_back = p.back_action
    a.step_forward = p.forward_action
    a.to_start = p.start_action
    a.to_end = p.end_action
    a.break_nan = _action(w, "Break on NaN/inf", p.set_break_on_nonfinite, None,
                          "Stop playback where a gradient becomes NaN or inf", checkable=True)
    p.nan_box.toggled.connect(a.break_nan.setChecked)

    a.gpu = _action(w, "GPU", w.set_gpu, None, "Run the script on the GPU", checkable=True)
    a.help_guide = _action(w, "gradtrace &help", lambda: w.show_help("index.html"),
                           ks.HelpContents, "The user guide, after the README's sections")
    a.help_shortcuts = _action(w, "&Keyboard shortcuts", lambda: w.show_help("shortcuts.html"),
                               None, "Every shortcut, read from the menus")
    a.help_graph = _action(w, "How to &read the graph",
                           lambda: w.show_help("reading_the_graph.html"), None,
                           "What each colour, border, edge label and pulse means")
    a.about = _action(w, "&About gradtrace", w.show_about)
    a.about_qt = _action(w, "About &Qt", w.show_about_qt)
    return a


def build_menus(w, a: SimpleNamespace) -> None:
    bar = w.menuBar()
    file = bar.addMenu("&File")
    for act in (a.new, a.open):
        file.addAction(act)
    w.recent_menu = file.addMenu("Open &Recent")
    w.examples_menu = file.addMenu("&Examples")
    file.addSeparator()
    file.addAction(a.save)
    file.addAction(a.save_as)
    export = file.addMenu("&Export graph")
    for act in a.export.values():
        export.addAction(act)
    file.addSeparator()
    file.addAction(a.quit)

    edit = bar.addMenu("&Edit")
    ed = w.script_panel.editor
    for title, slot, key in (("&Undo", ed.undo, QKeySequence.StandardKey.Undo),
                             ("&Redo", ed.redo, QKeySequence.StandardKey.Redo),
                             (None, None, None),
                             ("Cu&t", ed.cut, QKeySequence.StandardKey.Cut),
                             ("&Copy", ed.copy, QKeySequence.StandardKey.Copy),
                             ("&Paste", ed.paste, QKeySequence.StandardKey.Paste),
                             ("Select &All", ed.selectAll, QKeySequence.StandardKey.SelectAll)):
        if title is None:
            edit.addSeparator()
            continue
        act = edit.addAction(title)
        act.setShortcut(QKeySequence(key))
        act.setShortcutContext(act.shortcutContext().WidgetShortcut)
        act.triggered.connect(slot)
    edit.addSeparator()
    edit.addAction(a.find)

    run = bar.addMenu("&Run")
    for act in (a.run, a.step, a.step_into, a.step_out, a.stop):
        run.addAction(act)
    run.addSeparator()
    run.addAction(a.gpu)

    play = bar.addMenu("&Playback")
    for act in (a.play, a.step_back, a.step_forward, a.to_start, a.to_end):
        play.addAction(act)
    play.addSeparator()
    play.addAction(a.break_nan)

    view = bar.addMenu("&View")
    for act in (a.fit, a.zoom_in, a.zoom_out):
        view.addAction(act)
    view.addSeparator()
    view.addAction(a.direction)
    view.addAction(a.show_saved)
    view.addAction(a.legend)
    view.addAction(a.overview)
    theme = view.addMenu("&Theme")
    for act in a.themes.values():
        theme.addAction(act)
    view.addSeparator()
    w.docks_menu = view.addMenu("&Panels")

    help_ = bar.addMenu("&Help")
    for act in (a.help_guide, a.help_shortcuts, a.help_graph):
        help_.addAction(act)
    help_.addSeparator()
    help_.addAction(a.about)
    help_.addAction(a.about_qt)


def build_toolbar(w, a: SimpleNamespace) -> QToolBar:
    bar = QToolBar("Main toolbar", w)
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
    w.search_field.setPlaceholderText("Find node (Ctrl+F)")
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
    bar.addWidget(QLabel(" Device: ", bar))
    bar.addAction(a.gpu)
    return bar

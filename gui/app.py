"""The main window: script editor (left), graph view with the player (centre), inspector
(right), console (bottom). It wires the widgets to each other and to the models; the widgets
never reach into one another."""
from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from . import collector, fonts, i18n, pipeline
from .console import ConsoleView
from .differences import DifferencesControl, DifferencesPanel
from .editor import ScriptPanel
from .engine_control import EngineControl
from .graph_view import GraphView
from .group_control import GroupControl
from .inspector import Inspector
from .menus import build_actions, build_menus, build_toolbar, retranslate_menus
from .model.i18n import retranslate
from .model.script_text import read_script
from .player_widget import PlayerWidget
from .recording_files import RecordingFiles
from .render import export_graph
from .run_control import BackwardDone, RunControl, no_live_run
from .script_files import ScriptFiles, tutorial_text
from .settings import AppSettings
from .source_links import SourceLinks
from .theme import resolve_theme, widget_palette
from .timeline_list import TimelineList
from .tour import install as install_tour
from .trash_timer import TrashTimer
from .workers import JobQueue


class MainWindow(ScriptFiles, RecordingFiles, EngineControl, RunControl, GroupControl,
                 DifferencesControl, QMainWindow):
    """The gradtrace window. `run_script()` / `step_script()` start a background job;
    `documentReady` fires when its graph is on screen."""

    documentReady = Signal(object)   # GraphDocument
    backwardRecorded = Signal(bool)  # "Run backward from here" ended: its steps added or not
    jobFailed = Signal(str)
    closed = Signal()

    def __init__(self, settings: QSettings | AppSettings | None = None, viewer: bool = False):
        super().__init__()
        collector.hold(self)   # cycles collected in this thread only: Qt objects die here
        self.settings = settings if isinstance(settings, AppSettings) else AppSettings(settings)
        if viewer:
            self.settings.window_group = "viewer"
        self.viewer = viewer
        i18n.ensure_installed(self.settings.language)
        fonts.ensure_chinese_font()   # the bundled one when the machine has no Chinese font
        self.setWindowTitle("gradtrace")
        self.resize(1440, 880)
        self.theme = resolve_theme(self.settings.theme)
        self.document: pipeline.GraphDocument | None = None
        self.path: str | None = None
        self.example_name: str | None = None   # the example shown, while it has no file
        self.direction = self.settings.direction
        self.breakpoints: set[str] = set()
        self._session = None
        self._session_source: str | None = None
        self._fit_next = True
        self._focus_graph_next = False   # after a run or step: the player's keys work at once
        self.inspected: str | None = None   # the node the inspector shows
        self._views_before_collapse: dict = {}   # group -> the view before it was collapsed
        self._view_after = None   # what the next document does to the view (group toggles)

        self.graph_view = GraphView(self, self.theme)
        # what a new graph replaces is freed bit by bit once the new one is built, while no
        # job runs (its thread would wait for the GIL)
        scene = self.graph_view.graph_scene
        self.trash = scene.trash = TrashTimer(
            self, busy=lambda: scene.building or self.jobs.busy)
        self.graph_view.set_placeholder(self._start_hint())
        self.player_widget = PlayerWidget(self)
        central = QWidget(self)
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.graph_view, 1)
        box.addWidget(self.player_widget)
        self.setCentralWidget(central)

        self.script_panel = ScriptPanel(self, self.theme)
        self.script_dock = self._dock(N("MainWindow", "Script"), "script_dock", self.script_panel,
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inspector = Inspector(self)
        self.inspector_dock = self._dock(N("MainWindow", "Inspector"), "inspector_dock",
                                         self.inspector,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.console = ConsoleView(self)
        self.timeline_list = TimelineList(self)
        self.bottom_tabs = QTabWidget(self)
        self.bottom_tabs.addTab(self.console, "")
        self.bottom_tabs.addTab(self.timeline_list, "")
        self.differences = DifferencesPanel(self)   # Run > Compare engines…
        self.bottom_tabs.addTab(self.differences, "")
        self.console_dock = self._dock(N("MainWindow", "Output"), "console_dock", self.bottom_tabs,
                                       Qt.DockWidgetArea.BottomDockWidgetArea)
        self.resizeDocks([self.script_dock, self.inspector_dock], [430, 370],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.console_dock], [150], Qt.Orientation.Vertical)

        self.jobs = JobQueue(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self._phase_message: str | None = None   # the status bar's text for the job's phase
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel_job)
        self.cancel_button.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)

        self.actions_ = build_actions(self)
        build_menus(self, self.actions_)
        self.addToolBar(build_toolbar(self, self.actions_))
        for dock in (self.script_dock, self.inspector_dock, self.console_dock):
            self.docks_menu.addAction(dock.toggleViewAction())
        self._retranslate_tabs()
        self._wire()
        install_tour(self)   # Help > Tour, and its first-start offer above the graph
        self._update_export_actions()
        self._restore_settings()
        self._update_device_action()
        self._init_engine()
        self._apply_theme()
        if not viewer and self.in_child:
            from .model.child import warm_up
            warm_up(self.engine)   # a spare process with the engine imported: F5 starts at once
        if viewer:
            self.script_dock.hide()
            for act in (self.actions_.run, self.actions_.step, self.actions_.step_into,
                        self.actions_.step_out, self.actions_.gpu, self.actions_.compare):
                act.setEnabled(False)
            self.graph_view.set_placeholder("")

    def _start_hint(self) -> str:
        return self.tr("Press F5 to run the script, F10 to step through it (F11 steps into a "
                       "loop).")

    def _retranslate_tabs(self) -> None:
        self.bottom_tabs.setTabText(0, self.tr("Console"))
        self.bottom_tabs.setTabText(1, self.tr("Timeline"))
        self.bottom_tabs.setTabText(2, self.tr("Differences"))

    # ------------------------------------------------------------------ language
    def set_language(self, language: str) -> None:
        """View > Language: "en", "zh_CN", "zh_TW" or "system"; switches at once (every widget
        gets LanguageChange) and is remembered."""
        self.settings.language = language
        i18n.install(language)
        for code, act in self.actions_.languages.items():
            act.setChecked(code == i18n.current())

    def show_status(self, text: Callable[[], str], timeout: int = 0) -> None:
        """Show ``text()`` in the status bar for ``timeout`` ms (0: until replaced); made
        again in the new language when View > Language switches while it is still shown."""
        shown = text()
        self._status = (text, shown, timeout)
        self.statusBar().showMessage(shown, timeout)

    def _retranslate_status(self) -> None:
        text, shown, timeout = getattr(self, "_status", (None, None, 0))
        if text is not None and shown and self.statusBar().currentMessage() == shown:
            self.show_status(text, timeout)

    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _retranslate_views(self) -> None:
        self.graph_view.graph_scene.retranslate()
        self._retranslate_examples_menu()

    def retranslate(self) -> None:
        """Every text of the window in the language now installed (the widgets inside
        re-translate their own on the same LanguageChange)."""
        retranslate_menus(self)
        self._retranslate_status()
        # the boxes' words ("scalar", "(call 2)") and the examples' titles, once this event
        # has reached every widget (a timer with the window as context: none if it is gone)
        QTimer.singleShot(0, self, self._retranslate_views)
        for dock in (self.script_dock, self.inspector_dock, self.console_dock):
            dock.setWindowTitle(self.tr(dock.property("title_source")))
        self._retranslate_tabs()
        self.cancel_button.setText(self.tr("Cancel"))
        if self.progress.isVisible():
            self.progress.setFormat(retranslate(self.progress.format()))
        doc = self.document
        if self.viewer:
            self.graph_view.set_placeholder("")
        elif doc is None:
            self.graph_view.set_placeholder(self._start_hint())
        elif doc.graph is None or not len(doc.graph):
            self.graph_view.set_placeholder(self.tr("Nothing to draw yet: no tensor was made."))
        self._describe_device()
        self._describe_engine()
        if self.search_field.text():
            self.search_graph_live(self.search_field.text())
        if doc is not None:
            row = self.timeline_list.currentRow()
            self._fill_timeline_list(doc.timeline)
            self.timeline_list.blockSignals(True)
            self.timeline_list.setCurrentRow(row)
            self.timeline_list.blockSignals(False)
        self._refresh_inspector()
        self.graph_view.legend.refresh()
        error = doc.error if doc is not None else None
        if error is not None and self.script_panel.error_banner.isVisibleTo(self):
            self.script_panel.show_error(getattr(error, "lineno", None), str(error))

    def _dock(self, title: str, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(self.tr(title), self)
        dock.setProperty("title_source", title)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _wire(self) -> None:
        view, player = self.graph_view, self.player_widget
        view.nodeSelected.connect(self._on_node_selected)
        view.inspectRequested.connect(self._on_node_selected)
        view.breakpointToggled.connect(self.set_breakpoint)
        view.groupToggled.connect(self.toggle_group)
        view.alikeToggled.connect(self.toggle_alike)
        view.depthRequested.connect(self.collapse_to_depth)
        view.expandAllRequested.connect(self.expand_all_groups)
        view.backwardRequested.connect(self.run_backward_from)
        self.differences.targetRequested.connect(self._on_difference_target)
        view.legend.collapsedChanged.connect(self._on_legend_collapsed)
        self.source_links = SourceLinks(self)   # node <-> the editor lines that made it
        player.stateChanged.connect(self._on_state_changed)
        player.breakpointHit.connect(self._on_breakpoint_hit)
        player.finished.connect(
            lambda: self.show_status(lambda: self.tr("Playback finished"), 3000))
        player.nan_box.toggled.connect(self._on_break_nan_toggled)
        player.speed_box.currentIndexChanged.connect(self._on_speed_changed)
        self.timeline_list.currentRowChanged.connect(self._on_timeline_row)
        self.jobs.started.connect(self._on_job_started)
        self.jobs.progress.connect(self._on_job_progress)
        self.jobs.done.connect(self._on_job_done)
        self.jobs.failed.connect(self._on_job_failed)
        self.jobs.idle.connect(self._on_job_idle)
        self.script_panel.editor.document().modificationChanged.connect(self._update_title)
        hints = QApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            # a bound method, not a lambda holding self: the app's style hints live on after
            # the window, and a lambda connected to them kept the closed window (its
            # document and graph) alive for good
            hints.colorSchemeChanged.connect(self._on_color_scheme_changed)

    def _on_color_scheme_changed(self, *_args) -> None:
        self._apply_theme()

    # ------------------------------------------------------------------ settings
    def _restore_settings(self) -> None:
        s = self.settings
        if s.geometry is not None:
            self.restoreGeometry(s.geometry)
        if s.window_state is not None:
            self.restoreState(s.window_state)
            if not self.viewer and s.window_state_owner != "app":
                # a state the app did not save itself (older versions let the viewer, which
                # hides the Script dock, write here): the editor is never lost that way
                self.script_dock.show()
        self.actions_.direction.setChecked(self.direction == "LR")
        self.actions_.show_saved.setChecked(s.show_saved)
        self.actions_.hide_no_grad.blockSignals(True)   # (no relayout: nothing is drawn yet)
        self.actions_.hide_no_grad.setChecked(s.hide_no_grad)
        self.actions_.hide_no_grad.blockSignals(False)
        self.actions_.themes[s.theme].setChecked(True)
        if i18n.current() in self.actions_.languages:
            self.actions_.languages[i18n.current()].setChecked(True)
        self.graph_view.legend.set_collapsed(s.legend_collapsed)
        self.actions_.overview.setChecked(s.show_overview)
        self.graph_view.overview.setVisible(s.show_overview)
        self.player_widget.set_break_on_nonfinite(s.break_on_nonfinite)
        self.player_widget.speed_box.setCurrentIndex(s.speed_index)
        self._rebuild_recent_menu()
        self._rebuild_examples_menu()
        if not self.viewer:
            text = s.last_script
            self.path = s.last_path or None
            self.example_name = s.last_example or None
            self.script_panel.set_text(text if text is not None else tutorial_text())
            if text is None:
                self.path = None
                self.example_name = "tutorial.py"
            self._update_title()

    def save_settings(self, keep_text: bool = True) -> None:
        """Store window and view settings; `keep_text=False` (the user discarded the edits)
        stores the script's file text instead of the editor's, or none for an unsaved one."""
        s = self.settings
        s.geometry = self.saveGeometry()
        s.window_state = self.saveState()
        s.window_state_owner = "viewer" if self.viewer else "app"
        s.direction = self.direction
        if not self.viewer:
            text = self.script_panel.text()
            if not keep_text:
                try:
                    text = read_script(self.path) if self.path else None
                except (OSError, ValueError):   # gone, or no longer text (ScriptDecodeError)
                    text = None
            s.last_script = text
            s.last_path = self.path or ""
            s.last_example = self.example_name or ""
        s.break_on_nonfinite = self.player_widget.nan_box.isChecked()
        s.speed_index = self.player_widget.speed_box.currentIndex()
        s.sync()

    # Override from QWidget
    def closeEvent(self, event) -> None:
        modified = not self.viewer and self.is_modified()
        if modified and not self.confirm_discard():
            event.ignore()
            return
        self.player_widget.pause()
        self.jobs.cancel()
        self.differences.cancel()
        pipeline.release(self.document, None)   # its run's child process
        self.save_settings(keep_text=not modified or not self.is_modified())
        super().closeEvent(event)
        self.closed.emit()

    def set_overview_shown(self, on: bool) -> None:
        """View > Show overview: the minimap in the graph's corner, remembered."""
        self.graph_view.overview.setVisible(on)
        self.settings.show_overview = on

    def _on_legend_collapsed(self, collapsed: bool) -> None:
        self.settings.legend_collapsed = collapsed

    # ------------------------------------------------------------------ theme
    def set_theme_choice(self, choice: str) -> None:
        self.settings.theme = choice
        self._apply_theme()

    def _apply_theme(self) -> None:
        self.theme = resolve_theme(self.settings.theme)
        app = QApplication.instance()
        if app is not None and app.style().name().lower() == "fusion":
            app.setPalette(widget_palette(self.theme))
        self.graph_view.set_theme(self.theme)
        self.script_panel.editor.set_theme(self.theme)

    # ------------------------------------------------------------------ running
    def _on_job_started(self) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("working…"))
        self.progress.show()
        self.cancel_button.show()
        self.actions_.stop.setEnabled(True)
        self.graph_view.engine_busy = True

    def _on_job_progress(self, phase: str, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progress.setFormat(phase)
        self._phase_message = phase[:1].upper() + phase[1:] + "…"
        self.statusBar().showMessage(self._phase_message)

    def _on_job_idle(self) -> None:
        # a phase of the job just ended ("Laying out 40 nodes…") is no longer true; what the
        # job's end said instead (a run's summary, an error) stays
        phase, self._phase_message = self._phase_message, None
        if phase is not None and self.statusBar().currentMessage() == phase:
            self.statusBar().clearMessage()
        self.progress.hide()
        self.cancel_button.hide()
        self.actions_.stop.setEnabled(False)
        self.graph_view.engine_busy = False

    def _on_job_failed(self, message: str) -> None:
        self.show_status(lambda: self.tr("Failed: {message}").format(message=message), 8000)
        self.script_panel.error_banner.show_error(
            self.tr("Internal error: {message}").format(message=message))
        self.jobFailed.emit(message)

    def _on_job_done(self, doc) -> None:
        if isinstance(doc, BackwardDone):   # "Run backward from here" in the run's child
            self._backward_done(doc)
            return
        if doc.extras.get("stopped") and self.document is not None:
            # the run's process crashed or was stopped at a limit: the error is the script's,
            # the graph shown (the last good one) and the text stay as they were
            self._focus_graph_next = False
            error = doc.error
            self.script_panel.editor.mark_statement(None)   # the shown run's line, not this text's
            self.script_panel.show_error(getattr(error, "lineno", None), str(error))
            self.show_status(lambda: str(error), 8000)
            self.documentReady.emit(doc)
            return
        if doc.session is not None:
            self._session = doc.session
        self.show_document(doc)

    def show_document(self, doc: pipeline.GraphDocument) -> None:
        """Draw `doc`: graph, player, console, error and statement marks."""
        previous = self.document
        self.document = doc
        pipeline.release(previous, doc)   # the old run's child process, unless doc uses it
        self.graph_view.graph_scene.set_graph(doc.graph, doc.layout)
        if doc.path is None and self.recording_path is not None:   # a run replaced it
            self.recording_path = None
            self._update_title()
        self.graph_view.no_backward_reason = None if doc.live is not None else no_live_run()
        self._update_export_actions()
        self.graph_view.set_breakpoints(self.breakpoints)
        player = None
        if doc.timeline is not None:
            from .model.playback import Player
            player = Player(doc.timeline)
            for bp in self.breakpoints:
                self._add_player_breakpoint(player, bp)
        self.player_widget.set_player(player, doc.timeline)
        self._fill_timeline_list(doc.timeline)
        self.console.set_output(getattr(doc.recording, "output", "") or "")
        self.graph_view.set_placeholder("" if doc.graph is not None and len(doc.graph) else
                                        self.tr("Nothing to draw yet: no tensor was made."))
        if player is not None and len(doc.timeline):
            self._seek_initial(doc)
        else:
            self.graph_view.graph_scene.apply_state(None)
        if self._focus_graph_next and not self.viewer and doc.error is None:
            # after Run / Step the plain player keys (Space, Home, ...) reach the player; an
            # error leaves the focus where it was (in the editor, to fix it)
            self.graph_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus_graph_next = False
        error = doc.error
        if error is not None:
            self.script_panel.show_error(getattr(error, "lineno", None), str(error))
            self.show_status(lambda: str(error), 8000)
        elif not self.viewer and getattr(self, "_seek_after", None) != "keep":
            # (a relayout, "keep", ran nothing: the status bar keeps what it says)
            self.script_panel.clear_error()
            self.show_status(lambda: self._run_summary(doc), 8000)
        view = self.graph_view
        shown = view.mapToScene(view.viewport().rect()).boundingRect()
        has_nodes = bool(view.graph_scene.nodes)
        after, self._view_after = self._view_after, None
        if after is None:   # a new run or direction: the views saved at a collapse are stale
            self._views_before_collapse.clear()
        if after is not None and has_nodes and previous is not None:   # a group toggled
            how, what = after
            if how == "restore":
                view.restore_view_state(what)
            elif what is not None:
                view.show_node(what)
        elif has_nodes and (self._fit_next or previous is None or previous.graph is None or
                          not len(previous.graph) or
                          set(previous.graph.nodes) - set(doc.graph.nodes) or
                          not shown.contains(view.graph_scene.itemsBoundingRect())):
            view.fit_to_view(readable=True)
            self._fit_next = False
        self.graph_view.legend.refresh()
        if previous is not None and previous.graph is not doc.graph:
            self.trash.add(previous)   # the old run's recording, graph, layout, timeline
        self.documentReady.emit(doc)

    def _fill_timeline_list(self, timeline) -> None:
        self.timeline_list.blockSignals(True)
        self.timeline_list.set_timeline(timeline)   # rows written as they are shown
        self.timeline_list.blockSignals(False)

    def _on_timeline_row(self, row: int) -> None:
        if row >= 0:
            self.player_widget.seek(row)

    # ------------------------------------------------------------------ playback
    def _on_state_changed(self, state) -> None:
        scene = self.graph_view.graph_scene
        scene.pulse_duration = min(650, int(self.player_widget.interval() * 0.8))
        scene.apply_state(state, animate=self.player_widget.is_playing or
                          self.player_widget.interval() > 100)
        self.graph_view.legend.refresh()
        self.graph_view.follow(getattr(state, "active", None))
        self._mark_statement(state)
        self._show_output_until(state)
        self._refresh_inspector()
        row = self.player_widget.position
        if self.timeline_list.currentRow() != row and row < self.timeline_list.count():
            self.timeline_list.blockSignals(True)
            self.timeline_list.setCurrentRow(row)
            self.timeline_list.blockSignals(False)

    def _show_output_until(self, state) -> None:
        """The console shows what the script had printed by this step (the model says what)."""
        output = getattr(state, "output", None)
        if output is not None:
            self.console.set_output(output)

    def _mark_statement(self, state) -> None:
        lines = getattr(state, "lines", None)
        if self.document is None or lines is None or self.viewer:
            self.script_panel.editor.mark_statement(None)
            return
        self.script_panel.editor.mark_statement(*lines)

    def _on_breakpoint_hit(self, index: int) -> None:
        hit = self.player_widget.last_break
        message = getattr(hit, "message", None) or self.tr("Stopped at a breakpoint")
        self.show_status(lambda: self.tr("Stopped: {message}").format(message=message), 10000)

    def _on_break_nan_toggled(self, on: bool) -> None:
        self.settings.break_on_nonfinite = on

    def _on_speed_changed(self, index: int) -> None:
        self.settings.speed_index = index

    def set_breakpoint(self, node_id: str, on: bool) -> bool:
        """Break (or no longer) at the backward steps of `node_id`; False, with the reason in
        the status bar, for a node backward never runs (a constant gets no gradient)."""
        why = self._breakpoint_refusal(node_id) if on else None
        if why is not None:
            self.show_status(lambda: why, 10000)
            self.graph_view.set_breakpoints(self.breakpoints)
            return False
        (self.breakpoints.add if on else self.breakpoints.discard)(node_id)
        self.graph_view.set_breakpoints(self.breakpoints)
        player = self.player_widget.player
        if player is not None:
            if on:
                self._add_player_breakpoint(player, node_id)
            else:
                remove = getattr(player, "remove_breakpoint", None)
                if remove is not None:
                    remove(node_id)
        return True

    def _breakpoint_refusal(self, node_id: str) -> str | None:
        """Why a breakpoint on `node_id` could never stop playback, or None."""
        doc = self.document
        graph = doc.graph if doc is not None else None
        if graph is None or node_id not in graph:
            return None
        attrs = graph.nodes[node_id]
        kind = attrs.get("kind")
        if kind not in ("constant", "saved"):
            return None
        label = attrs.get("label") or node_id
        users = sorted({graph.nodes[n].get("label") or n for n in graph.successors(node_id)
                        if graph.nodes[n].get("kind") in ("function", "accumulate")})
        hint = self.tr(" Break on {nodes}, which uses it.").format(
            nodes=self.tr(" or ").join(users)) if users else ""
        if kind == "constant":
            text = self.tr("No breakpoint on the constant {label}: it gets no gradient, so "
                           "backward never stops there.")
        else:
            text = self.tr("No breakpoint on the saved tensor {label}: it gets no gradient, so "
                           "backward never stops there.")
        return text.format(label=label) + hint

    @staticmethod
    def _add_player_breakpoint(player, key: str) -> None:
        try:
            player.add_breakpoint(key)
        except (KeyError, ValueError):
            pass  # the node is not in this run's graph

    # ------------------------------------------------------------------ graph
    def _on_node_selected(self, node_id: str) -> None:
        self.inspected = node_id or None
        self._refresh_inspector()

    def _refresh_inspector(self) -> None:
        node_id = self.inspected
        doc = self.document
        graph = doc.graph if doc is not None else None
        state = self.player_widget.state()
        attrs = dict(graph.nodes[node_id]) if graph is not None and node_id in graph else None
        item = self.graph_view.graph_scene.nodes.get(node_id) if node_id else None
        if attrs is None and item is not None and item.kind == "group":   # a collapsed group
            attrs = dict(item.attrs)
        statements = getattr(doc.recording, "statements", None) if doc is not None else None
        if attrs is not None and statements and attrs.get("statement") is not None and \
                0 <= attrs["statement"] < len(statements):
            attrs["line"] = statements[attrs["statement"]].lineno
        self.inspector.show_node(node_id if attrs else None, attrs, state, graph,
                                 doc.timeline if doc is not None else None)

    def select_node(self, node_id: str) -> None:
        self.graph_view.graph_scene.select_node(node_id)

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def search_graph(self) -> list[str]:
        """Enter in the Find field: go to the next match and say which ("2 of 3")."""
        text = self.search_field.text()
        hits = self.graph_view.search(text)
        if not text:
            self.search_status.setText("")
        elif not hits:
            self.search_status.setText(self.tr(" no match"))
        else:
            self.search_status.setText(self.tr(" {index} of {count}").format(
                index=self.graph_view.hit_index + 1, count=len(hits)))
        return hits

    def search_graph_live(self, text: str) -> None:
        hits = self.graph_view.graph_scene.search(text)
        self.graph_view.forget_hits()
        self.search_status.setText("" if not text else self.tr(" no match") if not hits else
                                   self.tr(" %n matches", "", len(hits)))

    def set_direction_lr(self, on: bool) -> None:
        self.direction = "LR" if on else "TB"
        self.settings.direction = self.direction
        self._relayout()

    def set_show_saved(self, on: bool) -> None:
        self.settings.show_saved = on
        if self.document is not None and self.document.path is not None:   # a recording
            self.show_status(lambda: self.tr(
                "An opened recording shows the saved tensors it recorded; the setting applies "
                "to the next run"), 6000)
            return
        if self.document is not None and not self.viewer:
            self._fit_next = True
            self.run_script(restart=True)

    def toggle_group(self, group: str) -> None:
        doc = self.document
        if doc is None or doc.layouter is None:
            return
        layouter = doc.layouter
        view = self.graph_view
        if group in getattr(layouter, "collapsed", set()):
            layouter.expand(group)
            # back to the picture from before the collapse when it is still at hand
            saved = self._views_before_collapse.pop(group, None)
            self._view_after = ("restore", saved) if saved else ("center", None)
        else:
            self._views_before_collapse[group] = view.view_state()
            layouter.collapse(group)
            self._view_after = ("center", f"group:{group}")
        self._relayout(fit=False)

    def _relayout(self, fit: bool = True) -> None:
        doc = self.document
        if doc is None or doc.graph is None or doc.layouter is None:
            return
        self._fit_next = fit
        self._seek_after = "keep"
        position = self.player_widget.position
        direction = self.direction

        def job(report, cancel):
            new = pipeline.relayout(doc, direction=direction, report=report, check_cancel=cancel)
            new.extras["position"] = position
            return new
        self.jobs.submit(job)

    # ------------------------------------------------------------------ device
    # ------------------------------------------------------------------ export & about
    def export(self, path: str) -> Path:
        """Write the graph as shown now; the suffix picks PNG, SVG, DOT or JSON."""
        doc = self.document
        return export_graph(self.graph_view.graph_scene, path,
                            doc.graph if doc else None, doc.layout if doc else None,
                            self.player_widget.state())

    def _update_export_actions(self) -> None:
        """File > Export works once a run has made a graph (before, there is nothing to write)."""
        doc = self.document
        for act in self.actions_.export.values():
            act.setEnabled(doc is not None and doc.graph is not None)
        self.actions_.save_recording.setEnabled(doc is not None and doc.recording is not None)

    def export_dialog(self, fmt: str) -> None:
        stem = Path(self.path).stem if self.path else "graph"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export graph as {fmt}").format(fmt=fmt.upper()), f"{stem}.{fmt}",
            f"{fmt.upper()} (*.{fmt})")
        if path:
            try:
                self.export(path)
                self.show_status(lambda: self.tr("Exported {path}").format(path=path), 4000)
            except Exception as exc:  # noqa: BLE001 - tell the user, keep the app
                QMessageBox.warning(self, self.tr("Export failed"), str(exc))

    def show_help(self, page: str = "index.html"):
        """Open (or bring forward) the help window at `page`; returns the dialog."""
        from .help import HelpDialog
        dialog = getattr(self, "_help_dialog", None)
        if dialog is None:
            dialog = self._help_dialog = HelpDialog(self, self.theme, page)
        else:
            dialog.show_page(page)
        dialog.show()
        dialog.raise_()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About gradtrace"), about_text())

    def show_about_qt(self) -> None:
        QMessageBox.aboutQt(self)


def about_text() -> str:
    import networkx
    import numpy
    import PySide6
    from PySide6.QtCore import qVersion
    try:
        from importlib.metadata import version
        gt = version("gradtrace")
    except Exception:  # noqa: BLE001
        gt = "dev"
    blurb = QCoreApplication.translate(
        "MainWindow", "A visual debugger for automatic differentiation: PyTorch-style code, its "
        "grad_fn graph, backpropagation step by step.")
    return (f"<h3>gradtrace {gt}</h3><p>{blurb}</p>"
            f"<p>Python {platform.python_version()}<br>PySide6 {PySide6.__version__} "
            f"(Qt {qVersion()})<br>numpy {numpy.__version__}<br>networkx "
            f"{networkx.__version__}<br>{sys.platform}</p>")

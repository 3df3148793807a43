"""Help > Tour: the guided walk through the autograd tutorial (stages in gui/model/tour.py) in the
real window, a text panel below the editor, and the first-start offer above the graph.

`Tour` borrows the editor (a document of its own, so the user's text, undo history, modified
flag, file and cursor wait untouched), runs each stage's script, moves the player and selects
the node the text talks about; leaving gives the user's script and graph back.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextDocumentLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .model import tour as model
from .model.tour import STAGES, SavedScript, Stage

# the script dock's width during the tour (px): the stages' longest line fits
TOUR_WIDTH = 540


def _tr(text: str) -> str:
    return QCoreApplication.translate(model.CONTEXT, text)


class TourPanel(QWidget):
    """The stage's title and text with Back / Run again / Skip / Leave; it only shows a stage
    and forwards the buttons."""

    backRequested = Signal()
    rerunRequested = Signal()
    nextRequested = Signal()
    leaveRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.index = 0
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.body = QTextBrowser(self)
        self.body.setOpenLinks(False)
        self.back_button = QPushButton(self)
        self.rerun_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.leave_button = QPushButton(self)
        self.back_button.clicked.connect(self.backRequested)
        self.rerun_button.clicked.connect(self.rerunRequested)
        self.next_button.clicked.connect(self.nextRequested)
        self.leave_button.clicked.connect(self.leaveRequested)
        buttons = QHBoxLayout()
        for b in (self.back_button, self.rerun_button, self.next_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.leave_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        layout.addLayout(buttons)
        self._retranslate()

    def show_stage(self, index: int) -> None:
        self.index = index
        self._retranslate()

    def text(self) -> str:
        """The heading and the stage's text as shown (translated)."""
        return self.heading.text() + "\n" + self.body.toPlainText()

    def _retranslate(self) -> None:
        stage = STAGES[self.index]
        heading = QCoreApplication.translate("Tour", "Stage {n} of {total}: {title}")
        self.heading.setText(heading.format(n=self.index + 1, total=len(STAGES),
                                            title=_tr(stage.title)))
        self.body.setHtml(model.stage_html(_tr(stage.text)))
        self.back_button.setText(QCoreApplication.translate("Tour", "◀ Back"))
        self.back_button.setEnabled(self.index > 0)
        self.rerun_button.setText(QCoreApplication.translate("Tour", "Run again"))
        self.rerun_button.setToolTip(
            QCoreApplication.translate("Tour", "Run this stage's script again from the start"))
        leave = QCoreApplication.translate("Tour", "Leave the tour and get your script back")
        if self.index == len(STAGES) - 1:
            self.next_button.setText(QCoreApplication.translate("Tour", "Finish"))
            self.next_button.setToolTip(leave)
        else:
            self.next_button.setText(QCoreApplication.translate("Tour", "Skip ▶"))
            self.next_button.setToolTip(
                QCoreApplication.translate("Tour", "Go on to the next stage"))
        self.leave_button.setText(QCoreApplication.translate("Tour", "Leave tour"))
        self.leave_button.setToolTip(leave)

    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class Tour(QObject):
    """The tour in `window` (a MainWindow). `start()` opens it at stage 0, `go(i)` runs stage
    i, `leave()` ends it; `stageReady(i)` fires when stage i's script has run and the player
    and selection are where its text says."""

    stageReady = Signal(int)
    left = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.index: int | None = None
        self.saved: SavedScript | None = None
        self._saved_run = None   # the window's run while the tour shows its own (RunState)
        self._script_width = 0   # the script dock's width before the tour widened it
        self._user_doc: QTextDocument | None = None
        self._tour_doc: QTextDocument | None = None
        self._waiting: Stage | None = None   # the stage whose run has not come back yet
        self._animating = False
        self.panel = TourPanel()
        self.dock = QDockWidget(window)
        self.dock.setObjectName("tour_dock")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                              QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.dock.hide()
        self.panel.backRequested.connect(lambda: self.go(max((self.index or 0) - 1, 0)))
        self.panel.rerunRequested.connect(lambda: self.go(self.index or 0))
        self.panel.nextRequested.connect(self.next)
        self.panel.leaveRequested.connect(self.leave)
        self._retranslate()
        window.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self.index is not None

    def _retranslate(self) -> None:
        self.dock.setWindowTitle(QCoreApplication.translate("Tour", "Tour"))

    # Override from QObject
    def eventFilter(self, obj, event) -> bool:
        if obj is self.window:
            if event.type() == QEvent.Type.Close and self.active:
                self.leave()   # the window saves (and asks about) the user's script, not ours
            elif event.type() == QEvent.Type.LanguageChange:
                self._retranslate()
        return False

    # ------------------------------------------------------------------ start and leave
    def start(self, index: int = 0) -> None:
        """Open the tour at stage `index`, keeping the user's script aside."""
        w = self.window
        if not self.active:
            self._borrow_editor()
            w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock,
                            Qt.Orientation.Vertical)
            self.dock.show()
            w.resizeDocks([w.script_dock, self.dock], [470, 300], Qt.Orientation.Vertical)
            # wide enough for the stages' longest line (and the text beside it); back on leave
            self._script_width = w.script_dock.width()
            w.resizeDocks([w.script_dock], [max(self._script_width, TOUR_WIDTH)],
                          Qt.Orientation.Horizontal)
            if getattr(w, "tour_offer", None) is not None:
                w.tour_offer.hide()   # the tour is found: no need to offer it this time
            w.documentReady.connect(self._on_document)
            w.player_widget.finished.connect(self._on_played)
        self.go(index)

    def _borrow_editor(self) -> None:
        w = self.window
        user = w.script_panel.editor.document()
        self.saved = SavedScript(user.toPlainText(), w.path, w.example_name,
                                 user.isModified(), w.script_panel.editor.textCursor().position())
        self._saved_run = w.set_run_aside()
        doc = QTextDocument()
        doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
        doc.setDefaultFont(user.defaultFont())
        self._user_doc = w.swap_script_document(doc, self)   # kept here until we leave
        self._tour_doc = doc

    def leave(self) -> None:
        """End the tour: the user's script (text, undo history, modified flag, file, cursor),
        graph, player position, selection and breakpoints come back."""
        if not self.active:
            return
        w = self.window
        self.index = None
        self._waiting = None
        self._animating = False
        w.player_widget.pause()
        w.cancel_job()
        w.documentReady.disconnect(self._on_document)
        w.player_widget.finished.disconnect(self._on_played)
        editor = w.script_panel.editor
        saved = self.saved
        w.path, w.example_name = saved.path, saved.example
        w.swap_script_document(self._user_doc, self).deleteLater()   # the tour's document
        self._tour_doc = None
        w.script_panel.clear_error()
        w.statusBar().clearMessage()   # the last stage's run summary or error is not the user's
        editor.clear_marks()
        w.restore_run(self._saved_run, saved.text)
        cursor = QTextCursor(self._user_doc)   # last: showing the graph marks lines
        cursor.setPosition(min(saved.cursor, self._user_doc.characterCount() - 1))
        editor.setTextCursor(cursor)
        w.removeDockWidget(self.dock)
        self.dock.hide()
        if self._script_width:
            w.resizeDocks([w.script_dock], [self._script_width], Qt.Orientation.Horizontal)
        self.left.emit()

    # ------------------------------------------------------------------ stages
    def next(self) -> None:
        """Skip to the next stage (after the last one: leave)."""
        if self.index is None:
            return
        if self.index + 1 >= len(STAGES):
            self.leave()
        else:
            self.go(self.index + 1)

    def go(self, index: int) -> None:
        """Run stage `index`: its script in the editor, then the player and the selection where
        its text says (`stageReady(index)` then)."""
        w = self.window
        self.index = index
        stage = STAGES[index]
        self._animating = False
        w.player_widget.pause()
        w.load_script(stage.script, None, example="tour.py", undoable=False)
        self.panel.show_stage(index)
        self._waiting = stage
        w.run_script(restart=True)

    def _on_document(self, doc) -> None:
        stage = self._waiting
        if stage is None or doc.source != stage.script:
            return   # a relayout, or a run from before this stage
        self._waiting = None
        timeline, player = doc.timeline, self.window.player_widget
        if timeline is None or not len(timeline):
            self._finish(stage, doc)
            return
        backward = [(e.call, e.index) for e in timeline.entries if e.kind == "backward"]
        if stage.play == "animate" and backward:
            player.seek(max(backward[0][1] - 1, 0))
            self._animating = True
            player.play()
            return
        player.seek(model.play_target(stage, backward, len(timeline)))
        self._finish(stage, doc)

    def _on_played(self) -> None:
        if self._animating and self.index is not None:
            self._animating = False
            self._finish(STAGES[self.index], self.window.document)

    def _finish(self, stage: Stage, doc) -> None:
        node = self._node_for(stage.select, doc)
        if node is not None:
            self.window.select_node(node)
        self.stageReady.emit(STAGES.index(stage))

    def _node_for(self, select: str | None, doc) -> str | None:
        graph = getattr(doc, "graph", None)
        if select is None or graph is None:
            return None
        if select == "@active":
            state = self.window.player_widget.state()
            return getattr(state, "active", None)
        for node_id, attrs in graph.nodes(data=True):
            if attrs.get("label") == select or node_id == select:
                return node_id
        return None


class TourOffer(QFrame):
    """The first-start offer above the graph: Start the tour / Not now / Don't show again (the
    last for good, in the settings)."""

    startRequested = Signal()

    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("tour_offer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.start_button = QPushButton(self)
        self.later_button = QPushButton(self)
        self.never_button = QPushButton(self)
        self.start_button.clicked.connect(self._on_start)
        self.later_button.clicked.connect(self.hide)
        self.never_button.clicked.connect(self.dismiss)
        self.setAutoFillBackground(True)
        column = QVBoxLayout(self)
        column.addWidget(self.label)
        row = QHBoxLayout()
        for b in (self.start_button, self.later_button, self.never_button):
            row.addWidget(b)
        row.addStretch(1)
        column.addLayout(row)
        self._retranslate()
        if parent is not None:   # floats over the top of the graph view: no layout changes
            parent.installEventFilter(self)
            self._place()

    def _place(self) -> None:
        view = self.parentWidget()
        width = max(200, min(620, view.width() - 230))   # clear of the legend on the right
        height = self.layout().totalHeightForWidth(width) \
            if self.layout().hasHeightForWidth() else self.sizeHint().height()
        self.setGeometry(8, 8, width, height)
        self.raise_()

    # Override from QObject
    def eventFilter(self, obj, event) -> bool:
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _retranslate(self) -> None:
        self._set_texts()
        if self.parentWidget() is not None:
            self._place()

    def _set_texts(self) -> None:
        self.label.setText(QCoreApplication.translate(
            "Tour", "New to autograd? Take the guided tour of PyTorch's autograd tutorial, "
                    "here in the app (Help > Tour)."))
        self.start_button.setText(QCoreApplication.translate("Tour", "Start the tour"))
        self.later_button.setText(QCoreApplication.translate("Tour", "Not now"))
        self.never_button.setText(QCoreApplication.translate("Tour", "Don't show again"))

    def dismiss(self) -> None:
        """Hide the offer for good (remembered in the settings)."""
        self.settings.tour_offer_dismissed = True
        self.hide()

    def _on_start(self) -> None:
        self.dismiss()
        self.startRequested.emit()

    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def install(window) -> Tour:
    """Give `window` its tour (`window.tour`) and, unless dismissed for good, the offer above
    the graph (`window.tour_offer`, None when not shown)."""
    tour = Tour(window)
    window.tour = tour
    window.tour_offer = None
    if not window.viewer and not window.settings.tour_offer_dismissed:
        offer = TourOffer(window.settings, window.graph_view)
        offer.startRequested.connect(tour.start)
        window.tour_offer = offer
    return tour

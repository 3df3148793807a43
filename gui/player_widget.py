"""The player bar: play/pause, step back/forward, to start/end, a scrub slider over the whole
timeline, speed and a readout. A QTimer drives the plain-Python `Player`; every position change
is announced with `stepChanged(int)`, reaching the end with `finished`."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .model.i18n import retranslate

SPEEDS = (("0.25×", 0.25), ("0.5×", 0.5), ("1×", 1.0), ("2×", 2.0), ("4×", 4.0), ("16×", 16.0))


class TimelineSlider(QSlider):
    """The scrub slider: a click on its track jumps to the position under the cursor (a plain
    QSlider moves one page step towards it); dragging the handle works as usual."""

    def value_at(self, x: float) -> int:
        """The slider value under widget x-coordinate `x` (the handle centred there)."""
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        style = self.style()
        groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                      QStyle.SubControl.SC_SliderGroove, self)
        handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                      QStyle.SubControl.SC_SliderHandle, self)
        span = groove.width() - handle.width()
        pos = int(round(x - groove.x() - handle.width() / 2))
        return QStyle.sliderValueFromPosition(self.minimum(), self.maximum(),
                                              max(0, min(pos, span)), max(span, 1),
                                              opt.upsideDown)

    # Override from QWidget
    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.isEnabled():
            opt = QStyleOptionSlider()
            self.initStyleOption(opt)
            hit = self.style().hitTestComplexControl(QStyle.ComplexControl.CC_Slider, opt,
                                                     event.position().toPoint(), self)
            if hit != QStyle.SubControl.SC_SliderHandle:
                self.setValue(self.value_at(event.position().x()))
                event.accept()
                return
        super().mousePressEvent(event)


class ElidedLabel(QLabel):
    """A label that shortens its text with an ellipsis instead of being clipped."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self._full = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                   max(self.width(), 40)))

    def full_text(self) -> str:
        return self._full

    # Override from QWidget
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.set_full_text(self._full)


class PlayerWidget(QWidget):
    """Controls for a `Player`; the window connects `stateChanged` to the views.

    >>> w = PlayerWidget(); w.set_player(None); w.position
    0
    """

    stepChanged = Signal(int)
    stateChanged = Signal(object)    # the PlaybackState at the new position
    finished = Signal()              # playback reached the last step
    breakpointHit = Signal(int)      # playback stopped at a breakpoint or a NaN/inf
    playingChanged = Signal(bool)

    BASE_INTERVAL_MS = 800

    def __init__(self, parent=None):
        super().__init__(parent)
        self.player = None
        self.timeline = None
        self.last_break = None
        self._quiet = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_tick)
        self._speed = 1.0
        self._build()
        self._update_controls()

    # ------------------------------------------------------------------ ui
    def _button(self, icon: QStyle.StandardPixmap, tip: str, slot, shortcut: str = "",
                anywhere: str = ""):
        """A tool button with its action: `shortcut` is the plain key (it types in a text
        field that has the focus), `anywhere` the F-key or Alt combination that works
        wherever the focus is; both are window-wide."""
        action = QAction(self.style().standardIcon(icon), self.tr(tip), self)
        keys = [QKeySequence(k) for k in (shortcut, anywhere) if k]
        if keys:
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._buttons.append((action, tip))
        self._tip_action(action, tip)
        action.triggered.connect(slot)
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        self.addAction(action)
        return action, button

    def _tip_action(self, action: QAction, tip: str) -> None:
        """`action`'s text (`tip`, source marked for lupdate) and tooltip with its keys."""
        action.setText(self.tr(tip))
        names = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                          for k in action.shortcuts())
        action.setToolTip(f"{self.tr(tip)} ({names})" if names else self.tr(tip))

    def _build(self) -> None:
        self._buttons: list[tuple[QAction, str]] = []
        sp = QStyle.StandardPixmap
        rows = QVBoxLayout(self)
        rows.setContentsMargins(6, 2, 6, 2)
        rows.setSpacing(0)
        top = QHBoxLayout()
        layout = QHBoxLayout()
        rows.addLayout(top)
        rows.addLayout(layout)
        self.start_action, b1 = self._button(sp.SP_MediaSkipBackward,
                                             N("PlayerWidget", "To start"), self.to_start,
                                             "Home", "Alt+Home")
        self.back_action, b2 = self._button(sp.SP_MediaSeekBackward,
                                            N("PlayerWidget", "Step back"), self.step_back,
                                            "Shift+Left", "Alt+Left")
        self.play_action, b3 = self._button(sp.SP_MediaPlay, N("PlayerWidget", "Play"),
                                            self.toggle_play, "Space", "F8")
        self.forward_action, b4 = self._button(sp.SP_MediaSeekForward,
                                               N("PlayerWidget", "Step forward"),
                                               self.step_forward, "Shift+Right", "Alt+Right")
        self.end_action, b5 = self._button(sp.SP_MediaSkipForward, N("PlayerWidget", "To end"),
                                           self.to_end, "End", "Alt+End")
        for b in (b1, b2, b3, b4, b5):
            layout.addWidget(b)
        self._play_icon = self.style().standardIcon(sp.SP_MediaPlay)
        self._pause_icon = self.style().standardIcon(sp.SP_MediaPause)
        self.slider = TimelineSlider(Qt.Orientation.Horizontal, self)
        self.slider.setMinimum(0)
        self.slider.setPageStep(1)
        self.slider.valueChanged.connect(self._on_slider)
        top.addWidget(self.slider, 1)
        self.readout = ElidedLabel(self.tr("no run yet"), self)
        self.readout.setMinimumWidth(120)
        layout.addWidget(self.readout, 1)
        self.speed_box = QComboBox(self)
        for text, value in SPEEDS:
            self.speed_box.addItem(text, value)
        self.speed_box.setCurrentIndex(2)
        self.speed_box.currentIndexChanged.connect(
            lambda i: self.set_speed(self.speed_box.itemData(i)))
        layout.addWidget(self.speed_box)
        self.nan_box = QCheckBox(self)
        self.nan_box.toggled.connect(self._on_nan_toggled)
        layout.addWidget(self.nan_box)
        self._retranslate()

    def _retranslate(self) -> None:
        for action, tip in self._buttons:
            self._tip_action(action, tip)
        if self.is_playing:
            self.play_action.setText(self.tr("Pause"))
        self.slider.setToolTip(self.tr("Scrub through the timeline: forward statements, then "
                                       "backward steps"))
        self.speed_box.setToolTip(self.tr("Playback speed"))
        self.nan_box.setText(self.tr("Break on NaN/inf"))
        self.nan_box.setToolTip(self.tr("Stop playback at the first step whose gradient is NaN "
                                        "or inf"))

    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._update_controls()
        super().changeEvent(event)

    # ------------------------------------------------------------------ model
    def set_player(self, player, timeline=None) -> None:
        """Drive `player` (a playback.Player over `timeline`); None clears."""
        self.pause()
        self.player = player
        self.timeline = timeline if timeline is not None else getattr(player, "timeline", None)
        if player is not None:
            player.break_on_nonfinite = self.nan_box.isChecked()
            subscribe = getattr(player, "subscribe", None)
            if subscribe is not None:
                subscribe(self._on_player_state)
        with QSignalBlocker(self.slider):
            self.slider.setMaximum(max(0, self.length - 1))
            self.slider.setValue(self.position)
        self._update_controls()

    def timeline_grew(self) -> None:
        """The timeline got new entries (a backward started from the graph): extend the slider."""
        with QSignalBlocker(self.slider):
            self.slider.setMaximum(max(0, self.length - 1))
            self.slider.setValue(self.position)
        self._update_controls()

    @property
    def length(self) -> int:
        return len(self.timeline) if self.timeline is not None else 0

    @property
    def position(self) -> int:
        return int(self.player.position) if self.player is not None else 0

    @property
    def is_playing(self) -> bool:
        return self._timer.isActive()

    def state(self):
        """The player's `PlaybackState` now (None without a player or entries)."""
        if self.player is None or self.timeline is None or self.length == 0:
            return None
        return self.player.state

    # ------------------------------------------------------------------ actions
    def _act(self, fn, *args) -> None:
        if self.player is None or self.length == 0:
            return
        before = self.position
        self._quiet = True
        try:
            fn(*args)
        finally:
            self._quiet = False
        if self.position != before or fn == self.player.seek:
            self._announce()

    def step_forward(self) -> None:
        self.pause()
        self._act(self.player.step_forward) if self.player else None

    def step_back(self) -> None:
        self.pause()
        self._act(self.player.step_back) if self.player else None

    def to_start(self) -> None:
        self.pause()
        self._act(self.player.to_start) if self.player else None

    def to_end(self) -> None:
        self.pause()
        self._act(self.player.to_end) if self.player else None

    def seek(self, index: int) -> None:
        if self.player is None or self.length == 0:
            return
        index = max(0, min(int(index), self.length - 1))
        if index != self.position:
            self._act(self.player.seek, index)

    def toggle_play(self) -> None:
        self.pause() if self.is_playing else self.play()

    def play(self) -> None:
        """Animate forward from here to the next breakpoint (or the end)."""
        if self.player is None or self.length == 0:
            return
        if self.position >= self.length - 1:
            self._act(self.player.to_start)
        self._timer.start(self.interval())
        self.play_action.setIcon(self._pause_icon)
        self.play_action.setText(self.tr("Pause"))
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if not self._timer.isActive():
            return
        self._timer.stop()
        self.play_action.setIcon(self._play_icon)
        self.play_action.setText(self.tr("Play"))
        self.playingChanged.emit(False)

    def _on_tick(self) -> None:
        if self.player is None or self.position >= self.length - 1:
            self.pause()
            self.finished.emit()
            return
        self._act(self.player.step_forward)
        hit = self._hit(self.position)
        if hit is not None:
            self.pause()
            self.last_break = hit
            self.breakpointHit.emit(self.position)
        elif self.position >= self.length - 1:
            self.pause()
            self.finished.emit()

    def _hit(self, index: int):
        """The model's verdict: does entry `index` stop playback (breakpoint, NaN/inf)?"""
        hit = getattr(self.player, "hit", None)
        return hit(index) if hit is not None else None

    def interval(self) -> int:
        return max(15, int(self.BASE_INTERVAL_MS / self._speed))

    def set_speed(self, speed: float) -> None:
        self._speed = float(speed)
        if self._timer.isActive():
            self._timer.setInterval(self.interval())

    def set_break_on_nonfinite(self, on: bool) -> None:
        self.nan_box.setChecked(on)

    def _on_nan_toggled(self, on: bool) -> None:
        if self.player is not None:
            self.player.break_on_nonfinite = on

    # ------------------------------------------------------------------ notifications
    def _on_player_state(self, state) -> None:
        if not self._quiet:
            self._announce(state)

    def _on_slider(self, value: int) -> None:
        if self.player is not None and value != self.position:
            self.pause()
            self._act(self.player.seek, value)

    def _announce(self, state=None) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(self.position)
        self._update_controls()
        self.stepChanged.emit(self.position)
        self.stateChanged.emit(state if state is not None else self.state())

    def _update_controls(self) -> None:
        n = self.length
        pos = self.position
        has = self.player is not None and n > 0
        self.start_action.setEnabled(has and pos > 0)
        self.back_action.setEnabled(has and pos > 0)
        self.forward_action.setEnabled(has and pos < n - 1)
        self.end_action.setEnabled(has and pos < n - 1)
        self.play_action.setEnabled(has and n > 1)
        self.slider.setEnabled(has and n > 1)
        if not has:
            self.readout.set_full_text(self.tr("no run yet"))
            return
        entry = self.timeline.entries[pos]
        label = retranslate(getattr(entry, "label", "") or "")
        self.readout.set_full_text(f"{pos + 1}/{n}  {label}")

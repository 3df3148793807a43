"""The inspector dock: for the selected node its value and gradient (numbers when small, a
heat map for 2-D, statistics when large), its properties, the tensors it saved, and the active
backward step's gradients in and out. It only displays what the graph and the state hold."""
from __future__ import annotations

import html
import math

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QImage, QPixmap, QTextDocument
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .editor import monospace_font
from .graph_items import format_shape
from .graph_scene import backward_step
from .model import explain
from .model.hierarchy import alike_label
from .model.i18n import retranslate
from .model.recording import ValueStats

#: a node's role, as the inspector names it under the title
ROLE_NAMES = {"leaf": N("Inspector", "leaf"), "intermediate": N("Inspector", "intermediate"),
              "output": N("Inspector", "output"), "constant": N("Inspector", "constant"),
              "function": N("Inspector", "function"), "accumulate": N("Inspector", "accumulate"),
              "saved": N("Inspector", "saved"), "tensor": N("Inspector", "tensor")}

SMALL = 36          # at most this many elements print as numbers
HEATMAP_MAX = 200   # pixels on the long side of a heat map


def summary_text(arr: np.ndarray) -> str:
    flat = arr.reshape(-1).astype(np.float64, copy=False)
    finite = flat[np.isfinite(flat)]
    parts = [f"numel {arr.size}"]
    if finite.size:
        parts += [f"min {finite.min():.4g}", f"mean {finite.mean():.4g}",
                  f"max {finite.max():.4g}", f"std {finite.std():.4g}",
                  f"‖·‖ {np.linalg.norm(finite):.4g}"]
    nan, inf = int(np.isnan(flat).sum()), int(np.isinf(flat).sum())
    if nan or inf:
        parts.append(f"NaN {nan}  inf {inf}")
    return "   ".join(parts)


def stats_text(stats: ValueStats) -> str:
    """`summary_text` for a value the recording kept statistics of only."""
    parts = [f"numel {stats.numel}"]
    if stats.min is not None:
        parts += [f"min {stats.min:.4g}", f"mean {stats.mean:.4g}", f"max {stats.max:.4g}"]
    if stats.norm is not None:
        parts.append(f"‖·‖ {stats.norm:.4g}")
    if stats.nan or stats.inf:
        parts.append(f"NaN {stats.nan}  inf {stats.inf}")
    return "   ".join(parts)


#: the fill of a heat map whose finite values are all equal: no colour says "large"
NEUTRAL = (224, 224, 224)


def heatmap_scale(arr: np.ndarray) -> float | None:
    """The |value| that maps to full blue/red in `heatmap_image` (the largest finite |value|);
    None when the finite values are all equal (drawn neutral) or there are none."""
    a = np.asarray(arr, dtype=np.float64)
    finite = a[np.isfinite(a)]
    if finite.size == 0 or finite.min() == finite.max():
        return None
    return float(np.abs(finite).max())


def _diverging(t: np.ndarray) -> np.ndarray:
    """RGB (uint8) of the blue-white-red ramp at t in [-1, 1]."""
    pos, neg = np.clip(t, 0, 1), np.clip(-t, 0, 1)
    r = 255 * (1 - neg * 0.8)
    g = 255 * (1 - np.maximum(pos, neg) * 0.8)
    b = 255 * (1 - pos * 0.8)
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def scale_bar_image(width: int = 120, height: int = 10) -> QImage:
    """The heat map's colour ramp from -1 (left, blue) through 0 (white) to +1 (right, red)."""
    t = np.linspace(-1.0, 1.0, width)
    rgba = np.empty((height, width, 4), dtype=np.uint8)
    rgba[..., :3] = _diverging(t)[None, :, :]
    rgba[..., 3] = 255
    return QImage(rgba.tobytes(), width, height, 4 * width,
                  QImage.Format.Format_RGBA8888).copy()


def heatmap_image(arr: np.ndarray) -> QImage:
    """A diverging blue-white-red QImage of a 2-D array, symmetric about zero; NaN/inf black.
    An array whose finite values are all equal is drawn in one neutral grey."""
    a = np.asarray(arr, dtype=np.float64)
    finite = np.isfinite(a)
    scale = heatmap_scale(a)
    if scale is None:
        rgb = np.empty(a.shape + (3,), dtype=np.uint8)
        rgb[...] = NEUTRAL
    else:
        rgb = _diverging(np.clip(np.where(finite, a, 0.0) / scale, -1.0, 1.0))
    rgb[~finite] = 0
    h, w = a.shape
    rgba = np.empty((h, w, 4), dtype=np.uint8)
    rgba[..., :3] = rgb
    rgba[..., 3] = 255
    img = QImage(rgba.tobytes(), w, h, 4 * w, QImage.Format.Format_RGBA8888)
    return img.copy()


class ArrayView(QWidget):
    """One array shown the way its size calls for; `array()` gives back what it shows."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._array = None
        self.text = QLabel(self)
        self.text.setFont(monospace_font(8))
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(False)
        self.image = QLabel(self)
        self.image.hide()
        self.note = QLabel(self)     # how the array is drawn (slices flattened, constant, ...)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.scale_row = QWidget(self)   # the heat map's colour scale: -max, ramp, +max
        self.scale_low, self.scale_high = QLabel(self.scale_row), QLabel(self.scale_row)
        self.scale_ramp = QLabel(self.scale_row)
        self.scale_ramp.setPixmap(QPixmap.fromImage(scale_bar_image()))
        row = QHBoxLayout(self.scale_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.scale_low)
        row.addWidget(self.scale_ramp)
        row.addWidget(self.scale_high)
        row.addStretch(1)
        self.stats = QLabel(self)
        self.stats.setWordWrap(True)
        self.stats.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.image)
        layout.addWidget(self.scale_row)
        layout.addWidget(self.note)
        layout.addWidget(self.stats)
        self.set_array(None)

    def array(self):
        return self._array

    def display_text(self) -> str:
        return self.text.text()

    def scale_text(self) -> str:
        """The heat map's colour scale as shown ("-2 ▬ 2"), "" when no heat map shows."""
        if self.scale_row.isHidden():
            return ""
        return f"{self.scale_low.text()} ▬ {self.scale_high.text()}"

    def set_array(self, value, empty: str = "None") -> None:
        """Show a recorded value: a numpy array, a `ValueStats` (above the recording's value
        cap: its statistics and a note saying so) or None (``empty`` is shown)."""
        arr = value if isinstance(value, np.ndarray) else None
        self._array = arr
        self.image.hide()
        self.stats.hide()
        self.note.hide()
        self.scale_row.hide()
        if isinstance(value, ValueStats):
            self.text.setText(f"{format_shape(value.shape)} {value.dtype}")
            self.stats.setText(stats_text(value))
            self.stats.show()
            self._set_note(value.note)
            return
        if arr is None:
            self.text.setText(empty)
            return
        two_d = arr.ndim == 2 and min(arr.shape) > 1
        if arr.size <= SMALL:
            with np.printoptions(precision=3 if two_d else 4, suppress=True, linewidth=44):
                self.text.setText(np.array2string(arr, separator=", "))
            if arr.size > 1:
                self.stats.setText(summary_text(arr))
                self.stats.show()
            if two_d and arr.size > 8:
                self._show_heatmap(arr)
            return
        self.text.setText(f"{format_shape(arr.shape)} {arr.dtype}")
        self.stats.setText(summary_text(arr))
        self.stats.show()
        if arr.ndim == 2 or (arr.ndim > 2 and arr.size // arr.shape[-1] <= 4096):
            if arr.ndim > 2:
                rows = arr.size // arr.shape[-1]
                self._set_note(self.tr(
                    "{ndim}-d tensor of shape {shape}: the heat map shows its {slices} slices "
                    "flattened into {rows} rows of {width}").format(
                        ndim=arr.ndim, shape=format_shape(arr.shape),
                        slices=format_shape(arr.shape[:-1]), rows=rows, width=arr.shape[-1]))
            self._show_heatmap(arr.reshape(-1, arr.shape[-1]) if arr.ndim > 2 else arr)
        elif arr.ndim > 2:
            self._set_note(self.tr("{ndim}-d tensor of shape {shape}: too many slices to draw, "
                                   "statistics only").format(ndim=arr.ndim,
                                                             shape=format_shape(arr.shape)))

    def _set_note(self, text: str) -> None:
        old = self.note.text() if not self.note.isHidden() else ""
        self.note.setText(f"{old}\n{text}" if old else text)
        self.note.show()

    def _show_heatmap(self, arr: np.ndarray) -> None:
        scale = heatmap_scale(arr)
        if scale is None:
            finite = arr[np.isfinite(arr)]
            if finite.size:
                self._set_note(self.tr("constant: every finite element is {value} (drawn "
                                       "neutral, no colour scale)").format(
                                           value=f"{finite.flat[0]:.4g}"))
        else:
            self.scale_low.setText(f"{-scale:.3g}")
            self.scale_high.setText(f"{scale:.3g}")
            self.scale_row.show()
        img = heatmap_image(arr)
        h, w = img.height(), img.width()
        k = max(1, min(HEATMAP_MAX // max(w, 1), HEATMAP_MAX // max(h, 1), 24))
        pix = QPixmap.fromImage(img.scaled(w * k, h * k) if k > 1 else
                                img.scaled(min(w, HEATMAP_MAX), min(h, HEATMAP_MAX),
                                           Qt.AspectRatioMode.KeepAspectRatio))
        self.image.setPixmap(pix)
        self.image.setToolTip(self.tr("heat map: blue < 0 < red, white at 0; full colour at "
                                      "the largest |value| (scale below)"))
        self.image.show()


class ElidedLabel(QLabel):
    """One line that elides its text in the middle to the width it is given (a long grad_fn
    such as ``<ConvolutionBackward0 object at 0x7f...>`` in a narrow inspector), the whole
    text in its tooltip; `text` is the whole text, `shown_text` what is drawn."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._full = ""
        # as wide as the layout gives (a form's field grows only when Expanding), as narrow
        # as 40 px whatever the text (else it never elides)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def setText(self, text: str) -> None:
        self._full = str(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        return super().text()

    # Override from QWidget
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle,
                                              max(self.contentsRect().width(), 1))
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")


class Inspector(QScrollArea):
    """The right dock. `show_node(node_id, attrs, state, graph)` fills it; `None` clears."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        body = QWidget(self)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        self.title = QLabel(body)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.kind_label = QLabel("", body)
        self.kind_label.setWordWrap(True)
        layout.addWidget(self.kind_label)

        self.props_box = QGroupBox(body)
        form = QFormLayout(self.props_box)
        self.props: dict[str, QLabel] = {}
        for key in ("shape", "dtype", "device", "requires_grad", "is_leaf", "grad_fn"):
            label = ElidedLabel(self.props_box) if key == "grad_fn" else \
                QLabel("", self.props_box)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.props[key] = label
            form.addRow(key, label)
        layout.addWidget(self.props_box)

        self.value_box = QGroupBox(body)
        self.value_view = ArrayView(self.value_box)
        QVBoxLayout(self.value_box).addWidget(self.value_view)
        layout.addWidget(self.value_box)

        self.group_box = QGroupBox(body)
        self.group_label = QLabel("", self.group_box)
        self.group_label.setWordWrap(True)
        self.group_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self.group_box).addWidget(self.group_label)
        layout.addWidget(self.group_box)

        self.grad_box = QGroupBox(body)
        self.grad_caption = QLabel("", self.grad_box)
        self.grad_caption.setWordWrap(True)
        self.grad_view = ArrayView(self.grad_box)
        self.grad_flow = QLabel("", self.grad_box)
        self.grad_flow.setWordWrap(True)
        grad_layout = QVBoxLayout(self.grad_box)
        grad_layout.addWidget(self.grad_caption)
        grad_layout.addWidget(self.grad_view)
        grad_layout.addWidget(self.grad_flow)
        layout.addWidget(self.grad_box)

        # the rule the selected backward node applies, with this step's numbers (model/explain)
        self.rule_box = QGroupBox(self.tr("Backward rule at this step"), body)
        self.rule_prose = QLabel("", self.rule_box)
        self.rule_prose.setWordWrap(True)
        self.rule_lines = QLabel("", self.rule_box)
        self.rule_lines.setWordWrap(True)
        self.rule_lines.setTextFormat(Qt.TextFormat.RichText)
        self.rule_lines.setFont(monospace_font(9))
        self.rule_lines.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rule_layout = QVBoxLayout(self.rule_box)
        rule_layout.addWidget(self.rule_prose)
        rule_layout.addWidget(self.rule_lines)
        layout.addWidget(self.rule_box)
        self.explanation: explain.Explanation | None = None

        self.saved_box = QGroupBox(body)
        self.saved_label = QLabel("", self.saved_box)
        self.saved_label.setWordWrap(True)
        self.saved_label.setFont(monospace_font(9))
        QVBoxLayout(self.saved_box).addWidget(self.saved_label)
        layout.addWidget(self.saved_box)

        self.step_box = QGroupBox(body)
        self.step_label = QLabel("", self.step_box)
        self.step_label.setWordWrap(True)
        self.step_label.setFont(monospace_font(9))
        self.step_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self.step_box).addWidget(self.step_label)
        layout.addWidget(self.step_box)
        layout.addStretch(1)
        self.node_id: str | None = None
        self._shown: tuple = (None,)
        self._retranslate()
        self.show_node(None)

    def _retranslate(self) -> None:
        self.props_box.setTitle(self.tr("Properties"))
        self.value_box.setTitle(self.tr("Value"))
        self.group_box.setTitle(self.tr("Group"))
        self.step_box.setTitle(self.tr("Active backward step"))
        self.rule_box.setTitle(self.tr("Backward rule at this step"))

    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.show_node(*self._shown)
        super().changeEvent(event)

    # ------------------------------------------------------------------ filling
    def show_node(self, node_id, attrs: dict | None = None, state=None, graph=None,
                  timeline=None) -> None:
        """Show node `node_id` (its graph `attrs`) as it is in playback `state`; `timeline`
        gives the backward steps (what a function node received and sent)."""
        self.node_id = node_id
        self._shown = (node_id, attrs, state, graph, timeline)
        self._show_step(state)
        self.group_box.hide()
        self._show_rule(None, None)
        if node_id is None or attrs is None:
            self.title.setText(self.tr("Select a node in the graph"))
            self.kind_label.setText(
                self.tr("Click a box to see its value, gradient and saved tensors."))
            for box in (self.props_box, self.value_box, self.grad_box, self.saved_box):
                box.hide()
            self.value_view.set_array(None)
            self.grad_view.set_array(None)
            return
        kind = attrs.get("kind", "tensor")
        self.title.setText(str(attrs.get("label") or attrs.get("op") or node_id))
        if kind == "group":
            self.title.setText(alike_label(self.title.text(), 0))   # "net (call 2)" translated
            self._show_group(attrs, state, graph)
            return
        role = attrs.get("role") or kind
        role = QCoreApplication.translate("Inspector", ROLE_NAMES[role]) \
            if role in ROLE_NAMES else role
        extra = self.tr(" · made on line {line}").format(line=attrs["line"]) \
            if attrs.get("line") is not None else ""
        later = state is not None and node_id not in getattr(state, "visible", (node_id,))
        freed = timeline.freed_at(node_id) if timeline is not None and state is not None \
            else None
        when = ""
        if freed is not None and state.index >= freed:   # a saved tensor backward released
            later = False
            when = (self.tr(" · freed by this backward step") if state.index == freed else
                    self.tr(" · freed by the backward call (a copy from before it is shown)"))
        wraps = (self.tr(" · records {op} done in place on a view").format(op=attrs["wraps"])
                 if attrs.get("wraps") else "")
        group = f" · {alike_label(str(attrs['group']), 0)}" if attrs.get("group") else ""
        not_yet = self.tr(" · not made yet at this step") if later else ""
        self.kind_label.setText(f"{role}{wraps}{group}{extra}{not_yet}{when}")
        is_tensor = kind in ("tensor", "saved", "constant")
        self.props_box.setVisible(is_tensor)
        self.value_box.setVisible(is_tensor)
        self.grad_box.setVisible(kind != "saved" and kind != "constant")
        if is_tensor:
            self.props["shape"].setText(str(tuple(attrs.get("shape") or ())))
            for key in ("dtype", "device", "requires_grad", "is_leaf"):
                self.props[key].setText(str(attrs.get(key)))
            self.props["grad_fn"].setText(str(attrs.get("grad_fn") or "None"))
            self.value_view.set_array(attrs.get("value"), empty=self.tr("(value not recorded)"))
        self._show_grad(node_id, attrs, state, graph, timeline)
        self._show_saved(node_id, graph, state, timeline)

    def _name(self, graph, node_id) -> str:
        if graph is not None and node_id in graph:
            attrs = graph.nodes[node_id]
            label = attrs.get("label") or node_id
            if attrs.get("kind") == "accumulate" and attrs.get("leaf_label"):
                return f"{label} ({attrs['leaf_label']})"
            return str(label)
        return str(node_id)

    def _show_grad(self, node_id, attrs, state, graph, timeline) -> None:
        kind = attrs.get("kind", "tensor")
        leaf_grads = getattr(state, "leaf_grads", None) or {}
        index = getattr(state, "index", None)
        step = None
        if state is not None and timeline is not None and index is not None:
            step = timeline.step_for(node_id, index) if kind in ("function", "accumulate") \
                else None
        caption, grad, sent = "", None, []
        empty = "None"
        self.grad_box.setTitle(self.tr("Gradient (.grad at this step)"))
        if state is None:
            grad = attrs.get("grad")
        elif node_id in leaf_grads:   # a leaf, or the AccumulateGrad of an unnamed one: .grad
            grad = leaf_grads[node_id]
            empty = self.tr("None (no gradient has arrived yet)")
        elif kind in ("function", "accumulate"):
            self.grad_box.setTitle(self.tr("Gradients at this step"))
            if step is not None:
                grads_in = list(getattr(step, "grads_in", ()) or ())
                grad = grads_in[0] if grads_in else None
                caption = self.tr("arrived (grad_output):") if len(grads_in) < 2 else \
                    self.tr("arrived at output 0 of {count}:").format(count=len(grads_in))
                for k, g in enumerate(grads_in[1:], 1):
                    sent.append(self.tr("arrived at output {k}: {grad}").format(
                        k=k, grad=self._brief(g)))
                inputs = attrs.get("inputs") or ()
                for k, g in enumerate(getattr(step, "grads_out", ()) or ()):
                    src = inputs[k] if k < len(inputs) else None
                    if src is None:
                        continue
                    slot = self.tr(" (input {k})").format(k=k) if len(inputs) > 1 else ""
                    sent.append(self.tr("sent to {node}{slot}: {grad}").format(
                        node=self._name(graph, src), slot=slot, grad=self._brief(g)))
                if getattr(step, "op", None) == "AccumulateGrad":
                    sent.append(self.tr(".grad after: {grad}").format(
                        grad=self._brief(step.grad_after)))
                self._show_rule(step, timeline)
            elif node_id in getattr(state, "pending", ()):
                empty = self.tr("nothing yet: backward has not reached it (it waits for its "
                                "gradient)")
            elif getattr(state, "call", None) is None:
                empty = self.tr("nothing yet: no backward call has run at this step")
            else:
                empty = self.tr("not run in this backward call")
        elif kind == "tensor":
            grad, caption = self._gradient_reaching(node_id, graph, state, timeline)
        flows = [] if kind in ("function", "accumulate") else self._flows(node_id, state, graph)
        shown_none = grad is None and (flows or sent)
        self.grad_caption.setText(caption)
        self.grad_caption.setVisible(bool(caption) and grad is not None)
        self.grad_view.set_array(grad, empty=empty)
        self.grad_view.setVisible(not shown_none)
        lines = sent + flows
        self.grad_flow.setText("\n".join(lines))
        self.grad_flow.setVisible(bool(lines))

    def _show_rule(self, step, timeline) -> None:
        """The rule `step` applied, with its numbers; hidden for no step or an op that
        model/explain does not know. The prose is translated, the formulas stay."""
        expl = None
        if step is not None:
            rec = getattr(timeline, "recording", None)   # its graph: saved values, rule args
            expl = explain.explain_step(step, explain.saved_for_step(rec, step),
                                        getattr(rec, "graph", None))
        self.explanation = expl
        if expl is None:
            self.rule_box.hide()
            return

        def translate(text: str) -> str:
            return QCoreApplication.translate(explain.CONTEXT, text)
        self.rule_prose.setText(translate(expl.rule).format(**expl.args))
        rows = []
        for term in expl.given + expl.results:
            text = term.name + (f" = {term.formula}" if term.formula else "")
            if term.value is not None:
                text += f" = {explain.format_numbers(term.value)}"
            row = html.escape(text)
            if term.note:
                note = html.escape(translate(term.note).format(**term.args))
                row += f'<br><span style="color:#808080">&nbsp;&nbsp;{note}</span>'
            rows.append(row)
        self.rule_lines.setText("<br>".join(rows))
        self.rule_box.show()

    def rule_text(self) -> str:
        """What the rule box shows, as plain text ("" when hidden)."""
        if self.rule_box.isHidden():
            return ""
        doc = QTextDocument()
        doc.setHtml(self.rule_lines.text())
        return self.rule_prose.text() + "\n" + doc.toPlainText().replace("\xa0", " ")

    def _gradient_reaching(self, node_id, graph, state, timeline):
        """(array, caption) for a non-leaf tensor: the sum of what its consumers have sent it
        so far in the backward call shown (what its grad_fn will receive)."""
        if graph is None or timeline is None or node_id not in graph:
            return None, ""
        total, omitted = None, None
        for consumer in graph.successors(node_id):
            attrs = graph.nodes[consumer]
            step = timeline.step_for(consumer, state.index) \
                if attrs.get("kind") == "function" else None
            if step is None:
                continue
            for src, g in zip(attrs.get("inputs") or (), getattr(step, "grads_out", ()) or ()):
                if src != node_id or g is None:
                    continue
                if isinstance(g, ValueStats):   # above the cap: no elements to add up
                    omitted = g
                    continue
                arr = g
                if arr is not None:
                    total = np.array(arr, dtype=np.result_type(arr, np.float32)) \
                        if total is None else total + arr
        if omitted is not None:
            return omitted, "the gradient that reached it so far:"
        if total is None:
            return None, ""
        return total, self.tr("the gradient that reached it so far (a non-leaf keeps no .grad "
                              "unless retain_grad()):")

    def _flows(self, node_id, state, graph) -> list[str]:
        flows = []
        edge_grads = getattr(state, "edge_grads", {}) if state is not None else {}
        for (u, v), info in (edge_grads or {}).items():
            if info is None or node_id not in (u, v):
                continue
            text = self.tr("∇ arrived from {node}: {grad}") if u == node_id else \
                self.tr("∇ sent to {node}: {grad}")
            other = v if u == node_id else u
            flows.append(text.format(node=self._name(graph, other), grad=self._info(info)))
        return flows

    @staticmethod
    def _info(info) -> str:
        norm = "nan" if info.norm is None or (isinstance(info.norm, float) and
                                              math.isnan(info.norm)) else f"{info.norm:.4g}"
        return QCoreApplication.translate("Inspector", "shape {shape}, ‖·‖ {norm}").format(
            shape=format_shape(info.shape), norm=norm) + (
            "" if getattr(info, "finite", True) else "  ⚠ NaN/inf")

    def _show_group(self, attrs, state, graph) -> None:
        """A collapsed group: its members, and what flows in and out of it at this step."""
        members = [m for m in attrs.get("members") or () if graph is None or m in graph]
        for box in (self.props_box, self.value_box, self.grad_box, self.saved_box):
            box.hide()
        self.kind_label.setText(self.tr("collapsed group of %n nodes · double-click or "
                                        "right-click to expand", "", len(members)))
        inside = set(members)
        names = [self._name(graph, m) for m in members]
        lines = [self.tr("members: {names}").format(
            names=", ".join(names[:40]) + (" …" if len(names) > 40 else ""))]
        edge_grads = getattr(state, "edge_grads", {}) or {} if state is not None else {}
        ins, outs = [], []
        if graph is not None:
            for u, v, data in graph.edges(data=True):
                if (u in inside) == (v in inside):
                    continue
                info = edge_grads.get((u, v))
                grad = f"; ∇ {self._info(info)}" if info is not None else ""
                shape = format_shape(data.get("shape"))
                if v in inside:
                    ins.append(self.tr("in from {source} → {target}: {shape}{grad}").format(
                        source=self._name(graph, u), target=self._name(graph, v), shape=shape,
                        grad=grad))
                else:
                    outs.append(self.tr("out {source} → {target}: {shape}{grad}").format(
                        source=self._name(graph, u), target=self._name(graph, v), shape=shape,
                        grad=grad))
        self.group_label.setText("\n".join(lines + ins + outs))
        self.group_box.show()

    def _show_saved(self, node_id, graph, state=None, timeline=None) -> None:
        """What the node saved for its backward (each marked once a backward step freed it),
        or, for a saved tensor, whose it is."""
        lines = []
        self.saved_box.setTitle(self.tr("Saved tensors"))
        if graph is not None and node_id in graph and \
                graph.nodes[node_id].get("kind") == "saved":   # whose saved tensor this is
            owner = graph.nodes[node_id].get("owner")
            self.saved_box.setTitle(self.tr("Saved by"))
            lines = [self.tr("{node} (for its backward), as {name}").format(
                node=self._name(graph, owner), name=graph.nodes[node_id].get("label"))] \
                if owner in graph else []
        elif graph is not None and node_id in graph:
            for u, v, data in list(graph.in_edges(node_id, data=True)) + \
                    list(graph.out_edges(node_id, data=True)):
                other = u if v == node_id else v
                attrs = graph.nodes[other]
                if data.get("kind") == "saved" or attrs.get("kind") == "saved":
                    freed = timeline.freed_at(other) if timeline is not None and \
                        state is not None else None
                    gone = "" if freed is None or state.index < freed else \
                        self.tr(" (freed by this backward step)") if state.index == freed else \
                        self.tr(" (freed by backward)")
                    lines.append(f"{attrs.get('label') or other}: "
                                 f"{format_shape(attrs.get('shape'))} {attrs.get('dtype') or ''}"
                                 .rstrip() + gone)
        self.saved_label.setText("\n".join(lines))
        self.saved_box.setVisible(bool(lines))

    def _show_step(self, state) -> None:
        entry = getattr(state, "entry", None) if state is not None else None
        step = backward_step(entry)
        if entry is None or getattr(entry, "kind", None) != "backward":
            self.step_box.hide()
            return
        lines = [retranslate(getattr(entry, "label", "") or "")]   # a Text: not str() it
        if step is not None:
            for i, g in enumerate(getattr(step, "grads_in", ()) or ()):
                lines.append(self.tr("grad in [{i}]:  {grad}").format(i=i, grad=self._brief(g)))
            for i, g in enumerate(getattr(step, "grads_out", ()) or ()):
                lines.append(self.tr("grad out [{i}]: {grad}").format(i=i, grad=self._brief(g)))
            if getattr(step, "op", None) == "AccumulateGrad":
                lines.append(self.tr(".grad before: {grad}").format(
                    grad=self._brief(step.grad_before)))
                lines.append(self.tr(".grad after:  {grad}").format(
                    grad=self._brief(step.grad_after)))
        self.step_label.setText("\n".join(lines))
        self.step_box.show()

    @staticmethod
    def _brief(value) -> str:
        if isinstance(value, ValueStats):
            norm = "" if value.norm is None else f" ‖·‖ {value.norm:.4g}"
            return f"{format_shape(value.shape)}{norm} ({value.note})"
        arr = value if isinstance(value, np.ndarray) else None
        if arr is None:
            return "None"
        if arr.size <= 6:
            with np.printoptions(precision=4, suppress=True):
                return np.array2string(arr.reshape(-1), separator=", ") + \
                    (f" {format_shape(arr.shape)}" if arr.ndim > 1 else "")
        return f"{format_shape(arr.shape)} ‖·‖ {np.linalg.norm(arr.astype(np.float64)):.4g}"

    def grad_text(self) -> str:
        return self.grad_view.display_text()

"""What the graph view draws: a node box (tensor, backward function, AccumulateGrad, saved
tensor, constant, collapsed group) and an edge with arrowhead, label and gradient pulse. Plain
objects holding what to draw and drawing themselves; the scene tells them their state and its
tiles (graph_tiles.py) paint them."""
from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)

from .edge_paths import Piece, culling_pieces, edge_pieces, on_pieces, pieces_path
from .model.hierarchy import alike_label, group_tree
from .model.i18n import Context
from .theme import LIGHT, Theme

#: QCoreApplication.translate, under the name pyside6-lupdate reads
translate = QCoreApplication.translate
# the texts with plural forms (lupdate reads GraphItems.tr(text, "", n) as context GraphItems)
GraphItems = Context("GraphItems")

#: how strongly what is off the selected node's path fades
DIM_OPACITY = 0.22
#: below this zoom (device pixels per scene unit) text is not drawn, only shapes
LOD_TEXT = 0.45
#: below this zoom edges drop labels, arrowheads and pulses
LOD_DETAIL = 0.3

PAD_X, PAD_Y = 12.0, 6.0


def format_shape(shape) -> str:
    """`(2, 3)` -> `"2×3"`, `()` -> `"scalar"` (in the user's language)."""
    if shape is None:
        return ""
    shape = tuple(shape)
    if not shape:
        return translate("GraphItems", "scalar")
    return "×".join(str(int(s)) for s in shape)


def graph_font() -> QFont:
    font = QFont()
    font.setPointSizeF(9.5)
    return font


class GraphFonts:
    """The fonts and metrics every node and edge of one scene draws with (made once)."""

    def __init__(self, font: QFont | None = None):
        self.font = QFont(font) if font is not None else graph_font()
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.small = QFont(self.font)
        self.small.setPointSizeF(self.font.pointSizeF() - 1.0)
        self.edge = QFont(self.font)
        self.edge.setPointSizeF(self.font.pointSizeF() - 1.5)
        self.fm_bold, self.fm_small = QFontMetricsF(self.bold), QFontMetricsF(self.small)
        self.fm_edge = QFontMetricsF(self.edge)
        self.label_w = max(self.fm_edge.horizontalAdvance("∇ 000×000 ‖0.00e+00‖"), 40.0)
        self.label_h = self.fm_edge.height()


_FONTS: GraphFonts | None = None


def default_fonts() -> GraphFonts:
    global _FONTS
    if _FONTS is None:
        _FONTS = GraphFonts()
    return _FONTS


class NodeItem:
    """One node of the grad_fn graph as a box: its kind picks the outline, its role the fill.
    Not a QGraphicsItem: the scene's tiles (graph_tiles.py) draw it; it holds what to draw.

    State set by the scene: `set_state(done=, active=, pending=, magnitude=, nonfinite=)`,
    `set_grad_text`, `set_search_hit`, `set_breakpoint`. Every change asks its tile
    (`owner`) to repaint the box.
    """

    __slots__ = ("node_id", "attrs", "kind", "role", "_theme", "_fonts", "_x", "_y", "_w", "_h",
                 "_texts", "_tooltip", "_grad_text", "_done", "_active", "_pending",
                 "_nonfinite", "_magnitude", "_search_hit", "_breakpoint", "_released",
                 "_dimmed", "_line_hit", "_visible", "_opacity", "owner", "index", "_scene")

    def __init__(self, node_id: str, attrs: dict, theme: Theme = LIGHT,
                 font: QFont | GraphFonts | None = None, size: tuple | None = None,
                 pos: tuple = (0.0, 0.0)):
        self.node_id = node_id
        self.attrs = attrs
        self.kind = attrs.get("kind", "tensor")
        self.role = attrs.get("role") or ("function" if self.kind == "function" else
                                          "accumulate" if self.kind == "accumulate" else
                                          "intermediate")
        self._theme = theme
        self._fonts = font if isinstance(font, GraphFonts) else \
            (GraphFonts(font) if font is not None else default_fonts())
        self._texts = None
        self._tooltip: str | None = None
        self._grad_text: str | None = None
        self._done = self._active = self._pending = False
        self._nonfinite = False
        self._magnitude: QColor | None = None
        self._search_hit = False
        self._breakpoint = False
        self._released = False   # a saved tensor that the step shown frees
        self._dimmed = False     # off the selected node's path
        self._line_hit = False   # made by the editor's cursor line
        self._visible = True
        self._opacity = 1.0
        self.owner = None        # the tile that draws it (set by the scene)
        self.index = -1          # its row in the scene's node arrays
        self._scene = None
        w, h = size if size is not None else node_box_size(attrs, self._fonts.font)
        self._w, self._h = float(w), float(h)
        self._x, self._y = float(pos[0]), float(pos[1])

    def _changed(self) -> None:
        if self.owner is not None:
            self.owner.node_changed(self)

    # ------------------------------------------------------------------ geometry
    @property
    def title(self) -> str:
        return self.texts[0]

    @property
    def subtitle(self) -> str:
        return self.texts[1]

    def retranslate(self) -> None:
        """Make the title and subtitle again (the language changed); the size stays."""
        self._texts = None
        self._changed()

    @property
    def texts(self) -> tuple[str, str]:
        if self._texts is None:
            self._texts = node_texts(self.attrs)
        return self._texts

    @property
    def has_grad_line(self) -> bool:
        return _has_grad_line(self.attrs)

    def size(self) -> tuple[float, float]:
        return self._w, self._h

    def rect(self) -> QRectF:
        """The box around (0, 0), as a QGraphicsItem's local rect."""
        return QRectF(-self._w / 2, -self._h / 2, self._w, self._h)

    def scene_rect(self) -> QRectF:
        """The box in scene coordinates."""
        return QRectF(self._x - self._w / 2, self._y - self._h / 2, self._w, self._h)

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-7, -7, 7, 7)

    def sceneBoundingRect(self) -> QRectF:
        return self.scene_rect().adjusted(-7, -7, 7, 7)

    def pos(self) -> QPointF:
        return QPointF(self._x, self._y)

    scenePos = pos

    def setPos(self, x: float, y: float) -> None:
        self._x, self._y = float(x), float(y)

    def isVisible(self) -> bool:
        return self._visible

    def setVisible(self, on: bool) -> None:
        on = bool(on)
        if on != self._visible:
            self._visible = on
            self._changed()

    def opacity(self) -> float:
        return self._opacity

    def setOpacity(self, value: float) -> None:
        if value != self._opacity:
            self._opacity = float(value)
            self._changed()

    def isSelected(self) -> bool:
        return self._scene is not None and self._scene.selected_node() == self.node_id

    def setSelected(self, on: bool) -> None:
        if self._scene is not None:
            if on:
                self._scene.select_node(self.node_id)
            elif self.isSelected():
                self._scene.clearSelection()

    def toolTip(self) -> str:
        if self._tooltip is None:
            self._tooltip = self._scene.node_tip(self) if self._scene is not None else \
                node_tooltip(self.attrs)
        return self._tooltip

    def setToolTip(self, text: str) -> None:
        self._tooltip = text

    def update(self) -> None:
        self._changed()

    # ------------------------------------------------------------------ state
    def set_theme(self, theme: Theme) -> None:
        self._theme = theme

    def set_state(self, *, done: bool = False, active: bool = False, pending: bool = False,
                  magnitude: QColor | None = None, nonfinite: bool = False) -> None:
        new = (done, active, pending, magnitude.rgba() if magnitude else None, nonfinite)
        old = (self._done, self._active, self._pending,
               self._magnitude.rgba() if self._magnitude else None, self._nonfinite)
        if new == old:
            return
        self._done, self._active, self._pending = done, active, pending
        self._magnitude, self._nonfinite = magnitude, nonfinite
        self._changed()

    @property
    def state(self) -> dict:
        return {"done": self._done, "active": self._active, "pending": self._pending,
                "nonfinite": self._nonfinite, "magnitude": self._magnitude,
                "grad_text": self._grad_text}

    def set_grad_text(self, text: str | None) -> None:
        if text != self._grad_text:
            self._grad_text = text
            self._changed()

    @property
    def grad_text(self) -> str | None:
        return self._grad_text

    def set_search_hit(self, hit: bool) -> None:
        if hit != self._search_hit:
            self._search_hit = hit
            self._changed()

    @property
    def search_hit(self) -> bool:
        return self._search_hit

    def set_released(self, on: bool) -> None:
        """Draw the box faded and say "freed now" (a saved tensor being released)."""
        if on != self._released:
            self._released = on
            self._changed()

    @property
    def released(self) -> bool:
        return self._released

    def set_dimmed(self, on: bool, repaint: bool = True) -> bool:
        """Draw the box faint: it is off the path of the node the user selected. With
        `repaint` False the tile is not told (the caller repaints the tiles of many at once);
        returns whether the look changed."""
        if on == self._dimmed:
            return False
        self._dimmed = on
        if repaint:
            self._changed()
        return True

    @property
    def dimmed(self) -> bool:
        return self._dimmed

    def set_line_hit(self, on: bool) -> None:
        """Outline the box: the line the editor's cursor is on made this node."""
        if on != self._line_hit:
            self._line_hit = on
            self._changed()

    @property
    def line_hit(self) -> bool:
        return self._line_hit

    def set_breakpoint(self, on: bool) -> None:
        if on != self._breakpoint:
            self._breakpoint = on
            self._changed()

    @property
    def plain(self) -> bool:
        """Drawn as every untouched box of its role (the tiles batch those far out)."""
        return not (self._active or self._search_hit or self._nonfinite or self._released or
                    self._dimmed or self._done or self._opacity < 1.0)

    # ------------------------------------------------------------------ painting
    def fill(self) -> QColor:
        theme = self._theme
        if self._nonfinite:
            return QColor(theme.nonfinite)
        fill = theme.role(self.role if self.kind != "group" else "constant")
        if self._done and self.kind in ("function", "accumulate"):
            done = QColor(theme.done_fill)
            fill = QColor.fromRgbF((fill.redF() + 2 * done.redF()) / 3,
                                   (fill.greenF() + 2 * done.greenF()) / 3,
                                   (fill.blueF() + 2 * done.blueF()) / 3)
        return fill

    def far_fill(self) -> QColor:
        """The one colour the box is drawn in when it is a few pixels wide."""
        theme = self._theme
        return QColor(theme.active) if self._active else \
            QColor(theme.search) if self._search_hit else self.fill()

    def far_opacity(self) -> float:
        o = self._opacity
        if self._released:
            o *= 0.5
        if self._dimmed:
            o *= DIM_OPACITY
        return o

    def paint(self, painter, lod: float, selected: bool = False) -> None:
        """Draw the box at its place in scene coordinates (the painter's are the scene's)."""
        painter.save()
        painter.translate(self._x, self._y)
        try:
            self._paint(painter, lod, selected)
        finally:
            painter.restore()

    def _paint(self, painter, lod: float, selected: bool) -> None:
        theme = self._theme
        r = self.rect()
        painter.setOpacity(painter.opacity() * self.far_opacity())
        if lod < LOD_DETAIL / 2:  # a few pixels wide: colour is all that reads
            painter.fillRect(r, self.far_fill())
            return
        radius = r.height() / 2 if self.kind == "function" else 8.0
        if self._active:
            halo = QColor(theme.active)
            halo.setAlpha(110)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(halo)
            painter.drawRoundedRect(r.adjusted(-6, -6, 6, 6), radius + 6, radius + 6)
        border = QColor(theme.text)
        width = 1.2
        style = Qt.PenStyle.SolidLine
        if self.kind == "saved":
            style = Qt.PenStyle.DashLine
        elif self.kind == "constant":
            style = Qt.PenStyle.DotLine
        if self._magnitude is not None:
            border, width = self._magnitude, 2.6
        if self._pending:
            border, width, style = QColor(theme.active), 2.2, Qt.PenStyle.DashLine
        if self._active:
            border, width, style = QColor(theme.active), 3.2, Qt.PenStyle.SolidLine
        if selected:
            border, width = QColor(theme.selection), 3.0
        if self._search_hit:
            border, width = QColor(theme.search), 3.6
        if self._line_hit:
            outline = QColor(theme.selection)
            outline.setAlpha(140)
            painter.setPen(QPen(outline, 2.0, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(r.adjusted(-4, -4, 4, 4), radius + 4, radius + 4)
        painter.setPen(QPen(border, width, style))
        painter.setBrush(self.fill())
        painter.drawRoundedRect(r, radius, radius)
        if self.kind == "accumulate":
            painter.setPen(QPen(border, 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(r.adjusted(3.5, 3.5, -3.5, -3.5), 5, 5)
        if self.kind == "group":
            painter.setPen(QPen(border, 1.0))
            painter.drawRoundedRect(r.adjusted(4, -4, 4, -4), radius, radius)
        if self._breakpoint:
            painter.setPen(QPen(QColor("#ffffff"), 1.2))
            painter.setBrush(QColor(theme.breakpoint))
            painter.drawEllipse(QPointF(r.left() + 2, r.top() + 2), 6, 6)
        if lod < LOD_TEXT:
            return
        fonts = self._fonts
        text_color = QColor("#ffffff") if self._nonfinite else QColor(theme.text)
        sub_color = QColor("#ffffff") if self._nonfinite else QColor(theme.subtext)
        fm_b, fm = fonts.fm_bold, fonts.fm_small
        title, subtitle = self.texts
        lines = [(title, fonts.bold, text_color, fm_b)]
        if self._released:
            lines.append((translate("GraphItems", "freed now"), fonts.small, sub_color, fm))
        elif subtitle:
            lines.append((subtitle, fonts.small, sub_color, fm))
        if self.has_grad_line:
            grad = self._grad_text if self._grad_text is not None else "grad: None"
            color = text_color if self._grad_text is not None else sub_color
            lines.append((grad, fonts.small, color, fm))
        total = sum(m.height() for *_, m in lines)
        y = r.center().y() - total / 2
        for text, font, color, metrics in lines:
            h = metrics.height()
            painter.setFont(font)
            painter.setPen(color)
            line_rect = QRectF(r.left() + 4, y, r.width() - 8, h)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, line_rect.width())
            painter.drawText(line_rect, Qt.AlignmentFlag.AlignCenter, shown)
            y += h


def _has_grad_line(attrs: dict) -> bool:
    return attrs.get("kind", "tensor") == "tensor" and (
        attrs.get("role") == "leaf" or bool(attrs.get("is_leaf")))


_SIZES: dict = {}
_KEYS: dict = {}


def _font_key(font: QFont) -> str:
    """font.key(), remembered per font object (asking Qt for it is most of a cached lookup)."""
    got = _KEYS.get(id(font))
    if got is None or got[0] is not font:
        if len(_KEYS) > 64:
            _KEYS.clear()
        got = _KEYS[id(font)] = (font, font.key())
    return got[1]


def node_box_size(attrs: dict, font: QFont | None = None) -> tuple[float, float]:
    """(width, height) of the box drawn for a node with `attrs`: what the layout needs.
    Pure font metrics, so it may run on a worker thread (sizes are remembered per font and
    texts: a big graph repeats the same few)."""
    font = font if font is not None else graph_font()
    title, subtitle = node_texts(attrs)
    grad = _has_grad_line(attrs)
    key = (_font_key(font), title, subtitle, grad, attrs.get("kind") == "function")
    size = _SIZES.get(key)
    if size is not None:
        return size
    bold = QFont(font)
    bold.setBold(True)
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() - 1.0)
    fm_b, fm = QFontMetricsF(bold), QFontMetricsF(small)
    width, height = fm_b.horizontalAdvance(title), fm_b.height()
    if subtitle:
        width = max(width, fm.horizontalAdvance(subtitle))
        height += fm.height()
    if grad:
        width = max(width, fm.horizontalAdvance("grad = 0.0000 + 0.0000"))
        height += fm.height()
    w = max(width + 2 * PAD_X, 64.0)
    if attrs.get("kind") == "function":
        w += 8.0
    size = (w, height + 2 * PAD_Y)
    if len(_SIZES) < 200_000:
        _SIZES[key] = size
    return size


def node_sizes(graph, font: QFont | None = None,
               collapsed=()) -> dict[str, tuple[float, float]]:
    """Box sizes for every node of `graph`, and for each collapsed group (which the layout
    names ``group:<name>``): the one place the layout's `sizes` argument is made."""
    font = font if font is not None else graph_font()
    sizes = {n: node_box_size(graph.nodes[n], font) for n in graph.nodes}
    if collapsed:   # as many members as the box will hold (its subtitle says so), its repeats
        tree = group_tree(graph)
        sizes.update({f"group:{g}": node_box_size({
            "kind": "group", "label": g, "size": len(tree.members.get(g) or ()),
            "alike": len(tree.alike.get(g) or ())}, font) for g in collapsed})
    return sizes


def _escape(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


#: what a tensor node's tooltip calls it, by role (sources marked for lupdate)
TENSOR_ROLES = {"leaf": N("GraphItems", "leaf tensor"), "output": N("GraphItems", "output tensor"),
                "constant": N("GraphItems", "constant"),
                "intermediate": N("GraphItems", "intermediate tensor"),
                "tensor": N("GraphItems", "tensor")}


def node_tooltip(attrs: dict, names: dict | None = None) -> str:
    """What a node is, as rich text: its op (PyTorch's name), its inputs, what it saved
    (names and shapes); `names` gives the input nodes' labels (node id -> label)."""
    kind = attrs.get("kind", "tensor")
    label = _escape(attrs.get("label") or attrs.get("op") or "")
    shape = format_shape(attrs.get("shape"))
    lines = [f"<b>{label}</b>"]
    if kind == "function":
        op = f"<tt>{_escape(attrs.get('op'))}</tt>"
        lines.append(translate("GraphItems", "backward function {op} (a grad_fn node)").format(
            op=op) + (translate("GraphItems", ": records {op} done in place").format(
                op=_escape(attrs["wraps"])) if attrs.get("wraps") else ""))
        inputs = attrs.get("inputs") or ()
        if inputs:
            named = [_escape((names or {}).get(src, src)) if src is not None else
                     translate("GraphItems", "a constant") for src in inputs]
            lines.append(translate("GraphItems", "inputs (next_functions): {names}").format(
                names=", ".join(named)))
        saved = attrs.get("saved") or {}
        lines.append(translate("GraphItems", "saved: {tensors}").format(tensors=", ".join(
            f"{_escape(n)} {format_shape(s) or '?'} {d or ''}".rstrip()
            for n, (s, d) in saved.items()) if saved else translate("GraphItems", "nothing")))
    elif kind == "accumulate":
        leaf = attrs.get("leaf_label") or translate("GraphItems", "the leaf")
        lines.append(translate("GraphItems", "AccumulateGrad: adds the gradient into "
                               "{leaf}.grad ({shape} {dtype})").format(
            leaf=_escape(leaf), shape=shape, dtype=attrs.get("dtype") or "").replace(" )", ")"))
    elif kind == "group":
        n = len(attrs.get("members") or ())
        lines.append(GraphItems.tr("collapsed group of %n nodes: double-click to expand", "", n))
    elif kind == "saved":
        lines.append(translate("GraphItems", "saved for backward: {shape} {dtype}").format(
            shape=shape, dtype=attrs.get("dtype") or "").rstrip())
    else:
        role = TENSOR_ROLES.get(attrs.get("role"), TENSOR_ROLES["tensor"])
        role = translate("GraphItems", role)
        lines.append(f"{role} {shape} {attrs.get('dtype') or ''}".rstrip()
                     + (", requires_grad=True" if attrs.get("requires_grad") else ""))
        lines.append(f"grad_fn: {_escape(attrs.get('grad_fn') or 'None')}")
    return "<br>".join(f"<nobr>{line}</nobr>" for line in lines)   # one line each, unwrapped


def node_texts(attrs: dict) -> tuple[str, str]:
    """Title and subtitle of a node box: user name or op name, then shape and dtype."""
    kind = attrs.get("kind", "tensor")
    label = str(attrs.get("label") or attrs.get("op") or "")
    if kind == "accumulate" and attrs.get("leaf") is None and attrs.get("leaf_label"):
        # an unnamed leaf (a module's parameter): say whose .grad this node fills
        shape = format_shape(attrs.get("shape"))
        return label or "AccumulateGrad", " ".join(
            p for p in (str(attrs["leaf_label"]), shape) if p)
    if kind in ("function", "accumulate"):
        return label or ("AccumulateGrad" if kind == "accumulate" else "?"), ""
    if kind == "group":
        n = len(attrs.get("members") or ()) or attrs.get("size")
        label = alike_label(label, int(attrs.get("alike") or 0))   # a repeated block
        if not n:
            return f"▸ {label}", translate("GraphItems", "collapsed")
        return f"▸ {label}", GraphItems.tr("collapsed: %n nodes", "", int(n))
    shape = format_shape(attrs.get("shape"))
    dtype = str(attrs.get("dtype") or "").replace("torch.", "")
    sub = " ".join(p for p in (shape, dtype) if p)
    if attrs.get("device") and str(attrs["device"]).startswith("cuda"):
        sub += " · cuda"
    if not label:
        label = translate("GraphItems", "tensor")
    return label, sub


class EdgeItem:
    """An edge drawn along the layout's polyline, arrowhead at the consumer, with its shape as
    label; while backward runs it shows the gradient's shape and norm and a travelling pulse.
    Not a QGraphicsItem: the scene's edge tiles draw it. Its curves, arrowhead and label place
    are worked out the first time they are needed (a tile painting it, a trunk sharing it).

    Where the edge shares a trunk with other edges (`set_shared`), a TrunkItem draws the
    shared stretch once and the edge draws only its own pieces, unless it is highlighted,
    pulsing or non-finite: then it draws its whole path on top."""

    ARROW = 9.0

    def __init__(self, source: str, target: str, attrs: dict, points, theme: Theme = LIGHT,
                 font: QFont | GraphFonts | None = None):
        self.source, self.target = source, target
        self.attrs = attrs
        self.kind = attrs.get("kind", "data")
        self._theme = theme
        self._fonts = font if isinstance(font, GraphFonts) else \
            (GraphFonts(font) if font is not None else default_fonts())
        self._font = self._fonts.edge
        self._label_w = self._fonts.label_w
        self._label_h = self._fonts.label_h
        self._grad_label: str | None = None
        self._magnitude: QColor | None = None
        self._nonfinite = False
        self._pulse: float | None = None
        self._highlight = False
        self._on_path: str | None = None   # "input" or "grad": on the selected node's path
        self._dimmed = False
        self._visible = True
        self._shape_path: QPainterPath | None = None
        self.owner = None     # the tile that draws it (set by the scene)
        self._points = [(float(x), float(y)) for x, y in points]
        self._own_pieces = None
        self._label_at = 0.5
        self._label_left = False   # the label on the edge's left (where the right is taken)
        self._geom = False

    def _changed(self) -> None:
        if self.owner is not None:
            self.owner.edge_changed(self)

    @property
    def points(self) -> list[tuple[float, float]]:
        """The polyline it follows (clipped to the boxes), source to consumer."""
        return list(self._points)

    def rough_bounds(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) around everything it may draw (label included), without working
        out its curves."""
        xs = [p[0] for p in self._points]
        ys = [p[1] for p in self._points]
        a = self.ARROW + 2
        return (min(xs) - a, min(ys) - self._label_h - a,
                max(xs) + self._label_w + a + 6, max(ys) + self._label_h + a)

    def _ensure(self) -> None:
        if self._geom:
            return
        self._geom = True
        self._all = edge_pieces(self._points)
        path = pieces_path(self._all)
        self._path = path
        # arrowhead at the consumer end, along the last 8 units of the path
        last = self._all[-1]
        tail = pieces_path([last]) if last.kind == "Q" or len(self._all) == 1 else \
            pieces_path(self._all[-2:])
        length = tail.length()
        end = QPointF(*last.b)
        before = tail.pointAtPercent(max(0.0, 1.0 - 8.0 / max(length, 8.0)))
        angle = math.atan2(end.y() - before.y(), end.x() - before.x())
        a = self.ARROW
        self._arrow = QPolygonF([
            end, end - QPointF(a * math.cos(angle - 0.42), a * math.sin(angle - 0.42)),
            end - QPointF(a * math.cos(angle + 0.42), a * math.sin(angle + 0.42))])
        self._arrow_rect = self._arrow.boundingRect().adjusted(-2, -2, 2, 2)
        self._full = (path, self._all, path.boundingRect().adjusted(-a, -a, a, a))
        self._own = self._full
        self._label_run = path
        own, self._own_pieces = self._own_pieces, None
        if own is not None:
            self._set_shared(own)
        self._update_geometry()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme

    def set_points(self, points) -> None:
        """Route the edge along `points` (the layout's polyline, clipped to the boxes)."""
        self._points = [(float(x), float(y)) for x, y in points]
        self._geom = False
        self._own_pieces = None
        self._label_at = 0.5
        self._label_left = False   # the label on the edge's left (where the right is taken)
        self._changed()

    @property
    def pieces(self) -> list[Piece]:
        """Every piece of the edge's path, source to consumer."""
        self._ensure()
        return list(self._all)

    def set_shared(self, own: list[Piece] | None) -> None:
        """Draw only the pieces in `own` (a TrunkItem draws the rest); None draws them all.
        A label whose place is on a shared stretch moves to the middle of the last stretch
        the edge draws alone."""
        self._ensure()
        self._set_shared(own)
        self._update_geometry()
        self._changed()

    def _set_shared(self, own) -> None:
        self._own_pieces = own
        self._label_run = self._path
        if own is None:
            self._own = self._full
        else:
            path = pieces_path(own)
            self._own = (path, own,
                         path.boundingRect().adjusted(-self.ARROW, -self.ARROW,
                                                      self.ARROW, self.ARROW))
            if not on_pieces(self._path.pointAtPercent(0.5), own):
                run = [own[-1]]
                for p in reversed(own[:-1]):
                    if math.dist(p.b, run[0].a) > 1e-6:
                        break
                    run.insert(0, p)
                self._label_run = pieces_path(run)

    @property
    def shares_trunk(self) -> bool:
        return self._own_pieces is not None

    def set_label_at(self, fraction: float, left: bool = False) -> None:
        """Put the label at `fraction` (0 to 1) along the stretch it labels, on the edge's
        right (its text starting there) or, with `left`, on its left (ending there)."""
        self._ensure()
        if fraction != self._label_at or left != self._label_left:
            self._label_at, self._label_left = fraction, left
            self._update_geometry()
            self._changed()

    @property
    def label_place(self) -> tuple[float, bool]:
        """(fraction along the edge, on its left) of the label."""
        return self._label_at, self._label_left

    def label_rect(self) -> QRectF:
        """Where the label may be drawn (room for the widest gradient label), scene coords."""
        self._ensure()
        return QRectF(self._label_box)

    def label_text(self) -> str:
        """The label drawn now: the gradient while backward runs, else the shape."""
        return self._grad_label or ("" if self.kind == "saved" else
                                    format_shape(self.attrs.get("shape")))

    def text_rect(self) -> QRectF:
        """Where the label's text is drawn now (empty when there is none), scene coords."""
        self._ensure()
        text = self.label_text()
        if not text:
            return QRectF()
        fm = self._fonts.fm_edge
        w = fm.horizontalAdvance(text) + 6
        x = self._label_pos.x() - 5 - w if self._label_left else self._label_pos.x() + 5
        return QRectF(x, self._label_pos.y() - fm.height() / 2, w, fm.height())

    def _whole(self) -> bool:
        """Whether the edge draws its whole path, trunk included: when it stands out."""
        return self._highlight or self._nonfinite or self._pulse is not None or \
            self._on_path is not None

    @property
    def plain(self) -> bool:
        """Drawn as every untouched edge of its kind (the tiles batch those)."""
        return not (self._whole() or self._dimmed or self._magnitude is not None)

    def _update_geometry(self) -> None:
        if not self._geom:
            return
        self._label_pos = self._label_run.pointAtPercent(self._label_at)
        x = self._label_pos.x()
        self._label_rect = QRectF(x - 4 - self._label_w if self._label_left else x + 4,
                                  self._label_pos.y() - self._label_h,
                                  self._label_w, 2 * self._label_h)
        self._label_box = QRectF(x - 5 - self._label_w if self._label_left else x + 5,
                                 self._label_pos.y() - self._label_h / 2,
                                 self._label_w, self._label_h)
        path, pieces, bounds = self._full if self._whole() else self._own
        self._drawn, self._drawn_list, self._drawn_pieces = path, pieces, None
        self._bounds = bounds.united(self._label_rect).united(
            self._arrow.boundingRect().adjusted(-2, -2, 2, 2))
        self._shape_path = None

    @property
    def path(self) -> QPainterPath:
        """The whole path, source to consumer."""
        self._ensure()
        return QPainterPath(self._path)

    def drawn_path(self) -> QPainterPath:
        """What the edge draws itself now: its own pieces, or its whole path."""
        self._ensure()
        return QPainterPath(self._drawn)

    def boundingRect(self) -> QRectF:
        """Everything it draws, in scene coordinates."""
        self._ensure()
        return QRectF(self._bounds)

    sceneBoundingRect = boundingRect

    def shape(self) -> QPainterPath:
        """Where the mouse is on it (8 units wide)."""
        self._ensure()
        if self._shape_path is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(8)
            self._shape_path = stroker.createStroke(self._drawn)
        return self._shape_path

    def isVisible(self) -> bool:
        return self._visible

    def setVisible(self, on: bool) -> None:
        on = bool(on)
        if on != self._visible:
            self._visible = on
            self._changed()

    def update(self) -> None:
        self._changed()

    def _restyled(self, was_whole: bool, repaint: bool = True) -> None:
        """Repaint after a state change; when it changes whether the whole path is drawn, the
        drawn path changes too (only for an edge sharing a trunk: else both are the same)."""
        if self._whole() != was_whole and self._geom and self._own is not self._full:
            self._update_geometry()
        if repaint:
            self._changed()

    def set_grad(self, label: str | None, magnitude: QColor | None, nonfinite: bool = False):
        key = (label, magnitude.rgba() if magnitude else None, nonfinite)
        if key != (self._grad_label, self._magnitude.rgba() if self._magnitude else None,
                   self._nonfinite):
            was = self._whole()
            self._grad_label, self._magnitude, self._nonfinite = label, magnitude, nonfinite
            self._restyled(was)

    @property
    def grad_label(self) -> str | None:
        return self._grad_label

    def set_pulse(self, progress: float | None) -> None:
        """Place the gradient pulse: 0 at the consumer, 1 at the producer; None hides it."""
        was = self._whole()
        self._pulse = progress
        self._restyled(was)

    @property
    def pulse(self) -> float | None:
        return self._pulse

    def set_highlight(self, on: bool) -> None:
        if on != self._highlight:
            was = self._whole()
            self._highlight = on
            self._restyled(was)

    @property
    def highlighted(self) -> bool:
        return self._highlight

    def set_path(self, on: str | None, dimmed: bool = False, repaint: bool = True) -> bool:
        """Mark the edge as on the selected node's path: ``"input"`` (towards its inputs),
        ``"grad"`` (the gradient's way from the output to it), or None; `dimmed` draws it faint
        (a path is shown and this edge is off it). With `repaint` False the tile is not told
        (the caller repaints the tiles of many at once); returns whether the look changed."""
        if on == self._on_path and dimmed == self._dimmed:
            return False
        if self._geom and self._own is not self._full:   # sharing a trunk: the drawn path
            was = self._whole()                           # may change
            self._on_path, self._dimmed = on, dimmed
            self._restyled(was, repaint)
            return True
        self._on_path, self._dimmed = on, dimmed
        if repaint:
            self._changed()
        return True

    @property
    def on_path(self) -> str | None:
        return self._on_path

    @property
    def dimmed(self) -> bool:
        return self._dimmed

    @property
    def batch_key(self) -> tuple | None:
        """(kind, on_path, dimmed), with the gradient colour's rgba after them while it has
        one, when the edge's line looks like every other's with that key, so a tile draws
        them all in one path (`batch_pen` gives the pen); None when it draws itself (pulse,
        highlight, non-finite)."""
        if self._highlight or self._nonfinite or self._pulse is not None:
            return None
        if self._magnitude is not None:
            return self.kind, self._on_path, self._dimmed, self._magnitude.rgba()
        return self.kind, self._on_path, self._dimmed

    def pen_style(self) -> tuple[QColor, float, Qt.PenStyle]:
        """Colour, width and dash of the line as it stands now."""
        theme = self._theme
        color, width, style = batch_pen(theme, (self.kind, None, False))
        if self._magnitude is not None:
            color, width = self._magnitude, 2.6
        if self._nonfinite:
            color, width = QColor(theme.nonfinite), 2.8
        if self._on_path == "grad":
            color = QColor(theme.selection) if self._magnitude is None else color
            width += 1.6
        elif self._on_path == "input":
            width += 0.8
        if self._highlight:
            width += 1.2
        return color, width, style

    def shows_in(self, exposed: QRectF, lod: float) -> bool:
        """Whether anything it draws at zoom `lod` meets `exposed`: a long edge's bounds reach
        across the view while the pieces it draws itself (those no trunk draws) may lie far
        from it, and a big graph has thousands of such edges."""
        self._ensure()
        bounds = self._bounds
        if not bounds.intersects(exposed):
            return False
        if exposed.contains(bounds) or self._pulse is not None:
            return True
        if self._arrow_rect.intersects(exposed) or (
                lod >= LOD_TEXT and self._label_rect.intersects(exposed)):
            return True
        if self._drawn_pieces is None:
            self._drawn_pieces = culling_pieces(self._drawn_list)
        return any(b.intersects(exposed) for b, _ in self._drawn_pieces)

    def paint(self, painter, lod: float, exposed: QRectF, line: bool = True) -> None:
        """Draw the edge (scene coordinates): its line unless `line` is False (a tile drew it
        batched), then arrowhead, pulse and label as the zoom `lod` allows."""
        if not self.shows_in(exposed, lod):
            return
        painter.save()
        try:
            if self._dimmed:
                painter.setOpacity(painter.opacity() * DIM_OPACITY)
            color, width, style = self.pen_style()
            if line:
                if lod < LOD_DETAIL:  # far out: a one-pixel hairline is all that can be seen
                    pen = QPen(color, 0)
                    painter.setRenderHint(painter.RenderHint.Antialiasing, False)
                else:
                    pen = QPen(color, width, style)
                    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                if len(self._drawn_list) > 2 and not exposed.contains(self._bounds):
                    if self._drawn_pieces is None:
                        self._drawn_pieces = culling_pieces(self._drawn_list)
                    for bounds, piece in self._drawn_pieces:
                        if bounds.intersects(exposed):
                            painter.drawPath(piece)
                else:
                    painter.drawPath(self._drawn)
            if lod < LOD_DETAIL:
                return
            painter.setPen(QPen(color, 1.0))
            painter.setBrush(color)
            painter.drawPolygon(self._arrow)
            if self._pulse is not None:
                self.paint_pulse(painter)
            if lod >= LOD_TEXT:
                self._paint_label(painter, exposed)
        finally:
            painter.restore()

    def paint_label(self, painter, exposed: QRectF) -> None:
        """Draw only the label (the tile drew the line and arrowhead batched)."""
        self._ensure()
        if self.label_text() and self._label_rect.intersects(exposed):
            painter.save()
            self._paint_label(painter, exposed)
            painter.restore()

    def _paint_label(self, painter, exposed: QRectF) -> None:
        theme = self._theme
        text = self.label_text()
        if not text or not self._label_rect.intersects(exposed):
            return
        painter.setFont(self._font)
        rect = self.text_rect()
        bg = QColor(theme.background)
        bg.setAlpha(215)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(bg))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(QColor(theme.nonfinite) if self._nonfinite else
                       QColor(theme.text) if self._grad_label else QColor(theme.subtext))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def pulse_point(self) -> QPointF | None:
        """Where the pulse is now (scene coordinates), None when none runs."""
        if self._pulse is None:
            return None
        self._ensure()
        return self._path.pointAtPercent(min(max(1.0 - self._pulse, 0.0), 1.0))

    def paint_pulse(self, painter) -> None:
        p = self.pulse_point()
        if p is None:
            return
        theme = self._theme
        glow = QColor(theme.pulse)
        glow.setAlpha(90)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(glow)
        painter.drawEllipse(p, 11, 11)
        painter.setBrush(QColor(theme.pulse))
        painter.setPen(QPen(QColor(theme.text), 1.0))
        painter.drawEllipse(p, 5.5, 5.5)


def batch_pen(theme: Theme, key: tuple) -> tuple[QColor, float, Qt.PenStyle]:
    """Colour, width and dash of the edges whose `EdgeItem.batch_key` is `key` (the opacity
    of a dimmed one is DIM_OPACITY)."""
    kind, on_path = key[0], key[1]
    color = QColor(theme.edge)
    width, style = 1.4, Qt.PenStyle.SolidLine
    if kind == "cut":
        color, style = QColor(theme.edge_cut), Qt.PenStyle.DashLine
    elif kind == "saved":
        color, style = QColor(theme.edge_saved), Qt.PenStyle.DotLine
    magnitude = len(key) > 3   # a gradient colour: its rgba
    if magnitude:
        color, width = QColor.fromRgba(key[3]), 2.6
    if on_path == "grad":
        color, width = (color if magnitude else QColor(theme.selection)), width + 1.6
    elif on_path == "input":
        width += 0.8
    return color, width, style


def clip_to_rect(inside: QPointF, outside: QPointF, rect: QRectF) -> QPointF:
    """Where the segment from `inside` (in `rect`) towards `outside` leaves `rect`."""
    if not rect.contains(inside) or rect.contains(outside):
        return inside
    x0, y0 = inside.x(), inside.y()
    dx, dy = outside.x() - x0, outside.y() - y0
    t = 1.0   # the first side the segment reaches
    if dx > 0:
        t = min(t, (rect.right() - x0) / dx)
    elif dx < 0:
        t = min(t, (rect.left() - x0) / dx)
    if dy > 0:
        t = min(t, (rect.bottom() - y0) / dy)
    elif dy < 0:
        t = min(t, (rect.top() - y0) / dy)
    return QPointF(x0 + t * dx, y0 + t * dy)

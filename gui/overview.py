"""The graph view's overview (minimap): the whole graph in miniature in a corner of the view, the
part on screen as a rectangle to drag, and the active backward node marked."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QWidget


class GraphOverview(QWidget):
    """A miniature of the view's scene, drawn from the layout (the shown boxes in their role
    colours, edges as hairlines) into a cached pixmap made once per graph, theme, size and
    set of shown nodes (nodes not made yet at the step shown are left out). A press or
    drag centres the view on that point; the viewport rectangle and the active node follow
    the view's scroll, zoom and the state shown.

    The miniature keeps the graph's aspect within `MAX_SIZE`, but never gets narrower or
    flatter than `MIN_SIZE`: a very tall or very wide graph (a 20,000-node chain) is
    stretched across, its shape showing instead of a sub-pixel line, and every box is drawn
    at least `MIN_BOX` pixels on a side (a cosmetic outline in its colour)."""

    MAX_SIZE = QSize(240, 170)
    MIN_SIZE = QSize(64, 64)
    MIN_BOX = 1.0      # pixels: the least width and height a box is drawn with
    MARGIN = 6.0
    MAX_EDGES = 3000   # edges drawn in the miniature; bigger graphs show their boxes only

    def __init__(self, view):
        super().__init__(view)
        self._view = view
        self._pixmap: QPixmap | None = None
        self._key: tuple | None = None
        self._source = QRectF()          # the scene rect the miniature shows
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.resize(self.MAX_SIZE)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setToolTip(self.tr("Overview: drag the rectangle (or click) to move the view"))

    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ geometry
    def scene_rect(self) -> QRectF:
        return QRectF(self._source)

    def _inner(self) -> QRectF:
        m = self.MARGIN
        return QRectF(self.rect()).adjusted(m, m, -m, -m)

    def _scale(self) -> tuple[float, float, QPointF]:
        """Scales across and down and the offset from scene to widget coordinates, centred:
        the aspect kept where the widget has the graph's (`fit_size`), else each axis fills
        the widget (a chain far taller than wide is stretched across to `MIN_SIZE`)."""
        inner, src = self._inner(), self._source
        if src.isEmpty():
            return 1.0, 1.0, inner.topLeft()
        kx, ky = inner.width() / src.width(), inner.height() / src.height()
        k = min(kx, ky)
        # the aspect kept unless the widget is at its least size on the graph's narrow side
        if kx > k and self.width() > self.MIN_SIZE.width():
            kx = k
        if ky > k and self.height() > self.MIN_SIZE.height():
            ky = k
        off = QPointF(inner.left() + (inner.width() - src.width() * kx) / 2 - src.left() * kx,
                      inner.top() + (inner.height() - src.height() * ky) / 2 - src.top() * ky)
        return kx, ky, off

    def to_widget(self, p: QPointF) -> QPointF:
        kx, ky, off = self._scale()
        return QPointF(p.x() * kx + off.x(), p.y() * ky + off.y())

    def to_scene(self, p: QPointF) -> QPointF:
        kx, ky, off = self._scale()
        return QPointF((p.x() - off.x()) / kx, (p.y() - off.y()) / ky)

    def viewport_rect(self) -> QRectF:
        """The part of the scene on screen, in this widget's coordinates."""
        view = self._view
        shown = view.mapToScene(view.viewport().rect()).boundingRect()
        return QRectF(self.to_widget(shown.topLeft()), self.to_widget(shown.bottomRight()))

    def _graph_rect(self) -> QRectF:
        """The whole graph in scene coordinates: the layout's bounds and the group frames (no
        walk over every item)."""
        scene = self._view.graph_scene
        if not scene.nodes:
            return QRectF()
        bounds = getattr(scene.layout, "bounds", None)
        if bounds is None:
            return scene.graph_rect()
        x0, y0, x1, y1 = bounds
        rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        frames = scene.frames_rect()   # frames and their titles reach past the boxes
        if not frames.isEmpty():
            rect = rect.united(frames)
        return rect.adjusted(-30, -30, 30, 30)

    def fit_size(self) -> None:
        """Take the graph's aspect within MAX_SIZE (called when a graph is set)."""
        src = self._graph_rect()
        w, h = self.MAX_SIZE.width(), self.MAX_SIZE.height()
        if not src.isEmpty():
            m = 2 * self.MARGIN
            k = min((w - m) / src.width(), (h - m) / src.height())
            w = max(int(src.width() * k + m), self.MIN_SIZE.width())
            h = max(int(src.height() * k + m), self.MIN_SIZE.height())
        if self.size() != QSize(w, h):
            self.resize(w, h)
            self._view.place_overlays()

    # ------------------------------------------------------------------ drawing
    def invalidate(self) -> None:
        """The graph (or its look) changed: draw the miniature again at the next paint."""
        self._pixmap = None
        self.update()

    def _miniature(self) -> QPixmap:
        scene = self._view.graph_scene
        if not scene.far_ready:   # a big graph still building: the miniature once its tiles
            # far-out pictures are made
            self._pixmap = None
            pixmap = QPixmap(1, 1)
            pixmap.fill(Qt.GlobalColor.transparent)
            return pixmap
        key = (id(scene.layout), len(scene.nodes), scene.theme.name, self.width(),
               self.height(), self.devicePixelRatioF(), scene.shown_version)
        if self._pixmap is not None and key == self._key:
            return self._pixmap
        self._key = key
        self._source = self._graph_rect()
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(int(self.width() * ratio), int(self.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        theme = scene.theme
        bg = QColor(theme.background)
        bg.setAlpha(235)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(theme.edge), 1))
        painter.setBrush(bg)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        kx, ky, off = self._scale()
        painter.translate(off)
        painter.scale(kx, ky)
        if len(scene.edges) <= self.MAX_EDGES:   # more would only grey the miniature over
            edges = QPainterPath()
            for edge in scene.edges.values():
                if edge.isVisible():
                    edges.addPath(edge.path)
            line = QColor(theme.edge)
            line.setAlpha(140)   # hairlines under the boxes, so the boxes read first
            painter.setPen(QPen(line, 0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(edges)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        # each box outlined by a cosmetic pen of its colour: at least MIN_BOX pixels on a side
        # however small the scale (a chain's boxes are a hundredth of a pixel tall each)
        outline = QPen(Qt.PenStyle.SolidLine)
        outline.setCosmetic(True)
        outline.setWidthF(self.MIN_BOX)
        far = scene.far_item
        arrays = far.box_arrays() if far is not None and len(scene.nodes) > self.MAX_EDGES \
            else None
        if arrays is not None:   # a big graph: its boxes by colour, snapped to the pixels
            painter.resetTransform()
            painter.scale(1 / ratio, 1 / ratio)
            painter.setPen(Qt.PenStyle.NoPen)
            for (rgba, _), columns in arrays.items():
                painter.setBrush(QColor.fromRgba(rgba))
                painter.drawRects(self._pixel_rects(columns, kx, ky, off, ratio))
        elif far is not None and len(scene.nodes) > self.MAX_EDGES:
            # a big graph: the far-out picture's batches (the shown boxes by colour), made once
            for (rgba, _), rects in far.box_batches().items():
                outline.setColor(QColor.fromRgba(rgba))
                painter.setPen(outline)
                painter.setBrush(QColor.fromRgba(rgba))
                painter.drawRects(rects)
        else:
            by_role: dict[str, list[QRectF]] = {}
            for item in scene.nodes.values():
                if not item.isVisible():
                    continue
                role = item.role if item.kind != "group" else "constant"
                by_role.setdefault(role, []).append(item.scene_rect())
            for role, rects in by_role.items():   # one call per colour
                outline.setColor(theme.role(role))
                painter.setPen(outline)
                painter.setBrush(theme.role(role))
                painter.drawRects(rects)
        painter.end()
        self._pixmap = pixmap
        return pixmap

    def _pixel_rects(self, columns, kx: float, ky: float, off: QPointF,
                     ratio: float) -> list[QRect]:
        """Boxes given as numpy columns ``(x0, y0, x1, y1)`` in scene units as the device
        pixels they cover, each at least `MIN_BOX` pixels on a side, every pixel rectangle once:
        at 100,000 boxes most fall on a pixel another box covers (the picture of drawing each
        with a cosmetic outline, without the 100,000 QRectFs)."""
        x0, y0, x1, y1 = columns
        least = max(1, round(self.MIN_BOX * ratio))
        left = np.floor((x0 * kx + off.x()) * ratio).astype(np.int64)
        top = np.floor((y0 * ky + off.y()) * ratio).astype(np.int64)
        right = np.maximum(np.ceil((x1 * kx + off.x()) * ratio).astype(np.int64), left + least)
        bottom = np.maximum(np.ceil((y1 * ky + off.y()) * ratio).astype(np.int64), top + least)
        # every pixel rectangle once, as one int64 each (the widget is a few hundred pixels)
        side = 1 << 15
        corners = [np.clip(v, 0, side - 1) for v in (left, top, right, bottom)]
        packed = np.unique(((corners[0] * side + corners[1]) * side + corners[2]) * side
                           + corners[3])
        x0s, rest = np.divmod(packed, side ** 3)
        y0s, rest = np.divmod(rest, side ** 2)
        x1s, y1s = np.divmod(rest, side)
        return [QRect(x, y, w, h) for x, y, w, h in
                zip(x0s.tolist(), y0s.tolist(), (x1s - x0s).tolist(), (y1s - y0s).tolist())]

    def active_point(self) -> QPointF | None:
        """Where the active backward node is drawn in the miniature (None when none is)."""
        scene = self._view.graph_scene
        active = getattr(scene.state, "active", None)
        item = scene.nodes.get(active) if active is not None else None
        if item is None or not item.isVisible():
            return None
        self._miniature()
        return self.to_widget(item.pos())

    # Override from QWidget
    def paintEvent(self, event) -> None:
        if not self._view.graph_scene.nodes:
            return
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._miniature())
        theme = self._view.graph_scene.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(self._inner().adjusted(-2, -2, 2, 2))
        shown = self.viewport_rect()
        fill = QColor(theme.selection)
        fill.setAlpha(40)
        painter.setPen(QPen(QColor(theme.selection), 1.5))
        painter.setBrush(fill)
        painter.drawRect(shown)
        point = self.active_point()
        if point is not None:
            painter.setPen(QPen(QColor(theme.text), 1))
            painter.setBrush(QColor(theme.active))
            painter.drawEllipse(point, 4.5, 4.5)
        painter.end()

    # ------------------------------------------------------------------ dragging
    def _move_to(self, pos: QPointF) -> None:
        if self._source.isEmpty():
            self._miniature()
        self._view.centerOn(self.to_scene(pos))
        self.update()

    # Override from QWidget
    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            self._move_to(event.position())
        event.accept()

    # Override from QWidget
    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._move_to(event.position())
        event.accept()

    # Override from QWidget
    def mouseReleaseEvent(self, event) -> None:
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        event.accept()

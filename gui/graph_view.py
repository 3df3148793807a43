"""The graph view: a QGraphicsView over the GraphScene with wheel zoom around the cursor, drag
to pan, fit, centring on search hits, a right-click menu and the colour legend overlay."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsView, QMenu, QWidget

from .graph_items import LOD_TEXT, NodeItem
from .graph_scene import GraphScene
from .theme import LIGHT, Theme, paint_legend


class LegendOverlay(QWidget):
    """The legend in the view's top-right corner: node roles and the |grad| ramp."""

    def __init__(self, view: "GraphView"):
        super().__init__(view)
        self._view = view
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.resize(self.sizeHint())

    # Override from QWidget
    def sizeHint(self) -> QSize:
        return QSize(190, 250)

    # Override from QWidget
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scene = self._view.graph_scene
        has_grads = scene.state is not None and bool(getattr(scene.state, "edge_grads", None))
        rect = paint_legend(painter, QPointF(1, 1), scene.theme,
                            scene.scale if has_grads else None, self.font())
        painter.end()
        want = QSize(int(rect.width()) + 3, int(rect.height()) + 3)
        if want != self.size():
            self.resize(want)
            self._view.place_overlays()


class GraphView(QGraphicsView):
    """Shows a GraphScene; emits user intents, never changes models itself."""

    nodeSelected = Signal(str)
    breakpointToggled = Signal(str, bool)   # node id, on
    groupToggled = Signal(str)               # group name to collapse or expand
    inspectRequested = Signal(str)
    backwardRequested = Signal(str)          # tensor node id to run backward from

    MIN_ZOOM, MAX_ZOOM = 0.005, 6.0
    READABLE_ZOOM = 0.75

    def __init__(self, parent=None, theme: Theme = LIGHT):
        super().__init__(parent)
        self.graph_scene = GraphScene(self, theme)
        self.setScene(self.graph_scene)
        self._theme = theme
        self.setRenderHints(QPainter.RenderHint.Antialiasing |
                            QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, False)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.graph_scene.nodeSelected.connect(self.nodeSelected)
        self._breakpoints: set[str] = set()
        self._hits: list[str] = []
        self._hit_index = -1
        self.legend = LegendOverlay(self)
        self.placeholder = ""

    # ------------------------------------------------------------------ zoom & pan
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by `factor`, keeping the scene point under `anchor` (view coords) fixed."""
        current = self.zoom()
        factor = max(self.MIN_ZOOM / current, min(self.MAX_ZOOM / current, factor))
        if anchor is None:
            self.scale(factor, factor)
            return
        before = self.mapToScene(anchor.toPoint())
        old = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.scale(factor, factor)
        after = self.mapToScene(anchor.toPoint())
        delta = after - before
        self.translate(delta.x(), delta.y())
        self.setTransformationAnchor(old)

    # Override from QWidget
    def wheelEvent(self, event) -> None:
        delta = event.angleDelta().y()
        if delta == 0:
            return super().wheelEvent(event)
        self.zoom_by(1.0015 ** delta, event.position())
        event.accept()

    def fit_to_view(self, readable: bool = False) -> None:
        """Fit the whole graph in the part of the view the legend leaves free. With
        `readable`, never zoom out so far that labels vanish (the view scrolls instead)."""
        rect = self.graph_scene.graph_rect()
        if rect.isEmpty():
            return
        vp = QRectF(self.viewport().rect())
        legend = self.legend.width() + 16 if self.legend.isVisible() else 0
        avail = vp.adjusted(8, 8, -8 - legend, -8)
        if avail.width() < 50 or avail.height() < 50:
            avail = vp
        s = min(avail.width() / rect.width(), avail.height() / rect.height(), 1.4)
        if readable:
            s = max(s, self.READABLE_ZOOM)
        s = max(self.MIN_ZOOM, s)
        margin_x, margin_y = vp.width() / s, vp.height() / s
        self.setSceneRect(rect.adjusted(-margin_x, -margin_y, margin_x, margin_y))
        self.setTransform(QTransform.fromScale(s, s))
        offset = (vp.center() - avail.center()) / s
        target = rect.center() + offset
        if readable and rect.height() * s > avail.height():
            # too tall to fit: start at the outputs' end, where backward begins
            target.setY(rect.bottom() - (avail.height() / 2) / s + offset.y())
        self.centerOn(target)

    def follow(self, node_id: str | None) -> None:
        """Scroll just enough that `node_id` is on screen (the active node while playing)."""
        item = self.graph_scene.nodes.get(node_id) if node_id else None
        if item is not None and item.isVisible():
            self.ensureVisible(item, 60, 60)

    def center_on_node(self, node_id: str) -> None:
        item = self.graph_scene.nodes.get(node_id)
        if item is None:
            return
        if self.zoom() < LOD_TEXT + 0.15:
            self.zoom_by((LOD_TEXT + 0.55) / self.zoom())
        self.centerOn(item)

    # ------------------------------------------------------------------ search
    def search(self, text: str) -> list[str]:
        """Highlight matches of `text`; a repeated search moves to the next match."""
        hits = self.graph_scene.search(text)
        if hits and hits == self._hits:
            self._hit_index = (self._hit_index + 1) % len(hits)
        else:
            self._hit_index = 0
        self._hits = hits
        if hits:
            self.center_on_node(hits[self._hit_index])
        return hits

    # ------------------------------------------------------------------ menu
    def set_breakpoints(self, breakpoints) -> None:
        self._breakpoints = set(breakpoints)
        self.graph_scene.set_breakpoints(self._breakpoints)

    def node_at(self, pos) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def node_menu(self, item: NodeItem) -> QMenu:
        menu = QMenu(self)
        brk = QAction("Break here", menu, checkable=True)
        brk.setChecked(item.node_id in self._breakpoints)
        brk.toggled.connect(lambda on, n=item.node_id: self.breakpointToggled.emit(n, on))
        menu.addAction(brk)
        inspect = menu.addAction("Inspect")
        inspect.triggered.connect(lambda _=False, n=item.node_id: self._inspect(n))
        if item.kind == "tensor" and item.attrs.get("requires_grad"):
            backward = menu.addAction("Run backward from here")
            backward.setToolTip("Append this tensor's backward pass to the timeline")
            backward.triggered.connect(
                lambda _=False, n=item.node_id: self.backwardRequested.emit(n))
        group = item.attrs.get("group")
        if item.kind == "group":
            expand = menu.addAction(f"Expand group '{item.attrs.get('label')}'")
            expand.triggered.connect(
                lambda _=False, g=str(item.attrs.get("label")): self.groupToggled.emit(g))
        elif group:
            collapse = menu.addAction(f"Collapse group '{group}'")
            collapse.triggered.connect(lambda _=False, g=group: self.groupToggled.emit(g))
        return menu

    def _inspect(self, node_id: str) -> None:
        self.graph_scene.select_node(node_id)
        self.inspectRequested.emit(node_id)

    # Override from QWidget
    def contextMenuEvent(self, event) -> None:
        item = self.node_at(event.pos())
        if item is None:
            return super().contextMenuEvent(event)
        self.node_menu(item).exec(event.globalPos())

    # Override from QWidget
    def mouseDoubleClickEvent(self, event) -> None:
        item = self.node_at(event.pos())
        if item is not None and item.kind == "group":
            self.groupToggled.emit(str(item.attrs.get("label")))
            return
        super().mouseDoubleClickEvent(event)

    # ------------------------------------------------------------------ look
    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.graph_scene.set_theme(theme)
        self.resetCachedContent()
        self.viewport().update()
        self.legend.update()

    def set_placeholder(self, text: str) -> None:
        """Text shown centred while there is no graph (e.g. "Press F5 to run")."""
        self.placeholder = text
        self.viewport().update()

    # Override from QGraphicsView
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, QColor(self._theme.background))
        if self.zoom() < 0.5:
            return
        step = 40.0
        painter.setPen(QPen(QColor(self._theme.grid), 1.0))
        left = int(rect.left() // step) * step
        top = int(rect.top() // step) * step
        x = left
        while x < rect.right():
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
            x += step
        y = top
        while y < rect.bottom():
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            y += step

    # Override from QGraphicsView
    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if self.graph_scene.nodes or not self.placeholder:
            return
        painter.save()
        painter.resetTransform()
        painter.setPen(QColor(self._theme.subtext))
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        painter.setFont(font)
        painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter |
                         Qt.TextFlag.TextWordWrap, self.placeholder)
        painter.restore()

    def place_overlays(self) -> None:
        margin = 10
        sb = self.verticalScrollBar()
        right = self.viewport().width() - (0 if not sb.isVisible() else 0)
        self.legend.move(max(0, right - self.legend.width() - margin), margin)

    # Override from QWidget
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place_overlays()

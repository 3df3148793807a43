"""The graph view: a QGraphicsView over the GraphScene with wheel zoom around the cursor, drag
to pan, fit, centring on search hits, a right-click menu and the colour legend overlay."""
from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP as N
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFontMetricsF,
    QPainter,
    QPen,
    QPixmap,
    QPixmapCache,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsView, QMenu, QToolTip, QWidget

from .graph_items import LOD_TEXT, EdgeItem, NodeItem
from .graph_scene import GraphScene
from .model.hierarchy import alike_label, group_tree
from .model.paths import ARROW_MOVES, step_from
from .overview import GraphOverview
from .theme import LIGHT, Theme, legend_font, legend_size, paint_legend

_ARROWS = {Qt.Key.Key_Up: "Up", Qt.Key.Key_Down: "Down", Qt.Key.Key_Left: "Left",
           Qt.Key.Key_Right: "Right"}

#: the graph view's own keys (when it has the focus), for the shortcut reference (the texts
#: marked for lupdate in context "GraphView"; the help page translates them)
GRAPH_KEYS = (
    (N("GraphView", "Up / Down"), N("GraphView", "select an input / an output of the selected "
                                                 "node (left to right: Left / Right)")),
    (N("GraphView", "Left / Right"), N("GraphView", "select the node beside it in its layer "
                                                    "(left to right: Up / Down)")),
    (N("GraphView", "Enter"), N("GraphView", "open the selected node in the inspector")),
    (N("GraphView", "Esc"), N("GraphView", "clear the selection and its highlighted path")),
)


class LegendOverlay(QWidget):
    """The legend in the view's top-right corner: node roles, states and the |grad| ramp. A
    click folds it to a small "Legend ▸" chip and back. Its picture is kept in a pixmap until
    what it shows changes (`_look`): it lies over the graph, not opaque, so a repaint of it is
    a repaint of the graph under it too, and every backward step asked for one."""

    collapsedChanged = Signal(bool)

    def __init__(self, view: GraphView):
        super().__init__(view)
        self._view = view
        self._collapsed = False
        self._picture: tuple | None = None   # (look, pixmap) of the last paint
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._retranslate()
        self.resize(self.sizeHint())

    def title(self) -> str:
        """The expanded legend's heading (a click folds it to the chip)."""
        return self.tr("Legend ▾")

    def chip(self) -> str:
        """The folded legend's text."""
        return self.tr("Legend ▸")

    def _retranslate(self) -> None:
        self.setToolTip(self.tr("Click to show the legend") if self._collapsed else
                        self.tr("Click to fold the legend away"))

    # Override from QWidget
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._picture = None
            self.refresh()
        super().changeEvent(event)

    def _look(self) -> tuple:
        """What the legend's picture depends on: its size, the theme, the |grad| scale
        shown (if any), folded or not, its texts and font."""
        scene = self._view.graph_scene
        return (self.width(), self.height(), self.devicePixelRatioF(), id(scene.theme),
                scene.scale if self._has_grads() else None, self._collapsed, self.title(),
                self.chip(), self.font().key())

    def is_collapsed(self) -> bool:
        return self._collapsed

    def set_collapsed(self, on: bool) -> None:
        """Show the chip (`on`) or the whole legend; says so with collapsedChanged."""
        on = bool(on)
        if on == self._collapsed:
            return
        self._collapsed = on
        self._retranslate()
        self.refresh()
        self.collapsedChanged.emit(on)

    def toggle(self) -> None:
        self.set_collapsed(not self._collapsed)

    def _has_grads(self) -> bool:
        scene = self._view.graph_scene
        return scene.state is not None and bool(getattr(scene.state, "edge_grads", None))

    def expanded_size(self, with_scale: bool | None = None) -> QSize:
        """The size of the whole legend (with the |grad| ramp unless `with_scale` is False)."""
        size = legend_size(self.font(), self._has_grads() if with_scale is None else with_scale,
                           self.title())
        return QSize(math.ceil(size.width()) + 3, math.ceil(size.height()) + 3)

    def chip_size(self) -> QSize:
        fm = QFontMetricsF(legend_font(self.font()))
        return QSize(math.ceil(fm.horizontalAdvance(self.chip())) + 20, math.ceil(fm.height()) + 10)

    def refresh(self) -> None:
        """Take the size the legend needs now (grads may have appeared) and repaint when its
        picture changed (not at every backward step of one call: its scale stays)."""
        if self.size() != self.sizeHint():
            self.resize(self.sizeHint())
            self._view.place_overlays()
        if self._picture is None or self._picture[0] != self._look():
            self.update()

    # Override from QWidget
    def sizeHint(self) -> QSize:
        return self.chip_size() if self._collapsed else self.expanded_size()

    # Override from QWidget
    def paintEvent(self, event) -> None:
        if self.size() != self.sizeHint():   # the ramp came or went with the state
            self.refresh()
            return
        look = self._look()
        if self._picture is None or self._picture[0] != look:
            ratio = self.devicePixelRatioF()
            pixmap = QPixmap(max(1, round(self.width() * ratio)),
                             max(1, round(self.height() * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            self._draw(QPainter(pixmap))
            self._picture = (look, pixmap)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture[1])
        painter.end()

    def _draw(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        theme = self._view.graph_scene.theme
        if self._collapsed:
            box = QRectF(self.rect()).adjusted(1, 1, -2, -2)
            bg = QColor(theme.background)
            bg.setAlpha(230)
            painter.setPen(QPen(QColor(theme.edge), 1))
            painter.setBrush(bg)
            painter.drawRoundedRect(box, 6, 6)
            painter.setFont(legend_font(self.font()))
            painter.setPen(QColor(theme.text))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.chip())
        else:
            scene = self._view.graph_scene
            paint_legend(painter, QPointF(1, 1), theme,
                         scene.scale if self._has_grads() else None, self.font(), self.title())
        painter.end()

    # Override from QWidget
    def mousePressEvent(self, event) -> None:
        event.accept()

    # Override from QWidget
    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.toggle()
        event.accept()


class GraphView(QGraphicsView):
    """Shows a GraphScene; emits user intents, never changes models itself."""

    nodeSelected = Signal(str)
    breakpointToggled = Signal(str, bool)   # node id, on
    groupToggled = Signal(str)               # group name to collapse or expand
    alikeToggled = Signal(str, bool)         # a group: collapse (True) or expand its repeats
    depthRequested = Signal(int)             # collapse all groups to this depth
    expandAllRequested = Signal()
    inspectRequested = Signal(str)
    backwardRequested = Signal(str)          # tensor node id to run backward from

    MIN_ZOOM, MAX_ZOOM = 0.005, 6.0
    OVERLAY_MARGIN = 10
    READABLE_ZOOM = 0.75   # the first view of a run never shows the graph smaller
    FIT_ZOOM = 0.6         # nor does Fit: labels stay drawn and legible (LOD_TEXT is 0.45)

    def __init__(self, parent=None, theme: Theme = LIGHT):
        super().__init__(parent)
        # the graph's tiles keep their pixels in Qt's pixmap cache (10 MB by default: a few
        # tiles at zoom 1); room for a screenful of them at any zoom
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 192 * 1024))
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
        self.engine_busy = False   # set by the window while a run or layout job is in flight
        self.no_backward_reason: str | None = None   # set for a document with no live run
        self._hits: list[str] = []
        self._hit_index = -1
        # the overlays are the viewport's children, not its siblings: a sibling over the
        # viewport makes Qt repaint all of it at every scroll (a backward step following the
        # active node, each pan frame) instead of moving its pixels and painting the strip
        # that comes into view; scrollContentsBy puts them back in their corners
        self.legend = LegendOverlay(self)
        self.overview = GraphOverview(self)
        self.legend.setParent(self.viewport())
        self.overview.setParent(self.viewport())
        self._overview_key: tuple | None = None   # what the overview marked when last painted
        self.graph_scene.graphChanged.connect(self._on_graph_changed)
        self.graph_scene.graphChanged.connect(
            lambda: self.graph_scene.set_zoom(self.zoom()))
        self.graph_scene.framesChanged.connect(self._on_graph_changed)
        self.graph_scene.shapeReady.connect(self._on_graph_changed)
        self.placeholder = ""

    # ------------------------------------------------------------------ zoom & pan
    def zoom(self) -> float:
        return self.transform().m11()

    def setTransform(self, matrix, combine: bool = False) -> None:
        super().setTransform(matrix, combine)
        self.graph_scene.set_zoom(self.zoom())

    def scale(self, sx: float, sy: float) -> None:
        super().scale(sx, sy)
        self.graph_scene.set_zoom(self.zoom())

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
        """Fit the graph in the part of the view the legend leaves free (left of it or below
        it, whichever shows the graph larger): the whole graph when its labels stay legible
        (zoom at least `FIT_ZOOM`). Else the breadth of its widest layer (its width top to
        bottom, its height left to right), never below `FIT_ZOOM`, around the active backward
        node or, with none, the output (the node furthest along the flow, where backward
        starts): a 20,000-node chain is shown readable where the user is, not as a grey line
        (`fit_all` shows it whole). The first view of a run (`readable`) never goes below
        `READABLE_ZOOM` and starts at the graph's start (the inputs); what does not fit
        then scrolls, from the start."""
        rect = self.graph_scene.graph_rect()
        if rect.isEmpty():
            return
        for _ in range(3):   # again if the scroll bars came or went and resized the viewport
            size = self.viewport().size()
            self._fit(rect, readable)
            if self.viewport().size() == size:
                break

    def fit_all(self) -> None:
        """The whole graph in the free part of the view, however small that makes it (down to
        `MIN_ZOOM`, then its middle; far out the graph's shape is drawn: boxes as rectangles in
        their colours)."""
        rect = self.graph_scene.graph_rect()
        if rect.isEmpty():
            return
        for _ in range(3):
            size = self.viewport().size()
            self._fit(rect, False, whole=True)
            if self.viewport().size() == size:
                break

    def fit_focus(self) -> str | None:
        """The node a Fit that cannot show the whole graph centres on: the active backward
        node when one is shown, else the output (the shown node furthest along the flow)."""
        scene = self.graph_scene
        active = getattr(scene.state, "active", None)
        item = scene.nodes.get(active) if active is not None else None
        if item is not None and item.isVisible():
            return active
        tb = getattr(scene.layout, "direction", "TB") != "LR"
        best, key = None, None
        for node_id, item in scene.nodes.items():
            if not item.isVisible():
                continue
            k = item.pos().y() if tb else item.pos().x()
            if key is None or k > key:
                best, key = node_id, k
        return best

    def legend_room(self) -> QRectF:
        """Where the legend lies in viewport coordinates, as wide and tall as it gets (with
        the |grad| ramp) unless folded to its chip; empty when it is hidden."""
        if not self.legend.isVisibleTo(self):
            return QRectF()
        size = self.legend.chip_size() if self.legend.is_collapsed() else \
            self.legend.expanded_size(with_scale=True)
        vp = self.viewport()
        return QRectF(vp.width() - size.width() - self.OVERLAY_MARGIN, self.OVERLAY_MARGIN,
                      size.width(), size.height())

    def _fit(self, rect: QRectF, readable: bool, whole: bool = False) -> None:
        vp = QRectF(self.viewport().rect())
        inner = vp.adjusted(8, 8, -8, -8)
        legend = self.legend_room()
        if legend.isEmpty():
            choices = [inner, inner]
        else:   # left of the legend (first), or below it
            gap = 8
            choices = [QRectF(inner.left(), inner.top(), legend.left() - gap - inner.left(),
                              inner.height()),
                       QRectF(inner.left(), legend.bottom() + gap, inner.width(),
                              inner.bottom() - legend.bottom() - gap)]
            choices = [c if c.width() >= 50 and c.height() >= 50 else vp for c in choices]
        tb = getattr(self.graph_scene.layout, "direction", "TB") != "LR"

        def zoom_for(area: QRectF) -> float:
            return min(area.width() / rect.width(), area.height() / rect.height(), 1.4)

        avail = max(choices, key=zoom_for)
        s = zoom_for(avail)
        focus = None
        floor = self.READABLE_ZOOM if readable else self.FIT_ZOOM
        if whole:   # Fit all: however small
            pass
        elif s >= floor:
            whole = True
        else:
            # too small to read whole: the breadth of the widest layer, scrolling along the
            # flow (in the part of the view that the flow never takes under the legend)
            avail = choices[0] if tb else choices[1]
            breadth = min((avail.width() / rect.width()) if tb else
                          (avail.height() / rect.height()), 1.0)
            s = max(breadth, floor)
            if not readable:   # Fit: around the active node or the output
                focus = self.graph_scene.nodes.get(self.fit_focus() or "")
            if focus is not None:   # the free part along the flow, if the focus fits in it
                box = focus.sceneBoundingRect()
                if (box.width() if tb else box.height()) * s + 16 > \
                        (avail.width() if tb else avail.height()):
                    avail = choices[1] if tb else choices[0]
            elif tb and rect.width() * s > avail.width():
                avail = choices[1]   # wider still: start below the legend
        s = max(self.MIN_ZOOM, s)
        margin_x, margin_y = vp.width() / s, vp.height() / s
        self.setSceneRect(rect.adjusted(-margin_x, -margin_y, margin_x, margin_y))
        self.setTransform(QTransform.fromScale(s, s))
        offset = (vp.center() - avail.center()) / s
        target = rect.center() + offset
        if not whole:   # the start of the graph at the free part's top-left, nothing clipped
            if rect.height() * s > avail.height():
                target.setY(rect.top() + (avail.height() / 2) / s + offset.y())
            if rect.width() * s > avail.width():
                target.setX(rect.left() + (avail.width() / 2) / s + offset.x())
        if focus is not None:   # the focus at the free part's centre, the graph's ends kept
            # in view where it overflows (what lies beside the free part may pass under the
            # legend, as when scrolling; the focus never does)
            p, half_w, half_h = focus.pos(), avail.width() / 2 / s, avail.height() / 2 / s
            if rect.width() * s > avail.width():
                target.setX(min(max(p.x(), rect.left() + half_w), rect.right() - half_w)
                            + offset.x())
            if rect.height() * s > avail.height():
                target.setY(min(max(p.y(), rect.top() + half_h), rect.bottom() - half_h)
                            + offset.y())
        self.centerOn(target)

    def follow(self, node_id: str | None) -> None:
        """Scroll just enough that `node_id` is on screen (the active node while playing)."""
        item = self.graph_scene.nodes.get(node_id) if node_id else None
        if item is not None and item.isVisible():
            self.ensureVisible(item.sceneBoundingRect(), 60, 60)
            legend = self.legend_room()
            if QRectF(self.mapFromScene(item.sceneBoundingRect()).boundingRect()).intersects(
                    legend):   # under the legend: scroll it out to the left
                room = (legend.width() + 16) / self.zoom()
                self.ensureVisible(item.sceneBoundingRect().adjusted(0, 0, room, 0), 60, 60)

    def view_state(self) -> tuple:
        """What `restore_view_state` needs to show exactly this part of the scene again."""
        return (QTransform(self.transform()), QRectF(self.sceneRect()),
                self.horizontalScrollBar().value(), self.verticalScrollBar().value())

    def restore_view_state(self, saved: tuple) -> None:
        transform, rect, h, v = saved
        self.setSceneRect(rect)
        self.setTransform(transform)
        self.horizontalScrollBar().setValue(h)
        self.verticalScrollBar().setValue(v)

    def show_node(self, node_id: str) -> None:
        """Scroll `node_id` into view (centred) when it is not already on screen."""
        item = self.graph_scene.nodes.get(node_id)
        if item is None:
            return
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        if not shown.contains(item.sceneBoundingRect()):
            self.centerOn(item.pos())

    def center_on_node(self, node_id: str) -> None:
        item = self.graph_scene.nodes.get(node_id)
        if item is None:
            return
        if self.zoom() < LOD_TEXT + 0.15:
            self.zoom_by((LOD_TEXT + 0.55) / self.zoom())
        self.centerOn(item.pos())

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

    @property
    def hit_index(self) -> int:
        """Which match of the last `search` is shown (0-based; -1 when none)."""
        return self._hit_index if self._hits else -1

    def forget_hits(self) -> None:
        """The search text changed: the next `search` starts at the first match."""
        self._hits, self._hit_index = [], -1

    # ------------------------------------------------------------------ menu
    def set_breakpoints(self, breakpoints) -> None:
        self._breakpoints = set(breakpoints)
        self.graph_scene.set_breakpoints(self._breakpoints)

    def node_at(self, pos) -> NodeItem | None:
        """The node drawn under `pos` (viewport coordinates), found by the scene's numpy
        hit test."""
        return self.graph_scene.node_at(self.mapToScene(pos))

    def edge_at(self, pos) -> EdgeItem | None:
        return self.graph_scene.edge_at(self.mapToScene(pos))

    # Override from QWidget
    def mousePressEvent(self, event) -> None:
        """A press on a box selects it; elsewhere it clears the selection and drags the view
        (a rubber band with Shift, selecting the first node in it)."""
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.node_at(event.position().toPoint())
            if item is not None:
                self.graph_scene.select_node(item.node_id)
                event.accept()
                return
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
            else:
                self.graph_scene.clearSelection()
        super().mousePressEvent(event)

    # Override from QWidget
    def mouseReleaseEvent(self, event) -> None:
        band = self.rubberBandRect() if \
            self.dragMode() == QGraphicsView.DragMode.RubberBandDrag else None
        super().mouseReleaseEvent(event)
        if band is not None:
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
            if not band.isEmpty():
                self.select_in(self.mapToScene(band).boundingRect())

    def select_in(self, rect: QRectF) -> list[str]:
        """Select the first node (in reading order) of those whose boxes meet `rect` (scene
        coordinates); returns them all."""
        scene = self.graph_scene
        found = scene.nodes_in(rect)
        found.sort(key=lambda n: (scene.nodes[n].pos().y(), scene.nodes[n].pos().x()))
        if found:
            scene.select_node(found[0])
        return found

    def node_menu(self, item: NodeItem) -> QMenu:
        menu = QMenu(self)
        menu.setToolTipsVisible(True)   # a disabled action says why
        brk = QAction(self.tr("Break here"), menu, checkable=True)
        brk.setChecked(item.node_id in self._breakpoints)
        brk.toggled.connect(lambda on, n=item.node_id: self.breakpointToggled.emit(n, on))
        menu.addAction(brk)
        inspect = menu.addAction(self.tr("Inspect"))
        inspect.triggered.connect(lambda _=False, n=item.node_id: self._inspect(n))
        if item.kind == "tensor" and item.attrs.get("requires_grad"):
            backward = menu.addAction(self.tr("Run backward from here"))
            backward.setToolTip(self.tr("Append this tensor's backward pass to the timeline"))
            if self.no_backward_reason:   # an opened recording: no tensors to run it on
                backward.setEnabled(False)
                backward.setToolTip(self.no_backward_reason)
            elif self.engine_busy:   # the window is running a job: one engine job at a time
                backward.setEnabled(False)
                backward.setToolTip(self.tr("Wait until the run in progress ends"))
            backward.triggered.connect(
                lambda _=False, n=item.node_id: self.backwardRequested.emit(n))
        group = item.attrs.get("group")
        if item.kind == "group":
            expand = menu.addAction(self.tr("Expand group '{group}'").format(
                group=alike_label(str(item.attrs.get("label")), 0)))
            label = str(item.attrs.get("label"))
            expand.triggered.connect(lambda _=False, g=label: self.groupToggled.emit(g))
        elif group:
            collapse = menu.addAction(self.tr("Collapse group '{group}'").format(
                group=alike_label(group, 0)))
            collapse.triggered.connect(lambda _=False, g=group: self.groupToggled.emit(g))
        named = str(item.attrs.get("label")) if item.kind == "group" else group
        graph = self.graph_scene.graph
        same = group_tree(graph).alike.get(named) if named and graph is not None else None
        if same:   # a repeated block: all of its kind at once
            text = self.tr("Expand all %n alike", "", len(same)) if item.kind == "group" else \
                self.tr("Collapse all %n alike", "", len(same))
            alike = menu.addAction(text)
            alike.setToolTip(self.tr("The groups with the same structure as '%1'").replace(
                "%1", alike_label(named, 0)))
            alike.triggered.connect(lambda _=False, g=named, on=item.kind != "group":
                                    self.alikeToggled.emit(g, on))
        self.add_hierarchy_actions(menu)
        return menu

    def add_hierarchy_actions(self, menu: QMenu) -> None:
        """"Collapse to depth" (0 to the deepest group's depth) and "Expand all groups"."""
        graph = self.graph_scene.graph
        tree = group_tree(graph) if graph is not None else None
        if tree is None or tree.max_depth < 0:
            return
        menu.addSeparator()
        depth = menu.addMenu(self.tr("Collapse to depth"))
        for n in range(tree.max_depth + 1):
            act = depth.addAction(self.tr("Depth %1 (%n groups)", "", len(tree.at_depth(n)))
                                  .replace("%1", str(n)))
            act.triggered.connect(lambda _=False, d=n: self.depthRequested.emit(d))
        expand = menu.addAction(self.tr("Expand all groups"))
        expand.triggered.connect(self.expandAllRequested.emit)

    def background_menu(self) -> QMenu:
        """The menu of the view's empty space: the hierarchy's actions."""
        menu = QMenu(self)
        self.add_hierarchy_actions(menu)
        return menu

    def _inspect(self, node_id: str) -> None:
        self.graph_scene.select_node(node_id)
        self.inspectRequested.emit(node_id)

    # Override from QWidget
    def contextMenuEvent(self, event) -> None:
        item = self.node_at(event.pos())
        menu = self.node_menu(item) if item is not None else self.background_menu()
        if menu.isEmpty():
            menu.deleteLater()
            return super().contextMenuEvent(event)
        menu.exec(event.globalPos())
        menu.deleteLater()   # one menu per right-click: none piles up under the view

    # Override from QAbstractScrollArea
    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.graph_scene.nodes:
            pos = event.pos()
            node = self.node_at(pos)
            if node is not None:
                QToolTip.showText(event.globalPos(), node.toolTip(), self)
                return True
            edge = self.edge_at(pos)
            if edge is not None:
                QToolTip.showText(event.globalPos(), self.graph_scene.edge_tip(edge), self)
                return True
        return super().viewportEvent(event)

    # Override from QWidget
    def keyPressEvent(self, event) -> None:
        scene, key = self.graph_scene, event.key()
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == \
            Qt.KeyboardModifier.NoModifier
        arrow = _ARROWS.get(key)
        if key == Qt.Key.Key_Escape and scene.selected_node():
            scene.clearSelection()   # and with it the highlighted path
        elif arrow is not None and plain and scene.nodes:
            self.move_selection(arrow)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and scene.selected_node():
            self._inspect(scene.selected_node())
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def move_selection(self, arrow: str) -> str | None:
        """What an arrow key does ("Up", "Down", "Left", "Right"): select the node's input or
        output along an edge, or its neighbour in its layer, as the layout's direction draws
        them (`ARROW_MOVES`), and bring it into view. With nothing selected it selects the
        active backward node, else the node nearest the view's centre. Returns the new id."""
        scene = self.graph_scene
        layout = scene.layout
        current = scene.selected_node()
        if current is None:
            active = getattr(scene.state, "active", None)
            target = active if active in scene.nodes and scene.nodes[active].isVisible() else \
                self._node_near(self.mapToScene(self.viewport().rect().center()))
        else:
            direction = getattr(layout, "direction", "TB")
            positions = getattr(layout, "positions", None) or \
                {n: (i.pos().x(), i.pos().y()) for n, i in scene.nodes.items()}
            target = step_from(current, ARROW_MOVES.get(direction, ARROW_MOVES["TB"])[arrow],
                               positions, scene.edges, direction,
                               layers=getattr(layout, "layers", None),
                               shown=lambda n: n in scene.nodes and scene.nodes[n].isVisible())
        if target is None:
            return None
        scene.select_node(target)
        self.ensureVisible(scene.nodes[target].sceneBoundingRect(), 80, 80)
        return target

    def _node_near(self, point: QPointF) -> str | None:
        shown = [(n, i) for n, i in self.graph_scene.nodes.items() if i.isVisible()]
        if not shown:
            return None
        return min(shown, key=lambda ni: (ni[1].pos() - point).manhattanLength())[0]

    # Override from QWidget
    def mouseDoubleClickEvent(self, event) -> None:
        item = self.node_at(event.position().toPoint())
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
        self.overview.invalidate()

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
        if self.overview.isVisible():   # the view moved, zoomed or repainted a step
            self._follow_in_overview()
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

    def _follow_in_overview(self) -> None:
        """Repaint the overview when what it marks changed: the part of the scene in view,
        the active node or the nodes shown (its miniature's own changes, a new graph's
        included, come through `GraphOverview.invalidate`; not the nodes a build has made so
        far, which changed at every slice). Not at every paint of the viewport: the overview lies over
        it, not opaque, so its repaint paints the viewport under it again, whose foreground
        asked for it: an endless round of paints, one per event-loop turn (a paint of the long
        edges through that corner each, while a big graph builds)."""
        scene = self.graph_scene
        key = (self.mapToScene(self.viewport().rect()).boundingRect().getRect(),
               getattr(scene.state, "active", None), scene.shown_version)
        if key != self._overview_key:
            self._overview_key = key
            self.overview.update()

    def place_overlays(self) -> None:
        """Keep the legend in the viewport's top-right corner, the overview in its
        bottom-left one (they are the viewport's children: its coordinates)."""
        vp = self.viewport().rect()
        m = self.OVERLAY_MARGIN
        self.legend.move(max(vp.left(), vp.right() + 1 - self.legend.width() - m), vp.top() + m)
        self.overview.move(vp.left() + m,
                           max(vp.top(), vp.bottom() + 1 - self.overview.height() - m))

    def _on_graph_changed(self) -> None:
        self.overview.fit_size()
        self.overview.invalidate()

    # Override from QWidget
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place_overlays()

    # Override from QAbstractScrollArea
    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)   # (which moves the viewport's children along)
        self.place_overlays()

"""The graph scene's batched drawing: one NodeTile and one EdgeTile per square of the scene draw
all the boxes and edges in it (far out as filled rectangles and hairlines), found with numpy."""
from __future__ import annotations

import math
from itertools import chain

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPaintEngine, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from .graph_items import DIM_OPACITY, LOD_DETAIL, LOD_TEXT, EdgeItem, NodeItem, batch_pen

#: the side of one tile, in scene units (a few dozen boxes at zoom 1)
TILE = 1200.0
#: below this zoom a box is a few pixels wide: one filled rectangle in its colour
LOD_FAR = LOD_DETAIL / 2
#: below this zoom a whole tile is a few pixels: the tiles hide and one FarItem draws them all
ZOOM_SHAPE = 0.02
#: an edge more than this across (scene units) goes into a tile of long edges
LONG_EDGE = 2 * TILE
#: long edges are grouped into tiles by squares this many tiles across
LONG_GROUP = 4


class _Deferred:
    """While `deferred_repaints` is open: the tiles whose boxes or edges changed, each
    repainted once when it closes instead of one repaint request per box or edge."""
    tiles: set | None = None


class deferred_repaints:
    """``with deferred_repaints():`` restyles many boxes and edges at once (a jump across a
    backward call restyles every node it changes: 100,000 repaint requests of one box each cost
    more than the restyling) and then repaints each tile that holds a changed one, whole."""

    def __enter__(self) -> set:
        self.outer = _Deferred.tiles
        if self.outer is None:
            _Deferred.tiles = set()
        return _Deferred.tiles

    def __exit__(self, *exc) -> None:
        if self.outer is None:
            tiles, _Deferred.tiles = _Deferred.tiles, None
            for tile in tiles:
                tile.update()


#: a solid batch of edge lines at most this wide on screen (px) is stroked as 1-pixel lines
THIN_STROKE = 1.84
#: the ink of two 1-pixel antialiased lines, the second `offset` px right and down, as the
#: width of one line drawn with it (measured on the raster engine, lines across, at eight
#: sub-pixel places): (offset, width). Partly covered pixels of the pair blend, not add: at
#: no offset the pair is 1.33 px of ink
PAIR_INK = ((0.0, 1.327), (0.1, 1.339), (0.2, 1.363), (0.3, 1.407), (0.4, 1.454),
            (0.6, 1.581), (0.8, 1.716), (1.0, 1.836))


def stroke_lines(painter, pen: QPen, lines: QPainterPath, scale: float) -> bool:
    """Stroke a batch of edge lines with `pen` at the view's `scale` (times the device's
    pixel ratio: a HiDPI screen's pixels are finer than the view's units). Qt's raster engine
    draws a pen of at most one device pixel with its cosmetic stroker and a wider one by
    filling the outline of the whole path, antialiased: on the attention graph's view at zoom
    1 (106 edges of three tiles) 6.2-7.7 ms of CPU a frame for the 1.4 pen, 0.4-0.5 ms in
    1-pixel lines, whatever the clip (a pan's strip costs as much as the whole view). So an
    opaque solid pen 1-1.84 px wide on screen (the 1.4 edges at zoom 0.72-1.3) is stroked as
    1-pixel cosmetic lines with as much ink: one line up to 1.165 px, else two, the second
    offset right and down by what PAIR_INK gives for the width; under an opacity (a pair
    would overlap darker) one line at the opacity times the width, if that is at most 1
    (the dimmed edges, 0.22: 0.31-0.40). Dashes and dots, a see-through colour, other widths
    and painters other than the raster engine's (an SVG export keeps one line an edge)
    stroke as they are.
    Whether it stroked in 1-pixel lines."""
    raster = painter.paintEngine().type() == QPaintEngine.Type.Raster
    scale *= painter.device().devicePixelRatio() if raster else 1.0   # (device pixels)
    width = pen.widthF() * scale
    opacity = painter.opacity()
    if not raster or not 1.0 < width <= THIN_STROKE or pen.style() != Qt.PenStyle.SolidLine \
            or pen.color().alpha() != 255 or (opacity < 1.0 and opacity * width > 1.0):
        painter.setPen(pen)
        painter.drawPath(lines)
        return False
    thin = QPen(pen.color(), 1.0)
    thin.setCosmetic(True)
    painter.setPen(thin)
    if opacity < 1.0:   # faint (dimmed off the selected node's path): one line, as much ink
        painter.setOpacity(opacity * width)
        painter.drawPath(lines)
        painter.setOpacity(opacity)
        return True
    painter.drawPath(lines)
    if width <= 1.165:   # (one line: 1 px of ink; a pair would be 1.33)
        return True
    step = float(np.interp(width, [w for _, w in PAIR_INK], [d for d, _ in PAIR_INK])) / scale
    painter.translate(step, step)
    painter.drawPath(lines)
    painter.translate(-step, -step)
    return True


def paint_batches(painter, entries, base: float, lod: float) -> None:
    """Paint an edge tile's batches (`EdgeTile._order`'s entries: opacity, line pen, arrow pen,
    arrow colour, lines path, arrows path) at the painter's `base` opacity and the view's scale
    `lod`; the painter's opacity is left at the last batch's."""
    for opacity, pen, arrow_pen, color, lines, arrows in entries:
        painter.setOpacity(base * opacity)
        if lines is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            stroke_lines(painter, pen, lines, lod)
        if arrows is not None:
            painter.setPen(arrow_pen)
            painter.setBrush(color)
            painter.drawPath(arrows)


def paint_hairlines(painter, orders) -> None:
    """Paint edge tiles' hairlines (each an `EdgeTile._far_order`: opacity, pen, path) at the
    painter's opacity, unantialiased; the painter's opacity is left as it was."""
    base = painter.opacity()
    painter.setRenderHint(painter.RenderHint.Antialiasing, False)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for order in orders:
        for opacity, pen, path in order or ():
            painter.setOpacity(base * opacity)
            painter.setPen(pen)
            painter.drawPath(path)
    painter.setOpacity(base)
    painter.setRenderHint(painter.RenderHint.Antialiasing, True)


def tile_keys(x, y) -> np.ndarray:
    """The tile (column, row) of each point, as one int64 key per point."""
    col = np.floor(np.asarray(x, dtype=np.float64) / TILE).astype(np.int64)
    row = np.floor(np.asarray(y, dtype=np.float64) / TILE).astype(np.int64)
    return (col << 32) + (row & 0xFFFFFFFF)


def group_by_key(keys: np.ndarray) -> list[np.ndarray]:
    """Indices of `keys` grouped by equal key (each group in its original order)."""
    if not len(keys):
        return []
    order = np.argsort(keys, kind="stable")
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    return np.split(order, cuts)


class RectArray:
    """Rectangles as numpy columns, for hit tests: which contain a point, which meet a rect."""

    def __init__(self, x0, y0, x1, y1):
        self.x0, self.y0 = np.asarray(x0, dtype=np.float64), np.asarray(y0, dtype=np.float64)
        self.x1, self.y1 = np.asarray(x1, dtype=np.float64), np.asarray(y1, dtype=np.float64)

    def __len__(self) -> int:
        return len(self.x0)

    def containing(self, x: float, y: float) -> np.ndarray:
        return np.flatnonzero((self.x0 <= x) & (x <= self.x1) & (self.y0 <= y) & (y <= self.y1))

    def meeting(self, r: QRectF) -> np.ndarray:
        return np.flatnonzero((self.x0 < r.right()) & (self.x1 > r.left()) &
                              (self.y0 < r.bottom()) & (self.y1 > r.top()))

    def bounds(self) -> QRectF:
        if not len(self.x0):
            return QRectF()
        x0, y0 = float(self.x0.min()), float(self.y0.min())
        return QRectF(x0, y0, float(self.x1.max()) - x0, float(self.y1.max()) - y0)


def rough_edge_bounds(edges: list[EdgeItem]) -> np.ndarray:
    """`EdgeItem.rough_bounds` of every edge as an (n, 4) array (x0, y0, x1, y1), worked out
    over all their points at once."""
    if not edges:
        return np.zeros((0, 4))
    runs = [e._points for e in edges]
    counts = np.fromiter(map(len, runs), np.int64, len(runs))
    flat = np.fromiter(chain.from_iterable(chain.from_iterable(runs)), np.float64,
                       2 * int(counts.sum())).reshape(-1, 2)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    a = EdgeItem.ARROW + 2
    lw = np.fromiter((e._label_w for e in edges), np.float64, len(edges))
    lh = np.fromiter((e._label_h for e in edges), np.float64, len(edges))
    return np.column_stack((np.minimum.reduceat(flat[:, 0], starts) - a,
                            np.minimum.reduceat(flat[:, 1], starts) - lh - a,
                            np.maximum.reduceat(flat[:, 0], starts) + lw + a + 6,
                            np.maximum.reduceat(flat[:, 1], starts) + lh + a))


class NodeTile(QGraphicsItem):
    """The boxes whose centre lies in one tile. Zoomed far out they are filled rectangles by
    colour (one drawRects call per colour, cached until a box changes); nearer, each box in
    the exposed rectangle draws itself with its borders and texts."""

    def __init__(self, nodes: list[NodeItem], rects: RectArray | None = None):
        super().__init__()
        self.nodes = nodes
        for k, node in enumerate(nodes):
            node.owner = self
            node.index = k
        # what each box draws (its halo included): `rects` when the scene worked them out
        self.rects = rects if rects is not None else \
            RectArray([n._x - n._w / 2 - 7 for n in nodes], [n._y - n._h / 2 - 7 for n in nodes],
                      [n._x + n._w / 2 + 7 for n in nodes], [n._y + n._h / 2 + 7 for n in nodes])
        self._bounds = self.rects.bounds()
        self._far: list | None = None
        self._far_index: dict | None = None
        # where its boxes are in the scene's list of all boxes (set by the scene), so the
        # far-out picture's looks can be read as numpy indices too (`far_indices`)
        self.indices: np.ndarray | None = None
        self.far_item = None   # told when the far-out picture must be made again
        self.setZValue(2)
        # panning blits the tile's pixmap (Qt caches the part in view); a change repaints it
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def node_changed(self, node: NodeItem) -> None:
        """Repaint the box of `node` (its state, visibility or opacity changed)."""
        self._far = None
        if self.far_item is not None:
            self.far_item.invalidate()
        if _Deferred.tiles is not None:
            _Deferred.tiles.add(self)
        else:
            self.update(node.sceneBoundingRect())

    def invalidate(self) -> None:
        self._far = None
        if self.far_item is not None:
            self.far_item.invalidate()
        self.update()

    # Override from QGraphicsItem
    def boundingRect(self) -> QRectF:
        return self._bounds

    def far_batches(self) -> list:
        """(colour, opacity, [scene rects]) of the shown boxes, one entry per look."""
        if self._far is None:
            batches: dict[tuple, list[QRectF]] = {}
            picks: dict[tuple, list[int]] = {}   # look -> positions in self.nodes
            plain: dict[tuple, tuple] = {}   # an untouched box's look is its role's
            for k, node in enumerate(self.nodes):
                if node._visible:
                    if node.plain:
                        look = (node.role, node.kind == "group")
                        key = plain.get(look)
                        if key is None:
                            key = plain[look] = (node.far_fill().rgba(), node.far_opacity())
                    else:
                        key = (node.far_fill().rgba(), node.far_opacity())
                    rects = batches.get(key)
                    if rects is None:
                        rects = batches[key] = []
                        picks[key] = []
                    rects.append(QRectF(node._x - node._w / 2, node._y - node._h / 2,
                                        node._w, node._h))
                    picks[key].append(k)
            self._far = [(QColor.fromRgba(rgba), o, rects)
                         for (rgba, o), rects in batches.items()]
            self._far_index = None if self.indices is None else \
                {key: self.indices[at] for key, at in picks.items()}
        return self._far

    def far_indices(self) -> dict | None:
        """``(rgba, opacity)`` -> the indices of the shown boxes with that look in the
        scene's list of all boxes (`far_batches` as numpy); None without `indices`."""
        self.far_batches()
        return self._far_index

    # Override from QGraphicsItem
    def paint(self, painter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < LOD_FAR:   # the graph's shape: boxes as filled rectangles by colour
            painter.setRenderHint(painter.RenderHint.Antialiasing, False)
            painter.setPen(Qt.PenStyle.NoPen)
            base = painter.opacity()
            for color, opacity, rects in self.far_batches():
                painter.setOpacity(base * opacity)
                painter.setBrush(color)
                painter.drawRects(rects)
            painter.setOpacity(base)
            return
        scene = self.scene()
        selected = scene.selected_node() if scene is not None else None
        shown = [self.nodes[k] for k in self.rects.meeting(option.exposedRect)]
        last = []
        for node in shown:
            if not node._visible:
                continue
            if node._active:   # on top of its neighbours' boxes
                last.append(node)
                continue
            node.paint(painter, lod, node.node_id == selected)
        for node in last:
            node.paint(painter, lod, node.node_id == selected)


class EdgeTile(QGraphicsItem):
    """The edges whose bounds' centre lies in one tile. Those without a look of their own (no
    pulse, highlight or NaN) are one path per look (`EdgeItem.batch_key`: kind, on the
    selected node's path or dimmed off it, gradient colour), drawn in one call each
    (hairlines far out); the others and the labels are drawn edge by edge where exposed."""

    def __init__(self, edges: list[EdgeItem], rough: np.ndarray | None = None,
                 long: bool = False):
        super().__init__()
        self.edges = edges
        # long edges (more than LONG_EDGE across) apart: while the graph builds they are
        # hairlines (thousands of them may run through one view before the trunks they share
        # are known, each curve stroked whole), and they leave the other tiles small
        self.long = long
        exact = False
        for k, edge in enumerate(edges):
            edge.owner = self
            edge.index = k
            exact = exact or edge._geom
        self.labels_placed = False
        self._paths: dict | None = None
        self._far_paths: dict | None = None
        self._drawn: list | None = None       # [(opacity, pen, lines, arrows)] in order
        self._far_drawn: list | None = None   # [(opacity, pen, path)] in order
        self._loose: int | None = None        # visible edges that draw themselves
        self._pens: dict = {}                  # batch key -> (opacity, pens, colour)
        self._index: tuple | None = None       # long tiles: (drawn pieces, square index)
        self._index_stale = False              # an edge's drawn pieces may differ from it
        self.version = 0                       # counts changes of what it draws (LongEdgeLayer)
        self.long_layer = None   # long tiles: the layer that strokes their batched lines
        self._squares: dict = {}               # long tiles: square -> drawing entries
        self._looks: dict = {}                 # long tiles: square -> its parts by look
        self._labels: RectArray | None = None  # long tiles: where the labels may be drawn
        self._spans: dict = {}                 # long tiles: square -> bounds drawn in it
        self.far_item = None
        if rough is None or exact:
            self.refresh_bounds()
        else:   # `rough_edge_bounds` of the edges (none knows its curves yet)
            self.rects = RectArray(rough[:, 0], rough[:, 1], rough[:, 2], rough[:, 3])
            self._bounds = self.rects.bounds()
        self.setZValue(1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def refresh_bounds(self) -> None:
        """Take the bounds of what the edges draw (exact once their curves are known)."""
        boxes = []
        for e in self.edges:
            if e._geom:
                r = e._bounds
                boxes.append((r.left(), r.top(), r.right(), r.bottom()))
            else:
                boxes.append(e.rough_bounds())
        arr = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
        self.rects = RectArray(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])
        bounds = self.rects.bounds()
        if bounds != getattr(self, "_bounds", None):
            self.prepareGeometryChange()
            self._bounds = bounds
            if getattr(self, "long_layer", None) is not None:
                self.long_layer.take_bounds(bounds)

    def _forget(self) -> None:
        self._paths = self._far_paths = self._drawn = self._far_drawn = self._loose = None
        self._squares, self._looks, self._labels = {}, {}, None
        self.version += 1

    def edge_changed(self, edge: EdgeItem) -> None:
        index = self._index
        if index is not None and (not edge._geom or index[0][edge.index] is not
                                  _batched_pieces(edge)):
            self._index_stale = True   # its pieces changed, not only its look
        self._forget()
        if self.far_item is not None:
            self.far_item.invalidate()
        if _Deferred.tiles is not None:
            _Deferred.tiles.add(self)
        elif edge._geom:
            self.update(edge._bounds)
        else:
            self.update()

    def invalidate(self) -> None:
        self._forget()
        self._index_stale = True   # (edges restyled quietly may draw other pieces)
        if self.far_item is not None:
            self.far_item.invalidate()
        self.update()

    # Override from QGraphicsItem
    def boundingRect(self) -> QRectF:
        return self._bounds

    def _label_rects(self) -> RectArray:
        """Where each edge's label may be drawn, made again after a change."""
        if self._labels is None:
            boxes = []
            for e in self.edges:
                e._ensure()
                r = e._label_rect
                boxes.append((r.left(), r.top(), r.right(), r.bottom()))
            arr = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
            self._labels = RectArray(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])
        return self._labels

    def loose_count(self) -> int:
        """How many of its shown edges draw themselves (no batch: a gradient colour, pulse,
        highlight), so a paint far out with none need not look for them."""
        if self._loose is None:
            self._loose = sum(1 for e in self.edges if e._visible and e.batch_key is None)
        return self._loose

    def _far_order(self, theme) -> list:
        """far_batches in drawing order with their pens, made once per change."""
        if self._far_drawn is None:
            self._far_drawn = [(DIM_OPACITY if key[2] else 1.0,
                                QPen(batch_pen(theme, key)[0], 0), path)
                               for key, path in _in_order(self.far_batches())]
        return self._far_drawn

    def _order(self, theme) -> list:
        """_batches in drawing order with their pens, made once per change: (opacity, pen,
        arrow pen, colour, lines, arrowheads)."""
        if self._drawn is None:
            self._drawn = [self._entry(theme, key, lines, arrows)
                           for key, (lines, arrows) in _in_order(self._batches())]
        return self._drawn

    def _entry(self, theme, key, lines, arrows) -> tuple:
        pen = self._pens.get(key)
        if pen is None:
            color, width, style = batch_pen(theme, key)
            line_pen = QPen(color, width, style)
            line_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen = self._pens[key] = (DIM_OPACITY if key[2] else 1.0, line_pen,
                                     QPen(color, 1.0), color)
        return pen + (lines, arrows)

    def _square_index(self) -> dict:
        """A tile of long edges: square -> [(edge, its pieces there as (a, control, b),
        whether its arrowhead is there)], made again when the pieces an edge draws batched
        change (`_batched_pieces`; not its look: a step recolours and pulses, it does not
        move). Looked at edge by edge only after a change that may have moved pieces
        (`edge_changed` tells), not at every paint."""
        if self._index is not None and not self._index_stale:
            return self._index[1]
        self._index_stale = False
        drawn = [_batched_pieces(e) if e._geom else None for e in self.edges]
        if self._index is not None and len(drawn) == len(self._index[0]) and \
                all(a is b for a, b in zip(drawn, self._index[0])):
            return self._index[1]
        index: dict = {}
        spans: dict = {}   # square -> [x0, y0, x1, y1] of what is drawn in it
        for e in self.edges:
            e._ensure()
            mine: dict = {}
            for p in _batched_pieces(e):
                for part in _in_squares(p):
                    a, c, b = part
                    cell = (int((a[0] + b[0]) / 2 // TILE), int((a[1] + b[1]) / 2 // TILE))
                    mine.setdefault(cell, []).append(part)
                    xs, ys = (a[0], b[0]) + ((c[0],) if c else ()), \
                        (a[1], b[1]) + ((c[1],) if c else ())
                    _grow(spans, cell, min(xs), min(ys), max(xs), max(ys))
            tip = e._arrow.boundingRect()
            arrow_cell = (int(tip.center().x() // TILE), int(tip.center().y() // TILE))
            mine.setdefault(arrow_cell, [])
            _grow(spans, arrow_cell, tip.left(), tip.top(), tip.right(), tip.bottom())
            for cell, parts in mine.items():
                index.setdefault(cell, []).append((e, parts, cell == arrow_cell))
        pad = EdgeItem.ARROW + 4   # (the widest pen and a round cap)
        self._spans = {cell: QRectF(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad)
                       for cell, (x0, y0, x1, y1) in spans.items()}
        self._index = ([_batched_pieces(e) for e in self.edges], index)
        return index

    def _square_order(self, theme, cell) -> list:
        """The drawing entries (as `_order`'s) of the batched edges' pieces in one square,
        made when the square is first painted after a change."""
        got = self._squares.get(cell)
        if got is None:
            batches = _paths_of([self.cell_looks(cell)])
            got = self._squares[cell] = [self._entry(theme, key, lines, arrows)
                                         for key, (lines, arrows) in _in_order(batches)]
        return got

    def cell_looks(self, cell) -> dict:
        """`_looks_in` of its edges' pieces in one square, made again after a change."""
        got = self._looks.get(cell)
        if got is None:
            got = self._looks[cell] = _looks_in(self._square_index().get(cell, ()))
        return got

    def _exposed_squares(self, exposed: QRectF) -> list:
        """The squares of this long tile whose pieces may meet `exposed` (a piece reaches at
        most a bend's length past its square: one square around)."""
        index = self._square_index()
        spans = self._spans
        c0, c1 = int(exposed.left() // TILE) - 1, int(exposed.right() // TILE) + 1
        r0, r1 = int(exposed.top() // TILE) - 1, int(exposed.bottom() // TILE) + 1
        if (c1 - c0 + 1) * (r1 - r0 + 1) > len(index):
            near = [cell for cell in index if c0 <= cell[0] <= c1 and r0 <= cell[1] <= r1]
        else:
            near = [(c, r) for c in range(c0, c1 + 1) for r in range(r0, r1 + 1)
                    if (c, r) in index]
        return [cell for cell in near if spans[cell].intersects(exposed)]

    def far_batches(self) -> dict:
        """Per look (`EdgeItem.batch_key`): one path of the visible edges with that look as
        straight polylines."""
        if self._far_paths is None:
            paths: dict = {}
            for e in self.edges:
                key = e.batch_key if e._visible else None
                if key is None:
                    continue
                pts = e._points
                path = paths.get(key)
                if path is None:
                    path = paths[key] = QPainterPath()
                path.moveTo(pts[0][0], pts[0][1])
                for x, y in pts[1:]:
                    path.lineTo(x, y)
            self._far_paths = paths
        return self._far_paths

    def _batches(self) -> dict:
        """Per look (`EdgeItem.batch_key`): (lines, arrowheads) of the visible edges with that
        look as they draw themselves."""
        if self._paths is None:
            paths: dict = {}
            for e in self.edges:
                key = e.batch_key if e._visible else None
                if key is None:
                    continue
                e._ensure()
                lines, arrows = paths.get(key) or paths.setdefault(
                    key, (QPainterPath(), QPainterPath()))
                lines.addPath(e._drawn)
                arrows.addPolygon(e._arrow)
                arrows.closeSubpath()
            self._paths = paths
        return self._paths

    # Override from QGraphicsItem
    def paint(self, painter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        exposed = option.exposedRect
        scene = self.scene()
        some = self.edges[0] if self.edges else None
        if some is None:
            return
        theme = some._theme
        base = painter.opacity()
        # while the graph builds, long edges are hairlines: their curves come with the trunks
        # they share (before those, thousands of them may run through one view)
        rough = self.long and scene is not None and scene.building
        if rough and self.long_layer is not None and self.long_layer.isVisible():
            pass   # the layer draws every long tile's hairlines at once, from its picture
        elif lod < LOD_DETAIL or rough:
            paint_hairlines(painter, [self._far_order(theme)])
        else:
            if self.long and self.long_layer is not None and self.long_layer.isVisible():
                entries = []   # stroked with every other long tile's, once (LongEdgeLayer)
            elif self.long:   # only the squares in view, each made when first shown
                entries = [entry for cell in self._exposed_squares(exposed)
                           for entry in self._square_order(theme, cell)]
            else:
                entries = self._order(theme)
            paint_batches(painter, entries, base, lod)
        painter.setOpacity(base)
        if lod >= LOD_TEXT and scene is not None and not self.labels_placed:
            scene.want_labels(self)   # placed now for an export, else a moment later
        labels = lod >= LOD_TEXT and (self.labels_placed or scene is None)
        if not (labels and not rough) and not self.loose_count():
            return   # nothing drawn edge by edge here
        if self.long:   # (a long edge's bounds meet most views; its label, few)
            if self.loose_count():
                for k in self.rects.meeting(exposed):
                    e = self.edges[k]
                    if e._visible and e.batch_key is None and not e._highlight:
                        e.paint(painter, lod, exposed)
            if labels and not rough:
                for k in self._label_rects().meeting(exposed):
                    e = self.edges[k]
                    if e._visible and e.batch_key is not None:
                        e.paint_label(painter, exposed)
            return
        near = [self.edges[k] for k in self.rects.meeting(exposed)]
        for e in near:
            if not e._visible:
                continue
            if e.batch_key is None:
                if not e._highlight:   # a highlighted edge is drawn over the boxes
                    e.paint(painter, lod, exposed)
            elif labels and not rough:
                e.paint_label(painter, exposed)


def _batched_pieces(e: EdgeItem) -> list:
    """The pieces an edge draws in its tile's batch: its whole path while on the selected
    node's path, else those no trunk draws (a pulsing or highlighted edge draws itself, its
    whole path, unbatched: the index stays)."""
    return e._full[1] if e._on_path is not None else e._own[1]


def _grow(spans: dict, cell, x0: float, y0: float, x1: float, y1: float) -> None:
    """``spans[cell]`` (``[x0, y0, x1, y1]``) made to reach over the given bounds too."""
    span = spans.get(cell)
    if span is None:
        spans[cell] = [x0, y0, x1, y1]
    else:
        span[0], span[1] = min(span[0], x0), min(span[1], y0)
        span[2], span[3] = max(span[2], x1), max(span[3], y1)


def _in_squares(p) -> list:
    """A piece as (a, control or None, b) parts, a straight one cut where it crosses into
    another tile square (a bend stays whole: it is at most a few hundred units)."""
    if p.kind != "L":
        return [(p.a, p.c, p.b)]
    (ax, ay), (bx, by) = p.a, p.b
    cuts = [0.0, 1.0]
    for lo, hi in ((ax, bx), (ay, by)):
        if hi != lo:
            first, last = sorted((lo, hi))
            k = math.floor(first / TILE) + 1
            while k * TILE < last:
                cuts.append((k * TILE - lo) / (hi - lo))
                k += 1
    if len(cuts) == 2:
        return [(p.a, None, p.b)]
    cuts.sort()
    points = [(ax + (bx - ax) * t, ay + (by - ay) * t) for t in cuts]
    return [(points[i], None, points[i + 1]) for i in range(len(points) - 1)
            if cuts[i + 1] - cuts[i] > 1e-9]


def _looks_in(listed) -> dict:
    """Per look (`EdgeItem.batch_key`): the distinct parts, in order, and the distinct
    arrowheads of the visible batched edges in ``[(edge, parts, arrowhead here)]`` (one
    tile's in one square), as dicts (part -> None, tip -> polygon) for `_paths_of` to join."""
    looks: dict = {}
    for e, parts, arrow in listed:
        key = e.batch_key if e._visible else None
        if key is None:
            continue
        entry = looks.get(key)
        if entry is None:
            entry = looks[key] = ({}, {})
        for part in parts:
            entry[0][part] = None
        if arrow:
            entry[1][tuple((p.x(), p.y()) for p in e._arrow)] = e._arrow
    return looks


def _paths_of(looks_list) -> dict:
    """Per look: (lines, arrowheads) paths of the `_looks_in` of several tiles in one square,
    each distinct part and arrowhead once (a path with the same stretch twice is filled
    alike: one stroke), None where there is none."""
    joined: dict = {}
    for looks in looks_list:
        for key, (parts, tips) in looks.items():
            mine = joined.get(key)
            if mine is None:
                joined[key] = (dict(parts), dict(tips))
            else:
                mine[0].update(parts)
                mine[1].update(tips)
    out = {}
    for key, (parts, tips) in joined.items():
        lines = arrows = None
        if parts:
            lines, at = QPainterPath(), None
            for a, c, b in parts:
                if at is None or abs(at[0] - a[0]) > 1e-6 or abs(at[1] - a[1]) > 1e-6:
                    lines.moveTo(a[0], a[1])
                if c is None:
                    lines.lineTo(b[0], b[1])
                else:
                    lines.quadTo(c[0], c[1], b[0], b[1])
                at = b
        if tips:
            arrows = QPainterPath()
            for polygon in tips.values():
                arrows.addPolygon(polygon)
                arrows.closeSubpath()
        out[key] = (lines, arrows)
    return out


def _in_order(batches: dict) -> list:
    """The batches faint first, then plain, then in a gradient colour, then on the path
    (drawn over the others)."""
    return sorted(batches.items(), key=lambda kv: (not kv[0][2], kv[0][1] is not None,
                                                   kv[0][1] == "grad", len(kv[0]) > 3,
                                                   kv[0][0], kv[0][3:]))


class LongEdgeLayer(QGraphicsItem):
    """The batched lines of every tile of long edges, stroked square by square (only the
    squares in view), each distinct piece once per look: a big graph's long edges run in a
    few lanes (a view of the RNN meets 1,044 of their pieces from 43 tiles, 56 of them
    distinct), and stroking costs what the paths hold, however little of them the exposed
    rectangle shows. A square's paths are made when it is first painted after a change of
    one of the tiles with pieces in it (their `version`). The tiles keep what they draw edge
    by edge (pulses, highlights, labels) and their hairlines far out and while building."""

    def __init__(self, tiles: list[EdgeTile]):
        super().__init__()
        self.tiles = [t for t in tiles if t.long]
        self._bounds = QRectF()
        for tile in self.tiles:
            tile.long_layer = self
            self._bounds = self._bounds.united(tile.boundingRect())
        self._rects: RectArray | None = None   # the tiles' bounds, for the squares' tiles
        self._cells: dict = {}                   # square -> (tiles' versions, entries)
        # while building: (view key, the hairlines' picture, the tiles' _far_order drawn)
        self._picture: tuple | None = None
        self.setZValue(1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def take_bounds(self, bounds: QRectF) -> None:
        """A tile's bounds changed: reach over them too."""
        self._rects = None
        if not self._bounds.contains(bounds):
            self.prepareGeometryChange()
            self._bounds = self._bounds.united(bounds)

    # Override from QGraphicsItem
    def boundingRect(self) -> QRectF:
        return self._bounds

    def _tile_rects(self) -> RectArray:
        if self._rects is None:
            boxes = [t.boundingRect() for t in self.tiles]
            self._rects = RectArray([r.left() for r in boxes], [r.top() for r in boxes],
                                    [r.right() for r in boxes], [r.bottom() for r in boxes])
        return self._rects

    def _cell_order(self, theme, cell) -> list:
        """The drawing entries (as `EdgeTile._order`'s) of one square: the pieces of every
        long tile with pieces there (whose bounds meet the square: a piece lies in the square
        of its middle), made again when one of those tiles changed."""
        rect = QRectF(cell[0] * TILE, cell[1] * TILE, TILE, TILE)
        mine = [t for t in (self.tiles[k] for k in self._tile_rects().meeting(rect)) if t.long]
        key = tuple((id(t), t.version) for t in mine) + (id(theme),)
        got = self._cells.get(cell)
        if got is None or got[0] != key:
            tiles = [t for t in mine if cell in t._square_index()]
            batches = _paths_of([t.cell_looks(cell) for t in tiles])
            entries = [tiles[0]._entry(theme, k, lines, arrows)
                       for k, (lines, arrows) in _in_order(batches)] if tiles else []
            got = self._cells[cell] = (key, entries)
        return got[1]

    def _draw_hairlines(self, painter, theme, orders=None) -> None:
        """The shown long tiles' hairlines (each one's `_far_order`, or those in `orders`),
        as the tiles draw them."""
        if orders is None:
            orders = [tile._far_order(theme) for tile in self.tiles
                      if tile.long and tile.isVisible() and tile.edges]
        paint_hairlines(painter, orders)

    def _paint_building(self, painter, option, widget) -> None:
        """While the graph builds, the long tiles' hairlines (thousands of whole polylines
        through most views) from one picture of the viewport, made again only when the view's
        transform or size, or what a long tile draws (its `version`), changed: every paint of
        the build (a slice's new frames, titles, trunks) stroked them all again, 20-58 ms on
        the RNN. Without a viewport (an export) they are stroked here."""
        if not any(t.long and t.isVisible() for t in self.tiles):
            return   # (far out the FarItem draws the shape)
        theme = self.tiles[0].edges[0]._theme if self.tiles[0].edges else None
        if widget is None:
            self._draw_hairlines(painter, theme)
            return
        t = painter.worldTransform()
        ratio = widget.devicePixelRatioF()
        size = widget.size()
        key = ((t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy()), size.width(),
               size.height(), ratio, id(theme))
        inverted, _ok = t.inverted()
        near = set(self._tile_rects().meeting(inverted.mapRect(QRectF(widget.rect()))).tolist())
        tiles = self.tiles
        orders = {k: tiles[k]._far_order(theme) for k in sorted(near)
                  if tiles[k].long and tiles[k].isVisible() and tiles[k].edges}
        if self._picture is None or self._picture[0] != key or \
                not _same_orders(self._picture[2], orders, tiles):
            image = QImage(max(1, round(size.width() * ratio)),
                           max(1, round(size.height() * ratio)),
                           QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            p = QPainter(image)
            p.setTransform(t)
            self._draw_hairlines(p, theme, list(orders.values()))
            p.end()
            self._picture = (key, image, orders)
        else:   # (a tile that forgot its hairlines made the same again: kept as they are)
            self._picture = (key, self._picture[1], orders)
        exposed = QRectF(t.mapRect(option.exposedRect).toAlignedRect()
                         .intersected(widget.rect()))
        if exposed.isEmpty():
            return
        painter.save()
        painter.resetTransform()
        painter.drawImage(exposed, self._picture[1],
                          QRectF(exposed.x() * ratio, exposed.y() * ratio,
                                 exposed.width() * ratio, exposed.height() * ratio))
        painter.restore()

    # Override from QGraphicsItem
    def paint(self, painter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        scene = self.scene()
        if not self.tiles:
            return
        if scene is not None and scene.building:
            self._paint_building(painter, option, widget)
            return
        self._picture = None
        if lod < LOD_DETAIL:
            return   # the tiles draw their hairlines
        exposed = option.exposedRect
        cells: dict = {}
        for k in self._tile_rects().meeting(exposed):
            if self.tiles[k].long:   # (a tile made to draw its batches whole: not here)
                for cell in self.tiles[k]._exposed_squares(exposed):
                    cells[cell] = None
        theme = self.tiles[0].edges[0]._theme if self.tiles[0].edges else None
        base = painter.opacity()
        for cell in cells:
            paint_batches(painter, self._cell_order(theme, cell), base, lod)
        painter.setOpacity(base)


def _same_orders(old: dict, new: dict, tiles: list) -> bool:
    """Whether the long tiles' hairlines in view (tile index -> its `EdgeTile._far_order`)
    are those of the picture made from `old`: a tile's version changes while building
    (curves, trunks, labels) though its hairlines stay, and a tile whose bounds shrank out
    of the view (its exact curves known) drew nothing in it; a tile hidden since did."""
    for k, b in new.items():
        a = old.get(k)
        if a is b:
            continue
        if a is None or len(a) != len(b):
            return False
        for (oa, pa, qa), (ob, pb, qb) in zip(a, b):
            if oa != ob or pa != pb or qa != qb:
                return False
    return all(k in new or (tiles[k].isVisible() and tiles[k].edges) for k in old)


class LiveEdges(QGraphicsItem):
    """The few edges that move or stand out now (the gradient pulses of the active node's
    edges): drawn whole over the boxes, so a pulse frame repaints only them."""

    def __init__(self):
        super().__init__()
        self.edges: list[EdgeItem] = []
        self._bounds = QRectF()
        self.setZValue(3)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_edges(self, edges: list[EdgeItem]) -> None:
        self.prepareGeometryChange()
        self.edges = list(edges)
        bounds = QRectF()
        for e in self.edges:
            r = e.boundingRect().adjusted(-12, -12, 12, 12)
            bounds = r if bounds.isEmpty() else bounds.united(r)
        self._bounds = bounds
        self.update()

    def pulse_rects(self) -> list[QRectF]:
        """Where the pulses are drawn now (what one animation frame repaints), one per edge:
        the pulses of long edges lie far apart."""
        rects = []
        for e in self.edges:
            p = e.pulse_point()
            if p is not None:
                rects.append(QRectF(p - QPointF(13, 13), p + QPointF(13, 13)))
        return rects

    # Override from QGraphicsItem
    def boundingRect(self) -> QRectF:
        return self._bounds

    # Override from QGraphicsItem
    def paint(self, painter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        for e in self.edges:
            if e._visible:
                e.paint(painter, lod, option.exposedRect)


class FarItem(QGraphicsItem):
    """The whole graph's shape when it is a few hundred pixels tall (below ZOOM_SHAPE): every
    shown box as a filled rectangle in its colour and every edge as a hairline, gathered from
    the tiles into one drawRects call per colour (the tiles are hidden meanwhile)."""

    def __init__(self, node_tiles: list[NodeTile], edge_tiles: list[EdgeTile], theme):
        super().__init__()
        self.node_tiles, self.edge_tiles = node_tiles, edge_tiles
        self.theme = theme
        for tile in node_tiles + edge_tiles:
            tile.far_item = self
        self._bounds = QRectF()
        self.refresh_bounds()
        self._batches: tuple | None = None
        self._boxes: dict | None = None
        self._arrays: dict | None = None
        self.box_rects: RectArray | None = None   # every box, as the tiles' `indices` count
        self._frames: list[QRectF] = []
        self.setZValue(1.5)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def refresh_bounds(self) -> None:
        """Take the tiles' bounds (after their edges' labels were placed)."""
        bounds = QRectF()
        for tile in self.node_tiles + self.edge_tiles:
            bounds = tile.boundingRect() if bounds.isEmpty() else \
                bounds.united(tile.boundingRect())
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds

    def set_frames(self, rects: list[QRectF]) -> None:
        """The group frames to draw (filled, under the boxes) while the frame items hide."""
        if rects != self._frames:
            self._frames = rects
            self.update()

    def invalidate(self) -> None:
        self._boxes = self._arrays = None
        if self._batches is not None:
            self._batches = None
            if self.isVisible():
                self.update()

    # Override from QGraphicsItem
    def boundingRect(self) -> QRectF:
        return self._bounds

    def batches(self) -> tuple:
        """``(boxes, lines)``: `box_batches` and the edges' hairlines, one path per look."""
        if self._batches is None:
            lines: dict[tuple, QPainterPath] = {}
            for tile in self.edge_tiles:
                for key, path in tile.far_batches().items():
                    if key in lines:
                        lines[key].addPath(path)
                    else:
                        lines[key] = QPainterPath(path)
            self._batches = (self.box_batches(), lines)
        return self._batches

    def box_arrays(self) -> dict[tuple, tuple] | None:
        """``(rgba, opacity)`` -> the shown boxes with that look as numpy columns ``(x0,
        y0, x1, y1)``, from `box_rects` (the scene's every box) and the tiles' `far_indices`;
        None when a tile does not know where its boxes are. The overview's miniature of a big
        graph snaps them to its pixels with numpy: drawing 100,000 QRectFs into it took 66 ms."""
        rects = self.box_rects
        if rects is None:
            return None
        if self._arrays is None:
            parts: dict[tuple, list] = {}
            for tile in self.node_tiles:
                found = tile.far_indices()
                if found is None:
                    return None
                for key, idx in found.items():
                    parts.setdefault(key, []).append(idx)
            arrays = {}
            for key, chunks in parts.items():
                idx = np.concatenate(chunks)
                arrays[key] = (rects.x0[idx], rects.y0[idx], rects.x1[idx], rects.y1[idx])
            self._arrays = arrays
        return self._arrays

    def box_batches(self) -> dict[tuple, list[QRectF]]:
        """``(rgba, opacity)`` -> the shown boxes' rects with that look (the overview's
        miniature draws these alone: the edges' paths cost more to join than the boxes)."""
        if self._batches is not None:
            return self._batches[0]
        if self._boxes is None:
            boxes: dict[tuple, list] = {}
            for tile in self.node_tiles:
                for color, opacity, rects in tile.far_batches():
                    boxes.setdefault((color.rgba(), opacity), []).extend(rects)
            self._boxes = boxes
        return self._boxes

    # Override from QGraphicsItem
    def paint(self, painter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        boxes, lines = self.batches()
        painter.setRenderHint(painter.RenderHint.Antialiasing, False)
        if self._frames:
            fill = QColor(self.theme.grid)
            fill.setAlpha(150)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRects(self._frames)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        base = painter.opacity()
        for key, path in _in_order(lines):
            painter.setOpacity(base * (DIM_OPACITY if key[2] else 1.0))
            painter.setPen(QPen(batch_pen(self.theme, key)[0], 0))
            painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        for (rgba, opacity), rects in boxes.items():
            painter.setOpacity(base * opacity)
            painter.setBrush(QColor.fromRgba(rgba))
            painter.drawRects(rects)
        painter.setOpacity(base)

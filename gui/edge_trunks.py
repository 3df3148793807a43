"""Shared trunks of the graph view: where edges run along the same line or the same bend (the
layout routes the long edges of one node along one trunk), a TrunkItem draws that stretch once.

Without it a weight shared by every step of an unrolled RNN is hundreds of edges drawn on top
of one another all the way down the graph, and every frame paints each of them.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from .edge_paths import Piece, line_piece
from .graph_items import DIM_OPACITY, LOD_DETAIL, EdgeItem
from .theme import LIGHT, Theme

#: stretches shorter than this (scene units) are not worth splitting off an edge
MIN_SHARED = 0.5


class TrunkItem(QGraphicsItem):
    """The stretch several edges share: one line (the union of their intervals along it) or one
    bend, drawn in the plain edge style under the edges; only the parts of visible edges show.
    """

    def __init__(self, key: tuple, members: list, theme: Theme = LIGHT):
        super().__init__()
        self.key = key
        #: (edge, pieces of it this trunk draws), pieces all with this trunk's key
        self.members = members
        self._theme = theme
        first = members[0][1][0]
        self._bend = first if first.kind == "Q" else None
        if self._bend is None:
            self._origin, self._unit = _line_of(first)
        self._spans: tuple = ()
        self._lines: list[QLineF] = []
        self._path = QPainterPath()
        self._bounds = QRectF()
        self._dimmed = False
        self.setZValue(0.95)   # under every edge, so one drawing its whole path shows on top
        self.refresh()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_dimmed(self, on: bool) -> None:
        """Faint while a selected node's path is shown (edges on it draw their whole path)."""
        if on != self._dimmed:
            self._dimmed = on
            self.update()

    def spans(self) -> tuple:
        """What is drawn now: ((start, end), ...) along the line, or ((0, 1),) for a bend."""
        return self._spans

    def drawn_path(self) -> QPainterPath:
        """What the trunk draws now, as a path."""
        if self._bend is not None:
            return QPainterPath(self._path) if self._spans else QPainterPath()
        path = QPainterPath()
        for line in self._lines:
            path.moveTo(line.p1())
            path.lineTo(line.p2())
        return path

    def refresh(self) -> None:
        """Draw what the visible member edges share (call after edges were shown or hidden)."""
        visible = [pieces for edge, pieces in self.members if edge.isVisible()]
        if self._bend is not None:
            spans = ((0.0, 1.0),) if visible else ()
        else:
            spans = _union((p.s, p.t) for pieces in visible for p in pieces)
        if spans == self._spans:
            return
        self.prepareGeometryChange()
        self._spans = spans
        if self._bend is not None:
            p = self._bend
            self._path = QPainterPath(QPointF(*p.a))
            self._path.quadTo(QPointF(*p.c), QPointF(*p.b))
            bounds = self._path.boundingRect()
        else:
            pieces = [line_piece(self._origin, self._unit, s, t, self.key) for s, t in spans]
            self._lines = [QLineF(*p.a, *p.b) for p in pieces]
            bounds = QRectF()
            for line in self._lines:
                bounds = bounds.united(QRectF(line.p1(), line.p2()).normalized())
        self._bounds = bounds.adjusted(-4, -4, 4, 4)
        self.setVisible(bool(spans))
        self.update()

    # Override from QGraphicsItem
    def boundingRect(self) -> QRectF:
        return self._bounds

    # Override from QGraphicsItem
    def paint(self, painter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        color = QColor(self._theme.edge)
        if self._dimmed:
            painter.setOpacity(painter.opacity() * DIM_OPACITY)
        if lod < LOD_DETAIL:  # as EdgeItem draws itself that far out
            painter.setRenderHint(painter.RenderHint.Antialiasing, False)
            painter.setPen(QPen(color, 0))
        else:
            pen = QPen(color, 1.4)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._bend is not None:
            painter.drawPath(self._path)
        else:
            painter.drawLines(self._lines)
        if lod < LOD_DETAIL:
            painter.setRenderHint(painter.RenderHint.Antialiasing, True)


def _union(spans) -> tuple:
    """Sorted, merged (start, end) spans."""
    out = []
    for s, t in sorted(spans):
        if out and s <= out[-1][1] + 1e-6:
            if t > out[-1][1]:
                out[-1] = (out[-1][0], t)
        else:
            out.append((s, t))
    return tuple(out)


def share_trunks(edges, theme: Theme = LIGHT) -> list[TrunkItem]:
    """Find the stretches plain data edges share, hand each edge its own pieces
    (`EdgeItem.set_shared`) and return one TrunkItem per shared line or bend (not yet in a
    scene). A stretch of a line is shared where two or more edges run along it."""
    trunks: list[TrunkItem] = []
    for _ in share_trunks_steps(edges, trunks, theme):
        pass
    return trunks


def share_trunks_steps(edges, trunks: list, theme: Theme = LIGHT,
                       step: int = 1000) -> Iterator[None]:
    """`share_trunks` as a generator that yields after about `step` edges or lines (a big
    graph's window answers in between) and puts the TrunkItems into `trunks`."""
    edges = [e for e in edges if isinstance(e, EdgeItem) and e.kind == "data"]
    by_key = defaultdict(list)   # key -> [(edge index, piece index)]
    all_pieces = []
    for i, e in enumerate(edges):
        all_pieces.append(e.pieces)
        if i % step == step - 1:
            yield
    for i, pieces in enumerate(all_pieces):
        for j, p in enumerate(pieces):
            by_key[p.key].append((i, j))
        if i % step == step - 1:
            yield
    yield
    # what of each piece is shared: None (nothing), True (all of it), or shared spans
    shared: dict[tuple[int, int], object] = {}
    for n, (key, where) in enumerate(by_key.items()):
        if n % step == step - 1:
            yield
        if len(where) < 2:
            continue
        if key[0] == "Q":
            for ij in where:
                shared[ij] = True
            continue
        for ij, spans in _shared_spans(key, where, all_pieces).items():
            shared[ij] = spans
    members = defaultdict(list)   # key -> [(edge, [shared pieces])]
    for i, pieces in enumerate(all_pieces):
        if i % step == step - 1:
            yield
        own: list[Piece] = []
        mine = defaultdict(list)
        for j, p in enumerate(pieces):
            spans = shared.get((i, j))
            if spans is None:
                own.append(p)
            elif spans is True:
                mine[p.key].append(p)
            else:
                origin, unit = _line_of(p)
                at = p.s
                for s, t in spans:
                    if s - at > MIN_SHARED:
                        own.append(line_piece(origin, unit, at, s, p.key))
                    mine[p.key].append(line_piece(origin, unit, s, t, p.key))
                    at = t
                if p.t - at > MIN_SHARED:
                    own.append(line_piece(origin, unit, at, p.t, p.key))
        if not mine:
            continue
        edges[i].set_shared(own)
        for key, ps in mine.items():
            members[key].append((edges[i], ps))
    for n, (key, ms) in enumerate(members.items()):
        trunks.append(TrunkItem(key, ms, theme))
        if n % step == step - 1:
            yield


def _line_of(p: Piece):
    """(origin, unit direction) of the line a line piece lies on."""
    length = p.t - p.s
    unit = ((p.b[0] - p.a[0]) / length, (p.b[1] - p.a[1]) / length)
    return (p.a[0] - unit[0] * p.s, p.a[1] - unit[1] * p.s), unit


def _shared_spans(key, where, all_pieces) -> dict:
    """For the line pieces `where` on one line: the spans of each that another piece also
    covers. Pieces with nothing shared are left out."""
    events = []
    for i, j in where:
        p = all_pieces[i][j]
        events += [(p.s, 1), (p.t, -1)]
    events.sort()   # at one point ends come first: touching pieces share nothing
    region, count, at = [], 0, None
    for x, step in events:
        if count >= 2 and x - at > 0:
            region.append((at, x))
        count += step
        at = x
    region = _union(region)
    starts = [a for a, _ in region]
    out = {}
    for i, j in where:
        p = all_pieces[i][j]
        k = max(bisect_right(starts, p.s) - 1, 0)
        spans = []
        while k < len(region) and region[k][0] < p.t:
            a, b = max(region[k][0], p.s), min(region[k][1], p.t)
            if b - a > MIN_SHARED:
                spans.append((a, b))
            k += 1
        if spans:
            out[(i, j)] = spans
    return out

"""The geometry of a drawn edge: the layout's polyline as pieces, straight lines and rounded
bends, which edges running along one trunk share exactly. Plain geometry for the graph items."""
from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF
from PySide6.QtGui import QPainterPath

#: the most of a segment (scene units) the rounding of one bend takes; a longer segment is
#: drawn straight, so long edges that share a trunk overlap exactly instead of fanning out
BEND = 700.0


class Piece(NamedTuple):
    """One stretch of an edge's drawn path: a straight line (`kind` "L") or a rounded bend
    ("Q", a quadratic curve from `a` through control point `c` to `b`). Pieces of two edges
    with the same `key` lie on one line (then `s`, `t` are where each starts and ends along it,
    measured from the key's origin) or are the same bend."""

    kind: str
    a: tuple
    c: tuple | None
    b: tuple
    key: tuple
    s: float = 0.0
    t: float = 0.0


def line_piece(origin, unit, s: float, t: float, key: tuple) -> Piece:
    """The stretch from `s` to `t` along the line through `origin` in direction `unit`."""
    ox, oy = origin
    ux, uy = unit
    return Piece("L", (ox + ux * s, oy + uy * s), None, (ox + ux * t, oy + uy * t), key, s, t)


def edge_pieces(points, bend: float = BEND) -> list[Piece]:
    """The pieces of the path drawn along the polyline `points`: each bend is rounded by a
    quadratic curve through the bend point that takes up to half of each segment (all of the
    first and the last) and at most `bend`; what remains of a segment is a straight line.

    >>> [p.kind for p in edge_pieces([(0, 0), (0, 100), (50, 150)])]
    ['Q']
    >>> [p.kind for p in edge_pieces([(0, 0), (0, 5000), (50, 5050)])]
    ['L', 'Q']
    """
    pts = []
    for x, y in points:
        p = (float(x), float(y))
        if not pts or p != pts[-1]:
            pts.append(p)
    if len(pts) < 2:
        p = pts[0] if pts else (0.0, 0.0)
        return [Piece("L", p, None, p, ("L", p, (0.0, 0.0)))]
    n = len(pts) - 1   # segments
    lengths = [math.dist(pts[i], pts[i + 1]) for i in range(n)]
    units = [((pts[i + 1][0] - pts[i][0]) / lengths[i], (pts[i + 1][1] - pts[i][1]) / lengths[i])
             for i in range(n)]
    # how much of segment i the bend at its start / its end takes
    start = [0.0] + [min(lengths[i] if i == n - 1 else lengths[i] / 2, bend)
                     for i in range(1, n)]
    end = [min(lengths[i] if i == 0 else lengths[i] / 2, bend) for i in range(n - 1)] + [0.0]
    pieces = []
    for i in range(n):
        origin, unit = pts[i], units[i]
        key = ("L", origin, unit)   # exact: shared trunks come from the same layout points
        s, t = start[i], lengths[i] - end[i]
        if t - s > 1e-6:
            pieces.append(line_piece(origin, unit, s, t, key))
        if i < n - 1:
            c = pts[i + 1]
            a = (c[0] - unit[0] * end[i], c[1] - unit[1] * end[i])
            nxt = units[i + 1]
            b = (c[0] + nxt[0] * start[i + 1], c[1] + nxt[1] * start[i + 1])
            pieces.append(Piece("Q", a, c, b, ("Q", a, c, b)))
    return pieces


def pieces_path(pieces) -> QPainterPath:
    """One QPainterPath through `pieces`; a gap between two pieces starts a new sub-path."""
    path = QPainterPath()
    at = None
    for p in pieces:
        if at is None or abs(at[0] - p.a[0]) > 1e-6 or abs(at[1] - p.a[1]) > 1e-6:
            path.moveTo(p.a[0], p.a[1])
        if p.kind == "L":
            path.lineTo(p.b[0], p.b[1])
        else:
            path.quadTo(p.c[0], p.c[1], p.b[0], p.b[1])
        at = p.b
    return path


def culling_pieces(pieces) -> list:
    """(bounds, path) for each piece of a long path, so paint draws only the exposed ones."""
    return [(pieces_path([p]).boundingRect().adjusted(-4, -4, 4, 4), pieces_path([p]))
            for p in pieces]


def on_pieces(point: QPointF, pieces, tolerance: float = 1.0) -> bool:
    """Whether `point` lies on one of `pieces` (within `tolerance`)."""
    for p in pieces:
        if p.kind == "L":
            line = QLineF(QPointF(*p.a), QPointF(*p.b))
            length = line.length()
            if length == 0:
                continue
            ux, uy = line.dx() / length, line.dy() / length
            dx, dy = point.x() - p.a[0], point.y() - p.a[1]
            along = dx * ux + dy * uy
            if -tolerance <= along <= length + tolerance and \
                    abs(dx * uy - dy * ux) <= tolerance:
                return True
        elif pieces_path([p]).controlPointRect().adjusted(
                -tolerance, -tolerance, tolerance, tolerance).contains(point):
            return True
    return False

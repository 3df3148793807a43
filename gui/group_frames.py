"""Group frames of the graph view: a translucent frame around the members of each group (an
nn.Module call or a user `def`) and its title.

The layout places them (`Layout.frames`, gui/model/group_nesting.py): a frame is the union of
one row per layer, rows of different groups never overlap, and each frame's first row keeps
room for its title at its top-left (`title_in_row`). `arrange_frames`, for a layout without
frames (one made by hand), takes each frame as its members' bounding box and moves a title
right, past the frames and titles in its way, or grows its frame upward by a title row.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from .graph_items import LOD_TEXT, graph_font
from .model.group_nesting import FRAME_PAD
from .theme import LIGHT, Theme

#: room around the members: left, top (the title row), right, bottom (as the layout keeps it)
PAD = FRAME_PAD
#: where a title sits in its frame's top-left corner, and the gap kept to what it passes
TITLE_INSET, TITLE_TOP, TITLE_GAP = 10.0, 4.0, 8.0
#: how far a frame grows upward each time its title finds no free place in its top row
TITLE_ROW = 22.0
MAX_ROWS = 3


def title_font(font: QFont | None = None) -> QFont:
    font = QFont(font) if font is not None else graph_font()
    font.setItalic(True)
    return font


def title_text(name: str) -> str:
    return f"▾ {name}"


class GroupFrame(QGraphicsItem):
    """A translucent frame behind the nodes of one group (a `scope`); `title` is its label.
    Its shape is `rows` (the layout's, one per layer; their union), else `rect`."""

    def __init__(self, name: str, rect: QRectF, theme: Theme = LIGHT,
                 rows: list[QRectF] | None = None):
        super().__init__()
        self.name = name
        self._set_rows([(r.left(), r.top(), r.right(), r.bottom()) for r in (rows or [rect])])
        self._path: QPainterPath | None = None   # the rows' outline, made at the first paint
        self._theme = theme
        self.title: GroupTitle | None = None
        self.setZValue(0)

    @classmethod
    def of_rows(cls, name: str, rows, theme: Theme = LIGHT) -> GroupFrame:
        """A frame of the layout's `rows`, ``(x0, y0, x1, y1)`` each (`Layout.frames`)."""
        frame = cls(name, QRectF(), theme)
        frame._set_rows([tuple(r) for r in rows])
        return frame

    def _set_rows(self, rows: list[tuple]) -> None:
        # kept as numbers: a big graph has tens of thousands of frames of several rows each,
        # and each QRectF kept is one more entry in Shiboken's table of live wrappers
        self._rows = rows
        self._rect = QRectF(min(r[0] for r in rows), min(r[1] for r in rows), 0.0, 0.0)
        self._rect.setRight(max(r[2] for r in rows))
        self._rect.setBottom(max(r[3] for r in rows))

    def rect(self) -> QRectF:
        """The frame's bounding rect."""
        return QRectF(self._rect)

    def rows(self) -> list[QRectF]:
        """The rects whose union is the frame (one, its `rect`, for a frame without rows)."""
        return [QRectF(x0, y0, x1 - x0, y1 - y0) for x0, y0, x1, y1 in self._rows]

    def first_row(self) -> QRectF:
        """The row that holds the title (`rows()[0]`)."""
        x0, y0, x1, y1 = self._rows[0]
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    def overlaps(self, rect: QRectF) -> bool:
        """Whether the frame's shape (not only its bounding rect) overlaps `rect`."""
        if not rect.intersects(self._rect):
            return False
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        return any(x0 < right and left < x1 and y0 < bottom and top < y1
                   for x0, y0, x1, y1 in self._rows)

    def outline(self) -> QPainterPath:
        """The union of the rows (each reaching half a pixel into the next, so rows that
        meet at a line join)."""
        if self._path is None:
            path = QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)
            grow = 0.5 if len(self._rows) > 1 else 0.0
            for x0, y0, x1, y1 in self._rows:
                path.addRect(QRectF(x0, y0 - grow, x1 - x0, y1 - y0 + 2 * grow))
            self._path = path.simplified()
        return self._path

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()
        if self.title is not None:
            self.title.set_theme(theme)

    # Override from QGraphicsItem
    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    # Override from QGraphicsItem
    def paint(self, painter, option, widget=None) -> None:
        fill = QColor(self._theme.grid)
        fill.setAlpha(150)
        painter.setPen(QPen(QColor(self._theme.edge), 1.0, Qt.PenStyle.DashLine))
        painter.setBrush(fill)
        if len(self._rows) == 1:
            painter.drawRoundedRect(self._rect, 10, 10)
        else:
            painter.drawPath(self.outline())


class GroupTitle(QGraphicsItem):
    """A group's name ("▾ 1") in its frame's top row, above every frame so none dims it."""

    def __init__(self, name: str, rect: QRectF, theme: Theme = LIGHT,
                 font: QFont | None = None):
        super().__init__()
        self.name = name
        self.text = title_text(name)
        self._rect = QRectF(rect)
        self._bounds = self._rect.adjusted(-1, -1, 1, 1)
        self._theme = theme
        self._font = title_font(font)
        self.setZValue(0.5)

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    # Override from QGraphicsItem
    def boundingRect(self) -> QRectF:
        return self._bounds

    # Override from QGraphicsItem
    def paint(self, painter, option, widget=None) -> None:
        if QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform()) < LOD_TEXT:
            return
        painter.setPen(QColor(self._theme.subtext))
        painter.setFont(self._font)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self.text)


def title_size(name: str, font: QFont | None = None) -> QSizeF:
    fm = QFontMetricsF(title_font(font))
    return QSizeF(fm.horizontalAdvance(title_text(name)) + 2.0, fm.height())


def title_in_row(text: str, row: QRectF, metrics: QFontMetricsF) -> tuple[str, QRectF]:
    """A title's text and rect in the top-left corner of its frame's first `row` (the room
    the layout keeps above the members), the text elided to the row's width.

    >>> from PySide6.QtCore import QRectF
    >>> from PySide6.QtGui import QFontMetricsF
    >>> text, rect = title_in_row("▾ a", QRectF(0, 0, 200, 60), QFontMetricsF(title_font()))
    >>> (text, rect.left(), rect.top())
    ('▾ a', 10.0, 4.0)
    """
    room = max(row.width() - 2 * TITLE_INSET, 0.0)
    width = metrics.horizontalAdvance(text) + 2.0
    if width > room:
        text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        width = min(metrics.horizontalAdvance(text) + 2.0, room)
    return text, QRectF(row.left() + TITLE_INSET, row.top() + TITLE_TOP, width, metrics.height())


class RectIndex:
    """Rects bucketed by a coarse grid, to find the few near a rect among thousands."""

    CELL = 256.0

    def __init__(self, cell: float | None = None):
        self._cells = defaultdict(set)
        self.cell = float(cell) if cell else self.CELL

    def _keys(self, r: QRectF):
        return self._keys_of(r.left(), r.top(), r.right(), r.bottom())

    def _keys_of(self, x0: float, y0: float, x1: float, y1: float):
        c = self.cell
        for i in range(int(x0 // c), int(x1 // c) + 1):
            for j in range(int(y0 // c), int(y1 // c) + 1):
                yield i, j

    def add_bounds(self, bounds: tuple[float, float, float, float], key) -> None:
        """Add the rect (x0, y0, x1, y1) (no Qt rect made: a big graph has 100,000 boxes)."""
        for k in self._keys_of(*bounds):
            self._cells[k].add(key)

    def cells(self) -> dict:
        """The grid's cells (key -> the set of what lies in it)."""
        return self._cells

    def add(self, r: QRectF, key) -> None:
        for k in self._keys(r):
            self._cells[k].add(key)

    def near(self, r: QRectF) -> set:
        found = set()
        for k in self._keys(r):
            found |= self._cells.get(k, set())
        return found


def arrange_frames(members: dict[str, QRectF], titles: dict[str, QSizeF],
                   obstacles=()) -> dict[str, tuple[QRectF, QRectF]]:
    """Frame and title rects for each group, from the bounding rect of its members.

    A frame is its members' rect padded by `PAD`; a frame that held another one from the start
    grows to keep holding it. Smaller frames are placed first. A title starts at its frame's
    top-left; it moves right past what is in the way (another title, one of `obstacles` (node
    boxes), or a frame that does not hold this one), and when its row has no room the frame
    grows up by a row. No two titles ever overlap; every frame holds all its members.

    >>> from PySide6.QtCore import QRectF, QSizeF
    >>> out = arrange_frames({"a": QRectF(0, 0, 100, 40), "b": QRectF(0, 0, 300, 40)},
    ...                      {"a": QSizeF(30, 15), "b": QSizeF(30, 15)})
    >>> out["a"][1].intersects(out["b"][1])
    False
    """
    out: dict[str, tuple[QRectF, QRectF]] = {}
    for _ in arrange_frames_steps(members, titles, obstacles, out):
        pass
    return out


def arrange_frames_steps(members: dict[str, QRectF], titles: dict[str, QSizeF], obstacles,
                         out: dict):
    """`arrange_frames` as a generator that fills `out`, yielding every few hundred rects (so
    a big graph's frames are arranged between event-loop turns)."""
    left, top, right, bottom = PAD
    frames = {}
    for k, (n, r) in enumerate(members.items()):
        frames[n] = QRectF(r).adjusted(-left, -top, right, bottom)
        if k % 1000 == 999:
            yield
    area = {n: (r.width() * r.height(), n) for n, r in frames.items()}
    order = sorted(frames, key=area.__getitem__)
    yield
    grid = RectIndex()
    for k, (n, r) in enumerate(frames.items()):
        grid.add(r, ("frame", n))
        if k % 100 == 99:
            yield
    # node boxes as (x0, y0, x1, y1): hundreds of thousands of Qt rects made at once stall
    # (PySide's table of live wrappers grows in one piece)
    boxes = [r if isinstance(r, tuple) else (r.left(), r.top(), r.right(), r.bottom())
             for r in obstacles]
    for k, r in enumerate(boxes):
        grid.add_bounds(r, ("box", k))
        if k % 200 == 199:
            yield
    # who held whom before anything moved
    inside: dict[str, list[str]] = defaultdict(list)
    holders: dict[str, set[str]] = defaultdict(set)
    for k, n in enumerate(order):
        if k % 100 == 99:
            yield
        for kind, m in grid.near(frames[n]):
            if kind == "frame" and m != n and frames[m].contains(frames[n]):
                inside[m].append(n)
                holders[n].add(m)
    placed: dict[str, QRectF] = {}

    def blockers(n: str, rect: QRectF, strict: bool) -> list[QRectF]:
        found = []
        for kind, m in grid.near(rect):
            if kind == "title":
                other = placed[m]
            elif not strict:
                continue
            elif kind == "box":
                x0, y0, x1, y1 = boxes[m]
                if x0 < rect.right() and x1 > rect.left() and y0 < rect.bottom() and \
                        y1 > rect.top():   # (as QRectF.intersects)
                    found.append(QRectF(x0, y0, x1 - x0, y1 - y0))
                continue
            elif m == n or m in holders[n]:
                continue
            else:
                other = frames[m]
            if other.intersects(rect):
                found.append(other)
        return found

    def free_spot(n: str, frame: QRectF, size: QSizeF, strict: bool) -> QRectF | None:
        x = frame.left() + TITLE_INSET
        while True:
            rect = QRectF(x, frame.top() + TITLE_TOP, size.width(), size.height())
            if rect.right() > frame.right() - TITLE_INSET and x > frame.left() + TITLE_INSET:
                return None
            found = blockers(n, rect, strict)
            if not found:
                return rect
            x = max(x + 1.0, max(b.right() for b in found) + TITLE_GAP)

    for n in order:
        base = frames[n]
        for m in inside[n]:
            base = base.united(frames[m])
        size = titles.get(n, QSizeF(0, 0))
        # first keep clear of everything, growing at most MAX_ROWS rows; else of titles only
        for strict, rows in ((True, MAX_ROWS), (False, 2 * len(placed) + 2)):
            frame = base
            for _ in range(rows + 1):
                spot = free_spot(n, frame, size, strict)
                if spot is not None:
                    break
                frame = frame.adjusted(0, -TITLE_ROW, 0, 0)
            if spot is not None:
                break
        frames[n] = frame
        grid.add(frame, ("frame", n))
        placed[n] = spot
        grid.add(spot, ("title", n))
        if len(placed) % 10 == 0:
            yield
    yield
    out.update({n: (frames[n], placed[n]) for n in frames})
    yield from release_steps(grid.cells())
    yield from release_steps(boxes)


def release_steps(container, step: int = 2000) -> Iterator[None]:
    """Empty a big list, dict or set a part at a time, yielding in between: a big graph's
    indexes hold hundreds of thousands of Qt rects and sets, and freeing them all in the one
    step where they go out of use blocked the window for tens of milliseconds."""
    if isinstance(container, list):
        while container:
            del container[-step:]
            yield
        return
    pop = container.popitem if isinstance(container, dict) else container.pop
    while container:
        for _ in range(min(step, len(container))):
            pop()
        yield

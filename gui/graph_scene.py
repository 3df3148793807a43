"""The graph scene: builds node and edge items from a graph model and its layout, and paints a
playback state onto them (visible, done, active, gradients, pulses). It decides nothing itself:
every fact comes from the graph's attributes or the PlaybackState."""
from __future__ import annotations

import gc
import math
import time
from collections.abc import Iterator
from contextlib import nullcontext
from itertools import chain

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEasingCurve,
    QPointF,
    QRectF,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene
from shiboken6 import isValid

from .edge_trunks import TrunkItem, share_trunks, share_trunks_steps
from .graph_items import (
    EdgeItem,
    GraphFonts,
    NodeItem,
    format_shape,
    graph_font,
    node_box_size,
    node_sizes,
    node_tooltip,
)
from .graph_tiles import (
    LONG_EDGE,
    LONG_GROUP,
    TILE,
    ZOOM_SHAPE,
    EdgeTile,
    FarItem,
    LiveEdges,
    LongEdgeLayer,
    NodeTile,
    RectArray,
    deferred_repaints,
    group_by_key,
    rough_edge_bounds,
    tile_keys,
)
from .group_frames import (
    PAD,
    TITLE_ROW,
    GroupFrame,
    GroupTitle,
    RectIndex,
    arrange_frames_steps,
    release_steps,
    title_font,
    title_in_row,
    title_size,
    title_text,
)
from .model import graph as model_graph
from .model.hierarchy import alike_label, group_tree, group_tree_steps
from .model.paths import NodePath, PathIndex
from .theme import LIGHT, MagnitudeScale, Theme

#: QCoreApplication.translate, under the name pyside6-lupdate reads
translate = QCoreApplication.translate

#: where along its edge a label may go, in order of preference (the middle first)
LABEL_PLACES = (0.5, 0.35, 0.65, 0.25, 0.75, 0.15, 0.85)


def format_number(v: float) -> str:
    if v != v:
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == int(v) and abs(v) < 1e6:
        return f"{v:.1f}"
    return f"{v:.4g}"


def short_array(a, all_suffix: bool = True) -> str:
    """A one-line summary of an array for a node box: `4.5` when all equal, else values or norm."""
    if a is None:
        return "None"
    if not isinstance(a, np.ndarray) and hasattr(a, "numel"):   # a recording's ValueStats
        return "nan/inf" if not a.finite else f"‖{a.norm:.3g}‖"
    arr = np.asarray(a)
    if arr.size == 0:
        return "[]"
    flat = arr.reshape(-1).astype(np.float64, copy=False)
    if not np.all(np.isfinite(flat)):
        return "nan/inf" if np.isnan(flat).any() else "inf"
    if np.all(flat == flat[0]):
        if arr.ndim == 0 or not all_suffix:
            return format_number(float(flat[0]))
        return translate("GraphScene", "{value} (all)").format(value=format_number(float(flat[0])))
    if flat.size <= 2:
        return "[" + ", ".join(format_number(float(v)) for v in flat) + "]"
    return f"‖{float(np.linalg.norm(flat)):.3g}‖"


#: what an edge carries forward, by its kind (the tooltip's second line)
EDGE_KINDS = {
    "data": QT_TRANSLATE_NOOP("GraphScene", "data {shape}"),
    "saved": QT_TRANSLATE_NOOP("GraphScene", "saved for backward {shape}"),
    "cut": QT_TRANSLATE_NOOP("GraphScene", "cut: no gradient flows back (detach or no_grad) "
                                           "{shape}"),
}


def edge_tooltip(u: str, v: str, attrs: dict) -> str:
    """An edge's tooltip when no gradient is on it: what flows forward along it."""
    shape = attrs.get("shape")
    kind = str(attrs.get("kind", "data"))
    what = translate("GraphScene", EDGE_KINDS[kind]).format(
        shape=format_shape(shape) if shape is not None else "").rstrip() \
        if kind in EDGE_KINDS else kind
    return f"{u} → {v}\n{what}\n" + translate("GraphScene",
                                               "no gradient on this edge at this step")


def grad_tooltip(u: str, v: str, info) -> str:
    """An edge's tooltip at a step whose gradient runs along it (a GradInfo): shape, norm,
    min/max, NaN/inf counts."""
    lines = [f"{u} → {v}",
             translate("GraphScene", "gradient {shape}").format(shape=format_shape(info.shape)),
             translate("GraphScene", "norm ‖∇‖ = {norm}").format(
                 norm=format_number(float(info.norm)))]
    if getattr(info, "min", None) is not None:
        lines.append(translate("GraphScene", "min {low}, max {high}").format(
            low=format_number(info.min), high=format_number(info.max)))
    if not info.finite:
        lines.append(f"{info.nan} NaN, {info.inf} inf")
    return "\n".join(lines)


def backward_step(entry):
    """The engine's BackwardStep recorded for a backward timeline entry (None otherwise)."""
    if entry is None or getattr(entry, "kind", None) != "backward":
        return None
    record = getattr(entry, "record", None)
    return record if hasattr(record, "grads_in") else None


#: whether _freeze (or the pipeline, for a big graph's document) moved the objects of a big
#: graph out of the garbage collector's sight: model/graph.py's one flag
_FROZEN = model_graph.FROZEN


def _freeze() -> None:
    """A big graph's millions of objects (its run's record, graph, layout and items) live as
    long as it is shown: keep the cyclic garbage collector from walking them all again at
    every full collection (a second or more each, with the window blocked)."""
    model_graph.keep_from_collector()


def _thaw() -> None:
    """The graph shown is replaced: what `_freeze` kept may be collected again."""
    model_graph.return_to_collector()


def _clip(inside, outside, x0, y0, x1, y1):
    """Where the segment from `inside` (in the rect) towards `outside` leaves the rect."""
    ix, iy = inside
    ox, oy = outside
    if not (x0 <= ix <= x1 and y0 <= iy <= y1) or (x0 <= ox <= x1 and y0 <= oy <= y1):
        return inside
    dx, dy = ox - ix, oy - iy
    t = 1.0   # the first side the segment reaches
    if dx > 0:
        t = min(t, (x1 - ix) / dx)
    elif dx < 0:
        t = min(t, (x0 - ix) / dx)
    if dy > 0:
        t = min(t, (y1 - iy) / dy)
    elif dy < 0:
        t = min(t, (y0 - iy) / dy)
    return (ix + t * dx, iy + t * dy)


def _clusters(members: dict[str, QRectF]) -> list[list[str]]:
    """The groups in sets whose frames (with the title rows above them) may touch: frames of
    different sets can be arranged apart. A sweep down the rects' tops."""
    out: list[list[str]] = []
    for _ in _clusters_steps(members, out):
        pass
    return out


def _clusters_steps(members: dict[str, QRectF], out: list, step: int = 500) -> Iterator[None]:
    """`_clusters` as a generator that fills `out`, yielding every `step` groups (a big
    graph has tens of thousands)."""
    grow = PAD[1] + 4 * TITLE_ROW
    names = list(members)
    rects = {n: members[n].adjusted(-PAD[0] - 2, -grow, PAD[2] + 2, PAD[3] + 2)
             for n in names}
    yield
    parent = {n: n for n in rects}

    def find(n):
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    active: list[str] = []
    tops = {n: r.top() for n, r in rects.items()}
    for k, n in enumerate(sorted(rects, key=tops.__getitem__)):
        if k % step == step - 1:
            yield
        r = rects[n]
        top = tops[n]
        active = [m for m in active if rects[m].bottom() >= top]
        for m in active:
            if rects[m].intersects(r):
                parent[find(m)] = find(n)
        active.append(n)
    found: dict[str, list[str]] = {}
    for n in names:
        found.setdefault(find(n), []).append(n)
    out.extend(found.values())


def _depth(group: str, parents: dict[str, str]) -> int:
    """How many groups hold `group` by ``group_parent`` (innermost first when sorted down)."""
    depth = 0
    while group in parents and depth <= len(parents):
        group, depth = parents[group], depth + 1
    return depth


class _ShownState:
    """What `GraphScene.apply_state` showed for one PlaybackState (collapsed groups seen
    through their boxes), so the next state restyles only what differs from it."""

    __slots__ = ("visible", "done", "pending", "active", "edge_grads", "nonfinite",
                 "node_norm", "node_bad", "released", "leaf_grads", "accumulated", "scale",
                 "theme", "state")

    @classmethod
    def of(cls, state, through) -> _ShownState:
        seen = cls()
        seen.state = state
        (seen.visible, seen.done, seen.pending, seen.active, seen.edge_grads, seen.nonfinite,
         seen.node_norm, seen.node_bad) = through
        seen.visible, seen.done = frozenset(seen.visible), frozenset(seen.done)
        seen.pending, seen.node_bad = frozenset(seen.pending), frozenset(seen.node_bad)
        seen.released = frozenset(getattr(state, "released", ()) or ())
        seen.leaf_grads = getattr(state, "leaf_grads", {}) or {}
        seen.accumulated = frozenset(getattr(state, "accumulation", {}) or {})
        seen.scale = seen.theme = None
        return seen

    @classmethod
    def blank(cls, nodes, theme) -> _ShownState:
        """What a scene just built shows: every node, nothing run, no gradient (no colour
        scale yet)."""
        seen = cls()
        seen.visible = frozenset(nodes)
        seen.done = seen.pending = seen.node_bad = seen.released = seen.accumulated = \
            frozenset()
        seen.active = seen.nonfinite = None
        seen.edge_grads, seen.node_norm, seen.leaf_grads = {}, {}, {}
        seen.scale, seen.theme, seen.state = None, theme, None
        return seen

    def changes_to(self, state):
        """The `StepChanges` between the state shown and `state` when they are neighbours of
        one timeline (`PlaybackState.changes`: a step forward or back), else None."""
        shown = self.state
        source = getattr(state, "source", None)
        if shown is None or source is None or getattr(shown, "source", None) is not source:
            return None
        if state.index == shown.index + 1:
            return state.changes
        if state.index == shown.index - 1:
            return shown.changes
        return None

    def changed_nodes(self, before: _ShownState) -> set:
        """The nodes whose box may look different from `before`."""
        out = set() if before.visible is self.visible else set(before.visible ^ self.visible)
        out |= before.done ^ self.done
        out |= before.pending ^ self.pending
        out |= before.node_bad ^ self.node_bad
        out |= before.released ^ self.released
        out |= before.accumulated | self.accumulated
        out.update((before.active, self.active, before.nonfinite, self.nonfinite))
        out.discard(None)
        old, new = before.node_norm, self.node_norm
        if not old:
            out.update(new)
        elif old is not new:
            out.update(k for k, v in new.items() if old.get(k) != v)
            out.update(old.keys() - new.keys())
        old, new = before.leaf_grads, self.leaf_grads
        if old is not new:   # (no entry and None show alike)
            out.update(k for k, v in new.items() if old.get(k) is not v)
            out.update(old.keys() - new.keys())
        return out

    def changed_edges(self, before: _ShownState) -> set:
        """The edges whose gradient differs from `before` (their visibility aside; no entry
        and None show alike)."""
        old, new = before.edge_grads, self.edge_grads
        if old is new:
            return set()
        out = {k for k, v in new.items() if old.get(k) is not v}
        out.update(old.keys() - new.keys())
        return out


class GraphScene(QGraphicsScene):
    """What one graph model draws. `set_graph(graph, layout)` rebuilds, `apply_state(state)`
    restyles; `node_sizes(graph)` measures boxes for the layout before it runs.

    `nodes` and `edges` hold a NodeItem / EdgeItem per node and edge (plain objects, not
    QGraphicsItems); the scene's items are a NodeTile and an EdgeTile per square of the
    scene that draw them in batches (graph_tiles.py), the group frames, the shared trunks and
    LiveEdges (the pulsing edges). Hit tests (`node_at`, `edge_at`, `nodes_in`) use numpy;
    the selection (one node) is kept here."""

    nodeSelected = Signal(str)  # "" when nothing is selected
    graphChanged = Signal()     # set_graph's items can be drawn
    built = Signal()            # set_graph is done (a big graph builds in slices)
    framesChanged = Signal()    # a big graph's group frames came after it was first drawn
    shapeReady = Signal()       # a big graph's far-out picture came after it was first drawn

    def __init__(self, parent=None, theme: Theme = LIGHT):
        super().__init__(parent)
        self._theme = theme
        self._font = graph_font()
        self._fonts = GraphFonts(self._font)
        self.graph = None
        self.layout = None
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        self.groups: dict[str, GroupFrame] = {}
        self._frames_rect = QRectF()
        self.trunks: list[TrunkItem] = []
        self.node_tiles: list[NodeTile] = []
        self.edge_tiles: list[EdgeTile] = []
        self._tile_grid: dict = {}
        self._node_rects = self._edge_rects = RectArray([], [], [], [])
        self._half_box = (0.0, 0.0)
        self._node_list: list[NodeItem] = []
        self._edge_list: list[EdgeItem] = []
        self._in_edges: dict | None = None
        self._node_edges: dict | None = None
        self._shown: _ShownState | None = None   # what apply_state showed last
        self._grad_lines: tuple | None = None      # (nodes, count, ids with a .grad line)
        self._colors_key: tuple | None = None      # (scale, theme) of _colors
        self._colors: dict = {}                     # norm -> its QColor on that scale
        self._selected: str | None = None
        self._drawable = False
        self._far_ready = False
        self._live = None
        self._far = None
        self._shape_only = False
        self._build = None
        self._build_timer = QTimer(self)
        self._build_timer.timeout.connect(self._on_build_timer)
        self._zoom: float | None = None
        self._zooming = False
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.timeout.connect(self._on_zoom_settled)
        self._label_queue: dict = {}   # edge tiles drawn with text before their labels were placed
        self._label_timer = QTimer(self)
        self._label_timer.timeout.connect(self._on_label_timer)
        self._titles_index = RectIndex(cell=64.0)
        self._titles: list[QRectF] = []
        self._labels_index = RectIndex(cell=64.0)
        self._label_rects: list[QRectF] = []
        self.state = None
        self.shown_version = 0   # counts changes of which nodes are shown (the overview's key)
        self._box_of: dict[str, str] = {}   # collapsed group member -> its box id
        self.scale = MagnitudeScale()
        self._breakpoints: set[str] = set()
        self._applying = False
        self._keep_selected: str | None = None
        self._search_hits: list[str] = []
        self.path: NodePath | None = None   # the selected node's, while shown
        self._path_index: PathIndex | None = None   # the graph's edges, for paths
        self._path_index_size = 0
        self._edge_grads: dict = {}          # (u, v) -> GradInfo at the state shown
        self._pulse_edges: list[EdgeItem] = []
        self.pulse_duration = 650
        self._pulse = QVariantAnimation(self)
        self._pulse.setStartValue(0.0)
        self._pulse.setEndValue(1.0)
        self._pulse.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._pulse.valueChanged.connect(self._on_pulse_value)
        self._pulse.finished.connect(self._on_pulse_finished)
        self._fading: list[NodeItem] = []
        self._fade = QVariantAnimation(self)
        self._fade.setStartValue(0.0)
        self._fade.setEndValue(1.0)
        self._fade.valueChanged.connect(self._on_fade_value)
        self.selectionChanged.connect(self._on_selection_changed)

    # ------------------------------------------------------------------ building
    #: graphs with more nodes than this are built in slices between event-loop turns
    CHUNK_NODES = 3000
    #: how long one slice of building may take (seconds) before the event loop runs again
    #: (which may paint a frame: the window waits at most about twice this)
    SLICE = 0.02
    #: nodes or edges made in one step of the build (a slice runs steps until SLICE is up:
    #: steps of a few milliseconds, so no slice runs much past it)
    STEP = 200
    #: above this many data edges a big graph draws no shared trunks (see edge_trunks.py)
    MAX_TRUNK_EDGES = 40_000
    #: the edge tiles nearest the view whose labels a big graph places in the background
    LABEL_TILES = 48
    #: a state restyling more boxes and edges than this repaints each tile holding one whole
    #: (`graph_tiles.deferred_repaints`), fewer each box and edge where it is
    REPAINT_EACH = 400

    def node_sizes(self, graph) -> dict[str, tuple[float, float]]:
        """Box sizes (w, h) for every node, measured the way the items will draw them."""
        return node_sizes(graph, self._font)

    #: where set_graph puts the items of the graph it replaces (a `TrashTimer`, set by the
    #: window; None: they are freed at once)
    trash = None

    def set_graph(self, graph, layout, chunked: bool | None = None) -> None:
        """Replace everything drawn by `graph` placed by `layout` (a Layout). A big graph
        (`chunked`, by default above CHUNK_NODES nodes) is built in slices of at most SLICE
        seconds from a zero timer, so the window keeps answering; `building` says it is not
        done, `built` is emitted when it is (graphChanged as soon as it can be drawn)."""
        self._pulse.stop()
        self._pulse_edges = []
        self._fade.stop()
        self._fading = []
        self._build_timer.stop()
        self._build = None
        self._settle_timer.stop()
        self._zooming = False
        self._label_timer.stop()
        self._label_queue = {}
        self._unlink_items()
        if self.trash is not None:   # the old graph's items: freed a piece at a time, later
            self.trash.add(self.nodes, self.edges, self._node_list, self._edge_list,
                           self.node_tiles, self.edge_tiles, self.trunks, self._shown)
            self._node_list, self._edge_list = [], []
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        _thaw()   # the graph shown before may go now
        positions = layout.positions if layout is not None else {}
        if chunked is None:
            chunked = len(positions) > self.CHUNK_NODES
        self._index_for(layout, chunked)
        self._live = LiveEdges()
        self.addItem(self._live)
        self._far = None
        self._reset(graph, layout)
        self._build = self._build_steps(graph, layout, chunked)
        if chunked:
            self._build_timer.start(0)
        else:
            self.finish_building()

    #: room past the boxes and frames at the right and bottom of the scene's rect (the edge
    #: labels, their gradient lines once a step shows them)
    LABEL_ROOM = 200.0

    def _index_for(self, layout, chunked: bool) -> None:
        """Give Qt's item index (a BSP tree) the whole graph's rectangle, and a big graph's
        index a depth for all its items, before the first is added. Left to itself Qt grows
        the scene's rectangle with the items and deepens the tree with their count, and each
        time it starts the index again over every item (a Python boundingRect call each): at
        100,000 nodes that came due in the paint after the last group frames were added,
        35,000 calls and 60-85 ms of the GUI thread in one turn (and a view without a rect of
        its own repainted whole whenever a step's labels grew the rect). The rectangle is the
        one the items grow to: the layout's boxes and frames with `graph_rect`'s margin at the
        top and left (where a view never fitted starts: a big graph's first view) and
        `LABEL_ROOM` at the right and bottom; items reaching past it are still found.
        `_build_slice` indexes each slice's new items at its end. A graph built at once gets
        two tiles around it (a view shows it centred, steps do not grow the rect)."""
        bounds = getattr(layout, "bounds", None)
        positions = getattr(layout, "positions", None)
        if bounds is None or not positions:
            self.setSceneRect(QRectF())   # (null: grows with the items, as Qt does)
            self.setBspTreeDepth(0)
            return
        x0, y0, x1, y1 = bounds
        frames = getattr(layout, "frames", None) or {}
        around = getattr(layout, "frames_bounds", None)   # (numpy's, with the frames)
        if around is None and frames:   # (a layout without it: its rows one by one)
            rows = [r for rows in frames.values() for r in rows]
            around = (min(r[0] for r in rows), min(r[1] for r in rows),
                      max(r[2] for r in rows), max(r[3] for r in rows))
        if around is not None:
            x0, y0 = min(x0, around[0]), min(y0, around[1])
            x1, y1 = max(x1, around[2]), max(y1, around[3])
        if not chunked:   # built at once (and fitted): two tiles around, centred in a view
            pad = 2 * TILE
            self.setSceneRect(QRectF(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad))
            self.setBspTreeDepth(0)   # (Qt's, when it indexes them all at once)
            return
        self.setSceneRect(QRectF(x0 - 30, y0 - 30, x1 - x0 + 30 + self.LABEL_ROOM,
                                 y1 - y0 + 30 + self.LABEL_ROOM))
        items = len(positions) // 16 + 2 * len(frames) + 64   # tiles, frames and titles
        self.setBspTreeDepth(self.index_depth(items))

    #: the deepest index: a view of the whole graph visits every leaf, and each item once per
    #: leaf it meets (the 100k MLP's tall, narrow scene, 31,000 items, most hidden far out:
    #: a pan frame of the whole graph at depth 15, Qt's rule, median 10.8-12.2 ms of CPU, p95
    #: 12.4-14.0; at 13, 6.4-6.8 and 7.7-8.0; the frames at zoom 0.05-1 the same within
    #: about 0.5 ms; one process, alternating, load 1.2-1.4)
    MAX_INDEX_DEPTH = 13

    @classmethod
    def index_depth(cls, items: int) -> int:
        """The index's depth for about `items` items: Qt's own rule, log2 of them, at least
        5, at most MAX_INDEX_DEPTH."""
        return min(cls.MAX_INDEX_DEPTH, max(5, math.ceil(math.log2(max(items, 1)))))

    def _index_new_items(self) -> None:
        """Put the items added since the last call into the index now (an `items` query far
        outside the graph makes Qt index them), not in whichever paint asks first."""
        rect = self.sceneRect()
        self.items(QRectF(rect.left() - 100.0, rect.top() - 100.0, 1.0, 1.0))

    def _unlink_items(self) -> None:
        """Break the cycles between the graph shown and its tiles (a box's or an edge's
        ``owner`` is its tile, which lists it; a tile's ``far_item`` lists the tiles), so the
        old graph's items are freed as soon as the scene lets go of them: a big graph's
        document is frozen out of the collector's sight (`_freeze`) and would be frozen again
        with its garbage before any collection found these cycles (F5 after F5 kept every
        old graph: +135 MB a time at 20,000 nodes)."""
        for item in (*self.nodes.values(), *self.edges.values()):
            item.owner = None
        for tile in (*self.node_tiles, *self.edge_tiles):
            tile.far_item = None
        for tile in self.edge_tiles:
            tile.long_layer = None

    #: how long after the last zoom step the boxes' tiles keep their pixmap caches off
    ZOOM_SETTLE_MS = 250

    def set_zoom(self, zoom: float) -> None:
        """The view's zoom changed: far out (below ZOOM_SHAPE) one FarItem draws the graph's
        shape instead of the hundreds of tiles. While the zoom keeps changing the boxes' tiles
        draw straight onto the view: a pixmap cache made again at every zoom step only costs
        (a third of a zoom frame on the attention benchmark); they cache again once it
        settles, for panning."""
        self._show_shape(zoom < ZOOM_SHAPE)
        if zoom == self._zoom:
            return
        first = self._zoom is None
        self._zoom = zoom
        if first:
            return
        if not self._zooming:
            self._zooming = True
            for tile in self.node_tiles:
                tile.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self._settle_timer.start(self.ZOOM_SETTLE_MS)

    def _on_zoom_settled(self) -> None:
        self._zooming = False
        for tile in self.node_tiles:
            if isValid(tile):   # (the scene may have been cleared meanwhile)
                tile.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    @property
    def zooming(self) -> bool:
        """Whether the zoom changed a moment ago (the boxes' tiles draw uncached meanwhile)."""
        return self._zooming

    def _show_shape(self, on: bool) -> None:
        self._shape_only = on
        if self._far is None or self._far.isVisible() == on:
            return
        self._far.setVisible(on)
        for tile in self.node_tiles + self.edge_tiles:
            tile.setVisible(not on)
        for frame in self.groups.values():   # thousands of items far out: the FarItem's
            frame.setVisible(not on)
            frame.title.setVisible(not on)
        if on:
            self._far.set_frames([r for frame in self.groups.values() for r in frame.rows()])

    @property
    def far_item(self):
        """The FarItem drawing the whole graph's shape far out (None before it is built)."""
        return self._far

    @property
    def drawable(self) -> bool:
        """Whether the graph set last can be drawn (a big one before its background work)."""
        return self._drawable or self._build is None

    @property
    def far_ready(self) -> bool:
        """Whether every tile's far-out picture is made (a big graph makes them after its
        first frame; the overview's miniature waits for them)."""
        return (self._far_ready and self._drawable) or self._build is None

    @property
    def building(self) -> bool:
        """Whether a big graph is still being built (between event-loop turns)."""
        return self._build is not None

    def finish_building(self) -> None:
        """Build what is left now, at once (exports and tests need every item)."""
        self._build_timer.stop()
        while self._build is not None:
            self._build_slice(None)

    def _on_build_timer(self) -> None:
        self._build_slice(self.SLICE)

    def _build_slice(self, budget: float | None) -> None:
        build = self._build
        if build is None:
            self._build_timer.stop()
            return
        start = time.perf_counter()
        collecting = gc.isenabled()
        gc.disable()   # thousands of objects at once: the cyclic collector would walk them all
        try:
            while True:
                try:
                    what = next(build)
                except StopIteration:
                    self._build = None
                    self._build_timer.stop()
                    if budget is not None:   # long edges were hairlines while building
                        for tile in self.edge_tiles:
                            if tile.long:
                                tile.update()
                    if self._label_queue:
                        self._label_timer.start(0)
                    self.built.emit()
                    return
                if budget is not None and (what == "drawable" or
                                           time.perf_counter() - start > budget):
                    return
        finally:
            if budget is not None:
                self._index_new_items()
                # what a big graph's build made stays as long as it is shown: out of the
                # collector's sight at once (else a full collection between two slices walks
                # every object made so far, a second at 100,000 nodes)
                _freeze()
            if collecting:
                gc.enable()

    def _reset(self, graph, layout) -> None:
        self.graph, self.layout = graph, layout
        self.nodes, self.edges, self.groups, self.trunks = {}, {}, {}, []
        self._frames_rect = QRectF()   # the frames' union (graph_rect, the overview)
        self.node_tiles, self.edge_tiles = [], []
        self._tile_grid = {}
        self._in_edges = self._node_edges = None
        self._shown = None
        self._selected = None
        self._search_hits = []
        self.path = None
        self._path_index: PathIndex | None = None
        self._edge_grads = {}
        self._drawable = self._far_ready = False
        self._titles_index = RectIndex(cell=64.0)
        self._titles: list[QRectF] = []
        self._labels_index = RectIndex(cell=64.0)
        self._label_rects: list[QRectF] = []
        boxes = getattr(layout, "boxes", None) or {}
        self._box_of = {m: box for box, a in boxes.items() for m in a.get("members") or ()}

    def _build_steps(self, graph, layout, chunked: bool):
        """The build as a generator: each `next` is one slice of a few thousand objects."""
        positions = layout.positions if layout is not None else {}
        boxes = getattr(layout, "boxes", None) or {}
        fonts = self._fonts
        step = self.STEP
        ids = list(positions)
        graph_nodes = graph.nodes if graph is not None else {}
        sizes = getattr(layout, "sizes", None) or {}   # the boxes the layout placed
        for start in range(0, len(ids), step):
            for node_id in ids[start:start + step]:
                x, y = positions[node_id]
                attrs = graph_nodes[node_id] if node_id in graph_nodes else \
                    (boxes.get(node_id) or {"kind": "group", "label": str(node_id)})
                size = sizes.get(node_id)
                item = NodeItem(node_id, attrs, self._theme, fonts,
                                size=size if size is not None else
                                node_box_size(attrs, self._font), pos=(x, y))
                item._scene = self
                if self._breakpoints:
                    item._breakpoint = self._is_breakpoint(item)
                self.nodes[node_id] = item
            yield
        yield from self._make_node_tiles()
        yield
        edge_points = layout.edges if layout is not None else {}
        keys = list(edge_points)
        box_edges = getattr(layout, "box_edges", None) or {}
        adj, nodes = (graph.adj if graph is not None else {}), self.nodes
        for start in range(0, len(keys), step):
            for key in keys[start:start + step]:
                u, v = key
                if u not in nodes or v not in nodes:
                    continue
                attrs = adj[u].get(v) if u in adj else None
                if attrs is None:
                    attrs = box_edges.get(key, {})
                item = EdgeItem(u, v, attrs, self._clipped(u, v, edge_points[key]),
                                self._theme, fonts)
                self.edges[key] = item
            yield
        if not chunked:   # every edge's curves now: trunks first, labels after (as before)
            self.trunks = share_trunks(self.edges.values(), self._theme)
            for trunk in self.trunks:
                self.addItem(trunk)
        yield from self._make_edge_tiles()
        self._far = FarItem(self.node_tiles, self.edge_tiles, self._theme)
        self._far.box_rects = self._node_rects
        self.addItem(self._far)
        self.addItem(LongEdgeLayer(self.edge_tiles))
        self._show_shape(self._shape_only)
        yield
        if not chunked:
            self._set_titles(self._add_group_frames())
            yield
        if not chunked:
            self._place_labels(list(self.edges.values()))
            for tile in self.edge_tiles:
                tile.labels_placed = True
                tile.refresh_bounds()
            if self._far is not None:
                self._far.refresh_bounds()
        if chunked:   # the long tiles' hairlines, in the first frame: made a few at a time
            # (thousands of polylines; made in the first paint they were half of it)
            for k, tile in enumerate(t for t in self.edge_tiles if t.long):
                tile.far_batches()
                if k % 8 == 7:
                    yield
        self._shown = _ShownState.blank(self.nodes, self._theme)   # as every item starts
        if chunked:
            _freeze()   # what exists now stays: later collections need not walk it again
            yield
        self._drawable = True
        self._far_ready = not chunked
        self.graphChanged.emit()
        if self.state is not None:
            self.apply_state(self.state, animate=False)
        if not chunked:
            return
        yield "drawable"   # ends the slice: the first frame is painted before the rest
        # the far-out picture of every tile (the overview's miniature and the FarItem draw it)
        for k, tile in enumerate(self.node_tiles + self.edge_tiles):
            tile.far_batches()
            if k % 4 == 3:   # (a tile of long edges alone may hold thousands)
                yield
        self._far_ready = True
        self.shapeReady.emit()
        yield
        # the rest in the background, near the view first: group frames, shared trunks, then
        # the edge labels again (clear of the titles and where the trunks leave them)
        titles: list[QRectF] = []
        yield from self._group_frame_steps(titles, near_view=True)
        yield from self._set_titles_steps(titles)
        self.framesChanged.emit()
        yield
        data = [e for e in self.edges.values() if e.kind == "data"]
        if len(data) > self.MAX_TRUNK_EDGES:
            data = []   # every edge's curves for the sharing: more memory than it saves
        for start in range(0, len(data), step // 20):   # curves: a few ms per hundred
            for e in data[start:start + step // 20]:
                e._ensure()
            yield
        trunks: list[TrunkItem] = []
        if data:
            yield from share_trunks_steps(data, trunks, self._theme, step=step // 2)
        self.trunks = trunks
        yield
        for k, trunk in enumerate(self.trunks):
            self.addItem(trunk)
            trunk.refresh()
            if self.path is not None:
                trunk.set_dimmed(True)
            if k % step == step - 1:
                yield
        yield
        # trunks moved some labels: place them again, the tiles in view first
        self._labels_index = RectIndex(cell=64.0)
        self._label_rects = []
        for tile in self.edge_tiles:
            tile.labels_placed = False
        # (the tiles further away place theirs when first drawn with text)
        asked = [t for t in self._label_queue if t.scene() is self]   # drawn meanwhile
        self._label_queue = {}
        for tile in asked + self._tiles_near_view(self.edge_tiles)[:self.LABEL_TILES]:
            if not tile.labels_placed:
                self.place_tile_labels(tile)
                tile.update()
                yield
        for k, tile in enumerate(self.edge_tiles):
            if tile.labels_placed:
                tile.refresh_bounds()
            tile.invalidate()
            if k % 200 == 199:
                yield
        if self._far is not None:
            self._far.refresh_bounds()
        _freeze()
        yield

    def _tiles_near_view(self, tiles) -> list:
        views = self.views()
        if not views:
            return list(tiles)
        view = views[0]
        centre = view.mapToScene(view.viewport().rect().center())
        return sorted(tiles, key=lambda t: (t.boundingRect().center() - centre)
                      .manhattanLength())

    def _make_node_tiles(self) -> Iterator[None]:
        """A NodeTile per square of the scene holding boxes; yields every few hundred."""
        items = list(self.nodes.values())
        if not items:
            return
        n = len(items)   # (100,000 boxes: each column ~10 ms)
        x = np.fromiter((i._x for i in items), np.float64, n)
        y = np.fromiter((i._y for i in items), np.float64, n)
        yield
        hw = np.fromiter((i._w for i in items), np.float64, n) / 2
        hh = np.fromiter((i._h for i in items), np.float64, n) / 2
        yield
        keys = tile_keys(x, y)
        yield
        for k, group in enumerate(group_by_key(keys)):
            if k % 50 == 49:
                yield
            gx, gy, gw, gh = x[group], y[group], hw[group] + 7, hh[group] + 7
            tile = NodeTile([items[k] for k in group],
                            RectArray(gx - gw, gy - gh, gx + gw, gy + gh))
            tile.indices = group   # (into _node_rects: the FarItem's box_arrays)
            if self._zooming:
                tile.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            self.addItem(tile)
            self.node_tiles.append(tile)
            self._tile_grid[int(keys[group[0]])] = tile
        self._node_rects = RectArray(x - hw, y - hh, x + hw, y + hh)
        self._node_list = items
        self._half_box = (float(hw.max()) + 1, float(hh.max()) + 1)

    def _make_edge_tiles(self) -> Iterator[None]:
        """An EdgeTile per square of the scene holding edges; yields every few hundred."""
        items = list(self.edges.values())
        if not items:
            self._edge_rects, self._edge_list = RectArray([], [], [], []), []
            return
        parts = []   # (100,000 edges' points at once: a long wait)
        for start in range(0, len(items), 5 * self.STEP):
            parts.append(rough_edge_bounds(items[start:start + 5 * self.STEP]))
            yield
        arr = np.concatenate(parts)
        keys = tile_keys((arr[:, 0] + arr[:, 2]) / 2, (arr[:, 1] + arr[:, 3]) / 2)
        long = np.maximum(arr[:, 2] - arr[:, 0], arr[:, 3] - arr[:, 1]) > LONG_EDGE
        yield
        # long edges in coarser squares: a view crossed by a thousand of them paints a few
        # tiles, each stroking only its pieces in view (EdgeTile._long_batches)
        coarse = tile_keys((arr[:, 0] + arr[:, 2]) / (2 * LONG_GROUP),
                           (arr[:, 1] + arr[:, 3]) / (2 * LONG_GROUP))
        groups = [(sel[group], bool(is_long)) for is_long in (False, True)
                  for sel in [np.flatnonzero(long == is_long)]
                  for group in group_by_key((coarse if is_long else keys)[sel])]
        for k, (group, is_long) in enumerate(groups):
            if k % 50 == 49:
                yield
            tile = EdgeTile([items[i] for i in group], arr[group], long=is_long)
            self.addItem(tile)
            self.edge_tiles.append(tile)
        self._edge_rects = RectArray(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])
        self._edge_list = items

    # ------------------------------------------------------------------ hit tests (numpy)
    def node_at(self, point: QPointF) -> NodeItem | None:
        """The shown node whose box holds `point` (scene coordinates), the topmost one."""
        if not self._drawable or not self.nodes:
            return None
        hits = [self._node_list[k] for k in self._node_rects.containing(point.x(), point.y())]
        hits = [n for n in hits if n._visible]
        if not hits:
            return None
        active = [n for n in hits if n._active]
        return (active or hits)[-1]

    def nodes_in(self, rect: QRectF) -> list[str]:
        """The shown nodes whose boxes meet `rect` (a rubber band, scene coordinates)."""
        if not self._drawable or not self.nodes:
            return []
        return [self._node_list[k].node_id for k in self._node_rects.meeting(rect)
                if self._node_list[k]._visible]

    def edge_at(self, point: QPointF) -> EdgeItem | None:
        """The shown edge drawn under `point` (within 4 scene units of its line)."""
        if not self._drawable or not self.edges:
            return None
        for k in self._edge_rects.containing(point.x(), point.y())[::-1]:
            edge = self._edge_list[k]
            if edge._visible and edge.shape().contains(point):
                return edge
        return None

    def _nodes_meeting(self, rect: QRectF) -> list[NodeItem]:
        """The nodes whose boxes meet `rect`, looked up in the tiles around it."""
        out = []
        # a box lies in the tile of its centre: it reaches at most half its size beyond
        hw, hh = self._half_box
        c0, c1 = int((rect.left() - hw) // TILE), int((rect.right() + hw) // TILE)
        r0, r1 = int((rect.top() - hh) // TILE), int((rect.bottom() + hh) // TILE)
        if (c1 - c0 + 1) * (r1 - r0 + 1) > 64:
            return [self._node_list[k] for k in self._node_rects.meeting(rect)]
        for c in range(c0, c1 + 1):
            for r in range(r0, r1 + 1):
                tile = self._tile_grid.get((c << 32) + (r & 0xFFFFFFFF))
                if tile is not None:
                    rects = tile.rects
                    hit = np.flatnonzero((rects.x0 + 7 < rect.right()) &
                                         (rects.x1 - 7 > rect.left()) &
                                         (rects.y0 + 7 < rect.bottom()) &
                                         (rects.y1 - 7 > rect.top()))
                    out.extend(tile.nodes[k] for k in hit)
        return out

    @staticmethod
    def _input_name(graph, node_id: str) -> str:
        attrs = graph.nodes[node_id] if node_id in graph.nodes else {}
        label = str(attrs.get("label") or node_id)
        if attrs.get("kind") == "accumulate" and attrs.get("leaf_label"):
            label = f"{label} ({attrs['leaf_label']})"
        shape = format_shape(attrs.get("shape"))
        return f"{label} ({shape})" if shape and attrs.get("kind") != "accumulate" else label

    def node_tip(self, item: NodeItem) -> str:
        """A node's tooltip: what it is, and where its inputs come from, by their names."""
        attrs, graph = item.attrs, self.graph
        if attrs.get("inputs") and graph is not None:
            return node_tooltip(attrs, {src: self._input_name(graph, src)
                                        for src in attrs["inputs"] if src})
        return node_tooltip(attrs)

    def _clipped(self, u: str, v: str, points) -> list[tuple[float, float]]:
        pts = list(points)   # (EdgeItem takes them as floats)
        a, b = self.nodes[u], self.nodes[v]
        if len(pts) < 2:
            pts = [(a._x, a._y), (b._x, b._y)]
        pts[0] = _clip(pts[0], pts[1], a._x - a._w / 2, a._y - a._h / 2,
                       a._x + a._w / 2, a._y + a._h / 2)
        pts[-1] = _clip(pts[-1], pts[-2], b._x - b._w / 2 - 1, b._y - b._h / 2 - 1,
                        b._x + b._w / 2 + 1, b._y + b._h / 2 + 1)
        return pts

    def _add_group_frames(self) -> list[QRectF]:
        """A frame and a title per group; returns the titles' rects (edge labels keep off)."""
        titles: list[QRectF] = []
        for _ in self._group_frame_steps(titles, near_view=False):
            pass
        return titles

    def _group_frame_steps(self, titles: list[QRectF], near_view: bool):
        """`_add_group_frames` as a generator, a few hundred frames between two event-loop
        turns: the layout's frames (`Layout.frames`: rows that never overlap, a title in the
        first row's top-left corner), or for a layout without them (made by hand) each
        frame around its members, arranged so that no two titles collide."""
        rows_of = getattr(self.layout, "frames", None)
        if rows_of:
            yield from self._layout_frame_steps(rows_of, titles)
            return
        members: dict[str, QRectF] = {}
        for k, item in enumerate(self.nodes.values()):
            if k % 1000 == 999:
                yield
            group = item.attrs.get("group")
            if not group:
                continue
            rect = item.scene_rect()
            members[group] = members[group].united(rect) if group in members else rect
        yield
        # a module call's frame holds the frames of its submodules' calls (arrange_frames then
        # keeps each inside its holder, so nested frames never cross)
        parents = (getattr(self.graph, "graph", None) or {}).get("group_parent") or {}
        for k, group in enumerate(sorted(members, key=lambda g: -_depth(g, parents))):
            if k % 300 == 299:
                yield
            parent, seen = parents.get(group), 0
            while parent is not None and seen <= len(parents):
                if parent in members:
                    # room for the holder's own title row above the inner frame's
                    members[parent] = members[parent].united(
                        members[group].adjusted(-8.0, -PAD[1], 8.0, 8.0))
                    break
                parent, seen = parents.get(parent), seen + 1
        if not members:
            return
        yield
        clusters: list[list[str]] = []
        yield from _clusters_steps(members, clusters)
        if near_view:
            clusters = self._near_view_first(clusters, members)
        yield
        tree = None
        if self.graph is not None:   # (made once per graph: tens of thousands of groups)
            yield from group_tree_steps(self.graph)
            tree = group_tree(self.graph)
        yield
        if tree is not None:   # repeated blocks: a signature per group, a few hundred a turn
            yield from tree.alike_steps(step=50)
        alike = tree.alike if tree is not None else {}
        done = 0
        for names in clusters:
            part = {n: members[n] for n in names}
            text, sizes = {}, {}
            for k, name in enumerate(part):
                text[name] = alike_label(name, len(alike.get(name) or ()))
                sizes[name] = title_size(text[name], self._font)
                if k % 100 == 99:
                    yield
            # a title sits in the top rows of its frame: only the boxes there can be in its way
            boxes, seen = [], set()
            for k, rect in enumerate(part.values()):
                if k % 8 == 7:   # (a wide band looks at every box)
                    yield
                band = QRectF(rect.left() - PAD[0], rect.top() - PAD[1] - 4 * TITLE_ROW,
                              rect.width() + PAD[0] + PAD[2], PAD[1] + 5 * TITLE_ROW + 2)
                for node in self._nodes_meeting(band):
                    if node.node_id not in seen:
                        seen.add(node.node_id)
                        hw, hh = node._w / 2, node._h / 2   # (no Qt rect: see arrange_frames)
                        boxes.append((node._x - hw, node._y - hh, node._x + hw, node._y + hh))
            placed: dict = {}
            yield from arrange_frames_steps(part, sizes, boxes, placed)
            # outer frames first: an inner frame's fill then lies on top of its outer one's
            for k, name in enumerate(sorted(placed, key=lambda n: -placed[n][0].width() *
                                            placed[n][0].height())):
                if k % 40 == 39:
                    yield
                rect, title_rect = placed[name]
                frame = GroupFrame(name, rect, self._theme)
                frame.title = GroupTitle(name, title_rect, self._theme, self._font)
                frame.title.text = title_text(text[name])   # "▾ layers.3 (×12 alike)": repeats
                if self._shape_only:   # far out: the FarItem draws the frame
                    frame.setVisible(False)
                    frame.title.setVisible(False)
                self.addItem(frame)
                self.addItem(frame.title)
                self.groups[name] = frame
                self._frames_rect = self._frames_rect.united(rect).united(title_rect) \
                    if not self._frames_rect.isEmpty() else rect.united(title_rect)
                titles.append(title_rect)
            # (a big cluster's: a hundred thousand rects)
            for big in (boxes, placed, sizes, text):
                yield from release_steps(big)
            done += len(names)
            if done >= 40:
                done = 0
                yield
        yield from release_steps(members)

    def _layout_frame_steps(self, rows_of: dict, titles: list[QRectF]):
        """The frames as the layout placed them (see `_group_frame_steps`)."""
        tree = None
        if self.graph is not None:   # (pipeline.place made it already: else a few at a time)
            yield from group_tree_steps(self.graph)
            tree = group_tree(self.graph)
        yield
        if tree is not None:   # repeated blocks: a signature per group, a few hundred a turn
            yield from tree.alike_steps()
        alike = tree.alike if tree is not None else {}
        metrics = QFontMetricsF(title_font(self._font))
        made = []   # (-area, k, frame): a frame of 100 rows and its title cost ~0.1-0.2 ms
        for k, (name, rows) in enumerate(rows_of.items()):
            if k % 50 == 49:
                yield
            frame = GroupFrame.of_rows(name, rows, self._theme)
            text, rect = title_in_row(title_text(alike_label(name, len(alike.get(name) or ()))),
                                      frame.first_row(), metrics)
            frame.title = GroupTitle(name, rect, self._theme, self._font)
            frame.title.text = text   # "▾ layers.3 (×12 alike)": repeats; elided to its row
            box = frame.rect()
            made.append((-box.width() * box.height(), k, frame))
        yield
        # outer frames first: an inner frame's fill then lies on top of its outer one's
        made.sort()
        yield
        for k, (_, _, frame) in enumerate(made):
            if k % 50 == 49:
                yield
            if self._shape_only:   # far out: the FarItem draws the frame
                frame.setVisible(False)
                frame.title.setVisible(False)
            self.addItem(frame)
            self.addItem(frame.title)
            self.groups[frame.name] = frame
            rect = frame.rect().united(frame.title.rect())
            self._frames_rect = self._frames_rect.united(rect) \
                if not self._frames_rect.isEmpty() else rect
            titles.append(frame.title.rect())

    def _near_view_first(self, clusters: list, members: dict) -> list:
        views = self.views()
        if not views or len(clusters) < 2:
            return clusters
        view = views[0]
        centre = view.mapToScene(view.viewport().rect().center())
        cx, cy = centre.x(), centre.y()
        far = {}
        for k, names in enumerate(clusters):   # (one min over every group: no Qt points)
            far[k] = min(abs(r.x() + r.width() / 2 - cx) + abs(r.y() + r.height() / 2 - cy)
                         for r in map(members.__getitem__, names))
        return [clusters[k] for k in sorted(far, key=far.__getitem__)]

    def _set_titles(self, titles: list[QRectF]) -> None:
        for _ in self._set_titles_steps(titles):
            pass

    def _set_titles_steps(self, titles: list[QRectF]) -> Iterator[None]:
        """The group titles edge labels keep off, indexed a few thousand at a time."""
        index = RectIndex(cell=64.0)
        for k, rect in enumerate(titles):
            index.add(rect, k)
            if k % 500 == 499:
                yield
        self._titles, self._titles_index = titles, index

    def want_labels(self, tile: EdgeTile) -> None:
        """`tile` was drawn with text before its labels were placed: place them a few tiles
        per event-loop turn (a long edge's tile reaches into many views; placing every such
        tile's labels inside one paint blocked the window for a second), then draw it again.
        While the graph builds, its last phase places them."""
        if tile.labels_placed or tile in self._label_queue:
            return
        if not self.views():   # rendered into a file or image: nobody would draw it again
            self.place_tile_labels(tile)
            return
        self._label_queue[tile] = None
        if self._build is None and not self._label_timer.isActive():
            self._label_timer.start(0)

    def place_all_labels(self) -> None:
        """Place every edge tile's labels now (an export draws them all)."""
        self._label_queue = {}
        self._label_timer.stop()
        for tile in self.edge_tiles:
            if not tile.labels_placed:
                self.place_tile_labels(tile)

    def _on_label_timer(self) -> None:
        start = time.perf_counter()
        while self._label_queue and time.perf_counter() - start < self.SLICE:
            tile = next(iter(self._label_queue))
            del self._label_queue[tile]
            if not tile.labels_placed and tile.scene() is self:
                self.place_tile_labels(tile)
                tile.update()
        if not self._label_queue or self._build is not None:
            self._label_timer.stop()

    def place_tile_labels(self, tile: EdgeTile) -> None:
        """Place the labels of one tile's edges (the first time it is drawn with text)."""
        if tile.labels_placed:
            return
        tile.labels_placed = True
        self._place_labels(tile.edges)
        tile.refresh_bounds()

    def _place_labels(self, edges: list[EdgeItem]) -> None:
        """Slide each edge label along its edge (`LABEL_PLACES`, the middle first) to the first
        place clear of group titles, node boxes and the labels placed before it; where there
        is none on the edge's right, to the first clear one on its left, else to the place that
        covers least (a title counts most). A label's place holds
        room for the widest gradient label, so no two labels overlap at any step."""
        titles, labels = self._titles, self._label_rects
        t_index, l_index = self._titles_index, self._labels_index

        def boxes(rect: QRectF) -> list[QRectF]:
            return [n.scene_rect() for n in self._nodes_meeting(rect)]

        def cost(rect: QRectF) -> float:
            total = 0.0
            for others, weight in (([titles[k] for k in t_index.near(rect)], 1000.0),
                                   (boxes(rect), 1.0),
                                   ([labels[k] for k in l_index.near(rect)], 1.0)):
                for other in others:
                    inter = rect.intersected(other)
                    if not inter.isEmpty():
                        total += weight * (1.0 + inter.width() * inter.height())
            return total

        def clear(rect: QRectF) -> bool:
            return not (any(rect.intersects(titles[k]) for k in t_index.near(rect)) or
                        any(rect.intersects(labels[k]) for k in l_index.near(rect)) or
                        bool(self._nodes_meeting(rect)))

        edges = sorted(edges, key=lambda e: (e.label_rect().top(), e.label_rect().left()))
        for edge in edges:
            if not clear(edge.label_rect()):
                for at in LABEL_PLACES[1:]:
                    edge.set_label_at(at)
                    if clear(edge.label_rect()):
                        break
                else:   # nowhere clear on its right: on its left, else where it covers least
                    for at in LABEL_PLACES:
                        edge.set_label_at(at, left=True)
                        if clear(edge.label_rect()):
                            break
                    else:
                        costs = []
                        for at in LABEL_PLACES:
                            for left in (False, True):
                                edge.set_label_at(at, left)
                                costs.append((cost(edge.label_rect()), left, at))
                        _, left, at = min(costs)
                        edge.set_label_at(at, left)
            if edge.kind != "saved":   # a saved tensor's edge draws no label
                rect = edge.label_rect()
                l_index.add(rect, len(labels))
                labels.append(rect)

    def retranslate(self) -> None:
        """The boxes', frames' and edges' texts again in the language installed now (View >
        Language): titles and subtitles ("scalar", "collapsed: 3 nodes"), group titles
        ("net (call 2)"), the grad lines and edge labels of the state shown. Boxes keep the
        sizes they were laid out with."""
        for item in self.nodes.values():
            item.retranslate()
        alike = group_tree(self.graph).alike if self.graph is not None else {}
        metrics = QFontMetricsF(title_font(self._font))
        from_layout = bool(getattr(self.layout, "frames", None))
        for name, frame in self.groups.items():
            if frame.title is not None:
                text = title_text(alike_label(name, len(alike.get(name) or ())))
                if from_layout:   # elided to its row again
                    text = title_in_row(text, frame.first_row(), metrics)[0]
                frame.title.text = text
                frame.title.update()
        for tile in self.node_tiles + self.edge_tiles:
            tile.invalidate()
        if self.state is not None and self.drawable:
            self._shown = None   # every node and edge restyled, their texts made again
            self.apply_state(self.state, animate=False)
        self.update()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for item in list(self.nodes.values()) + list(self.edges.values()) + \
                list(self.groups.values()) + self.trunks:
            item.set_theme(theme)
        for tile in self.node_tiles + self.edge_tiles:
            tile.invalidate()
        if self._far is not None:
            self._far.theme = theme
            self._far.invalidate()
        self.update()

    @property
    def theme(self) -> Theme:
        return self._theme

    # ------------------------------------------------------------------ playback state
    def apply_state(self, state, animate: bool = True) -> None:
        """Show `state` (a PlaybackState): what exists, what ran, where gradients flow. While
        a big graph is still being built it is kept and shown once the graph can be drawn."""
        if not self._drawable and self._build is not None:
            self.state = state
            return
        self._applying = True
        try:
            self._apply_state(state, animate)
        finally:
            self._applying = False
        keep = self._keep_selected
        if keep in self.nodes and self.nodes[keep].isVisible() and \
                not self.nodes[keep].isSelected():
            self.blockSignals(True)
            self.nodes[keep].setSelected(True)
            self.blockSignals(False)
        if keep in self.nodes and self.nodes[keep].isSelected() and self.path is None:
            self.show_path(keep)   # the graph was rebuilt: the selection keeps its path

    def _apply_state(self, state, animate: bool) -> None:
        self.state = state
        if state is None:
            self._shown = None
            self.shown_version += 1
            for item in self.nodes.values():
                item.setVisible(True)
                item.set_released(False)
                item.set_state()
                item.set_grad_text(None)
            for edge in self.edges.values():
                edge.setVisible(True)
                edge.set_grad(None, None)
            self._edge_grads = {}
            self._refresh_trunks()
            return
        seen = _ShownState.of(state, self._through_boxes(state))
        # one scale for the whole backward call: a node keeps its colour while scrubbing
        norms = list(getattr(state, "call_norms", ()) or ()) or \
            [g.norm for g in seen.edge_grads.values() if g is not None]
        self.scale = MagnitudeScale.from_norms(norms)
        before, self._shown = self._shown, seen
        if before is not None and before.theme is self._theme and \
                (before.scale is None or before.scale == self.scale):
            # a step: restyle only the nodes and edges whose look changed since the last one,
            # as the timeline says (a step forward or back) or by comparing the two states
            changes = before.changes_to(state) if not self._box_of else None
            if changes is not None:
                nodes, edges, shown = set(changes.nodes), set(changes.edges), changes.shown
            else:
                nodes, edges = seen.changed_nodes(before), seen.changed_edges(before)
                shown = before.visible ^ seen.visible
            if shown:
                edges |= {k for n in shown for k in self._edges_of(n)}
            nodes = [n for n in nodes if n in self.nodes]
            edges = [k for k in edges if k in self.edges]
        else:
            nodes, edges, shown = list(self.nodes), list(self.edges), True
        seen.scale, seen.theme = self.scale, self._theme
        # many changed (a jump): each tile repainted once, not once per box and edge
        with deferred_repaints() if len(nodes) + len(edges) > self.REPAINT_EACH else \
                nullcontext():
            self._restyle_edges(seen, edges)
            self._edge_grads = seen.edge_grads
            if shown:
                self._refresh_trunks()
            if self._selected is not None and self._selected not in seen.visible:
                self._set_selected(None)   # a hidden box is not selected (as Qt's items)
            self._restyle_nodes(seen, state, nodes)
        if animate:
            self._start_pulse(seen.active, seen.edge_grads)
            self._fade_in(getattr(state, "added", ()) or ())

    def _restyle_edges(self, seen: _ShownState, keys) -> None:
        """Give the edges `keys` the gradient and visibility of `seen`."""
        grads, visible = seen.edge_grads, seen.visible
        color, labels = self._norm_color, {}   # (a big graph repeats shapes and norms)
        edges, colors = self.edges, self._norm_colors()
        for key in keys:
            edge = edges[key]
            info = grads.get(key)
            if info is None:
                if edge._grad_label is not None or edge._magnitude is not None or \
                        edge._nonfinite:
                    edge.set_grad(None, None)
            else:
                norm = float(info.norm) if info.norm is not None else None
                shape = info.shape
                label = labels.get((shape, norm))
                if label is None:
                    label = labels[(shape, norm)] = \
                        f"∇ {format_shape(shape)} ‖{format_number(norm)}‖" \
                        if norm is not None else f"∇ {format_shape(shape)}"
                magnitude = colors.get(norm)
                if magnitude is None:
                    magnitude = color(norm)
                if label != edge._grad_label or magnitude is not edge._magnitude or \
                        info.finite == edge._nonfinite:
                    edge.set_grad(label, magnitude, not info.finite)
            on = key[0] in visible and key[1] in visible
            if on != edge._visible:
                edge.setVisible(on)

    def _norm_color(self, norm: float | None):
        """`self.scale.color(norm)` in the theme, one QColor per norm while scale and theme
        stay (the items only read it)."""
        colors = self._norm_colors()
        got = colors.get(norm)
        if got is None:
            got = colors[norm] = self.scale.color(norm, self._theme)
        return got

    def _norm_colors(self) -> dict:
        """norm -> its QColor on the scale and theme of now (made as asked, `_norm_color`)."""
        key = (self.scale, id(self._theme))
        if self._colors_key != key:
            self._colors_key, self._colors = key, {}
        return self._colors

    def _restyle_nodes(self, seen: _ShownState, state, node_ids) -> None:
        """Give the nodes `node_ids` the look `seen` (from `state`) asks for (a box whose
        look stays is left alone before any call: a jump passes every node here)."""
        visible, done, pending, active = seen.visible, seen.done, seen.pending, seen.active
        node_norm, node_bad, released = seen.node_norm, seen.node_bad, seen.released
        leaf_grads, nonfinite = seen.leaf_grads, seen.nonfinite
        nodes, color, grad_lines = self.nodes, self._norm_color, self._grad_line_nodes()
        colors = self._norm_colors()
        shown_before = self.shown_version
        for node_id in node_ids:
            item = nodes[node_id]
            on = node_id in visible
            if on != item._visible:
                item.setVisible(on)
                self.shown_version = shown_before + 1
            is_done = node_id in done
            ran = is_done or node_id == active
            norm = node_norm.get(node_id) if ran else None
            magnitude = None if norm is None else colors.get(norm)
            if magnitude is None and norm is not None:
                magnitude = color(norm)
            bad = node_id == nonfinite or (ran and node_id in node_bad)
            old = item._magnitude
            if is_done != item._done or (node_id == active) != item._active or \
                    (node_id in pending) != item._pending or bad != item._nonfinite or (
                        magnitude is not old and (magnitude is None or old is None or
                                                  magnitude.rgba() != old.rgba())):
                item.set_state(done=is_done, active=node_id == active,
                               pending=node_id in pending, magnitude=magnitude, nonfinite=bad)
            if (node_id in released) != item._released:
                item.set_released(node_id in released)
            if node_id in grad_lines:
                item.set_grad_text(self._leaf_grad_text(node_id, leaf_grads,
                                                        state.accumulation))

    def _grad_line_nodes(self) -> frozenset:
        """The nodes whose box has a ``.grad`` line (leaves), once per graph."""
        got, nodes = self._grad_lines, self.nodes
        if got is None or got[0] is not nodes or got[1] != len(nodes):   # (a build adds)
            got = self._grad_lines = (nodes, len(nodes), frozenset(
                n for n, item in nodes.items() if item.has_grad_line))
        return got[2]

    def _edges_of(self, node_id) -> list[tuple]:
        """The edges into and out of `node_id` (from the graph's adjacency where no group is
        collapsed: no index over every edge made at the first step of a big graph)."""
        graph = self.graph
        if not self._box_of and graph is not None and node_id in graph:
            edges = self.edges
            return [k for k in chain(((u, node_id) for u in graph.pred[node_id]),
                                     ((node_id, v) for v in graph.succ[node_id]))
                    if k in edges]
        if self._node_edges is None:
            around: dict = {}
            for key in self.edges:
                around.setdefault(key[0], []).append(key)
                around.setdefault(key[1], []).append(key)
            self._node_edges = around
        return self._node_edges.get(node_id, [])

    def _through_boxes(self, state):
        """visible, done, pending, active, edge gradients and the NaN origin of `state`, with
        the members of each collapsed group seen through its box: the box shows once a member
        exists, runs while a member runs, and the edges crossing its border carry their
        gradients on the box's edges."""
        visible, done, pending = state.visible, state.done, state.pending
        active, nonfinite = state.active, getattr(state, "nonfinite", None)
        edge_grads = getattr(state, "edge_grads", {}) or {}
        node_norm, node_bad = state.node_norms, state.node_nonfinite
        box_of = self._box_of
        if not box_of:
            return visible, done, pending, active, edge_grads, nonfinite, node_norm, node_bad
        members: dict[str, list[str]] = {}
        for m, box in box_of.items():
            members.setdefault(box, []).append(m)
        visible = set(visible)
        done, pending = set(done), set(pending)
        for box, inside in members.items():
            if any(m in visible for m in inside):
                visible.add(box)
            if any(m in pending for m in inside) or active in inside:
                pending.add(box)
            elif any(m in done for m in inside):
                done.add(box)
        if active in box_of:
            active = box_of[active]
            pending.discard(active)
        if nonfinite in box_of:
            nonfinite = box_of[nonfinite]
        grads: dict = {}
        for (u, v), info in edge_grads.items():
            key = (box_of.get(u, u), box_of.get(v, v))
            if key[0] == key[1]:
                continue
            old = grads.get(key)
            if old is None or (info is not None and (old.norm or 0) < (info.norm or 0)):
                grads[key] = info
        norms = dict(node_norm)
        for m, n in node_norm.items():
            box = box_of.get(m)
            if box is not None:
                norms[box] = max(norms.get(box, 0.0), n)
        bad = frozenset(node_bad) | {box_of[m] for m in node_bad if m in box_of}
        return (frozenset(visible), frozenset(done), frozenset(pending), active, grads,
                nonfinite, norms, bad)

    def _refresh_trunks(self) -> None:
        for trunk in self.trunks:
            trunk.refresh()

    def _fade_in(self, added) -> None:
        """New nodes of a forward statement fade in, so the eye sees the graph grow."""
        self._fade.stop()
        for item in self._fading:
            item.setOpacity(1.0)
        self._fading = [self.nodes[n] for n in added if n in self.nodes]
        if not self._fading or len(self._fading) > 200:
            self._fading = []
            return
        for item in self._fading:
            item.setOpacity(0.0)
        self._fade.setDuration(max(60, int(self.pulse_duration)))
        self._fade.start()

    def _on_fade_value(self, value) -> None:
        for item in self._fading:
            item.setOpacity(float(value))

    @staticmethod
    def _leaf_grad_text(node_id: str, leaf_grads: dict, accumulation: dict) -> str | None:
        """``grad: 4.5 (all)``, or ``grad = old + added`` when this step accumulates."""
        if node_id not in leaf_grads or leaf_grads[node_id] is None:
            return None
        if node_id in accumulation:
            prev, added = accumulation[node_id]
            return f"grad = {short_array(prev, False)} + {short_array(added, False)}"
        return "grad: " + short_array(leaf_grads[node_id])

    # ------------------------------------------------------------------ pulses
    def _edges_into(self, node_id) -> list[tuple]:
        """The edges into `node_id` (from the graph's adjacency, as `_edges_of`)."""
        graph = self.graph
        if not self._box_of and graph is not None and node_id in graph:
            edges = self.edges
            return [k for k in ((u, node_id) for u in graph.pred[node_id]) if k in edges]
        if self._in_edges is None:
            into: dict = {}
            for key in self.edges:
                into.setdefault(key[1], []).append(key)
            self._in_edges = into
        return self._in_edges.get(node_id, [])

    def _start_pulse(self, active, edge_grads) -> None:
        self._pulse.stop()
        for edge in self._pulse_edges:
            edge.set_pulse(None)
            edge.set_highlight(False)
        self._pulse_edges = []
        if active is None:
            if self._live is not None:
                self._live.set_edges([])
            return
        # gradients leave the active node towards its inputs: edges (u, active)
        self._pulse_edges = [self.edges[k] for k in self._edges_into(active)
                             if k in edge_grads and self.edges[k].isVisible()]
        if self._live is not None:
            self._live.set_edges(self._pulse_edges)
        if not self._pulse_edges:
            return
        for edge in self._pulse_edges:
            edge.set_highlight(True)
            edge.set_pulse(0.0)
        self._pulse.setDuration(max(60, int(self.pulse_duration)))
        self._pulse.start()

    def _on_pulse_value(self, value) -> None:
        # one frame: only where the pulses were and are now is painted again
        before = self._live.pulse_rects() if self._live is not None else []
        for edge in self._pulse_edges:
            edge._pulse = float(value)
        if self._live is not None:
            for rect in before + self._live.pulse_rects():
                self._live.update(rect)

    def _on_pulse_finished(self) -> None:
        for edge in self._pulse_edges:
            edge.set_pulse(None)
        if self._live is not None:
            self._live.update()

    @property
    def pulsing_edges(self) -> list[EdgeItem]:
        return list(self._pulse_edges)

    # ------------------------------------------------------------------ search, breakpoints
    def search(self, text: str) -> list[str]:
        """Highlight the nodes whose label or op contains `text` (any case); return their ids
        in reading order."""
        needle = text.strip().lower()
        hits = []
        for node_id, item in self.nodes.items():
            hay = " ".join(str(item.attrs.get(k) or "") for k in ("label", "op")).lower()
            hit = bool(needle) and needle in hay
            item.set_search_hit(hit)
            if hit:
                hits.append(node_id)
        hits.sort(key=lambda n: (self.nodes[n].pos().y(), self.nodes[n].pos().x()))
        self._search_hits = hits
        return hits

    def set_breakpoints(self, breakpoints) -> None:
        self._breakpoints = set(breakpoints)
        for item in self.nodes.values():
            item.set_breakpoint(self._is_breakpoint(item))

    def _is_breakpoint(self, item: NodeItem) -> bool:
        keys = {item.node_id, str(item.attrs.get("label") or ""), str(item.attrs.get("op") or "")}
        return bool(keys & self._breakpoints)

    def edge_tip(self, edge: EdgeItem) -> str:
        """The tooltip of `edge` at the state shown: its gradient's shape, norm and min/max
        when one runs along it (made when asked, not at every step)."""
        info = self._edge_grads.get((edge.source, edge.target))
        # the names the boxes show ("MulBackward0", "AccumulateGrad"), never the graph's ids
        name = {n: self.nodes[n].title for n in (edge.source, edge.target) if n in self.nodes}
        u, v = name.get(edge.source, edge.source), name.get(edge.target, edge.target)
        return edge_tooltip(u, v, edge.attrs) if info is None else grad_tooltip(u, v, info)

    # ------------------------------------------------------------------ path highlighting
    def show_path(self, node_id: str | None) -> None:
        """Highlight what `node_id` is computed from and what is computed from it (with the
        gradient's way from the output back to it), dimming the rest; None shows all alike."""
        if self._path_index is None or self._path_index_size != len(self.edges):
            # the graph's inputs/outputs, once per graph (again while a big one still builds)
            self._path_index, self._path_index_size = PathIndex(self.edges), len(self.edges)
        path = self._path_index.path(node_id) if node_id in self.nodes else None
        old, self.path = self.path, path
        bright = path.nodes if path is not None else frozenset()
        nodes, edges = self.nodes, self.edges
        if old is not None and path is not None:   # from one path to another: only what differs
            nodes = {n: self.nodes[n] for n in old.nodes ^ path.nodes if n in self.nodes}
            # an edge's look is set by which of the two sets it is in: those that changed
            edges = {k: self.edges[k] for k in ((old.input_edges ^ path.input_edges) |
                                                (old.grad_edges ^ path.grad_edges))
                     if k in self.edges}
        # each item's look set quietly, then each tile that holds a changed one repainted
        # once (not a repaint request per item: 20,000 of them on a big graph)
        touched = set()
        for n, item in nodes.items():
            if item.set_dimmed(path is not None and n not in bright, repaint=False):
                touched.add(item.owner)
        grad = path.grad_edges if path is not None else frozenset()
        inputs = path.input_edges if path is not None else frozenset()
        for key, edge in edges.items():
            on = "grad" if key in grad else "input" if key in inputs else None
            if edge.set_path(on, dimmed=path is not None and on is None, repaint=False):
                touched.add(edge.owner)
        touched.discard(None)
        for tile in touched:
            tile.invalidate()
        for trunk in self.trunks:
            trunk.set_dimmed(path is not None)

    def show_line_nodes(self, node_ids) -> list[str]:
        """Outline the nodes `node_ids` (those the editor's cursor line made; the members of a
        collapsed group through its box); return the ids outlined."""
        wanted = {self._box_of.get(n, n) for n in node_ids}
        hits = []
        for n, item in self.nodes.items():
            item.set_line_hit(n in wanted)
            if n in wanted:
                hits.append(n)
        return hits

    def select_node(self, node_id: str | None) -> None:
        """Select `node_id` (a shown node; anything else clears the selection)."""
        item = self.nodes.get(node_id) if node_id is not None else None
        self._set_selected(node_id if item is not None and item.isVisible() else None)

    def _set_selected(self, node_id: str | None) -> None:
        if node_id == self._selected:
            return
        old, self._selected = self._selected, node_id
        for n in (old, node_id):
            if n in self.nodes:
                self.nodes[n].update()
        self.selectionChanged.emit()

    # Override from QGraphicsScene
    def clearSelection(self) -> None:
        self._set_selected(None)

    # Override from QGraphicsScene
    def selectedItems(self) -> list:
        """The selected node's NodeItem (the scene's selection is one node)."""
        return [self.nodes[self._selected]] if self._selected in self.nodes else []

    def selected_node(self) -> str | None:
        return self._selected

    def _on_selection_changed(self) -> None:
        if self._applying:  # hiding a node is not the user choosing another
            return
        self._keep_selected = self.selected_node()
        self.show_path(self._keep_selected)
        self.nodeSelected.emit(self._keep_selected or "")

    def frames_rect(self) -> QRectF:
        """Every group frame with its title, united (empty when there are none)."""
        return QRectF(self._frames_rect)

    def graph_rect(self) -> QRectF:
        """The whole graph, scene coordinates: the layout's bounds with the group frames (known
        before a big graph is built), else every item's."""
        bounds = getattr(self.layout, "bounds", None)
        if bounds is None or not self.nodes:
            return self.itemsBoundingRect().adjusted(-30, -30, 30, 30)
        x0, y0, x1, y1 = bounds
        rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        if not self._frames_rect.isEmpty():
            rect = rect.united(self._frames_rect)
        if self._drawable and self._build is None:
            rect = rect.united(self.itemsBoundingRect())
        return rect.adjusted(-30, -30, 30, 30)

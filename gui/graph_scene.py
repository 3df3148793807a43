"""The graph scene: builds node and edge items from a graph model and its layout, and paints a
playback state onto them (visible, done, active, gradients, pulses). It decides nothing itself:
every fact comes from the graph's attributes or the PlaybackState."""
from __future__ import annotations

import gc
import math

import numpy as np
from PySide6.QtCore import (
    QCoreApplication,
    QEasingCurve,
    QPointF,
    QRectF,
    QVariantAnimation,
    Signal,
)
from PySide6.QtWidgets import QGraphicsScene

from .edge_trunks import TrunkItem, share_trunks
from .graph_items import (
    EdgeItem,
    NodeItem,
    clip_to_rect,
    format_shape,
    graph_font,
    node_sizes,
    node_tooltip,
)
from .group_frames import (
    PAD,
    GroupFrame,
    GroupTitle,
    RectIndex,
    arrange_frames,
    title_size,
    title_text,
)
from .model.hierarchy import alike_label, group_tree
from .model.paths import NodePath, node_path
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
    arr = np.asarray(a)
    if arr.size == 0:
        return "[]"
    flat = arr.reshape(-1).astype(np.float64, copy=False)
    if not np.all(np.isfinite(flat)):
        return "nan/inf" if np.isnan(flat).any() else "inf"
    if np.all(flat == flat[0]):
        return format_number(float(flat[0])) + ("" if arr.ndim == 0 or not all_suffix
                                                 else " (all)")
    if flat.size <= 2:
        return "[" + ", ".join(format_number(float(v)) for v in flat) + "]"
    return f"‖{float(np.linalg.norm(flat)):.3g}‖"


def edge_tooltip(u: str, v: str, attrs: dict) -> str:
    """An edge's tooltip when no gradient is on it: what flows forward along it."""
    shape = attrs.get("shape")
    what = f"{attrs.get('kind', 'data')} {format_shape(shape)}" if shape is not None else \
        str(attrs.get("kind", "data"))
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


def _depth(group: str, parents: dict[str, str]) -> int:
    """How many groups hold `group` by ``group_parent`` (innermost first when sorted down)."""
    depth = 0
    while group in parents and depth <= len(parents):
        group, depth = parents[group], depth + 1
    return depth


class GraphScene(QGraphicsScene):
    """Items for one graph model. `set_graph(graph, layout)` rebuilds, `apply_state(state)`
    restyles; `node_sizes(graph)` measures boxes for the layout before it runs."""

    nodeSelected = Signal(str)  # "" when nothing is selected
    graphChanged = Signal()     # set_graph made new items

    def __init__(self, parent=None, theme: Theme = LIGHT):
        super().__init__(parent)
        self._theme = theme
        self._font = graph_font()
        self.graph = None
        self.layout = None
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        self.groups: dict[str, GroupFrame] = {}
        self.trunks: list[TrunkItem] = []
        self.state = None
        self._box_of: dict[str, str] = {}   # collapsed group member -> its box id
        self.scale = MagnitudeScale()
        self._breakpoints: set[str] = set()
        self._applying = False
        self._keep_selected: str | None = None
        self._search_hits: list[str] = []
        self.path: NodePath | None = None   # the selected node's, while shown
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
    def node_sizes(self, graph) -> dict[str, tuple[float, float]]:
        """Box sizes (w, h) for every node, measured the way the items will draw them."""
        return node_sizes(graph, self._font)

    def set_graph(self, graph, layout) -> None:
        """Replace all items by those of `graph` placed by `layout` (a Layout)."""
        self._pulse.stop()
        self._pulse_edges = []
        self._fade.stop()
        self._fading = []
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        # thousands of items at once: the cyclic garbage collector would walk all of them
        # again and again while they are made (a fifth of the time on the 4.5k-node RNN)
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._add_items(graph, layout)
        finally:
            if collecting:
                gc.enable()
        self.graphChanged.emit()

    def _add_items(self, graph, layout) -> None:
        self.graph, self.layout = graph, layout
        self.nodes, self.edges, self.groups, self.trunks = {}, {}, {}, []
        self._box_of: dict[str, str] = {}
        self._search_hits = []
        self.path = None
        self._edge_grads = {}
        positions = layout.positions if layout is not None else {}
        boxes = getattr(layout, "boxes", None) or {}
        self._box_of = {m: box for box, a in boxes.items() for m in a.get("members") or ()}
        for node_id, (x, y) in positions.items():
            attrs = dict(graph.nodes[node_id]) if node_id in graph.nodes else \
                dict(boxes.get(node_id) or {"kind": "group", "label": str(node_id)})
            item = NodeItem(node_id, attrs, self._theme, self._font)
            if attrs.get("inputs"):   # say where its inputs come from, by their names
                item.setToolTip(node_tooltip(attrs, {
                    src: self._input_name(graph, src) for src in attrs["inputs"] if src}))
            item.setPos(float(x), float(y))
            item.set_breakpoint(self._is_breakpoint(item))
            self.addItem(item)
            self.nodes[node_id] = item
        edge_points = layout.edges if layout is not None else {}
        for (u, v), points in edge_points.items():
            if u not in self.nodes or v not in self.nodes:
                continue
            attrs = dict(graph.edges[u, v]) if graph.has_edge(u, v) else \
                dict((getattr(layout, "box_edges", None) or {}).get((u, v), {}))
            item = EdgeItem(u, v, attrs, self._clipped(u, v, points), self._theme, self._font)
            self.addItem(item)
            self.edges[(u, v)] = item
        self.trunks = share_trunks(self.edges.values(), self._theme)
        for trunk in self.trunks:
            self.addItem(trunk)
        self._add_group_frames()

    @staticmethod
    def _input_name(graph, node_id: str) -> str:
        attrs = graph.nodes[node_id] if node_id in graph.nodes else {}
        label = str(attrs.get("label") or node_id)
        if attrs.get("kind") == "accumulate" and attrs.get("leaf_label"):
            label = f"{label} ({attrs['leaf_label']})"
        shape = format_shape(attrs.get("shape"))
        return f"{label} ({shape})" if shape and attrs.get("kind") != "accumulate" else label

    def _clipped(self, u: str, v: str, points) -> list[tuple[float, float]]:
        pts = [QPointF(float(x), float(y)) for x, y in points]
        if len(pts) < 2:
            pts = [self.nodes[u].pos(), self.nodes[v].pos()]
        src = self.nodes[u].rect().translated(self.nodes[u].pos())
        dst = self.nodes[v].rect().translated(self.nodes[v].pos())
        pts[0] = clip_to_rect(pts[0], pts[1], src)
        pts[-1] = clip_to_rect(pts[-1], pts[-2], dst.adjusted(-1, -1, 1, 1))
        return [(p.x(), p.y()) for p in pts]

    def _add_group_frames(self) -> None:
        """A frame and a title per group; edge labels that would cover a title move along
        their edge."""
        members: dict[str, QRectF] = {}
        for item in self.nodes.values():
            group = item.attrs.get("group")
            if not group:
                continue
            rect = item.rect().translated(item.pos())
            members[group] = members[group].united(rect) if group in members else rect
        # a module call's frame holds the frames of its submodules' calls (arrange_frames then
        # keeps each inside its holder, so nested frames never cross)
        parents = (getattr(self.graph, "graph", None) or {}).get("group_parent") or {}
        for group in sorted(members, key=lambda g: -_depth(g, parents)):
            parent, seen = parents.get(group), 0
            while parent is not None and seen <= len(parents):
                if parent in members:
                    # room for the holder's own title row above the inner frame's
                    members[parent] = members[parent].united(
                        members[group].adjusted(-8.0, -PAD[1], 8.0, 8.0))
                    break
                parent, seen = parents.get(parent), seen + 1
        if not members:
            self._place_labels([])
            return
        boxes = [item.rect().translated(item.pos()) for item in self.nodes.values()]
        alike = group_tree(self.graph).alike if self.graph is not None else {}
        text = {name: alike_label(name, len(alike.get(name) or ())) for name in members}
        sizes = {name: title_size(text[name], self._font) for name in members}
        placed = arrange_frames(members, sizes, boxes)
        # outer frames first: an inner frame's fill then lies on top of its outer one's
        for name in sorted(placed, key=lambda n: -placed[n][0].width() * placed[n][0].height()):
            rect, title_rect = placed[name]
            frame = GroupFrame(name, rect, self._theme)
            frame.title = GroupTitle(name, title_rect, self._theme, self._font)
            frame.title.text = title_text(text[name])   # "▾ layers.3 (×12 alike)": repeats
            self.addItem(frame)
            self.addItem(frame.title)
            self.groups[name] = frame
        self._place_labels([title for _, title in placed.values()])

    def _place_labels(self, titles: list[QRectF]) -> None:
        """Slide each edge label along its edge (`LABEL_PLACES`, the middle first) to the first
        place clear of group titles, node boxes and the labels placed before it; where there
        is none, to the place that covers least (a title counts most). A label's place holds
        room for the widest gradient label, so no two labels overlap at any step."""
        index = RectIndex(cell=64.0)   # about a label's size: few neighbours per lookup
        obstacles: list[tuple[QRectF, float, object]] = []

        def add(rect: QRectF, weight: float, owner=None) -> None:
            index.add(rect, len(obstacles))
            obstacles.append((rect, weight, owner))

        for rect in titles:
            add(rect, 1000.0)
        for item in self.nodes.values():
            add(item.rect().translated(item.pos()), 1.0, item.node_id)

        def cost(edge: EdgeItem, rect: QRectF) -> float:
            total = 0.0
            for k in index.near(rect):
                other, weight, _ = obstacles[k]
                inter = rect.intersected(other)
                if not inter.isEmpty():
                    total += weight * (1.0 + inter.width() * inter.height())
            return total

        def clear(rect: QRectF) -> bool:
            return not any(rect.intersects(obstacles[k][0]) for k in index.near(rect))

        edges = sorted(self.edges.values(),
                       key=lambda e: (e.label_rect().top(), e.label_rect().left()))
        for edge in edges:
            if not clear(edge.label_rect()):
                for at in LABEL_PLACES[1:]:
                    edge.set_label_at(at)
                    if clear(edge.label_rect()):
                        break
                else:   # nowhere clear: where it covers least
                    costs = []
                    for at in LABEL_PLACES:
                        edge.set_label_at(at)
                        costs.append((cost(edge, edge.label_rect()), at))
                    edge.set_label_at(min(costs)[1])
            if edge.kind != "saved":   # a saved tensor's edge draws no label
                add(edge.label_rect(), 1.0, edge)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for item in list(self.nodes.values()) + list(self.edges.values()) + \
                list(self.groups.values()) + self.trunks:
            item.set_theme(theme)
        self.update()

    @property
    def theme(self) -> Theme:
        return self._theme

    # ------------------------------------------------------------------ playback state
    def apply_state(self, state, animate: bool = True) -> None:
        """Show `state` (a PlaybackState): what exists, what ran, where gradients flow."""
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
        visible, done, pending, active, edge_grads, nonfinite, node_norm, node_bad = \
            self._through_boxes(state)
        # one scale for the whole backward call: a node keeps its colour while scrubbing
        norms = list(getattr(state, "call_norms", ()) or ()) or \
            [g.norm for g in edge_grads.values() if g is not None]
        self.scale = MagnitudeScale.from_norms(norms)
        for (u, v), info in edge_grads.items():
            edge = self.edges.get((u, v))
            if edge is None:
                continue
            if info is None:
                edge.set_grad(None, None)
                continue
            norm = float(info.norm) if info.norm is not None else None
            label = f"∇ {format_shape(info.shape)} ‖{format_number(norm)}‖" \
                if norm is not None else f"∇ {format_shape(info.shape)}"
            edge.set_grad(label, self.scale.color(norm, self._theme), not info.finite)
        self._edge_grads = edge_grads
        for key, edge in self.edges.items():
            if key not in edge_grads:
                edge.set_grad(None, None)
            edge.setVisible(key[0] in visible and key[1] in visible)
        self._refresh_trunks()
        leaf_grads = getattr(state, "leaf_grads", {}) or {}
        released = getattr(state, "released", ()) or ()
        for node_id, item in self.nodes.items():
            item.setVisible(node_id in visible)
            norm = node_norm.get(node_id)
            ran = node_id in done or node_id == active
            item.set_state(done=node_id in done, active=node_id == active,
                           pending=node_id in pending,
                           magnitude=self.scale.color(norm, self._theme)
                           if (norm is not None and ran) else None,
                           nonfinite=node_id == nonfinite or (node_id in node_bad and ran))
            item.set_released(node_id in released)
            if item.has_grad_line:
                item.set_grad_text(self._leaf_grad_text(node_id, leaf_grads,
                                                        state.accumulation))
        for frame in self.groups.values():
            frame.setVisible(True)
        if animate:
            self._start_pulse(active, edge_grads)
            self._fade_in(getattr(state, "added", ()) or ())

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
    def _start_pulse(self, active, edge_grads) -> None:
        self._pulse.stop()
        for edge in self._pulse_edges:
            edge.set_pulse(None)
            edge.set_highlight(False)
        self._pulse_edges = []
        if active is None:
            return
        # gradients leave the active node towards its inputs: edges (u, active)
        self._pulse_edges = [e for (u, v), e in self.edges.items()
                             if v == active and (u, v) in edge_grads and e.isVisible()]
        if not self._pulse_edges:
            return
        for edge in self._pulse_edges:
            edge.set_highlight(True)
            edge.set_pulse(0.0)
        self._pulse.setDuration(max(60, int(self.pulse_duration)))
        self._pulse.start()

    def _on_pulse_value(self, value) -> None:
        for edge in self._pulse_edges:
            edge.set_pulse(float(value))

    def _on_pulse_finished(self) -> None:
        for edge in self._pulse_edges:
            edge.set_pulse(None)

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
        name = {n: str(item.attrs.get("label") or n) for n, item in self.nodes.items()
                if n in (edge.source, edge.target)}
        u, v = name.get(edge.source, edge.source), name.get(edge.target, edge.target)
        return edge_tooltip(u, v, edge.attrs) if info is None else grad_tooltip(u, v, info)

    # ------------------------------------------------------------------ path highlighting
    def show_path(self, node_id: str | None) -> None:
        """Highlight what `node_id` is computed from and what is computed from it (with the
        gradient's way from the output back to it), dimming the rest; None shows all alike."""
        path = node_path(self.edges, node_id) if node_id in self.nodes else None
        self.path = path
        bright = path.nodes if path is not None else frozenset()
        for n, item in self.nodes.items():
            item.set_dimmed(path is not None and n not in bright)
        for key, edge in self.edges.items():
            if path is None:
                edge.set_path(None)
            elif key in path.grad_edges:
                edge.set_path("grad")
            elif key in path.input_edges:
                edge.set_path("input")
            else:
                edge.set_path(None, dimmed=True)
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
        self.clearSelection()
        if node_id in self.nodes:
            self.nodes[node_id].setSelected(True)

    def selected_node(self) -> str | None:
        for item in self.selectedItems():
            if isinstance(item, NodeItem):
                return item.node_id
        return None

    def _on_selection_changed(self) -> None:
        if self._applying:  # hiding a node is not the user choosing another
            return
        self._keep_selected = self.selected_node()
        self.show_path(self._keep_selected)
        self.nodeSelected.emit(self._keep_selected or "")

    def graph_rect(self) -> QRectF:
        return self.itemsBoundingRect().adjusted(-30, -30, 30, 30)

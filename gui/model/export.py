"""Exports of the graph model: JSON (networkx node-link, arrays made JSON-safe) and DOT text
that Graphviz renders; neither needs Graphviz installed.
"""
from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import networkx as nx
import numpy as np

from . import palette
from .graph import summarize

__all__ = ["to_json", "graph_to_data", "graph_from_json", "to_dot", "jsonable"]

# What the JSON file says about itself (graph.format): how to read the values PyTorch may hold
# but strict JSON cannot (json.dumps with allow_nan=False refuses NaN and the infinities).
FORMAT_NOTE = ("gradtrace grad_fn graph, networkx node-link JSON (edges under \"edges\"); "
               "tensor values as {shape, dtype, summary, data}; not-a-number and infinite floats "
               "are written as the strings \"nan\", \"inf\" and \"-inf\" (strict JSON has no "
               "such numbers)")

# Arrays up to this many elements are written out in full; larger ones as shape + summary.
MAX_ELEMENTS = 1000

_FONT = "Helvetica"
# kind or role -> DOT node shape and style; the colours are the app's (gui/model/palette.py)
_NODE_STYLE: dict[str, dict[str, object]] = {
    "leaf": {"shape": "box", "style": "rounded,filled"},
    "intermediate": {"shape": "box", "style": "rounded,filled"},
    "output": {"shape": "box", "style": "rounded,filled"},
    "constant": {"shape": "box", "style": "rounded,dotted,filled"},
    "function": {"shape": "box", "style": "rounded,filled"},
    "accumulate": {"shape": "box", "style": "filled", "peripheries": 2},
    "saved": {"shape": "box", "style": "rounded,dashed,filled"},
    "group": {"shape": "box3d", "style": "filled"},
}


def _edge_style(kind, theme):
    colors = palette.GRAPH_COLORS.get(theme, palette.GRAPH_COLORS["light"])
    if kind == "cut":
        return {"style": "dashed", "color": colors["edge_cut"], "fontcolor": colors["subtext"]}
    if kind == "saved":
        return {"style": "dotted", "color": colors["edge_saved"], "arrowhead": "odot"}
    return {"color": colors["edge"]}


def _number(x):
    """A float JSON can hold: NaN and infinities become the strings "nan", "inf", "-inf"."""
    x = float(x)
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def _array_json(a, max_elements):
    a = np.asarray(a)
    out = {"shape": list(a.shape), "dtype": str(a.dtype), "summary": summarize(a), "data": None}
    if a.size <= max_elements:
        if a.dtype.kind == "f":
            flat = [_number(v) for v in a.ravel().tolist()]
            out["data"] = np.array(flat, dtype=object).reshape(a.shape).tolist() if a.ndim \
                else flat[0]
        elif a.dtype.kind == "c":
            out["data"] = [[_number(v.real), _number(v.imag)] for v in a.ravel().tolist()]
        else:
            out["data"] = a.tolist()
    return out


def jsonable(value: Any, max_elements: int = MAX_ELEMENTS) -> Any:
    """``value`` with numpy arrays, tuples, sets and dataclasses made ``json.dumps``-able.

    Arrays become ``{"shape", "dtype", "summary", "data"}`` (``data`` is None past
    ``max_elements``); NaN/inf become ``"nan"``/``"inf"``/``"-inf"``; other objects their ``str``.

    Examples
    --------
    >>> jsonable({"shape": (2, 3), "norm": float("nan")})
    {'shape': [2, 3], 'norm': 'nan'}
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, np.ndarray):
        return _array_json(value, max_elements)
    if isinstance(value, np.generic):
        return jsonable(value.item(), max_elements)
    if isinstance(value, dict):
        return {str(k): jsonable(v, max_elements) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v, max_elements) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v, max_elements) for v in value), key=str)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name), max_elements)
                for f in dataclasses.fields(value) if f.repr}
    return str(value)


def _state_json(state):
    if state is None:
        return None
    return {
        "index": state.index, "label": getattr(state.entry, "label", None),
        "active": state.active, "done": sorted(state.done), "pending": sorted(state.pending),
        "nonfinite": state.nonfinite,
    }


def _require_graph(graph: Any, what: str) -> None:
    if graph is None:
        raise ValueError(f"no graph to write as {what}: no script has run yet")
    if not isinstance(graph, nx.DiGraph):
        raise TypeError(f"{what} export wants a networkx.DiGraph, not {type(graph).__name__}")


def graph_to_data(graph: nx.DiGraph, *, layout: Any = None, state: Any = None,
                  max_elements: int = MAX_ELEMENTS) -> dict[str, Any]:
    """The node-link dict of ``graph`` (edges under ``"edges"``), ready for ``json.dumps``.

    Graph attributes starting with ``_`` (the engine index) are left out. With ``layout``,
    nodes get ``pos`` and edges ``points``; with a `PlaybackState`, the graph gets ``state``,
    edges the ``grad`` that crossed them and leaves their ``leaf_grad`` at that step.
    """
    _require_graph(graph, "JSON")
    data = nx.node_link_data(graph, edges="edges")
    data["graph"] = {k: v for k, v in data["graph"].items() if not str(k).startswith("_")}
    data["graph"]["format"] = FORMAT_NOTE
    positions = getattr(layout, "positions", None) or {}
    points = getattr(layout, "edges", None) or {}
    edge_grads = getattr(state, "edge_grads", None) or {}
    leaf_grads = getattr(state, "leaf_grads", None) or {}
    for node in data["nodes"]:
        if node["id"] in positions:
            node["pos"] = list(positions[node["id"]])
        if node["id"] in leaf_grads:
            node["leaf_grad"] = leaf_grads[node["id"]]
    for edge in data["edges"]:
        key = (edge["source"], edge["target"])
        if key in points:
            edge["points"] = [list(p) for p in points[key]]
        if key in edge_grads:
            edge["grad"] = edge_grads[key]
    if state is not None:
        data["graph"]["state"] = _state_json(state)
    return jsonable(data, max_elements)


def to_json(graph: nx.DiGraph, *, layout: Any = None, state: Any = None,
            max_elements: int = MAX_ELEMENTS, indent: int | None = None) -> str:
    """``graph`` as strict JSON text (networkx node-link format, edges under ``"edges"``).

    Examples
    --------
    >>> g = nx.DiGraph(); g.add_edge("x", "y", shape=(2,))
    >>> graph_from_json(to_json(g)).edges["x", "y"]["shape"]
    (2,)
    """
    return json.dumps(graph_to_data(graph, layout=layout, state=state,
                                    max_elements=max_elements),
                      indent=indent, allow_nan=False)


def graph_from_json(text: str) -> nx.DiGraph:
    """Read `to_json` output back into a ``networkx.DiGraph`` (shapes become tuples again)."""
    data = json.loads(text) if isinstance(text, (str, bytes)) else text
    graph = nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")
    for _, attrs in graph.nodes(data=True):
        if isinstance(attrs.get("shape"), list):
            attrs["shape"] = tuple(attrs["shape"])
    for *_, attrs in graph.edges(data=True):
        if isinstance(attrs.get("shape"), list):
            attrs["shape"] = tuple(attrs["shape"])
    return graph


def _quote(text):
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as ``\\n``."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n") + '"'


def _attrs(mapping):
    return ", ".join(f"{k}={_quote(v)}" for k, v in mapping.items() if v is not None)


def _shape_text(shape):
    if shape is None:
        return ""
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _node_label(attrs):
    label = str(attrs.get("label") or attrs.get("op") or "?")
    kind = attrs.get("kind")
    lines = [label]
    if kind == "accumulate" and attrs.get("leaf_label"):
        lines.append(str(attrs["leaf_label"]))
    if kind in ("tensor", "constant", "saved"):
        lines.append(" ".join(p for p in (_shape_text(attrs.get("shape")),
                                          attrs.get("dtype") or "") if p))
        if attrs.get("device") and str(attrs["device"]).startswith("cuda"):
            lines[-1] += f" {attrs['device']}"
    return "\n".join(line for line in lines if line)


def to_dot(graph: nx.DiGraph, *, layout: Any = None, state: Any = None, name: str = "gradtrace",
           rankdir: str = "TB", edge_labels: bool = True, theme: str = "light") -> str:
    """``graph`` as Graphviz DOT text (``dot -Tsvg``); no Graphviz is needed to make it.

    Node shapes and colours follow kind and role in the app's palette (`palette`, ``theme``
    ``"light"`` or ``"dark"``): leaves green, backward functions yellow, ...; ``cut`` edges
    dashed, ``saved`` edges dotted; each group becomes a cluster. With a `PlaybackState` the
    active node is outlined, done nodes greyed, and edges labelled with the gradient norm
    that crossed them.
    With ``layout``, nodes carry ``pos`` (for ``neato -n``).

    Examples
    --------
    >>> g = nx.DiGraph(); g.add_node('a"b', kind="tensor", label='a"b', role="leaf")
    >>> print(to_dot(g).splitlines()[-2])  # doctest: +NORMALIZE_WHITESPACE
      "a\\"b" [label="a\\"b", shape="box", style="rounded,filled", fillcolor="#b9f6ca",
      color="#1b1b1b", fontcolor="#1b1b1b"];
    """
    _require_graph(graph, "DOT")
    positions = getattr(layout, "positions", None) or {}
    edge_grads = getattr(state, "edge_grads", None) or {}
    done = getattr(state, "done", None) or ()
    active = getattr(state, "active", None)
    colors = palette.GRAPH_COLORS.get(theme, palette.GRAPH_COLORS["light"])
    nonfinite = getattr(state, "nonfinite", None)
    lines = [f"digraph {_quote(name)} {{",
             f"  graph [{_attrs({'rankdir': rankdir, 'fontname': _FONT})}, "
             f"{_attrs({'bgcolor': colors['background'], 'fontcolor': colors['text']})}];",
             f"  node [{_attrs({'fontname': _FONT, 'fontsize': 10})}];",
             f"  edge [{_attrs({'fontname': _FONT, 'fontsize': 9})}];"]
    groups: dict[str, list[str]] = {}
    for node_id, attrs in graph.nodes(data=True):
        if attrs.get("group"):
            groups.setdefault(str(attrs["group"]), []).append(node_id)
    for k, (group, members) in enumerate(sorted(groups.items())):
        lines.append(f"  subgraph {_quote(f'cluster_{k}')} {{")
        frame = _attrs({"label": group, "style": "rounded,dashed", "color": colors["group"],
                        "fontcolor": colors["subtext"]})
        lines.append(f"    graph [{frame}];")
        lines.extend(f"    {_quote(m)};" for m in members)
        lines.append("  }")
    for node_id, attrs in graph.nodes(data=True):
        role = attrs.get("role") if attrs.get("role") in _NODE_STYLE else attrs.get("kind")
        style = dict(_NODE_STYLE.get(role) or {"shape": "box", "style": "filled"})
        fill_role = "constant" if role == "group" else role
        extra = {"label": _node_label(attrs)}
        extra.update(style)
        extra.update(fillcolor=palette.role_color(fill_role, theme), color=colors["text"],
                     fontcolor=colors["text"])
        if node_id in positions:
            x, y = positions[node_id]
            extra["pos"] = f"{float(x):.1f},{-float(y):.1f}!"
        if node_id == nonfinite:
            extra.update(fillcolor=colors["nonfinite"], fontcolor="#ffffff")
        if node_id == active:
            extra.update(color=colors["active"], penwidth=3)
        elif node_id in done and attrs.get("kind") in ("function", "accumulate"):
            extra["fillcolor"] = palette.done_color(fill_role, theme)
        lines.append(f"  {_quote(node_id)} [{_attrs(extra)}];")
    for u, v, attrs in graph.edges(data=True):
        kind = attrs.get("kind", "data")
        extra = _edge_style(kind, theme)
        label = "cut" if kind == "cut" else (_shape_text(attrs.get("shape"))
                                             if edge_labels else "")
        info = edge_grads.get((u, v))
        if info is not None:
            label = f"grad {_shape_text(info.shape)} |{info.norm:.3g}|"
            if not info.finite:
                extra.update(color=colors["nonfinite"], penwidth=2)
        if label:
            extra["label"] = label
        lines.append(f"  {_quote(u)} -> {_quote(v)}" + (f" [{_attrs(extra)}];" if extra else ";"))
    lines.append("}")
    return "\n".join(lines) + "\n"

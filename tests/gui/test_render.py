"""gui/render.py: the SVG export is vector (node boxes as paths, names as <text>, no embedded
PNG), and every export draws with the app's one palette (gui/model/palette.py)."""
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gradtrace.gui import pipeline
from gradtrace.gui.graph_scene import GraphScene
from gradtrace.gui.model import palette
from gradtrace.gui.model.export import to_dot
from gradtrace.gui.render import write_svg
from gradtrace.gui.theme import DARK, LIGHT

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def _scene(name, step=None):
    doc = pipeline.run_script((EXAMPLES / name).read_text(), include_saved=False)
    assert doc.error is None, str(doc.error)
    scene = GraphScene()
    scene.set_graph(doc.graph, doc.layout)
    if step == "forward_end":   # the last statement before the first backward step
        kinds = [e.kind for e in doc.timeline.entries]
        step = kinds.index("backward") - 1 if "backward" in kinds else -1
    state = doc.timeline.state_at(step if step is not None else -1)
    scene.apply_state(state, animate=True)   # a fade-in may be under way: opacity < 1
    return doc, scene


@pytest.mark.parametrize("name", ["tutorial.py", "mlp_step.py"])
def test_svg_is_vector_with_every_node_name_as_text(qapp, tmp_path, name):
    doc, scene = _scene(name, step="forward_end")
    faded = next(i for i in scene.nodes.values() if i.isVisible())
    faded.setOpacity(0.4)   # as while a new statement's nodes fade in
    caches = [(i, i.cacheMode()) for i in scene.items()]
    path = write_svg(scene, tmp_path / "graph.svg")
    text = path.read_text(encoding="utf-8")
    assert "<image" not in text, "a node was embedded as a raster image"
    ET.fromstring(text)   # well-formed XML
    words = {"".join(t.itertext()).strip() for t in ET.fromstring(text).iter()
             if t.tag.endswith("text")}
    shown = [(n, i) for n, i in scene.nodes.items() if i.isVisible()]
    assert len(shown) >= 4
    for node_id, item in shown:
        assert item.title in words, f"{item.title!r} ({node_id}) is not a <text> in the SVG"
    assert re.search(r'<g fill="' + LIGHT.roles["leaf"] + r'"[^>]*>\s*<path ', text, re.I), \
        "no leaf box drawn as a filled path"
    # the items' caches and the fading node's opacity come back after the export
    assert all(i.cacheMode() == mode for i, mode in caches)
    assert faded.opacity() == pytest.approx(0.4)


def test_theme_and_dot_share_one_palette():
    for theme, name in ((LIGHT, "light"), (DARK, "dark")):
        assert theme.roles == palette.ROLE_COLORS[name]
        assert theme.active == palette.GRAPH_COLORS[name]["active"]


def test_dot_uses_the_apps_colours(qapp):
    doc, _ = _scene("tutorial.py")
    text = to_dot(doc.graph, state=doc.timeline.state_at(-1))
    fills = dict(re.findall(r'^\s+"([^"]+)" \[[^]]*fillcolor="(#[0-9a-f]+)"', text, re.M))
    assert fills["x"] == LIGHT.roles["leaf"]                       # leaves green
    assert fills["out"] == LIGHT.roles["output"]
    fn = next(n for n, a in doc.graph.nodes(data=True) if a["kind"] == "function")
    done = palette.done_color("function")
    assert fills[fn] == done                                      # ran: greyed yellow
    fresh = to_dot(doc.graph)
    fills = dict(re.findall(r'^\s+"([^"]+)" \[[^]]*fillcolor="(#[0-9a-f]+)"', fresh, re.M))
    assert fills[fn] == LIGHT.roles["function"]                   # functions yellow
    dark = to_dot(doc.graph, theme="dark")
    assert f'fillcolor="{DARK.roles["leaf"]}"' in dark and 'bgcolor="#1e1f22"' in dark


def test_svg_text_is_as_large_as_in_the_boxes_it_was_measured_for(qapp, tmp_path):
    # the generator's own 72 dpi drew 9.5 pt labels at 9.5 units in boxes measured for 12.7
    from PySide6.QtGui import QGuiApplication

    from gradtrace.gui.graph_items import graph_font
    _, scene = _scene("tutorial.py", step="forward_end")
    text = write_svg(scene, tmp_path / "g.svg").read_text(encoding="utf-8")
    sizes = {float(m) for m in re.findall(r'<text[^>]*font-size="([0-9.]+)"', text)}
    dpi = QGuiApplication.primaryScreen().logicalDotsPerInch()
    title = graph_font().pointSizeF() * dpi / 72.0
    assert any(abs(s - title) < 0.5 for s in sizes), (sorted(sizes), title)

"""Writing the graph to files: PNG (a QImage render of the scene), SVG (QSvgGenerator: vector
paths and text), DOT and JSON (the model's export module). Used by File > Export and by
`gradtrace render`."""
from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from .graph_scene import GraphScene
from .theme import paint_legend

#: QCoreApplication.translate, under the name pyside6-lupdate reads
translate = QCoreApplication.translate

MAX_PIXELS = 16000


@contextlib.contextmanager
def drawn_as_vectors(scene: GraphScene):
    """Paint every item itself while exporting: no item cache (a cached item reaches an SVG
    as an embedded PNG), no graphics effect and full opacity (both rasterise too), every node
    of a graph still building; restored afterwards."""
    scene.finish_building()   # a big graph still building: every node goes in the file
    scene.place_all_labels()  # (a big graph places its tiles' labels when first seen)
    faded = [(node, node.opacity()) for node in scene.nodes.values() if node.opacity() < 1.0]
    for node, _ in faded:
        node.setOpacity(1.0)
    saved = []
    for item in scene.items():
        effect = item.graphicsEffect()
        saved.append((item, item.cacheMode(), item.opacity(),
                      effect, effect.isEnabled() if effect is not None else None))
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        if item.opacity() < 1.0:
            item.setOpacity(1.0)
        if effect is not None:
            effect.setEnabled(False)
    try:
        yield
    finally:
        for item, cache, opacity, effect, enabled in saved:
            item.setCacheMode(cache)
            item.setOpacity(opacity)
            if effect is not None:
                effect.setEnabled(enabled)
        for node, opacity in faded:
            node.setOpacity(opacity)


def _legend_scale(scene: GraphScene):
    state = scene.state
    return scene.scale if state is not None and getattr(state, "edge_grads", None) else None


def _paint(scene: GraphScene, painter: QPainter, target: QRectF, source: QRectF,
           legend: bool) -> None:
    painter.fillRect(target, QColor(scene.theme.background))
    scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    if legend and scene.nodes:
        painter.resetTransform()
        paint_legend(painter, QPointF(10, 10), scene.theme, _legend_scale(scene))


def scene_image(scene: GraphScene, scale: float = 2.0, legend: bool = True) -> QImage:
    """The whole graph as a QImage, `scale` device pixels per scene unit (capped in size)."""
    source = scene.graph_rect()
    if source.isEmpty():
        source = QRectF(0, 0, 320, 200)
    if legend:  # room on the left for the legend
        source = source.adjusted(-200, 0, 0, 0)
        if source.height() < 300:
            source.setHeight(300)
    scale = min(scale, MAX_PIXELS / max(source.width(), source.height()))
    size = QSize(max(1, int(source.width() * scale)), max(1, int(source.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(scene.theme.background))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing |
                           QPainter.RenderHint.TextAntialiasing)
    with drawn_as_vectors(scene):
        scene.render(painter, QRectF(0, 0, size.width(), size.height()), source,
                     Qt.AspectRatioMode.KeepAspectRatio)
    if legend and scene.nodes:
        painter.resetTransform()
        painter.scale(scale, scale)
        paint_legend(painter, QPointF(8, 8), scene.theme, _legend_scale(scene))
    painter.end()
    return image


def write_png(scene: GraphScene, path, scale: float = 2.0) -> Path:
    path = Path(path)
    if not scene_image(scene, scale).save(str(path), "PNG"):
        raise OSError(translate("Render", "could not write {path}").format(path=path))
    return path


def write_svg(scene: GraphScene, path, title: str | None = None) -> Path:
    from PySide6.QtSvg import QSvgGenerator

    path = Path(path)
    source = scene.graph_rect()
    if source.isEmpty():
        source = QRectF(0, 0, 320, 200)
    source = source.adjusted(-200, 0, 0, 0)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    # the items measured their text with the screen's fonts: draw it at the same size (the
    # generator's own 72 dpi would shrink every label inside its box)
    screen = QGuiApplication.primaryScreen()
    generator.setResolution(round(screen.logicalDotsPerInch()) if screen is not None else 96)
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle(title if title is not None else translate("Render", "gradtrace graph"))
    generator.setDescription(translate("Render", "The grad_fn graph drawn by gradtrace"))
    painter = QPainter(generator)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    with drawn_as_vectors(scene):
        _paint(scene, painter, QRectF(0, 0, source.width(), source.height()), source, True)
    painter.end()
    if not path.exists():
        raise OSError(translate("Render", "could not write {path}").format(path=path))
    return path


def write_text_export(kind: str, graph, path, layout=None, state=None,
                      direction: str | None = None, theme: str = "light") -> Path:
    """DOT or JSON text from gui/model/export.py, written to `path` (DOT in `theme`'s colours,
    the app's palette)."""
    from .model import export

    path = Path(path)
    if kind == "dot":
        rankdir = direction or getattr(layout, "direction", None) or "TB"
        text = export.to_dot(graph, layout=layout, state=state, rankdir=rankdir, theme=theme)
    else:
        text = export.to_json(graph, layout=layout, state=state, indent=1)
    path.write_text(text, encoding="utf-8")
    return path


def export_graph(scene: GraphScene, path, graph=None, layout=None, state=None) -> Path:
    """Write the graph to `path`; the suffix (.png, .svg, .dot, .json) picks the format.

    Raises ValueError when there is no graph yet (no script has run)."""
    suffix = Path(path).suffix.lower()
    if (graph if graph is not None else scene.graph) is None:
        raise ValueError(translate("Render", "nothing to export to {name}: no script has run "
                                   "yet, so there is no graph (run it first, F5)").format(
                                       name=Path(path).name))
    if suffix == ".png":
        return write_png(scene, path)
    if suffix == ".svg":
        return write_svg(scene, path)
    if suffix in (".dot", ".gv"):
        return write_text_export("dot", graph if graph is not None else scene.graph, path,
                                 layout if layout is not None else scene.layout, state,
                                 theme=scene.theme.name)
    if suffix == ".json":
        return write_text_export("json", graph if graph is not None else scene.graph, path,
                                 layout if layout is not None else scene.layout, state)
    raise ValueError(translate("Render", "unknown export format {suffix}: use .png, .svg, .dot "
                               "or .json").format(suffix=repr(suffix)))

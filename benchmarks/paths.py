"""Times selecting a node on a 20,000-node graph (path highlighting): the path itself
(gui/model/paths.py) and the scene's restyling with the view's repaint after it, at three
zooms. Run by hand: ``.venv/bin/python benchmarks/paths.py``; writes the "Path select"
section of benchmarks/RESULTS.md."""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from PySide6.QtWidgets import QApplication  # noqa: E402
from results_file import replace_section  # noqa: E402

_spec = importlib.util.spec_from_file_location("layout_bench", ROOT / "benchmarks" / "layout.py")
layout_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(layout_bench)


#: the zooms the view is painted at after each change: the opening view (readable), the
#: middle distance (edges as hairlines, drawn in batches) and far out (boxes as rectangles)
ZOOMS = (1.0, 0.25, 0.05)


def run(size: int = 2500, picks: int = 12):
    """(nodes, edges, the path alone in ms, then per zoom of ZOOMS: ms to show a path with
    nothing shown before, go from one path to another, clear it, each with the repaint of
    the view after it, and the worst show/switch)."""
    from gradtrace.gui.graph_items import node_sizes
    from gradtrace.gui.graph_view import GraphView
    from gradtrace.gui.model.layout import LayeredLayout
    from gradtrace.gui.model.paths import PathIndex

    app = QApplication.instance() or QApplication([])
    graph = layout_bench.mlp(size)
    layout = LayeredLayout().compute(graph, sizes=node_sizes(graph))
    view = GraphView()
    view.resize(1440, 880)
    view.show()
    scene = view.graph_scene
    scene.set_graph(graph, layout)
    scene.finish_building()
    app.processEvents()
    nodes = list(scene.nodes)
    chosen = [nodes[(k * len(nodes)) // picks] for k in range(picks)]
    index = PathIndex(scene.edges)
    alone = []
    for node in chosen:
        t0 = time.perf_counter()
        index.path(node)
        alone.append(time.perf_counter() - t0)
    rows = []
    for zoom in ZOOMS:
        select, switch, clear = [], [], []
        for k, node in enumerate(chosen):
            view.resetTransform()
            view.scale(zoom, zoom)
            view.centerOn(scene.nodes[node].pos())
            view.viewport().repaint()   # the tiles' caches of this place made before timing
            for times, target in ((select, node), (switch, chosen[(k + 1) % len(chosen)]),
                                  (clear, None)):
                t0 = time.perf_counter()
                scene.show_path(target)   # first nothing shown (everything restyled), then
                view.viewport().repaint()   # another node (what differs), then none
                times.append(time.perf_counter() - t0)
            app.processEvents()
        ms = [statistics.median(t) * 1000 for t in (select, switch, clear)]
        rows.append((zoom, *ms, max(select + switch) * 1000))
    view.close()
    return graph.number_of_nodes(), graph.number_of_edges(), \
        statistics.median(alone) * 1000, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    n, e, alone, rows = run()
    print(f"mlp {n} nodes {e} edges: path {alone:.1f} ms")
    for zoom, select, switch, clear, worst in rows:
        print(f"  zoom {zoom}: show {select:.1f} ms, switch {switch:.1f} ms, clear "
              f"{clear:.1f} ms (medians of 12 nodes, repaint included; worst {worst:.1f})")
    if not args.no_write:
        lines = ["## Path select", "",
                 "`benchmarks/paths.py`: path highlighting on the 20k-node MLP graph "
                 "(`layout.py`'s `mlp(2500)`) in a 1440x880 GraphView, offscreen; medians over "
                 "12 nodes spread through the graph, the view centred on each at three zooms "
                 "(1.0: readable; 0.25: edges as hairlines; 0.05: boxes as filled rectangles): "
                 "the path alone (`PathIndex.path`), then `GraphScene.show_path` with nothing "
                 "highlighted before (every item restyled), from one node's path to another's "
                 "(only what differs) and clearing, each followed by the view's repaint "
                 "(`viewport().repaint()`) and timed with it. "
                 f"Machine: {layout_bench.machine()} (shared with other jobs: load about "
                 f"{os.getloadavg()[0]:.1f}).", "",
                 f"The path alone: {alone:.1f} ms ({n} nodes, {e} edges).", "",
                 "| zoom | show + paint | switch + paint | clear + paint | worst show/switch |",
                 "| ---: | ---: | ---: | ---: | ---: |"]
        for zoom, select, switch, clear, worst in rows:
            lines.append(f"| {zoom} | {select:.1f} ms | {switch:.1f} ms | {clear:.1f} ms "
                         f"| {worst:.1f} ms |")
        replace_section("## Path select", "\n".join(lines) + "\n", ROOT / "benchmarks" /
                        "RESULTS.md")


if __name__ == "__main__":
    main()

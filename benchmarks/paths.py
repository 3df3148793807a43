"""Times selecting a node on a 20,000-node graph (path highlighting): the path itself
(gui/model/paths.py) and the scene's restyling. Run by hand: ``.venv/bin/python
benchmarks/paths.py``; writes the "Path select" section of benchmarks/RESULTS.md."""
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


def run(size: int = 2500, picks: int = 12):
    """(nodes, edges, then ms: the path alone, showing it with nothing shown before, going
    from one path to another, clearing it, and the worst of showing/switching)."""
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
    alone, select, switch, clear = [], [], [], []
    for k, node in enumerate(chosen):
        t0 = time.perf_counter()
        index.path(node)
        alone.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        scene.show_path(node)            # nothing selected before: everything restyled
        select.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        scene.show_path(chosen[(k + 1) % len(chosen)])   # another node: what differs
        switch.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        scene.show_path(None)
        clear.append(time.perf_counter() - t0)
        app.processEvents()
    ms = [statistics.median(t) * 1000 for t in (alone, select, switch, clear)]
    worst = max(select + switch) * 1000
    view.close()
    return graph.number_of_nodes(), graph.number_of_edges(), *ms, worst


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    n, e, alone, select, switch, clear, worst = run()
    print(f"mlp {n} nodes {e} edges: path {alone:.1f} ms, show {select:.1f} ms, switch "
          f"{switch:.1f} ms, clear {clear:.1f} ms (medians of 12 nodes; worst {worst:.1f})")
    if not args.no_write:
        lines = ["## Path select", "",
                 "`benchmarks/paths.py`: path highlighting on the 20k-node MLP graph "
                 "(`layout.py`'s `mlp(2500)`) in a GraphView, offscreen; medians over 12 nodes "
                 "spread through the graph: the path alone (`PathIndex.path`), "
                 "`GraphScene.show_path` with nothing highlighted before (every item restyled), "
                 "from one node's path to another's (only what differs), and clearing. "
                 f"Machine: {layout_bench.machine()} (shared with other jobs: load about "
                 f"{os.getloadavg()[0]:.0f}).", "",
                 "| graph | nodes | edges | path | show | switch | clear | worst show/switch |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                 f"| mlp | {n} | {e} | {alone:.1f} ms | {select:.1f} ms | {switch:.1f} ms "
                 f"| {clear:.1f} ms | {worst:.1f} ms |"]
        replace_section("## Path select", "\n".join(lines) + "\n", ROOT / "benchmarks" /
                        "RESULTS.md")


if __name__ == "__main__":
    main()

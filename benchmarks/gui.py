"""Times the graph view on large graphs, offscreen: time to first paint (measure boxes, layout,
build the scene, paint) and frame times while panning. Run by hand:
``.venv/bin/python benchmarks/gui.py``; writes the "GUI" section of benchmarks/RESULTS.md."""
from __future__ import annotations

import argparse
import gc
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

# model -> size parameter for about 5k nodes (the target) and 20k
SIZES = {"mlp": (layout_bench.mlp, (625, 2500)), "rnn": (layout_bench.rnn, (500,)),
         "attention": (layout_bench.attention, (40,))}


def _decorate(graph) -> None:
    """Give the synthetic nodes the shape/dtype a real run has, so boxes measure as usual."""
    for _, attrs in graph.nodes(data=True):
        if attrs.get("kind") in ("tensor", "constant"):
            attrs.setdefault("shape", (64, 64))
            attrs.setdefault("dtype", "float32")
            attrs.setdefault("is_leaf", attrs.get("role") == "leaf")


def open_graph(window, graph):
    """Everything between 'here is a graph' and its first frame on screen; returns timings."""
    from gradtrace.gui import pipeline
    from gradtrace.gui.graph_items import node_sizes
    from gradtrace.gui.model.layout import LayeredLayout
    from gradtrace.gui.model.playback import Timeline

    t0 = time.perf_counter()
    sizes = node_sizes(graph)
    t1 = time.perf_counter()
    layouter = LayeredLayout()
    layout = layouter.compute(graph, sizes=sizes)
    t2 = time.perf_counter()
    timeline = Timeline.from_graph(graph)
    doc = pipeline.GraphDocument(graph=graph, layout=layout, timeline=timeline,
                                 layouter=layouter)
    window.show_document(doc)
    t3 = time.perf_counter()
    window.graph_view.viewport().repaint()
    QApplication.processEvents()
    t4 = time.perf_counter()
    return {"measure": t1 - t0, "layout": t2 - t1, "scene": t3 - t2, "paint": t4 - t3,
            "total": t4 - t0}


def pan_frames(view, frames: int = 60, step: int = 24) -> list[float]:
    """Pan right then down by `step` pixels a frame; each frame is a synchronous repaint."""
    times = []
    h, v = view.horizontalScrollBar(), view.verticalScrollBar()
    for i in range(frames):
        bar = h if i < frames // 2 else v
        t0 = time.perf_counter()
        bar.setValue(bar.value() + step)
        view.viewport().repaint()
        times.append(time.perf_counter() - t0)
    return times


def _stats(times):
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return statistics.median(ms), p95, ms[-1]


def run(models, width=1440, height=880):
    from PySide6.QtCore import QSettings

    from gradtrace.gui.app import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path(os.environ.get("TMPDIR", "/tmp")) / "gradtrace-bench.ini"),
                         QSettings.Format.IniFormat)
    settings.clear()
    rows = []
    for name in models:
        make, params = SIZES[name]
        for param in params:
            graph = make(param)
            _decorate(graph)
            window = MainWindow(settings, viewer=True)
            window.resize(width, height)
            window.show()
            app.processEvents()
            t = open_graph(window, graph)
            view = window.graph_view
            view.fit_to_view()          # the whole graph on screen: every item painted
            app.processEvents()
            fit = view.zoom()
            pan_fit = _stats(pan_frames(view))
            view.zoom_by(1.0 / view.zoom())
            view.center_on_node(next(iter(graph.nodes)))
            app.processEvents()
            pan_one = _stats(pan_frames(view))
            row = (name, graph.number_of_nodes(), graph.number_of_edges(), t, fit, pan_fit,
                   pan_one)
            rows.append(row)
            print(f"{name:9s} {row[1]:6d} nodes: first paint {t['total'] * 1000:7.0f} ms "
                  f"(boxes {t['measure'] * 1000:.0f}, layout {t['layout'] * 1000:.0f}, "
                  f"scene {t['scene'] * 1000:.0f}, paint {t['paint'] * 1000:.0f}); "
                  f"pan, whole graph at zoom {fit:.3f}: median {pan_fit[0]:.1f} ms p95 {pan_fit[1]:.1f}; "
                  f"pan at zoom 1: median {pan_one[0]:.1f} ms p95 {pan_one[1]:.1f}", flush=True)
            window.close()
            window.graph_view.graph_scene.clear()
            window.deleteLater()
            del window, view
            app.processEvents()
            gc.collect()
    return rows


def write_results(rows, path=ROOT / "benchmarks" / "RESULTS.md"):
    """Replace (or add) the "## GUI" section of RESULTS.md, leaving other sections alone."""
    lines = ["## GUI", "",
             "`benchmarks/gui.py`: a 1440×880 viewer window, Qt's offscreen platform (software "
             "raster, no GPU), PySide6 " + _pyside() + f". Machine: {layout_bench.machine()}.",
             "First paint = measure boxes + `LayeredLayout.compute` + build the scene + the first "
             "synchronous repaint. Pan = 60 frames of 24 px scrolling, each a synchronous "
             "repaint; ms per frame as median / p95 / max.", "",
             "| graph | nodes | edges | first paint | of which layout | scene | paint "
             "| pan, whole graph in view | pan, zoom 1 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for name, n, e, t, fit, pf, p1 in rows:
        lines.append(f"| {name} | {n} | {e} | {t['total'] * 1000:.0f} ms | "
                     f"{t['layout'] * 1000:.0f} ms | {t['scene'] * 1000:.0f} ms | "
                     f"{t['paint'] * 1000:.0f} ms | {pf[0]:.1f} / {pf[1]:.1f} / {pf[2]:.1f} "
                     f"(zoom {fit:.3f}) | {p1[0]:.1f} / {p1[1]:.1f} / {p1[2]:.1f} |")
    replace_section("## GUI", "\n".join(lines) + "\n", path)


def _pyside() -> str:
    import PySide6
    return PySide6.__version__


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", nargs="*", default=list(SIZES))
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    rows = run(args.models)
    if not args.no_write:
        write_results(rows)


if __name__ == "__main__":
    main()

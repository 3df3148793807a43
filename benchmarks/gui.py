"""Times the graph view on large graphs (up to 100,000 nodes), offscreen: first paint, the
longest event-loop gap, pan/zoom frames at several zooms, a backward step, memory; F5 to drawn
on a 20,000-node script. Run by hand:
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
from PySide6.QtCore import QEvent, QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from results_file import read_section, replace_section  # noqa: E402

_spec = importlib.util.spec_from_file_location("layout_bench", ROOT / "benchmarks" / "layout.py")
layout_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(layout_bench)

# model -> size parameter for about 5k nodes (the target) and 20k
SIZES = {"mlp": (layout_bench.mlp, (625, 2500, 12500)), "rnn": (layout_bench.rnn, (2000,)),
         "attention": (layout_bench.attention, (160,))}


def _decorate(graph) -> None:
    """Give the synthetic nodes the shape/dtype a real run has, so boxes measure as usual."""
    for _, attrs in graph.nodes(data=True):
        if attrs.get("kind") in ("tensor", "constant"):
            attrs.setdefault("shape", (64, 64))
            attrs.setdefault("dtype", "float32")
            attrs.setdefault("is_leaf", attrs.get("role") == "leaf")


class LoopGaps:
    """The longest gap between event-loop turns: a zero timer notes when it runs; a gap is the
    time the loop was blocked (building, laying out, painting)."""

    def __init__(self):
        from PySide6.QtCore import QTimer
        self.last = None
        self.longest = 0.0
        self._timer = QTimer()
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)

    def _tick(self):
        now = time.perf_counter()
        if self.last is not None:
            self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self):
        self.last, self.longest = None, 0.0
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        return self.longest


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def _trim() -> None:
    """Give the C heap's free memory back to the system (glibc's malloc_trim), so that the
    resident size counts what is in use: the previous case's window, freed, leaves its
    pages resident in malloc's free lists, and the next graph's scene reuses them without
    growing the resident size (attention read 0 MB after the RNN's case was freed). Not
    glibc (no malloc_trim): nothing."""
    import ctypes
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def open_graph(window, graph):
    """Everything between 'here is a graph' and its first frame on screen; returns timings.
    First paint is from the layout's end to the first frame (the scene builds in slices
    between event-loop turns; `gaps` is the longest the loop waited); `built` is until the
    background work (trunks, labels) is done too."""
    from gradtrace.gui import pipeline
    from gradtrace.gui.graph_items import node_sizes
    from gradtrace.gui.model.graph import collector_paused
    from gradtrace.gui.model.playback import Timeline

    app = QApplication.instance()
    gc.collect()
    _trim()
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    node_sizes(graph)   # (kept by size key: place measures again at once)
    t1 = time.perf_counter()
    # what a job of the app does off the GUI thread: the layout with its frames and group
    # tree, the document kept out of the collector's sight when big (pipeline.lay_out)
    graph, layouter, layout = pipeline.place(graph)
    with collector_paused(keep=graph.number_of_nodes() >= pipeline.KEEP_NODES):
        timeline = Timeline.from_graph(graph)
    t2 = time.perf_counter()
    doc = pipeline.GraphDocument(graph=graph, layout=layout, timeline=timeline,
                                 layouter=layouter)
    gaps = LoopGaps()
    gaps.start()
    window.show_document(doc)
    scene = window.graph_view.graph_scene
    while not scene.drawable:
        app.processEvents()
    t3 = time.perf_counter()
    window.graph_view.viewport().repaint()
    app.processEvents()
    t4 = time.perf_counter()
    while scene.building:
        app.processEvents()
    t5 = time.perf_counter()
    longest = gaps.stop()
    gc.collect()
    _trim()   # (as before the baseline: what is freed does not count, on either side)
    return {"measure": t1 - t0, "layout": t2 - t1, "scene": t3 - t2, "paint": t4 - t3,
            "first_paint": t4 - t2, "built": t5 - t2, "gap": longest,
            "memory": _rss_mb() - rss0}


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


def zoom_frames(view, frames: int = 40) -> list[float]:
    """Zoom in and out by wheel-sized steps about the centre; each a synchronous repaint."""
    times = []
    for i in range(frames):
        factor = 1.1 if (i // 10) % 2 == 0 else 1 / 1.1
        t0 = time.perf_counter()
        view.zoom_by(factor, view.viewport().rect().center().toPointF())
        view.viewport().repaint()
        times.append(time.perf_counter() - t0)
    return times


def _set_zoom(view, zoom: float, graph) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QTransform

    scene = view.graph_scene
    rect = scene.graph_rect()
    if zoom <= 0:   # the whole graph in view
        vp = view.viewport().rect()
        zoom = min(vp.width() / rect.width(), vp.height() / rect.height())
    margin = max(view.viewport().width(), view.viewport().height()) / zoom
    view.setSceneRect(QRectF(rect).adjusted(-margin, -margin, margin, margin))
    view.setTransform(QTransform.fromScale(zoom, zoom))
    first = next(iter(graph.nodes))
    view.centerOn(scene.nodes[first].pos() if zoom > 0.1 else rect.center())
    QApplication.processEvents()


def backward_timeline(graph):
    """The graph's `Timeline` with one backward call, as a run records it: every function node
    run once, newest first, each sending a 64x64 gradient (statistics only, norms 1 to 7) to
    every input; returns the timeline and the entry index of the call's first step."""
    from gradtrace.gui.model.playback import Timeline
    from gradtrace.gui.model.recording import CallRecording, StepRecording, ValueStats

    fns = [n for n, a in graph.nodes(data=True) if a.get("kind") == "function"]
    stats = [ValueStats((64, 64), "float32", 4096, 0, norm=1.0 + k) for k in range(7)]
    steps, k = [], 0
    for node in reversed(fns):
        inputs = list(graph.predecessors(node))
        graph.nodes[node]["inputs"] = inputs
        steps.append(StepRecording(node, graph.nodes[node].get("op") or "Backward0",
                                   (stats[k % 7],),
                                   tuple(stats[(k + m) % 7] for m in range(len(inputs)))))
        k += 1
    timeline = Timeline.from_graph(graph)
    first = timeline.add_call(CallRecording(None, "backward", steps)).start
    return timeline, first


def step_frames(window, graph, frames: int = 40, steps: int = 30
                ) -> tuple[list[float], float, list[float]]:
    """A backward step in the middle of the graph's backward call (`backward_timeline`):
    apply it after the graph's end state (a jump: half the nodes restyled; its time
    returned), then the `steps` steps after it, each timed from asking the timeline for its
    state to the scene repainted (the active node moves one on, the view follows it: what
    playing does), then the pulse animation's frames, each a value of the pulse and the
    repaint it asks for."""
    view, scene = window.graph_view, window.graph_view.graph_scene
    timeline, first = backward_timeline(graph)
    middle = first + (len(timeline) - first) // 2
    jump = timeline.state_at(middle)
    view.center_on_node(jump.active)
    QApplication.processEvents()
    t0 = time.perf_counter()
    scene.apply_state(jump, animate=True)
    view.follow(jump.active)
    QApplication.processEvents()
    applied_jump = time.perf_counter() - t0
    applied_steps = []
    for k in range(1, steps + 1):
        t0 = time.perf_counter()
        step = timeline.state_at(middle + k)
        scene.apply_state(step, animate=True)
        view.follow(step.active)
        QApplication.processEvents()
        applied_steps.append(time.perf_counter() - t0)
        scene._pulse.stop()
    times = []
    for i in range(frames):
        t0 = time.perf_counter()
        scene._on_pulse_value(i / frames)
        QApplication.processEvents()
        times.append(time.perf_counter() - t0)
    return times, applied_jump, applied_steps


def _stats(times):
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return statistics.median(ms), p95, ms[-1]


ZOOMS = (0.0, 0.05, 0.2, 0.6, 1.0)   # 0: the whole graph in view


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
            pans = {}
            for zoom in ZOOMS:
                _set_zoom(view, zoom, graph)
                pans[zoom] = (view.zoom(), _stats(pan_frames(view)), _stats(zoom_frames(view)))
            frames, apply, apply_steps = step_frames(window, graph)
            step, apply_step = _stats(frames), _stats(apply_steps)
            row = (name, graph.number_of_nodes(), graph.number_of_edges(), t, pans, step, apply,
                   apply_step)
            rows.append(row)
            print(f"{name:9s} {row[1]:6d} nodes: first paint {t['first_paint'] * 1000:6.0f} ms "
                  f"(scene {t['scene'] * 1000:.0f}, paint {t['paint'] * 1000:.0f}; layout "
                  f"{t['layout'] * 1000:.0f}, boxes {t['measure'] * 1000:.0f}), all built "
                  f"{t['built'] * 1000:.0f} ms, longest loop gap {t['gap'] * 1000:.0f} ms, "
                  f"memory {t['memory']:.0f} MB", flush=True)
            for z, pan, zm in pans.values():
                print(f"    zoom {z:.3f}: pan median {pan[0]:.1f} p95 {pan[1]:.1f} ms; "
                      f"zoom median {zm[0]:.1f} p95 {zm[1]:.1f} ms", flush=True)
            print(f"    backward step: apply after a jump {apply * 1000:.0f} ms, the next "
                  f"steps median {apply_step[0]:.1f} p95 {apply_step[1]:.1f} ms, pulse frame "
                  f"median {step[0]:.1f} p95 {step[1]:.1f} ms; load "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
            window.close()
            window.graph_view.graph_scene.clear()
            window.deleteLater()
            del window, view
            app.processEvents()
            # (no event loop runs here: the deletion happens only when asked for; until then
            # the window lived on with its graph, and later cases and F5 ran beside them all)
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            gc.unfreeze()   # what the scene froze once drawn: gone before the next case
            gc.collect()
    return rows


SCRIPT_20K = """import torch
x = torch.randn(4, 4, requires_grad=True)
h = x
for i in range(4000):
    h = torch.tanh(h * 0.5 + 0.1)
loss = h.sum()
loss.backward()
"""


def f5_to_drawn(width=1440, height=880, runs=3):
    """F5 on a script whose graph has about 20,000 nodes, to its graph drawn, `runs` times in
    one window (the warm spare process waited for before each, and the graph the last run
    replaced freed, as they are when a user presses F5 seconds after the last run); the
    longest gap between event-loop turns meanwhile (run, layout and build included). Medians
    over the runs, the longest gap of all."""
    from PySide6.QtCore import QSettings

    from gradtrace.gui.app import MainWindow
    from gradtrace.gui.model import child

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path(os.environ.get("TMPDIR", "/tmp")) / "gradtrace-bench.ini"),
                         QSettings.Format.IniFormat)
    settings.clear()
    window = MainWindow(settings)
    window.resize(width, height)
    window.show()
    window.script_panel.set_text(SCRIPT_20K)
    app.processEvents()
    done = []
    window.documentReady.connect(done.append)
    scene = window.graph_view.graph_scene
    gaps = LoopGaps()
    drawns, results, longests, run_gaps = [], [], [], []
    for _ in range(runs):
        child.warm_up("gradtrace", background=False)
        end = time.perf_counter() + 5.0   # the graph replaced last time freed meanwhile too
        while window.trash.pending and time.perf_counter() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        done.clear()
        gaps.start()
        t0 = time.perf_counter()
        window.run_script(restart=True)
        while not done:
            app.processEvents()
        results.append(time.perf_counter() - t0)
        run_gaps.append(gaps.longest)
        while not scene.drawable:
            app.processEvents()
        window.graph_view.viewport().repaint()
        app.processEvents()
        drawns.append(time.perf_counter() - t0)
        while scene.building:
            app.processEvents()
        longests.append(gaps.stop())
        print(f"F5 -> drawn, {len(scene.nodes)} nodes: {drawns[-1] * 1000:.0f} ms (run + layout "
              f"on the worker {results[-1] * 1000:.0f} ms, then drawn in "
              f"{(drawns[-1] - results[-1]) * 1000:.0f} ms); longest loop gap "
              f"{longests[-1] * 1000:.0f} ms (during the run {run_gaps[-1] * 1000:.0f} ms)",
              flush=True)
    nodes = len(scene.nodes)
    drawn, result = statistics.median(drawns), statistics.median(results)
    steps = window_steps(window)
    print(f"    median of {runs}: {drawn * 1000:.0f} ms; a backward step in the window (player, "
          f"scene, inspector, editor): median {steps[0]:.1f} p95 {steps[1]:.1f} ms", flush=True)
    window.close()
    return nodes, drawn, max(longests), result, max(run_gaps), steps, runs


def window_steps(window, count: int = 30):
    """Step forward `count` times from the middle of the backward steps, each step until the
    window has applied it (the player's state, the scene, the inspector, the editor's mark)
    and repainted the graph; median / p95 / max in ms."""
    app = QApplication.instance()
    player = window.player_widget
    entries = window.document.timeline.entries
    back = [i for i, e in enumerate(entries) if getattr(e, "kind", None) == "backward"]
    player.seek(back[len(back) // 2])
    app.processEvents()
    times = []
    for _ in range(count):
        t0 = time.perf_counter()
        player.step_forward()
        window.graph_view.viewport().repaint()
        app.processEvents()
        times.append(time.perf_counter() - t0)
    return _stats(times)


BEFORE = """Before lane speed's work (the batched drawing as it was; same machine, this file's
earlier version, load 5-9): first paint 20k MLP 957 ms (699 + 258), 100k MLP 7258 ms
(5816 + 1443), RNN 5453 ms, attention 985 ms; longest loop gap 583 / 5820 / 3252 / 462 ms;
memory 205 MB at 20k, 1070 MB at 100k; applying a backward step on the 20k MLP 305 ms (every
node restyled); F5 to drawn 4391 ms (run and layout 3884 ms, drawing 507 ms).
Before that (one QGraphicsItem per node, edge and label): 20,004-node MLP first paint 3147 ms
(of which scene 2266 ms, paint 491 ms), pan with the whole graph in view 33.0 / 56.3 ms, pan
at zoom 1 2.5 / 3.1 ms; F5 to drawn for a 20,000-node script about 5 s with the window blocked
up to 2.9 s while the scene was built."""


INTRO_START = "`benchmarks/gui.py`: a 1440"   # how the generated paragraphs begin
TABLE_START = "| graph |"
F5_START = "F5 to drawn, a "


def _paragraphs(body: str) -> list[str]:
    return [p.strip("\n") for p in body.split("\n\n") if p.strip()]


def write_results(rows, f5=None, path=ROOT / "benchmarks" / "RESULTS.md"):
    """Replace (or add) the "## GUI" section of RESULTS.md, leaving other sections alone.
    What this run did not measure stays as it was: the table when ``rows`` is empty (no
    ``--models``), the F5 paragraph when ``f5`` is None (``--no-f5``); the notes written by
    hand in the section (every other paragraph) stay too, below the generated ones."""
    old = _paragraphs(read_section("## GUI", path))
    old_table = old_f5 = None
    notes = []
    for k, para in enumerate(old):
        if para.startswith(INTRO_START) or para.startswith(BEFORE[:40]):
            continue
        if para.startswith(TABLE_START) and k > 0 and old[k - 1].startswith(INTRO_START):
            old_table = para
        elif para.startswith(F5_START) and old_f5 is None:
            old_f5 = para
        else:
            notes.append(para)
    intro = ("`benchmarks/gui.py`: a 1440×880 viewer window, Qt's offscreen platform (software "
             "raster, no GPU), PySide6 " + _pyside() + f". Machine: {layout_bench.machine()}, "
             "shared with six other engineers' test runs (load average 5 to 9 on 2 CPUs: "
             "times are inflated and noisy).\n"
             "First paint = from the layout's end to the first frame (building the scene's "
             "tiles between event-loop turns + the first synchronous repaint); all built = the "
             "background work too (group frames, shared trunks, edge labels); loop gap = the "
             "longest the event loop waited meanwhile. Pan = 60 frames of 24 px scrolling, zoom "
             "= 40 wheel steps of 1.1×, each a synchronous repaint; pulse = one frame of a "
             "backward step's animation; the next 30 steps = each step after the jump applied, "
             "followed and repainted; ms per frame as median / p95. Memory = growth of the "
             "process's resident size from the graph to the graph drawn, each side measured "
             "after a collection and glibc's malloc_trim(0) (the previous case's freed window "
             "otherwise stays resident in malloc's free lists and the next scene reuses it "
             "unseen: attention read 0 MB after the RNN); Python's own arenas and Qt's "
             "pixmap cache count as resident.")
    table = ["| graph | nodes | edges | first paint (scene + paint) | all built | loop gap "
             "| memory | pan / zoom, whole graph | pan / zoom, 0.05 | pan / zoom, 0.2 "
             "| pan / zoom, 0.6 | pan / zoom, 1 | step: apply a jump, the next 30 steps, pulse "
             "frame |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- "
             "| --- |"]
    for name, n, e, t, pans, step, apply, apply_step in rows:
        cells = []
        for z, pan, zm in pans.values():
            cells.append(f"{pan[0]:.1f} / {pan[1]:.1f}; {zm[0]:.1f} / {zm[1]:.1f}"
                         + (f" (zoom {z:.4f})" if z < 0.05 else ""))
        table.append(f"| {name} | {n} | {e} | {t['first_paint'] * 1000:.0f} ms "
                     f"({t['scene'] * 1000:.0f} + {t['paint'] * 1000:.0f}) | "
                     f"{t['built'] * 1000:.0f} ms | {t['gap'] * 1000:.0f} ms | "
                     f"{t['memory']:.0f} MB | " + " | ".join(cells) +
                     f" | {apply * 1000:.0f} ms, {apply_step[0]:.1f} / {apply_step[1]:.1f}, "
                     f"{step[0]:.1f} / {step[1]:.1f} |")
    parts = ["## GUI", intro]
    if rows or old_table is None:
        parts.append("\n".join(table))
    else:
        parts.append(old_table)
    if f5 is not None:
        parts.append(_f5_paragraph(f5))
    elif old_f5 is not None:
        parts.append(old_f5)
    parts += notes + [BEFORE]
    replace_section("## GUI", "\n\n".join(parts) + "\n", path)


def _f5_paragraph(f5) -> str:
    nodes, drawn, longest, result, run_gap, steps, runs = f5
    return (f"F5 to drawn, a {nodes}-node script (`SCRIPT_20K`: 4,000 loop turns of "
            f"tanh, then backward, in the normal app window; median of {runs} runs, the "
            "warm spare process and the freeing of the graph replaced waited for before "
            "each; the load average at the end "
            f"{os.getloadavg()[0]:.1f}): "
            f"{drawn * 1000:.0f} ms, of "
            f"which the run and layout on the worker thread {result * 1000:.0f} ms and "
            f"drawing after it {(drawn - result) * 1000:.0f} ms. Longest event-loop gap "
            f"of all the runs {longest * 1000:.0f} ms, {run_gap * 1000:.0f} ms of it "
            "before the document was ready. A backward step in that window "
            "(30 steps from the middle of the backward pass, each until the player, "
            "scene, inspector and editor have shown it and the graph is repainted): "
            f"median {steps[0]:.1f} ms, p95 {steps[1]:.1f} ms.")


def _pyside() -> str:
    import PySide6
    return PySide6.__version__


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", nargs="*", default=list(SIZES))
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--no-f5", action="store_true", help="leave out F5 on a 20k script")
    args = parser.parse_args()
    rows = run(args.models)
    f5 = None if args.no_f5 else f5_to_drawn()
    if not args.no_write:
        write_results(rows, f5)


if __name__ == "__main__":
    main()

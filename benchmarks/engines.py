"""Run to drawn graph on each engine, through the window's own run path offscreen (F5: the run,
its graph, the recording, the layout, the scene's first paint), and the recording's size on
disk; by hand: `python benchmarks/engines.py` writes the "## Engines" section of RESULTS.md."""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.recording import _cpu_name, _kib, chain_script  # noqa: E402
from benchmarks.results_file import replace_section  # noqa: E402

CASES = [("tutorial", (ROOT / "resources" / "examples" / "tutorial.py").read_text(), 7),
         ("tanh chain (about 5,000 nodes)", chain_script(1000, 16), 6)]
ENGINES = ("gradtrace", "torch")


def run_to_drawn(window, app, source: str) -> tuple[float, object]:
    """Seconds from F5 to the graph's first paint, and the document."""
    window.script_panel.set_text(source)
    app.processEvents()
    done = []
    window.documentReady.connect(done.append)
    scene = window.graph_view.graph_scene
    t0 = time.perf_counter()
    window.run_script(restart=True)
    while not done:
        app.processEvents()
    while not scene.drawable:
        app.processEvents()
    window.graph_view.viewport().repaint()
    app.processEvents()
    elapsed = time.perf_counter() - t0
    window.documentReady.disconnect(done.append)
    while scene.building:   # the rest of a big graph's build: not part of the first paint
        app.processEvents()
    return elapsed, done[0]


def measure(engine: str, name: str, source: str, repeat: int, tmp: Path,
            in_child: bool = True) -> dict:
    from gradtrace.gui.app import MainWindow
    from gradtrace.gui.model.recording import save
    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(tmp / f"{engine}.ini"), QSettings.Format.IniFormat)
    settings.clear()
    settings.setValue("tour/offer_dismissed", True)
    window = MainWindow(settings)
    window.resize(1440, 880)
    window.show()
    window.ask_run_unsandboxed = lambda: True
    window.set_engine(engine)
    window.in_child = in_child
    times, doc = [], None
    for _ in range(repeat):
        if in_child:   # F5 as a user presses it: the spare process is ready by then
            from gradtrace.gui.model import child
            child.warm_up(engine, background=False)
        elapsed, doc = run_to_drawn(window, app, source)
        if doc.error is not None:
            raise SystemExit(f"{name} on {engine}: {doc.error}")
        times.append(elapsed)
    path = tmp / f"{engine}-{len(source)}.gtrace"
    save(doc.recording, path)
    steps = sum(len(c.steps) for c in doc.recording.calls)
    window.close()
    return {"engine": engine, "name": name, "nodes": doc.graph.number_of_nodes(),
            "steps": steps, "first": times[0], "median": statistics.median(times[1:] or times),
            "runs": len(times), "size": path.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print, leave RESULTS.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, source, repeat in CASES:
            for engine in ENGINES:
                row = measure(engine, name, source, repeat, Path(folder))
                local = measure(engine, name, source, repeat, Path(folder), in_child=False)
                row["local_first"], row["local_median"] = local["first"], local["median"]
                rows.append(row)
                print(f"in process: first {local['first'] * 1e3:7.0f} ms, median "
                      f"{local['median'] * 1e3:7.0f} ms", flush=True)
                print(f"{name:32s} {engine:9s} {row['nodes']:6d} nodes {row['steps']:5d} "
                      f"steps: first {row['first'] * 1e3:7.0f} ms, median of the next "
                      f"{row['runs'] - 1} {row['median'] * 1e3:7.0f} ms, "
                      f"file {_kib(row['size'])}", flush=True)
    import numpy as np
    import torch
    by = {(r["name"], r["engine"]): r for r in rows}
    lines = ["## Engines", "",
             "`benchmarks/engines.py`: F5 to the graph's first paint in a 1440×880 window "
             "(Qt's offscreen platform), through the window's own run path, on each engine (the "
             "PyTorch engine's not-sandboxed question answered): the run, the graph and the "
             "recording in the run's child process (`gui/model/child.py`, as the window runs "
             "scripts; \"in process\" is the same with `MainWindow.in_child = False`), then the "
             "layout, the scene and its first synchronous repaint here. \"first\" is a new "
             "window's first run, \"median\" the median of the runs after it; before each run in a "
             "child the warm spare process (engine imported) is waited for, as it is there when "
             "a user presses F5 seconds after the last run (back to back, a PyTorch run waits "
             "for the spare's torch import: 3-17 s per run seen on this loaded machine). The file is the "
             "run's `.gtrace` recording (saved tensors and every step's gradients). Machine: "
             f"{platform.machine()}, {os.cpu_count()} CPUs (os.cpu_count), {_cpu_name()}, "
             f"Python {platform.python_version()}, numpy {np.__version__}, torch "
             f"{torch.__version__}; shared with other jobs while measured (load average "
             f"{os.getloadavg()[0]:.1f} at the end; runs of this script minutes apart "
             "differed by up to 2x), one run of this script.", "",
             "| script | engine | nodes | backward steps | child: first | child: median (runs) | "
             "in process: first | in process: median | PyTorch / gradtrace (child median) | "
             "recording on disk |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        base = by[(r["name"], "gradtrace")]["median"]
        ratio = f"{r['median'] / base:.2f}" if r["engine"] == "torch" else "1"
        lines.append(f"| {r['name']} | {'PyTorch' if r['engine'] == 'torch' else 'gradtrace'} | "
                     f"{r['nodes']} | {r['steps']} | {r['first'] * 1e3:.0f} ms | "
                     f"{r['median'] * 1e3:.0f} ms ({r['runs'] - 1}) | "
                     f"{r['local_first'] * 1e3:.0f} ms | {r['local_median'] * 1e3:.0f} ms | "
                     f"{ratio} | {_kib(r['size'])} |")
    section = "\n".join(lines) + "\n"
    print(section)
    if not args.no_write:
        replace_section("## Engines", section)


if __name__ == "__main__":
    main()

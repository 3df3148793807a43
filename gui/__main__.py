"""Command line: `gradtrace [--engine E] [--lang L] [SCRIPT | X.gtrace]` opens the window;
`gradtrace render SCRIPT|X.gtrace -o FILE [--step K|end] [--direction LR|TB] [--engine E] [--lang
L]` writes the graph (to a .gtrace FILE: the run's recording) headless (exit 1 when the script
failed); `gradtrace compare SCRIPT` runs it on both engines and reports the differences."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

LANG_CHOICES = ("en", "zh_CN", "zh_TW")


def N(context: str, text: str) -> str:   # noqa: N802 - QT_TRANSLATE_NOOP, as lupdate reads it
    """Marks `text` for translation (pyside6-lupdate) without importing Qt."""
    return text


ENGINE_HELP = N("CommandLine", "the engine the script runs on: gradtrace (sandboxed, the "
                               "default) or torch (real PyTorch, not sandboxed: it runs as "
                               "`python SCRIPT` would)")


WINDOW_ENGINE_HELP = N("CommandLine", "the engine the script runs on, selected in the toolbar: "
                                      "gradtrace (sandboxed) or torch (real PyTorch, not "
                                      "sandboxed: it runs as `python SCRIPT` would); without it, "
                                      "the engine chosen last time")


def translate(context: str, text: str) -> str:
    """QCoreApplication.translate once an application exists (`_start_qt`), else `text`."""
    from PySide6.QtCore import QCoreApplication
    return QCoreApplication.translate(context, text) if QCoreApplication.instance() else text


def _usage() -> str:
    return translate("CommandLine", """gradtrace [--engine gradtrace|torch] [--lang en|zh_CN|zh_TW] [SCRIPT]
                                   open the visual debugger (the tutorial when no SCRIPT)
gradtrace X.gtrace                 open a saved recording (read-only)
gradtrace render SCRIPT -o FILE    write the graph as PNG, SVG, DOT or JSON (by FILE's suffix),
                                   or the run's recording (FILE.gtrace)
gradtrace render X.gtrace -o FILE  draw a saved recording's graph
              [--step K|end]       ... as it is after K playback steps (default: the whole run)
              [--direction TB|LR]  ... laid out top-to-bottom or left-to-right
              [--engine torch]     ... run on real PyTorch (not sandboxed) instead
              [--lang en|zh_CN|zh_TW]  ... its legend in that language
gradtrace compare SCRIPT           run SCRIPT on both engines, report where they differ""")


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help with its "usage: " in the user's language."""

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:
            prefix = translate("CommandLine", "usage: ")
        super().add_usage(usage, actions, groups, prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own words (usage, the groups' titles, -h) are translated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, add_help=False, formatter_class=_HelpFormatter, **kwargs)
        self._positionals.title = translate("CommandLine", "positional arguments")
        self._optionals.title = translate("CommandLine", "options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=translate("CommandLine", "show this help message and exit"))


def _lang_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=LANG_CHOICES, default=None,
                   help=translate("CommandLine", "the language (default: the one chosen in "
                                  "View > Language, else the system's)"))


def _render_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gradtrace render", description=translate(
        "CommandLine", "Run SCRIPT (or read a .gtrace recording) headless and write its graph "
        "or its recording."))
    p.add_argument("script", help=translate("CommandLine", "the Python script to run, or a "
                                            ".gtrace recording"))
    p.add_argument("-o", "--output", required=True,
                   help=translate("CommandLine", "output file: .png, .svg, .dot, .json, or "
                                  ".gtrace (the run's recording)"))
    p.add_argument("--step", default=None,
                   help=translate("CommandLine", "playback step K (0-based) or 'end'; K past "
                                  "the end gives the end"))
    p.add_argument("--direction", choices=("TB", "LR"), default="TB",
                   help=translate("CommandLine", "top to bottom (the default) or left to right"))
    p.add_argument("--dark", action="store_true",
                   help=translate("CommandLine", "use the dark theme"))
    p.add_argument("--engine", choices=("gradtrace", "torch"), default="gradtrace",
                   help=translate("CommandLine", ENGINE_HELP))
    _lang_argument(p)
    return p


def _open_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gradtrace", usage=_usage(), description=translate(
        "CommandLine", "A visual debugger for automatic differentiation."))
    p.add_argument("script", nargs="?", help=translate("CommandLine", "a Python script or a "
                                                       ".gtrace recording to open"))
    p.add_argument("--engine", choices=("gradtrace", "torch"), default=None,
                   help=translate("CommandLine", WINDOW_ENGINE_HELP))
    _lang_argument(p)
    return p


def _engine_problem(engine: str) -> str | None:
    """Why ``engine`` cannot run here (torch missing, with how to install it), or None."""
    if engine != "torch":
        return None
    from .pipeline import torch_status
    available, why = torch_status()
    return None if available else why


def _lang_in(argv: list[str]) -> str | None:
    """The --lang value in `argv` (before argparse, whose help texts it translates)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _install_language(lang: str | None) -> None:
    """The language for this run: `lang` (--lang), else the one the settings remember."""
    from .i18n import install
    from .settings import AppSettings
    try:
        install(lang if lang in LANG_CHOICES else AppSettings().language)
    except (ValueError, FileNotFoundError) as exc:
        print(f"gradtrace: {exc}", file=sys.stderr)


def render(argv: list[str]) -> int:
    """`gradtrace render`: returns the exit status (0 only when the whole script ran)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "gradtrace"])
    _install_language(_lang_in(argv))
    from .fonts import ensure_chinese_font
    ensure_chinese_font()   # the legend in Chinese needs a font that has hanzi
    args = _render_parser().parse_args(argv)
    suffix = Path(args.output).suffix.lower()
    if suffix not in (".png", ".svg", ".dot", ".gv", ".json", ".gtrace"):
        print(translate("CommandLine", "gradtrace render: unknown output format {suffix} (use "
                        ".png, .svg, .dot, .json or .gtrace)").format(suffix=repr(suffix)),
              file=sys.stderr)
        return 2
    from . import pipeline
    if Path(args.script).suffix.lower() == ".gtrace":
        return _render_recording(args, suffix)
    problem = _engine_problem(args.engine)
    if problem is not None:
        print(translate("CommandLine", "gradtrace render: the PyTorch engine cannot run: "
                        "{reason}").format(reason=problem), file=sys.stderr)
        return 2
    from .model.script_text import ScriptDecodeError, read_script
    try:
        source = read_script(args.script)
    except OSError as exc:
        print(translate("CommandLine", "gradtrace render: cannot read {script}: {reason}").format(
            script=args.script, reason=exc.strerror or exc), file=sys.stderr)
        return 2
    except ScriptDecodeError as exc:
        print(translate("CommandLine", "gradtrace render: cannot read {reason}").format(
            reason=exc), file=sys.stderr)
        return 2
    if suffix == ".gtrace":   # the run's recording, nothing drawn
        from .model import child
        from .model.recording import save
        run = child.run_script(source, engine=args.engine)   # in its own process
        run.close()
        if run.stopped:   # the run's process died or was stopped at a limit: nothing to save
            print(f"{args.script}: {run.error}", file=sys.stderr)
            return 1
        try:
            save(run.recording, args.output)
        except (OSError, TypeError) as exc:
            print(translate("CommandLine", "gradtrace render: could not write {output}: "
                            "{reason}").format(output=args.output, reason=exc), file=sys.stderr)
            return 2
        if run.error is not None:
            print(f"{args.script}: {run.error}", file=sys.stderr)
            return 1
        return 0
    doc = pipeline.run_script(source, direction=args.direction, include_saved=True,
                              engine=args.engine, child=True)
    pipeline.release(doc, None)   # the drawing needs only the recording
    if doc.extras.get("stopped"):   # the run's process died: nothing ran to draw
        print(f"{args.script}: {doc.error}", file=sys.stderr)
        return 1
    status = _draw(doc, args)
    del app
    return status


def _render_recording(args, suffix: str) -> int:
    """`gradtrace render X.gtrace -o FILE`: draw the recording's graph."""
    from . import pipeline
    from .model.recording import RecordingError
    if suffix == ".gtrace":
        print(translate("CommandLine", "gradtrace render: the input is already a recording; "
                        "write a .png, .svg, .dot or .json from it"), file=sys.stderr)
        return 2
    try:
        doc = pipeline.open_recording(args.script, direction=args.direction)
    except OSError as exc:
        print(translate("CommandLine", "gradtrace render: cannot read {script}: {reason}").format(
            script=args.script, reason=exc.strerror or exc), file=sys.stderr)
        return 2
    except RecordingError as exc:
        print(translate("CommandLine", "gradtrace render: cannot read {reason}").format(
            reason=exc), file=sys.stderr)
        return 2
    return _draw(doc, args)


def _draw(doc, args) -> int:
    """Write `doc`'s graph as it is at `args.step` to `args.output`; the exit status."""
    from .graph_scene import GraphScene
    from .render import export_graph
    from .theme import DARK, LIGHT

    scene = GraphScene(theme=DARK if args.dark else LIGHT)
    scene.set_graph(doc.graph, doc.layout)
    state = None
    timeline = doc.timeline
    if timeline is not None and len(timeline):
        last = len(timeline) - 1
        if args.step is None or str(args.step).lower() == "end":
            index = last
        else:
            try:
                index = int(args.step)
            except ValueError:
                print(translate("CommandLine", "gradtrace render: --step wants a number or "
                                "'end', not {step}").format(step=repr(args.step)),
                      file=sys.stderr)
                return 2
            index = max(0, min(index, last))
        state = timeline.state_at(index)
    scene.apply_state(state, animate=False)
    try:
        export_graph(scene, args.output, doc.graph, doc.layout, state)
    except Exception as exc:  # noqa: BLE001 - a failed write is reported, not a traceback
        print(translate("CommandLine", "gradtrace render: could not write {output}: "
                        "{reason}").format(output=args.output, reason=exc), file=sys.stderr)
        return 2
    error = doc.error
    if error is not None:
        print(f"{args.script}: {error}", file=sys.stderr)
        return 1
    return 0


def compare(argv: list[str]) -> int:
    """`gradtrace compare SCRIPT`: 0 when the engines agree and every finite-difference check
    passes, 1 when something differs, 2 when it cannot run."""
    p = argparse.ArgumentParser(prog="gradtrace compare", description=translate(
        "CommandLine", "Run SCRIPT on gradtrace's engine and on PyTorch and report, node by "
        "node, where names, values and gradients differ, with a float64 finite-difference "
        "check of the leaves' gradients on each engine. PyTorch runs the script unsandboxed."))
    p.add_argument("script", help=translate("CommandLine", "the Python script to run"))
    p.add_argument("--no-finite-differences", action="store_true",
                   help=translate("CommandLine", "skip the finite-difference check (it reruns "
                                  "the script per entry)"))
    p.add_argument("--samples", type=int, default=3,
                   help=translate("CommandLine", "entries of each leaf checked by finite "
                                  "differences (default 3)"))
    p.add_argument("--no-sync", action="store_true",
                   help=translate("CommandLine", "keep gradtrace's own random leaves instead "
                                  "of PyTorch's values"))
    p.add_argument("--json", action="store_true",
                   help=translate("CommandLine", "print the report as JSON (for the app's "
                                  "differences view)"))
    _lang_argument(p)
    args = p.parse_args(argv)
    app = None   # the translators' QCoreApplication, kept until the report is printed
    if not args.json:   # the report in words, in the language (--json: English sources, data)
        from PySide6.QtCore import QCoreApplication
        app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1] or ["gradtrace"])
        _install_language(args.lang)
    problem = _engine_problem("torch")
    if problem is not None:
        print(translate("CommandLine", "gradtrace compare: the PyTorch engine cannot run: "
                        "{reason}").format(reason=problem), file=sys.stderr)
        return 2
    from .model.script_text import ScriptDecodeError, read_script
    try:
        source = read_script(args.script)
    except OSError as exc:
        print(translate("CommandLine", "gradtrace compare: cannot read {script}: {reason}")
              .format(script=args.script, reason=exc.strerror or exc), file=sys.stderr)
        return 2
    except ScriptDecodeError as exc:
        print(translate("CommandLine", "gradtrace compare: cannot read {reason}").format(
            reason=exc), file=sys.stderr)
        return 2
    from .model.compare import compare_script
    result = compare_script(source, finite=not args.no_finite_differences,
                            samples=max(1, args.samples), sync_leaves=not args.no_sync)
    if args.json:
        import json
        print(json.dumps(result.as_dict()))
    else:
        print(f"{args.script}:")
        print("\n".join(result.lines()))
    del app
    return 0 if result.ok else 1


# What Qt's X11 (xcb) plugin loads besides Qt itself; without them Qt aborts the process with
# a terse message, so `gradtrace` checks first and names the Debian packages.
XCB_LIBRARIES = {"xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4",
                 "xcb-keysyms": "libxcb-keysyms1", "xcb-shape": "libxcb-shape0",
                 "xkbcommon-x11": "libxkbcommon-x11-0"}


def display_problem(environ=os.environ, find_library=None) -> str | None:
    """Why no window can open here, in words with the fix, or None when one can."""
    if environ.get("QT_QPA_PLATFORM"):
        return None  # the user chose a platform plugin; Qt reports on it itself
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        if sys.platform.startswith("linux"):
            return translate("CommandLine", "no display to open a window on (neither DISPLAY "
                             "nor WAYLAND_DISPLAY is set). Run it under a virtual screen with "
                             "`xvfb-run -a gradtrace`, or write the graph to a file with "
                             "`gradtrace render SCRIPT -o graph.png`.")
        return None
    if environ.get("WAYLAND_DISPLAY") or not sys.platform.startswith("linux"):
        return None
    if find_library is None:
        from ctypes.util import find_library
    missing = [pkg for lib, pkg in XCB_LIBRARIES.items() if find_library(lib) is None]
    if missing:
        return translate("CommandLine", "Qt's X11 plugin needs system libraries that are not "
                         "installed: {command}").format(
                             command=f"sudo apt-get install {' '.join(missing)}")
    return None


def open_window(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv):   # the help in the user's language: Qt translates it
        from PySide6.QtCore import QCoreApplication
        app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1] or ["gradtrace"])
        _install_language(_lang_in(argv))
    args = _open_parser().parse_args(argv)
    problem = _engine_problem(args.engine)
    if problem is not None:
        print(translate("CommandLine", "gradtrace: the PyTorch engine cannot run: {reason}"
                        ).format(reason=problem), file=sys.stderr)
        return 2
    problem = display_problem()
    if problem is not None:
        print(f"gradtrace: {problem}", file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1] or ["gradtrace"])
    app.setApplicationName("gradtrace")
    app.setOrganizationName("gradtrace")
    app.setApplicationDisplayName("gradtrace")
    app.setStyle("Fusion")  # draws the light and dark palettes faithfully on every desktop
    _install_language(args.lang)
    from .app import MainWindow
    window = MainWindow()
    if args.engine is not None:   # for this session; the toolbar's choice is remembered
        window.engine = args.engine
    if args.script:
        try:
            window.open_script(args.script)
        except OSError as exc:
            print(translate("CommandLine", "gradtrace: cannot open {script}: {reason}").format(
                script=args.script, reason=exc.strerror or exc), file=sys.stderr)
            return 2
        except ValueError as exc:   # ScriptDecodeError: not text in its encoding
            print(translate("CommandLine", "gradtrace: cannot open {reason}").format(reason=exc),
                  file=sys.stderr)
            return 2
    window.show()
    return app.exec()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `gradtrace` console script and `python -m gradtrace.gui`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "render":
        return render(argv[1:])
    if argv and argv[0] == "compare":
        return compare(argv[1:])
    return open_window(argv)


if __name__ == "__main__":
    sys.exit(main())

"""The chain from script text to what the views draw: run (ScriptRunner), its recording (graph,
steps: model/recording.py), layout (LayeredLayout), timeline (playback). Glue only: each link is
a model call; past the recording nothing reads the engine. A worker thread runs it for the
window, `gradtrace render` directly."""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

from .graph_items import node_sizes
from .model.graph import collector_paused, forget_views
from .model.hierarchy import group_tree
from .model.i18n import Context, translate

# the texts with plural forms (lupdate reads Pipeline.tr(text, "", n) as context Pipeline)
Pipeline = Context("Pipeline")

# from this many nodes a document is moved out of the cyclic garbage collector's sight once
# made (`model.graph.keep_from_collector`; the scene's items of such a graph are too)
KEEP_NODES = 3000


@dataclass
class GraphDocument:
    """Everything one run produced, ready to draw."""

    source: str = ""
    result: object = None          # RunResult (possibly partial); None for an opened recording
    recording: object = None       # the Recording every view reads
    graph: object = None           # networkx.DiGraph: recording.graph
    layout: object = None          # Layout
    timeline: object = None        # Timeline
    layouter: object = None        # the LayeredLayout (keeps collapsed groups)
    device: str | None = None
    session: object = None         # the ScriptSession when stepping with F10
    last_record: object = None     # the statement F10 just ran
    live: object = None            # the run's GraphIndex (its tensors): "Run backward from here"
    path: str | None = None        # the .gtrace file it was opened from
    extras: dict = field(default_factory=dict)

    @property
    def error(self):
        return getattr(self.recording if self.recording is not None else self.result,
                       "error", None)

    @property
    def ok(self) -> bool:
        return (self.result is not None or self.recording is not None) and self.error is None


def device_status() -> tuple[bool, str]:
    """(available, why not): whether scripts can run with device="cuda"."""
    try:
        from gradtrace.core import cuda  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        cuda = None
    is_available = getattr(cuda, "is_available", None)
    if is_available is None:
        return False, translate("Pipeline", "CuPy is not installed")
    try:
        if is_available():
            return True, translate("Pipeline", "Run the script on the GPU (CuPy)")
    except Exception as exc:  # noqa: BLE001
        return False, translate("Pipeline", "GPU check failed: {error}").format(error=exc)
    if importlib.util.find_spec("cupy") is None:
        return False, translate("Pipeline", "CuPy is not installed")
    return False, translate("Pipeline", "No CUDA GPU was found")


ENGINES = ("gradtrace", "torch")


def torch_status() -> tuple[bool, str]:
    """(available, why not): whether the PyTorch engine can run here (torch installed). Only
    looks for the package: the app itself never imports torch."""
    if importlib.util.find_spec("torch") is None:
        return False, translate("Pipeline", "PyTorch is not installed: pip install "
                                "gradtrace[torch] (or pip install torch)")
    return True, translate("Pipeline", "Run the script on real PyTorch (not sandboxed)")


def make_runner(device: str | None = None, engine: str = "gradtrace"):
    """The runner of ``engine``: "gradtrace" (sandboxed) or "torch" (real PyTorch, not
    sandboxed; RuntimeError saying how to install it when torch is missing)."""
    if engine == "torch":
        available, why = torch_status()
        if not available:
            raise RuntimeError(translate("Pipeline", "the PyTorch engine cannot run: {reason}"
                                         ).format(reason=why))
        from .model.torch_runner import TorchScriptRunner
        return TorchScriptRunner(device=device)
    if engine != "gradtrace":
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    from .model.runner import ScriptRunner
    return ScriptRunner(device=device) if device else ScriptRunner()


def _phase(phase, report, check_cancel):
    if check_cancel is not None:
        check_cancel()
    if report is not None:
        report(phase)


def build_views(doc: GraphDocument, *, direction: str = "TB", include_saved: bool = True,
                hide_no_grad: bool = False, layouter=None, previous=None, report=None,
                check_cancel=None, font=None) -> GraphDocument:
    """Fill doc.recording (and doc.graph, its graph), doc.layout and doc.timeline from
    doc.result (`hide_no_grad`: lay out without the constants and nodes that need no
    gradient; doc.graph keeps every node)."""
    from .model.graph import build_graph, graph_index
    from .model.recording import record

    def step(phase):
        _phase(phase, report, check_cancel)

    step(translate("Pipeline", "building the graph"))
    graph = build_graph(doc.result, include_saved=include_saved)
    step(translate("Pipeline", "recording the run"))
    doc.recording = record(doc.result, graph=graph, device=doc.device)
    doc.live = graph_index(graph)
    return lay_out(doc, direction=direction, hide_no_grad=hide_no_grad, layouter=layouter,
                   previous=previous, report=report, check_cancel=check_cancel, font=font)


def lay_out(doc: GraphDocument, *, direction: str = "TB", hide_no_grad: bool = False,
            layouter=None, previous=None, report=None, check_cancel=None,
            font=None, placed=None) -> GraphDocument:
    """Fill doc.graph, doc.layout and doc.timeline from doc.recording (``placed``: the
    `place` of its graph, made while the child recorded the steps, else made here)."""
    from .model.playback import Timeline

    doc.graph = doc.recording.graph
    if placed is None or placed[0] is not doc.graph:
        placed = place(doc.graph, direction=direction, hide_no_grad=hide_no_grad,
                       layouter=layouter, previous=previous, report=report,
                       check_cancel=check_cancel, font=font)
    _, doc.layouter, doc.layout = placed
    doc.extras["layouts"] = {_layout_key(doc.layouter): doc.layout}
    # a big graph's timeline: many objects, no garbage; kept out of the collector's sight
    # afterwards (as the scene keeps its items) until the graph is replaced
    with collector_paused(keep=doc.graph.number_of_nodes() >= KEEP_NODES):
        _phase(translate("Pipeline", "recording the timeline"), report, check_cancel)
        doc.timeline = Timeline.from_recording(doc.recording)
    return doc


def place(graph, *, direction: str = "TB", hide_no_grad: bool = False, layouter=None,
          previous=None, report=None, check_cancel=None, font=None) -> tuple:
    """``(graph, layouter, layout)``: ``graph`` laid out (its boxes measured with ``font``)
    by ``layouter`` (a new `LayeredLayout` when None)."""
    from .model.layout import LayeredLayout

    nodes = graph.number_of_nodes()
    _phase(Pipeline.tr("laying out %n nodes", "", nodes), report, check_cancel)
    if layouter is None:
        layouter = LayeredLayout(direction=direction)
    else:
        layouter.direction = direction
    layouter.hide_no_grad = hide_no_grad
    return graph, layouter, _compute(graph, layouter, font, previous)


def _compute(graph, layouter, font, previous):
    """``layouter``'s layout of ``graph`` (boxes measured with ``font``) with the collector
    paused, and what the scene would otherwise work out in the GUI thread when it first asks:
    the groups' frames and, for their titles, the module tree with its repeated blocks."""
    with collector_paused(keep=graph.number_of_nodes() >= KEEP_NODES):   # many objects, no garbage
        sizes = node_sizes(graph, font, layouter.collapsed)
        layout = layouter.compute(graph, sizes=sizes, previous=previous)
        if layout.frames:
            _ = group_tree(graph).alike
    return layout


def open_recording(path, *, direction: str = "TB", hide_no_grad: bool = False, report=None,
                   check_cancel=None, font=None) -> GraphDocument:
    """A document from a ``.gtrace`` file (read-only: no run behind it). Raises
    `RecordingError` for a file that is not one, OSError when it cannot be read."""
    from .model.recording import load
    if report is not None:
        report(translate("Pipeline", "reading the recording"))
    recording = load(path)
    doc = GraphDocument(source=recording.source, recording=recording, path=str(path))
    return lay_out(doc, direction=direction, hide_no_grad=hide_no_grad, report=report,
                   check_cancel=check_cancel, font=font)


def backward_from(doc: GraphDocument, node_id: str, report=None, check_cancel=None):
    """Run backward from tensor `node_id` of `doc`'s run and record it (a `CallRecording`
    for `Timeline.add_call`): in the run's child process when it ran in one
    (`model/child.py`: ``doc.live`` is its `ChildRun`), else here. In a script's run the
    leaves' ``.grad`` accumulate, as in the script; on the tensors of `gradtrace.gui.show` (a
    document without a run) it records with ``retain_graph=True`` while the caller's ``.grad``
    (and retained grads) are set aside, so they are unchanged afterwards (`model/caller_grads.py`). Raises RuntimeError for a document
    without tensors (an opened recording) and KeyError for a node that is no tensor."""
    from .model.graph import is_tensor
    from .model.recording import CallRecording, record_backward, record_steps
    if doc.live is None:
        raise RuntimeError("a recording has no live run to run backward in")
    in_child = getattr(doc.live, "backward_from", None)
    if in_child is not None:
        return in_child(node_id, report=report, check_cancel=check_cancel)
    run_again = getattr(doc.result, "backward_from", None)   # the torch runner's hooks
    if run_again is None and doc.result is not None:
        return record_backward(node_id, doc.live, doc.graph)
    tensor = doc.live.objects.get(node_id)
    if not is_tensor(tensor):
        raise KeyError(f"no tensor node {node_id!r} in the graph")
    if doc.result is not None:
        return CallRecording(None, "backward",
                             record_steps(run_again(tensor), doc.live, doc.graph),
                             retain_graph=True)
    # show()'s tensors: the caller's own graph, whose .grad must stay as the caller left it
    from .model.caller_grads import caller_grads_kept, grads_behind
    shown = [t for t in doc.live.objects.values() if is_tensor(t)]
    with caller_grads_kept(grads_behind([tensor], also=shown)):
        if _is_torch(tensor):   # torch is imported already: the caller made the tensor
            from .model.torch_runner import backward_again
            return CallRecording(None, "backward",
                                 record_steps(backward_again(tensor), doc.live, doc.graph),
                                 retain_graph=True)
        return record_backward(tensor, doc.live, doc.graph)


def _is_torch(tensor) -> bool:
    """Whether `tensor` is PyTorch's (told by its class's module: no import of torch)."""
    return type(tensor).__module__.split(".")[0] == "torch"


def release(old: GraphDocument | None, new: GraphDocument | None) -> None:
    """End the child process that holds ``old``'s run unless ``new`` still uses it (a
    relayout, the next step of one session); a graph ``new`` does not keep loses its cached
    views (`model.graph.forget_views`), so it is freed once nothing holds it."""
    if old is None:
        return
    if old.graph is not None and (new is None or new.graph is not old.graph):
        forget_views(old.graph)   # (its views' cycles would keep the whole graph)
    held = old.extras.get("child")
    kept = new.extras.get("child") if new is not None else None
    if held is None or held is kept or getattr(held, "child", None) is getattr(
            kept, "child", object()):
        return
    session = old.session
    if session is not None and new is not None and session is new.session:
        return
    held.close(wait=False)   # (the process's end waited for in a thread: not in the GUI's)


def _child_document(run, source: str, device, report, check_cancel, view_options,
                    session=None, placed=None) -> GraphDocument:
    """The document of a `ChildRun`: its recording laid out here, the run's tensors left in
    the child (``doc.live`` is the ChildRun). ``extras["stopped"]``: the process boundary
    stopped it (crash, a limit): the recording holds only the error."""
    doc = GraphDocument(source=source, recording=run.recording, device=device,
                        live=run if run.alive else None, session=session)
    doc.extras["child"] = run
    if session is not None:
        doc.extras["ran"] = run.ran
        doc.last_record = run.ran[-1] if run.ran else None
    if run.stopped:
        doc.extras["stopped"] = True
    view_options.pop("include_saved", None)
    return lay_out(doc, report=report, check_cancel=check_cancel, placed=placed,
                   **view_options)


def _place_ahead(report, check_cancel, view_options) -> tuple[list, object]:
    """A list that gets the `place` of the graph a child sends ahead of its recording, and the
    callback (``on_graph``) that makes it: the layout is made while the child records the
    steps."""
    placed: list = []
    options = {k: v for k, v in view_options.items() if k != "include_saved"}

    def on_graph(graph):
        placed[:] = [place(graph, report=report, check_cancel=check_cancel, **options)]
    return placed, on_graph


def run_script(source: str, *, device: str | None = None, report=None, check_cancel=None,
               engine: str = "gradtrace", child: bool = False, limits=None,
               **view_options) -> GraphDocument:
    """Run the whole script on ``engine`` and build everything to draw (Run, F5). With
    ``child`` (the window's way) the script runs, and its graph and recording are made, in a
    child process under ``limits`` (`model.child.RunLimits`); else here."""
    if child:
        from .model import child as children
        # one pause from the reply to the document: the recording's objects are not walked
        # by collections in between
        placed, on_graph = _place_ahead(report, check_cancel, view_options)
        with collector_paused():
            run = children.run_script(source, engine=engine, device=device, limits=limits,
                                      include_saved=view_options.get("include_saved", True),
                                      report=report, check_cancel=check_cancel,
                                      on_graph=on_graph)
            return _child_document(run, source, device, report, check_cancel, view_options,
                                   placed=placed[0] if placed else None)
    if report is not None:
        report(translate("Pipeline", "running the script"))
    result = make_runner(device, engine).run(source)
    doc = GraphDocument(source=source, result=result, device=device)
    return build_views(doc, report=report, check_cancel=check_cancel, **view_options)


def step_script(session, source: str, *, device: str | None = None, report=None,
                check_cancel=None, how: str = "over", engine: str = "gradtrace",
                child: bool = False, limits=None, **view_options) -> GraphDocument:
    """Run the next part of `session` (a new one when None) and rebuild: ``how`` is "over"
    (the next statement, F10), "into" (one iteration of a top-level loop, F11), "out" (the
    rest of the loop stepped into, else to the end; Shift+F11) or "continue" (to the end, F5
    in a session). ``doc.extras["ran"]`` lists the records it made. With ``child`` the
    session lives in a child process (a `model.child.ChildSession`; each step under
    ``limits``)."""
    if child:
        from .model import child as children
        if session is None:
            session = children.start_script(
                source, engine=engine, device=device, limits=limits,
                include_saved=view_options.get("include_saved", True))
        placed, on_graph = _place_ahead(report, check_cancel, view_options)
        with collector_paused():   # as run_script
            run = session.step(how, report=report, check_cancel=check_cancel, on_graph=on_graph)
            return _child_document(run, source, device, report, check_cancel, view_options,
                                   session=session, placed=placed[0] if placed else None)
    if session is None:
        session = make_runner(device, engine).start(source)
    if report is not None:
        report(translate("Pipeline", "running the next statement") if how in ("over", "into")
               else translate("Pipeline", "running"))
    first = len(session.result.statements)
    if how == "into":
        record = session.step_into()
    elif how == "over" or (how == "out" and session.in_loop):
        record = session.step()
    elif how in ("out", "continue"):
        record = None
        while (step := session.step()) is not None:
            record = step
    else:
        raise ValueError(f"step_script: how must be over, into, out or continue, not {how!r}")
    doc = GraphDocument(source=source, result=session.result, device=device, session=session,
                        last_record=record)
    doc.extras["ran"] = session.result.statements[first:]
    return build_views(doc, report=report, check_cancel=check_cancel, **view_options)


def relayout(doc: GraphDocument, *, direction: str, report=None, check_cancel=None,
             font=None) -> GraphDocument:
    """Same run and graph, new layout (direction toggle, collapse/expand)."""
    if report is not None:
        nodes = doc.graph.number_of_nodes()
        report(Pipeline.tr("laying out %n nodes", "", nodes))
    doc.layouter.direction = direction
    new = GraphDocument(**{**doc.__dict__})
    new.extras = dict(doc.extras)
    # a layout seen before (expand after a collapse, the direction toggled back) comes back
    # as it was, so the picture returns exactly
    layouts = new.extras["layouts"] = dict(doc.extras.get("layouts") or {})
    key = _layout_key(doc.layouter)
    if key not in layouts:
        layouts[key] = _compute(doc.graph, doc.layouter, font, doc.layout)
    new.layout = layouts[key]
    return new


def _layout_key(layouter):
    """What a layout of one graph depends on besides the graph: direction, collapsed groups,
    hidden nodes."""
    return layouter.direction, frozenset(layouter.collapsed), layouter.hide_no_grad


def tensors_document(tensors, names=None, *, direction: str = "TB",
                     include_saved: bool = True, hide_no_grad: bool = False) -> GraphDocument:
    """The graph behind `tensors` (for `gradtrace.gui.show`): one forward entry, no run."""
    from .model.graph import build_graph, graph_index
    from .model.recording import record

    graph = build_graph(list(tensors), names=names, include_saved=include_saved)
    recording = record(None, graph=graph, title=translate(
        "Pipeline", "the graph of the tensors passed to show()"))
    doc = GraphDocument(recording=recording, live=graph_index(graph))
    return lay_out(doc, direction=direction, hide_no_grad=hide_no_grad)

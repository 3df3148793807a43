"""Source links between the editor and the graph view: a selected node marks the lines that made
it in the editor; the line the user puts the cursor on outlines the nodes it made."""
from __future__ import annotations

from PySide6.QtCore import QObject

from .model.source_map import line_nodes, node_lines


class SourceLinks(QObject):
    """Wires one window's graph view and editor together; `document` gives the run shown."""

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self.line: int | None = None   # the cursor line whose nodes are outlined
        window.graph_view.nodeSelected.connect(self._on_node_selected)
        window.script_panel.editor.cursorPositionChanged.connect(self._on_cursor_moved)
        window.documentReady.connect(self._on_document)

    def _on_document(self, _doc) -> None:
        """A new run (or layout): the marks follow the selection and line into it."""
        self._on_node_selected(self._window.graph_view.graph_scene.selected_node() or "")
        if self.line is not None:
            self.show_line(self.line)

    def _statements(self):
        doc = self._window.document
        if doc is None:
            return None
        run = doc.recording if doc.recording is not None else doc.result
        return getattr(run, "statements", None)

    def _on_node_selected(self, node_id: str) -> None:
        editor, doc = self._window.script_panel.editor, self._window.document
        graph = getattr(doc, "graph", None)
        attrs = graph.nodes[node_id] if graph is not None and node_id in graph else None
        lines = node_lines(attrs, self._statements()) if not self._window.viewer else None
        editor.mark_source(*(lines or (None,)))

    def _on_cursor_moved(self) -> None:
        editor = self._window.script_panel.editor
        if not editor.hasFocus():   # the editor scrolled to a statement, not the user
            return
        self.show_line(editor.textCursor().blockNumber() + 1)

    def show_line(self, line: int | None) -> list[str]:
        """Outline the nodes that `line` (1-based) made; return their ids."""
        doc = self._window.document
        self.line = line
        ids = [] if line is None or doc is None else \
            line_nodes(doc.graph, self._statements(), line)
        return self._window.graph_view.graph_scene.show_line_nodes(ids)

"""The window's ways through the module hierarchy: collapse all to depth N, expand all, collapse
the repeats of a block alike, hide the nodes that need no gradient (gui/model/hierarchy.py)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from .model.hierarchy import group_tree
from .model.i18n import Context
from .model.layout import collapsible

# the View menu's depth entries are the graph menu's texts, with their plural forms (lupdate
# reads GraphView.tr(text, "", n) as context GraphView; gui/model/i18n.py's Context)
GraphView = Context("GraphView")


class GroupControl:
    """Hierarchy actions of MainWindow (needs `document`, `settings`, `_relayout` and
    `_views_before_collapse`); each sets the layouter's collapsed groups or hidden nodes and
    lays the same graph out again."""

    def _set_collapsed(self, groups) -> None:
        """Draw exactly `groups` as boxes (those that would close a cycle stay open) and lay
        the graph out again, fitted."""
        doc = self.document
        if doc is None or doc.graph is None or doc.layouter is None:
            return
        doc.layouter.set_collapsed(collapsible(doc.graph, groups))
        self._views_before_collapse.clear()
        self._relayout(fit=True)

    def collapse_to_depth(self, depth: int) -> None:
        """Collapse all to depth `depth` (as torchview's ``depth``): the groups that deep become
        boxes holding what lies inside them, the groups above stay open (0: every top-level
        module call one box)."""
        doc = self.document
        if doc is not None and doc.graph is not None:
            self._set_collapsed(group_tree(doc.graph).at_depth(depth))

    def expand_all_groups(self) -> None:
        self._set_collapsed(())

    def toggle_alike(self, group: str, collapse: bool = True) -> None:
        """Collapse (or expand) `group` together with every group alike in structure
        (its repeats: ``layers.0`` ... ``layers.11``, ``block (call 2)``)."""
        doc = self.document
        if doc is None or doc.graph is None or doc.layouter is None:
            return
        same = set(group_tree(doc.graph).alike.get(group) or (group,))
        now = set(doc.layouter.collapsed)
        self._set_collapsed(now | same if collapse else now - same)

    def set_hide_no_grad(self, on: bool) -> None:
        """Leave out (or show again) the constants and the nodes that need no gradient; the
        graph and its exports keep every node."""
        self.settings.hide_no_grad = on
        doc = self.document
        if doc is not None and doc.layouter is not None:
            doc.layouter.hide_no_grad = on
            self._relayout(fit=True)

    def fill_depth_menu(self) -> None:
        """The View menu's "Collapse to depth" entries: depth 0 to the deepest group's."""
        menu = self.depth_menu
        menu.clear()
        doc = self.document
        tree = group_tree(doc.graph) if doc is not None and doc.graph is not None else None
        if tree is None or tree.max_depth < 0:
            none = menu.addAction(QCoreApplication.translate("MainWindow", "No groups to collapse"))
            none.setEnabled(False)
            return
        for n in range(tree.max_depth + 1):
            count = len(tree.at_depth(n))
            act = menu.addAction(GraphView.tr("Depth %1 (%n groups)", "", count)
                                 .replace("%1", str(n)))
            act.triggered.connect(lambda _=False, d=n: self.collapse_to_depth(d))

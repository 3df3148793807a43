"""Edge labels (pytest-qt, offscreen): at no step of any example do two labels overlap (they
used to in the rnn and softmax examples), nor does one cover a group title."""
from itertools import combinations
from pathlib import Path

import pytest

from gradtrace.gui import pipeline
from gradtrace.gui.graph_scene import GraphScene

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_edge_labels_never_overlap(qapp, name):
    doc = pipeline.run_script((EXAMPLES / name).read_text(), include_saved=True)
    assert doc.error is None, str(doc.error)
    scene = GraphScene()
    scene.set_graph(doc.graph, doc.layout)
    titles = [frame.title.rect() for frame in scene.groups.values()]
    for i in range(len(doc.timeline)):
        scene.apply_state(doc.timeline.state_at(i), animate=False)
        shown = [e for e in scene.edges.values() if e.isVisible() and e.label_text()]
        for a, b in combinations(shown, 2):
            assert not a.text_rect().intersects(b.text_rect()), (
                f"step {i}: {a.label_text()!r} on {a.source}->{a.target} overlaps "
                f"{b.label_text()!r} on {b.source}->{b.target}")
        for e in shown:
            assert not any(e.text_rect().intersects(t) for t in titles), (i, e.source, e.target)
    # the scene's items go now, not whenever the collector finds the scene's cycles (a later
    # test's event processing)
    scene.clear()

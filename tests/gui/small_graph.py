"""A small graph for the graph view's selection tests (path highlighting, keyboard navigation):
two leaves, one product feeding two sums, one backward call; and a view showing its last step."""
from gradtrace.gui import pipeline
from gradtrace.gui.graph_view import GraphView

SCRIPT = '''import torch
x = torch.tensor([1.0, -2.0], requires_grad=True)
w = torch.tensor([3.0, 4.0], requires_grad=True)
y = x * w
z = y.sum()
other = (w * 2).sum()
z.backward()
'''
MUL = "MulBackward0#0@y"


def shown_view(qtbot):
    """A GraphView (900x700, shown) with SCRIPT's graph at the timeline's end; ``view.doc`` is
    the GraphDocument."""
    doc = pipeline.run_script(SCRIPT, include_saved=False)
    assert doc.error is None, doc.error
    v = GraphView()
    qtbot.addWidget(v)
    v.resize(900, 700)
    v.show()
    v.graph_scene.set_graph(doc.graph, doc.layout)
    v.graph_scene.apply_state(doc.timeline.state_at(len(doc.timeline) - 1), animate=False)
    v.doc = doc
    return v

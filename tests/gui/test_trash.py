"""model/trash.py and gui/trash_timer.py: what a replaced graph held is freed a piece at a time,
and nothing still in use elsewhere is changed."""
import weakref

from gradtrace.gui.model.trash import BATCH, Trash
from gradtrace.gui.trash_timer import TrashTimer


class Holder:
    """A plain object whose attributes are big."""


def test_a_turn_frees_a_batch_and_the_next_turns_the_rest():
    trash = Trash()
    trash.add({k: [k] for k in range(10 * BATCH)})
    assert not trash.empty_for(0.0)   # one batch, then the clock says stop
    assert len(trash) == 1
    turns = 1
    while not trash.empty_for(0.0):
        turns += 1
    assert turns >= 10 and len(trash) == 0


def test_what_is_still_held_elsewhere_is_left_as_it_is():
    shared_list = [[k] for k in range(500)]
    shared_dict = {k: k for k in range(500)}
    holder = Holder()
    holder.items = shared_list
    trash = Trash()
    trash.add(shared_list, shared_dict, holder,
              [shared_dict, holder, list(range(1000))] + [[k] for k in range(500)])
    assert trash.empty_for(10.0)
    assert shared_list == [[k] for k in range(500)]
    assert shared_dict == {k: k for k in range(500)}
    assert holder.items is shared_list


def test_an_object_held_only_there_is_freed_with_its_big_attributes():
    holder = Holder()
    holder.nodes = {k: {"label": str(k)} for k in range(1000)}
    holder.inner = Holder()
    holder.inner.rows = [[k] for k in range(1000)]
    gone = weakref.ref(holder)
    inner_gone = weakref.ref(holder.inner)
    trash = Trash()
    trash.add(holder)
    del holder
    assert gone() is not None   # until the trash is emptied
    assert trash.empty_for(10.0)
    assert gone() is None and inner_gone() is None


def test_a_qt_object_is_let_go_not_taken_apart(qapp):
    from PySide6.QtCore import QObject

    def made(kind):
        obj = kind()
        obj.rows = [[k] for k in range(1000)]
        return obj, obj.__dict__
    plain, plain_state = made(Holder)
    qt, qt_state = made(QObject)
    trash = Trash()
    trash.add(plain, qt)
    del plain, qt
    assert trash.empty_for(10.0)
    assert plain_state == {}   # a plain object's attributes taken apart
    assert len(qt_state["rows"]) == 1000   # PySide's wrapper left to PySide


def test_the_timer_waits_while_busy_then_empties(qtbot):
    busy = [True]
    timer = TrashTimer(busy=lambda: busy[0])
    big = [Holder() for _ in range(5000)]
    last = weakref.ref(big[-1])
    timer.add(big)
    del big
    qtbot.wait(3 * TrashTimer.INTERVAL_MS)
    assert timer.pending and last() is not None
    busy[0] = False
    qtbot.waitUntil(lambda: not timer.pending, timeout=5000)
    assert last() is None


def test_a_scene_hands_the_items_it_replaces_to_its_trash(qtbot):
    import networkx as nx

    from gradtrace.gui.graph_scene import GraphScene
    from gradtrace.gui.model.layout import LayeredLayout

    def chain(n):
        graph = nx.DiGraph()
        for k in range(n):
            graph.add_node(f"n{k}", kind="function", label=f"MulBackward{k}")
        graph.add_edges_from((f"n{k}", f"n{k + 1}") for k in range(n - 1))
        return graph, LayeredLayout().compute(graph)

    scene = GraphScene()
    scene.trash = TrashTimer(busy=lambda: scene.building)
    scene.set_graph(*chain(300))
    old = weakref.ref(next(iter(scene.edges.values())))
    scene.set_graph(*chain(5))
    assert old() is not None and scene.trash.pending   # not freed in set_graph's turn
    scene.trash.empty()
    assert old() is None   # nor kept: no cycle left between the old items and their tiles


def test_a_small_container_holding_a_big_one_is_taken_apart_too():
    """A one-element tuple around 1,000 objects is not freed at once with them all."""
    trash = Trash()
    holders = [Holder() for _ in range(1000)]
    first, last = weakref.ref(holders[0]), weakref.ref(holders[-1])
    trash.add((holders,))
    del holders
    assert not trash.empty_for(0.0)   # one batch: the tuple, then the list's last ones
    assert first() is not None and last() is None
    assert trash.empty_for(10.0) and first() is None

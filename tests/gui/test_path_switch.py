"""Moving the highlighted path from one node to another restyles only the items of the two
paths: the picture is the same as showing the second path on its own; a path shown while a
big graph still builds is whole once it is built (pytest-qt, offscreen)."""
import pytest

from tests.gui.small_graph import shown_view


def styles(scene):
    return ({n: item.dimmed for n, item in scene.nodes.items()},
            {k: (e.on_path, e.dimmed) for k, e in scene.edges.items()})


@pytest.mark.parametrize("first", [0, 3, -1])
def test_switching_paths_looks_like_showing_the_second_alone(qtbot, first):
    view = shown_view(qtbot)
    scene = view.graph_scene
    nodes = list(scene.nodes)
    for second in nodes:
        scene.show_path(None)
        scene.show_path(second)
        alone = styles(scene)
        assert any(alone[0].values()) or len(scene.path.nodes) == len(nodes)
        scene.show_path(None)
        scene.show_path(nodes[first])
        scene.show_path(second)
        assert styles(scene) == alone, (nodes[first], second)
    scene.show_path(None)
    assert not any(styles(scene)[0].values())
    assert all(style == (None, False) for style in styles(scene)[1].values())


def test_a_path_shown_while_a_big_graph_builds_is_whole_once_built(qtbot):
    from gradtrace.gui.graph_scene import GraphScene
    from gradtrace.gui.model.paths import node_path
    from tests.gui.test_graph_tiles import _mlp

    graph, layout = _mlp(200)
    scene = GraphScene()
    scene.CHUNK_NODES, scene.SLICE, scene.STEP = 500, 0.0, 300
    scene.set_graph(graph, layout)
    while scene.building and len(scene.edges) < graph.number_of_edges() // 2:
        scene._build_slice(0.0)   # one slice: part of the edges made
    last = list(graph)[-1]
    scene.show_path(last if last in scene.nodes else next(iter(scene.nodes)))
    scene.finish_building()
    node = list(graph)[-1]
    scene.show_path(node)
    assert scene.path.nodes == node_path(graph.edges, node).nodes

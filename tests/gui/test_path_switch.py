"""Moving the highlighted path from one node to another restyles only the items of the two
paths: the picture is the same as showing the second path on its own (pytest-qt, offscreen)."""
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

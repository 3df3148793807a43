"""Fixtures for every GUI test: what a test's big graph froze out of the garbage collector
(GraphScene builds in slices and calls gc.freeze) is handed back and collected after it, in the
main thread with no worker running, so no later test inherits it."""
import gc

import pytest


@pytest.fixture(autouse=True)
def _thaw_frozen_graphs():
    yield
    from gradtrace.gui import graph_scene
    if graph_scene._FROZEN[0]:
        graph_scene._thaw()
        gc.collect()

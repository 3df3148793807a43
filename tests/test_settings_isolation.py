"""The test suite writes no settings into the user's real home."""
import os

import pytest

pytest.importorskip("PySide6")


def test_default_settings_live_in_the_test_folder(qapp):
    from PySide6.QtCore import QSettings

    path = QSettings("gradtrace", "gradtrace").fileName()
    assert path.startswith(os.environ["XDG_CONFIG_HOME"]), path
    assert not path.startswith(os.path.expanduser("~/.config")), path

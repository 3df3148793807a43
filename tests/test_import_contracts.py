"""Layering contracts: the engine imports neither Qt nor networkx, and the app's models never
import Qt. Checked in a fresh interpreter so nothing imported by other tests hides a leak."""
import subprocess
import sys

import pytest

CHECK = """
import sys
import {module}
bad = sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})
print(','.join(bad))
"""


def _leaks(module, forbidden):
    out = subprocess.run([sys.executable, "-c", CHECK.format(module=module, forbidden=forbidden)],
                         capture_output=True, text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


def test_core_imports_neither_qt_nor_networkx():
    assert _leaks("gradtrace.core", ("PySide6", "shiboken6", "networkx", "torch")) == []


@pytest.mark.parametrize("module", ["gradtrace.gui.model"])
def test_models_do_not_import_qt(module):
    assert _leaks(module, ("PySide6", "shiboken6")) == []


def test_every_model_module_is_qt_free():
    import pathlib
    root = pathlib.Path(__file__).resolve().parents[1] / "gui" / "model"
    mods = [f"gradtrace.gui.model.{p.stem}" for p in root.glob("*.py") if p.stem != "__init__"]
    for mod in mods:
        assert _leaks(mod, ("PySide6", "shiboken6")) == [], mod

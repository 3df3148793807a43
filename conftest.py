"""Doctests: the examples in the docstrings of core/ and gui/ run under pytest (`make test`),
each file imported by the package name it is installed as (core/_ops.py is gradtrace.core._ops).

pytest's own ``--doctest-modules`` would import core/_ops.py as ``core._ops``, a second copy of
the engine whose classes are not gradtrace.core's (the package-dir mapping of pyproject.toml is
invisible to it), so this hook collects those files itself with pytest's DoctestModule.
"""
import importlib
from pathlib import Path

import pytest
from _pytest.doctest import DoctestModule

ROOT = Path(__file__).resolve().parent
PACKAGES = {"core": "gradtrace.core", "gui": "gradtrace.gui"}
SKIP = {"__main__.py"}   # runs the app when imported
NEEDS_TORCH = {"torch_runner.py", "torch_compare.py"}   # import torch: skipped without it


def package_module_name(path):
    """``gradtrace.core.nn.functional`` for core/nn/functional.py, None outside the packages."""
    try:
        parts = path.resolve().relative_to(ROOT).with_suffix("").parts
    except ValueError:
        return None
    if not parts or parts[0] not in PACKAGES:
        return None
    names = [PACKAGES[parts[0]], *parts[1:]]
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


class PackageDoctestModule(DoctestModule):
    """pytest's doctest collector for one module, imported by its package name."""

    def _getobj(self):
        name = package_module_name(self.path)
        if self.path.name in NEEDS_TORCH:
            pytest.importorskip("torch")
        if name.startswith("gradtrace.gui") and not name.startswith("gradtrace.gui.model"):
            from PySide6.QtWidgets import QApplication  # widgets in examples need one
            if QApplication.instance() is None:
                self.config.stash[_APP] = QApplication([])
        return importlib.import_module(name)


_APP = pytest.StashKey()


def pytest_collect_file(file_path, parent):
    if file_path.suffix != ".py" or file_path.name in SKIP or parent.config.option.doctestmodules:
        return None
    if package_module_name(file_path) is None:
        return None
    return PackageDoctestModule.from_parent(parent, path=file_path)


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    """Docstring examples may use ``torch`` (gradtrace.core, as PyTorch's docs assume
    ``import torch``) and ``np`` without importing them."""
    import numpy as np

    import gradtrace.core
    doctest_namespace.setdefault("torch", gradtrace.core)
    doctest_namespace.setdefault("np", np)

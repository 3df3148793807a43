"""The import contracts of pyproject.toml ([tool.importlinter]: core never imports the app, Qt
or networkx; gui/model never imports Qt; the engine's layers, no cycles) by import-linter.

import-linter's grimp cannot follow the package-dir mapping of the editable install, so the
packages are laid out as a regular install lays them out (pyproject's `packages`, each from its
folder) in a temporary directory, and lint-imports analyses that copy. Every import counts,
including those inside functions.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:   # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"


def lay_out_packages(target):
    """Copy each package of pyproject.toml to where a (non-editable) install puts it."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]
    mapping = config["package-dir"]
    for package in config["packages"]:
        top = max((p for p in mapping if package == p or package.startswith(p + ".")), key=len)
        source = ROOT / mapping[top] / Path(*package[len(top) + 1:].split(".") if package != top
                                            else ())
        destination = Path(target, *package.split("."))
        destination.mkdir(parents=True, exist_ok=True)
        for file in source.glob("*.py"):
            shutil.copy2(file, destination / file.name)
    return Path(target)


def lint_imports(tree):
    """Run lint-imports on the laid-out tree; (exit code, report)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(tree)
    script = "import sys; from importlinter.cli import lint_imports_command; " \
             "sys.exit(lint_imports_command())"
    run = subprocess.run([sys.executable, "-c", script, str(PYPROJECT),
                          "--no-cache"], cwd=tree, env=env, capture_output=True, text=True,
                         timeout=240)
    return run.returncode, run.stdout + run.stderr


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    pytest.importorskip("importlinter")
    return lay_out_packages(tmp_path_factory.mktemp("installed"))


def test_the_import_contracts_hold(tree):
    code, report = lint_imports(tree)
    assert code == 0, report
    assert "broken" in report and " 0 broken" in report.replace("\n", " ")


def test_the_layout_is_the_installed_one(tree):
    assert (tree / "gradtrace" / "gui" / "model" / "playback.py").exists()
    assert (tree / "gradtrace" / "core" / "__init__.py").exists()
    assert not (tree / "gradtrace" / "__init__.py").exists()   # a namespace package


def test_every_package_folder_is_installed():
    """A folder with an __init__.py that pyproject's `packages` misses would be left out of a
    regular install (and out of the contracts' analysis)."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]
    expected = set()
    for package, folder in config["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rest = init.parent.relative_to(ROOT / folder).parts
            expected.add(".".join((package, *rest)))
    assert expected - set(config["packages"]) == set()


@pytest.mark.parametrize("path, line, contract", [
    ("gui/model/playback.py", "    from PySide6 import QtCore", "gui/model never imports Qt"),
    ("gui/model/graph.py", "    import shiboken6", "gui/model never imports Qt"),
    ("core/_tensor_str.py", "    import networkx", "core never imports Qt, networkx or torch"),
    ("core/_tensor_str.py", "    from gradtrace.gui.model import graph",
     "core never imports the app"),
    ("core/_graph.py", "    from ._tensor import Tensor", "the engine's layers"),
    ("core/derivatives/registry.py", "    from . import pointwise",
     "no import cycle inside the engine's packages"),
])
def test_an_import_inside_a_function_breaks_its_contract(tmp_path, path, line, contract):
    tree = lay_out_packages(tmp_path)
    package, rest = path.split("/", 1)
    target = tree / "gradtrace" / package / rest
    target.write_text(target.read_text() + f"\n\ndef _sneaky():\n{line}\n")
    code, report = lint_imports(tree)
    assert code != 0, report
    assert f"{contract} BROKEN" in report, report


def test_a_module_outside_the_layers_breaks_them(tmp_path):
    """The layers are exhaustive: a new engine module must be given its place."""
    tree = lay_out_packages(tmp_path)
    (tree / "gradtrace" / "core" / "_unplaced.py").write_text('"""Nowhere yet."""\n')
    code, report = lint_imports(tree)
    assert code != 0 and "the engine's layers BROKEN" in report, report
    assert "_unplaced" in report

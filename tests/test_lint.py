"""`make lint` inside the suite, so that every landing sees it: ruff over the code and mypy over
gui/model, with the settings of pyproject.toml ([tool.ruff], [tool.mypy])."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CODE = ["core", "gui", "tests", "benchmarks", "conftest.py"]


def _run(module, *args):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[lint]')")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=240)


def test_ruff_finds_nothing():
    run = _run("ruff", "check", "--no-cache", *CODE)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_finds_nothing_in_the_model_layer():
    run = _run("mypy")
    assert run.returncode == 0, run.stdout + run.stderr

# The two commands a new user runs:  make run  and  make test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check

.PHONY: run test lint venv test-venv lint-venv bench clean translations

# Project installed (editable) with its runtime dependencies.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -e .
	touch $@

# Same venv plus the test extras; under CI=true also torch==2.13.0 so the comparisons run.
$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -e '.[test]'
	touch $@

venv: $(VENV)/.installed

test-venv: $(VENV)/.installed-test
ifeq ($(CI),true)
	$(PY) -c "import torch" 2>/dev/null || $(PIP) install -q torch==2.13.0
endif

# The lint tools (ruff, mypy) on top of the project.
$(VENV)/.installed-lint: $(VENV)/.installed
	$(PIP) install -q -e '.[lint]'
	touch $@

lint-venv: $(VENV)/.installed-lint

run: venv
	$(VENV)/bin/gradtrace

# The whole suite, then its GPU cases again on the CPU with tests/core/fake_cupy.py playing
# CuPy (the CUDA code path checked on every machine; a real GPU runs them in the first pass).
test: test-venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	GRADTRACE_FAKE_CUPY=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m gpu tests/core

# ruff (pyflakes, import order, pyupgrade, bugbear; pyproject's [tool.ruff]) and mypy on the
# model layer and the engine's public surface (pyproject's [tool.mypy]). The import contracts run in `make test`.
lint: lint-venv
	$(VENV)/bin/ruff check core gui tests benchmarks conftest.py
	$(VENV)/bin/mypy

# The app's languages: pyside6-lupdate reads every translatable text of gui/ into
# resources/translations/*.ts (translations kept), pyside6-lrelease compiles the .qm files the app
# loads. Both are committed, so a clean clone runs translated; tests/gui/test_i18n_strings.py
# fails when they are out of date with the code.
translations: venv
	$(PY) -m gradtrace.gui.i18n_build

bench: venv
	$(PY) benchmarks/engine.py

clean:
	rm -rf $(VENV) build *.egg-info

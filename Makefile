# Every target sets itself up on a fresh machine: the venv is created and filled on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint typecheck test-python test-vscode bench docs dist clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev,llm,mcp]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m xyguard.server demo

test: lint test-python test-vscode

lint: $(STAMP) typecheck
	$(PY) -m ruff check .

# mypy needs the import names: the three top-level folders are linked under .typecheck/xyguard/.
typecheck: $(STAMP)
	@rm -rf .typecheck && mkdir -p .typecheck/xyguard
	@for d in analyzers server prompts; do ln -s ../../$$d .typecheck/xyguard/$$d; done
	cd .typecheck && MYPYPATH=. ../$(PY) -m mypy --config-file ../pyproject.toml --cache-dir ../.mypy_cache \
		-p xyguard.analyzers -p xyguard.server

test-python: $(STAMP)
	$(PY) -m pytest -q

test-vscode: $(STAMP)
	cd vscode-client && npm ci --no-audit --no-fund --loglevel=error && npm test

# The install path that works today (nothing is on PyPI or the Marketplace yet): a wheel of xyguard,
# and the VS Code extension for this machine's platform with the server bundled in it.
dist: $(STAMP)
	rm -rf dist && mkdir -p dist
	$(PY) -m pip wheel --no-deps -q -w dist .
	cd vscode-client && npm ci --no-audit --no-fund --loglevel=error && PYTHON=$(abspath $(PY)) node scripts/package.js --out-dir ../dist
	@ls -l dist

docs: $(STAMP)
	$(PY) -m xyguard.server rules --format markdown > docs/rules.md

bench: $(STAMP)
	$(PY) benchmarks/index_bench.py
	$(PY) benchmarks/eval_requests.py
	$(PY) benchmarks/eval_edits.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .typecheck .mypy_cache vscode-client/node_modules vscode-client/out vscode-client/dist vscode-client/bundled/libs

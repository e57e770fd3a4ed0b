# Every target sets itself up on a fresh machine: the venv is created and filled on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint test-python test-vscode bench docs clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev,llm,mcp]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m xyguard.server demo

test: lint test-python test-vscode

lint: $(STAMP)
	$(PY) -m ruff check .

test-python: $(STAMP)
	$(PY) -m pytest -q

test-vscode: $(STAMP)
	cd vscode-client && npm ci --no-audit --no-fund --loglevel=error && npm test

docs: $(STAMP)
	$(PY) -m xyguard.server rules --format markdown > docs/rules.md

bench: $(STAMP)
	$(PY) benchmarks/index_bench.py
	$(PY) benchmarks/eval_requests.py
	$(PY) benchmarks/eval_edits.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache vscode-client/node_modules vscode-client/out

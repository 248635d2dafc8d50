# Quick start: `make run` opens the workbench on the built-in sample;
# `make test` runs the whole test suite and `make lint`'s checks. Both create .venv/ when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test lint format snapshot-update bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m workbench.planning.warmup
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/workbench

# The workbench in a browser, on this machine only: open the address it prints (docs/serve.md).
serve: $(STAMP)
	$(BIN)/workbench serve

test: $(STAMP)
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory lint

# ruff (style), mypy (types), import-linter (the contracts in pyproject.toml: docs/architecture.md)
lint: $(STAMP)
	$(BIN)/ruff check workbench plugins tests benchmarks examples
	$(BIN)/ruff format --check workbench plugins tests benchmarks examples
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format workbench plugins tests benchmarks examples

snapshot-update: $(STAMP)
	$(BIN)/python -m pytest tests/tui/test_snapshots.py --snapshot-update

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	cd benchmarks && ../$(BIN)/python threshold_latency.py --rows 1000000
	cd benchmarks && ../$(BIN)/python threshold_latency.py --rows 10000000
	cd benchmarks && ../$(BIN)/python tui_latency.py --rows 10000000
	cd benchmarks && ../$(BIN)/python load_stages.py --rows 10000000 --runs 3
	cd benchmarks && ../$(BIN)/python scale_out.py --rows 10000000 --parts 20

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

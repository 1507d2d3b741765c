# OpenPaws: `make run` serves the demo, `make test` runs every gate.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

BENCH_STAMP := $(VENV)/.bench-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint typecheck pytest clean bench bench-full bench-tools bench-webhooks

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/openpaws serve --demo --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -p no:cacheprovider -rs

test: lint typecheck pytest

# The benchmark (never part of `make test`): wrk from the system packages, plots from matplotlib.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench-tools: $(BENCH_STAMP)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk) \
	  || (sudo apt-get update -qq && sudo apt-get install -y -qq wrk)

# Quick: 10,000 and 100,000 animals on SQLite (under 15 minutes).
bench: bench-tools
	$(BIN)/openpaws bench --sizes 10000,100000 --backends sqlite

# Full: adds 1,000,000 animals and PostgreSQL + Redis (under 60 minutes).
bench-full: bench-tools
	$(BIN)/openpaws bench --sizes 10000,100000,1000000 --backends sqlite,postgres

# Webhook delivery (instant, slow and hanging receivers) and its cost to POST /pets (about 8 minutes).
bench-webhooks: bench-tools
	$(BIN)/openpaws bench-webhooks

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache

# The two commands of the README: `make run` and `make test`. Both create .venv when missing
# and install the pinned dependencies of pyproject.toml into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pins change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/muba-desk

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check muba_desk tests scripts benchmarks
	$(BIN)/ruff format --check muba_desk tests scripts benchmarks

lint: $(STAMP)
	$(BIN)/ruff check muba_desk tests scripts benchmarks
	$(BIN)/ruff format --check muba_desk tests scripts benchmarks

format: $(STAMP)
	$(BIN)/ruff format muba_desk tests scripts benchmarks
	$(BIN)/ruff check --fix muba_desk tests scripts benchmarks

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/make_screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

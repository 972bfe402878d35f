# The two commands of the README: `make run` and `make test`. Both create .venv when missing
# and install the pinned dependencies of pyproject.toml into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench faults screenshots installer test-installer clean

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
	$(BIN)/ruff check muba_desk tests scripts installer benchmarks
	$(BIN)/ruff format --check muba_desk tests scripts installer benchmarks

lint: $(STAMP)
	$(BIN)/ruff check muba_desk tests scripts installer benchmarks
	$(BIN)/ruff format --check muba_desk tests scripts installer benchmarks

format: $(STAMP)
	$(BIN)/ruff format muba_desk tests scripts installer benchmarks
	$(BIN)/ruff check --fix muba_desk tests scripts installer benchmarks

# Performance against baselines measured in the same run (docs/performance.md); --quick for a smoke run.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

# The long fault and fuzz run: kills, damaged bundles, hypothesis; prints a table, exit 1 on any loss.
faults: $(STAMP)
	MUBA_FUZZ_LONG=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider tests/fuzz
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.faults --long

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/make_screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/make_screenshots.py --language en

INSTALLER_STAMP := $(VENV)/.installer-installed

$(INSTALLER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,installer]'
	touch $(INSTALLER_STAMP)

# The frozen one-folder app in dist/muba-desk (docs/installer.md).
installer: $(INSTALLER_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean build_installer.spec

# The build, its self-test offscreen, and the check that it holds only what the app loads.
test-installer: installer
	QT_QPA_PLATFORM=offscreen dist/muba-desk/muba-desk --self-test
	$(BIN)/python scripts/check_installer.py dist/muba-desk

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

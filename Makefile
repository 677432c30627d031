# Any Python 3.11 or newer (pyproject.toml); CI runs 3.11, 3.12 and 3.13.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OFFLINE := HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
# The oldest `datasets` the card works with (README.md), in a venv of its own for one test.
OLDEST := .venv-datasets-oldest
# The explorer's browser tests drive Debian's Chromium; Playwright never downloads a browser.
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: build test bytecode clean

$(BIN)/build-dataset: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,dask]'
	touch $@

# Compiled once here, so that a command's start does not recompile every module where the
# environment sets PYTHONDONTWRITEBYTECODE (bench/bench_validate.py shows the difference).
bytecode: $(BIN)/build-dataset
	$(BIN)/python -m compileall -q karabakh_schema build_dataset

$(OLDEST)/bin/python: constraints-datasets-oldest.txt
	$(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/pip install --quiet --disable-pip-version-check -r constraints-datasets-oldest.txt
	touch $@

$(CHROMIUM):
	$(SUDO) apt-get install -y chromium || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)

build: bytecode
	$(OFFLINE) $(BIN)/build-dataset build
	$(OFFLINE) $(BIN)/build-dataset explore --out site

test: bytecode $(OLDEST)/bin/python $(CHROMIUM)
	$(BIN)/ruff check karabakh_schema build_dataset bench tests
	$(BIN)/ruff format --check karabakh_schema build_dataset bench tests
	$(BIN)/mypy
	$(OFFLINE) DATASETS_OLDEST_PYTHON=$(abspath $(OLDEST)/bin/python) $(BIN)/pytest

clean:
	rm -rf $(VENV) $(OLDEST)

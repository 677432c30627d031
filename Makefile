PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
OFFLINE := HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1

.PHONY: build test bytecode clean

$(BIN)/build-dataset: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

# Compiled once here, so that a command's start does not recompile every module where the
# environment sets PYTHONDONTWRITEBYTECODE (bench/bench_validate.py shows the difference).
bytecode: $(BIN)/build-dataset
	$(BIN)/python -m compileall -q schema build_dataset

build: bytecode
	$(OFFLINE) $(BIN)/build-dataset build

test: bytecode
	$(BIN)/ruff check schema build_dataset bench tests
	$(BIN)/ruff format --check schema build_dataset bench tests
	$(BIN)/mypy
	$(OFFLINE) $(BIN)/pytest

clean:
	rm -rf $(VENV)

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
OFFLINE := HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1

.PHONY: build test lint clean

$(BIN)/build-dataset: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

build: $(BIN)/build-dataset
	$(OFFLINE) $(BIN)/build-dataset build

test: $(BIN)/build-dataset
	$(BIN)/ruff check schema build_dataset bench tests
	$(BIN)/ruff format --check schema build_dataset bench tests
	$(BIN)/mypy
	$(OFFLINE) $(BIN)/pytest

clean:
	rm -rf $(VENV)

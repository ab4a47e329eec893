# The two commands: `make run` and `make test`. Both bootstrap .venv from a bare python3.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
VAULT  ?= $(or $(VAULT_PATH),vault)

.PHONY: help install lint test test-clients test-resilience run bench clean

help:
	@echo "make run    start AI Employee (creates the vault and .env on first run)"
	@echo "make test   install, lint and run the whole test suite"
	@echo "make lint | test-clients | test-resilience | bench | clean"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

test-clients: install
	bash tests/clients/run.sh

test-resilience: install
	$(BIN)/pytest -m resilience -p no:randomly tests/resilience

run: install
	@test -f .env -a -d "$(VAULT)" || $(BIN)/ai-employee init --vault "$(VAULT)"
	$(BIN)/ai-employee run --vault "$(VAULT)"

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

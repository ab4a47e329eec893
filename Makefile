# The two commands: `make run` and `make test`. Both bootstrap .venv from a bare python3.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# `make run VAULT=path` picks a vault; otherwise VAULT_PATH from the environment or .env, else ./vault.
VAULT  ?=
VAULT_ARG := $(if $(VAULT),--vault "$(VAULT)",)

MERMAID_DIR   := tests/skills/audit/node
MERMAID_STAMP := $(MERMAID_DIR)/node_modules/.lock-stamp

.PHONY: help install node-deps lint test test-clients test-claude test-resilience run bench clean

help:
	@echo "make run    start AI Employee (creates the vault and .env on first run)"
	@echo "make test   install, lint and run the whole test suite"
	@echo "make lint | test-clients | test-claude | test-resilience | bench | clean"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Mermaid 11.4 (what Obsidian bundles) for the briefing's chart check; skipped where there is no npm.
$(MERMAID_STAMP): $(MERMAID_DIR)/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix $(MERMAID_DIR) --no-audit --no-fund --ignore-scripts --loglevel=error && \
	  cp $(MERMAID_DIR)/package-lock.json $(MERMAID_STAMP); \
	else echo "npm not found: the Mermaid chart check will be skipped (install Node.js 20+)"; fi

node-deps: $(MERMAID_STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint node-deps
	$(BIN)/pytest

test-clients: install
	bash tests/clients/run.sh

# The real Claude Code (locked in tests/clients/claude_code, ~245 MB download) health-checks every server of
# .mcp.json, then the end-to-end suite tests/claude/e2e runs it offline against a scripted fake Messages API.
test-claude: install
	bash tests/clients/claude_code.sh

test-resilience: install
	$(BIN)/pytest -m resilience -p no:randomly tests/resilience

run: install
	@$(BIN)/ai-employee init $(VAULT_ARG)
	$(BIN)/ai-employee run $(VAULT_ARG)

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

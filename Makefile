# Channel Partner Portal — `make help` lists every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install demo dev serve worker test test-sqlite test-postgres lint format messages \
	compile-messages migrations check-migrations system-check system-runtime system-tests bench clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) compile-messages ## Create .venv, install the portal and its dev tools, compile catalogs

compile-messages: $(STAMP) ## Compile the translation catalogs (.po -> .mo)
	@$(BIN)/pybabel compile --use-fuzzy -d portal/locales -D messages >/dev/null

messages: $(STAMP) ## Extract strings and update the catalogs (then translate portal/locales/*/LC_MESSAGES/messages.po)
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs=".* data" -k _ -k gettext -k ngettext:1,2 -k N_ --no-location --sort-output -o portal/locales/messages.pot .
	$(BIN)/pybabel update -i portal/locales/messages.pot -d portal/locales -D messages --no-fuzzy-matching --ignore-obsolete

system-runtime: ## Install the system packages the portal needs (apt-get; sudo when not root)
	@bash scripts/system_setup.sh runtime

system-tests: ## Install and start what the tests need (PostgreSQL, Redis, chromium, poppler, fonts)
	@bash scripts/system_setup.sh tests

demo: system-runtime install ## Set up and start the demo on http://127.0.0.1:8000 (SQLite under ./data/)
	@$(BIN)/python scripts/check_system.py --runtime
	$(BIN)/portal migrate
	$(BIN)/portal demo-data
	@echo "Demo accounts (password demo12345): admin@vendor.demo, manager@vendor.demo, alice@partner-a.demo, bob@partner-a.demo, carol@partner-b.demo"
	$(BIN)/portal serve --host $(HOST) --port $(PORT)

dev: install ## Serve with auto-reload (development)
	$(BIN)/portal serve --host $(HOST) --port $(PORT) --reload

serve: install ## Serve without loading demo data
	$(BIN)/portal serve --host $(HOST) --port $(PORT)

worker: install ## Run the arq worker (needs REDIS_URL)
	$(BIN)/portal worker

test: system-tests install ## Set up, then the suite on SQLite, on PostgreSQL, with a moved clock, and the migration check
	@$(BIN)/python scripts/check_system.py --tests
	@PYTEST_ARGS="$(PYTEST_ARGS)" bash scripts/test_all.sh

test-sqlite: install ## Run the suite on SQLite only
	TEST_DATABASE=sqlite $(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: install ## Run the suite on PostgreSQL only
	TEST_DATABASE=postgres $(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install ## ruff (lint + format check), mypy and the import-linter layers contract
	$(BIN)/ruff check portal tests bench scripts
	$(BIN)/ruff format --check portal tests bench scripts
	$(BIN)/mypy portal
	$(BIN)/lint-imports

format: install ## Format the code with ruff
	$(BIN)/ruff format portal tests bench scripts
	$(BIN)/ruff check --fix portal tests bench scripts

migrations: install ## Generate a migration for APP against PostgreSQL (make migrations APP=orders)
	DATABASE_URL=$${MIGRATIONS_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/portal_migrations} $(BIN)/python scripts/check_migrations.py --generate $(APP)

check-migrations: install ## Fail when a table change has no migration
	$(BIN)/python scripts/check_migrations.py

system-check: install ## Say which system packages are missing
	$(BIN)/python scripts/check_system.py --runtime --tests

bench: install ## Run the benchmarks (see bench/README.md)
	$(BIN)/python -m bench.run

clean: ## Remove the virtualenv, caches and the demo database
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache build *.egg-info

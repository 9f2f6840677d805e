# consult: `make run` to try it, `make test` to check it. See README.md.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTANCE := instance

.PHONY: help install assets catalogues translations db run web worker lint format test test-fast bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed  ## Create .venv and install consult with its test tools

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/app.css: node_modules/.installed static/src/app.scss static/src/app.js static/src/copy-assets.mjs
	npm run --silent build

assets: static/dist/app.css  ## Build the CSS and JavaScript into static/dist

# Compiled catalogues (.mo) are build output, made from the .po files kept in git.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

catalogues: $(CATALOGUES)  ## Compile the translations (.po to .mo)

translations: install  ## Extract the strings, update the pl and ur catalogues, compile them
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -c "Translators:" -w 100 \
		--sort-by-file --project consult --copyright-holder "consult contributors" \
		-o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -w 100 --ignore-obsolete
	$(MAKE) catalogues

db: install  ## Create or migrate the database, seed the demo, translate consult's own words
	$(BIN)/consult db upgrade
	$(BIN)/consult seed-demo
	$(BIN)/consult translate-defaults

run: install assets catalogues db  ## Start the web app, a worker and beat (Ctrl-C stops all)
	$(BIN)/consult dev --host 127.0.0.1 --port 5000

lint: install  ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install  ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Two pytest-xdist workers, each with its own PostgreSQL and Redis database (tests/services.py);
# `make test PYTEST_WORKERS=0` runs everything in one process. worksteal: a worker that runs out
# takes half of the other's remaining tests, so a few slow browser tests do not hold up the end.
PYTEST_WORKERS ?= 2

test: lint assets catalogues  ## Lint, then the whole test suite
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=15

bench: install  ## Run the benchmarks in bench/
	@for script in bench/*.py; do $(BIN)/python $$script; done

clean:  ## Remove the virtualenv, node_modules and built assets (keeps instance/)
	rm -rf $(VENV) node_modules static/dist .pytest_cache .mypy_cache .ruff_cache

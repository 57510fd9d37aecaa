# Two commands do everything: `make run` (install, set up, serve) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
UV_VERSION := 0.13.8

# A .venv whose python runs, with uv (or pip to install it). A half-made one, left by an
# interrupted first install (no python, or neither uv nor a working pip), is made again.
define MAKE_VENV
if ! { $(PY) -c '' && { $(UV) --version || $(PY) -m pip --version; }; } >/dev/null 2>&1; then \
  if [ -e $(VENV) ]; then echo "$(VENV) is unusable (half-made?): making it again"; fi; \
  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) || exit 1; \
fi; \
$(UV) --version >/dev/null 2>&1 || $(PY) -m pip install --quiet uv==$(UV_VERSION)
endef

.PHONY: help install run check-port setup serve test test-postgres chromium check-messages bench-import bench-web bench-search bench-faults wrk lint format check-migrations messages clean

help:
	@echo "make run    install what running needs, set up the SQLite database with the fixtures,"
	@echo "            create an editor account and serve the site at http://$(HOST):$(PORT)/"
	@echo "            (PORT=8001 for another port; Ctrl-C stops the server and the worker)"
	@echo "make test   install the test tools too and run the whole test suite"
	@echo "            (SQLite; DATABASE_URL=postgres://... for PostgreSQL)"

# What running needs (`make run`): the project's dependencies, not the dev group. --inexact
# keeps what `make test` added, so that run and test do not undo each other.
$(VENV)/.installed: uv.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
	  { echo "Python 3.12 or newer is needed (found $$($(PYTHON) --version)); set PYTHON=..."; exit 1; }
	@$(MAKE_VENV)
	$(UV) sync --frozen --no-dev --inexact
	$(PY) -m compileall -q newsroom timeline  # ours too: starts need no compiling (PYTHONDONTWRITEBYTECODE)
	touch $@

# The tests' and linters' tools too (the dev group: pytest, Playwright, ruff...).
$(VENV)/.installed-dev: $(VENV)/.installed
	$(UV) sync --frozen
	touch $@

install: $(VENV)/.installed

# Local settings for development: a generated secret key, plain HTTP. Never committed.
.env:
	@echo "DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "DJANGO_DEBUG=0" >> $@
	@echo "DJANGO_HTTPS=0" >> $@
	@echo "Wrote .env with a generated secret key (kept out of git)."

setup: install .env
	$(MANAGE) migrate --no-input
	$(MANAGE) load_seed
	$(MANAGE) create_roles -v0
	$(MANAGE) collectstatic --no-input -v0
	$(MANAGE) create_editor --username editor --if-missing

# The web server, and beside it the worker for background imports and search indexing
# (django.tasks). bin/serve.py starts both, restarts the worker if it exits, and stops both
# on Ctrl-C or on a SIGTERM to make (GNU make forwards it) or if make dies.
serve: install .env
	@exec $(PY) bin/serve.py $(HOST) $(PORT)

# Before the install and the set-up: a taken port is said at once.
check-port:
	@$(PYTHON) bin/serve.py --check $(HOST) $(PORT)

run: check-port setup serve

test: $(VENV)/.installed-dev .env chromium node_modules/.installed
	DJANGO_HTTPS=0 $(VENV)/bin/pytest $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium (never a browser downloaded by Playwright).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq --no-install-recommends chromium; }

# axe-core and the Nu Html Checker (Java) for the accessibility tests, pinned in package-lock.json.
# --ignore-scripts: vnu-jar's postinstall would download a JDK; the machine's Java 17 is used.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

test-postgres:
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/newsroom} $(MAKE) test

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-migrations: install .env
	$(MANAGE) makemigrations --check --dry-run

# Rebuild the Thai catalogue after adding strings; the compiled .mo files are committed.
messages: install .env
	$(MANAGE) makemessages -l th --no-obsolete --ignore=.venv --ignore=staticfiles \
	  --ignore=tests --ignore=bench --ignore=node_modules --ignore=newsroom/locale
	$(MANAGE) compilemessages -l th --ignore=.venv

# The compiled catalogues must match their sources (CI runs this).
check-messages: install .env
	$(MANAGE) compilemessages -l th --ignore=.venv -v0
	git diff --exit-code --stat -- locale newsroom/locale

# Import speed against django-import-export's defaults (ROWS=50000 by default;
# BENCH_ARGS=--plain: rows without topics, people or sources; BENCH_ARGS="--pg-database
# NAME": the PostgreSQL database it drops and fills, bench_import by default).
bench-import: install .env
	$(PY) bench/import_bench.py $(if $(ROWS),--rows $(ROWS)) $(BENCH_ARGS)

# The public pages, uncached and cached, against a bare Django view (1,000 events on SQLite;
# SIZES=1000,10000,50000 DATABASES=sqlite,postgres for the curve, about an hour; BENCH_ARGS=
# "--check --seconds 5" and so on, see bench/README.md).
bench-web: install .env wrk
	$(PY) bench/web_bench.py $(if $(WORKERS),--workers $(WORKERS)) $(if $(SIZES),--sizes $(SIZES)) $(if $(DATABASES),--databases $(DATABASES)) $(BENCH_ARGS)

# Search precision and recall on the seed: 50-odd queries (Thai words in compounds, other
# spellings, Latin script on both pages, phrases, misses) against a grep of the texts, on
# SQLite and PostgreSQL (DATABASES=sqlite for one; BENCH_ARGS="--check --verbose";
# "--pg-database NAME": the PostgreSQL database it drops and fills, bench_search by default).
bench-search: install .env
	$(PY) bench/search_bench.py $(if $(DATABASES),--databases $(DATABASES)) $(BENCH_ARGS)

# Readers under load while a long import runs, the database is away and Redis is away
# (SQLite and PostgreSQL; BENCH_ARGS="--seconds 30 --rows 20000" for a quick run).
bench-faults: install .env wrk
	$(PY) bench/faults_bench.py $(BENCH_ARGS)

wrk:
	@command -v wrk >/dev/null || { \
	  echo "Installing Debian's wrk for the web benchmark"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq --no-install-recommends wrk; }

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

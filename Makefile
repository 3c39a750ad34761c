# `make run` sets everything up and serves the portal; `make test` sets up and runs the whole suite.
VENV ?= .venv
PORT ?= 8000
# The portal's public address under `make run`: on the port it serves, unless SITE_URL is given.
RUN_SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))
BIN := $(VENV)/bin
PY := $(BIN)/python
# The first Python 3.12+ on the PATH (pyenv reads .python-version).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; \
	done)

.PHONY: run run-stack test install migrate demo lint format migrations-check messages clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (none found on the PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The compiled .mo files are committed; recompile them where gettext is installed.
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv -v0; \
	else echo "gettext (msgfmt) is not installed: using the committed .mo files."; fi

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

run: demo messages
	@echo "Serving the portal on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/, API docs: /api/docs/)"
	@# The background worker delivers webhooks (Django tasks, database backend); it stops with the server.
	SITE_URL=$(RUN_SITE_URL) $(PY) manage.py db_worker --no-reload --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	SITE_URL=$(RUN_SITE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production shape on this machine: Varnish -> gunicorn (production settings) -> PostgreSQL + Redis, and the
# task worker (deploy/run-stack.sh; needs varnish and varnish-modules, PostgreSQL and Redis running).
run-stack: install messages
	STACK_PORT=$(or $(STACK_PORT),8080) deploy/run-stack.sh

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

test: install migrations-check messages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache

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

# uv installs exactly what uv.lock lists (every package, transitive ones too, with hashes). The Makefile
# brings its own pinned uv from PyPI into .tools/ (pip, a few seconds) and never downloads a Python.
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run run-stack test test-fast install install-loadtest loadtest lock migrate demo lint format migrations-check messages clean

$(UV):
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (none found on the PATH)."; exit 1; }
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(TOOLS) uv==$(UV_VERSION)

# --compile-bytecode: the packages' .pyc files are written once, here (both cores); otherwise, with
# PYTHONDONTWRITEBYTECODE set, every process would compile Django and the rest again (seconds each).
# Reinstalled only when the lock (or pyproject.toml) changed since the last install: a second `make run`
# starts at once. --locked refuses a lock that no longer matches pyproject.toml (run `make lock`).
$(VENV)/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked --quiet --compile-bytecode --extra dev --python $(PYTHON)
	touch $@

install: $(VENV)/.installed

# After editing the dependencies in pyproject.toml: resolve them again into uv.lock (commit both).
lock: | $(UV)
	$(UV) lock --python $(PYTHON)

# Locust (with Flask and gevent) is for the load test only; `make install` leaves it out again.
install-loadtest: install
	$(UV) sync --locked --quiet --compile-bytecode --extra dev --extra loadtest --python $(PYTHON)

loadtest: install-loadtest
	$(PY) loadtest/run.py $(LOADTEST_ARGS)

# The compiled .mo files are committed; recompiled (msgfmt, as compilemessages does) when a .po is newer.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(MO_FILES)
locale/%.mo: locale/%.po
	@if command -v msgfmt >/dev/null 2>&1; then msgfmt --check-format -o $@ $<; \
	else echo "gettext (msgfmt) is not installed: using the committed $@."; fi

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

# `make run` migrates and loads the demo once per database, and again when a migration or the demo
# changes (or db.sqlite3 is gone): a second `make run` goes straight to serving.
DEMO_STAMP := $(VENV)/.demo-$(shell printf '%s' "$(DATABASE_URL)" | cksum | cut -d' ' -f1)
ifeq ($(DATABASE_URL)$(wildcard db.sqlite3),)
$(shell rm -f $(DEMO_STAMP))
endif
$(DEMO_STAMP): $(VENV)/.installed $(wildcard factcheck/*/migrations/*.py) $(wildcard factcheck/claims/demo/* factcheck/claims/demo.py)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	touch $@

run: $(DEMO_STAMP) messages
	@echo "Serving the portal on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/, API docs: /api/docs/)"
	@echo "Demo accounts: README.md (or \`make demo\` prints them again)."
	@# The background worker delivers webhooks (Django tasks, database backend); it stops with the server.
	SITE_URL=$(RUN_SITE_URL) nice $(PY) manage.py db_worker --no-reload --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	SITE_URL=$(RUN_SITE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production shape on this machine: Varnish -> gunicorn (production settings) -> PostgreSQL + Redis, and the
# task worker (deploy/run-stack.sh; needs varnish and varnish-modules, PostgreSQL and Redis running).
run-stack: install messages
	STACK_PORT=$(or $(STACK_PORT),8080) deploy/run-stack.sh

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# Both cores (pytest-xdist). --dist loadfile keeps each test file on one worker: a module's own server
# (gunicorn, runserver, redis-server) starts once, and the fuzz file counts its own requests. The files
# are handed out in the collection's order (--no-loadscope-reorder: not by their number of tests), which
# tests/conftest.py makes the fuzz file first, so its minute runs beside the rest instead of after it,
# and the browser files last, largest first.
# (Not --dist loadgroup: pytest-xdist 3.8 marks groups in item._nodeid, which pytest 9 no longer reads.)
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder
# Generated requests per API operation and role in the fuzz tests under `make test`; CI runs them at their
# full strength (`make test FUZZ_EXAMPLES=`: empty is the fuzz file's own count, tests/fuzz/test_api_fuzz.py).
FUZZ_EXAMPLES ?= 4
# Bytecode is written during the tests even where PYTHONDONTWRITEBYTECODE is set (empty turns it off): the
# portal's modules and pytest's rewritten test modules are then compiled once, not again in each worker and
# in each manage.py, runserver and gunicorn the tests start (__pycache__/ is ignored by git).
TEST_ENV := FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) PYTHONDONTWRITEBYTECODE=

test: install migrations-check messages
	$(TEST_ENV) $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

# The edit loop: everything but the browser, fuzz and slow (server and subprocess) tests. The fuzz file is
# not even collected: it loads the API schema when imported (a second or more in each worker).
test-fast: install
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest $(XDIST) --ignore=tests/fuzz -m "not browser and not fuzz and not slow" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) $(TOOLS) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache

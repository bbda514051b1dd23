# Two set-up commands: `make run` (SQLite, tasks in-process) and `make test` (every check).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint format migrate seed check-migrations pytest stack bench bench-pages bench-deliver bench-publish clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "Helsenorge-simulator: http://$(HOST):$(PORT)/  (NHN kundesenter: /ar/, klinikkadmin: /admin/)"
	$(PY) manage.py serve $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(PY) scripts/check_import_cycles.py
	$(PY) scripts/check_sizes.py
	$(PY) scripts/check_ports.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	$(PY) manage.py makemigrations --check --dry-run

# Independent test files run in parallel (pytest-xdist); each file stays in one process, so a module's
# seeded demo is loaded once. PYTEST_WORKERS=0 runs everything in this process.
PYTEST_WORKERS ?= 2
XDIST = $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

pytest: install
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test: lint check-migrations pytest

# The inner loop: no browser, no access matrix, no lint; everything else, in parallel.
test-fast: install
	$(BIN)/pytest $(XDIST) -m "not browser" --ignore=tests/test_access_matrix.py $(PYTEST_ARGS)

# The full stack on this machine without Docker: gunicorn, a Celery worker and beat, logs in one place.
stack: install
	@test -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || { echo "make stack needs DATABASE_URL (postgres://…) and REDIS_URL (redis://…)"; exit 2; }
	$(PY) manage.py migrate --no-input
	COLLECTED_STATIC=true $(PY) manage.py collectstatic --no-input -v0
	mkdir -p var
	COLLECTED_STATIC=true PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(BIN)/honcho -f Procfile start 2>&1 | tee var/stack.log

# The rush after an invitation SMS, against the full stack on PostgreSQL and Redis (see bench/rush.py).
bench: install
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) bench/rush.py $(BENCH_ARGS)

# What each page of the flow costs in CPU next to a trivial view, in one process (see bench/pages.py).
bench-pages: install
	$(PY) bench/pages.py $(BENCH_ARGS)

bench-deliver: install
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) bench/deliver.py

bench-publish: install
	$(PY) bench/publish_year.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache

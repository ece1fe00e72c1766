# One task runner. `make run` serves the portal; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_COUNT ?= 2000

# Optional local configuration (see .env.example).
-include .env
export

.PHONY: install run serve test lint format messages clean browser compose-cli backup restore vnu

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Development server with the reference data and a modest set of demo enterprises, and the
# worker that runs background jobs (confirmed spreadsheet imports; e-mails print on the console).
run: export DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference
	$(BIN)/python manage.py generate_demo --count $(DEMO_COUNT) --if-empty
	# The task worker (imports, e-mails) beside the web server, stopped with it.
	$(BIN)/python manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it when missing (as root, as in CI).
browser:
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

# The suite runs on every core (pytest-xdist), then the tests marked `serial` run in one
# process: those that stop or copy the shared PostgreSQL server, and the browser tests,
# whose data is written once for all of them. Both passes list their slowest tests; the
# last line gives the total time.
# TEST_WORKERS=4 sets the number of worker processes (default: one per core).
TEST_WORKERS ?= auto
test: install lint browser compose-cli load-tool vnu
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tests.settings
	@start=$$(date +%s); \
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not serial" --durations=15 \
	&& { $(BIN)/pytest -n 0 -m serial --durations=10 || [ $$? -eq 5 ]; }; \
	status=$$?; echo "Test suite: $$(( $$(date +%s) - start )) s wall time"; exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract, then compile, the interface translations (needs GNU gettext).
messages: install
	# Source strings are English: the English catalogue is rebuilt from them each time.
	rm -f locale/en/LC_MESSAGES/django.po
	$(BIN)/python manage.py makemessages --locale fr --locale en --no-obsolete --no-location --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --settings=tests.settings
	msgen locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' --settings=tests.settings

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# --- Operations: compose validation, backups -------------------------------------------------
# The tests validate docker-compose.yml with Debian's docker-compose (no Docker engine needed).
# And Debian's caddy, to test deploy/Caddyfile, the reverse proxy docker-compose.yml runs.
compose-cli:
	test -x /usr/bin/docker-compose || (apt-get update -qq && apt-get install -y -qq docker-compose)
	test -x /usr/bin/caddy || (apt-get update -qq && apt-get install -y -qq caddy)

# A compressed, dated dump under BACKUP_DIR (default backups/); KEEP=N keeps the N newest.
backup: export DEBUG ?= 1
backup: install
	$(BIN)/python manage.py backup $(if $(KEEP),--keep $(KEEP))

# Restores FILE into the configured database, which must be empty.
restore: export DEBUG ?= 1
restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<name>.dump"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"
# -- Benchmark and soak test (bench/run.py; results in docs/benchmarks.md) ----------------
# BENCH_DURATION=3 BENCH_CONNECTIONS=8 make bench  for a quick run; SOAK_DURATION for make soak;
# BENCH_ARGS=--fresh recreates (and times) the 100,000 demo enterprises.
# BENCH_GROWTH=10000,100000,300000 adds the growth run (table and docs/benchmarks-growth.svg);
# BENCH_ROUTES=edits the directory under edits alone.
# BENCH_PROXY=1 also measures the floors, the directory, the home page and the API list
# through deploy/Caddyfile run by Debian's caddy (HTTPS, its local CA; `make compose-cli`),
# each beside the same route direct.
.PHONY: load-tool bench soak

# The load generators, installed when missing (as root, as in CI): ab (Debian's
# apache2-utils) for the portal directly, wrk through the proxy (bench/load.py says why).
load-tool:
	command -v ab >/dev/null || (apt-get update -qq && apt-get install -y -qq apache2-utils)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

# The Nu HTML Checker (runs on the machine's Java), for tests/test_html_validity.py.
vnu:
	test -f node_modules/vnu-jar/build/dist/vnu.jar || npm install --no-save --silent vnu-jar@26.9.27

bench: install load-tool $(if $(filter 1,$(BENCH_PROXY)),compose-cli)
	$(BIN)/python -m bench.run bench $(BENCH_ARGS)

soak: install load-tool
	$(BIN)/python -m bench.run soak

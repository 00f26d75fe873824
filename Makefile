# The entry point for developers and CI. `make run` and `make test` set
# everything up from a fresh clone; see README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Development defaults (SQLite under var/, filesystem broker) unless the
# environment says otherwise; production never runs through this Makefile.
export DEBUG ?= true

.PHONY: run test lint check messages seed clean help

help:
	@echo "make run   - set up and run the portal (web, Celery worker and beat) on http://127.0.0.1:8000 (PORT=8080 to change)"
	@echo "make test  - run the whole test suite"
	@echo "make lint  - ruff and the migrations check"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.run-installed $@

var:
	mkdir -p var/broker/queue var/broker/processed var/media

# A development .env (never committed), so that plain `.venv/bin/python manage.py …`
# works in a checkout too. Variables set in the environment still win over it.
.env:
	@printf '# Development defaults written by make; see .env.example for production.\nDEBUG=true\n' > .env
	@echo "Wrote .env with DEBUG=true (SQLite and the filesystem broker under var/)."

messages: $(VENV)/.run-installed
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; \
	else echo "msgfmt not found (apt-get install gettext): using the committed .mo files"; fi

# make run PORT=8080 (or HOST=0.0.0.0 SITE_URL=http://my-host:8000) to serve elsewhere.
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(VENV)/.run-installed .env var messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_demo_pages
	@HOST=$(HOST) PORT=$(PORT) scripts/run_dev.sh

# The accessibility gate's tools (axe-core, the Nu checker) from package-lock.json; the
# packages' install scripts are not run (vnu-jar's would download a Java: Debian's is used).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility gate will be skipped (it fails in CI)"; fi

# Two workers: the machines have two cores. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
test: $(VENV)/.dev-installed .env var node_modules/.installed
	@rm -f var/accessibility-gate.txt
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
	@if [ -f var/accessibility-gate.txt ]; then cat var/accessibility-gate.txt; fi

lint: $(VENV)/.dev-installed .env
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf var staticfiles .pytest_cache node_modules

# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_CONCURRENCY ?= 2

.PHONY: help run serve check-deploy test lint bench check-python chromium wrk clean

help:
	@echo "make run    start the app with its content on http://$(HOST):$(PORT) (development)"
	@echo "make test   lint and run the whole test suite, browser tests included"
	@echo "make serve  the app under gunicorn with production settings (docs/deploy.md)"
	@echo "make bench  the load benchmark (see README, Performance)"

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
	  echo "Python 3.12 or newer is needed (Django 6.1); '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "With pyenv, the .python-version file here selects 3.13; or run: make PYTHON=python3.13 ..."; \
	  exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(STAMP)

# Mail goes to this terminal (the console backend). The task worker (db_worker) and the
# scheduler (crontask) run in the background beside the server and stop with it; the demo's
# reminders and digest are sent once before it starts (again only in a new week).
run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_content content
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py issue_certificates
	DJANGO_DEBUG=1 $(BIN)/python manage.py send_reminders
	DJANGO_DEBUG=1 $(BIN)/python manage.py send_reminders --digest
	@echo "Open http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	@export DJANGO_DEBUG=1 DJANGO_TASKS_BACKEND=database; \
	$(BIN)/python manage.py db_worker --no-reload --interval 2 & worker=$$!; \
	$(BIN)/python manage.py crontask --no-heartbeat & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# One host with production settings (docs/deploy.md). The course material is loaded from
# content/ only into an empty database: a restart never overwrites edits made in the admin.
serve: $(STAMP)
	@test -n "$$DJANGO_SECRET_KEY" || { echo "Set DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS for production-like runs; see docs/deploy.md."; exit 1; }
	$(BIN)/python manage.py check --deploy
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@if $(BIN)/python manage.py shell --no-imports -c "from courses.models import Course; raise SystemExit(0 if Course.objects.exists() else 1)"; then \
	  echo "Courses exist: content/ not reloaded (manage.py load_content content updates them from the files)."; \
	else $(BIN)/python manage.py load_content content; fi
	exec $(BIN)/gunicorn config.wsgi:application --no-control-socket \
	  --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) --access-logfile - --graceful-timeout 20

# The deployment check with the production environment: any warning fails.
check-deploy: $(STAMP)
	$(BIN)/python manage.py check --deploy --fail-level WARNING

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The browser tests need Debian's 'chromium' package: sudo apt-get install chromium"; exit 1; \
	fi

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

test: $(DEV_STAMP) chromium lint
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0 || { echo "Migrations are missing: run makemigrations."; exit 1; }
	@# Digital Bazaar's verifier, the second check of the certificates' credentials (tests/vc/).
	@if command -v npm >/dev/null; then npm ci --prefix tests/vc --no-audit --no-fund --silent; \
	else echo "npm is missing: the independent credential verifier test will be skipped."; fi
	$(BIN)/pytest

wrk:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
	  echo "Installing Debian's wrk for the load benchmark..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
	  echo "The benchmark needs Debian's 'wrk' package: sudo apt-get install wrk"; exit 1; \
	fi

bench: $(DEV_STAMP) wrk
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm tests/browser/screenshots

# The one entry point. `make help` lists the targets.
# Every target bootstraps what it needs: a .venv, uv inside it, packages from uv.lock.

SHELL := /bin/bash
.DEFAULT_GOAL := help

ALL_PROJECTS := hospital lms shop crm saas
# The capstones present in this checkout (a project exists once it has a manage.py).
PROJECTS := $(strip $(foreach p,$(ALL_PROJECTS),$(if $(wildcard $(p)/manage.py),$(p))))
P ?= $(PROJECTS)

VENV := .venv
PY := $(CURDIR)/$(VENV)/bin/python
UV := $(CURDIR)/$(VENV)/bin/uv
STAMP := $(VENV)/.synced

# Services mode: PostgreSQL + Redis on this machine (override on the command line).
PG_URL ?= postgres://postgres@127.0.0.1:5432
REDIS_BASE ?= redis://127.0.0.1:6379

.PHONY: help setup run test test-services lint format check clean

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-15s\033[0m %s\n", $$1, $$2}'
	@echo "  Projects present: $(PROJECTS)   (choose one with P=shop)"

$(STAMP): pyproject.toml uv.lock
	@test -x $(PY) || python3 -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check uv
	@UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet --inexact
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the locked packages
	@echo "Environment ready in $(VENV)"

run: setup ## Migrate, seed and serve every capstone (or P=shop); Ctrl-C stops
	@$(PY) -m shared.web.runner $(P)

test: setup ## Every suite on the embedded default (SQLite, Celery eager)
	@$(PY) -m shared.testing.runner shared $(P) -- $(PYTEST_ARGS)

test-services: setup ## Every suite on PostgreSQL + Redis + a live worker, with the 90% coverage gate
	@PG_URL=$(PG_URL) REDIS_BASE=$(REDIS_BASE) \
		$(PY) -m shared.testing.runner --services --coverage shared $(P) -- $(PYTEST_ARGS)

lint: setup ## ruff check and ruff format --check
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: setup ## Apply ruff's fixes and formatting
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

check: setup ## makemigrations --check, the OpenAPI schema, check --deploy (production), per project
	@set -e; for p in $(P); do \
		echo "== $$p"; \
		(cd $$p && $(PY) manage.py makemigrations --check --dry-run >/dev/null && echo "migrations: up to date"); \
		(cd $$p && $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null && echo "OpenAPI schema: valid, no warnings"); \
		(cd $$p && DJANGO_MODE=production SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
			DATABASE_URL=$(PG_URL)/check ALLOWED_HOSTS=example.com REDIS_URL=$(REDIS_BASE)/0 \
			$(PY) manage.py check --deploy --fail-level WARNING); \
	done

clean: ## Remove the SQLite files, caches and reports (keeps .venv)
	rm -rf */db.sqlite3 */media .pytest_cache .coverage* htmlcov

# Deployment and load-test targets live beside their code.
-include deploy/deploy.mk
-include loadtests/loadtest.mk

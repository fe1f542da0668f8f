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

.PHONY: help setup run dev test test-services exercise exercise-solutions lint format check clean review-bug review-bugs

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

# --- make dev: one project with auto-reload, for a student editing code (docs/debugging.md) ---
# runserver's autoreloader restarts the server on every saved .py file (no --noreload here,
# unlike make run); the port is the project's (shared.web.runner.PORTS) unless PORT= is given.
dev: setup ## One project with auto-reload on every save: migrate, seed, runserver (P=shop)
	@test "$(words $(P))" = 1 || { echo "make dev serves one project: make dev P=shop" >&2; exit 2; }
	@test -f $(P)/manage.py || { echo "No project '$(P)' here (present: $(PROJECTS))" >&2; exit 2; }
	@cd $(P) && export DJANGO_MODE=embedded && \
		$(PY) manage.py migrate --no-input -v 0 && $(PY) manage.py seed_demo && \
		$(PY) manage.py demo_logins && \
		$(PY) manage.py runserver 127.0.0.1:$${PORT:-$$($(PY) -c 'from shared.web.runner import PORTS; print(PORTS["$(P)"])')}
# --- end of make dev ---

test: setup ## Every suite on the embedded default (SQLite, Celery eager)
	@$(PY) -m shared.testing.runner shared $(P) -- $(PYTEST_ARGS)

test-services: setup ## Every suite on PostgreSQL + Redis + a live worker, with the 90% coverage gate
	@PG_URL=$(PG_URL) REDIS_BASE=$(REDIS_BASE) \
		$(PY) -m shared.testing.runner --services --coverage shared $(P) -- $(PYTEST_ARGS)

# --- Exercises (<project>/EXERCISES.md): their tests are left out of make test, and fail until
# the student has done the exercise. SERVICES=1 runs them on PostgreSQL + Redis as well (the
# race tests of a stretch exercise need it).
exercise: setup ## One exercise's tests, failing until it is done: make exercise P=shop E=wishlist
	@test "$(words $(P))" = 1 -a -n "$(E)" || { echo "usage: make exercise P=shop E=wishlist" >&2; exit 2; }
	@test -d $(P)/exercises/$(E) || { echo "No exercise '$(E)' in $(P) (see $(P)/EXERCISES.md)" >&2; exit 2; }
	@$(if $(SERVICES),PG_URL=$(PG_URL) REDIS_BASE=$(REDIS_BASE)) \
		$(PY) -m shared.testing.runner $(if $(SERVICES),--services) $(P) -- exercises/$(E) --exercise=$(E) $(PYTEST_ARGS)

exercise-solutions: setup ## Every exercise: its tests fail on the committed tree, pass with solution.patch
	@bash .ci/exercises.sh

# Capstones still converging on docs/architecture.md (issue 10): make lint runs their import
# contracts and their services' mypy and prints the result, but does not fail on them yet.
# A project leaves this list once it passes; then a failure, or a missing .importlinter, fails.
LINT_PENDING ?=

lint: setup ## ruff, import contracts, no project imports another, mypy (docs/lint-and-types.md)
	@echo "== ruff check"; $(VENV)/bin/ruff check .
	@echo "== ruff format --check"; $(VENV)/bin/ruff format --check .
	@echo "== import contracts: shared"; $(VENV)/bin/lint-imports --no-logo .importlinter
	@set -e; for p in $(PROJECTS); do \
		pending=$$(case " $(LINT_PENDING) " in *" $$p "*) echo yes;; esac); \
		echo "== import contracts: $$p"; \
		if [ ! -f $$p/.importlinter ]; then \
			if [ -n "$$pending" ]; then echo "note: $$p has no .importlinter yet (pending)"; continue; fi; \
			echo "error: $$p/.importlinter is missing: every capstone declares its layers"; exit 1; \
		fi; \
		(cd $$p && $(CURDIR)/$(VENV)/bin/lint-imports --no-logo) \
			|| { [ -n "$$pending" ] && echo "note: $$p is still converging: not enforced yet"; } \
			|| exit 1; \
	done
	@echo "== no project imports another"; $(PY) -m shared.testing.project_imports .
	@echo "== mypy: shared (strict)"; \
		DJANGO_SETTINGS_MODULE=shared.tests.project.settings $(VENV)/bin/mypy shared
	@set -e; for p in $(PROJECTS); do \
		pending=$$(case " $(LINT_PENDING) " in *" $$p "*) echo yes;; esac); \
		echo "== mypy: $$p/*/services.py (strict)"; \
		(cd $$p && DJANGO_SETTINGS_MODULE=config.settings $(CURDIR)/$(VENV)/bin/mypy \
			--config-file ../pyproject.toml --follow-imports=silent */services.py) \
			|| { [ -n "$$pending" ] && echo "note: $$p is still converging: not enforced yet"; } \
			|| exit 1; \
	done

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

# --- The bug museum (docs/review/README.md): the logic is in .ci/museum.sh ---
review-bug: setup ## Show one museum mistake caught by its test, in a scratch copy (B=shop-oversell)
	@test -n "$(B)" || { echo "Name an entry: make review-bug B=shop-oversell (list: ls docs/review/bugs)" >&2; exit 2; }
	@PYTHON=$(PY) bash .ci/museum.sh $(B)

review-bugs: setup ## Every museum entry: each patch must make its named test fail
	@PYTHON=$(PY) bash .ci/museum.sh

clean: ## Remove the SQLite files, caches and reports (keeps .venv)
	rm -rf */db.sqlite3 */media .pytest_cache .coverage* htmlcov

# Deployment and load-test targets live beside their code.
-include deploy/deploy.mk
-include loadtests/loadtest.mk
-include shop/frontend/spa.mk

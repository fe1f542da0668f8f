# Deployment targets (included by the Makefile). P chooses the capstone(s), as elsewhere.

DOCKER ?= docker
BASE_IMAGE ?= python:3.11-slim-bookworm
CERT_NAMES ?= localhost 127.0.0.1
# Compose v2 (the docker plugin) where it exists, else Debian's docker-compose 1.29.
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)

.PHONY: certs prod-run prod-smoke image compose-config deploy-check gunicorn-bench

certs: ## Self-signed TLS certificate in deploy/certs/ (CERT_NAMES="localhost 127.0.0.1")
	@bash deploy/make-certs.sh deploy/certs $(CERT_NAMES)

prod-run: setup ## One capstone in production shape behind nginx on https://127.0.0.1:8443 (P=shop)
	@$(PY) deploy/native_stack.py $(firstword $(P)) --nginx

prod-smoke: setup ## The HTTPS smoke test against the native production stack, per capstone
	@set -e; for p in $(P); do $(PY) deploy/native_stack.py $$p --smoke; done

image: ## Build the Docker image of each capstone: capstone-<p>:latest (BASE_IMAGE=...)
	@set -e; for p in $(P); do \
		DOCKER_BUILDKIT=1 $(DOCKER) build -f deploy/Dockerfile --build-arg PROJECT=$$p \
			--build-arg BASE_IMAGE=$(BASE_IMAGE) -t capstone-$$p:latest . ; \
	done

compose-config: ## Validate the compose files with deploy/env.example
	@cd deploy && $(COMPOSE) --env-file env.example -f compose.yml -f compose.dev.yml config -q \
		&& echo "compose files are valid"

deploy-check: setup ## Everything CI proves about deployment (.ci/deploy.sh)
	@bash .ci/deploy.sh

gunicorn-bench: setup ## Measure gunicorn worker/thread settings on this machine (P=shop)
	@$(PY) deploy/bench_gunicorn.py $(firstword $(P))

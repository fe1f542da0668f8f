# Load tests and benchmarks (loadtests/README.md). The Makefile includes this file.
#   make loadtest P=shop USERS=50 SPAWN_RATE=5 DURATION=3m
#   make loadtest-ui P=hospital      locust's web UI on http://127.0.0.1:8189
#   make loadtest-smoke              CI: a few users for a few seconds per capstone present
#   make bench                       regenerate the figures of docs/performance.md
#   make bench-contention            50 buyers on one hot product against 1,000 (shop)
#   make bench-servers               sync, threaded and ASGI servers on one endpoint (shop)
#   make profile                     flame graphs and the per-layer table (py-spy)

.PHONY: loadtest loadtest-ui loadtest-smoke bench bench-contention bench-servers profile

USERS ?=
SPAWN_RATE ?=
DURATION ?=
_LOADTEST_ARGS = $(if $(USERS),--users $(USERS)) $(if $(SPAWN_RATE),--spawn-rate $(SPAWN_RATE)) \
	$(if $(DURATION),--duration $(DURATION))

loadtest: setup ## Load-test one capstone in production shape: P=shop [USERS= SPAWN_RATE= DURATION=]
	@test $(words $(P)) -eq 1 || { echo "choose one project: make loadtest P=shop"; exit 2; }
	@$(PY) -m loadtests.run loadtest $(P) $(_LOADTEST_ARGS)

loadtest-ui: setup ## locust's web UI against the production-shape stack: P=hospital
	@test $(words $(P)) -eq 1 || { echo "choose one project: make loadtest-ui P=shop"; exit 2; }
	@$(PY) -m loadtests.run ui $(P)

loadtest-smoke: setup ## Every journey step once, no failure, per capstone present (CI)
	@$(PY) -m loadtests.run smoke $(P)

bench: setup ## Measure the figures of docs/performance.md (about 15 minutes)
	@$(PY) -m loadtests.bench $(P)

bench-contention: setup ## 50 buyers checking out at once: one hot product against 1,000 (shop)
	@$(PY) -m loadtests.contention

bench-servers: setup ## The products API under gunicorn sync, gunicorn threaded and uvicorn (ASGI)
	@$(PY) -m loadtests.servers

profile: setup ## Flame graphs and the per-layer table of the main list endpoints (py-spy; P=shop)
	@$(PY) -m loadtests.profile $(P)

# The shop's SPA (shop/frontend/): included from the Makefile. Only these targets need Node;
# `make run` and `make test` never do.
#   make spa         Vite's dev server on http://127.0.0.1:5173/app/, proxying to make run's shop
#   make spa-build   the API types from the live schema, tsc, then the bundle in shop/frontend/dist
#   make spa-test    the API layer's unit tests (vitest)

SPA_DIR := shop/frontend
SHOP_URL ?= http://127.0.0.1:8003

.PHONY: spa spa-build spa-test spa-types

$(SPA_DIR)/node_modules/.package-lock.json: $(SPA_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: apt-get install nodejs npm (Node 20.19+)"; exit 1; }
	cd $(SPA_DIR) && npm ci --no-audit --no-fund

# The schema comes from the code (manage.py spectacular), not from a server, so a changed API
# changes the types at once and `tsc` fails where the client no longer fits.
spa-types: setup $(SPA_DIR)/node_modules/.package-lock.json ## The SPA's API types from the OpenAPI schema
	cd shop && $(PY) manage.py spectacular --format openapi-json --file frontend/openapi.json
	cd $(SPA_DIR) && npm run --silent gen:api

spa: spa-types ## Vite dev server for the SPA (start `make run P=shop` first)
	cd $(SPA_DIR) && SHOP_URL=$(SHOP_URL) npm run dev

spa-build: spa-types ## Type-check and build the SPA into shop/frontend/dist
	cd $(SPA_DIR) && npm run build

spa-test: spa-types ## The SPA's unit tests (vitest)
	cd $(SPA_DIR) && npm test

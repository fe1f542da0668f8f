#!/usr/bin/env bash
# Proves the README's first command: `make run` serves /healthz, the login page and
# /api/docs/ on the port of every capstone present, with seeded demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A PORT=([hospital]=8001 [lms]=8002 [shop]=8003 [crm]=8004 [saas]=8005)
projects=$(for p in hospital lms shop crm saas; do if [ -f "$p/manage.py" ]; then echo "$p"; fi; done)

log=$(mktemp)
setsid make run >"$log" 2>&1 &
runner=$!
trap 'kill -INT -- -$runner 2>/dev/null || true; sleep 2; kill -- -$runner 2>/dev/null || true' EXIT

for p in $projects; do
  for _ in $(seq 1 180); do
    curl -fsS -o /dev/null "http://127.0.0.1:${PORT[$p]}/healthz" 2>/dev/null && break
    kill -0 "$runner" 2>/dev/null || { cat "$log"; echo "make run exited early"; exit 1; }
    sleep 1
  done
  for path in /healthz /accounts/login/ /api/docs/ /api/schema/ /; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[$p]}$path")
    echo "$p $path -> $code"
    [ "$code" = 200 ] || { cat "$log"; exit 1; }
  done
done
grep -q "demo logins" "$log" || { cat "$log"; echo "the table of URLs and demo logins was not printed"; exit 1; }
sed -n '/^project/,/Ctrl-C/p' "$log"
echo "make run: every project served"

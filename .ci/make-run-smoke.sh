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
# Nothing before the table looks like a failure (no kombu warning, no task log lines), and
# after it only the servers' own lines, each named by its project (the banners are held).
before=$(sed -n '/^project /q;p' "$log")
if grep -Eq 'WARNING|succeeded|Traceback' <<<"$before"; then
  cat "$log"; echo "make run printed warnings or task logs before its table"; exit 1
fi
after=$(sed -n '/Ctrl-C stops every server/,$p' "$log" | tail -n +2)
if grep -Ev '^$|^\[[a-z]+\] ' <<<"$after" | grep -q .; then
  cat "$log"; echo "make run printed something after its table that no server owns"; exit 1
fi
sed -n '/^project/,/Ctrl-C/p' "$log"
# A second `make run` finds the ports taken: it must say so and stop, not show a table.
first=$(echo "$projects" | head -1)
if out=$(make run P="$first" 2>&1); then
  echo "$out"; echo "make run started although port ${PORT[$first]} was busy"; exit 1
fi
grep -q "port ${PORT[$first]} is in use by another program; set PORT=" <<<"$out" \
  || { echo "$out"; echo "make run did not name the busy port"; exit 1; }
echo "busy port: make run stops and names it"
echo "make run: every project served"

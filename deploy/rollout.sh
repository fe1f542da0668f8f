#!/usr/bin/env bash
# Update a running compose stack to a new image without dropping requests.
#   cd deploy && TAG=<new tag> ./rollout.sh
# Run on the server, in deploy/ with its .env. docs/deploy.md explains each step.
#
# The idea: start a second web container with the new image next to the old one, wait
# until Docker reports it healthy, point nginx at both, retire the old one, point nginx at
# the new one alone. nginx resolves "web" when it (re)loads its configuration, so each
# change of containers is followed by a graceful `nginx -s reload`.
set -euo pipefail
cd "$(dirname "$0")"
compose() { docker compose "$@"; }

if [ -n "${TAG:-}" ]; then
    # Remember the new tag in .env, so a later `docker compose up` keeps it.
    sed -i "s/^TAG=.*/TAG=$TAG/" .env
fi

echo "--- pull the new image"
compose pull migrate web worker beat

echo "--- migrate (the old code keeps running: migrations must be backward compatible)"
compose run --rm migrate

old=$(compose ps -q web)
echo "--- start a new web container next to the old one ($old)"
compose up -d --no-deps --no-recreate --scale web=2 web
new=$(compose ps -q web | grep -v "$old")
for _ in $(seq 1 60); do
    state=$(docker inspect --format '{{.State.Health.Status}}' "$new")
    [ "$state" = healthy ] && break
    [ "$state" = unhealthy ] && { echo "new container unhealthy: rolling back"; docker rm -f "$new"; exit 1; }
    sleep 2
done
[ "$state" = healthy ] || { echo "new container never got healthy: rolling back"; docker rm -f "$new"; exit 1; }
compose exec nginx nginx -s reload

echo "--- retire the old web container (gunicorn finishes its requests on SIGTERM)"
docker stop --time 35 "$old" >/dev/null
docker rm "$old" >/dev/null
compose up -d --no-deps --no-recreate --scale web=1 web
compose exec nginx nginx -s reload

echo "--- worker and beat: a warm shutdown finishes running tasks (unacked ones are redelivered)"
compose up -d --no-deps worker beat
compose ps

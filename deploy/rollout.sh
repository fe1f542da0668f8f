#!/usr/bin/env bash
# Update a running compose stack to a new image without dropping requests.
#   cd deploy && TAG=<new tag> ./rollout.sh     (an image from a registry)
#   cd deploy && docker compose build && ./rollout.sh     (an image built on the server)
# Run on the server, in deploy/ with its .env. docs/deploy.md explains each step; CI runs
# it against a live compose stack under load (.ci/compose-stack.sh).
#
# The idea: start a second web container with the new image next to the old one, wait
# until Docker reports it healthy, point nginx at both, retire the old one, point nginx at
# the new one alone. nginx resolves "web" when it (re)loads its configuration, so each
# change of containers is followed by a graceful `nginx -s reload`.
set -euo pipefail
cd "$(dirname "$0")"
# Compose v2 (the Docker plugin), or Debian's docker-compose (v1) where that is all there is.
if docker compose version >/dev/null 2>&1; then compose() { docker compose "$@"; }; else compose() { docker-compose "$@"; }; fi

# `nginx -s reload` returns at once, while nginx's old worker processes still serve the
# requests in flight and their kept-alive connections, with the old list of web containers.
# Wait until they are gone before a container is taken away, or a request an old worker
# still routes to it fails (502). ("shutting[ ]down": the pattern does not match itself.)
reload_nginx() {
    compose exec -T nginx nginx -s reload
    for seconds in $(seq 1 30); do
        sleep 1
        if ! compose exec -T nginx sh -c 'grep -l "shutting[ ]down" /proc/[0-9]*/cmdline' >/dev/null 2>&1; then
            echo "nginx reloaded: its old workers were gone after $seconds s"
            return 0
        fi
    done
    echo "nginx's old workers are still busy after 30 s: going on"
}

if [ -n "${TAG:-}" ]; then
    # A release from a registry: remember the new tag in .env, so a later `docker compose up`
    # keeps it, and pull it. Without TAG, the new image was just built here (compose build).
    sed -i "s/^TAG=.*/TAG=$TAG/" .env
    echo "--- pull the new image"
    compose pull migrate web worker beat
fi

echo "--- migrate (the old code keeps running: migrations must be backward compatible)"
compose run --rm -T migrate

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
reload_nginx

echo "--- retire the old web container (gunicorn finishes its requests on SIGTERM)"
docker stop --time 35 "$old" >/dev/null
docker rm "$old" >/dev/null
compose up -d --no-deps --no-recreate --scale web=1 web
reload_nginx

echo "--- worker and beat: a warm shutdown finishes running tasks (unacked ones are redelivered)"
compose up -d --no-deps worker beat
compose ps

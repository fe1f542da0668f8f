#!/bin/sh
# The image's one entry point: which process this container runs.
#   web      gunicorn (the default)          worker   a Celery worker
#   asgi     uvicorn for /ws/ (LMS only)
#   beat     Celery beat (one per site!)     flower   Flower, behind FLOWER_BASIC_AUTH
#   migrate  publish static files + migrate  manage   manage.py with the given arguments
# Anything else is run as a command, e.g. `docker compose run --rm web sh`.
set -eu

case "${1:-web}" in
web)
    # Metrics of all gunicorn workers, added up (deploy/gunicorn.conf.py); web only.
    export PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
    exec gunicorn -c /app/deploy/gunicorn.conf.py config.wsgi
    ;;
asgi)
    # The WebSockets of the LMS's live classroom: nginx sends /ws/ here, HTTP stays on web.
    exec uvicorn config.asgi:application --host 0.0.0.0 --port 8001 --proxy-headers \
        --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" --lifespan off --no-server-header \
        --ws-max-size 65536
    ;;
worker)
    # --quiet: no start-up banner, so every line in the log is JSON (LOG_FORMAT=json).
    exec celery --quiet -A config worker --loglevel "${LOG_LEVEL:-INFO}" \
        --concurrency "${CELERY_CONCURRENCY:-2}" --hostname "worker@%h"
    ;;
beat)
    # The schedule file is state of this container only: beat rebuilds it from code.
    exec celery --quiet -A config beat --loglevel "${LOG_LEVEL:-INFO}" --schedule /tmp/celerybeat-schedule
    ;;
flower)
    # Never without a password: Flower can revoke and inspect tasks.
    : "${FLOWER_BASIC_AUTH:?set FLOWER_BASIC_AUTH=user:password to run Flower}"
    # Flower needs only the broker; it reads FLOWER_BASIC_AUTH itself, so the password
    # never shows in `ps`.
    exec celery --broker "${REDIS_URL:?set REDIS_URL}" flower --port=5555
    ;;
migrate)
    # Copy the static files built into this image to the volume nginx serves. Old hashed
    # files stay: pages rendered by the previous version keep working during a deploy.
    cp -a staticfiles/. /srv/static/
    exec python manage.py migrate --noinput
    ;;
manage)
    shift
    exec python manage.py "$@"
    ;;
*)
    exec "$@"
    ;;
esac

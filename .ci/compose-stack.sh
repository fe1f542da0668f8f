#!/usr/bin/env bash
# Runs deploy/compose.yml itself, with its monitoring profile, for each capstone given, and
# checks it from outside with .ci/compose_smoke.py (deploy/smoke.py's checks).
#
# No image registry is reachable on the CI machine, so the images compose.yml pulls
# (postgres, redis, nginx, prom/prometheus, oliver006/redis_exporter) are replaced by
# stand-ins built here from Debian's packages (.ci/compose-standins/). The capstone's own
# image is the one .ci/deploy.sh built (capstone-<p>:ci). Everything else is compose.yml as
# a server runs it: the env file, health checks and depends_on, the one-off migrate, the
# named volumes, the networks, the nginx template, Prometheus's configuration.
#
#   .ci/compose-stack.sh shop hospital     (called by .ci/deploy.sh, with Docker running)
set -uo pipefail
cd "$(dirname "$0")/.."
PY=$PWD/.venv/bin/python
DOCKER=/usr/bin/docker
BASE_IMAGE=local/python-base:bookworm
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
SMTP_PORT=8182
failures=()
fail() { echo "FAILED: $*"; failures+=("$*"); }

echo "stand-in images from Debian's packages (.ci/compose-standins/Dockerfile)"
for target in postgres redis nginx prometheus redis-exporter; do
    DOCKER_BUILDKIT=1 $DOCKER build -q --target "$target" --build-arg BASE_IMAGE="$BASE_IMAGE" \
        --secret id=ca,src="$CA_BUNDLE" -t "local/standin-$target" .ci/compose-standins >/dev/null ||
        { echo "FAILED: stand-in image $target"; exit 1; }
    echo "  local/standin-$target"
done

workdir=$(mktemp -d)
chmod 755 "$workdir"
# The mail sink the worker container sends to (host.docker.internal, see compose-standins).
"$PY" -m aiosmtpd -n -l "0.0.0.0:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$workdir/mailbox" \
    >"$workdir/smtp.log" 2>&1 &
smtp_pid=$!
trap 'kill $smtp_pid 2>/dev/null; rm -rf "$workdir"' EXIT
bash deploy/make-certs.sh "$workdir/certs" 127.0.0.1 localhost >/dev/null 2>&1 ||
    { echo "FAILED: make-certs.sh"; exit 1; }

for p in "$@"; do
    echo
    echo "== compose stack: $p (compose.yml + the monitoring profile, stand-in images)"
    env_file=$workdir/$p.env
    # deploy/env.example, filled in as docs/deploy.md tells a student to.
    sed -e "s/^PROJECT=.*/PROJECT=$p/" \
        -e "s/^COMPOSE_PROJECT_NAME=.*/COMPOSE_PROJECT_NAME=capstone-ci-$p/" \
        -e "s/^DOMAIN=.*/DOMAIN=127.0.0.1/" \
        -e "s/^HTTP_PORT=.*/HTTP_PORT=8180/" -e "s/^HTTPS_PORT=.*/HTTPS_PORT=8543/" \
        -e "s|^CERT_DIR=.*|CERT_DIR=$workdir/certs|" \
        -e "s/^SECRET_KEY=.*/SECRET_KEY=$(openssl rand -hex 40)/" \
        -e "s/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=$(openssl rand -hex 16)/" \
        -e "s|^EMAIL_URL=.*|EMAIL_URL=smtp://host.docker.internal:$SMTP_PORT|" \
        -e "s/^TAG=.*/TAG=ci/" \
        -e "s/^FLOWER_BASIC_AUTH=.*/FLOWER_BASIC_AUTH=ci:$(openssl rand -hex 8)/" \
        deploy/env.example >"$env_file"
    files=(-f compose.yml -f ../.ci/compose-standins/compose.yml)
    compose() { (cd deploy && docker-compose --env-file "$env_file" --profile monitoring "${files[@]}" "$@"); }

    started=$SECONDS
    if ! compose up -d --no-build 2>"$workdir/up.log"; then
        cat "$workdir/up.log"
        fail "docker-compose up: $p"
        compose down -v >/dev/null 2>&1
        continue
    fi
    # docker-compose 1.29 has no --wait: nginx is healthy last (it waits for a healthy web,
    # which waits for migrate to finish, which waits for a healthy PostgreSQL).
    nginx=$(compose ps -q nginx)
    health=""
    for _ in $(seq 1 90); do
        health=$($DOCKER inspect --format '{{.State.Health.Status}}' "$nginx" 2>/dev/null)
        [ "$health" = healthy ] && break
        sleep 2
    done
    if [ "$health" = healthy ]; then
        echo "every container up and healthy in $((SECONDS - started)) s:"
        compose ps
        "$PY" .ci/compose_smoke.py "$p" "$env_file" deploy/compose.yml \
            .ci/compose-standins/compose.yml --mailbox "$workdir/mailbox" --workdir "$workdir" ||
            fail "compose smoke test: $p"
    else
        fail "the compose stack did not get healthy ($health): $p"
        compose ps
        compose logs --no-color --tail 30
    fi
    compose down -v >/dev/null 2>&1 || fail "docker-compose down: $p"
done

if [ ${#failures[@]} -gt 0 ]; then
    printf 'compose stack checks FAILED:\n'; printf '  - %s\n' "${failures[@]}"
    exit 1
fi
echo "compose stack checks passed for $*"

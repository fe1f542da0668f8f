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
# backup.sh and rollout.sh read deploy/.env, as on a server: a developer's own is kept aside.
[ -f deploy/.env ] && cp -p deploy/.env "$workdir/developer.env"
restore_env() {
    if [ -f "$workdir/developer.env" ]; then cp -p "$workdir/developer.env" deploy/.env; else rm -f deploy/.env; fi
}
# For every docker-compose call, the scripts' too: compose.yml, the stand-ins, monitoring.
export COMPOSE_FILE=compose.yml:../.ci/compose-standins/compose.yml COMPOSE_PROFILES=monitoring
compose() { (cd deploy && docker-compose "$@"); }
# The mail sink the worker container sends to (host.docker.internal, see compose-standins).
"$PY" -m aiosmtpd -n -l "0.0.0.0:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$workdir/mailbox" \
    >"$workdir/smtp.log" 2>&1 &
smtp_pid=$!
trap 'kill $smtp_pid 2>/dev/null; restore_env; rm -rf "$workdir"' EXIT
bash deploy/make-certs.sh "$workdir/certs" 127.0.0.1 localhost >/dev/null 2>&1 ||
    { echo "FAILED: make-certs.sh"; exit 1; }

# docs/deploy.md's "Backups" and "Updating without downtime", on the running stack.
operations() {
    local p=$1
    # Inside the postgres container its own variables name the user and the database.
    psql_count() { compose exec -T postgres sh -c "psql -U \"\$POSTGRES_USER\" -d $1 -Atc 'select count(*) from accounts_user'"; }
    local https_port cert_dir
    https_port=$(sed -n 's/^HTTPS_PORT=//p' deploy/.env)
    cert_dir=$(sed -n 's/^CERT_DIR=//p' deploy/.env)
    echo "-- backup.sh, then the restore rehearsal from docs/deploy.md"
    # Only the files this run writes are removed afterwards: a developer's backups stay.
    touch "$workdir/before-backup"
    if ! (cd deploy && ./backup.sh); then fail "backup.sh: $p"; return; fi
    local dump users restored
    dump=$(ls -t deploy/backups/db-*.dump | head -1)
    users=$(psql_count '"$POSTGRES_DB"')
    compose exec -T postgres sh -c 'createdb -U "$POSTGRES_USER" restore_test'
    compose exec -T postgres sh -c 'pg_restore -U "$POSTGRES_USER" -d restore_test --no-owner' <"$dump" ||
        fail "pg_restore of $dump: $p"
    restored=$(psql_count restore_test)
    compose exec -T postgres sh -c 'dropdb -U "$POSTGRES_USER" restore_test'
    if [ -n "$users" ] && [ "$users" -gt 0 ] && [ "$users" = "$restored" ] &&
        tar -tzf "$(ls -t deploy/backups/media-*.tgz | head -1)" >/dev/null; then
        echo "restored $dump into a scratch database: $restored users, as in the live one; media archive readable"
    else
        fail "restore rehearsal: live $users users, restored '$restored': $p"
    fi
    find deploy/backups -type f -newer "$workdir/before-backup" -delete
    rmdir deploy/backups 2>/dev/null  # only if it is empty now

    echo "-- rollout.sh to a new image, while a client keeps loading a page through nginx"
    # The "new release": the same code with one more label, under the tag compose.yml runs,
    # as `docker compose build` leaves it on a server.
    printf 'FROM capstone-%s:ci\nLABEL org.opencontainers.image.revision=rollout-test\n' "$p" |
        $DOCKER build -q -t "capstone-$p:ci" - >/dev/null
    local new_image old_web
    new_image=$($DOCKER image inspect -f '{{.Id}}' "capstone-$p:ci")
    old_web=$(compose ps -q web)
    "$PY" - "$https_port" "$cert_dir/fullchain.pem" "$workdir/rolling" >"$workdir/load.txt" <<'PY' &
import collections, pathlib, sys, requests
port, cafile, flag = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
url = f"https://127.0.0.1:{port}/accounts/login/"
flag.touch()
outcomes = collections.Counter()
session = requests.Session()
while flag.exists():
    try:
        outcomes[str(session.get(url, verify=cafile, timeout=10).status_code)] += 1
    except requests.ConnectionError as exc:
        # nginx's reload closes idle kept-alive connections; a request sent on one at that
        # instant never reached nginx. Browsers send such a GET again, once: so do we.
        if "RemoteDisconnected" not in str(exc):
            outcomes[f"{type(exc).__name__}: {exc}"] += 1
            continue
        try:
            status = session.get(url, verify=cafile, timeout=10).status_code
            outcomes[f"{status}_after_a_retry"] += 1
        except requests.RequestException as again:
            outcomes[f"{type(again).__name__}: {again}"] += 1
print(" ".join(f"{k}={v}" for k, v in sorted(outcomes.items())))
PY
    local loader=$!
    sleep 2
    local rollout_started=$SECONDS
    (cd deploy && ./rollout.sh >"$workdir/rollout.log" 2>&1) || { cat "$workdir/rollout.log"; fail "rollout.sh: $p"; }
    grep "nginx reloaded" "$workdir/rollout.log"
    local rollout_seconds=$((SECONDS - rollout_started))
    sleep 2
    rm -f "$workdir/rolling"
    wait "$loader"
    local outcomes web now_image
    outcomes=$(cat "$workdir/load.txt")
    web=$(compose ps -q web)
    now_image=$($DOCKER inspect -f '{{.Image}}' "$web")
    # Only 200s: not one error, 502 or dropped connection while the containers changed.
    if [ "$web" != "$old_web" ] && [ "$now_image" = "$new_image" ] &&
        [[ "$outcomes" =~ ^200=[0-9]+( 200_after_a_retry=[0-9]+)?$ ]]; then
        echo "rollout in ${rollout_seconds} s: a new web container on the new image; page loads meanwhile: $outcomes"
    else
        tail -n 20 "$workdir/rollout.log"
        echo "nginx's error log (its stderr) around the rollout:"
        $DOCKER logs "$(compose ps -q nginx)" 2>&1 >/dev/null | grep -E '\[(warn|error|crit|alert)\]' | tail -n 15
        fail "rollout: page loads $outcomes; web $old_web -> $web, image $now_image (wanted $new_image): $p"
    fi
}

for p in "$@"; do
    echo
    echo "== compose stack: $p (compose.yml + the monitoring profile, stand-in images)"
    env_file=$PWD/deploy/.env
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
    # The LMS's live classroom: the three lines env.example says to uncomment for it.
    profiles=monitoring
    if [ "$p" = lms ]; then
        sed -i -E 's/^# (ASGI_UPSTREAM|WEBSOCKETS_SNIPPET)=/\1=/' "$env_file"
        profiles=monitoring,websockets
    fi
    export COMPOSE_PROFILES=$profiles  # the variable wins over deploy/.env's line
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
        # The operations of docs/deploy.md, once (they are the same for every capstone).
        [ "$p" = "$1" ] && operations "$p"
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

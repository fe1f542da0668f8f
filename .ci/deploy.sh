#!/usr/bin/env bash
# Proves the deployment recipe (deploy/, issue 5) for every capstone present:
#   1. natively: PostgreSQL, Redis, gunicorn, Celery worker + beat and nginx with TLS, with
#      production settings, and Flower, the Redis exporter and Prometheus for the metrics,
#      checked over HTTPS by deploy/smoke.py;
#   2. the image: deploy/Dockerfile built with Debian's Docker engine on a base image made
#      here with debootstrap (no registry is reachable), run against the local PostgreSQL
#      and Redis (/readyz, check --deploy, a worker); every compose file validated;
#   3. deploy/compose.yml run as a whole (.ci/compose-stack.sh), the registry images it names
#      replaced by stand-ins built from Debian's packages, checked from outside.
# It installs what it needs, as on a fresh machine, and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
PY=$PWD/.venv/bin/python
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
BASE_IMAGE=local/python-base:bookworm
WEB_PORT=8165  # gunicorn inside the container (host network)
declare -A REDIS_DB=([hospital]=10 [lms]=11 [shop]=12 [crm]=13 [saas]=14)  # as in native_stack.py
failures=()
images=()  # the capstones whose image got built (step 2), for step 3

say() { printf '\n\033[1m== deploy: %s (%ss)\033[0m\n' "$*" "$((SECONDS - started))"; }
fail() { echo "FAILED: $*"; failures+=("$*"); }

projects=()
for p in hospital lms shop crm saas; do [ -f "$p/manage.py" ] && projects+=("$p"); done
echo "capstones present: ${projects[*]:-none}"
[ ${#projects[@]} -gt 0 ] || { echo "no capstone to deploy"; exit 1; }
[ -x "$PY" ] || make setup

# --- Tools, from Debian's packages when missing ------------------------------------------
missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v openssl >/dev/null || missing+=(openssl)
[ -x /usr/bin/docker ] && command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v docker-compose >/dev/null || missing+=(docker-compose)
# The monitoring profile of compose.yml, natively: Prometheus (with promtool) and the
# Redis exporter, the same releases as the images compose.yml names.
command -v prometheus >/dev/null || missing+=(prometheus)
command -v prometheus-redis-exporter >/dev/null || missing+=(prometheus-redis-exporter)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]}"
fi
export PATH=$PATH:/usr/sbin

# PostgreSQL and Redis, as .ci/run starts them (this script also runs on its own).
pg_isready -q -h 127.0.0.1 -p 5432 ||
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || {
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
}
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break
    sleep 1
done

# --- 1. The production stack, natively ----------------------------------------------------
say "1. Prometheus configuration and alert rules (promtool)"
promtool check config deploy/prometheus/prometheus.yml || fail "promtool check config"
for p in "${projects[@]}"; do
    say "1. $p: native production stack behind nginx, smoke test over HTTPS"
    "$PY" deploy/native_stack.py "$p" --smoke --fresh || fail "native stack smoke test: $p"
done

# --- 2. The image -------------------------------------------------------------------------
DOCKER=/usr/bin/docker  # Debian's client (20.10), matching Debian's engine
started_dockerd=""
docker_ok=""
say "2. Docker engine"
if $DOCKER info >/dev/null 2>&1; then
    docker_ok=1
elif command -v dockerd >/dev/null; then
    dockerd >/tmp/ci-dockerd.log 2>&1 &
    started_dockerd=$!
    for _ in $(seq 1 30); do $DOCKER info >/dev/null 2>&1 && { docker_ok=1; break; }; sleep 1; done
fi
stop_dockerd() {
    if [ -n "$started_dockerd" ]; then kill "$started_dockerd" 2>/dev/null; wait "$started_dockerd" 2>/dev/null; fi
}
trap stop_dockerd EXIT

if [ -z "$docker_ok" ]; then
    # The issue allows this: say so with the evidence, and keep step 1.
    echo "The Docker engine does not run on this machine; the image step is skipped. Evidence:"
    tail -n 20 /tmp/ci-dockerd.log 2>/dev/null
    $DOCKER info 2>&1 | tail -n 5
else
    $DOCKER version --format 'engine {{.Server.Version}}, client {{.Client.Version}}'
    if ! $DOCKER image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        say "2. base image $BASE_IMAGE from Debian's packages (debootstrap)"
        # The Debian mirror apt uses: from the "URIs:" or "deb" lines, never from a comment.
        mirror=$(grep -rhE '^[[:space:]]*(URIs:|deb[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
            grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -1 | tr -d ' ')
        rootfs=$(mktemp -d)
        if debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
            bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >/tmp/ci-debootstrap.log 2>&1; then
            tar -C "$rootfs" -c . | $DOCKER import - "$BASE_IMAGE" >/dev/null || fail "docker import of the base image"
        else
            tail -n 20 /tmp/ci-debootstrap.log
            fail "debootstrap of the base image"
        fi
        rm -rf "$rootfs"
    fi

    secret=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
    images=("${projects[@]}")
    $DOCKER image inspect "$BASE_IMAGE" >/dev/null 2>&1 || images=()  # its failure is recorded
    for p in "${images[@]}"; do
        image="capstone-$p:ci"
        say "2. $p: docker build (BASE_IMAGE=$BASE_IMAGE, CA bundle as a build secret)"
        if ! DOCKER_BUILDKIT=1 $DOCKER build -q -f deploy/Dockerfile \
            --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg PROJECT="$p" \
            --secret id=ca,src="$CA_BUNDLE" -t "$image" . ; then
            fail "docker build: $p"
            continue
        fi
        $DOCKER image ls "$image" --format 'image {{.Repository}}:{{.Tag}} {{.Size}}'

        # The container's production settings, against the PostgreSQL and Redis of this host.
        run_env=(--network host -e SECRET_KEY="$secret"
            -e DATABASE_URL="postgres://postgres@127.0.0.1:5432/capstone_${p}_prod"
            -e REDIS_URL="redis://127.0.0.1:6379/${REDIS_DB[$p]}"
            -e ALLOWED_HOSTS=localhost,127.0.0.1 -e GUNICORN_BIND="127.0.0.1:$WEB_PORT")

        say "2. $p: manage.py check --deploy --fail-level WARNING in the container"
        $DOCKER run --rm "${run_env[@]}" "$image" manage check --deploy --fail-level WARNING ||
            fail "check --deploy in the image: $p"

        say "2. $p: migrate one-off, then web and worker containers; /readyz"
        $DOCKER volume create "capstone-ci-static-$p" >/dev/null
        $DOCKER run --rm "${run_env[@]}" -v "capstone-ci-static-$p:/srv/static" "$image" migrate >/dev/null ||
            fail "migrate in the image: $p"
        $DOCKER rm -f "capstone-ci-web-$p" "capstone-ci-worker-$p" >/dev/null 2>&1
        $DOCKER run -d --name "capstone-ci-web-$p" "${run_env[@]}" "$image" web >/dev/null
        $DOCKER run -d --name "capstone-ci-worker-$p" "${run_env[@]}" "$image" worker >/dev/null
        status=""
        for _ in $(seq 1 40); do
            status=$(curl -s -o /tmp/ci-readyz.json -w '%{http_code}' -H 'Host: localhost' "http://127.0.0.1:$WEB_PORT/readyz")
            [ "$status" = 200 ] && break
            sleep 1
        done
        if [ "$status" = 200 ]; then
            echo "/readyz 200: $(cat /tmp/ci-readyz.json)"
        else
            fail "/readyz of the container answered '$status': $p"
            $DOCKER logs --tail 30 "capstone-ci-web-$p"
        fi
        $DOCKER exec "capstone-ci-web-$p" python /app/deploy/healthcheck.py || fail "HEALTHCHECK probe: $p"
        # Prometheus metrics, added up over the gunicorn workers (multiprocess mode).
        # Outputs are read whole before grep: under pipefail, `curl | grep -m1` fails when
        # grep stops reading early and curl gets SIGPIPE (this check once failed that way).
        metrics=$(curl -s -H 'Host: localhost' "http://127.0.0.1:$WEB_PORT/metrics")
        grep -m1 '^django_http_requests_total_by_view_transport_method_total{.*view="readyz"' <<<"$metrics" ||
            fail "/metrics of the container does not count the /readyz requests: $p"
        [ "$($DOCKER run --rm "$image" id -un)" = app ] || fail "the container does not run as the app user: $p"
        worker_ready() { grep -q ' ready\.' <<<"$($DOCKER logs "capstone-ci-worker-$p" 2>&1)"; }
        for _ in $(seq 1 30); do
            worker_ready && break
            sleep 1
        done
        worker_ready && echo "worker container ready" ||
            { fail "the worker container did not get ready: $p"; $DOCKER logs --tail 30 "capstone-ci-worker-$p"; }
        # The flower role (compose's monitoring profile): refuses to start without a password,
        # asks visitors for it, and gives Prometheus the task events of the worker above.
        if out=$($DOCKER run --rm "${run_env[@]}" "$image" flower 2>&1); then
            fail "the flower role started without FLOWER_BASIC_AUTH: $p"
        else
            echo "flower without a password refused: ${out##*: }"
        fi
        $DOCKER rm -f "capstone-ci-flower-$p" >/dev/null 2>&1
        $DOCKER run -d --name "capstone-ci-flower-$p" "${run_env[@]}" -e FLOWER_BASIC_AUTH=ci:ci-password \
            "$image" flower >/dev/null
        # Flower reports the worker container online once it has seen its heartbeat.
        online=""
        for _ in $(seq 1 40); do
            online=$(curl -s http://127.0.0.1:5555/metrics | grep '^flower_worker_online{.*} 1\.0$')
            [ -n "$online" ] && break
            sleep 1
        done
        anonymous=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:5555/workers)
        with_login=$(curl -s -o /dev/null -w '%{http_code}' -u ci:ci-password http://127.0.0.1:5555/workers)
        if [ "$anonymous" = 401 ] && [ "$with_login" = 200 ] && [ -n "$online" ]; then
            echo "flower container: 401 without the login, 200 with it; /metrics: $online"
        else
            fail "flower container: anonymous $anonymous, with login $with_login, online '$online': $p"
            $DOCKER logs --tail 20 "capstone-ci-flower-$p"
        fi
        $DOCKER rm -f "capstone-ci-flower-$p" >/dev/null
        # Every line the web and worker containers wrote is a JSON object (LOG_FORMAT=json).
        for c in web worker; do
            printf '%s container log: ' "$c"
            if $DOCKER logs "capstone-ci-$c-$p" 2>&1 | "$PY" -c '
import json, sys
lines = sys.stdin.read().splitlines()
for number, line in enumerate(lines, 1):
    try:
        json.loads(line)
    except ValueError:
        sys.exit(f"line {number} is not JSON: {line[:200]}")
print(f"{len(lines)} lines, each a JSON object")'; then :; else fail "the $c container logged a line that is not JSON: $p"; fi
        done
        $DOCKER rm -f "capstone-ci-web-$p" "capstone-ci-worker-$p" >/dev/null
        $DOCKER volume rm "capstone-ci-static-$p" >/dev/null
    done
fi

# --- Compose files: valid, and a missing variable stops them with its message --------------
say "2. compose files (docker-compose config)"
if command -v docker-compose >/dev/null; then
    for p in "${projects[@]}"; do
        env_file=$(mktemp)
        sed "s/^PROJECT=.*/PROJECT=$p/" deploy/env.example >"$env_file"
        for files in "-f compose.yml" "-f compose.yml -f compose.dev.yml"; do
            # shellcheck disable=SC2086
            (cd deploy && docker-compose --env-file "$env_file" $files config -q) &&
                echo "valid: $files (PROJECT=$p)" || fail "docker-compose $files config: $p"
        done
        rm -f "$env_file"
    done
    # A required variable left out stops compose at once, with the message from compose.yml.
    grep -v '^SECRET_KEY=' deploy/env.example >/tmp/ci-nokey.env
    if out=$(cd deploy && docker-compose --env-file /tmp/ci-nokey.env -f compose.yml config -q 2>&1); then
        fail "compose accepted a missing SECRET_KEY"
    elif grep -q "set SECRET_KEY in deploy/.env" <<<"$out"; then
        echo "missing SECRET_KEY refused: ...${out: -60}"
    else
        fail "missing SECRET_KEY refused without the message: $out"
    fi
    rm -f /tmp/ci-nokey.env
else
    fail "docker-compose is not installed"
fi

# --- 3. The compose stack itself, with stand-ins for the registry images -----------------
if [ -n "$docker_ok" ] && [ ${#images[@]} -gt 0 ]; then
    say "3. compose.yml + the monitoring profile, registry images replaced by Debian stand-ins"
    bash .ci/compose-stack.sh "${images[@]}" || fail "the compose stack"
fi

say "done"
if [ ${#failures[@]} -gt 0 ]; then
    printf 'deployment checks FAILED:\n'; printf '  - %s\n' "${failures[@]}"
    exit 1
fi
echo "deployment checks passed for ${projects[*]} in $((SECONDS - started)) s"

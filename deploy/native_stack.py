"""Run one capstone in its production shape on this machine, without Docker, then tear it down.

What starts, all on loopback and with production settings (``DJANGO_MODE=production``):
a PostgreSQL database ``capstone_<project>_prod`` (created if missing, migrated; the prefix
is ``CAPSTONE_DB_PREFIX`` when set),
``collectstatic``, ``seed_demo``, gunicorn with ``deploy/gunicorn.conf.py``, a Celery
worker and Celery beat, for a project with WebSockets (the LMS's live classroom) one
uvicorn serving only ``/ws/`` (``config.asgi``), and, with ``nginx=True``, nginx with
the repository's template (``deploy/nginx/templates/capstone.conf.template``) in the
foreground, with its own temporary prefix, pid file and logs: the system's nginx
configuration is never touched.

From the command line (Ctrl-C stops everything)::

    python deploy/native_stack.py shop --nginx                 # https://127.0.0.1:8443
    python deploy/native_stack.py shop --nginx --smoke --fresh # run deploy/smoke.py, then stop

From Python (the load tests use it without nginx)::

    from deploy.native_stack import native_stack

    with native_stack("shop", port=8170, workers=2, threads=4) as stack:
        requests.get(stack.base_url + "/readyz")     # gunicorn directly
        stack.demo_logins                            # [{"role", "email", "password"}, ...]

Without nginx there is no TLS, so the HTTPS-only settings (redirect to HTTPS, Secure
cookies, HSTS) are switched off; everything else is production.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
VENV_BIN = Path(sys.executable).parent  # the venv this script runs in (.venv/bin)
ALL_PROJECTS = ("hospital", "lms", "shop", "crm", "saas")
# Redis database numbers for these stacks; the test runner uses 0-5 (shared/testing/runner.py).
REDIS_DB = {"hospital": 10, "lms": 11, "shop": 12, "crm": 13, "saas": 14}
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_BASE = os.environ.get("REDIS_BASE", "redis://127.0.0.1:6379")
# As in the test runner: two checkouts on one machine name their databases apart.
DB_PREFIX = os.environ.get("CAPSTONE_DB_PREFIX", "capstone_")
# The projects with WebSockets: HTTP stays on gunicorn (WSGI), and one ASGI server (uvicorn)
# takes nginx's /ws/ (lms/docs/decisions/0002-websockets-with-channels.md).
WEBSOCKET_PROJECTS = ("lms",)


def present_projects() -> list[str]:
    """The capstones in this checkout: a project exists once it has a manage.py."""
    return [name for name in ALL_PROJECTS if (ROOT / name / "manage.py").exists()]


@dataclass
class Stack:
    """A running stack: where to reach it, what it runs with, where its logs are."""

    project: str
    port: int
    workdir: Path
    env: dict[str, str]
    base_url: str  # gunicorn itself, plain HTTP
    asgi_url: str | None = None  # uvicorn itself (plain HTTP), when the project has WebSockets
    https_url: str | None = None  # through nginx, when nginx runs
    http_url: str | None = None
    cert_file: Path | None = None
    mailbox: Path | None = None  # a Maildir with every mail sent, when the SMTP sink runs
    flower_url: str | None = None  # Flower, when it runs
    flower_auth: tuple[str, str] | None = None  # its basic-auth user and password
    prometheus_url: str | None = None  # Prometheus, when it runs
    demo_logins: list[dict] = field(default_factory=list)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def log(self, name: str) -> Path:
        """The log file of one process: web, worker, beat, nginx-access, nginx-error, smtp."""
        return self.workdir / f"{name}.log"

    def manage(self, *args: str) -> str:
        """Run ``manage.py`` with the stack's settings and return what it printed."""
        return _manage(self.project, self.env, *args)


# --- Building blocks ---------------------------------------------------------------------


def _manage(project: str, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=ROOT / project,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# The one-off steps of a deployment, in one Python process: each Django start costs a few
# seconds, and the stack pays them once instead of four times. What it runs is what
# `manage.py migrate`, `collectstatic` and `seed_demo` do; the last line it prints is the
# JSON of the demo logins.
#
# collectstatic runs as in the image: without brotli. brotli is only in this venv's
# development packages, nginx serves the .gz files (gzip_static) and never .br ones, and
# compressing every file with brotli makes collectstatic about four times slower. A None
# in sys.modules makes `import brotli` fail, so whitenoise writes .gz files only.
_SETUP_SCRIPT = """
import json, sys, time
sys.modules["brotli"] = None
import django
django.setup()
from django.conf import settings
from django.core.management import call_command

def step(name, *args):
    started = time.monotonic()
    call_command(name, *args, verbosity=0)
    print(f"{name} {time.monotonic() - started:.1f} s", flush=True)

step("migrate", "--noinput")
step("collectstatic", "--noinput")
if sys.argv[1] == "seed":
    step("seed_demo", *sys.argv[2:])
logins = [{k: login[k] for k in ("role", "email", "password")} for login in settings.DEMO_LOGINS]
print(json.dumps(logins))
"""


def _prepare_project(
    stack: Stack, *, seed: bool, seed_args: tuple[str, ...], verbose: bool
) -> None:
    static_root = ROOT / stack.project / "staticfiles"
    for stale in static_root.rglob("*.br"):  # left by a collectstatic that had brotli
        stale.unlink()
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-c", _SETUP_SCRIPT, "seed" if seed else "no-seed", *seed_args],
        cwd=ROOT / stack.project,
        env=stack.env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"migrate/collectstatic/seed_demo failed:\n{result.stdout}{result.stderr}"
        )
    *timings, logins = result.stdout.strip().splitlines()
    if verbose:
        for line in timings:
            print(f"  {stack.project}: {line}", flush=True)
    stack.demo_logins = json.loads(logins)


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    """A port nothing listens on now (the system picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare_database(name: str, fresh: bool) -> str:
    """Create (or, with ``fresh``, recreate) the database; return its URL."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{PG_URL}/{name}"


def _flush_redis(url: str) -> None:
    # Messages left in the queue by an earlier run name rows that a fresh database lacks.
    import redis

    redis.Redis.from_url(url).flushdb()


def make_certificate(directory: Path) -> Path:
    """A self-signed certificate for localhost and 127.0.0.1 (deploy/make-certs.sh)."""
    subprocess.run(
        ["bash", str(DEPLOY / "make-certs.sh"), str(directory), "localhost", "127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return directory / "fullchain.pem"


def render_nginx_site(values: dict[str, str]) -> str:
    """Fill the ${NAME} placeholders of the nginx template, leaving nginx's $variables alone
    (the same rule as envsubst in the official nginx image: only names we were given)."""
    template = (DEPLOY / "nginx" / "templates" / "capstone.conf.template").read_text()
    return string.Template(template).safe_substitute(values)


def _nginx_main_conf(workdir: Path, site_conf: Path) -> str:
    # The http{} wrapper that the nginx package's /etc/nginx/nginx.conf would give, pointed at
    # our temporary folder for everything nginx writes.
    temp = workdir / "nginx-temp"
    return f"""daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site_conf};
}}
"""


def _start(
    stack: Stack, name: str, cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen:
    logfile = stack.log(name).open("ab")
    # A session of its own: teardown signals the process and all its children at once.
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env={**stack.env, **(env or {})},
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stack.processes[name] = proc
    return proc


def _wait_for(what: str, check, stack: Stack, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in stack.processes.items():
            if proc.poll() is not None:
                tail = stack.log(name).read_text(errors="replace")[-3000:]
                raise RuntimeError(
                    f"{name} exited ({proc.returncode}) while waiting for {what}:\n{tail}"
                )
        if check():
            return
        time.sleep(0.3)
    raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own loopback URL)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _log_contains(path: Path, text: str) -> bool:
    return path.exists() and text in path.read_text(errors="replace")


def _stop(stack: Stack) -> None:
    # Front to back: nginx, gunicorn, beat, worker, then the mail sink.
    for name in reversed(list(stack.processes)):
        proc = stack.processes[name]
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
    for proc in stack.processes.values():
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- The stack ---------------------------------------------------------------------------


@contextlib.contextmanager
def native_stack(
    project: str,
    *,
    port: int = 8160,
    nginx: bool = False,
    https_port: int = 8443,
    http_port: int = 8161,
    asgi_port: int | None = None,
    workers: int | None = None,
    threads: int | None = None,
    celery: bool = True,
    smtp_port: int | None = None,
    flower_port: int | None = None,
    prometheus_port: int | None = None,
    redis_exporter_port: int | None = None,
    fresh: bool = False,
    seed: bool = True,
    seed_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
    keep_workdir: bool = False,
    verbose: bool = False,
) -> Iterator[Stack]:
    """Start ``project`` in production shape; yield a :class:`Stack`; stop everything on exit.

    ``port`` is gunicorn's; ``asgi_port`` is uvicorn's, for a project in WEBSOCKET_PROJECTS
    (a free port when not given: only nginx needs to know it);
    ``nginx=True`` adds nginx on ``https_port``/``http_port`` with a
    self-signed certificate (``deploy/certs/`` from ``make certs`` if present). ``workers`` and
    ``threads`` override gunicorn.conf.py's defaults. ``celery=False`` leaves out the worker
    and beat. ``smtp_port`` starts a local SMTP sink (aiosmtpd) whose mails land in
    ``stack.mailbox``; without it mail goes to the worker's log. ``flower_port`` adds Flower
    behind a generated password (``stack.flower_url``, ``stack.flower_auth``).
    ``prometheus_port`` and ``redis_exporter_port`` add Debian's Prometheus and Redis
    exporter with ``deploy/prometheus/`` (``stack.prometheus_url``): the compose
    monitoring profile, natively; Prometheus needs Flower and the exporter. ``fresh``
    recreates the database and empties the Redis database first. Logs are in
    ``stack.workdir``; ``verbose`` prints how long each step took.
    """
    if project not in ALL_PROJECTS or not (ROOT / project / "manage.py").exists():
        raise ValueError(f"no capstone {project!r} here (present: {', '.join(present_projects())})")
    websockets = project in WEBSOCKET_PROJECTS
    wanted_ports = [port] + ([https_port, http_port] if nginx else [])
    if websockets and asgi_port is None:
        asgi_port = _free_port()
    wanted_ports += [asgi_port] if websockets and asgi_port else []
    if prometheus_port and not (flower_port and redis_exporter_port):
        raise ValueError("Prometheus scrapes Flower and the Redis exporter: give their ports")
    extras = (smtp_port, flower_port, prometheus_port, redis_exporter_port)
    wanted_ports += [extra for extra in extras if extra]
    busy = [p for p in wanted_ports if not _port_is_free(p)]
    if busy:
        raise RuntimeError(f"port(s) {busy} already in use on 127.0.0.1")

    workdir = Path(tempfile.mkdtemp(prefix=f"native-{project}-"))
    # nginx's worker processes run as an unprivileged user when nginx starts as root.
    workdir.chmod(0o755)
    database_url = _prepare_database(f"{DB_PREFIX}{project}_prod", fresh)
    redis_url = f"{REDIS_BASE}/{REDIS_DB[project]}"
    if fresh:
        _flush_redis(redis_url)

    origins = (
        [f"https://127.0.0.1:{https_port}", f"https://localhost:{https_port}"] if nginx else []
    )
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))
    }
    env.update(
        DJANGO_MODE="production",
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=",".join(origins),
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}" if smtp_port else "consolemail://",
        MEDIA_ROOT=str(workdir / "media"),
        LOG_FORMAT="json",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        # gunicorn only believes X-Forwarded-Proto from nginx, which connects from 127.0.0.1.
        FORWARDED_ALLOW_IPS="127.0.0.1",
        # django-axes reads the client address from X-Forwarded-For, written by nginx.
        TRUSTED_PROXY_COUNT="1" if nginx else "0",
        PYTHONUNBUFFERED="1",
    )
    if not nginx:
        # No TLS in front: the HTTPS-only parts of production would lock every client out.
        env.update(SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false", SECURE_HSTS_SECONDS="0")
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    if threads:
        env["GUNICORN_THREADS"] = str(threads)
    env.update(extra_env or {})
    (workdir / "media").mkdir()

    stack = Stack(
        project=project, port=port, workdir=workdir, env=env, base_url=f"http://127.0.0.1:{port}"
    )
    try:
        if smtp_port:
            stack.mailbox = workdir / "mailbox"
            _start(
                stack,
                "smtp",
                [
                    str(VENV_BIN / "python"),
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"127.0.0.1:{smtp_port}",
                    "-c",
                    "aiosmtpd.handlers.Mailbox",
                    str(stack.mailbox),
                ],
                ROOT,
            )

        with _timed(verbose, project, "migrate + collectstatic + seed_demo"):
            _prepare_project(stack, seed=seed, seed_args=seed_args, verbose=verbose)

        project_dir = ROOT / project
        _start(
            stack,
            "web",
            [str(VENV_BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"), "config.wsgi"],
            project_dir,
            # Metrics of all gunicorn workers, added up (gunicorn.conf.py); the web only.
            env={"PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus")},
        )
        if websockets and asgi_port:
            _start_asgi(stack, asgi_port)
        if celery:
            _start(
                stack,
                "worker",
                [
                    str(VENV_BIN / "celery"),
                    "--quiet",  # no start-up banner: every line of the log is JSON
                    "-A",
                    "config",
                    "worker",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "2",
                    "--hostname",
                    f"worker@{project}-native",
                ],
                project_dir,
            )
            _start(
                stack,
                "beat",
                [
                    str(VENV_BIN / "celery"),
                    "--quiet",
                    "-A",
                    "config",
                    "beat",
                    "--loglevel",
                    "INFO",
                    "--schedule",
                    str(workdir / "beat-schedule"),
                ],
                project_dir,
            )
        if flower_port:
            _start_flower(stack, flower_port)
        if prometheus_port:
            _start_monitoring(
                stack,
                prometheus_port=prometheus_port,
                redis_exporter_port=redis_exporter_port,
                flower_port=flower_port,
            )
        if nginx:
            _start_nginx(stack, https_port=https_port, http_port=http_port)

        with _timed(verbose, project, "start gunicorn, worker, beat, nginx"):
            _wait_for("gunicorn", lambda: _http_ok(f"{stack.base_url}/healthz"), stack)
            if websockets:
                _wait_for("uvicorn", lambda: _http_ok(f"{stack.asgi_url}/healthz"), stack)
            if celery:
                _wait_for(
                    "the Celery worker",
                    lambda: _log_contains(stack.log("worker"), " ready."),
                    stack,
                )
            if flower_port:
                _wait_for("Flower", lambda: not _port_is_free(flower_port), stack)
            if prometheus_port:
                _wait_for("Prometheus", lambda: _http_ok(f"{stack.prometheus_url}/-/ready"), stack)
        yield stack
    finally:
        _stop(stack)
        if keep_workdir:
            print(f"logs kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def _timed(verbose: bool, project: str, what: str) -> Iterator[None]:
    started = time.monotonic()
    yield
    if verbose:
        print(f"  {project}: {what} {time.monotonic() - started:.1f} s", flush=True)


def _start_asgi(stack: Stack, port: int) -> None:
    """uvicorn with config.asgi for the WebSockets only: nginx sends it /ws/ and nothing else
    (HTTP stays on gunicorn). It believes X-Forwarded-* from nginx on 127.0.0.1 only."""
    _start(
        stack,
        "asgi",
        [
            str(VENV_BIN / "uvicorn"),
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--proxy-headers",
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--lifespan",
            "off",  # Django's ASGI application has no start-up/shut-down events
            "--no-server-header",
            # A frame over 64 KiB closes the socket in uvicorn, before Python reads it; the
            # consumer answers anything over 4096 characters with an error.
            "--ws-max-size",
            "65536",
        ],
        ROOT / stack.project,
    )
    stack.asgi_url = f"http://127.0.0.1:{port}"


def _start_flower(stack: Stack, port: int) -> None:
    # Flower needs only the broker. Never without a password: it can revoke tasks.
    stack.flower_auth = ("flower", secrets.token_urlsafe(12))
    stack.env["FLOWER_BASIC_AUTH"] = ":".join(stack.flower_auth)
    _start(
        stack,
        "flower",
        [
            str(VENV_BIN / "celery"),
            "--broker",
            stack.env["REDIS_URL"],
            "flower",
            "--address=127.0.0.1",
            f"--port={port}",
        ],
        ROOT,
    )
    stack.flower_url = f"http://127.0.0.1:{port}"


def _start_monitoring(
    stack: Stack, *, prometheus_port: int, redis_exporter_port: int, flower_port: int
) -> None:
    """The compose file's monitoring profile on loopback: Debian's prometheus-redis-exporter
    for the queue length, and Prometheus with deploy/prometheus/ scraping web, Flower and
    the exporter."""
    for program in ("prometheus", "prometheus-redis-exporter"):
        if not shutil.which(program):
            raise RuntimeError(f"{program} is not installed (apt-get install {program})")
    redis_address, _, db = stack.env["REDIS_URL"].rpartition("/")
    _start(
        stack,
        "redis-exporter",
        [
            "prometheus-redis-exporter",
            f"-redis.addr={redis_address}",
            # The Celery queue is the list "celery" in the stack's Redis database.
            f"-check-single-keys=db{db}=celery",
            f"-web.listen-address=127.0.0.1:{redis_exporter_port}",
            "-log-format=json",
        ],
        stack.workdir,
    )
    # The committed configuration, with the compose service names swapped for where the
    # processes listen here, and a 2-second interval so the smoke test need not wait.
    config = (DEPLOY / "prometheus" / "prometheus.yml").read_text()
    for compose_target, here in {
        "web:8000": f"127.0.0.1:{stack.port}",
        "flower:5555": f"127.0.0.1:{flower_port}",
        "redis-exporter:9121": f"127.0.0.1:{redis_exporter_port}",
        "scrape_interval: 15s": "scrape_interval: 2s",
        "evaluation_interval: 15s": "evaluation_interval: 2s",
    }.items():
        if compose_target not in config:
            raise RuntimeError(f"deploy/prometheus/prometheus.yml no longer has {compose_target}")
        config = config.replace(compose_target, here)
    monitoring = stack.workdir / "prometheus-config"
    monitoring.mkdir()
    (monitoring / "prometheus.yml").write_text(config)
    shutil.copy(DEPLOY / "prometheus" / "alerts.yml", monitoring / "alerts.yml")
    _start(
        stack,
        "prometheus",
        [
            "prometheus",
            f"--config.file={monitoring / 'prometheus.yml'}",
            f"--storage.tsdb.path={stack.workdir / 'prometheus-data'}",
            f"--web.listen-address=127.0.0.1:{prometheus_port}",
            "--log.format=json",
        ],
        stack.workdir,
    )
    stack.prometheus_url = f"http://127.0.0.1:{prometheus_port}"


def _start_nginx(stack: Stack, *, https_port: int, http_port: int) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
    cert_dir = DEPLOY / "certs"
    if not (cert_dir / "fullchain.pem").exists():
        cert_dir = stack.workdir / "certs"
        make_certificate(cert_dir)
    stack.cert_file = cert_dir / "fullchain.pem"
    # nginx serves a copy of collectstatic's output, as in Docker (the migrate step publishes
    # it to a volume): its workers run as an unprivileged user, who may not be allowed into
    # the checkout's folder.
    static_root = stack.workdir / "static"
    shutil.copytree(ROOT / stack.project / "staticfiles", static_root)
    (stack.workdir / "nginx-temp").mkdir()
    (stack.workdir / "acme").mkdir()
    site = render_nginx_site(
        {
            "SERVER_NAME": "127.0.0.1 localhost",
            "HTTP_PORT": str(http_port),
            "HTTPS_PORT": str(https_port),
            "PUBLIC_HTTPS_PORT": str(https_port),
            "UPSTREAM": f"127.0.0.1:{stack.port}",
            # The WebSockets' server, and the snippet that routes /ws/ to it (LMS only);
            # elsewhere the upstream is gunicorn's and no location uses it.
            "ASGI_UPSTREAM": urlsplit(stack.asgi_url).netloc
            if stack.asgi_url
            else f"127.0.0.1:{stack.port}",
            "WEBSOCKETS_SNIPPET": "websockets.conf" if stack.asgi_url else "no-websockets.conf",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": stack.env["MEDIA_ROOT"],
            "CERT_DIR": str(cert_dir),
            "SNIPPETS_DIR": str(DEPLOY / "nginx" / "snippets"),
            "ACME_ROOT": str(stack.workdir / "acme"),
            "CLIENT_MAX_BODY_SIZE": "10m",
            "ACCESS_LOG": str(stack.log("nginx-access")),
        }
    )
    site_conf = stack.workdir / "capstone.conf"
    site_conf.write_text(site)
    main_conf = stack.workdir / "nginx.conf"
    main_conf.write_text(_nginx_main_conf(stack.workdir, site_conf))
    check = subprocess.run(
        [nginx, "-t", "-q", "-p", str(stack.workdir), "-c", str(main_conf)],
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the rendered configuration:\n{check.stderr}")
    _start(stack, "nginx", [nginx, "-p", str(stack.workdir), "-c", str(main_conf)], stack.workdir)
    stack.https_url = f"https://127.0.0.1:{https_port}"
    stack.http_url = f"http://127.0.0.1:{http_port}"
    _wait_for("nginx", lambda: not _port_is_free(https_port), stack, timeout=15)


def print_logs(stack: Stack, lines: int = 30) -> None:
    """The end of every log of the stack: what CI shows when a check failed."""
    for path in sorted(stack.workdir.glob("*.log")):
        tail = path.read_text(errors="replace").splitlines()[-lines:]
        print(f"----- {path.name} (last {len(tail)} lines)")
        print("\n".join(tail))


# --- Command line ------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("project", choices=ALL_PROJECTS)
    parser.add_argument("--port", type=int, default=8160, help="gunicorn's port (default 8160)")
    parser.add_argument("--nginx", action="store_true", help="put nginx with TLS in front")
    parser.add_argument("--https-port", type=int, default=8443)
    parser.add_argument("--http-port", type=int, default=8161)
    parser.add_argument("--smtp-port", type=int, help="start an SMTP sink on this port")
    parser.add_argument("--flower-port", type=int, help="start Flower (with a password) here")
    parser.add_argument(
        "--prometheus-port",
        type=int,
        help="start Prometheus here, and the Redis exporter on the next port (needs Flower)",
    )
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--fresh", action="store_true", help="recreate the database first")
    parser.add_argument(
        "--smoke", action="store_true", help="run deploy/smoke.py, then stop (needs --nginx)"
    )
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the temporary folder with the logs"
    )
    args = parser.parse_args(argv)

    smtp_port = args.smtp_port or (8162 if args.smoke else None)
    flower_port = args.flower_port or (8163 if args.smoke else None)
    prometheus_port = args.prometheus_port or (8166 if args.smoke else None)
    with native_stack(
        args.project,
        port=args.port,
        nginx=args.nginx or args.smoke,
        https_port=args.https_port,
        http_port=args.http_port,
        workers=args.workers,
        threads=args.threads,
        smtp_port=smtp_port,
        flower_port=flower_port,
        prometheus_port=prometheus_port,
        redis_exporter_port=prometheus_port + 1 if prometheus_port else None,
        fresh=args.fresh,
        keep_workdir=args.keep_logs,
        verbose=True,
    ) as stack:
        if args.smoke:
            sys.path.insert(0, str(DEPLOY))
            import smoke

            status = smoke.run(stack)
            if status != 0:
                print_logs(stack)
            return status
        print(
            f"{args.project} is up: {stack.https_url or stack.base_url}  (logs in {stack.workdir})"
        )
        for login in stack.demo_logins:
            print(f"  {login['role']:<10} {login['email']:<30} {login['password']}")
        if stack.flower_url:
            print(f"  Flower: {stack.flower_url}  (login {':'.join(stack.flower_auth)})")
        if stack.prometheus_url:
            print(f"  Prometheus: {stack.prometheus_url}")
        print("Ctrl-C stops everything.")
        with contextlib.suppress(KeyboardInterrupt):
            while all(proc.poll() is None for proc in stack.processes.values()):
                time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

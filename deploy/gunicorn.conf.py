"""gunicorn settings for every capstone: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Every value can be changed from the environment, so the same file serves the Docker
image (`GUNICORN_BIND=0.0.0.0:8000`), the native stack (`deploy/native_stack.py`) and
a load test. The worker and thread defaults come from a measurement on a 2-core
machine: see "Choosing workers and threads" in docs/deploy.md.
"""

import os
import shutil

from gunicorn import glogging
from pythonjsonlogger.json import JsonFormatter


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# --- Where to listen -------------------------------------------------------------------
# Loopback by default: only nginx, on the same host, may talk to gunicorn. In Docker the
# container's own network namespace plays that role and the bind is 0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# --- How many requests at once -----------------------------------------------------------
# gthread: each worker process runs a few threads. Django's views spend most of their time
# waiting on PostgreSQL and Redis, and a waiting thread releases the GIL, so threads add
# concurrency for little memory. Processes are what use both cores.
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"

# --- Timeouts ------------------------------------------------------------------------------
# A request that takes longer than this is a bug or an attack; the worker is killed and
# restarted. Long work belongs in a Celery task, not in a request.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a deploy), requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx keeps connections to us open between requests; a little longer than nginx's idea of
# it would be pointless, so a few seconds.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Restart a worker after this many requests (with jitter so they do not all restart at
# once): a slow memory leak in any library can never take the server down.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# The heartbeat file lives in memory: a slow disk (or Docker's overlay) cannot make a
# healthy worker look dead.
if os.path.isdir("/dev/shm"):  # noqa: S108 (a heartbeat file, not data)
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# --- The proxy in front ------------------------------------------------------------------
# gunicorn sets the request's scheme (wsgi.url_scheme) from X-Forwarded-Proto, but only on
# connections from these addresses: the proxy. A client that reaches gunicorn some other
# way and sends "X-Forwarded-Proto: https" is still plain HTTP to Django. Django reads the
# scheme from gunicorn (shared/web/settings.py leaves SECURE_PROXY_SSL_HEADER unset).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# --- Logs ----------------------------------------------------------------------------------
# Both to stdout/stderr: Docker, systemd and the native stack collect them from there.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# With LOG_FORMAT=text (as in development), gunicorn writes this key=value line per request.
access_log_format = (
    'access remote=%(h)s method=%(m)s path="%(U)s" query="%(q)s" status=%(s)s bytes=%(B)s '
    'duration_ms=%(M)s request_id=%({x-request-id}i)s user_agent="%(a)s"'
)


class JsonLogger(glogging.Logger):
    """gunicorn's logger, writing one JSON object per line, like Django and Celery.

    The field names are the ones shared/web/settings.py gives Django's and Celery's lines
    (time, level, name, message, request_id), so one query finds a request in all of them.
    Each request is one object with its parts as fields. A log shipper reads it without a
    parsing rule, and a quote in a user agent or a path cannot break the line: the JSON
    encoder escapes it, where a hand-written format string would not.
    """

    def setup(self, cfg):
        super().setup(cfg)
        formatter = JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level"},
        )
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        self.access_log.info(
            "%s %s %s",
            atoms["m"],
            atoms["U"],
            atoms["s"],
            extra={
                # nginx's id (X-Request-ID); without nginx, the one django-guid made.
                "request_id": atoms.get("{x-request-id}i") or atoms.get("{x-request-id}o"),
                "remote_addr": atoms["h"],
                "method": atoms["m"],
                "path": atoms["U"],
                "query": atoms["q"],
                "status": int(atoms["s"]),
                "bytes": atoms["B"],
                "duration_ms": atoms["M"],
                "user_agent": atoms["a"],
            },
        )


if os.environ.get("LOG_FORMAT", "json") == "json":
    logger_class = JsonLogger

# gunicorn's runtime control socket (gunicornc) is not used here; with it on, several
# gunicorns on one host would fight over the same socket file in $HOME.
control_socket_disable = True

# --- Metrics from every worker -------------------------------------------------------------
# Each worker is its own process with its own Prometheus counters. With
# PROMETHEUS_MULTIPROC_DIR set, prometheus_client writes them to files there and /metrics
# (django-prometheus) adds up all workers, instead of answering with one random worker's.
_METRICS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server):
    if _METRICS_DIR:
        # Files from a previous run would be counted again: start empty.
        shutil.rmtree(_METRICS_DIR, ignore_errors=True)
        os.makedirs(_METRICS_DIR, exist_ok=True)


def child_exit(server, worker):
    if _METRICS_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

"""The pytest plugin every capstone's tests use (registered as ``shared`` in pyproject).

Markers:
  postgres  the test needs PostgreSQL (races, exclusion constraints)
  worker    the test needs Redis and a live Celery worker process
  browser   the test drives a real Chromium (fixtures in shared/testing/browser.py)
In the embedded mode these tests are deselected, and the run says how many and why;
``browser`` tests are deselected the same way in any mode when Chromium is missing.

Celery: outside ``worker`` tests, tasks run eagerly (in the test's process) in both
modes, so a service test sees its task's outcome at once. A ``worker`` test uses the
``live_worker`` fixture: a real ``celery worker`` process on the test database. Its
Celery app module is the ini option ``celery_app`` (default ``config``). A test that
kills the process running a task uses ``live_prefork_worker`` (the production pool);
one that kills a whole worker starts its own with ``start_live_worker``.
"""

import os
from pathlib import Path

import pytest

from shared.testing.browser import chromium_path

# The browser fixtures (browser_page, browser_login, ...) live in their own module.
pytest_plugins = ["shared.testing.browser"]

# Set before pytest-django loads the settings: no debug toolbar, fast hashing.
os.environ.setdefault("TESTING", "1")

SERVICE_MARKERS = {
    "postgres": "needs PostgreSQL",
    "worker": "needs Redis and a live Celery worker",
}
BROWSER_REASON = "needs Chromium (apt-get install chromium)"
# A test that asks for one of these talks to a real worker: its tasks are not eager.
LIVE_WORKER_FIXTURES = {"live_worker", "live_prefork_worker", "start_live_worker"}


def pytest_addoption(parser):
    parser.addini(
        "celery_app",
        "module of the Celery app that live_worker starts (celery -A ...)",
        default="config",
    )


def pytest_configure(config):
    for name, why in SERVICE_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {why} (runs in make test-services)")
    config.addinivalue_line("markers", f"browser: {BROWSER_REASON}; see docs/browser-tests.md")


def _missing_services() -> dict[str, str]:
    from django.conf import settings

    missing = {}
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing["postgres"] = SERVICE_MARKERS["postgres"]
    if settings.CELERY_TASK_ALWAYS_EAGER:
        missing["worker"] = SERVICE_MARKERS["worker"]
    if chromium_path() is None:
        missing["browser"] = BROWSER_REASON
    return missing


def pytest_collection_modifyitems(config, items):
    missing = _missing_services()
    if not missing:
        return
    kept, left_out, reasons = [], [], set()
    for item in items:
        needs = [name for name in missing if item.get_closest_marker(name)]
        (left_out if needs else kept).append(item)
        reasons.update(missing[name] for name in needs)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
        config._shared_left_out = (len(left_out), sorted(reasons))


def pytest_terminal_summary(terminalreporter, config):
    left_out = getattr(config, "_shared_left_out", None)
    if left_out:
        count, reasons = left_out
        where, hint = " in the embedded mode", "run `make test-services` to run them."
        if BROWSER_REASON in reasons:
            hint = "install Chromium or see docs/browser-tests.md (services: `make test-services`)."
            if reasons == [BROWSER_REASON]:
                where, hint = "", "install Chromium or see docs/browser-tests.md."
        terminalreporter.write_line(
            f"shared: {count} test(s) left out{where} ({'; '.join(reasons)}); {hint}",
            yellow=True,
        )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is slow on purpose; tests hash many passwords and do not need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):
    """``make_user(roles=["staff"], email="a@b.c")`` creates a verified, active user."""
    from shared.testing.factories import UserFactory

    def make(**kwargs):
        return UserFactory(**kwargs)

    return make


@pytest.fixture
def page_client_for(client):
    """``page_client_for(user)`` returns Django's test client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_client_for():
    """``api_client_for(user)`` returns a DRF client that sends a real JWT for ``user``."""
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
        return client

    return make


@pytest.fixture
def assert_constant_queries(django_assert_num_queries):
    """Prove a list does not grow in queries with its rows.

    ``assert_constant_queries(fetch, add_rows)`` calls ``fetch()``, counts its queries,
    calls ``add_rows()``, then asserts ``fetch()`` runs the same number again.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def check(fetch, add_rows) -> int:
        with CaptureQueriesContext(connection) as first:
            fetch()
        add_rows()
        with CaptureQueriesContext(connection) as second:
            fetch()
        assert len(second) == len(first), (
            f"queries grew with the rows: {len(first)} -> {len(second)}\n"
            + "\n".join(q["sql"] for q in second.captured_queries)
        )
        return len(first)

    return check


@pytest.fixture
def concurrently():
    """The ``run_concurrently`` helper as a fixture."""
    from shared.testing.concurrency import run_concurrently

    return run_concurrently


@pytest.fixture(autouse=True)
def _tasks_run_eagerly(request):
    """Tasks run in the test's process, unless the test asked for the live worker.

    In services mode, a test that enqueues a task would otherwise publish a message
    that no worker reads (and the test would never see the task's effect). Running
    tasks eagerly keeps every non-worker test the same in both modes; the worker
    tests prove what eager mode cannot (JSON messages, another process, commits)."""
    if LIVE_WORKER_FIXTURES & set(request.fixturenames):
        yield
        return
    from celery import current_app

    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def _start_live_worker(request, tmp_path_factory, env_overrides=None, **options):
    """Start a ``LiveWorker`` (see ``live_worker``) and return it once it answers a ping."""
    from django.conf import settings
    from django.db import connection

    from shared.testing.worker import LiveWorker, database_url_for

    if settings.CELERY_TASK_ALWAYS_EAGER or "DATABASE_URL" not in os.environ:
        pytest.fail("live_worker needs the services mode: mark the test @pytest.mark.worker")
    rootdir = Path(request.config.rootpath)
    env = dict(
        os.environ,
        DATABASE_URL=database_url_for(os.environ["DATABASE_URL"], connection.settings_dict["NAME"]),
        PYTHONPATH=os.pathsep.join(filter(None, [str(rootdir), os.environ.get("PYTHONPATH")])),
        **(env_overrides or {}),
    )
    worker = LiveWorker(
        app_module=request.config.getini("celery_app"),
        cwd=rootdir,
        env=env,
        log_path=tmp_path_factory.mktemp("celery") / "worker.log",
        **options,
    )
    worker.start()
    return worker


@pytest.fixture(scope="session")
def live_worker(request, django_db_setup, tmp_path_factory):
    """A real ``celery worker`` subprocess on the test database (services mode only).

    Started once per session from the project's folder, with the environment of this
    run except ``DATABASE_URL``, which points at the test database pytest-django
    created. The queue is purged first; the worker stops before the database is
    dropped. Tests using it: ``@pytest.mark.worker`` and
    ``@pytest.mark.django_db(transaction=True)`` (the worker sees committed rows only).
    """
    worker = _start_live_worker(request, tmp_path_factory)
    yield worker
    worker.stop()


@pytest.fixture(scope="session")
def live_prefork_worker(request, django_db_setup, tmp_path_factory):
    """Like ``live_worker``, with the prefork pool that production runs: each task runs
    in a child process, and the worker notices when that child dies.

    It reads only ``PREFORK_QUEUE``: route a task there with ``CELERY_TASK_ROUTES`` (as the
    test project's settings do), so it never takes a message meant for ``live_worker``.
    Emails it sends are printed to its log (console backend), so a test can count what
    really went out."""
    from shared.testing.worker import PREFORK_QUEUE

    worker = _start_live_worker(
        request,
        tmp_path_factory,
        # Whatever EMAIL_URL this run has (memorymail:// would keep the emails in the
        # worker's memory), the console backend prints them where the test can read.
        env_overrides={"EMAIL_URL": "consolemail://"},
        pool="prefork",
        queue=PREFORK_QUEUE,
    )
    yield worker
    worker.stop()


@pytest.fixture
def start_live_worker(request, django_db_setup, tmp_path_factory):
    """``start_live_worker(queue=..., pool="prefork")``: a worker of this test's own, on its
    own queue, for a test that kills or restarts whole workers (the session workers above
    must survive every test). Each one started is stopped when the test ends."""
    workers = []

    def start(*, queue: str, pool: str = "prefork"):
        worker = _start_live_worker(
            request,
            tmp_path_factory,
            env_overrides={"EMAIL_URL": "consolemail://"},
            pool=pool,
            queue=queue,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def wait_for():
    """``wait_for(predicate, timeout=15)``: poll until truthy (see shared.testing.worker)."""
    from shared.testing.worker import wait_for

    return wait_for

"""The pytest plugin every capstone's tests use (registered as ``shared`` in pyproject).

Markers:
  postgres  the test needs PostgreSQL (races, exclusion constraints)
  worker    the test needs Redis and a live Celery worker process
  browser   the test drives a real Chromium (fixtures in shared/testing/browser.py)
  curl      the test runs a shell script that calls the API with curl (docs/api-tour.sh)
  exercise  ``@pytest.mark.exercise("wishlist")``: a test of a student exercise
            (<project>/exercises/), which fails until the exercise is done
In the embedded mode the service tests are deselected, and the run says how many and why;
``browser`` and ``curl`` tests are deselected the same way in any mode when Chromium or
curl is missing. Exercise tests are always deselected and counted, unless
``--exercise=<name>`` asks for one exercise: then ONLY that exercise's tests run
(``make exercise P=shop E=wishlist``).

Celery: outside ``worker`` tests, tasks run eagerly (in the test's process) in both
modes, so a service test sees its task's outcome at once. A ``worker`` test uses the
``live_worker`` fixture: a real ``celery worker`` process on the test database. Its
Celery app module is the ini option ``celery_app`` (default ``config``). A test that
kills the process running a task uses ``live_prefork_worker`` (the production pool);
one that kills a whole worker starts its own with ``start_live_worker``.
"""

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from shared.testing.browser import chromium_path

if TYPE_CHECKING:
    # Annotations only: the plugin is loaded before Django's settings, so the modules that
    # need them are imported inside the fixtures.
    from django.test import Client
    from pytest_django.fixtures import Settings
    from rest_framework.test import APIClient

    from shared.accounts.models import User
    from shared.testing.worker import LiveWorker

# The browser fixtures (browser_page, browser_login, ...) live in their own module.
pytest_plugins = ["shared.testing.browser"]

# Set before pytest-django loads the settings: no debug toolbar, fast hashing.
os.environ.setdefault("TESTING", "1")

SERVICE_MARKERS = {
    "postgres": "needs PostgreSQL",
    "worker": "needs Redis and a live Celery worker",
}
BROWSER_REASON = "needs Chromium (apt-get install chromium)"
CURL_REASON = "needs curl (apt-get install curl)"
# What runs the tests a marker leaves out, said next to each count.
RUNS_THEM = {
    "postgres": "make test-services",
    "worker": "make test-services",
    "browser": "apt-get install chromium, then make test (or bash .ci/browser.sh)",
    "curl": "apt-get install curl, then make test",
    "exercise": "make exercise P=<project> E=<name> (one exercise)",
}
EXERCISE_REASON = "exercises, failing until solved"
# `make test` (shared/testing/runner.py) names each suite and collects the counts per marker
# from this file, to add them up over every suite in its closing summary.
LEFT_OUT_FILE_ENV = "CAPSTONE_LEFT_OUT_FILE"
SUITE_NAME_ENV = "CAPSTONE_SUITE"
# A test that asks for one of these talks to a real worker: its tasks are not eager.
LIVE_WORKER_FIXTURES = {"live_worker", "live_prefork_worker", "start_live_worker"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "celery_app",
        "module of the Celery app that live_worker starts (celery -A ...)",
        default="config",
    )
    parser.addoption(
        "--exercise",
        metavar="NAME",
        default=None,
        help="run only the tests marked exercise(NAME) (see <project>/EXERCISES.md)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for name, why in SERVICE_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {why} (runs in make test-services)")
    config.addinivalue_line("markers", f"browser: {BROWSER_REASON}; see docs/browser-tests.md")
    config.addinivalue_line("markers", f"curl: {CURL_REASON}; runs a project's docs/api-tour.sh")
    config.addinivalue_line(
        "markers", "exercise(name): a student exercise's test; runs only with --exercise=name"
    )


def _missing_services() -> dict[str, str]:
    from django.conf import settings

    missing: dict[str, str] = {}
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing["postgres"] = SERVICE_MARKERS["postgres"]
    if settings.CELERY_TASK_ALWAYS_EAGER:
        missing["worker"] = SERVICE_MARKERS["worker"]
    if chromium_path() is None:
        missing["browser"] = BROWSER_REASON
    if shutil.which("curl") is None:
        missing["curl"] = CURL_REASON
    return missing


def exercise_name(item: pytest.Item) -> str | None:
    """The exercise a test belongs to (``@pytest.mark.exercise("wishlist")``), or None."""
    marker = item.get_closest_marker("exercise")
    if marker is None:
        return None
    if len(marker.args) != 1 or not isinstance(marker.args[0], str):
        raise pytest.UsageError(f'{item.nodeid}: write @pytest.mark.exercise("<name>")')
    return marker.args[0]


def _select_exercises(config: pytest.Config, items: list[pytest.Item]) -> int:
    """Keep the exercise asked for with --exercise (and nothing else), or drop every exercise.

    Returns how many exercise tests were left out, for the summary. Tests outside the chosen
    exercise are deselected without being counted: the student asked for one exercise.
    """
    chosen = config.getoption("exercise")
    if chosen:
        kept = [item for item in items if exercise_name(item) == chosen]
        if not kept and items:
            raise pytest.UsageError(f"no test is marked exercise({chosen!r}) here")
        others = [item for item in items if exercise_name(item) != chosen]
        if others:
            config.hook.pytest_deselected(items=others)
        items[:] = kept
        return 0
    exercises = [item for item in items if exercise_name(item) is not None]
    if exercises:
        config.hook.pytest_deselected(items=exercises)
        items[:] = [item for item in items if exercise_name(item) is None]
    return len(exercises)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    exercises_left_out = _select_exercises(config, items)
    missing = _missing_services()
    kept: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    per_marker = dict.fromkeys(missing, 0)  # a test needing two services counts under both
    for item in items:
        needs = [name for name in missing if item.get_closest_marker(name)]
        (left_out if needs else kept).append(item)
        for name in needs:
            per_marker[name] += 1
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    reasons = {name: (missing[name], count) for name, count in per_marker.items() if count}
    if exercises_left_out:
        reasons["exercise"] = (EXERCISE_REASON, exercises_left_out)
    if reasons:
        config._shared_left_out = (  # type: ignore[attr-defined]  # read in the summary below
            len(left_out) + exercises_left_out,
            reasons,
        )


def suite_name(config: pytest.Config) -> str:
    """The suite's name in messages: the runner says which; else the folder pytest ran in."""
    return os.environ.get(SUITE_NAME_ENV) or Path(config.rootpath).name


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    left_out = getattr(config, "_shared_left_out", None)
    if not left_out:
        return
    count, per_marker = left_out
    where = " in the embedded mode" if set(per_marker) & set(SERVICE_MARKERS) else ""
    reasons = "; ".join(f"{why}: {n}" for why, n in per_marker.values())
    commands = " / ".join(dict.fromkeys(RUNS_THEM[name] for name in per_marker))
    commands = commands.replace("<project>", suite_name(config))
    hint = "see docs/browser-tests.md" if "browser" in per_marker else ""
    terminalreporter.write_line(
        f"{suite_name(config)}: {count} test(s) left out{where} ({reasons}); "
        f"run them with {commands}{'; ' + hint if hint else ''}.",
        yellow=True,
    )
    if os.environ.get(LEFT_OUT_FILE_ENV):
        counts = {name: n for name, (_why, n) in per_marker.items()}
        Path(os.environ[LEFT_OUT_FILE_ENV]).write_text(json.dumps({"total": count, **counts}))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: "Settings") -> None:
    # Argon2 is slow on purpose; tests hash many passwords and do not need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db: None) -> Callable[..., "User"]:
    """``make_user(roles=["staff"], email="a@b.c")`` creates a verified, active user."""
    from shared.testing.factories import UserFactory

    def make(**kwargs: Any) -> "User":
        return UserFactory.create(**kwargs)

    return make


@pytest.fixture
def page_client_for(client: "Client") -> Callable[["User"], "Client"]:
    """``page_client_for(user)`` returns Django's test client logged in as ``user``."""

    def login(user: "User") -> "Client":
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_client() -> "APIClient":
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_client_for() -> Callable[["User"], "APIClient"]:
    """``api_client_for(user)`` returns a DRF client that sends a real JWT for ``user``."""
    from rest_framework.test import APIClient

    from shared.accounts.tokens import RefreshToken  # the login endpoint's own kind of token

    def make(user: "User") -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
        return client

    return make


@pytest.fixture
def assert_constant_queries(
    django_assert_num_queries: Any,
) -> Callable[[Callable[[], object], Callable[[], object]], int]:
    """Prove a list does not grow in queries with its rows.

    ``assert_constant_queries(fetch, add_rows)`` calls ``fetch()``, counts its queries,
    calls ``add_rows()``, then asserts ``fetch()`` runs no more than that again (fewer is
    fine: the second call may find something in the cache, a page count for one).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def check(fetch: Callable[[], object], add_rows: Callable[[], object]) -> int:
        with CaptureQueriesContext(connection) as first:
            fetch()
        add_rows()
        with CaptureQueriesContext(connection) as second:
            fetch()
        assert len(second) <= len(first), (
            f"queries grew with the rows: {len(first)} -> {len(second)}\n"
            + "\n".join(q["sql"] for q in second.captured_queries)
        )
        return len(first)

    return check


@pytest.fixture
def concurrently() -> Callable[..., Any]:
    """The ``run_concurrently`` helper as a fixture."""
    from shared.testing.concurrency import run_concurrently

    return run_concurrently


@pytest.fixture(autouse=True)
def _tasks_run_eagerly(request: pytest.FixtureRequest) -> Iterator[None]:
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


def _start_live_worker(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    env_overrides: dict[str, str] | None = None,
    **options: Any,
) -> "LiveWorker":
    """Start a ``LiveWorker`` (see ``live_worker``) and return it once it answers a ping."""
    from django.conf import settings
    from django.db import connection

    from shared.testing.worker import LiveWorker, database_url_for

    if settings.CELERY_TASK_ALWAYS_EAGER or "DATABASE_URL" not in os.environ:
        pytest.fail("live_worker needs the services mode: mark the test @pytest.mark.worker")
    rootdir = Path(request.config.rootpath)
    env: dict[str, str] = dict(
        os.environ,
        DATABASE_URL=database_url_for(os.environ["DATABASE_URL"], connection.settings_dict["NAME"]),
        PYTHONPATH=os.pathsep.join(filter(None, [str(rootdir), os.environ.get("PYTHONPATH")])),
        **(env_overrides or {}),
    )
    worker = LiveWorker(
        app_module=str(request.config.getini("celery_app")),
        cwd=rootdir,
        env=env,
        log_path=tmp_path_factory.mktemp("celery") / "worker.log",
        **options,
    )
    worker.start()
    return worker


@pytest.fixture(scope="session")
def live_worker(
    request: pytest.FixtureRequest, django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator["LiveWorker"]:
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
def live_prefork_worker(
    request: pytest.FixtureRequest, django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator["LiveWorker"]:
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
def start_live_worker(
    request: pytest.FixtureRequest, django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., "LiveWorker"]]:
    """``start_live_worker(queue=..., pool="prefork")``: a worker of this test's own, on its
    own queue, for a test that kills or restarts whole workers (the session workers above
    must survive every test). Each one started is stopped when the test ends."""
    workers: list[LiveWorker] = []

    def start(*, queue: str, pool: str = "prefork") -> "LiveWorker":
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
def wait_for() -> Callable[..., Any]:
    """``wait_for(predicate, timeout=15)``: poll until truthy (see shared.testing.worker)."""
    from shared.testing.worker import wait_for

    return wait_for

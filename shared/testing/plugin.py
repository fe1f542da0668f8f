"""The pytest plugin every capstone's tests use (registered as ``shared`` in pyproject).

Markers:
  postgres  the test needs PostgreSQL (races, exclusion constraints)
  worker    the test needs Redis and a live Celery worker process
In the embedded mode these tests are deselected, and the run says how many and why.
"""

import os

import pytest

# Set before pytest-django loads the settings: no debug toolbar, fast hashing.
os.environ.setdefault("TESTING", "1")

SERVICE_MARKERS = {
    "postgres": "needs PostgreSQL",
    "worker": "needs Redis and a live Celery worker",
}


def pytest_configure(config):
    for name, why in SERVICE_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {why} (runs in make test-services)")


def _missing_services() -> dict[str, str]:
    from django.conf import settings

    missing = {}
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing["postgres"] = SERVICE_MARKERS["postgres"]
    if settings.CELERY_TASK_ALWAYS_EAGER:
        missing["worker"] = SERVICE_MARKERS["worker"]
    return missing


def pytest_collection_modifyitems(config, items):
    missing = _missing_services()
    if not missing:
        return
    kept, left_out = [], []
    for item in items:
        needs = [name for name in missing if item.get_closest_marker(name)]
        (left_out if needs else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
        config._shared_left_out = (len(left_out), sorted(missing.values()))


def pytest_terminal_summary(terminalreporter, config):
    left_out = getattr(config, "_shared_left_out", None)
    if left_out:
        count, reasons = left_out
        terminalreporter.write_line(
            f"shared: {count} test(s) left out in the embedded mode ({'; '.join(reasons)}); "
            "run `make test-services` to run them.",
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

"""The pytest plugin: the query-count assertion, wait_for, the worker helpers, the markers."""

import json

import pytest

from shared.tasks.models import TaskProgress
from shared.tasks.services import start_job
from shared.testing.worker import database_url_for, wait_for


@pytest.mark.django_db
def test_assert_constant_queries_catches_an_n_plus_one(assert_constant_queries, make_user):
    def add_rows():
        for _ in range(3):
            start_job(name="Export", owner=make_user())

    start_job(name="Export", owner=make_user())

    def naive_list():
        return [job.owner.email for job in TaskProgress.objects.all()]

    with pytest.raises(AssertionError, match=r"queries grew with the rows: 2 -> 5"):
        assert_constant_queries(naive_list, add_rows)


@pytest.mark.django_db
def test_assert_constant_queries_passes_with_select_related(assert_constant_queries, make_user):
    start_job(name="Export", owner=make_user())

    def joined_list():
        return [job.owner.email for job in TaskProgress.objects.select_related("owner")]

    def add_rows():
        start_job(name="Export", owner=make_user())
        start_job(name="Export", owner=make_user())

    assert assert_constant_queries(joined_list, add_rows) == 1


def test_wait_for_returns_the_first_truthy_value():
    calls = []

    def third_time_lucky():
        calls.append(1)
        return len(calls) >= 3 and "ready"

    assert wait_for(third_time_lucky, timeout=5, interval=0) == "ready"
    assert len(calls) == 3


def test_wait_for_gives_up_after_its_timeout():
    with pytest.raises(TimeoutError, match=r"still false after 0\.05s"):
        wait_for(lambda: False, timeout=0.05, interval=0.01)


def test_wait_for_fixture_is_the_same_helper(wait_for):
    assert wait_for(lambda: 42) == 42


def test_database_url_for_points_at_the_test_database():
    url = "postgres://postgres:secret@127.0.0.1:5432/capstone_shop?sslmode=disable"
    assert database_url_for(url, "test_capstone_shop") == (
        "postgres://postgres:secret@127.0.0.1:5432/test_capstone_shop?sslmode=disable"
    )


MARKED_TESTS = """
import pytest

@pytest.mark.postgres
def test_needs_postgres():
    pass

@pytest.mark.worker
def test_needs_worker():
    pass

@pytest.mark.postgres
@pytest.mark.worker
def test_needs_both():
    pass

def test_plain():
    pass
"""


@pytest.fixture
def embedded_env(monkeypatch):
    monkeypatch.setenv("DJANGO_MODE", "embedded")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    # Under `make test` the runner names this suite "shared"; the inner runs are not it.
    monkeypatch.delenv("CAPSTONE_SUITE", raising=False)
    monkeypatch.delenv("CAPSTONE_LEFT_OUT_FILE", raising=False)


def test_embedded_mode_deselects_marked_tests_and_counts_them_per_reason(
    pytester, embedded_env, monkeypatch
):
    # The runner names the suite (shop's line once said "shared:") and reads the counts.
    left_out_file = pytester.path / "left_out.json"
    monkeypatch.setenv("CAPSTONE_SUITE", "shop")
    monkeypatch.setenv("CAPSTONE_LEFT_OUT_FILE", str(left_out_file))
    pytester.makepyfile(test_marked=MARKED_TESTS)
    result = pytester.runpytest_subprocess(
        "--ds=shared.tests.project.settings", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1, deselected=3)
    result.stdout.fnmatch_lines(
        ["shop: 3 test(s) left out in the embedded mode (needs PostgreSQL: 2; "
         "needs Redis and a live Celery worker: 2); run them with make test-services."]
    )  # fmt: skip
    assert json.loads(left_out_file.read_text()) == {"total": 3, "postgres": 2, "worker": 2}


def test_without_the_runner_the_line_names_the_folder_pytest_ran_in(pytester, embedded_env):
    pytester.makepyfile(
        test_marked="import pytest\n\n@pytest.mark.postgres\ndef test_pg():\n    pass\n"
    )
    result = pytester.runpytest_subprocess(
        "--ds=shared.tests.project.settings", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(deselected=1)
    result.stdout.fnmatch_lines(
        [f"{pytester.path.name}: 1 test(s) left out in the embedded mode (needs PostgreSQL: 1)*"]
    )


def test_live_worker_refuses_the_embedded_mode(pytester, embedded_env):
    pytester.makepyfile(test_worker="def test_uses_worker(live_worker):\n    pass\n")
    result = pytester.runpytest_subprocess(
        "--ds=shared.tests.project.settings", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*live_worker needs the services mode*"])


def test_a_worker_that_cannot_start_is_reported_with_its_log(tmp_path):
    """A broken worker fails the session at once, showing why, instead of a timeout."""
    import os
    from pathlib import Path

    from shared.testing.worker import LiveWorker

    worker = LiveWorker(
        app_module="shared.tests.project.celery_app",
        cwd=Path.cwd(),
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "no_such_settings_module"},
        log_path=tmp_path / "worker.log",
    )
    with pytest.raises(RuntimeError, match="exited at start") as failure:
        worker.start(timeout=60)
    assert "no_such_settings_module" in str(failure.value)
    worker.stop()  # already gone: stopping is a no-op, not an error
    assert worker.process.returncode != 0


EXERCISE_TESTS = """
import pytest

@pytest.mark.exercise("wishlist")
def test_wishlist_one():
    pass

@pytest.mark.exercise("wishlist")
@pytest.mark.postgres
def test_wishlist_race():
    pass

@pytest.mark.exercise("cap")
def test_cap():
    pass

def test_plain():
    pass
"""


def test_exercise_tests_are_left_out_and_counted_by_default(pytester, embedded_env, monkeypatch):
    left_out_file = pytester.path / "left_out.json"
    monkeypatch.setenv("CAPSTONE_SUITE", "shop")
    monkeypatch.setenv("CAPSTONE_LEFT_OUT_FILE", str(left_out_file))
    pytester.makepyfile(test_exercises=EXERCISE_TESTS)
    result = pytester.runpytest_subprocess(
        "--ds=shared.tests.project.settings", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1, deselected=3)
    # Counted once, as exercises: the postgres mark does not count the race test twice.
    result.stdout.fnmatch_lines(
        ["shop: 3 test(s) left out (exercises, failing until solved: 3); "
         "run them with make exercise P=shop E=<name> (one exercise)."]
    )  # fmt: skip
    assert json.loads(left_out_file.read_text()) == {"total": 3, "exercise": 3}


def test_the_exercise_option_runs_only_that_exercise(pytester, embedded_env):
    pytester.makepyfile(test_exercises=EXERCISE_TESTS)
    result = pytester.runpytest_subprocess(
        "--ds=shared.tests.project.settings", "-p", "no:cacheprovider", "--exercise=wishlist", "-v"
    )
    # The plain test and the other exercise are not run; the race test still needs PostgreSQL.
    result.assert_outcomes(passed=1, deselected=3)
    result.stdout.fnmatch_lines(["*test_wishlist_one PASSED*"])
    result.stdout.fnmatch_lines(["*left out in the embedded mode (needs PostgreSQL: 1)*"])


def test_an_unknown_exercise_is_a_usage_error(pytester, embedded_env):
    pytester.makepyfile(test_exercises=EXERCISE_TESTS)
    result = pytester.runpytest_subprocess(
        "--ds=shared.tests.project.settings", "-p", "no:cacheprovider", "--exercise=nope"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no test is marked exercise('nope') here*"])

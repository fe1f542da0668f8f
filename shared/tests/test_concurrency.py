"""The concurrency helper: callables released together, outcomes collected, real races."""

import threading
import time

import pytest
from django.db import transaction

from shared.testing.concurrency import Outcome, run_concurrently
from shared.tests.project.lab.models import Counter
from shared.tests.project.lab.services import increment_atomically, increment_with_lock

THREADS = 8


# --- The helper itself (no database) ---------------------------------------------------


def test_returns_each_value_in_the_order_of_the_callables():
    outcomes = run_concurrently(lambda: "a", lambda: "b", lambda: "c")
    assert outcomes == [Outcome("a"), Outcome("b"), Outcome("c")]


def test_collects_errors_instead_of_raising_them():
    def boom():
        raise ValueError("boom")

    ok, failed = run_concurrently(lambda: 1, boom)
    assert ok == Outcome(value=1)
    assert isinstance(failed.error, ValueError)
    assert failed.value is None


def test_all_callables_run_at_the_same_time():
    """Each callable waits for all the others inside its body: that only completes
    if every thread is running at once (one after the other would time out)."""
    inside = threading.Barrier(4)

    def meet():
        return inside.wait(timeout=5)

    outcomes = run_concurrently(*[meet] * 4)
    assert [o.error for o in outcomes] == [None] * 4
    assert sorted(o.value for o in outcomes) == [0, 1, 2, 3]


def test_a_callable_that_never_finishes_is_reported():
    release = threading.Event()
    try:
        with pytest.raises(TimeoutError, match="deadlock"):
            run_concurrently(lambda: release.wait(10), lambda: None, timeout=0.2)
    finally:
        release.set()


# --- Real races on PostgreSQL -------------------------------------------------------------


@pytest.fixture
def counter(db):
    return Counter.objects.create(name="hits", value=0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_read_modify_write_loses_updates(counter):
    """The bug the helper exists to catch: every thread reads 0 (they all read before
    anyone writes, which the second barrier makes certain), and every one writes 1."""
    all_have_read = threading.Barrier(THREADS)

    def increment_in_python():
        with transaction.atomic():
            row = Counter.objects.get(pk=counter.pk)
            all_have_read.wait(timeout=10)
            row.value += 1
            row.save(update_fields=["value"])

    outcomes = run_concurrently(*[increment_in_python] * THREADS)
    assert [o.error for o in outcomes] == [None] * THREADS
    counter.refresh_from_db()
    assert counter.value == 1  # THREADS - 1 increments were lost


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_atomic_update_loses_nothing(counter):
    outcomes = run_concurrently(*[lambda: increment_atomically(name="hits")] * THREADS)
    assert [o.error for o in outcomes] == [None] * THREADS
    counter.refresh_from_db()
    assert counter.value == THREADS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_select_for_update_makes_the_others_wait(counter):
    def slow_locked_increment():
        increment_with_lock(name="hits")
        time.sleep(0.01)

    outcomes = run_concurrently(*[slow_locked_increment] * THREADS)
    assert [o.error for o in outcomes] == [None] * THREADS
    counter.refresh_from_db()
    assert counter.value == THREADS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_writes_cannot_revive_a_finished_job():
    """Two runs of one task race: one succeeds while the other still reports progress.
    The conditional UPDATE keeps the job finished whatever the interleaving."""
    from shared.tasks.models import TaskProgress
    from shared.tasks.services import start_job

    job = start_job(name="Race", total=100)
    copies = [TaskProgress.objects.get(pk=job.pk) for _ in range(THREADS)]

    def finish(copy):
        return lambda: copy.succeed(result_url="/done/")

    def report(copy):
        return lambda: [copy.update(step) for step in range(1, 20)]

    calls = [finish(c) if i % 2 else report(c) for i, c in enumerate(copies)]
    outcomes = run_concurrently(*calls)
    assert [o.error for o in outcomes] == [None] * THREADS
    job.refresh_from_db()
    assert (job.state, job.current, job.result_url) == ("succeeded", 100, "/done/")
    # Exactly one of the finishing runs won; the others saw the job already done.
    assert sorted(o.value for i, o in enumerate(outcomes) if i % 2) == [False] * 3 + [True]

"""Gap-free numbering: one counter row per series, taken inside the caller's transaction."""

import threading

import pytest
from django.db import transaction

from shared.numbering.models import Counter
from shared.numbering.services import next_number
from shared.testing.concurrency import run_concurrently

THREADS = 8


@pytest.mark.django_db
def test_numbers_of_a_series_count_up_from_one():
    with transaction.atomic():
        assert [next_number("invoice-2026") for _ in range(3)] == [1, 2, 3]
        assert next_number("credit-2026") == 1


@pytest.mark.django_db
def test_a_rolled_back_number_is_given_again():
    with transaction.atomic():
        assert next_number("invoice") == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("invoice") == 2
        raise RuntimeError("the invoice could not be saved")
    with transaction.atomic():
        assert next_number("invoice") == 2  # no gap


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses():
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        next_number("invoice")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_distinct_numbers_without_gaps():
    """Eight transactions take a number at once, half of them roll back afterwards: the
    committed numbers are exactly 1..4, each once, whatever the interleaving."""
    start = threading.Barrier(THREADS)

    def take(rollback: bool):
        def run():
            try:
                with transaction.atomic():
                    start.wait(timeout=10)
                    number = next_number("race")
                    if rollback:
                        raise RuntimeError("rolled back")
                    return number
            except RuntimeError:
                return None

        return run

    outcomes = run_concurrently(*[take(rollback=i % 2 == 1) for i in range(THREADS)])
    assert [o.error for o in outcomes] == [None] * THREADS
    committed = sorted(o.value for o in outcomes if o.value is not None)
    assert committed == [1, 2, 3, 4]
    assert Counter.objects.get(series="race").last_value == 4

"""The stock rules under real parallel transactions (PostgreSQL): no overselling, no deadlock."""

import pytest
from django.db import transaction

from catalog.exceptions import OutOfStock
from catalog.models import Stock
from catalog.services import reserve_stock


def stock_of(variant) -> tuple[int, int]:
    row = Stock.objects.get(variant=variant)
    return row.quantity, row.reserved


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_buyers_race_for_the_last_three_units(make_variant, concurrently):
    """10 parallel transactions each reserve 1 of the last 3 units: exactly 3 succeed."""
    variant = make_variant(quantity=3)

    def buy_one():
        with transaction.atomic():
            reserve_stock(lines=[(variant.pk, 1)])

    outcomes = concurrently(*[buy_one for _ in range(10)])

    errors = [o.error for o in outcomes if o.error is not None]
    assert sum(o.error is None for o in outcomes) == 3
    assert len(errors) == 7 and all(isinstance(e, OutOfStock) for e in errors)
    assert stock_of(variant) == (3, 3)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_crossed_multi_line_reservations_do_not_deadlock(make_variant, concurrently):
    """Buyers list the same two variants in opposite orders; the sorted lock order prevents
    a deadlock, so every reservation that fits succeeds."""
    a, b = make_variant(quantity=20), make_variant(quantity=20)

    def forwards():
        with transaction.atomic():
            reserve_stock(lines=[(a.pk, 1), (b.pk, 1)])

    def backwards():
        with transaction.atomic():
            reserve_stock(lines=[(b.pk, 1), (a.pk, 1)])

    outcomes = concurrently(*[forwards, backwards] * 5)

    assert [o.error for o in outcomes] == [None] * 10
    assert stock_of(a) == (20, 10)
    assert stock_of(b) == (20, 10)

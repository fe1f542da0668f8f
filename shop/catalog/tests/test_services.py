"""Stock movements: reserve, release, commit (ship) and restock."""

import pytest
from django.db import transaction

from catalog.exceptions import OutOfStock, StockError
from catalog.models import Stock
from catalog.services import commit_stock, release_stock, reserve_stock, restock


def stock_of(variant) -> tuple[int, int]:
    row = Stock.objects.get(variant=variant)
    return row.quantity, row.reserved


@pytest.mark.django_db
class TestReserve:
    def test_reserves_every_line(self, make_variant):
        a, b = make_variant(quantity=5), make_variant(quantity=2)
        with transaction.atomic():
            reserve_stock(lines=[(b.pk, 2), (a.pk, 1), (a.pk, 2)])  # a appears twice: summed
        assert stock_of(a) == (5, 3)
        assert stock_of(b) == (2, 2)

    def test_short_line_raises_and_rolls_back_the_others(self, make_variant):
        a, b = make_variant(quantity=5), make_variant(quantity=3, reserved=2)
        with pytest.raises(OutOfStock) as exc_info, transaction.atomic():
            reserve_stock(lines=[(a.pk, 1), (b.pk, 2)])
        assert exc_info.value.variant_id == b.pk
        assert exc_info.value.available == 1
        assert stock_of(a) == (5, 0)  # a's reservation was rolled back with the transaction
        assert stock_of(b) == (3, 2)

    def test_variant_without_stock_row_is_out_of_stock(self, variant):
        Stock.objects.filter(variant=variant).delete()
        with pytest.raises(OutOfStock) as exc_info, transaction.atomic():
            reserve_stock(lines=[(variant.pk, 1)])
        assert exc_info.value.available == 0

    @pytest.mark.django_db(transaction=True)  # a plain test already runs inside atomic()
    def test_refuses_to_run_outside_a_transaction(self, variant):
        with pytest.raises(RuntimeError, match="atomic"):
            reserve_stock(lines=[(variant.pk, 1)])
        assert stock_of(variant) == (10, 0)

    def test_refuses_non_positive_quantity(self, variant):
        with pytest.raises(ValueError), transaction.atomic():
            reserve_stock(lines=[(variant.pk, 0)])


@pytest.mark.django_db
class TestReleaseCommitRestock:
    def test_release_gives_units_back(self, make_variant):
        v = make_variant(quantity=5, reserved=3)
        with transaction.atomic():
            release_stock(lines=[(v.pk, 2)])
        assert stock_of(v) == (5, 1)

    def test_release_more_than_reserved_is_an_error(self, make_variant):
        v = make_variant(quantity=5, reserved=1)
        with pytest.raises(StockError), transaction.atomic():
            release_stock(lines=[(v.pk, 2)])
        assert stock_of(v) == (5, 1)

    def test_commit_takes_units_off_the_shelf(self, make_variant):
        v = make_variant(quantity=5, reserved=3)
        with transaction.atomic():
            commit_stock(lines=[(v.pk, 3)])
        assert stock_of(v) == (2, 0)

    def test_commit_unreserved_units_is_an_error(self, make_variant):
        v = make_variant(quantity=5, reserved=1)
        with pytest.raises(StockError), transaction.atomic():
            commit_stock(lines=[(v.pk, 2)])
        assert stock_of(v) == (5, 1)

    def test_restock_adds_units_and_creates_a_missing_row(self, make_variant):
        v = make_variant(quantity=1)
        assert restock(variant_id=v.pk, quantity=4).quantity == 5
        Stock.objects.filter(variant=v).delete()
        assert restock(variant_id=v.pk, quantity=2).quantity == 2
        with pytest.raises(ValueError):
            restock(variant_id=v.pk, quantity=0)

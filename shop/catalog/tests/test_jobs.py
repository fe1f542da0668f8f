"""The catalog's background job: low-stock alerts to staff, once per crossing."""

import pytest

from catalog import tasks
from catalog.models import LowStockAlert, Stock

pytestmark = pytest.mark.django_db


class TestLowStockAlert:
    def test_once_per_crossing(
        self, make_variant, staff, mailoutbox, django_capture_on_commit_callbacks
    ):
        variant = make_variant(quantity=10)  # the factory's threshold is 2
        assert tasks.send_low_stock_alerts() == []
        Stock.objects.filter(variant=variant).update(reserved=8)  # 2 left: at the threshold
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_low_stock_alerts() == [variant.sku]
        assert tasks.send_low_stock_alerts() == []  # still low: not again
        assert len(mailoutbox) == 1 and variant.sku in mailoutbox[0].body
        assert mailoutbox[0].to == [staff.email]
        assert "2 available (threshold 2)" in mailoutbox[0].body

        Stock.objects.filter(variant=variant).update(quantity=20)  # restocked: re-armed
        assert tasks.send_low_stock_alerts() == [] and not LowStockAlert.objects.exists()
        Stock.objects.filter(variant=variant).update(reserved=19)  # falls again
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_low_stock_alerts() == [variant.sku]
        assert len(mailoutbox) == 2

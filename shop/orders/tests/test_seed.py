"""The orders part of `manage.py seed_demo`: coupons and a month of sales, created once."""

import pytest
from django.core.management import call_command

from orders.models import Coupon, Order, OrderStatus
from orders.seed import DEMO_ORDER_COUNT

pytestmark = pytest.mark.django_db


def test_seed_creates_coupons_and_a_month_of_orders_once(mailoutbox):
    call_command("seed_demo")
    call_command("seed_demo")
    assert set(Coupon.objects.values_list("code", flat=True)) == {"WELCOME10", "FIVEOFF"}
    assert Order.objects.count() == DEMO_ORDER_COUNT
    assert Order.objects.filter(status=OrderStatus.PAID).count() == 3
    assert Order.objects.filter(status=OrderStatus.FULFILLED).count() == DEMO_ORDER_COUNT - 3
    assert mailoutbox == []  # seeding emails nobody

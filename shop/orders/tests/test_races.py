"""The checkout rules under real concurrency, on PostgreSQL (run by `make test-services`).

Each test releases N threads at once behind a barrier (``concurrently``); each thread has
its own database connection, so PostgreSQL sees N truly parallel transactions.
"""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from catalog.exceptions import OutOfStock
from catalog.models import Stock
from core.roles import CUSTOMER
from orders import services
from orders.exceptions import CouponError
from orders.models import Coupon, Order, OrderStatus
from payments.models import Payment
from payments.sandbox import SandboxGateway

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def customers_with_carts(make_user, fill_cart, variant, count, quantity=1):
    buyers = [make_user(roles=[CUSTOMER], email=f"buyer{i}@example.com") for i in range(count)]
    return [(user, fill_cart(user, (variant, quantity))) for user in buyers]


def test_no_overselling_eight_buyers_three_units(
    make_user, make_variant, fill_cart, place, concurrently
):
    variant = make_variant(quantity=3)
    buyers = customers_with_carts(make_user, fill_cart, variant, 8)

    outcomes = concurrently(*[lambda u=u, c=c: place(u, c) for u, c in buyers])

    won = [o.value for o in outcomes if o.error is None]
    lost = [o.error for o in outcomes if o.error is not None]
    assert len(won) == 3 and Order.objects.count() == 3
    assert all(isinstance(e, OutOfStock) and "Only 0 of" in str(e) for e in lost), lost
    stock = Stock.objects.get(variant=variant)
    assert (stock.quantity, stock.reserved) == (3, 3)


def test_no_overselling_with_multi_line_carts_in_opposite_order(
    make_user, make_variant, fill_cart, place, concurrently
):
    """Carts holding the same two variants, added in opposite orders: locks are still taken in
    variant-id order, so no deadlock, and neither variant is oversold."""
    a, b = make_variant(quantity=4), make_variant(quantity=4)
    jobs = []
    for i in range(6):
        user = make_user(roles=[CUSTOMER], email=f"multi{i}@example.com")
        cart = fill_cart(user, *((a, 1), (b, 1)) if i % 2 else ((b, 1), (a, 1)))
        jobs.append(lambda u=user, c=cart: place(u, c))

    outcomes = concurrently(*jobs)

    assert sum(o.error is None for o in outcomes) == 4
    assert [Stock.objects.get(variant=v).reserved for v in (a, b)] == [4, 4]


def test_double_submitted_checkout_creates_one_order(
    customer, make_variant, fill_cart, place, concurrently
):
    variant = make_variant(quantity=10)
    cart = fill_cart(customer, (variant, 2))

    outcomes = concurrently(*[lambda: place(customer, cart, key="double-click")] * 5)

    assert [o.error for o in outcomes] == [None] * 5
    assert len({o.value.pk for o in outcomes}) == 1
    assert Order.objects.count() == 1
    assert Stock.objects.get(variant=variant).reserved == 2


def test_coupon_usage_limit_holds_under_concurrent_checkouts(
    make_user, make_variant, fill_cart, place, concurrently
):
    coupon = Coupon.objects.create(
        code="FLASH", kind="percentage", value=Decimal("50"), usage_limit=2
    )
    variant = make_variant(quantity=100)
    buyers = customers_with_carts(make_user, fill_cart, variant, 6)

    outcomes = concurrently(*[lambda u=u, c=c: place(u, c, coupon_code="flash") for u, c in buyers])

    won = [o.value for o in outcomes if o.error is None]
    assert len(won) == 2 and all(order.discount > 0 for order in won)
    assert all(isinstance(o.error, CouponError) for o in outcomes if o.error is not None)
    coupon.refresh_from_db()
    assert coupon.times_used == 2 and coupon.redemptions.count() == 2
    assert Stock.objects.get(variant=variant).reserved == 2  # the refused ones reserved nothing


def test_staff_cancel_racing_the_payment_has_one_winner(
    placed_order_committed, staff, post_webhook, concurrently
):
    order = placed_order_committed

    def cancel():
        return services.cancel_order(order=Order.objects.get(pk=order.pk), by=staff)

    outcomes = concurrently(cancel, lambda: post_webhook(order.payment, "pay", http=_client()))

    order.refresh_from_db()
    order.payment.refresh_from_db()
    changes = [c.to_status for c in order.status_changes.all()]
    assert changes in (
        ["pending_payment", "paid", "cancelled"],  # paid first, then cancelled (and refunded)
        ["pending_payment", "cancelled"],  # cancelled first; the payment is refunded
    ), (changes, outcomes)
    assert order.status == OrderStatus.CANCELLED
    assert order.payment.status == "refunded"
    assert Stock.objects.get(variant=order.lines.get().variant).reserved == 0


def test_expiry_racing_the_payment_never_leaves_a_paid_order_without_stock(
    placed_order_committed, post_webhook, concurrently, settings
):
    order = placed_order_committed
    Order.objects.filter(pk=order.pk).update(
        created=order.created - timedelta(minutes=settings.SHOP_UNPAID_ORDER_MINUTES + 1)
    )

    concurrently(
        services.expire_unpaid_orders, lambda: post_webhook(order.payment, "pay", http=_client())
    )

    order.refresh_from_db()
    order.payment.refresh_from_db()
    reserved = Stock.objects.get(variant=order.lines.get().variant).reserved
    assert (order.status, order.payment.status, reserved) in (
        (OrderStatus.PAID, "succeeded", 1),  # the payment won: the units stay reserved
        (OrderStatus.CANCELLED, "refunded", 0),  # the expiry won: released, money back
    )


def _client():
    from django.test import Client

    return Client()


@pytest.fixture
def placed_order_committed(customer, make_variant, fill_cart, place):
    return place(customer, fill_cart(customer, (make_variant(quantity=5), 1)))


class LockProbingGateway(SandboxGateway):
    """The sandbox, but while it "waits for the provider" another buyer's transaction tries
    to lock the same stock row at once (NOWAIT): had the checkout held it, that would fail."""

    variant_id: int = 0
    probes: list[str] = []

    def start_checkout(self, **kwargs):
        def other_buyer():
            try:
                with transaction.atomic():
                    Stock.objects.select_for_update(nowait=True).get(variant_id=self.variant_id)
                type(self).probes.append("locked it at once")
            except DatabaseError as exc:
                type(self).probes.append(f"blocked: {exc}")
            finally:
                connection.close()

        thread = threading.Thread(target=other_buyer)
        thread.start()
        thread.join()
        return super().start_checkout(**kwargs)


def test_the_provider_is_called_while_no_stock_row_is_locked(
    customer, make_variant, fill_cart, place, settings
):
    """A slow provider must not queue the other buyers of a product behind its answer."""
    variant = make_variant(quantity=5)
    LockProbingGateway.variant_id, LockProbingGateway.probes = variant.pk, []
    settings.SHOP_PAYMENT_GATEWAY = "orders.tests.test_races.LockProbingGateway"
    order = place(customer, fill_cart(customer, (variant, 2)))
    assert LockProbingGateway.probes == ["locked it at once"]
    assert order.payment.amount == order.total and Stock.objects.get(variant=variant).reserved == 2


class RefundLockProbingGateway(SandboxGateway):
    """The sandbox, but while it "refunds", another connection tries to lock the order and
    its payment at once (NOWAIT): had the cancel still held them, that would fail."""

    order_id: int = 0
    probes: list[str] = []

    def refund(self, **kwargs):
        def staff_at_the_same_moment():
            try:
                with transaction.atomic():
                    Order.objects.select_for_update(nowait=True).get(pk=self.order_id)
                    Payment.objects.select_for_update(nowait=True).get(order_id=self.order_id)
                type(self).probes.append("locked both at once")
            except DatabaseError as exc:
                type(self).probes.append(f"blocked: {exc}")
            finally:
                connection.close()

        thread = threading.Thread(target=staff_at_the_same_moment)
        thread.start()
        thread.join()
        return super().refund(**kwargs)


def test_the_provider_refunds_while_no_order_row_is_locked(
    placed_order_committed, staff, post_webhook, settings
):
    """Cancelling a paid order must not keep its rows locked while the provider answers."""
    order = placed_order_committed
    post_webhook(order.payment, "pay", http=_client())
    RefundLockProbingGateway.order_id, RefundLockProbingGateway.probes = order.pk, []
    settings.SHOP_PAYMENT_GATEWAY = "orders.tests.test_races.RefundLockProbingGateway"

    services.cancel_order(order=Order.objects.get(pk=order.pk), by=staff)

    assert RefundLockProbingGateway.probes == ["locked both at once"]
    order.payment.refresh_from_db()
    assert order.payment.status == "refunded"

"""The sandbox's webhook delivery task, over real HTTP to a live server."""

import pytest

from orders.models import OrderStatus
from payments.models import PaymentStatus, WebhookEvent
from payments.tasks import deliver_sandbox_webhook

pytestmark = pytest.mark.django_db


# --- Delivery --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_task_posts_a_signed_webhook_over_http(
    live_server, settings, customer, make_variant, fill_cart, place
):
    """End to end over a real socket: the task signs and POSTs, the live server applies it."""
    settings.SHOP_PUBLIC_URL = live_server.url
    order = place(customer, fill_cart(customer, (make_variant(), 1)))

    assert deliver_sandbox_webhook(order.payment.pk, "pay") == 200
    assert deliver_sandbox_webhook(order.payment.pk, "pay") == 200  # a retried task: a duplicate

    order.refresh_from_db()
    order.payment.refresh_from_db()
    assert (order.status, order.payment.status) == (OrderStatus.PAID, PaymentStatus.SUCCEEDED)
    assert WebhookEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_refused_delivery_is_not_retried(
    live_server, settings, customer, make_variant, fill_cart, place
):
    settings.SHOP_PUBLIC_URL = live_server.url
    order = place(customer, fill_cart(customer, (make_variant(), 1)))
    # The live server shares these settings: a negative tolerance makes every delivery stale.
    # A 4xx will not get better by retrying, so the task returns it instead of raising.
    settings.SHOP_WEBHOOK_TOLERANCE_SECONDS = -1
    assert deliver_sandbox_webhook(order.payment.pk, "pay") == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT

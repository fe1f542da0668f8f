"""Webhook deliveries under real concurrency, on PostgreSQL (run by `make test-services`)."""

import pytest
from django.core import mail
from django.test import Client

from orders.models import OrderStatus
from payments.models import PaymentStatus, WebhookEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def order(customer, make_variant, fill_cart, place):
    return place(customer, fill_cart(customer, (make_variant(quantity=5), 1)))


def test_concurrent_duplicate_webhooks_capture_one_payment(
    order, post_webhook, concurrently, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outcomes = concurrently(*[lambda: post_webhook(order.payment, "pay", http=Client())] * 6)

    assert [o.error for o in outcomes] == [None] * 6
    assert all(o.value.status_code == 200 for o in outcomes)
    assert sorted(o.value.json()["duplicate"] for o in outcomes) == [False] + [True] * 5
    assert WebhookEvent.objects.count() == 1
    order.refresh_from_db()
    order.payment.refresh_from_db()
    assert (order.status, order.payment.status) == (OrderStatus.PAID, PaymentStatus.SUCCEEDED)
    assert order.status_changes.filter(to_status="paid").count() == 1
    assert len(mail.outbox) == 1  # one confirmation email


def test_contradicting_events_racing_leave_one_consistent_outcome(
    order, post_webhook, concurrently
):
    outcomes = concurrently(
        lambda: post_webhook(order.payment, "pay", http=Client()),
        lambda: post_webhook(order.payment, "decline", http=Client()),
    )

    assert all(o.error is None and o.value.status_code == 200 for o in outcomes)
    order.refresh_from_db()
    order.payment.refresh_from_db()
    assert (order.status, order.payment.status) in (
        (OrderStatus.PAID, PaymentStatus.SUCCEEDED),
        (OrderStatus.CANCELLED, PaymentStatus.FAILED),
    )
    assert sorted(o.value.json()["outcome"].split(":")[0] for o in outcomes) == [
        "applied",
        "ignored",
    ]

"""The sandbox's hosted payment page and its webhook delivery over real HTTP."""

import pytest

from orders.models import OrderStatus
from payments.models import PaymentStatus, WebhookEvent
from payments.tasks import deliver_sandbox_webhook

pytestmark = pytest.mark.django_db


def sandbox_url(order) -> str:
    return f"/payments/sandbox/{order.payment.reference}/"


def test_the_page_shows_the_amount_and_both_choices(placed_order, client):
    response = client.get(sandbox_url(placed_order))
    assert response.status_code == 200
    assert b"39.80 EUR" in response.content
    assert b'value="pay"' in response.content and b'value="decline"' in response.content


def test_choosing_schedules_the_webhook_and_goes_to_the_confirmation(
    placed_order, client, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(sandbox_url(placed_order), {"outcome": "pay"})
    assert response.status_code == 302
    assert response.url == f"/orders/{placed_order.number}/confirmation/"
    assert len(callbacks) == 1  # the delivery task, queued for after the commit
    placed_order.refresh_from_db()
    assert placed_order.status == OrderStatus.PENDING_PAYMENT  # only the webhook changes it


def test_an_unknown_choice_is_a_400(placed_order, client):
    assert client.post(sandbox_url(placed_order), {"outcome": "steal"}).status_code == 400


def test_a_closed_payment_cannot_be_paid_again(placed_order, client, post_webhook):
    post_webhook(placed_order.payment, "decline")
    response = client.post(sandbox_url(placed_order), {"outcome": "pay"})
    assert response.status_code == 409
    assert b"closed" in response.content


def test_unknown_reference_is_a_404(client, db):
    assert client.get("/payments/sandbox/sbx_nope/").status_code == 404


def test_the_page_is_gone_when_another_provider_is_configured(placed_order, client, settings):
    settings.SHOP_PAYMENT_GATEWAY = "payments.tests.test_sandbox.OtherGateway"
    assert client.get(sandbox_url(placed_order)).status_code == 404


class OtherGateway:
    name = "other"


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

"""Payments through their doors: the provider's webhook (verified before parsed, applied once,
right whatever the order of events) and the sandbox's hosted payment page."""

import json
import time

import pytest

from catalog.models import Stock
from orders.models import OrderStatus
from orders.services import cancel_order
from payments import sandbox, signing
from payments.models import PaymentStatus, WebhookEvent

pytestmark = pytest.mark.django_db


# --- The webhook -----------------------------------------------------------------------------


def state(order):
    order.refresh_from_db()
    order.payment.refresh_from_db()
    stock = Stock.objects.get(variant_id=order.lines.get().variant_id)
    return order.status, order.payment.status, stock.reserved


def test_payment_succeeded_marks_the_order_paid_and_sends_the_confirmation(
    placed_order, post_webhook, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_webhook(placed_order.payment, "pay")
    assert response.status_code == 200
    assert response.json() == {
        "received": True,
        "duplicate": False,
        "outcome": "applied: order paid",
    }
    assert state(placed_order) == (OrderStatus.PAID, PaymentStatus.SUCCEEDED, 2)
    assert placed_order.paid_at is not None
    change = placed_order.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "pending_payment",
        "paid",
        None,
    )
    event = WebhookEvent.objects.get()
    assert (event.type, event.payment, event.outcome) == (
        "payment.succeeded",
        placed_order.payment,
        "applied: order paid",
    )
    [email] = mailoutbox
    assert email.to == [placed_order.email] and placed_order.number in email.subject
    assert (
        email.attachments[0][0].startswith("INV-") and email.attachments[0][2] == "application/pdf"
    )


def test_payment_failed_cancels_the_order_and_releases_the_stock(placed_order, post_webhook):
    response = post_webhook(placed_order.payment, "decline")
    assert response.status_code == 200 and response.json()["outcome"] == "applied: order cancelled"
    assert state(placed_order) == (OrderStatus.CANCELLED, PaymentStatus.FAILED, 0)


def test_a_duplicate_delivery_changes_nothing(
    placed_order, post_webhook, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_webhook(placed_order.payment, "pay")
        again = post_webhook(placed_order.payment, "pay")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert WebhookEvent.objects.count() == 1
    assert placed_order.status_changes.filter(to_status="paid").count() == 1
    assert len(mailoutbox) == 1


def test_a_failure_arriving_after_the_success_leaves_the_order_paid(placed_order, post_webhook):
    post_webhook(placed_order.payment, "pay")
    late = post_webhook(placed_order.payment, "decline")
    assert late.status_code == 200
    assert late.json()["outcome"] == "ignored: payment already succeeded"
    assert state(placed_order) == (OrderStatus.PAID, PaymentStatus.SUCCEEDED, 2)
    assert WebhookEvent.objects.count() == 2  # both kept for the audit trail


def test_a_success_after_the_failure_does_not_resurrect_the_order(placed_order, post_webhook):
    post_webhook(placed_order.payment, "decline")
    late = post_webhook(placed_order.payment, "pay")
    assert late.json()["outcome"] == "ignored: payment already failed"
    assert state(placed_order) == (OrderStatus.CANCELLED, PaymentStatus.FAILED, 0)


def test_money_arriving_for_an_expired_order_is_refunded(
    placed_order, post_webhook, django_capture_on_commit_callbacks
):
    cancel_order(order=placed_order, by=None, note="Expired")
    with django_capture_on_commit_callbacks(execute=True):  # the refund job runs at the commit
        response = post_webhook(placed_order.payment, "pay")
    assert response.json()["outcome"] == "refunded: order was cancelled"
    assert state(placed_order) == (OrderStatus.CANCELLED, PaymentStatus.REFUNDED, 0)


def test_a_failure_for_an_order_cancelled_meanwhile_is_recorded(placed_order, post_webhook):
    cancel_order(order=placed_order, by=None)
    assert (
        post_webhook(placed_order.payment, "decline").json()["outcome"]
        == "recorded: order was cancelled"
    )
    assert state(placed_order) == (OrderStatus.CANCELLED, PaymentStatus.FAILED, 0)


def test_unknown_payment_is_acknowledged_and_ignored(placed_order, post_webhook):
    event = sandbox.build_event(
        reference="sbx_nobody", outcome="pay", amount=placed_order.total, currency="EUR"
    )
    response = post_webhook(placed_order.payment, event=event)
    assert response.status_code == 200 and response.json()["outcome"] == "ignored: unknown payment"
    assert state(placed_order)[0] == OrderStatus.PENDING_PAYMENT


def test_an_amount_that_does_not_match_is_ignored(placed_order, post_webhook):
    event = sandbox.build_event(
        reference=placed_order.payment.reference, outcome="pay", amount="0.01", currency="EUR"
    )
    assert (
        post_webhook(placed_order.payment, event=event).json()["outcome"]
        == "ignored: amount does not match"
    )
    assert state(placed_order)[0] == OrderStatus.PENDING_PAYMENT


def event_body(**changes) -> bytes:
    """A well-formed event body, with some fields changed to something malformed."""
    event = {"id": "e", "type": "payment.succeeded", "created": 1, "reference": "r", "amount": "1"}
    event.update(changes)
    data = {"reference": event.pop("reference"), "amount": event.pop("amount")}
    return json.dumps({**event, "data": data}).encode()


class TestRefusedDeliveries:
    """Each gets a 400 in the API's error shape, and nothing is written."""

    def assert_refused(self, response, placed_order):
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "invalid_webhook"
        assert WebhookEvent.objects.count() == 0
        assert state(placed_order) == (OrderStatus.PENDING_PAYMENT, PaymentStatus.PENDING, 2)

    def test_bad_signature(self, placed_order, post_webhook):
        headers = {signing.SIGNATURE_HEADER: f"t={int(time.time())},v1={'0' * 64}"}
        self.assert_refused(post_webhook(placed_order.payment, headers=headers), placed_order)

    def test_missing_signature(self, placed_order, post_webhook):
        self.assert_refused(
            post_webhook(placed_order.payment, headers={"X-Other": "1"}), placed_order
        )

    def test_tampered_body(self, placed_order, post_webhook):
        event = sandbox.build_event(
            reference=placed_order.payment.reference,
            outcome="pay",
            amount=placed_order.total,
            currency="EUR",
        )
        tampered = json.dumps({**event, "type": "payment.failed"}).encode()
        self.assert_refused(
            post_webhook(placed_order.payment, event=event, body=tampered), placed_order
        )

    def test_stale_timestamp(self, placed_order, post_webhook, settings):
        event = sandbox.build_event(
            reference=placed_order.payment.reference,
            outcome="pay",
            amount=placed_order.total,
            currency="EUR",
        )
        body = json.dumps(event).encode()
        old = signing.sign(
            body, secret=settings.SHOP_SANDBOX_WEBHOOK_SECRET, timestamp=int(time.time()) - 301
        )
        response = post_webhook(
            placed_order.payment, body=body, headers={signing.SIGNATURE_HEADER: old}
        )
        self.assert_refused(response, placed_order)

    @pytest.mark.parametrize(
        "body",
        [
            b"not json",
            b'{"id": "evt_1"}',
            b'{"id":"e","type":"payment.succeeded","created":1,"data":{"reference":"r\x00"}}',
            event_body(type="payment.refunded"),
            event_body(created="soon"),
            event_body(amount="lots"),
            event_body(id="e\x00"),  # JSON-escaped as \u0000, which PostgreSQL refuses
            event_body(id="e" * 101),
            event_body(reference="a b"),
        ],
    )
    def test_malformed_but_correctly_signed_body(self, placed_order, post_webhook, settings, body):
        header = signing.sign(body, secret=settings.SHOP_SANDBOX_WEBHOOK_SECRET)
        response = post_webhook(
            placed_order.payment, body=body, headers={signing.SIGNATURE_HEADER: header}
        )
        self.assert_refused(response, placed_order)


def test_webhook_needs_no_csrf_token_nor_login(placed_order, post_webhook):
    from django.test import Client

    response = post_webhook(placed_order.payment, "pay", http=Client(enforce_csrf_checks=True))
    assert response.status_code == 200


def test_webhook_only_accepts_post(client):
    assert client.get("/api/v1/payments/webhook/").status_code == 405


# --- The sandbox's hosted payment page -------------------------------------------------------


def sandbox_url(order) -> str:
    return f"/payments/sandbox/{order.payment.reference}/"


def test_the_page_shows_the_amount_and_both_choices(placed_order, client):
    response = client.get(sandbox_url(placed_order))
    assert response.status_code == 200
    assert "€39.80".encode() in response.content
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
    settings.SHOP_PAYMENT_GATEWAY = "payments.tests.test_doors.OtherGateway"
    assert client.get(sandbox_url(placed_order)).status_code == 404


class OtherGateway:
    name = "other"


def _closed_port() -> int:
    """A port on this machine where nothing listens (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_pays_on_whatever_host_and_port_served_the_page(
    live_server, settings, client, customer, make_variant, fill_cart, place
):
    """`manage.py runserver` on port 8000 while SHOP_PUBLIC_URL says 8003: the webhook goes
    back to the server that served the page, and the order is paid."""
    settings.SHOP_PUBLIC_URL = f"http://127.0.0.1:{_closed_port()}"  # nothing listens there
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    order = place(customer, fill_cart(customer, (make_variant(), 1)))
    served_by = live_server.url.removeprefix("http://")  # localhost:<its port>

    response = client.post(sandbox_url(order), {"outcome": "pay"}, HTTP_HOST=served_by)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_provider_says_so_and_leaves_the_order_payable(
    settings, client, customer, make_variant, fill_cart, place
):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    order = place(customer, fill_cart(customer, (make_variant(), 1)))

    response = client.post(
        sandbox_url(order), {"outcome": "pay"}, HTTP_HOST=f"127.0.0.1:{_closed_port()}"
    )

    assert response.status_code == 503
    assert b"could not be reached" in response.content
    assert b'value="pay"' in response.content  # the customer may try again at once
    order.refresh_from_db()
    order.payment.refresh_from_db()
    assert (order.status, order.payment.status) == ("pending_payment", "pending")
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize(
    ("return_to", "expected"),
    [
        ("/app/orders/7", "/app/orders/7"),  # the SPA's own page on this site
        ("https://evil.example.net/phish", None),  # another site: no open redirect
        ("//evil.example.net/phish", None),
    ],
)
def test_return_to_sends_the_customer_back_only_within_the_site(
    placed_order, client, return_to, expected
):
    response = client.post(f"{sandbox_url(placed_order)}?return_to={return_to}", {"outcome": "pay"})
    assert response.status_code == 302
    assert response.url == (expected or f"/orders/{placed_order.number}/confirmation/")

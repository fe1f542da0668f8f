"""The confirmation email over real transports: an SMTP exchange, and a live Celery worker."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from orders.models import Invoice, Order
from orders.services import mark_paid
from orders.tasks import send_order_confirmation_task


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.mark.django_db
def test_confirmation_goes_through_a_real_smtp_exchange(placed_order, smtp_inbox):
    mark_paid(order=placed_order)
    assert send_order_confirmation_task(placed_order.pk) is True

    [(recipients, raw)] = smtp_inbox.messages
    assert recipients == [placed_order.email]
    message = email.message_from_bytes(raw, policy=policy.default)
    assert placed_order.number in message["Subject"]
    [pdf] = [
        part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"
    ]
    invoice = Invoice.objects.get(order=placed_order)
    assert pdf.get_filename() == f"{invoice.number}.pdf"
    assert pdf.get_content().startswith(b"%PDF")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_live_worker_sends_the_confirmation_after_the_webhook(
    live_worker, wait_for, customer, make_variant, fill_cart, place, post_webhook
):
    """Webhook -> order paid -> task enqueued on commit -> a real worker issues the invoice."""
    order = place(customer, fill_cart(customer, (make_variant(), 1)))
    response = post_webhook(order.payment, "pay", http=Client())
    assert response.status_code == 200

    sent = wait_for(
        lambda: Order.objects.filter(pk=order.pk, confirmation_sent_at__isnull=False).first(),
        timeout=30,
    )
    assert Invoice.objects.filter(order=sent).count() == 1
    wait_for(lambda: "orders.send_order_confirmation[" in live_worker.log(), timeout=10)

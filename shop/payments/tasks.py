"""The sandbox provider's side of the webhook: a real, signed HTTP POST to the shop."""

import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.urls import reverse

from payments import sandbox, services
from payments.models import Payment
from shared.tasks.base import TRANSIENT_ERRORS, task

logger = logging.getLogger(__name__)


@task(name="payments.deliver_sandbox_webhook", autoretry_for=(urllib.error.URLError, OSError))
def deliver_sandbox_webhook(payment_id: int, outcome: str, webhook_url: str | None = None) -> int:
    """POST the signed event for ``outcome`` to the shop's webhook URL; return the HTTP status.

    A real provider makes this call from its own servers to the URL configured in its
    dashboard; the sandbox makes it from a worker to ``webhook_url`` (the shop that served
    the payment page), or ``SHOP_PUBLIC_URL`` when none is given. Idempotent: the
    event id is derived from the payment and outcome, so a retry delivers a duplicate that
    the webhook ignores. A connection error or a 5xx raises, and the task retries with backoff.
    """
    payment = Payment.objects.get(pk=payment_id)
    event = sandbox.build_event(
        reference=payment.reference,
        outcome=outcome,
        amount=payment.amount,
        currency=payment.currency,
    )
    body, headers = sandbox.signed_request(event)
    url = webhook_url or settings.SHOP_PUBLIC_URL.rstrip("/") + reverse("payments-webhook")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own URL)
            status = response.status
    except urllib.error.HTTPError as exc:
        if exc.code >= 500:
            raise  # the shop is having trouble: retry later
        status = exc.code  # a 4xx will not get better by retrying
    logger.info("sandbox webhook %s delivered: HTTP %s", event["id"], status)
    return status


# OSError covers the provider being unreachable (URLError, a refused connection, a timeout).
@task(name="payments.send_refund", autoretry_for=(*TRANSIENT_ERRORS, OSError))
def send_refund(payment_id: int) -> bool:
    """Give a payment's money back at the provider (payments.services.send_refund).

    Enqueued by ``refund_payment`` once the refund decision has committed. A provider that
    is down raises, and the task retries with backoff (BaseTask).
    """
    return services.send_refund(payment_id=payment_id)


@task(name="payments.retry_stale_refunds")
def retry_stale_refunds() -> int:
    """Send again every refund still pending after its retries (scheduled in settings)."""
    stale = services.stale_refunds()
    for payment_id in stale:
        send_refund.delay(payment_id=payment_id)
    return len(stale)

"""Payment use cases: start a payment, refund it, the customer's choice on the sandbox page,
and the provider's webhook events.

Payments sit below orders (.importlinter): an order is paid *through* a payment, so orders
call these functions and payments never import orders. What an event means for the order
(paid, cancelled, refunded) is the orders app's answer, handed in as ``settle_order``.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from payments.exceptions import PaymentClosed, ProviderUnavailable
from payments.gateway import PAYMENT_SUCCEEDED, HostedCheckout, ProviderEvent, get_gateway
from payments.models import Payment, PaymentStatus, WebhookEvent
from shared.errors import DomainError
from shared.tasks.base import enqueue_on_commit

logger = logging.getLogger(__name__)

SANDBOX_OUTCOMES = ("pay", "decline")

# What the orders app does when a payment moved: (payment, its new status) -> the outcome
# recorded on the webhook event ("applied: order paid", "refunded: order was cancelled").
OrderSettler = Callable[[Payment, str], str]


def open_checkout(*, amount: Decimal, currency: str, key: str) -> HostedCheckout:
    """Create the payment session at the provider, *before* the checkout's transaction.

    The provider is another company's server: it may take seconds to answer, or never. Called
    with no transaction open, the wait holds no row lock, so other buyers of the same product
    are not queued behind it (inside the transaction, every checkout of a hot product would
    wait for the slowest provider call). If the checkout then fails (out of stock), the
    session is never paid and expires at the provider: harmless. ``key`` makes a retried
    call return the same session at a real provider.
    """
    gateway = get_gateway()
    try:
        return gateway.start_checkout(
            amount=amount, currency=currency, description="Shop order", idempotency_key=key
        )
    except OSError as exc:  # the provider is down or unreachable: nothing is placed
        logger.warning("payment provider %s unreachable: %s", gateway.name, exc)
        raise ProviderUnavailable(
            "The payment provider could not be reached, so no order was placed. Your cart is "
            "unchanged: please try again in a moment."
        ) from exc


def record_checkout(
    *, order_id: int, checkout: HostedCheckout, key: str, amount: Decimal, currency: str
) -> Payment:
    """The order's payment row, for the session ``open_checkout`` made: written in the
    checkout's transaction, so that there is never an order without its payment."""
    return Payment.objects.create(
        order_id=order_id,
        provider=get_gateway().name,
        reference=checkout.reference,
        idempotency_key=key,
        amount=amount,
        currency=currency,
    )


def refund_payment(*, order_id: int) -> bool:
    """Decide to refund the order's captured payment, if any; True if this call decided it.

    Runs inside the caller's transaction, which holds the order's rows locked, so it does
    not call the provider: another company's server may take seconds to answer, and every
    request waiting for those rows (a webhook, staff, the expiry job) would queue behind it.
    It only records the decision, SUCCEEDED -> REFUND_PENDING by a conditional UPDATE (two
    callers at once: one wins, the other changes nothing), and enqueues ``send_refund`` for
    after the commit. If the transaction rolls back, the refund was never decided and the
    job is never sent.
    """
    payment_id = (
        Payment.objects.filter(order_id=order_id, status=PaymentStatus.SUCCEEDED)
        .values_list("pk", flat=True)
        .first()
    )
    if payment_id is None:
        return False
    # QuerySet.update() skips auto_now, so ``updated`` is set by hand: the sweep below
    # reads it to find refunds left pending.
    if not Payment.objects.filter(pk=payment_id, status=PaymentStatus.SUCCEEDED).update(
        status=PaymentStatus.REFUND_PENDING, updated=timezone.now()
    ):
        return False
    enqueue_on_commit("payments.send_refund", payment_id=payment_id)
    return True


def send_refund(*, payment_id: int) -> bool:
    """The job's half of a refund: ask the provider, then REFUND_PENDING -> REFUNDED.

    No transaction is open and no row is locked during the call. The idempotency key is
    the same on every try, so a retry after a timeout (or after a worker died between the
    provider's answer and our UPDATE) never gives the money back twice at a real provider.
    If the provider is down, the error propagates and the task retries with backoff; the
    payment shows "Refund pending" to staff until it succeeds. Returns False when there is
    nothing to do (already refunded, or no refund was decided).
    """
    payment = Payment.objects.filter(pk=payment_id, status=PaymentStatus.REFUND_PENDING).first()
    if payment is None:
        return False
    get_gateway().refund(
        reference=payment.reference,
        amount=payment.amount,
        idempotency_key=f"refund-{payment.reference}",
    )
    Payment.objects.filter(pk=payment.pk, status=PaymentStatus.REFUND_PENDING).update(
        status=PaymentStatus.REFUNDED, updated=timezone.now()
    )
    logger.info("payment %s refunded at %s", payment.reference, payment.provider)
    return True


def stale_refunds(*, older_than: timedelta = timedelta(minutes=30)) -> list[int]:
    """Payments whose refund was decided a while ago and is still not confirmed.

    ``send_refund`` retries for about a minute of backoff and then gives up (the provider
    was down longer than that, or the message was lost with a broker); the periodic
    ``payments.retry_stale_refunds`` job sends these again, so no refund is forgotten.
    """
    cutoff = timezone.now() - older_than
    pending = Payment.objects.filter(status=PaymentStatus.REFUND_PENDING, updated__lt=cutoff)
    return list(pending.order_by("pk").values_list("pk", flat=True)[:500])


def submit_sandbox_choice(*, payment: Payment, outcome: str, webhook_url: str) -> None:
    """The customer pressed Pay or Decline on the sandbox's hosted page.

    Like a real provider, the sandbox does not change the shop's data here: it only
    schedules the signed webhook that tells the shop what happened. It posts it to
    ``webhook_url``: the shop that served the page (its host passed ALLOWED_HOSTS), so the
    sandbox works on whatever host and port the shop runs, not only at SHOP_PUBLIC_URL.

    In the embedded mode the delivery runs at once, in this request; if nothing answers
    there, the customer is told (``ProviderUnavailable``) and the order stays payable.
    """
    if outcome not in SANDBOX_OUTCOMES:
        raise DomainError("Choose Pay or Decline.", field="outcome", code="invalid_choice")
    if payment.status != PaymentStatus.PENDING or not payment.order.awaiting_payment:
        raise PaymentClosed("This payment is closed.")
    try:
        with transaction.atomic():
            enqueue_on_commit(
                "payments.deliver_sandbox_webhook",
                payment_id=payment.pk,
                outcome=outcome,
                webhook_url=webhook_url,
            )
    except OSError as exc:  # URLError, connection refused: the delivery could not be made
        logger.warning("sandbox webhook to %s failed: %s", webhook_url, exc)
        raise ProviderUnavailable(
            "The payment provider could not be reached, so nothing was charged. Your order "
            "is still waiting for its payment: please try again in a moment."
        ) from exc


def record_webhook_event(
    *, provider: str, event: ProviderEvent, payload: dict[str, Any], settle_order: OrderSettler
) -> tuple[WebhookEvent, bool]:
    """Apply a verified provider event exactly once; return (event row, applied now?).

    The event row and its effect (payment captured, then ``settle_order``: the order paid)
    commit together or not at all. Two deliveries of the same event race on the unique
    ``event_id`` index: the second INSERT waits for the first transaction, then
    ``get_or_create`` finds the committed row and we stop. So duplicates, even concurrent
    ones, have one effect.
    """
    with transaction.atomic():
        record, created = WebhookEvent.objects.get_or_create(
            event_id=event.id,
            defaults={
                "provider": provider,
                "type": event.type,
                "payload": payload,
                "outcome": "received",
            },
        )
        if not created:
            return record, False
        # Lock the payment row: two *different* events for one payment (a "succeeded" and a
        # late "failed") are applied one after the other, each seeing the other's result.
        payment = Payment.objects.select_for_update().filter(reference=event.reference).first()
        record.payment = payment
        record.outcome = _apply(event, payment, settle_order)
        record.save(update_fields=["payment", "outcome"])
    logger.info("webhook %s %s: %s", event.id, event.type, record.outcome)
    return record, True


def _apply(event: ProviderEvent, payment: Payment | None, settle_order: OrderSettler) -> str:
    if payment is None:
        return "ignored: unknown payment"
    if event.amount is not None and event.amount != payment.amount:
        return "ignored: amount does not match"
    target = PaymentStatus.SUCCEEDED if event.type == PAYMENT_SUCCEEDED else PaymentStatus.FAILED
    if not payment.can_become(target):
        # Out of order or contradicting (a "failed" after "succeeded"): the payment only moves
        # forward, so the state it reached stays. The event is kept for the audit trail.
        return f"ignored: payment already {payment.status}"
    Payment.objects.filter(pk=payment.pk).update(status=target)
    payment.status = target
    return settle_order(payment, target)

"""Payment use cases: the customer's choice on the sandbox page and the provider's webhook."""

import logging

from django.db import transaction

from orders.models import Order, OrderStatus
from orders.services import TransitionNotAllowed, cancel_order, mark_paid, refund_payment
from payments.gateway import PAYMENT_FAILED, PAYMENT_SUCCEEDED, ProviderEvent
from payments.models import Payment, PaymentStatus, WebhookEvent
from shared.tasks.base import enqueue_on_commit

logger = logging.getLogger(__name__)


class PaymentClosed(Exception):
    """The payment can no longer be paid (already paid, declined, or its order expired)."""


SANDBOX_OUTCOMES = ("pay", "decline")


def submit_sandbox_choice(*, payment: Payment, outcome: str) -> None:
    """The customer pressed Pay or Decline on the sandbox's hosted page.

    Like a real provider, the sandbox does not change the shop's data here: it only
    schedules the signed webhook that tells the shop what happened.
    """
    if outcome not in SANDBOX_OUTCOMES:
        raise ValueError(f"outcome must be one of {SANDBOX_OUTCOMES}")
    if (
        payment.status != PaymentStatus.PENDING
        or payment.order.status != OrderStatus.PENDING_PAYMENT
    ):
        raise PaymentClosed("This payment is closed.")
    from payments.tasks import deliver_sandbox_webhook  # tasks.py imports this module

    with transaction.atomic():
        enqueue_on_commit(deliver_sandbox_webhook, payment.pk, outcome)


def record_webhook_event(
    *, provider: str, event: ProviderEvent, payload: dict
) -> tuple[WebhookEvent, bool]:
    """Apply a verified provider event exactly once; return (event row, applied now?).

    The event row and its effect (payment captured, order paid) commit together or not at
    all. Two deliveries of the same event race on the unique ``event_id`` index: the second
    INSERT waits for the first transaction, then ``get_or_create`` finds the committed row
    and we stop. So duplicates, even concurrent ones, have one effect.
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
        record.outcome = _apply(event, payment)
        record.save(update_fields=["payment", "outcome"])
    logger.info("webhook %s %s: %s", event.id, event.type, record.outcome)
    return record, True


def _apply(event: ProviderEvent, payment: Payment | None) -> str:
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
    order = Order.objects.prefetch_related("lines").get(pk=payment.order_id)
    if event.type == PAYMENT_FAILED:
        return _on_failed(order, payment)
    return _on_succeeded(order, payment)


def _on_succeeded(order: Order, payment: Payment) -> str:
    try:
        mark_paid(order=order, note=f"Payment {payment.reference} captured")
    except TransitionNotAllowed:
        # The money arrived for an order no longer waiting for it (it expired and its stock
        # was released): give the money back rather than sell units we may no longer have.
        refund_payment(order=order)
        return f"refunded: order was {order.status}"
    return "applied: order paid"


def _on_failed(order: Order, payment: Payment) -> str:
    try:
        cancel_order(order=order, by=None, note=f"Payment {payment.reference} declined")
    except TransitionNotAllowed:
        return f"recorded: order was {order.status}"
    return "applied: order cancelled"

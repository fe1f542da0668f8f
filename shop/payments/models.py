"""Payments (one per order, at one provider) and the webhook events received from providers."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    # The shop decided to give the money back; the provider has not confirmed it yet (the
    # call runs in a job after the commit, never while the order's rows are locked).
    REFUND_PENDING = "refund_pending", "Refund pending"
    REFUNDED = "refunded", "Refunded"


# A payment only moves forward along these edges. A late or replayed event that would move
# it elsewhere (a "failed" after "succeeded") is recorded and ignored: the final state is the
# right one whatever order the provider delivers its events in.
PAYMENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PaymentStatus.PENDING: (PaymentStatus.SUCCEEDED, PaymentStatus.FAILED),
    PaymentStatus.SUCCEEDED: (PaymentStatus.REFUND_PENDING,),
    PaymentStatus.FAILED: (),
    PaymentStatus.REFUND_PENDING: (PaymentStatus.REFUNDED,),
    PaymentStatus.REFUNDED: (),
}


class Payment(models.Model):
    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="payment")
    provider = models.CharField(max_length=30)
    # The provider's id for this payment (a Stripe PaymentIntent id, a sandbox reference).
    reference = models.CharField(max_length=64, unique=True)
    # Sent to the provider when we create the payment, so a retried call creates nothing twice.
    idempotency_key = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=Decimal("0")), name="payments_payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.status})"

    def can_become(self, status: str) -> bool:
        return status in PAYMENT_TRANSITIONS[self.status]


class WebhookEvent(models.Model):
    """Every event a provider delivered, once.

    The unique ``event_id`` is written in the same transaction as the event's effect: a
    duplicate delivery fails on the index and changes nothing.
    """

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=60)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    # What the event did: "applied", or why it was ignored ("stale", "unknown payment"...).
    outcome = models.CharField(max_length=100)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}: {self.outcome}"

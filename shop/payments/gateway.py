"""The payment gateway interface: what the shop needs from any payment provider.

The shop talks to ``get_gateway()`` only. The built-in ``SandboxGateway`` (payments/sandbox.py)
behaves like a hosted checkout. A real provider plugs in by implementing this Protocol and
naming its class in ``settings.SHOP_PAYMENT_GATEWAY``; for Stripe, for example:

* ``start_checkout``  -> ``stripe.checkout.Session.create(..., idempotency_key=key)``;
  the reference is the PaymentIntent id, the redirect URL is ``session.url``;
* ``parse_webhook``   -> ``stripe.Webhook.construct_event(body, header, secret)`` (it checks
  the same "t=...,v1=..." HMAC scheme as our sandbox), then map
  ``payment_intent.succeeded`` / ``payment_intent.payment_failed`` to our event types;
* ``refund``          -> ``stripe.Refund.create(payment_intent=reference, idempotency_key=...)``.
Nothing else in the shop changes: the webhook view, the services and the tests of the
rules (duplicates, out-of-order events, signatures) stay as they are.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_FAILED = "payment.failed"
EVENT_TYPES = (PAYMENT_SUCCEEDED, PAYMENT_FAILED)


@dataclass(frozen=True)
class HostedCheckout:
    """What the provider gives back when a payment starts: its id and where to send the customer."""

    reference: str
    redirect_url: str


@dataclass(frozen=True)
class ProviderEvent:
    """A verified webhook event, translated into the shop's vocabulary."""

    id: str
    type: str
    reference: str
    created: datetime
    amount: Decimal | None = None


class PaymentGateway(Protocol):
    name: str

    def start_checkout(
        self, *, amount: Decimal, currency: str, description: str, idempotency_key: str
    ) -> HostedCheckout:
        """Create the payment at the provider; return its reference and the hosted page URL."""
        ...

    def checkout_url(self, reference: str) -> str:
        """Where to send the customer to pay (again) for an existing payment."""
        ...

    def parse_webhook(self, *, headers, body: bytes) -> ProviderEvent:
        """Verify the signature on the RAW body, then parse it; raise
        ``payments.exceptions.WebhookRejected`` (a 400) when it is not authentic or malformed."""
        ...

    def refund(self, *, reference: str, amount: Decimal, idempotency_key: str) -> None:
        """Give the money back; raise on failure (the ``send_refund`` task retries).

        Called by a job with no row locked. ``idempotency_key`` is the same on every
        retry, so the provider refunds once however often it is asked.
        """
        ...


@cache
def _gateway_class(dotted_path: str) -> type:
    return import_string(dotted_path)


def get_gateway() -> PaymentGateway:
    """The configured provider (``settings.SHOP_PAYMENT_GATEWAY``)."""
    return _gateway_class(settings.SHOP_PAYMENT_GATEWAY)()

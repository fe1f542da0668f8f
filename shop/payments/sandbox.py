"""The built-in sandbox provider: a hosted checkout that lives inside the shop.

It plays both sides of a real provider:
* the provider's hosted payment page (``/payments/sandbox/<reference>/``, payments/views.py)
  where the customer presses Pay or Decline;
* the provider's servers, which then call the shop's webhook with a signed event. That call
  is a real HTTP POST made by a Celery task (``payments.tasks.deliver_sandbox_webhook``) to
  ``settings.SHOP_PUBLIC_URL`` + the webhook path, exactly the URL a real provider would be
  configured to call. So the webhook view cannot tell the sandbox from a real provider.
"""

import json
import re
import secrets
import time
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse

from payments import signing
from payments.exceptions import WebhookRejected
from payments.gateway import EVENT_TYPES, HostedCheckout, ProviderEvent

IDENTIFIER = re.compile(r"[A-Za-z0-9_\-]{1,64}")


class SandboxGateway:
    name = "sandbox"

    def start_checkout(
        self, *, amount: Decimal, currency: str, description: str, idempotency_key: str
    ) -> HostedCheckout:
        # A real provider would store the idempotency key and return the same payment when
        # the call is retried; the shop stores it on Payment (unique) for the same effect.
        reference = f"sbx_{secrets.token_hex(12)}"
        return HostedCheckout(reference=reference, redirect_url=self.checkout_url(reference))

    def checkout_url(self, reference: str) -> str:
        return reverse("payments:sandbox", kwargs={"reference": reference})

    def parse_webhook(self, *, headers, body: bytes) -> ProviderEvent:
        # 1. Authenticate the raw bytes. Nothing is parsed before this succeeds.
        try:
            signing.verify(
                headers.get(signing.SIGNATURE_HEADER),
                body,
                secret=settings.SHOP_SANDBOX_WEBHOOK_SECRET,
                tolerance=settings.SHOP_WEBHOOK_TOLERANCE_SECONDS,
            )
        except signing.SignatureError as exc:
            raise WebhookRejected(str(exc)) from exc
        # 2. Only now is the body trusted enough to parse. Authentic is not the same as
        # well-formed: anything the database would refuse (a NUL character, an id longer
        # than its column) is a 400 here rather than a 500 later.
        if b"\x00" in body or b"\\u0000" in body:
            raise WebhookRejected("malformed event: NUL character")
        try:
            data = json.loads(body)
            event = ProviderEvent(
                id=str(data["id"]),
                type=str(data["type"]),
                reference=str(data["data"]["reference"]),
                created=datetime.fromtimestamp(int(data["created"]), tz=UTC),
                amount=Decimal(str(data["data"]["amount"])),
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise WebhookRejected(f"malformed event: {exc}") from exc
        if not (IDENTIFIER.fullmatch(event.id) and IDENTIFIER.fullmatch(event.reference)):
            raise WebhookRejected("malformed event: bad id or reference")
        if event.type not in EVENT_TYPES:
            raise WebhookRejected(f"unknown event type {event.type!r}")
        return event

    def refund(self, *, reference: str, amount: Decimal, idempotency_key: str) -> None:
        """The sandbox holds no money, so a refund always succeeds at once."""


def build_event(*, reference: str, outcome: str, amount: Decimal, currency: str) -> dict:
    """The event the sandbox sends for a Pay/Decline choice.

    The id is derived from the payment and the outcome, so delivering the same choice twice
    (a retried task) sends the same event id: the shop's unique index ignores the second.
    """
    event_type = {"pay": "payment.succeeded", "decline": "payment.failed"}[outcome]
    return {
        "id": f"evt_{reference}_{outcome}",
        "type": event_type,
        "created": int(time.time()),
        "data": {"reference": reference, "amount": str(amount), "currency": currency},
    }


def signed_request(event: dict) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of one webhook delivery."""
    body = json.dumps(event, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        signing.SIGNATURE_HEADER: signing.sign(body, secret=settings.SHOP_SANDBOX_WEBHOOK_SECRET),
    }
    return body, headers

"""The payments' refusals, as shared domain errors (shared/errors.py)."""

from shared.errors import Conflict, DomainError


class PaymentClosed(Conflict):
    """The payment can no longer be paid (already paid, declined, or its order expired)."""

    default_code = "payment_closed"


class WebhookRejected(DomainError):
    """The delivery is not authentic, too old or malformed: answer 400 and change nothing."""

    default_code = "invalid_webhook"


class ProviderUnavailable(DomainError):
    """The payment provider could not be reached (503): nothing changed, the order is still
    payable, and the customer may try again."""

    status_code = 503
    default_code = "provider_unavailable"

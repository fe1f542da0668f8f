"""Webhook signatures in the style of Stripe's: HMAC-SHA256 over "<timestamp>.<raw body>".

The provider sends ``Sandbox-Signature: t=1767225600,v1=5f2c...``. Signing the timestamp
with the body means an attacker who captured one delivery cannot replay it later (the
timestamp is outside the tolerance) nor change the timestamp (the signature breaks).
We verify the RAW bytes before parsing anything: re-serialized JSON would not match.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Sandbox-Signature"
DEFAULT_TOLERANCE_SECONDS = 5 * 60


class SignatureError(Exception):
    """The delivery is not provably from the provider, or is too old. Answer 400."""


def compute_signature(body: bytes, *, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(body: bytes, *, secret: str, timestamp: int | None = None) -> str:
    """The header value a provider sends with ``body``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={compute_signature(body, secret=secret, timestamp=timestamp)}"


def verify(
    header: str | None,
    body: bytes,
    *,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> int:
    """Check ``header`` against ``body``; return the signed timestamp, else ``SignatureError``."""
    if not header:
        raise SignatureError("missing signature header")
    timestamp, signatures = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)  # several v1 values are allowed while a secret is rotated
    if timestamp is None or not signatures:
        raise SignatureError("malformed signature header")
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance")
    expected = compute_signature(body, secret=secret, timestamp=timestamp)
    # compare_digest takes the same time wherever the strings differ, so the response time
    # does not tell an attacker how many leading characters of their guess were right.
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("signature mismatch")
    return timestamp

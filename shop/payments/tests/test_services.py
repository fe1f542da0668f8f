"""The webhook signature scheme (payments/signing.py): what passes and each way a delivery
is refused."""

import pytest

from payments.signing import SignatureError, compute_signature, sign, verify

# --- Signatures ------------------------------------------------------------------------------


SECRET = "whsec_test"


BODY = b'{"id":"evt_1"}'


def test_a_fresh_signature_verifies_and_returns_its_timestamp():
    header = sign(BODY, secret=SECRET, timestamp=1_000_000)
    assert verify(header, BODY, secret=SECRET, now=1_000_010) == 1_000_000


def test_any_of_several_v1_signatures_may_match_during_secret_rotation():
    good = compute_signature(BODY, secret=SECRET, timestamp=5)
    assert verify(f"t=5,v1={'0' * 64},v1={good}", BODY, secret=SECRET, now=5) == 5


@pytest.mark.parametrize(
    ("header", "body", "now", "reason"),
    [
        (None, BODY, 100, "missing"),
        ("v1=abc", BODY, 100, "malformed"),
        ("t=100", BODY, 100, "malformed"),
        ("t=abc,v1=abc", BODY, 100, "malformed"),
        (sign(BODY, secret=SECRET, timestamp=100), b'{"id":"evt_2"}', 100, "mismatch"),
        (sign(BODY, secret="another", timestamp=100), BODY, 100, "mismatch"),
        (sign(BODY, secret=SECRET, timestamp=100), BODY, 100 + 301, "tolerance"),
        (sign(BODY, secret=SECRET, timestamp=1000), BODY, 1000 - 301, "tolerance"),
    ],
)
def test_refused_deliveries(header, body, now, reason):
    with pytest.raises(SignatureError, match=reason):
        verify(header, body, secret=SECRET, now=now)


def test_the_tolerance_edge_is_inclusive():
    assert verify(sign(BODY, secret=SECRET, timestamp=100), BODY, secret=SECRET, now=400) == 100

"""The orders' models: the status machine as declared."""

import pytest

from orders.models import TRANSITIONS, OrderStatus

pytestmark = pytest.mark.django_db

S = OrderStatus


# --- The status machine ----------------------------------------------------------------------


def test_transition_table_allows_only_the_documented_edges():
    edges = {(src, t.target) for t in TRANSITIONS.values() for src in t.sources}
    assert edges == {
        (S.PENDING_PAYMENT, S.PAID),
        (S.PAID, S.FULFILLED),
        (S.FULFILLED, S.DELIVERED),
        (S.PENDING_PAYMENT, S.CANCELLED),
        (S.PAID, S.CANCELLED),
        (S.FULFILLED, S.REFUNDED),
        (S.DELIVERED, S.REFUNDED),
    }

"""The payments tests share the orders fixtures (a payment always belongs to an order)."""

from orders.tests.conftest import (  # noqa: F401
    fill_cart,
    make_coupon,
    paid_order,
    place,
    placed_order,
    post_webhook,
)

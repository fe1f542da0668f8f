"""Fixtures for the orders and payments tests: carts, addresses, placed orders, webhooks."""

import uuid
from decimal import Decimal

import pytest

from cart.models import Cart
from cart.tests.factories import CartFactory, CartItemFactory
from core.roles import CUSTOMER
from orders import services
from orders.tests.factories import CouponFactory
from payments import sandbox

ADDRESS = services.ShippingAddress(
    name="Ada Lovelace", line1="12 Analytical Row", city="Paris", postcode="75001", country="fr"
)
ADDRESS_FORM = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "line2": "",
    "postcode": "75001",
    "city": "Paris",
    "country": "FR",
    "coupon_code": "",
}


@pytest.fixture
def fill_cart():
    """``fill_cart(user, (variant, 2), (other, 1))``: the user's cart, with those lines added."""

    def fill(user, *lines):
        cart = Cart.objects.filter(user=user).first() or CartFactory(user=user)
        for variant, quantity in lines:
            CartItemFactory(cart=cart, variant=variant, quantity=quantity)
        return cart

    return fill


@pytest.fixture
def place():
    """``place(user, cart, coupon_code=None, key=None)`` calls the checkout service."""

    def run(user, cart, *, coupon_code=None, key=None):
        return services.place_order(
            cart=cart,
            by=user,
            address=ADDRESS,
            coupon_code=coupon_code,
            idempotency_key=key or uuid.uuid4().hex,
        )

    return run


@pytest.fixture
def placed_order(customer, make_variant, fill_cart, place):
    """A pending order: 2 x a 19.90 variant with 10 in stock."""
    variant = make_variant(quantity=10, price=Decimal("19.90"))
    return place(customer, fill_cart(customer, (variant, 2)))


@pytest.fixture
def make_coupon(db):
    def make(code="SAVE10", *, kind="percentage", value="10", **kwargs):
        return CouponFactory(code=code, kind=kind, value=Decimal(value), **kwargs)

    return make


@pytest.fixture
def post_webhook(client):
    """``post_webhook(payment, "pay")`` POSTs the sandbox's signed event like the provider does."""

    def post(payment, outcome="pay", *, event=None, body=None, headers=None, http=None):
        event = event or sandbox.build_event(
            reference=payment.reference,
            outcome=outcome,
            amount=payment.amount,
            currency=payment.currency,
        )
        raw, signed_headers = sandbox.signed_request(event)
        if body is not None:
            raw = body
        extra = {
            f"HTTP_{k.upper().replace('-', '_')}": v
            for k, v in (headers or signed_headers).items()
            if k != "Content-Type"
        }
        return (http or client).post(
            "/api/v1/payments/webhook/", data=raw, content_type="application/json", **extra
        )

    return post


@pytest.fixture
def paid_order(placed_order, post_webhook):
    """``placed_order``, paid through the provider's webhook."""
    post_webhook(placed_order.payment, "pay")
    placed_order.refresh_from_db()
    return placed_order


@pytest.fixture
def stranger(make_user):
    """Another customer, who must never see ``placed_order``."""
    return make_user(roles=[CUSTOMER], email="stranger@example.com")

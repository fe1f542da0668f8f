"""The orders' demo data (`manage.py seed_demo`): coupons and a month of sales.

Idempotent like the rest of the seed: coupons are keyed by code, and each demo order by
its idempotency key, which is exactly what makes place_order return the existing order.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cart.models import Cart, CartItem
from catalog.models import Variant
from core.roles import CUSTOMER
from orders import services
from orders.models import Coupon, CouponKind, Order

DEMO_COUPONS = [
    {
        "code": "WELCOME10",
        "kind": CouponKind.PERCENTAGE,
        "value": Decimal("10"),
        "usage_limit": 1000,
    },
    {"code": "FIVEOFF", "kind": CouponKind.FIXED, "value": Decimal("5.00"), "usage_limit": 3},
]
DEMO_ORDER_COUNT = 14
DEMO_ADDRESS = services.ShippingAddress(
    name="Demo Customer", line1="1 Sample Street", city="Lyon", postcode="69001", country="FR"
)


def seed_demo() -> None:
    """The demo coupons, then the demo customer's month of orders (needs the catalog)."""
    seed_coupons()
    seed_orders()


def seed_coupons() -> int:
    created = 0
    for spec in DEMO_COUPONS:
        if not Coupon.objects.by_code(spec["code"]).exists():
            Coupon.objects.create(**spec)
            created += 1
    return created


@transaction.atomic
def seed_orders() -> int:
    """A month of paid orders for the demo customer, so the dashboard chart has a shape."""
    demo = next((d for d in getattr(settings, "DEMO_LOGINS", []) if d["role"] == CUSTOMER), None)
    customer = get_user_model().objects.filter(email=demo["email"]).first() if demo else None
    variants = list(
        Variant.objects.filter(is_active=True, stock__quantity__gte=20).order_by("pk")[:10]
    )
    if customer is None or not variants:
        return 0
    rng = random.Random(7)
    now = timezone.now()
    created = 0
    for index in range(DEMO_ORDER_COUNT):
        key = f"demo-order-{index}"
        if Order.objects.filter(user=customer, idempotency_key=key).exists():
            continue
        cart, _ = Cart.objects.get_or_create(user=customer)
        cart.items.all().delete()
        CartItem.objects.create(cart=cart, variant=rng.choice(variants), quantity=rng.randint(1, 2))
        order = services.place_order(
            by=customer, cart=cart, address=DEMO_ADDRESS, idempotency_key=key
        )
        services.mark_paid(order=order, note="demo data")
        when = now - timedelta(days=DEMO_ORDER_COUNT * 2 - index * 2, hours=rng.randint(0, 8))
        # Backdate, and mark the confirmation as sent so the seed does not email anyone.
        Order.objects.filter(pk=order.pk).update(
            created=when, paid_at=when, confirmation_sent_at=when
        )
        if index < DEMO_ORDER_COUNT - 3:  # the last three stay "paid": to fulfil on the dashboard
            services.fulfil_order(order=order, by=None, note="demo data")
        created += 1
    Cart.objects.filter(user=customer, items__isnull=True).delete()  # the empty cart we used
    return created

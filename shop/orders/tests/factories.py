"""factory_boy factories for the orders (orders themselves are placed through the service,
so that their lines, stock and payment are real: see the ``place`` fixture in conftest.py)."""

from decimal import Decimal

import factory

from orders.models import Coupon, CouponKind


class CouponFactory(factory.django.DjangoModelFactory):
    """A 10% coupon; ``CouponFactory(kind="fixed", value="5.00", usage_limit=1)``."""

    class Meta:
        model = Coupon

    code = factory.Sequence(lambda n: f"SAVE{n}")
    kind = CouponKind.PERCENTAGE
    value = Decimal("10")

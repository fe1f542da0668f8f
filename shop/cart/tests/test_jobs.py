"""The cart's nightly job: abandoned visitor carts go, customers' carts stay."""

import pytest

from cart import services
from cart.models import Cart
from cart.tests.factories import CartFactory, CartItemFactory

pytestmark = pytest.mark.django_db


def test_abandoned_visitor_carts_are_deleted_customers_carts_kept(customer, make_variant):
    from datetime import timedelta

    from django.utils import timezone

    from cart.tasks import delete_abandoned_carts

    old, fresh = (
        CartFactory(user=None, session_key="old"),
        CartFactory(user=None, session_key="new"),
    )
    mine = CartFactory(user=customer)
    CartItemFactory(cart=old)
    long_ago = timezone.now() - timedelta(days=31)
    Cart.objects.filter(pk__in=[old.pk, mine.pk]).update(updated=long_ago)
    services.add_to_cart(cart=fresh, variant_id=make_variant().pk)  # activity keeps it fresh

    assert delete_abandoned_carts.apply().get() == 2  # the cart and its line
    assert set(Cart.objects.values_list("pk", flat=True)) == {fresh.pk, mine.pk}
    assert delete_abandoned_carts.apply().get() == 0  # idempotent

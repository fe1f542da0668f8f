"""factory_boy factories for the cart (a cart and its lines, on catalog variants)."""

import factory

from cart.models import Cart, CartItem
from catalog.tests.factories import VariantFactory


class CartFactory(factory.django.DjangoModelFactory):
    """A user's cart by default; pass ``user=None, session_key="..."`` for a visitor's."""

    class Meta:
        model = Cart

    user = factory.SubFactory("shared.testing.factories.UserFactory")
    session_key = None


class CartItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartItem

    cart = factory.SubFactory(CartFactory)
    variant = factory.SubFactory(VariantFactory)
    quantity = 1

"""The cart under parallel requests (PostgreSQL): row locks and unique constraints hold."""

import pytest
from django.db import transaction

from cart import services
from cart.models import Cart, CartItem
from cart.tests.factories import CartFactory

pytestmark = pytest.mark.django_db


def lines(cart) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart=cart).values_list("variant_id", "quantity"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_adds_of_one_variant_make_one_line(customer, make_variant, concurrently):
    """Five tabs add the same variant at once: the cart row lock serialises them, so
    there is one line of 5 (not an IntegrityError, not a lost update)."""
    variant = make_variant(quantity=10)
    cart = CartFactory(user=customer)

    def add_one():
        with transaction.atomic():
            services.add_to_cart(cart=cart, variant_id=variant.pk, quantity=1)

    outcomes = concurrently(*[add_one] * 5)
    assert [o.error for o in outcomes] == [None] * 5
    assert lines(cart) == {variant.pk: 5}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_first_requests_share_one_cart(customer, concurrently):
    """Five requests of a new customer arrive at once: the conditional unique constraint
    lets one INSERT win, get_or_create reads the winner, and all get the same cart."""

    def open_cart():
        return services.get_or_create_cart(by=customer, token=None).pk

    outcomes = concurrently(*[open_cart] * 5)
    assert [o.error for o in outcomes] == [None] * 5
    assert len({o.value for o in outcomes}) == 1
    assert Cart.objects.filter(user=customer).count() == 1

"""Exercise "purchase_cap" (shop/EXERCISES.md): a product may limit how many units of it one
order holds (``Product.max_per_order``; empty means no limit beyond the cart's own).

These tests fail until the exercise is done. The cap counts every variant of the product
(two sizes of one scarce sneaker count together), it is checked by the cart services so
both doors refuse it the same way (400, on the quantity field), and the database refuses a
cap below 1.
"""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cart import services
from cart.models import CartItem
from cart.tests.factories import CartFactory, CartItemFactory
from catalog.tests.factories import ProductFactory, VariantFactory
from shared.errors import DomainError

pytestmark = [pytest.mark.exercise("purchase_cap"), pytest.mark.django_db]
CART_API = "/api/v1/cart/"


def capped_product(cap: int):
    """A product limited to ``cap`` units per order, with two variants of 10 in stock each."""
    product = ProductFactory(max_per_order=cap)
    return VariantFactory(product=product, title="S"), VariantFactory(product=product, title="M")


def units_in(cart) -> int:
    return sum(CartItem.objects.filter(cart=cart).values_list("quantity", flat=True))


def test_the_cap_counts_every_variant_of_the_product(customer):
    small, medium = capped_product(3)
    cart = CartFactory(user=customer)
    services.add_to_cart(cart=cart, variant_id=small.pk, quantity=2)
    with pytest.raises(DomainError) as refusal:
        services.add_to_cart(cart=cart, variant_id=medium.pk, quantity=2)
    assert refusal.value.field == "quantity"
    assert "at most 3" in refusal.value.message
    services.add_to_cart(cart=cart, variant_id=medium.pk, quantity=1)  # exactly the cap is fine
    assert units_in(cart) == 3


def test_raising_a_line_past_the_cap_is_refused(customer):
    small, _ = capped_product(2)
    cart = CartFactory(user=customer)
    item = services.add_to_cart(cart=cart, variant_id=small.pk, quantity=1)
    with pytest.raises(DomainError) as refusal:
        services.set_quantity(cart=cart, item_id=item.pk, quantity=3)
    assert refusal.value.field == "quantity"
    assert units_in(cart) == 1


def test_a_product_without_a_cap_keeps_the_usual_rules(customer):
    variant = VariantFactory(product=ProductFactory(max_per_order=None))
    cart = CartFactory(user=customer)
    services.add_to_cart(cart=cart, variant_id=variant.pk, quantity=10)
    assert units_in(cart) == 10


def test_merging_a_visitors_cart_at_login_respects_the_cap(customer):
    small, medium = capped_product(2)
    CartItemFactory(cart=CartFactory(user=customer), variant=small, quantity=2)
    visitor = CartFactory(user=None, session_key="visitor-token")
    CartItemFactory(cart=visitor, variant=medium, quantity=1)
    cart, notes = services.merge_carts(source=visitor, by=customer)
    assert units_in(cart) == 2
    assert notes and "at most 2" in notes[0]


def test_the_api_refuses_past_the_cap_naming_the_quantity(api_client_for, customer):
    small, _ = capped_product(1)
    response = api_client_for(customer).post(
        f"{CART_API}items/", {"variant": small.pk, "quantity": 2}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "quantity"
    assert not CartItem.objects.exists()


def test_the_product_page_refuses_past_the_cap_with_the_message(client, customer):
    small, _ = capped_product(1)
    client.force_login(customer)
    response = client.post(
        reverse("cart:add", args=[small.product.slug]), {"variant": small.pk, "quantity": 2}
    )
    assert response.status_code == 400
    assert "at most 1" in response.content.decode()
    assert not CartItem.objects.exists()


def test_the_database_refuses_a_cap_below_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(max_per_order=0)

"""The database refuses what must never happen, whichever code path tries it."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from cart.models import Cart, CartItem
from cart.tests.factories import CartFactory
from catalog.models import Category, Stock
from catalog.tests.factories import CategoryFactory, VariantFactory

pytestmark = pytest.mark.django_db


def test_reserved_above_quantity_is_refused(make_variant):
    variant = make_variant(quantity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(variant=variant).update(reserved=3)


def test_quantity_cannot_go_below_zero(make_variant):
    variant = make_variant(quantity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(variant=variant).update(quantity=F("quantity") - 2)


def test_duplicate_sku_is_refused():
    VariantFactory(sku="TEE-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        VariantFactory(sku="TEE-1")


def test_price_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        VariantFactory(price=0)


def test_one_cart_line_per_variant(variant):
    cart = CartFactory()
    CartItem.objects.create(cart=cart, variant=variant, quantity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CartItem.objects.create(cart=cart, variant=variant, quantity=2)


def test_cart_line_quantity_positive(variant):
    with pytest.raises(IntegrityError), transaction.atomic():
        CartItem.objects.create(cart=CartFactory(), variant=variant, quantity=0)


def test_cart_needs_exactly_one_owner(customer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Cart.objects.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Cart.objects.create(user=customer, session_key="abc")


def test_one_cart_per_user_and_per_session(customer):
    Cart.objects.create(user=customer)
    Cart.objects.create(session_key="s1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Cart.objects.create(user=customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cart.objects.create(session_key="s1")


def test_category_descendants_in_one_query(django_assert_num_queries):
    root = CategoryFactory(name="Clothing")
    tops = CategoryFactory(parent=root)
    tees = CategoryFactory(parent=tops)
    other = CategoryFactory()
    with django_assert_num_queries(1):
        ids = Category.objects.descendant_ids(root)
    assert set(ids) == {root.pk, tops.pk, tees.pk}
    assert set(tops.descendants()) == {tops, tees}
    assert other.pk not in ids


def test_variant_available_is_quantity_minus_reserved(make_variant):
    variant = make_variant(quantity=5, reserved=2)
    assert variant.stock.available == 3
    assert variant.available == 3

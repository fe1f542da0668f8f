"""Exercise "wishlist" (shop/EXERCISES.md): a customer keeps products to buy later.

These tests fail until the exercise is done. They use only the contract the exercise
names: the WishlistItem model of the cart app, two services, three page URLs, one API.
The new names are looked up inside each test, so this file still loads before they exist.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from cart import services
from catalog.tests.factories import ProductFactory, VariantFactory
from shared.errors import DomainError

pytestmark = [pytest.mark.exercise("wishlist"), pytest.mark.django_db]
WISHLIST_API = "/api/v1/wishlist/"


def wishlist_of(user) -> list[int]:
    """The ids of the products on ``user``'s wishlist, read straight from the table."""
    WishlistItem = apps.get_model("cart", "WishlistItem")
    return sorted(WishlistItem.objects.filter(user=user).values_list("product_id", flat=True))


# --- The services -------------------------------------------------------------------------


def test_adding_a_product_twice_keeps_one_row(customer):
    product = ProductFactory()
    first = services.add_to_wishlist(by=customer, product_id=product.pk)
    second = services.add_to_wishlist(by=customer, product_id=product.pk)
    assert first.pk == second.pk
    assert wishlist_of(customer) == [product.pk]


def test_a_product_no_longer_sold_is_refused_on_the_product_field(customer):
    retired = ProductFactory(is_active=False)
    with pytest.raises(DomainError) as refusal:
        services.add_to_wishlist(by=customer, product_id=retired.pk)
    assert refusal.value.field == "product"
    assert wishlist_of(customer) == []


def test_removing_takes_the_product_off_and_is_safe_to_repeat(customer):
    keep, drop = ProductFactory(), ProductFactory()
    services.add_to_wishlist(by=customer, product_id=keep.pk)
    services.add_to_wishlist(by=customer, product_id=drop.pk)
    services.remove_from_wishlist(by=customer, product_id=drop.pk)
    services.remove_from_wishlist(by=customer, product_id=drop.pk)  # already gone: no error
    assert wishlist_of(customer) == [keep.pk]


def test_each_customer_has_their_own_wishlist(make_user, customer):
    other = make_user(email="other@example.com")
    product = ProductFactory()
    services.add_to_wishlist(by=other, product_id=product.pk)
    assert wishlist_of(customer) == []


# --- The page door --------------------------------------------------------------------------


def test_the_product_page_button_adds_and_the_wishlist_page_lists_it(client, customer):
    product = VariantFactory(product__title="Linen shirt").product  # on sale: it has a variant
    client.force_login(customer)
    page = client.get(product.get_absolute_url()).content.decode()
    assert reverse("cart:wishlist-add", args=[product.slug]) in page  # the button's form

    response = client.post(reverse("cart:wishlist-add", args=[product.slug]))
    assert response.status_code == 302
    assert wishlist_of(customer) == [product.pk]
    listing = client.get(reverse("cart:wishlist"))
    assert listing.status_code == 200 and "Linen shirt" in listing.content.decode()

    client.post(reverse("cart:wishlist-remove", args=[product.slug]))
    assert wishlist_of(customer) == []


def test_a_visitor_is_sent_to_log_in_and_nothing_is_saved(client):
    product = ProductFactory()
    response = client.post(reverse("cart:wishlist-add", args=[product.slug]))
    assert response.status_code == 302 and "login" in response.url
    assert not apps.get_model("cart", "WishlistItem").objects.exists()


def test_the_page_refuses_a_retired_product_with_a_400(client, customer):
    retired = ProductFactory(is_active=False)
    client.force_login(customer)
    response = client.post(reverse("cart:wishlist-add", args=[retired.slug]))
    assert response.status_code == 400
    assert wishlist_of(customer) == []


# --- The API door ---------------------------------------------------------------------------


def test_the_api_adds_lists_and_removes(api_client_for, customer):
    product = ProductFactory(title="Wool socks")
    api = api_client_for(customer)
    added = api.post(WISHLIST_API, {"product": product.pk}, format="json")
    assert added.status_code == 201
    listing = api.get(WISHLIST_API)
    assert listing.status_code == 200
    assert [(row["product"], row["title"]) for row in listing.json()] == [
        (product.pk, "Wool socks")
    ]
    removed = api.delete(f"{WISHLIST_API}{product.pk}/")
    assert removed.status_code == 204
    assert wishlist_of(customer) == []


def test_the_api_refuses_a_retired_product_naming_the_field(api_client_for, customer):
    retired = ProductFactory(is_active=False)
    response = api_client_for(customer).post(WISHLIST_API, {"product": retired.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "product"
    assert wishlist_of(customer) == []


def test_the_api_needs_a_logged_in_customer(api_client):
    assert api_client.get(WISHLIST_API).status_code == 401

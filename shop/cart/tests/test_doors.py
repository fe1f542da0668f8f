"""The cart through both doors: the product page / cart page, and the JWT API.
A rule refused by one door is refused by the other, with the same message."""

import re

import pytest
from django.urls import reverse

from cart.models import Cart, CartItem
from cart.services import SESSION_CART_TOKEN
from catalog.tests.factories import CartFactory, CartItemFactory
from shared.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
CART_API = "/api/v1/cart/"


def lines_of(user) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart__user=user).values_list("variant_id", "quantity"))


def add_on_page(client, variant, quantity):
    return client.post(
        variant.product.get_absolute_url(), {"variant": variant.pk, "quantity": quantity}
    )


class TestStockRuleBothDoors:
    def test_page_refuses_more_than_available_with_a_form_error(
        self, page_client_for, customer, make_variant
    ):
        variant = make_variant(quantity=2)
        client = page_client_for(customer)
        response = add_on_page(client, variant, 3)
        assert response.status_code == 200
        assert response.context["form"].errors["quantity"] == [
            f"Only 2 of {variant.product.title} ({variant.title}) left."
        ]
        assert lines_of(customer) == {}

    def test_api_refuses_more_than_available_with_a_field_error(
        self, api_client_for, customer, make_variant
    ):
        variant = make_variant(quantity=2)
        response = api_client_for(customer).post(
            f"{CART_API}items/", {"variant": variant.pk, "quantity": 3}
        )
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["attr"] == "quantity"
        assert error["detail"] == f"Only 2 of {variant.product.title} ({variant.title}) left."
        assert lines_of(customer) == {}

    def test_cart_page_update_refuses_too_many(self, page_client_for, customer, make_variant):
        variant = make_variant(quantity=2)
        item = CartItemFactory(cart=CartFactory(user=customer), variant=variant, quantity=1)
        client = page_client_for(customer)
        url = reverse("cart:update-line", args=[item.pk])
        response = client.post(url, {f"line-{item.pk}-quantity": 3})
        assert response.status_code == 400
        assert "Only 2 of" in response.content.decode()
        assert lines_of(customer) == {variant.pk: 1}

    def test_api_update_refuses_too_many(self, api_client_for, customer, make_variant):
        variant = make_variant(quantity=2)
        item = CartItemFactory(cart=CartFactory(user=customer), variant=variant, quantity=1)
        response = api_client_for(customer).patch(f"{CART_API}items/{item.pk}/", {"quantity": 3})
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "quantity"
        assert lines_of(customer) == {variant.pk: 1}


class TestPages:
    def test_visitor_adds_sees_updates_and_removes(self, client, make_variant):
        variant = make_variant(quantity=5)
        response = add_on_page(client, variant, 2)
        assert response.status_code == 302 and response.url == reverse("cart:detail")
        cart = Cart.objects.get(session_key=client.session[SESSION_CART_TOKEN])
        item = cart.items.get()
        assert item.quantity == 2

        page = client.get(reverse("cart:detail"))
        assert page.context["total"] == variant.price * 2
        assert 'class="cart-count">2<' in page.content.decode()

        response = client.post(
            reverse("cart:update-line", args=[item.pk]), {f"line-{item.pk}-quantity": 4}
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.quantity == 4

        response = client.post(reverse("cart:remove-line", args=[item.pk]))
        assert response.status_code == 302
        assert not cart.items.exists()
        assert "Your cart is empty" in client.get(reverse("cart:detail")).content.decode()

    def test_bad_form_input_is_a_form_error(self, client, make_variant):
        variant = make_variant()
        response = client.post(
            variant.product.get_absolute_url(), {"variant": 999, "quantity": "x"}
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"variant", "quantity"}

    def test_cart_forms_need_csrf(self, make_variant):
        from django.test import Client

        variant = make_variant()
        response = Client(enforce_csrf_checks=True).post(
            variant.product.get_absolute_url(), {"variant": variant.pk, "quantity": 1}
        )
        assert response.status_code == 403

    def test_someone_elses_line_is_404(self, page_client_for, customer, make_user):
        theirs = CartItemFactory(cart=CartFactory(user=make_user()))
        client = page_client_for(customer)
        url = reverse("cart:update-line", args=[theirs.pk])
        CartFactory(user=customer)
        assert client.post(url, {f"line-{theirs.pk}-quantity": 1}).status_code == 404
        assert client.post(reverse("cart:remove-line", args=[theirs.pk])).status_code == 404
        assert CartItem.objects.filter(pk=theirs.pk, quantity=theirs.quantity).exists()

    def test_without_a_cart_changes_are_404(self, client):
        assert (
            client.post(reverse("cart:update-line", args=[1]), {"line-1-quantity": 1}).status_code
            == 404
        )
        assert client.post(reverse("cart:remove-line", args=[1])).status_code == 404

    def test_cart_changes_are_post_only(self, client):
        assert client.get(reverse("cart:remove-line", args=[1])).status_code == 405


class TestApi:
    def test_needs_a_login(self, api_client):
        assert api_client.get(CART_API).status_code == 401

    def test_add_read_update_delete(self, api_client_for, customer, make_variant):
        variant = make_variant(quantity=5)
        api = api_client_for(customer)
        response = api.post(f"{CART_API}items/", {"variant": variant.pk, "quantity": 2})
        assert response.status_code == 201
        body = response.json()
        assert body["total"] == "39.80"
        item_id = body["items"][0]["id"]

        assert api.patch(f"{CART_API}items/{item_id}/", {"quantity": 3}).json()["total"] == "59.70"
        assert api.get(CART_API).json()["items"][0]["quantity"] == 3
        assert api.delete(f"{CART_API}items/{item_id}/").status_code == 204
        assert api.get(CART_API).json() == {"items": [], "total": "0.00"}

    def test_patch_zero_removes(self, api_client_for, customer, make_variant):
        item = CartItemFactory(cart=CartFactory(user=customer), variant=make_variant())
        response = api_client_for(customer).patch(f"{CART_API}items/{item.pk}/", {"quantity": 0})
        assert response.status_code == 200 and response.json()["items"] == []

    def test_bad_payloads_are_400_with_field_names(self, api_client_for, customer):
        api = api_client_for(customer)
        response = api.post(f"{CART_API}items/", {"variant": "abc", "quantity": 0})
        assert response.status_code == 400
        assert {e["attr"] for e in response.json()["errors"]} == {"variant", "quantity"}
        response = api.post(f"{CART_API}items/", {"variant": 123456})
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "variant"

    def test_someone_elses_line_is_404(self, api_client_for, customer, make_user):
        theirs = CartItemFactory(cart=CartFactory(user=make_user()))
        api = api_client_for(customer)
        assert api.patch(f"{CART_API}items/{theirs.pk}/", {"quantity": 1}).status_code == 404
        assert api.delete(f"{CART_API}items/{theirs.pk}/").status_code == 404
        assert CartItem.objects.filter(pk=theirs.pk).exists()

    def test_cart_queries_do_not_grow(
        self, api_client_for, customer, make_variant, assert_constant_queries
    ):
        cart = CartFactory(user=customer)
        CartItemFactory(cart=cart, variant=make_variant())
        api = api_client_for(customer)

        def add_rows():
            for _ in range(5):
                CartItemFactory(cart=cart, variant=make_variant())

        assert_constant_queries(lambda: api.get(CART_API), add_rows)


class TestMergeAtLogin:
    def test_logging_in_merges_the_session_cart(self, client, make_user, make_variant):
        user = make_user(email="ann@example.com")
        variant, scarce = make_variant(quantity=5), make_variant(quantity=2)
        CartItemFactory(cart=CartFactory(user=user), variant=scarce, quantity=2)
        add_on_page(client, variant, 2)
        add_on_page(client, scarce, 1)

        response = client.post(
            reverse("accounts:login"),
            {"username": "ann@example.com", "password": DEFAULT_PASSWORD},
            follow=True,
        )

        assert response.status_code == 200
        assert lines_of(user) == {variant.pk: 2, scarce.pk: 2}  # 2 + 1 capped at the 2 in stock
        assert not Cart.objects.filter(user=None).exists()
        assert SESSION_CART_TOKEN not in client.session
        assert any("reduced to 2" in str(m) for m in response.context["messages"])

    def test_login_without_a_session_cart_changes_nothing(self, client, make_user):
        user = make_user(email="bob@example.com")
        client.post(
            reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD}
        )
        assert not Cart.objects.exists()


def test_sold_out_variants_cannot_be_picked_and_a_forced_post_is_refused(client, make_variant):
    in_stock = make_variant(quantity=3, title="M")
    sold_out = make_variant(quantity=0, title="L", product=in_stock.product)
    html = client.get(in_stock.product.get_absolute_url()).content.decode()
    radios = dict(re.findall(r'<input type="radio" name="variant" value="(\d+)"([^>]*)>', html))
    assert "disabled" in radios[str(sold_out.pk)]
    assert "disabled" not in radios[str(in_stock.pk)]
    response = add_on_page(client, sold_out, 1)
    assert response.context["form"].errors["quantity"] == [
        f"{sold_out.product.title} (L) is out of stock."
    ]


def test_cart_page_warns_when_stock_fell_below_a_line(page_client_for, customer, make_variant):
    from catalog.models import Stock

    variant = make_variant(quantity=5)
    CartItemFactory(cart=CartFactory(user=customer), variant=variant, quantity=4)
    Stock.objects.filter(variant=variant).update(reserved=3)  # someone else checked out
    html = page_client_for(customer).get(reverse("cart:detail")).content.decode()
    assert "Only 2 left: lower the quantity to check out." in html

"""The cart through both doors: the product page / cart page, and the JWT API.
A rule refused by one door is refused by the other, with the same message."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cart.models import Cart, CartItem
from cart.tests.factories import CartFactory, CartItemFactory
from cart.views import SESSION_CART_TOKEN
from shared.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
CART_API = "/api/v1/cart/"


def lines_of(user) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart__user=user).values_list("variant_id", "quantity"))


def add_on_page(client, variant, quantity):
    """The product page's "add to cart" form, posted where its action points (cart:add)."""
    return client.post(
        reverse("cart:add", args=[variant.product.slug]),
        {"variant": variant.pk, "quantity": quantity},
    )


class TestStockRuleBothDoors:
    def test_page_refuses_more_than_available_with_a_form_error(
        self, page_client_for, customer, make_variant
    ):
        variant = make_variant(quantity=2)
        client = page_client_for(customer)
        response = add_on_page(client, variant, 3)
        assert response.status_code == 400  # an invalid page form answers 400, like the API
        assert response.templates[0].name == "catalog/product_detail.html"
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
            reverse("cart:add", args=[variant.product.slug]), {"variant": 999, "quantity": "x"}
        )
        assert response.status_code == 400
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
    assert response.status_code == 400
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


def test_the_product_page_no_longer_takes_the_post(client, make_variant):
    """The form's action is cart:add; the catalog's page only answers GET."""
    variant = make_variant()
    page = client.get(variant.product.get_absolute_url()).content.decode()
    assert f'action="{reverse("cart:add", args=[variant.product.slug])}"' in page
    response = client.post(variant.product.get_absolute_url(), {"variant": variant.pk})
    assert response.status_code == 405


def test_adding_to_an_unknown_product_is_a_404(client, db):
    assert client.post(reverse("cart:add", args=["no-such-thing"]), {}).status_code == 404


class TestTheSchemaSaysWhatTheApiDoes:
    """Clients are generated from the schema, so it must match the views."""

    @pytest.fixture
    def schema(self, client):
        return client.get("/api/schema/?format=json").json()

    def test_get_cart_is_one_object_not_a_list(self, schema):
        body = schema["paths"]["/api/v1/cart/"]["get"]["responses"]["200"]["content"]
        assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/Cart"}

    def test_patching_a_line_requires_its_quantity(self, schema, api_client_for, customer):
        operation = schema["paths"]["/api/v1/cart/items/{item_id}/"]["patch"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert component["required"] == ["quantity"]
        # ... as the view does: a PATCH without it is refused, naming the field.
        response = api_client_for(customer).patch(f"{CART_API}items/1/", {}, format="json")
        assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "quantity"


class TestAmountsStayWithinTheirColumns:
    """A cart that would add up to more than an order can hold is refused with a message
    (400), through both doors, instead of a database or rendering error (500) later."""

    def priciest(self, make_variant, count):
        return [make_variant(quantity=50, price="99999999.99") for _ in range(count)]

    def test_the_api_refuses_the_line_that_overflows_the_total(
        self, api_client_for, customer, make_variant
    ):
        api = api_client_for(customer)
        variants = self.priciest(make_variant, 6)  # 6 x 20 x 99,999,999.99 > 9,999,999,999.99
        for variant in variants[:5]:
            response = api.post(f"{CART_API}items/", {"variant": variant.pk, "quantity": 20})
            assert response.status_code == 201
        response = api.post(f"{CART_API}items/", {"variant": variants[5].pk, "quantity": 20})
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["attr"] == "quantity" and "the most one order can hold" in error["detail"]
        assert api.get(CART_API).status_code == 200
        assert len(lines_of(customer)) == 5

    def test_the_page_refuses_it_too(self, page_client_for, customer, make_variant):
        client = page_client_for(customer)
        variants = self.priciest(make_variant, 6)
        for variant in variants[:5]:
            assert add_on_page(client, variant, 20).status_code == 302
        response = add_on_page(client, variants[5], 20)
        assert response.status_code == 400
        assert "the most one order can hold" in response.context["form"].errors["quantity"][0]


def test_the_cart_cap_is_the_order_column(db):
    from cart.services import MAX_CART_TOTAL
    from orders.models import MAX_ORDER_AMOUNT, Order

    field = Order._meta.get_field("subtotal")
    largest = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal("0.01")
    assert MAX_CART_TOTAL == MAX_ORDER_AMOUNT == largest

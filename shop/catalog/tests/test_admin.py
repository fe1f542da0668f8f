"""The admin screens for products and stock open, filter, and save through the model rules."""

import pytest

from catalog.models import Product, Stock
from catalog.tests.factories import VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    user = make_user(email="root@example.com")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def test_product_list_and_change_page_with_variant_inline(admin_client, make_variant):
    variant = make_variant(quantity=8, reserved=3, sku="ADM-1")
    assert admin_client.get("/admin/catalog/product/?q=ADM-1").status_code == 200
    page = admin_client.get(f"/admin/catalog/product/{variant.product.pk}/change/")
    assert page.status_code == 200
    assert "5 / 8" in page.content.decode()  # available / on the shelf


def test_stock_list_low_filter(admin_client, make_variant):
    make_variant(quantity=50, sku="PLENTY")
    make_variant(quantity=3, reserved=2, sku="LOW")  # 1 available, threshold 2
    make_variant(quantity=1, reserved=1, sku="GONE")
    low = admin_client.get("/admin/catalog/stock/?level=low")
    assert {s.variant.sku for s in low.context["cl"].result_list} == {"LOW", "GONE"}
    out = admin_client.get("/admin/catalog/stock/?level=out")
    assert {s.variant.sku for s in out.context["cl"].result_list} == {"GONE"}
    assert admin_client.get("/admin/catalog/stock/").status_code == 200


def test_stock_below_reserved_is_a_form_error_not_a_500(admin_client, make_variant):
    variant = make_variant(quantity=5, reserved=4)
    response = admin_client.post(
        f"/admin/catalog/variant/{variant.pk}/change/",
        {
            "product": variant.product.pk,
            "sku": variant.sku,
            "title": variant.title,
            "attributes": "{}",
            "price": "19.90",
            "is_active": "on",
            "stock-TOTAL_FORMS": "1",
            "stock-INITIAL_FORMS": "1",
            "stock-MIN_NUM_FORMS": "0",
            "stock-MAX_NUM_FORMS": "1",
            "stock-0-id": variant.stock.pk,
            "stock-0-variant": variant.pk,
            "stock-0-quantity": "2",
            "stock-0-low_stock_threshold": "2",
        },
    )
    assert response.status_code == 200  # the form again, with the message
    assert "Cannot be below the 4 unit(s) reserved" in response.content.decode()
    assert Stock.objects.get(pk=variant.stock.pk).quantity == 5


def test_deactivate_action_saves_each_product(admin_client, django_capture_on_commit_callbacks):
    product = VariantFactory().product
    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(
            "/admin/catalog/product/",
            {"action": "deactivate", "_selected_action": [product.pk]},
        )
    assert Product.objects.get(pk=product.pk).is_active is False
    assert callbacks  # the cache bump was queued (post_save fired)


def test_other_admin_pages_open(admin_client, make_variant):
    make_variant()
    for url in ["/admin/catalog/category/", "/admin/catalog/variant/", "/admin/cart/cart/"]:
        assert admin_client.get(url).status_code == 200

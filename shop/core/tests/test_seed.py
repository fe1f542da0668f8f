"""`manage.py seed_demo` creates the demo data once; running it again changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cart.models import Cart
from catalog.models import Category, Product, Stock, Variant
from orders.models import Coupon, Order

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "categories": list(Category.objects.values_list("slug", "parent__slug").order_by("slug")),
        "products": list(Product.objects.values_list("slug", "title").order_by("slug")),
        "variants": list(Variant.objects.values_list("sku", "price").order_by("sku")),
        "stock": list(
            Stock.objects.values_list("variant__sku", "quantity").order_by("variant__sku")
        ),
        "users": list(get_user_model().objects.values_list("email", "password").order_by("email")),
        "orders": list(Order.objects.values_list("number", "status", "total").order_by("number")),
        "coupons": list(Coupon.objects.values_list("code", "times_used").order_by("code")),
    }


def test_seed_demo_is_idempotent(settings):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert 35 <= len(first["products"]) <= 45
    assert first["orders"] and first["coupons"]  # the dashboard has something to show
    assert not Cart.objects.filter(items__isnull=False).exists()  # no cart left half-filled


def test_demo_logins_work_with_their_roles(settings):
    call_command("seed_demo")
    for login in settings.DEMO_LOGINS:
        user = get_user_model().objects.get(email=login["email"])
        assert user.check_password(login["password"]) and user.is_active, login["email"]
        if login["role"] != "admin":
            assert user.has_role(login["role"])


def test_bulk_catalog_tops_up_to_the_asked_size(capsys):
    call_command("seed_demo", bulk=30)
    assert Product.objects.filter(slug__startswith="bulk-item-").count() == 30
    assert Variant.objects.filter(sku__startswith="BULK-").count() == 60
    assert "bulk products created: 30" in capsys.readouterr().out
    call_command("seed_demo", bulk=30)
    assert "bulk products created: 0" in capsys.readouterr().out
    assert Product.objects.filter(slug__startswith="bulk-item-").count() == 30

"""The shop's layout on every page, the shared ones (login, register, errors) included."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/register/", "/accounts/password/reset/", "/nowhere/"]
)
def test_the_shared_pages_keep_the_shops_catalog_and_cart_links(client, path):
    page = client.get(path).content.decode()
    assert 'href="/products/"' in page and ">Catalog</a>" in page
    assert 'href="/cart/"' in page


@pytest.fixture
def seeded(db):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


def test_money_has_one_style_on_every_page(seeded, client):
    """ "€1,234.50" everywhere (shared/web/formatting.py): never a bare amount, never "EUR"."""
    import re

    from django.contrib.auth import get_user_model

    from catalog.models import Variant

    variant = Variant.objects.filter(stock__quantity__gt=5).select_related("product").first()
    client.post(f"/cart/add/{variant.product.slug}/", {"variant": variant.pk, "quantity": 1})
    pages = {"/products/": client, variant.product.get_absolute_url(): client, "/cart/": client}
    users = get_user_model().objects
    pages["/orders/"] = client_for(users.get(email="customer@shop.example"))
    staff = client_for(users.get(email="staff@shop.example"))
    pages |= {"/staff/": staff, "/staff/orders/": staff}
    for path, who in pages.items():
        page = who.get(path).content.decode()
        assert "EUR" not in page, path
        assert re.search(r"€\d{1,3}(,\d{3})*\.\d\d\b", page), path


def client_for(user):
    """A client of its own, logged in (the visitor's anonymous cart stays on ``client``)."""
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other

"""The catalog cache: an unchanged page comes from the cache (no query), a change to a
product, variant or stock shows up on the very next request; the API's page count is
cached the same way."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.cache import bump_catalog_version, catalog_version
from catalog.services import reserve_stock, restock
from catalog.tests.factories import VariantFactory

pytestmark = pytest.mark.django_db
LIST_URL = reverse("catalog:product-list")


def queries_for(client, url) -> tuple[int, object]:
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


@pytest.fixture
def variant():
    return VariantFactory(product__title="Linen shirt", price=Decimal("39.00"), stock__quantity=5)


@pytest.mark.parametrize("url", ["list", "detail", "home"])
def test_an_unchanged_page_is_served_from_the_cache(client, variant, url):
    url = {"list": LIST_URL, "detail": variant.product.get_absolute_url(), "home": "/"}[url]
    first, _ = queries_for(client, url)
    second, _ = queries_for(client, url)
    assert first > 0
    assert second == 0  # an anonymous visitor on a cached page costs no query at all


def test_different_filters_are_different_entries(client, variant):
    queries_for(client, LIST_URL)
    count, response = queries_for(client, LIST_URL + "?q=nothing-matches")
    assert count > 0
    assert response.context["products"] == []


def test_a_product_change_shows_up_at_once(client, variant, django_capture_on_commit_callbacks):
    queries_for(client, LIST_URL)
    with django_capture_on_commit_callbacks(execute=True):
        variant.product.title = "Linen shirt (new season)"
        variant.product.save()
    _, response = queries_for(client, LIST_URL)
    assert "Linen shirt (new season)" in response.content.decode()


def test_a_price_change_shows_up_at_once(client, variant, django_capture_on_commit_callbacks):
    url = variant.product.get_absolute_url()
    queries_for(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        variant.price = Decimal("29.00")
        variant.save()
    _, response = queries_for(client, url)
    assert response.context["variants"][0]["price"] == Decimal("29.00")


def test_stock_moves_through_services_show_up_at_once(
    client, variant, django_capture_on_commit_callbacks
):
    url = variant.product.get_absolute_url()
    queries_for(client, url)
    # reserve_stock uses QuerySet.update(), which sends no signal: the service bumps itself.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        reserve_stock(lines=[(variant.pk, 2)])
    _, response = queries_for(client, url)
    assert response.context["variants"][0]["available"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        restock(variant_id=variant.pk, quantity=10)
    _, response = queries_for(client, url)
    assert response.context["variants"][0]["available"] == 13


def test_a_rolled_back_change_does_not_bump_the_version(
    variant, django_capture_on_commit_callbacks
):
    before = catalog_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            variant.save()  # queues a bump for after commit...
            raise RuntimeError("...but the transaction rolls back")
        variant.product.save()  # a committed change, to show the capture works
    assert len(callbacks) == 1
    assert catalog_version() == before + 1


def test_bump_survives_an_evicted_counter():
    from django.core.cache import cache

    first = catalog_version()
    bump_catalog_version()
    assert catalog_version() == first + 1
    cache.delete("catalog:version")
    bump_catalog_version()  # incr on a missing key: falls back to a fresh clock-based value
    assert catalog_version() > first


API_LIST = "/api/v1/products/"


def test_the_api_counts_the_products_once_per_catalog_version(
    api_client, variant, django_capture_on_commit_callbacks
):
    first, response = queries_for(api_client, API_LIST)
    assert response.json()["count"] == 1
    second, response = queries_for(api_client, API_LIST)
    assert second == first - 1  # the same page, without its COUNT(*)
    assert response.json()["count"] == 1
    # Another filter is another count.
    _, response = queries_for(api_client, API_LIST + "?search=nothing-matches")
    assert response.json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        VariantFactory(product__title="Wool scarf")
    recounted, response = queries_for(api_client, API_LIST)
    assert recounted == first
    assert response.json()["count"] == 2

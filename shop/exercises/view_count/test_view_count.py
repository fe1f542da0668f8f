"""Exercise "view_count" (shop/EXERCISES.md): count how often each product is looked at, and
prove the count is exact when many visitors look at once.

These tests fail until the exercise is done. The last one is the race test: it runs on
PostgreSQL only (``make exercise P=shop E=view_count SERVICES=1``), where eight threads
really write at the same time. "Read the count, add one, save" loses views there; one
UPDATE that adds in the database does not.
"""

import pytest
from django.apps import apps

from catalog import services
from catalog.tests.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.exercise("view_count")
VISITORS = 8


def views_of(product) -> int:
    product.refresh_from_db(fields=["view_count"])
    return product.view_count


@pytest.mark.django_db
def test_a_new_product_has_no_views():
    assert apps.get_model("catalog", "Product")._meta.get_field("view_count").default == 0
    assert views_of(ProductFactory()) == 0


@pytest.mark.django_db
def test_recording_a_view_adds_one():
    product = ProductFactory()
    services.record_product_view(product_id=product.pk)
    services.record_product_view(product_id=product.pk)
    assert views_of(product) == 2


@pytest.mark.django_db
def test_the_product_page_counts_every_visit_even_when_it_comes_from_the_cache(client):
    product = VariantFactory().product
    for _ in range(3):
        assert client.get(product.get_absolute_url()).status_code == 200
    assert views_of(product) == 3


@pytest.mark.django_db
def test_the_api_counts_a_product_read_and_not_the_list(api_client):
    product = VariantFactory().product
    assert api_client.get(f"/api/v1/products/{product.slug}/").status_code == 200
    assert api_client.get("/api/v1/products/").status_code == 200
    assert views_of(product) == 1


@pytest.mark.django_db
def test_a_missing_product_counts_nothing_anywhere(client):
    product = VariantFactory().product
    assert client.get("/products/no-such-product/").status_code == 404
    assert views_of(product) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_visitors_at_once_give_eight_views(concurrently):
    product = ProductFactory()
    outcomes = concurrently(
        *(lambda: services.record_product_view(product_id=product.pk) for _ in range(VISITORS))
    )
    assert [outcome.error for outcome in outcomes] == [None] * VISITORS
    assert views_of(product) == VISITORS

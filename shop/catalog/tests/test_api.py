"""The public catalog API: filters, search, ordering, and a constant query count."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.tests.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db
PRODUCTS = "/api/v1/products/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["title"] for p in response.json()["results"]]


@pytest.fixture
def catalog():
    clothing = CategoryFactory(slug="clothing")
    tops = CategoryFactory(slug="tops", parent=clothing)
    home = CategoryFactory(slug="home")
    VariantFactory(
        product=ProductFactory(title="Wool coat", category=clothing), price=Decimal("120")
    )
    VariantFactory(
        product=ProductFactory(title="Linen shirt", category=tops, description="breezy"),
        price=Decimal("39"),
    )
    VariantFactory(
        product=ProductFactory(title="Cast iron pan", category=home), price=Decimal("45")
    )


def test_products_are_public_and_filter_by_category_with_descendants(api_client, catalog):
    assert sorted(titles(api_client.get(PRODUCTS, {"category": "clothing"}))) == [
        "Linen shirt",
        "Wool coat",
    ]
    assert titles(api_client.get(PRODUCTS, {"category": "tops"})) == ["Linen shirt"]
    assert titles(api_client.get(PRODUCTS, {"category": "unknown"})) == []


def test_search_and_ordering(api_client, catalog):
    assert titles(api_client.get(PRODUCTS, {"search": "breezy"})) == ["Linen shirt"]
    assert titles(api_client.get(PRODUCTS, {"ordering": "min_price"})) == [
        "Linen shirt",
        "Cast iron pan",
        "Wool coat",
    ]
    assert titles(api_client.get(PRODUCTS, {"ordering": "-title"}))[0] == "Wool coat"


def test_product_detail_by_slug_shows_variants_with_available(api_client, make_variant):
    variant = make_variant(quantity=9, reserved=4, sku="SKU-X")
    response = api_client.get(f"{PRODUCTS}{variant.product.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert body["variants"] == [
        {
            "id": variant.pk,
            "sku": "SKU-X",
            "title": variant.title,
            "attributes": {},
            "price": "19.90",
            "available": 5,
        }
    ]
    assert body["min_price"] == "19.90"


def test_unknown_or_inactive_product_is_404_in_the_error_shape(api_client):
    hidden = VariantFactory(product__is_active=False)
    response = api_client.get(f"{PRODUCTS}{hidden.product.slug}/")
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


def test_product_list_queries_do_not_grow(
    api_client, assert_constant_queries, django_capture_on_commit_callbacks
):
    VariantFactory()

    def add_rows():
        # Committed as a real save commits them: the catalog version moves, so the
        # cached page count is recounted (see test_cache.py).
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(15):
                VariantFactory(product=VariantFactory().product)

    count = assert_constant_queries(lambda: api_client.get(PRODUCTS, {"page_size": 50}), add_rows)
    assert count <= 3  # count, page, variants with stock


def test_categories_list_and_detail(api_client):
    parent = CategoryFactory(slug="clothing", name="Clothing")
    CategoryFactory(slug="tops", name="Tops", parent=parent)
    response = api_client.get("/api/v1/categories/")
    assert response.status_code == 200
    assert {c["slug"]: c["parent"] for c in response.json()["results"]} == {
        "clothing": None,
        "tops": "clothing",
    }
    assert api_client.get("/api/v1/categories/tops/").json()["name"] == "Tops"


def test_schema_documents_the_catalog_and_cart(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ["/api/v1/products/", "/api/v1/cart/items/", "/api/v1/categories/{slug}/"]:
        assert path in schema
    assert "LIN-SH-BL-M" in schema  # the examples are in the schema


def test_product_list_queries_do_not_depend_on_page_size(api_client):
    for _ in range(30):
        VariantFactory(product=VariantFactory().product)  # products with two variants each
    counts = []
    for size in (1, 10, 30):
        cache.clear()  # each request counts afresh: the count is cached (test_cache.py)
        with CaptureQueriesContext(connection) as ctx:
            response = api_client.get(PRODUCTS, {"page_size": size})
        assert len(response.json()["results"]) == size
        counts.append(len(ctx))
    assert len(set(counts)) == 1, counts

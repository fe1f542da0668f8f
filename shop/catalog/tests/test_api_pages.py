"""The products API's pages: page numbers as clients get them today, and the cursor walk.

The first test pins page 1 exactly (keys, values, order, count/next/previous), so that any
change to the pagination is proven not to alter what an existing client receives.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from catalog.models import Product
from catalog.tests.factories import CategoryFactory, ProductFactory, VariantFactory

PRODUCTS = "/api/v1/products/"
JAN_15 = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)


def make_product(title: str, created: datetime, category) -> Product:
    variant = VariantFactory(
        product=ProductFactory(
            title=title, slug=title.lower().replace(" ", "-"), category=category
        ),
        sku=f"SKU-{title[:3].upper()}",
        price=Decimal("39.00"),
    )
    # ``created`` is auto_now_add: set it afterwards so the order (newest first) is known.
    Product.objects.filter(pk=variant.product.pk).update(created=created)
    return variant.product


@pytest.fixture
def three_products(db):
    shirts = CategoryFactory(slug="shirts")
    return [
        make_product(title, JAN_15 - timedelta(days=days), shirts)
        for days, title in enumerate(["Linen shirt", "Wool coat", "Cast iron pan"])
    ]


def test_page_one_is_what_clients_get_today(api_client, three_products):
    linen, wool, _ = three_products
    response = api_client.get(PRODUCTS, {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 3
    assert body["next"] == "http://testserver/api/v1/products/?page=2&page_size=2"
    assert body["previous"] is None

    def expected(product: Product, created: str) -> dict:
        variant = product.variants.get()
        return {
            "id": product.pk,
            "title": product.title,
            "slug": product.slug,
            "description": "A fine product.",
            "category": "shirts",
            "min_price": "39.00",
            "created": created,
            "variants": [
                {
                    "id": variant.pk,
                    "sku": variant.sku,
                    "title": "Standard",
                    "attributes": {},
                    "price": "39.00",
                    "available": 10,
                }
            ],
        }

    assert body["results"] == [
        expected(linen, "2026-01-15T10:00:00Z"),
        expected(wool, "2026-01-14T10:00:00Z"),
    ]


def test_page_two_links_back_to_page_one(api_client, three_products):
    body = api_client.get(PRODUCTS, {"page_size": 2, "page": 2}).json()
    assert [p["title"] for p in body["results"]] == ["Cast iron pan"]
    assert body["next"] is None
    assert body["previous"] == "http://testserver/api/v1/products/?page_size=2"


def test_the_cursor_walk_gives_every_product_once_newest_first(api_client, db):
    # A bulk import: many products with the same ``created``, so ties cross page boundaries.
    shirts = CategoryFactory(slug="shirts")
    for n in range(7):
        make_product(f"{n} shirt", JAN_15 - timedelta(days=n // 3), shirts)
    expected = list(Product.objects.order_by("-created", "-pk").values_list("slug", flat=True))
    seen, url = [], f"{PRODUCTS}?cursor=&page_size=2"
    while url:
        body = api_client.get(url).json()
        assert "count" not in body
        seen += [product["slug"] for product in body["results"]]
        url = body["next"]
    assert seen == expected


def test_the_cursor_walk_keeps_the_page_one_rows(api_client, three_products):
    numbered = api_client.get(PRODUCTS, {"page_size": 2}).json()
    by_cursor = api_client.get(PRODUCTS, {"page_size": 2, "cursor": ""}).json()
    assert by_cursor["results"] == numbered["results"]
    assert by_cursor["previous"] is None


def test_the_cursor_walk_by_price_sorts_on_the_annotation(api_client, three_products):
    # ?ordering=min_price sorts on an annotation; the walk still gives each product once.
    body = api_client.get(PRODUCTS, {"page_size": 2, "cursor": "", "ordering": "min_price"})
    first = body.json()
    second = api_client.get(first["next"]).json()
    titles = [p["title"] for p in first["results"] + second["results"]]
    assert sorted(titles) == ["Cast iron pan", "Linen shirt", "Wool coat"]

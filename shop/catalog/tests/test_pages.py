"""The catalog pages: filter by category (with sub-categories), search, sort, paginate."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.selectors import PAGE_SIZE
from catalog.tests.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db
LIST_URL = reverse("catalog:product-list")


def titles(response) -> list[str]:
    return [p["title"] for p in response.context["products"]]


@pytest.fixture
def tree():
    """clothing > tops > tees, plus an unrelated 'home' category, one product in each."""
    clothing = CategoryFactory(name="Clothing", slug="clothing")
    tops = CategoryFactory(name="Tops", slug="tops", parent=clothing)
    tees = CategoryFactory(name="Tees", slug="tees", parent=tops)
    home = CategoryFactory(name="Home", slug="home")
    for title, category, price in [
        ("Wool coat", clothing, "120.00"),
        ("Linen shirt", tops, "39.00"),
        ("Crew tee", tees, "15.00"),
        ("Cast iron pan", home, "45.00"),
    ]:
        VariantFactory(product=ProductFactory(title=title, category=category), price=Decimal(price))
    return {"clothing": clothing, "tops": tops, "tees": tees, "home": home}


def test_category_filter_includes_sub_categories(client, tree):
    response = client.get(LIST_URL, {"category": "tops"})
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Crew tee", "Linen shirt"]
    assert sorted(titles(client.get(LIST_URL, {"category": "clothing"}))) == [
        "Crew tee",
        "Linen shirt",
        "Wool coat",
    ]


def test_unknown_category_shows_everything_with_no_crash(client, tree):
    response = client.get(LIST_URL, {"category": "nope"})
    assert response.status_code == 200
    assert len(titles(response)) == 4


def test_search_matches_title_and_description(client, tree):
    ProductFactory(title="Mug", description="Holds tea, or linen-coloured coffee")
    VariantFactory(product__title="Mug 2")  # unrelated
    assert titles(client.get(LIST_URL, {"q": "linen"})) == ["Linen shirt"]  # the Mug has no variant
    response = client.get(LIST_URL, {"q": "IRON"})
    assert titles(response) == ["Cast iron pan"]


def test_sort_by_price_both_ways_and_title(client, tree):
    assert titles(client.get(LIST_URL, {"sort": "price"})) == [
        "Crew tee",
        "Linen shirt",
        "Cast iron pan",
        "Wool coat",
    ]
    assert titles(client.get(LIST_URL, {"sort": "-price"}))[0] == "Wool coat"
    assert titles(client.get(LIST_URL, {"sort": "title"}))[0] == "Cast iron pan"


def test_a_bad_sort_value_is_ignored_not_a_500(client, tree):
    response = client.get(LIST_URL, {"sort": "password; DROP TABLE"})
    assert response.status_code == 200
    assert len(titles(response)) == 4
    assert b"were not understood" in response.content


def test_inactive_products_and_products_without_active_variants_are_hidden(client, tree):
    VariantFactory(product__title="Retired", product__is_active=False)
    VariantFactory(product__title="No live variant", is_active=False)
    assert "Retired" not in titles(client.get(LIST_URL))
    assert "No live variant" not in titles(client.get(LIST_URL))


def test_pagination(client):
    for _ in range(PAGE_SIZE + 3):
        VariantFactory()
    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})
    assert len(titles(first)) == PAGE_SIZE
    assert len(titles(second)) == 3
    assert 'rel="next"' in first.content.decode()
    assert client.get(LIST_URL, {"page": "abc"}).status_code == 200  # falls back to page 1


def test_list_page_queries_do_not_grow_with_rows(client, assert_constant_queries):
    VariantFactory()

    def add_rows():
        for _ in range(10):
            product = ProductFactory()
            VariantFactory(product=product)
            VariantFactory(product=product)

    def fetch():
        from django.core.cache import cache

        cache.clear()  # measure the real query, not the cache
        assert client.get(LIST_URL).status_code == 200

    assert assert_constant_queries(fetch, add_rows) <= 5


def test_product_page_shows_variants_and_available_stock(client, make_variant):
    variant = make_variant(quantity=7, reserved=3, title="Blue / M", sku="TEE-BL-M")
    make_variant(quantity=0, product=variant.product, title="Red / L", sku="TEE-RD-L")
    response = client.get(variant.product.get_absolute_url())
    assert response.status_code == 200
    rows = {v["sku"]: v["available"] for v in response.context["variants"]}
    assert rows == {"TEE-BL-M": 4, "TEE-RD-L": 0}
    html = response.content.decode()
    assert "Blue / M" in html and "Sold out" in html
    assert response.context["breadcrumb"][-1]["name"] == variant.product.category.name


def test_product_page_of_an_inactive_product_is_404(client):
    variant = VariantFactory(product__is_active=False)
    assert client.get(variant.product.get_absolute_url()).status_code == 404
    assert client.get("/products/no-such-thing/").status_code == 404


def test_home_page_lists_new_products_and_top_categories(client, tree):
    response = client.get("/")
    assert response.status_code == 200
    assert "Crew tee" in response.content.decode()
    assert [c["slug"] for c in response.context["categories"]] == ["clothing", "home"]


def test_nav_links_follow_the_role(client, make_user):
    html = client.get("/").content.decode()
    assert "My orders" not in html and ">Staff<" not in html
    client.force_login(make_user(roles=["customer"]))
    html = client.get("/").content.decode()
    assert "My orders" in html and ">Staff<" not in html
    client.force_login(make_user(roles=["staff"]))
    assert ">Staff<" in client.get("/").content.decode()

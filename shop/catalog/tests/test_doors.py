"""The catalog through both doors: the pages (filter by category with sub-categories, search,
sort, paginate; the product page; the cache) and the public API (filters, search, ordering,
constant query counts); hostile input gets a 4xx, never a 500."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.cache import bump_catalog_version, cache_stats, catalog_version
from catalog.models import PAGE_SIZE
from catalog.services import reserve_stock, restock
from catalog.tests.factories import CategoryFactory, ProductFactory, VariantFactory
from core.roles import CUSTOMER, STAFF

pytestmark = pytest.mark.django_db
LIST_URL = reverse("catalog:product-list")


# --- Pages: filter by category (with sub-categories), search, sort, paginate -----------------


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
    client.force_login(make_user(roles=[CUSTOMER]))
    html = client.get("/").content.decode()
    assert "My orders" in html and ">Staff<" not in html
    client.force_login(make_user(roles=[STAFF]))
    assert ">Staff<" in client.get("/").content.decode()


# --- API: filters, search, ordering, and a constant query count ------------------------------

PRODUCTS = "/api/v1/products/"


def api_titles(response) -> list[str]:
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
    assert sorted(api_titles(api_client.get(PRODUCTS, {"category": "clothing"}))) == [
        "Linen shirt",
        "Wool coat",
    ]
    assert api_titles(api_client.get(PRODUCTS, {"category": "tops"})) == ["Linen shirt"]
    assert api_titles(api_client.get(PRODUCTS, {"category": "unknown"})) == []


def test_search_and_ordering(api_client, catalog):
    assert api_titles(api_client.get(PRODUCTS, {"search": "breezy"})) == ["Linen shirt"]
    assert api_titles(api_client.get(PRODUCTS, {"ordering": "min_price"})) == [
        "Linen shirt",
        "Cast iron pan",
        "Wool coat",
    ]
    assert api_titles(api_client.get(PRODUCTS, {"ordering": "-title"}))[0] == "Wool coat"


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


# --- Hostile input: a 4xx or ignored, never a 500 (PostgreSQL refuses NUL in text) -----------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/products/?search=%00",
        "/api/v1/products/?category=%00",
        "/api/v1/products/?ordering=%00",
        "/api/v1/products/?ordering=password",
        "/api/v1/categories/?search=a%00b",
        "/api/v1/categories/a%00b/",
        "/api/v1/products/a%00b/",
        "/products/?q=a%00b&category=%00&sort=%00&page=%00",
        "/products/a%00b/",
    ],
)
def test_nul_and_junk_never_500(client, url):
    VariantFactory()
    response = client.get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)


def test_nul_in_an_api_search_is_a_400_in_the_error_shape(client):
    response = client.get("/api/v1/products/?search=lin%00en")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "null_characters_not_allowed"


# --- The cache: an unchanged page costs one query (its live stock); a change shows at once ---


def queries_for(client, url) -> tuple[int, object]:
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


@pytest.fixture
def linen():
    return VariantFactory(product__title="Linen shirt", price=Decimal("39.00"), stock__quantity=5)


@pytest.mark.parametrize("url", ["list", "detail", "home"])
def test_an_unchanged_page_is_served_from_the_cache(client, linen, url):
    url = {"list": LIST_URL, "detail": linen.product.get_absolute_url(), "home": "/"}[url]
    first, _ = queries_for(client, url)
    second, _ = queries_for(client, url)
    assert first > 1
    # A cached page costs one query for an anonymous visitor: the stock of its variants,
    # read fresh so that sales do not empty the cache (catalog/cache.py, with_live_stock).
    assert second == 1


def test_a_cached_list_reads_its_stock_in_one_query_whatever_its_size(client, linen):
    for i in range(5):
        VariantFactory(product__title=f"Shirt {i}", stock__quantity=i)
    queries_for(client, LIST_URL)
    count, response = queries_for(client, LIST_URL)
    assert count == 1
    cards = {c["title"]: c["in_stock"] for c in response.context["products"]}
    assert cards["Shirt 0"] is False and cards["Shirt 4"] is True


def test_different_filters_are_different_entries(client, linen):
    queries_for(client, LIST_URL)
    count, response = queries_for(client, LIST_URL + "?q=nothing-matches")
    assert count > 0
    assert response.context["products"] == []


def test_a_product_change_shows_up_at_once(client, linen, django_capture_on_commit_callbacks):
    queries_for(client, LIST_URL)
    with django_capture_on_commit_callbacks(execute=True):
        linen.product.title = "Linen shirt (new season)"
        linen.product.save()
    _, response = queries_for(client, LIST_URL)
    assert "Linen shirt (new season)" in response.content.decode()


def test_a_price_change_shows_up_at_once(client, linen, django_capture_on_commit_callbacks):
    url = linen.product.get_absolute_url()
    queries_for(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        linen.price = Decimal("29.00")
        linen.save()
    _, response = queries_for(client, url)
    assert response.context["variants"][0]["price"] == Decimal("29.00")


def test_stock_moves_show_up_at_once_and_keep_the_cache(
    client, linen, django_capture_on_commit_callbacks
):
    url = linen.product.get_absolute_url()
    queries_for(client, url)
    version = catalog_version()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        reserve_stock(lines=[(linen.pk, 2)])
    count, response = queries_for(client, url)
    assert response.context["variants"][0]["available"] == 3
    assert count == 1  # still the cached page: only its stock was read
    with django_capture_on_commit_callbacks(execute=True):
        restock(variant_id=linen.pk, quantity=10)
    count, response = queries_for(client, url)
    assert response.context["variants"][0]["available"] == 13 and count == 1
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        reserve_stock(lines=[(linen.pk, 13)])  # the last units
    _, response = queries_for(client, LIST_URL)
    assert response.context["products"][0]["in_stock"] is False  # sold out, on the list too
    assert catalog_version() == version  # no sale emptied the cache


def test_a_rolled_back_change_does_not_bump_the_version(linen, django_capture_on_commit_callbacks):
    before = catalog_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            linen.save()  # queues a bump for after commit...
            raise RuntimeError("...but the transaction rolls back")
        linen.product.save()  # a committed change, to show the capture works
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
    api_client, linen, django_capture_on_commit_callbacks
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


def test_a_top_level_categorys_parent_is_null_and_the_schema_allows_it(api_client, client):
    CategoryFactory(slug="top", parent=None)
    assert api_client.get("/api/v1/categories/top/").json()["parent"] is None
    schema = client.get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["Category"]["properties"]["parent"]["nullable"] is True


def test_the_hit_ratio_is_counted_when_asked(client, linen, settings):
    settings.CATALOG_CACHE_STATS = True
    cache_stats(reset=True)
    for _ in range(4):
        client.get(LIST_URL)  # one miss, then three hits
    out = StringIO()
    call_command("catalog_cache_stats", "--json", "--reset", stdout=out)
    assert json.loads(out.getvalue()) == {"hits": 3, "misses": 1, "hit_ratio": 0.75}
    assert cache_stats()["hits"] == 0  # reset

    settings.CATALOG_CACHE_STATS = False
    client.get(LIST_URL)
    assert cache_stats() == {"hits": 0, "misses": 0, "hit_ratio": None}

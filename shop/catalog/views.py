"""Catalog pages: product list (filter, search, sort, paginate) and product page.

The catalog data comes from the cache (catalog/cache.py) keyed by the catalog version;
the stock on the page is read fresh (``with_live_stock``).
The product page's "add to cart" form is the cart's (``{% add_to_cart_form %}``): it posts
to cart/views.py, because the cart depends on the catalog and never the other way round.
"""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.cache import cached, with_live_stock
from catalog.forms import CatalogFilterForm
from catalog.models import Product


def product_list(request):
    form = CatalogFilterForm(request.GET)
    filters = form.filters()
    # Normalise the page number before it goes into the cache key, so ?page=abc or
    # ?page=007 do not each make a new cache entry.
    raw_page = request.GET.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() else 1
    # The key holds every input of the page: a different filter is a different entry.
    key = "list:" + urlencode(sorted({**filters, "page": page}.items()))
    data = cached(key, lambda: Product.objects.catalog_page(**filters, page=page))
    with_live_stock(cards=data["products"])
    context = {**data, "form": form, "filters": filters, "page_obj": data["page"]}
    return render(request, "catalog/product_list.html", context)


def product_data(slug: str) -> dict:
    """The product page's (cached) read model, or 404; the cart's add view re-renders it."""
    data = cached(f"product:{slug}", lambda: Product.objects.product_page(slug))
    if data is None:
        raise Http404("No such product.")
    with_live_stock(variants=data["variants"])
    return data


@require_GET
def product_detail(request, slug: str):
    return render(request, "catalog/product_detail.html", product_data(slug))

"""Catalog pages: home, product list (filter, search, sort, paginate) and product page.

The catalog data comes from the cache (catalog/cache.py) keyed by the catalog version;
the product page also takes the "add to cart" POST and hands it to cart.services.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cart.exceptions import CartError
from cart.forms import AddToCartForm
from cart.services import add_to_cart, get_or_create_cart
from catalog import selectors
from catalog.cache import cached
from catalog.forms import CatalogFilterForm


def home(request):
    featured = cached("home", selectors.featured_products)
    categories = cached("categories", selectors.category_tree)
    top_level = [c for c in categories if c["depth"] == 0]
    return render(request, "home.html", {"featured": featured, "categories": top_level})


def product_list(request):
    form = CatalogFilterForm(request.GET)
    filters = form.filters()
    # Normalise the page number before it goes into the cache key, so ?page=abc or
    # ?page=007 do not each make a new cache entry.
    raw_page = request.GET.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() else 1
    # The key holds every input of the page: a different filter is a different entry.
    key = "list:" + urlencode(sorted({**filters, "page": page}.items()))
    data = cached(key, lambda: selectors.catalog_page(**filters, page=page))
    context = {**data, "form": form, "filters": filters, "page_obj": data["page"]}
    return render(request, "catalog/product_list.html", context)


@require_http_methods(["GET", "POST"])
def product_detail(request, slug: str):
    data = cached(f"product:{slug}", lambda: selectors.product_page(slug))
    form = AddToCartForm(request.POST or None, variants=data["variants"])
    if request.method == "POST" and form.is_valid():
        try:
            add_to_cart(
                cart=get_or_create_cart(request),
                variant_id=form.cleaned_data["variant"],
                quantity=form.cleaned_data["quantity"],
            )
        except CartError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("cart:detail")
    return render(request, "catalog/product_detail.html", {**data, "form": form})

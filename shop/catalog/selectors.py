"""Read models for the catalog pages: plain dicts built from the shared QuerySets, cacheable.

The pages render these dicts instead of model instances because they go into the
cache (see catalog/cache.py): small, picklable, and free of lazy queries.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404

from catalog.models import Category, Product

PAGE_SIZE = 24


@dataclass(frozen=True)
class PageInfo:
    """What shared/pagination.html needs from a page, without the queryset behind it."""

    number: int
    num_pages: int
    count: int

    @property
    def paginator(self) -> "PageInfo":  # the template asks page_obj.paginator.num_pages
        return self

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def product_card(product: Product) -> dict:
    variants = product.active_variants  # prefetched by Product.objects.available()
    return {
        "title": product.title,
        "url": product.get_absolute_url(),
        "category": product.category.name,
        "min_price": product.min_price,
        "in_stock": any(v.available > 0 for v in variants),
        "variant_count": len(variants),
    }


def category_tree() -> list[dict]:
    """Every category with its depth, in tree order, from one query (for the filter menu)."""
    categories = list(Category.objects.order_by("name"))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    rows: list[dict] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for category in children.get(parent_id, []):
            rows.append({"slug": category.slug, "name": category.name, "depth": depth})
            walk(category.pk, depth + 1)

    walk(None, 0)
    return rows


def catalog_page(*, category: str, q: str, sort: str, page: str | int) -> dict:
    """One page of the catalog list: cards, page info and the category filter menu."""
    selected = Category.objects.filter(slug=category).first() if category else None
    products = Product.objects.for_catalog(category=selected, search=q, sort=sort)
    page_obj = Paginator(products, PAGE_SIZE).get_page(page)
    return {
        "products": [product_card(p) for p in page_obj.object_list],
        "page": PageInfo(page_obj.number, page_obj.paginator.num_pages, page_obj.paginator.count),
        "categories": category_tree(),
        "category": {"slug": selected.slug, "name": selected.name} if selected else None,
    }


def product_page(slug: str) -> dict:
    """A product with its active variants and what is available of each."""
    product = Product.objects.available().filter(slug=slug).first()
    if product is None:
        raise Http404("No such product.")
    # Breadcrumb: walk from the product's category up to the root, from one query.
    rows = {
        pk: (parent, name, slug)
        for pk, parent, name, slug in Category.objects.values_list(
            "pk", "parent_id", "name", "slug"
        )
    }
    breadcrumb: list[dict] = []
    cursor: int | None = product.category_id
    while cursor is not None:
        parent, name, cat_slug = rows[cursor]
        breadcrumb.insert(0, {"name": name, "slug": cat_slug})
        cursor = parent
    return {
        "product": {
            "id": product.pk,
            "title": product.title,
            "slug": product.slug,
            "description": product.description,
            "min_price": product.min_price,
        },
        "breadcrumb": breadcrumb,
        "variants": [
            {
                "id": v.pk,
                "sku": v.sku,
                "title": v.title,
                "attributes": v.attributes,
                "price": v.price,
                "available": v.available,
            }
            for v in product.active_variants
        ],
    }


def featured_products(limit: int = 8) -> list[dict]:
    return [product_card(p) for p in Product.objects.for_catalog(sort="newest")[:limit]]

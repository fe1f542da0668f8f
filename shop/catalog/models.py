"""Catalog models: a category tree, products, their variants (what is sold), stock and
the low-stock alert state.

The read side lives here too: QuerySet methods such as ``Product.objects.available()``
are shared by the HTML pages and the API so both run the same, prefetching query, and the
catalog pages' cacheable read models (``Product.objects.catalog_page()``: plain dicts, see
catalog/cache.py) are built from them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone

# Products per catalog page (the page and its cached read model agree on it).
PAGE_SIZE = 24


@dataclass(frozen=True)
class PageInfo:
    """What shared/pagination.html needs from a page, without the queryset behind it.

    The catalog pages render plain dicts instead of model instances because they go into
    the cache (catalog/cache.py): small, picklable, and free of lazy queries.
    """

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


class CategoryQuerySet(models.QuerySet):
    def descendant_ids(self, root: "Category") -> list[int]:
        """Ids of ``root`` and every category below it, in ONE query.

        The tree is small (tens of rows), so we load (id, parent_id) pairs and walk
        them in Python. A recursive CTE or a materialized path would be the next step
        for a tree with thousands of nodes; one query per level would grow with depth.
        """
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in self.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, todo = [], [root.pk]
        while todo:
            pk = todo.pop()
            found.append(pk)
            todo.extend(children.get(pk, []))
        return found

    def with_descendants(self, root: "Category") -> "CategoryQuerySet":
        """``root`` and all its sub-categories, as a QuerySet to filter products with."""
        return self.filter(pk__in=self.descendant_ids(root))

    def tree(self) -> list[dict[str, Any]]:
        """Every category with its depth, in tree order, from one query (the filter menu)."""
        children: dict[int | None, list[Category]] = {}
        for category in self.order_by("name"):
            children.setdefault(category.parent_id, []).append(category)
        rows: list[dict[str, Any]] = []

        def walk(parent_id: int | None, depth: int) -> None:
            for category in children.get(parent_id, []):
                rows.append({"slug": category.slug, "name": category.name, "depth": depth})
                walk(category.pk, depth + 1)

        walk(None, 0)
        return rows

    def breadcrumb(self, category_id: int | None) -> list[dict[str, str]]:
        """From the root down to ``category_id``, walked from one query."""
        rows = {
            pk: (parent, name, slug)
            for pk, parent, name, slug in self.values_list("pk", "parent_id", "name", "slug")
        }
        crumbs: list[dict[str, str]] = []
        cursor = category_id
        while cursor is not None:
            parent, name, slug = rows[cursor]
            crumbs.insert(0, {"name": name, "slug": slug})
            cursor = parent
        return crumbs


class Category(models.Model):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            # A category cannot be its own parent (longer cycles are refused in clean()).
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="catalog_category_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:product-list") + f"?category={self.slug}"

    def descendants(self) -> CategoryQuerySet:
        """This category and every category below it."""
        return Category.objects.with_descendants(self)


class ProductQuerySet(models.QuerySet):
    def available(self) -> "ProductQuerySet":
        """Active products with at least one active variant, ready for a list page.

        ``select_related`` the category (one JOIN) and prefetch the active variants
        with their stock (one more query for the whole page), so a page costs the same
        number of queries whatever its size. ``min_price`` lets us sort by price.

        Both the filter and ``min_price`` are subqueries, not a JOIN with GROUP BY: with
        a JOIN, PostgreSQL must group every product's variants before it can pick the
        first page (docs/performance.md, the catalog rows, has the measurements).
        A subquery in the SELECT list runs only for the rows of the page.
        """
        active_variants = Variant.objects.filter(is_active=True)
        cheapest = active_variants.filter(product=OuterRef("pk")).order_by("price")
        return (
            self.filter(is_active=True)
            .filter(Exists(active_variants.filter(product=OuterRef("pk"))))
            .select_related("category")
            .prefetch_related(
                Prefetch(
                    "variants",
                    queryset=active_variants.select_related("stock"),
                    to_attr="active_variants",
                )
            )
            .annotate(min_price=Subquery(cheapest.values("price")[:1]))
        )

    def for_catalog(
        self,
        *,
        category: "Category | None" = None,
        search: str = "",
        sort: str = "",
    ) -> "ProductQuerySet":
        """The catalog page query: category (with its sub-categories), search and sort."""
        qs = self.available()
        if category is not None:
            qs = qs.filter(category_id__in=Category.objects.descendant_ids(category))
        if search:
            qs = qs.filter(Q(title__icontains=search) | Q(description__icontains=search))
        return qs.order_by(*Product.SORTS.get(sort, Product.SORTS["newest"]))

    # --- Cacheable read models of the catalog pages (plain dicts) ---------------------------

    def catalog_page(self, *, category: str, q: str, sort: str, page: str | int) -> dict:
        """One page of the catalog list: cards, page info and the category filter menu."""
        selected = Category.objects.filter(slug=category).first() if category else None
        products = self.for_catalog(category=selected, search=q, sort=sort)
        page_obj = Paginator(products, PAGE_SIZE).get_page(page)
        return {
            "products": [p.card() for p in page_obj.object_list],
            "page": PageInfo(
                page_obj.number, page_obj.paginator.num_pages, page_obj.paginator.count
            ),
            "categories": Category.objects.tree(),
            "category": {"slug": selected.slug, "name": selected.name} if selected else None,
        }

    def product_page(self, slug: str) -> dict | None:
        """A product with its active variants and what is available of each (None: no such
        product on sale; the view answers 404)."""
        product = self.available().filter(slug=slug).first()
        if product is None:
            return None
        return {
            "product": {
                "id": product.pk,
                "title": product.title,
                "slug": product.slug,
                "description": product.description,
                "min_price": product.min_price,
            },
            "breadcrumb": Category.objects.breadcrumb(product.category_id),
            "variants": [
                {
                    "id": v.pk,
                    "sku": v.sku,
                    "title": v.title,
                    "attributes": v.attributes,
                    "price": v.price,
                    # "available" is not cached: with_live_stock adds it per request.
                }
                for v in product.active_variants
            ],
        }

    def featured(self, limit: int = 8) -> list[dict]:
        """The newest products on sale, as cards for the home page."""
        return [p.card() for p in self.for_catalog(sort="newest")[:limit]]


class Product(models.Model):
    # The sort options a visitor may choose: the key travels in the URL, the value is
    # the ORDER BY. A tie-breaker on pk keeps pagination stable.
    SORTS = {
        "newest": ("-created", "-pk"),
        "price": ("min_price", "pk"),
        "-price": ("-min_price", "-pk"),
        "title": ("title", "pk"),
    }

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["is_active", "category"]),
            # The default order with its tiebreaker: page 1 and every ?cursor= page start
            # from a point of this index instead of sorting the table (docs/performance.md).
            models.Index(fields=["created", "id"], name="product_created_id_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:product-detail", kwargs={"slug": self.slug})

    def card(self) -> dict:
        """The product as a list card; needs the ``available()`` prefetch and annotation."""
        variants = self.active_variants
        return {
            "title": self.title,
            "url": self.get_absolute_url(),
            "category": self.category.name,
            "min_price": self.min_price,
            # Not "in stock": that moves with every order, so with_live_stock (catalog/cache.py)
            # adds it per request from these ids, and a sale does not empty the cache.
            "variant_ids": [v.pk for v in variants],
            "variant_count": len(variants),
        }


class Variant(models.Model):
    """What a customer actually buys: a product in one size/colour, with its own SKU and price."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField("SKU", max_length=64, unique=True)
    title = models.CharField(max_length=120, help_text="e.g. 'Blue / M'")
    attributes = models.JSONField(default=dict, blank=True, help_text='e.g. {"colour": "blue"}')
    # Money is Decimal, never float: 0.1 + 0.2 must equal 0.3 on an invoice.
    price = models.DecimalField(max_digits=10, decimal_places=2)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["price", "pk"]
        indexes = [
            # Serves Product.objects.available(): "has an active variant" and "its cheapest
            # active price" become index lookups per product.
            models.Index(
                fields=["product", "price"],
                condition=Q(is_active=True),
                name="catalog_variant_active_price",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gt=Decimal("0")), name="catalog_variant_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.title} – {self.title} ({self.sku})"

    @property
    def available(self) -> int:
        """Units a customer may still put in a cart (0 when there is no stock row)."""
        stock = getattr(self, "stock", None)
        return stock.available if stock else 0


class StockQuerySet(models.QuerySet):
    def with_available(self) -> "StockQuerySet":
        return self.annotate(available_units=F("quantity") - F("reserved"))

    def available_by_variant(self, variant_ids: Iterable[int]) -> dict[int, int]:
        """{variant id: units a customer may buy now} for these variants, in one query.

        The catalog pages cache everything but this (catalog/cache.py, ``with_live_stock``):
        stock moves with every order, the rest of the catalog rarely.
        """
        ids = set(variant_ids)
        if not ids:
            return {}
        rows = self.with_available().filter(variant_id__in=ids)
        return dict(rows.values_list("variant_id", "available_units"))

    def low(self) -> "StockQuerySet":
        """Rows whose available units are at or below their threshold."""
        return self.with_available().filter(available_units__lte=F("low_stock_threshold"))


class Stock(models.Model):
    """How many units are on the shelf, and how many of them are promised to open orders.

    ``quantity`` is physically in the warehouse; ``reserved`` is held for orders not yet
    shipped. A customer may buy ``quantity - reserved``. The database refuses any row
    where that would go negative, whatever code path writes it.
    """

    variant = models.OneToOneField(Variant, on_delete=models.CASCADE, related_name="stock")
    quantity = models.PositiveIntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    low_stock_threshold = models.PositiveIntegerField(default=5)
    updated = models.DateTimeField(auto_now=True)

    objects = StockQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stock"
        constraints = [
            # PositiveIntegerField is only checked on some databases; say it explicitly.
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="catalog_stock_quantity_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="catalog_stock_reserved_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("quantity")), name="catalog_stock_reserved_lte_quantity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant.sku}: {self.available} available"

    def clean(self) -> None:
        # The admin form does not edit `reserved` (only orders move it), and Django skips
        # validating a constraint that involves a field the form excludes. So the friendly
        # message is given here; the CheckConstraint stays the guarantee.
        if self.quantity is not None and self.quantity < self.reserved:
            raise ValidationError(
                {"quantity": f"Cannot be below the {self.reserved} unit(s) reserved for orders."}
            )

    @property
    def available(self) -> int:
        return self.quantity - self.reserved

    @property
    def is_low(self) -> bool:
        return self.available <= self.low_stock_threshold


class LowStockAlert(models.Model):
    """Present while a variant is at or below its low-stock threshold.

    The row is what makes the alert "once per crossing": the job emails only for variants
    that have no row yet, and deletes the row when the stock is back above the threshold.
    """

    variant = models.OneToOneField(Variant, on_delete=models.CASCADE, related_name="+")
    available_when_alerted = models.IntegerField()
    alerted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Low stock alert for variant {self.variant_id}"

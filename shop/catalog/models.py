"""Catalog models: a category tree, products, their variants (what is sold) and stock.

The read side lives here too: QuerySet methods such as ``Product.objects.available()``
are shared by the HTML pages and the API so both run the same, prefetching query.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse


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
        first page (docs/performance.md measured page 1 at 100,000 products 14x slower).
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
        indexes = [models.Index(fields=["is_active", "category"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:product-detail", kwargs={"slug": self.slug})


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

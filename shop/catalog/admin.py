"""Admin for the catalog: products with their variants and stock inline, and a stock list
with what is available and a low-stock filter."""

from django.contrib import admin
from django.db.models import Count, F

from catalog.models import Category, LowStockAlert, Product, Stock, Variant


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["sku", "title", "attributes", "price", "is_active", "stock_link"]
    readonly_fields = ["stock_link"]
    show_change_link = True

    @admin.display(description="Stock (available / on shelf)")
    def stock_link(self, variant: Variant) -> str:
        stock = getattr(variant, "stock", None)
        return f"{stock.available} / {stock.quantity}" if stock else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("stock")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "is_active", "variant_count", "created"]
    list_filter = ["is_active", "category", "created"]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "variants__sku"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category"]
    date_hierarchy = "created"
    inlines = [VariantInline]
    actions = ["deactivate"]

    def get_queryset(self, request):
        # One COUNT per page, not one per row.
        return super().get_queryset(request).annotate(_variant_count=Count("variants"))

    @admin.display(description="Variants", ordering="_variant_count")
    def variant_count(self, product) -> int:
        return product._variant_count

    @admin.action(description="Take the selected products off sale")
    def deactivate(self, request, queryset):
        # .update() sends no post_save: save each so the catalog cache is invalidated.
        for product in queryset:
            product.is_active = False
            product.save(update_fields=["is_active"])


class StockInline(admin.StackedInline):
    model = Stock
    extra = 0
    fields = ["quantity", "reserved", "low_stock_threshold"]
    readonly_fields = ["reserved"]  # reserved moves only through orders (catalog.services)


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ["sku", "product", "title", "price", "is_active"]
    list_select_related = ["product"]
    list_filter = ["is_active"]
    search_fields = ["sku", "title", "product__title"]
    autocomplete_fields = ["product"]
    inlines = [StockInline]


class LowStockFilter(admin.SimpleListFilter):
    title = "stock level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("low", "Low (at or below threshold)"), ("out", "Sold out")]

    def queryset(self, request, queryset):
        if self.value() == "low":
            return queryset.low()
        if self.value() == "out":
            return queryset.filter(quantity__lte=F("reserved"))
        return queryset


@admin.register(Stock)
class StockAdmin(admin.ModelAdmin):
    list_display = ["sku", "product", "quantity", "reserved", "available", "low_stock_threshold"]
    list_editable = ["quantity", "low_stock_threshold"]
    list_select_related = ["variant__product"]
    list_filter = [LowStockFilter]
    search_fields = ["variant__sku", "variant__product__title"]
    readonly_fields = ["reserved"]
    ordering = ["variant__sku"]

    def get_queryset(self, request):
        return Stock.objects.with_available().select_related("variant__product")

    @admin.display(ordering="variant__sku", description="SKU")
    def sku(self, stock) -> str:
        return stock.variant.sku

    @admin.display(ordering="variant__product__title")
    def product(self, stock) -> str:
        return stock.variant.product.title

    @admin.display(ordering="available_units", description="Available")
    def available(self, stock) -> int:
        return stock.available_units


@admin.register(LowStockAlert)
class LowStockAlertAdmin(admin.ModelAdmin):
    list_display = ["variant", "available_when_alerted", "alerted_at"]
    list_select_related = ["variant__product"]

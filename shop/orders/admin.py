"""Admin for orders: snapshots are read-only, history is visible, status changes go through
the services (the admin never edits a status field directly, so no rule is bypassed)."""

from django.contrib import admin, messages

from orders import services
from orders.models import (
    Coupon,
    CouponRedemption,
    Invoice,
    Order,
    OrderLine,
    OrderStatusChange,
    SalesReport,
)
from shared.errors import DomainError
from shared.web.admin import ReadOnlyTabularInline


class OrderLineInline(ReadOnlyTabularInline):
    model = OrderLine
    fields = ["sku", "title", "unit_price", "quantity", "variant"]
    readonly_fields = fields


class StatusChangeInline(ReadOnlyTabularInline):
    model = OrderStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields


def _action(name: str, label: str):
    """An admin bulk action that applies a staff transition through the service."""

    def run(modeladmin, request, queryset):
        done = 0
        for order in queryset.prefetch_related("lines"):
            try:
                services.apply_staff_action(
                    order=order, action=name, by=request.user, note="via admin"
                )
                done += 1
            except DomainError as error:  # refused for this order; go on with the others
                modeladmin.message_user(request, error.message, messages.WARNING)
        modeladmin.message_user(request, f"{label}: {done} order(s).", messages.SUCCESS)

    run.short_description = f"{label} selected orders"
    run.__name__ = f"action_{name}"
    return run


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "email", "status", "total", "currency", "created", "paid_at"]
    list_filter = ["status", "created", "paid_at"]
    search_fields = ["number", "email", "ship_name"]
    date_hierarchy = "created"
    list_select_related = ["user"]
    inlines = [OrderLineInline, StatusChangeInline]
    actions = [
        _action("fulfil", "Fulfil"),
        _action("deliver", "Mark delivered"),
        _action("cancel", "Cancel"),
    ]
    readonly_fields = [
        "number",
        "user",
        "status",
        "idempotency_key",
        "email",
        "currency",
        "subtotal",
        "discount",
        "total",
        "created",
        "paid_at",
        "confirmation_sent_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "user",
                    "email",
                    "status",
                    "created",
                    "paid_at",
                    "confirmation_sent_at",
                ]
            },
        ),
        (
            "Shipping",
            {
                "fields": [
                    "ship_name",
                    "ship_line1",
                    "ship_line2",
                    "ship_postcode",
                    "ship_city",
                    "ship_country",
                ]
            },
        ),
        ("Totals", {"fields": ["currency", "subtotal", "discount", "total", "idempotency_key"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # orders come from checkout only


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "kind",
        "value",
        "valid_from",
        "valid_until",
        "times_used",
        "usage_limit",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["code"]
    readonly_fields = ["times_used"]


@admin.register(CouponRedemption)
class CouponRedemptionAdmin(admin.ModelAdmin):
    list_display = ["coupon", "order", "amount", "redeemed_at"]
    list_select_related = ["coupon", "order"]
    readonly_fields = ["coupon", "order", "amount", "redeemed_at"]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "order", "issued_at"]
    list_select_related = ["order"]
    search_fields = ["number", "order__number"]
    readonly_fields = ["number", "order", "issued_at"]


@admin.register(SalesReport)
class SalesReportAdmin(admin.ModelAdmin):
    list_display = ["day", "order_count", "revenue", "emailed_at"]
    readonly_fields = ["day", "csv", "order_count", "revenue", "created", "emailed_at"]

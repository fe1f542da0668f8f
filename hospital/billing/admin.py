"""Admin for billing: browse and search. Money moves only through the services
(issue, pay, void), so the amounts and statuses are read-only here."""

from django.contrib import admin

from billing.models import Invoice, InvoiceLine, Payment
from shared.web.admin import ReadOnlyTabularInline


class InvoiceLineInline(ReadOnlyTabularInline):
    model = InvoiceLine
    readonly_fields = ["description", "quantity", "unit_price", "amount"]


class PaymentInline(ReadOnlyTabularInline):
    model = Payment
    readonly_fields = ["amount", "method", "reference", "received_by", "received_at"]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "patient", "status", "total", "amount_paid", "issued_at"]
    list_select_related = ["patient"]
    list_filter = ["status"]
    search_fields = ["number", "patient__medical_record_number", "patient__last_name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "number",
        "patient",
        "encounter",
        "status",
        "total",
        "amount_paid",
        "created_by",
        "created_at",
        "issued_at",
        "voided_at",
    ]
    inlines = [InvoiceLineInline, PaymentInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

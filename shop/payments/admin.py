"""Admin for payments and webhook events: read-only, they are the provider's record."""

from django.contrib import admin

from payments.models import Payment, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "order", "provider", "amount", "currency", "status", "created"]
    list_filter = ["status", "provider"]
    search_fields = ["reference", "order__number"]
    list_select_related = ["order"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "outcome", "payment", "received_at"]
    list_filter = ["type", "provider"]
    search_fields = ["event_id", "payment__reference"]
    list_select_related = ["payment"]

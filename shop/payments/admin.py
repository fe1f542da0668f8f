"""Admin for payments and webhook events: read-only, they are the provider's record."""

from django.contrib import admin

from payments.models import Payment, WebhookEvent
from shared.web.admin import ReadOnlyModelAdmin


@admin.register(Payment)
class PaymentAdmin(ReadOnlyModelAdmin):
    list_display = ["reference", "order", "provider", "amount", "currency", "status", "created"]
    list_filter = ["status", "provider"]
    search_fields = ["reference", "order__number"]
    list_select_related = ["order"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyModelAdmin):
    list_display = ["event_id", "type", "outcome", "payment", "received_at"]
    list_filter = ["type", "provider"]
    search_fields = ["event_id", "payment__reference"]
    list_select_related = ["payment"]

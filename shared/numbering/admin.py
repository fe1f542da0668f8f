"""Counters are read-only in the admin: editing one by hand would create a gap or a duplicate."""

from django.contrib import admin
from django.http import HttpRequest

from shared.numbering.models import Counter


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["series", "last_value"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Counter | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Counter | None = None) -> bool:
        return False

"""Admin base classes every capstone uses for records the admin may show but not edit.

The admin is one more door into the data: a history row, a payment or an append-only
clinical entry gets no add, change or delete button there either.
"""

from django.contrib import admin


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """A list and detail pages that show rows, never add, change or delete them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyTabularInline(admin.TabularInline):
    """Child rows shown inside their parent's page; list the fields in ``readonly_fields``."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

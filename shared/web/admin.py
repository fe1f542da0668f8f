"""Admin base classes every capstone uses for records the admin may show but not edit.

The admin is one more door into the data: a history row, a payment or an append-only
clinical entry gets no add, change or delete button there either.
"""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest


# ModelAdmin and TabularInline are generic in django-stubs only (subscripting them fails at
# run time), hence the bare base classes and the ignore.
class ReadOnlyModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A list and detail pages that show rows, never add, change or delete them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyTabularInline(admin.TabularInline):  # type: ignore[type-arg]
    """Child rows shown inside their parent's page; list the fields in ``readonly_fields``."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

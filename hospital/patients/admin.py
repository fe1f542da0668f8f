"""Admin for patients, and a read-only view of the access log."""

from django.contrib import admin

from patients.models import AccessLog, Patient
from shared.web.admin import ReadOnlyModelAdmin


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["medical_record_number", "last_name", "first_name", "date_of_birth", "user"]
    search_fields = ["medical_record_number", "last_name", "first_name", "email"]
    readonly_fields = ["medical_record_number", "registered_at"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyModelAdmin):
    """Read-only: the log is append-only, and only log_access appends to it."""

    list_display = [
        "sequence",
        "at",
        "user",
        "patient",
        "action",
        "object_type",
        "object_id",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    list_select_related = ["user", "patient"]
    search_fields = ["patient__medical_record_number", "user__email"]
    date_hierarchy = "at"

"""Admin for clinical records. Observations and lab results are read-only here:
the admin is one more door, and an append-only record has no edit or delete button
in any door. Corrections are recorded through the chart or the API."""

from django.contrib import admin

from clinical.models import (
    Encounter,
    LabOrder,
    LabResult,
    Observation,
    Prescription,
    PrescriptionItem,
)
from shared.web.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline


@admin.register(Encounter)
class EncounterAdmin(admin.ModelAdmin):
    list_display = ["opened_at", "patient", "doctor", "closed_at"]
    list_select_related = ["patient", "doctor__profile__user"]
    list_filter = ["doctor__profile__department"]
    search_fields = ["patient__medical_record_number", "patient__last_name"]
    date_hierarchy = "opened_at"
    readonly_fields = ["patient", "doctor", "appointment", "opened_at", "closed_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # PROTECTed by its records anyway; say so in the interface too


@admin.register(Observation)
class ObservationAdmin(ReadOnlyModelAdmin):
    list_display = [
        "recorded_at",
        "encounter",
        "kind",
        "value",
        "unit",
        "recorded_by",
        "supersedes",
    ]
    list_select_related = ["encounter__patient", "recorded_by", "supersedes"]
    list_filter = ["kind"]
    search_fields = ["encounter__patient__medical_record_number"]
    date_hierarchy = "recorded_at"


@admin.register(LabResult)
class LabResultAdmin(ReadOnlyModelAdmin):
    list_display = ["entered_at", "order", "value", "unit", "abnormal", "entered_by", "supersedes"]
    list_select_related = ["order", "entered_by", "supersedes"]
    list_filter = ["abnormal"]
    date_hierarchy = "entered_at"


@admin.register(LabOrder)
class LabOrderAdmin(ReadOnlyModelAdmin):
    list_display = ["ordered_at", "test_name", "encounter", "ordered_by"]
    list_select_related = ["encounter__patient", "ordered_by"]
    search_fields = ["test_name", "encounter__patient__medical_record_number"]


class PrescriptionItemInline(ReadOnlyTabularInline):
    model = PrescriptionItem
    readonly_fields = ["drug", "dose", "frequency", "duration_days"]


@admin.register(Prescription)
class PrescriptionAdmin(ReadOnlyModelAdmin):
    list_display = ["prescribed_at", "encounter", "prescribed_by"]
    list_select_related = ["encounter__patient", "prescribed_by"]
    inlines = [PrescriptionItemInline]

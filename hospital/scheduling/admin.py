"""Admin for appointments. Status changes go through the services, so status is read-only here."""

from django.contrib import admin

from scheduling.models import Appointment, AppointmentStatusChange
from shared.web.admin import ReadOnlyTabularInline


class StatusChangeInline(ReadOnlyTabularInline):
    model = AppointmentStatusChange
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "note"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["start", "patient", "doctor", "status", "reminder_sent_at"]
    list_filter = ["status", "doctor"]
    list_select_related = ["patient", "doctor__profile__user"]
    search_fields = ["patient__medical_record_number", "patient__last_name"]
    date_hierarchy = "start"
    autocomplete_fields = ["patient"]
    readonly_fields = ["status", "reminder_sent_at", "booked_by"]
    inlines = [StatusChangeInline]

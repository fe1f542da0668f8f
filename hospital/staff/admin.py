"""Admin for departments, staff, doctors and availability."""

from django.contrib import admin

from staff.models import Availability, Department, Doctor, StaffProfile


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "department"]
    list_filter = ["role", "department"]
    list_select_related = ["user", "department"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]


class AvailabilityInline(admin.TabularInline):
    model = Availability
    extra = 0


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "specialty", "licence_number", "department_name"]
    list_select_related = ["profile__user", "profile__department"]
    search_fields = ["profile__user__full_name", "licence_number", "specialty"]
    inlines = [AvailabilityInline]

    @admin.display(description="department", ordering="profile__department__name")
    def department_name(self, doctor):
        return doctor.profile.department

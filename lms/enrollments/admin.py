"""Admin for enrollments: read-mostly, since seats and the waitlist change through services."""

from django.contrib import admin

from enrollments.models import Enrollment, LessonProgress


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student", "course", "status", "waitlist_position", "enrolled_at"]
    list_filter = ["status"]
    list_select_related = ["student", "course"]
    search_fields = ["student__email", "course__title"]
    # Editing these by hand would bypass the seat counter: use the pages or the API.
    readonly_fields = ["course", "student", "status", "waitlist_position"]


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "lesson", "completed_at"]
    list_select_related = ["enrollment__student", "lesson"]

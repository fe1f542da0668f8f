"""Admin for assignments and submissions."""

from django.contrib import admin

from assignments.models import Assignment, Submission


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "due_at", "late_policy", "max_points"]
    list_select_related = ["course"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["assignment", "enrollment", "submitted_at", "is_late", "points"]
    list_select_related = ["assignment", "enrollment__student"]
    readonly_fields = ["file", "original_name", "size", "submitted_at", "is_late"]

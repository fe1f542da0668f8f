"""The gradebook: every student of a course by its quizzes and assignments; the weekly digest."""

from django.apps import AppConfig


class GradebookConfig(AppConfig):
    name = "gradebook"
    default_auto_field = "django.db.models.BigAutoField"

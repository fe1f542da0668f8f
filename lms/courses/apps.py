"""The courses app: the catalogue, course staff, modules, lessons and announcements."""

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    default_auto_field = "django.db.models.BigAutoField"

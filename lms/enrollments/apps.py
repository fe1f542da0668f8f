"""The enrollments app: who takes which course, the waitlist, and lesson progress."""

from django.apps import AppConfig


class EnrollmentsConfig(AppConfig):
    name = "enrollments"
    default_auto_field = "django.db.models.BigAutoField"

"""The assignments app: assignments with a due date and late policy, uploaded submissions."""

from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "assignments"
    default_auto_field = "django.db.models.BigAutoField"

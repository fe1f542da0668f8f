"""Project-wide pieces that belong to no single app: roles, the home page, the demo seed."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

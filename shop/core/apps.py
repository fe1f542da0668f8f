"""Project-level glue that belongs to no single domain app: the demo seed command."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

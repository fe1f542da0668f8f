from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Project-wide odds and ends that belong to no domain app (the ER diagram command)."""

    name = "core"
    verbose_name = "Hospital core"

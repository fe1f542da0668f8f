from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Project-wide pieces of no domain app: the roles, the home page, the seed_demo command."""

    name = "core"
    verbose_name = "Hospital core"

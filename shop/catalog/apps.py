"""The catalog app: categories, products, variants and their stock."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect the signal handlers that bump the catalog cache version.
        from catalog import signals  # noqa: F401

"""The numbering app: one counter row per document series."""

from django.apps import AppConfig


class NumberingConfig(AppConfig):
    name = "shared.numbering"
    label = "numbering"
    verbose_name = "Document numbering"
    default_auto_field = "django.db.models.BigAutoField"

"""The payments app: the gateway interface, the built-in sandbox provider and its webhook."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    default_auto_field = "django.db.models.BigAutoField"

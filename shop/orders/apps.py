"""The orders app: checkout, orders and their status history, coupons, invoices, staff pages
and the shop's background jobs."""

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    default_auto_field = "django.db.models.BigAutoField"

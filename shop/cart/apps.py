"""The cart app: a visitor's cart (by session) or a customer's cart (by user)."""

from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "cart"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect the login handler that merges the session cart into the user's cart.
        from cart import signals  # noqa: F401

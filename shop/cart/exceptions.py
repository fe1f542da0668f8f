"""The one error the cart services raise: a friendly message, and the field it is about."""


class CartError(Exception):
    """A cart rule refused the change. ``field`` names the input to blame (form or API)."""

    def __init__(self, message: str, *, field: str = "quantity"):
        self.message = message
        self.field = field
        super().__init__(message)

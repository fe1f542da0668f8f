"""The one error the cart services raise: a friendly message, and the field it is about."""

from shared.errors import DomainError


class CartError(DomainError):
    """A cart rule refused the change (400). ``field`` names the input to blame."""

    field = "quantity"

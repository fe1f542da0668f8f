"""The orders services' refusals, as shared domain errors (shared/errors.py)."""

from shared.errors import Conflict, DomainError


class CheckoutError(DomainError):
    """The checkout cannot go through (400); ``field`` names the input to blame (or None)."""


class CouponError(CheckoutError):
    """The coupon code cannot be used (400)."""

    field = "coupon_code"


class TransitionNotAllowed(Conflict):
    """The order's status does not allow this action (any more): 409."""

    default_code = "transition_not_allowed"

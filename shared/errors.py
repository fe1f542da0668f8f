"""The one error a service raises when it refuses a use case, and how loud the refusal is.

A service knows *why* it refuses ("this slot is taken"); it does not know whether a web page
or the API asked. So it raises a ``DomainError`` naming the input to blame, and each door
translates it once: the API's exception handler (``shared.web.api.exception_handler``) into
the standard JSON error, a page through ``shared.web.forms.add_domain_error`` or
``shared.web.middleware.DomainErrorMiddleware``. No view wraps a service call by hand.

    class OutOfStock(Conflict):
        field = "quantity"

    raise OutOfStock(f"Only {left} left of {variant}.", code="out_of_stock")
"""


class DomainError(Exception):
    """The request is invalid for this use case (HTTP 400)."""

    status_code: int = 400
    default_code: str = "invalid"
    # A subclass that always blames the same input says so once: ``field = "coupon_code"``.
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field if field is not None else type(self).field
        self.code = code or self.default_code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, field={self.field!r}, code={self.code!r})"


class Conflict(DomainError):
    """The request is well formed, but the current state refuses it (HTTP 409).

    Already paid, slot taken, out of stock, a transition the status no longer allows: the
    same request could succeed another time, so it is not the client's input that is wrong.
    """

    status_code = 409
    default_code = "conflict"

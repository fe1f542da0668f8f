"""The catalog services' refusals, as shared domain errors (shared/errors.py)."""

from shared.errors import Conflict


class OutOfStock(Conflict):
    """Fewer units are available than asked for: the stock refuses it now (409).

    ``available`` is what a customer could still buy when we looked, for the message.
    """

    default_code = "out_of_stock"

    def __init__(
        self,
        message: str,
        *,
        variant_id: int,
        available: int,
        field: str | None = None,
    ):
        super().__init__(message, field=field)
        self.variant_id = variant_id
        self.available = available


class StockError(Conflict):
    """A release or shipment asked to move more units than are reserved (409).

    No customer input gets here: it means the order and its stock disagree, so staff are
    told and nothing moves.
    """

    default_code = "stock_mismatch"

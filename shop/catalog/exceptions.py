"""Domain errors raised by the catalog services; each door turns them into a message."""


class OutOfStock(Exception):
    """Fewer units are available than asked for.

    ``available`` is what a customer could still buy when we looked, for the message.
    """

    def __init__(self, variant_id: int, available: int):
        self.variant_id = variant_id
        self.available = available
        super().__init__(f"Only {available} unit(s) of variant {variant_id} are available.")


class StockError(Exception):
    """A release/commit asked to move more units than are reserved: a bug in the caller."""

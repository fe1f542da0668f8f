"""The cart's background job: nightly cleanup of abandoned visitor carts (see settings)."""

from cart import services
from shared.tasks.base import task


@task(name="cart.delete_abandoned_carts")
def delete_abandoned_carts() -> int:
    """Idempotent: a second run finds nothing left to delete."""
    return services.delete_abandoned_carts()

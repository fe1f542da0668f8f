"""The catalog's background job: the low-stock alerts (scheduled in config/settings.py)."""

from catalog import services
from shared.tasks.base import task


@task(name="catalog.send_low_stock_alerts")
def send_low_stock_alerts() -> list[str]:
    """Every few minutes: email staff about variants that just crossed their threshold."""
    return services.send_low_stock_alerts()

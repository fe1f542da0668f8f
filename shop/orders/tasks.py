"""The shop's background jobs. Thin: take ids, call a service, safe to run twice.

Periodic ones are scheduled in config/settings.py (CELERY_BEAT_SCHEDULE).
"""

from datetime import date, timedelta

from django.utils import timezone

from orders import services
from shared.tasks.base import task


@task(name="orders.send_order_confirmation")
def send_order_confirmation_task(order_id: int) -> bool:
    """Issue the invoice and email the confirmation with the PDF (queued when an order is paid)."""
    return services.send_order_confirmation(order_id=order_id)


@task(name="orders.expire_unpaid_orders")
def expire_unpaid_orders_task() -> list[str]:
    """Every few minutes: cancel orders left unpaid too long and release their stock."""
    return services.expire_unpaid_orders()


@task(name="orders.nightly_sales_report")
def nightly_sales_report_task(day: str | None = None) -> int:
    """Every night: build yesterday's sales CSV (or ``day``, ISO format) and email it to staff."""
    report_day = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    report = services.build_sales_report(day=report_day)
    services.email_sales_report(report_id=report.pk)
    return report.pk


@task(name="orders.low_stock_alerts")
def low_stock_alerts_task() -> list[str]:
    """Every few minutes: email staff about variants that just crossed their threshold."""
    return services.send_low_stock_alerts()

"""The orders' background jobs and email attachments. Thin: take ids, call a service, safe
to run twice.

Periodic ones are scheduled in config/settings.py (CELERY_BEAT_SCHEDULE). Services enqueue
these by name ("orders.send_confirmation") and never import this module.
"""

from datetime import date, timedelta

from django.utils import timezone

from orders import invoices, services
from orders.models import Invoice, SalesReport
from shared.tasks.base import task
from shared.tasks.email import attachment_builder


@task(name="orders.send_confirmation")
def send_confirmation(order_id: int) -> bool:
    """Issue the invoice and email the confirmation with the PDF (queued when an order is paid)."""
    return services.send_confirmation(order_id=order_id)


@task(name="orders.expire_unpaid_orders")
def expire_unpaid_orders() -> list[str]:
    """Every few minutes: cancel orders left unpaid too long and release their stock."""
    return services.expire_unpaid_orders()


@task(name="orders.send_sales_report")
def send_sales_report(day: str | None = None) -> int:
    """Every night: build yesterday's sales CSV (or ``day``, ISO format) and email it to staff."""
    report_day = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    return services.send_sales_report(day=report_day).pk


# The shared email task rebuilds attachments from these names (shared/tasks/email.py), so a
# message on the broker says "the invoice of order 7", not a megabyte of base64.


@attachment_builder("orders.invoice_pdf")
def invoice_pdf(*, invoice_id: int) -> bytes:
    return invoices.render_invoice_pdf(Invoice.objects.select_related("order").get(pk=invoice_id))


@attachment_builder("orders.sales_report_csv")
def sales_report_csv(*, report_id: int) -> bytes:
    return SalesReport.objects.get(pk=report_id).csv.encode()

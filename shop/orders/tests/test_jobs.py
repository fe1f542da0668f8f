"""The background jobs: each does its work once, however many times it runs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from catalog.models import Stock
from config.celery_app import app
from orders import tasks
from orders.models import Invoice, LowStockAlert, Order, OrderStatus, SalesReport
from orders.services import mark_paid

pytestmark = pytest.mark.django_db


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()  # what a worker does at start: import every tasks.py
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


class TestConfirmationEmail:
    def test_sent_once_with_the_pdf_invoice(self, placed_order, mailoutbox):
        mark_paid(order=placed_order)
        assert tasks.send_order_confirmation_task(placed_order.pk) is True
        assert tasks.send_order_confirmation_task(placed_order.pk) is False  # run twice: one email
        [email] = mailoutbox
        invoice = Invoice.objects.get(order=placed_order)
        name, content, mimetype = email.attachments[0]
        assert (name, mimetype) == (f"{invoice.number}.pdf", "application/pdf")
        assert content.startswith(b"%PDF")
        assert placed_order.number in email.body and "39.80" in email.body
        assert email.alternatives[0][1] == "text/html"

    def test_a_long_invoice_continues_on_a_second_page(
        self, customer, make_variant, fill_cart, place
    ):
        from orders.invoices import render_invoice_pdf
        from orders.services import issue_invoice

        order = place(customer, fill_cart(customer, *[(make_variant(), 1) for _ in range(45)]))
        pdf = render_invoice_pdf(issue_invoice(order=order))
        assert pdf.count(b"/Type /Page\n") == 2

    def test_not_sent_for_an_unpaid_order(self, placed_order, mailoutbox):
        assert tasks.send_order_confirmation_task(placed_order.pk) is False
        assert mailoutbox == [] and not Invoice.objects.exists()

    def test_invoices_are_numbered_in_sequence(self, customer, make_variant, fill_cart, place):
        numbers = []
        for _ in range(3):
            order = place(customer, fill_cart(customer, (make_variant(), 1)))
            mark_paid(order=order)
            tasks.send_order_confirmation_task(order.pk)
            numbers.append(order.invoice.number)
        year = timezone.now().year
        assert numbers == [f"INV-{year}-00001", f"INV-{year}-00002", f"INV-{year}-00003"]


class TestExpiry:
    def test_expires_old_unpaid_orders_once_and_releases_stock(
        self, placed_order, customer, make_variant, fill_cart, place
    ):
        fresh = place(customer, fill_cart(customer, (make_variant(), 1)))
        Order.objects.filter(pk=placed_order.pk).update(
            created=timezone.now() - timedelta(minutes=settings.SHOP_UNPAID_ORDER_MINUTES + 1)
        )
        assert tasks.expire_unpaid_orders_task() == [placed_order.number]
        assert tasks.expire_unpaid_orders_task() == []  # run twice: one effect
        placed_order.refresh_from_db()
        fresh.refresh_from_db()
        assert (placed_order.status, fresh.status) == (
            OrderStatus.CANCELLED,
            OrderStatus.PENDING_PAYMENT,
        )
        assert Stock.objects.get(variant=placed_order.lines.get().variant).reserved == 0
        assert "Expired" in placed_order.status_changes.last().note

    def test_paid_orders_never_expire(self, placed_order):
        mark_paid(order=placed_order)
        Order.objects.filter(pk=placed_order.pk).update(created=timezone.now() - timedelta(days=1))
        assert tasks.expire_unpaid_orders_task() == []


class TestSalesReport:
    def test_built_emailed_to_staff_once_and_downloadable(
        self, placed_order, staff, mailoutbox, page_client_for
    ):
        mark_paid(order=placed_order)
        day = timezone.localdate()
        report_id = tasks.nightly_sales_report_task(day.isoformat())
        assert tasks.nightly_sales_report_task(day.isoformat()) == report_id  # run twice
        report = SalesReport.objects.get()
        assert (report.order_count, report.revenue) == (1, Decimal("39.80"))
        header, row = report.csv.strip().splitlines()
        assert header.startswith("number,paid_at") and row.startswith(placed_order.number)
        [email] = mailoutbox
        assert email.to == [staff.email] and email.attachments[0][0] == f"sales-{day}.csv"

        client = page_client_for(staff)
        response = client.get(f"/staff/reports/{day}.csv")
        assert response.status_code == 200 and response.content.decode() == report.csv
        assert client.get("/staff/reports/2026-13-45.csv").status_code == 404

    def test_default_day_is_yesterday(self, db):
        report = SalesReport.objects.get(pk=tasks.nightly_sales_report_task())
        assert report.day == timezone.localdate() - timedelta(days=1) and report.order_count == 0


class TestLowStockAlert:
    def test_once_per_crossing(self, make_variant, staff, mailoutbox):
        variant = make_variant(quantity=10)  # the factory's threshold is 2
        assert tasks.low_stock_alerts_task() == []
        Stock.objects.filter(variant=variant).update(reserved=8)  # 2 left: at the threshold
        assert tasks.low_stock_alerts_task() == [variant.sku]
        assert tasks.low_stock_alerts_task() == []  # still low: not again
        assert len(mailoutbox) == 1 and variant.sku in mailoutbox[0].body

        Stock.objects.filter(variant=variant).update(quantity=20)  # restocked: re-armed
        assert tasks.low_stock_alerts_task() == [] and not LowStockAlert.objects.exists()
        Stock.objects.filter(variant=variant).update(reserved=19)  # falls again
        assert tasks.low_stock_alerts_task() == [variant.sku]
        assert len(mailoutbox) == 2


class TestDashboard:
    def test_shows_orders_to_fulfil_low_stock_chart_and_reports(
        self, placed_order, staff, page_client_for, make_variant
    ):
        mark_paid(order=placed_order)
        low = make_variant(quantity=1)
        tasks.nightly_sales_report_task(timezone.localdate().isoformat())
        response = page_client_for(staff).get("/staff/")
        assert response.status_code == 200
        assert response.context["to_fulfil"] == [placed_order]
        assert low.sku.encode() in response.content
        chart = response.context["chart"]
        assert len(chart["bars"]) == 30 and chart["total"] == Decimal("39.80")
        assert chart["bars"][-1].height == chart["baseline"]  # today is the peak
        assert b"<svg" in response.content and b"<script" not in response.content
        assert f"/staff/reports/{timezone.localdate()}.csv".encode() in response.content

    def test_customers_are_refused(self, customer, page_client_for):
        assert page_client_for(customer).get("/staff/").status_code == 403

    def test_staff_invoice_download(self, placed_order, staff, page_client_for):
        client = page_client_for(staff)
        assert client.get(f"/staff/orders/{placed_order.number}/invoice.pdf").status_code == 302
        mark_paid(order=placed_order)
        tasks.send_order_confirmation_task(placed_order.pk)
        assert client.get(f"/staff/orders/{placed_order.number}/invoice.pdf").content.startswith(
            b"%PDF"
        )

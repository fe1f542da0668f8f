"""The orders' background jobs: each does its work once, however many times it runs; and the
confirmation email over real transports (an SMTP exchange, a live Celery worker)."""

import email
import socket
from datetime import timedelta
from decimal import Decimal
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Stock
from config.celery_app import app
from orders import tasks
from orders.models import Invoice, Order, OrderStatus, SalesReport
from orders.services import mark_paid
from orders.tasks import send_confirmation

pytestmark = pytest.mark.django_db


# --- Jobs and schedules ----------------------------------------------------------------------


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()  # what a worker does at start: import every tasks.py
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


class TestConfirmationEmail:
    def test_sent_once_with_the_pdf_invoice(
        self, placed_order, mailoutbox, django_capture_on_commit_callbacks
    ):
        mark_paid(order=placed_order)
        # The email goes through the shared templated-email task once the job commits.
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_confirmation(placed_order.pk) is True
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_confirmation(placed_order.pk) is False  # run twice: one email
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

    def test_the_invoice_series_continues_from_its_shared_counter(self, placed_order):
        from shared.numbering.models import Counter

        year = timezone.now().year
        Counter.objects.create(series=f"invoice-{year}", last_value=41)  # as migrated
        mark_paid(order=placed_order)
        tasks.send_confirmation(placed_order.pk)
        assert Invoice.objects.get(order=placed_order).number == f"INV-{year}-00042"

    def test_not_sent_for_an_unpaid_order(self, placed_order, mailoutbox):
        assert tasks.send_confirmation(placed_order.pk) is False
        assert mailoutbox == [] and not Invoice.objects.exists()

    def test_invoices_are_numbered_in_sequence(self, customer, make_variant, fill_cart, place):
        numbers = []
        for _ in range(3):
            order = place(customer, fill_cart(customer, (make_variant(), 1)))
            mark_paid(order=order)
            tasks.send_confirmation(order.pk)
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
        assert tasks.expire_unpaid_orders() == [placed_order.number]
        assert tasks.expire_unpaid_orders() == []  # run twice: one effect
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
        assert tasks.expire_unpaid_orders() == []


class TestSalesReport:
    def test_built_emailed_to_staff_once_and_downloadable(
        self, placed_order, staff, mailoutbox, page_client_for, django_capture_on_commit_callbacks
    ):
        mark_paid(order=placed_order)
        day = timezone.localdate()
        with django_capture_on_commit_callbacks(execute=True):
            report_id = tasks.send_sales_report(day.isoformat())
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_sales_report(day.isoformat()) == report_id  # run twice
        report = SalesReport.objects.get()
        assert (report.order_count, report.revenue) == (1, Decimal("39.80"))
        header, row = report.csv.strip().splitlines()
        assert header.startswith("number,paid_at") and row.startswith(placed_order.number)
        [email] = mailoutbox
        assert email.to == [staff.email] and email.attachments[0][0] == f"sales-{day}.csv"
        assert email.attachments[0][1] == report.csv  # rebuilt by the attachment builder

        client = page_client_for(staff)
        response = client.get(f"/staff/reports/{day}.csv")
        assert response.status_code == 200 and response.content.decode() == report.csv
        assert client.get("/staff/reports/2026-13-45.csv").status_code == 404

    def test_default_day_is_yesterday(self, db):
        report = SalesReport.objects.get(pk=tasks.send_sales_report())
        assert report.day == timezone.localdate() - timedelta(days=1) and report.order_count == 0


class TestDashboard:
    def test_shows_orders_to_fulfil_low_stock_chart_and_reports(
        self, placed_order, staff, page_client_for, make_variant
    ):
        mark_paid(order=placed_order)
        low = make_variant(quantity=1)
        tasks.send_sales_report(timezone.localdate().isoformat())
        response = page_client_for(staff).get("/staff/")
        assert response.status_code == 200
        assert response.context["to_fulfil"] == [placed_order]
        assert low.sku.encode() in response.content
        chart = response.context["chart"]
        assert len(chart["bars"]) == 30 and chart["total"] == Decimal("39.80")
        assert chart["bars"][-1].height == chart["baseline"]  # today is the peak
        assert b"<svg" in response.content and b"<script" not in response.content
        assert f"/staff/reports/{timezone.localdate()}.csv".encode() in response.content

    def test_the_admin_link_shows_only_to_whom_the_admin_site_lets_in(
        self, staff, page_client_for, make_user, client
    ):
        admin_url = reverse("admin:index")
        shop_staff = page_client_for(staff).get("/staff/")
        assert shop_staff.status_code == 200 and admin_url.encode() not in shop_staff.content
        assert page_client_for(staff).get(admin_url).status_code == 302  # to the admin login
        site_staff = make_user(roles=["staff"], email="site.staff@example.com", is_staff=True)
        assert admin_url.encode() in page_client_for(site_staff).get("/staff/").content

    def test_customers_are_refused(self, customer, page_client_for):
        assert page_client_for(customer).get("/staff/").status_code == 403

    def test_staff_invoice_download(self, placed_order, staff, page_client_for):
        client = page_client_for(staff)
        assert client.get(f"/staff/orders/{placed_order.number}/invoice.pdf").status_code == 302
        mark_paid(order=placed_order)
        tasks.send_confirmation(placed_order.pk)
        assert client.get(f"/staff/orders/{placed_order.number}/invoice.pdf").content.startswith(
            b"%PDF"
        )


# --- The confirmation over real transports ---------------------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.mark.django_db
def test_confirmation_goes_through_a_real_smtp_exchange(
    placed_order, smtp_inbox, django_capture_on_commit_callbacks
):
    mark_paid(order=placed_order)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_confirmation(placed_order.pk) is True

    [(recipients, raw)] = smtp_inbox.messages
    assert recipients == [placed_order.email]
    message = email.message_from_bytes(raw, policy=policy.default)
    assert placed_order.number in message["Subject"]
    [pdf] = [
        part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"
    ]
    invoice = Invoice.objects.get(order=placed_order)
    assert pdf.get_filename() == f"{invoice.number}.pdf"
    assert pdf.get_content().startswith(b"%PDF")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_live_worker_sends_the_confirmation_after_the_webhook(
    live_worker, wait_for, customer, make_variant, fill_cart, place, post_webhook
):
    """Webhook -> order paid -> task enqueued on commit -> a real worker issues the invoice."""
    order = place(customer, fill_cart(customer, (make_variant(), 1)))
    response = post_webhook(order.payment, "pay", http=Client())
    assert response.status_code == 200

    sent = wait_for(
        lambda: Order.objects.filter(pk=order.pk, confirmation_sent_at__isnull=False).first(),
        timeout=30,
    )
    assert Invoice.objects.filter(order=sent).count() == 1
    wait_for(lambda: "orders.send_confirmation[" in live_worker.log(), timeout=10)

"""Order pages (customer and staff). The API routes are registered in config/api.py."""

from datetime import date

from django.urls import path, register_converter

from orders import views


class DayConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError (e.g. 2026-13-45) means "no match": a 404

    def to_url(self, value) -> str:
        return str(value)


class OrderNumberConverter:
    """``SO-2026-000123``. A strict pattern means a malformed number (say, with a NUL byte,
    which PostgreSQL refuses in a query) is a 404 from the resolver, never a database error."""

    regex = r"[A-Z]{2}-\d{4}-\d{6,}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(DayConverter, "day")
register_converter(OrderNumberConverter, "order_number")

app_name = "orders"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.order_history, name="history"),
    path("orders/<order_number:number>/", views.order_detail, name="detail"),
    path("orders/<order_number:number>/pay/", views.pay, name="pay"),
    path("orders/<order_number:number>/confirmation/", views.confirmation, name="confirmation"),
    path("orders/<order_number:number>/cancel/", views.cancel, name="cancel"),
    path("orders/<order_number:number>/invoice.pdf", views.invoice_pdf, name="invoice"),
    path("staff/", views.dashboard, name="staff-dashboard"),
    path("staff/orders/", views.StaffOrderListView.as_view(), name="staff-orders"),
    path("staff/orders/<order_number:number>/", views.staff_order_detail, name="staff-order"),
    path(
        "staff/orders/<order_number:number>/action/",
        views.staff_order_action,
        name="staff-order-action",
    ),
    path(
        "staff/orders/<order_number:number>/invoice.pdf",
        views.staff_invoice_pdf,
        name="staff-invoice",
    ),
    path("staff/reports/<day:day>.csv", views.report_download, name="staff-report"),
]

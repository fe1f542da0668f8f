"""Order pages (customer and staff). The API routes are registered in config/api.py."""

from datetime import date

from django.urls import path, register_converter

from orders import staff_views, views


class DayConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError (e.g. 2026-13-45) means "no match": a 404

    def to_url(self, value) -> str:
        return str(value)


register_converter(DayConverter, "day")

app_name = "orders"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.order_history, name="history"),
    path("orders/<str:number>/", views.order_detail, name="detail"),
    path("orders/<str:number>/pay/", views.pay, name="pay"),
    path("orders/<str:number>/confirmation/", views.confirmation, name="confirmation"),
    path("orders/<str:number>/cancel/", views.cancel, name="cancel"),
    path("orders/<str:number>/invoice.pdf", views.invoice_pdf, name="invoice"),
    path("staff/", staff_views.dashboard, name="staff-dashboard"),
    path("staff/orders/", staff_views.StaffOrderListView.as_view(), name="staff-orders"),
    path("staff/orders/<str:number>/", staff_views.order_detail, name="staff-order"),
    path("staff/orders/<str:number>/action/", staff_views.order_action, name="staff-order-action"),
    path("staff/orders/<str:number>/invoice.pdf", staff_views.invoice_pdf, name="staff-invoice"),
    path("staff/reports/<day:day>.csv", staff_views.report_download, name="staff-report"),
]

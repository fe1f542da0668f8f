"""Billing pages: the desk's invoices and the portal's "my invoices"."""

from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("billing/", views.invoice_list, name="list"),
    path("billing/bill/<int:encounter_pk>/", views.invoice_create, name="create"),
    path("billing/invoices/<int:pk>/", views.invoice_detail, name="detail"),
    path("billing/invoices/<int:pk>/lines/", views.invoice_add_line, name="add-line"),
    path("billing/invoices/<int:pk>/payments/", views.invoice_pay, name="pay"),
    path("billing/invoices/<int:pk>/<slug:action>/", views.invoice_action, name="action"),
    path("portal/invoices/", views.my_invoices, name="my-invoices"),
]

"""The sandbox's hosted payment page (the webhook is an API route, see config/api.py)."""

from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("sandbox/<slug:reference>/", views.sandbox_page, name="sandbox"),
]

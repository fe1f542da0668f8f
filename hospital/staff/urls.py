"""HTML routes of the staff app."""

from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]

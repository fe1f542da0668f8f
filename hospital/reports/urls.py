"""Report pages: request a report, watch its progress, download CSV and PDF."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/download.<str:fmt>", views.report_download, name="download"),
]

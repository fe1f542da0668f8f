"""HTML routes of scheduling."""

from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/patients/<int:pk>/", views.patient, name="patient"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("patients/<int:patient_pk>/book/", views.book, name="book"),
    path("appointments/<int:pk>/<slug:action>/", views.act, name="act"),
    path("schedule/", views.doctor_day, name="doctor-day"),
    path("portal/", views.portal, name="portal"),
    path("portal/book/", views.portal_book, name="portal-book"),
]

"""HTML routes of the patients app (the desk's list and patient page are scheduling's)."""

from django.urls import path

from patients import views

app_name = "patients"

urlpatterns = [
    path("desk/patients/new/", views.register, name="register"),
    path("desk/patients/<int:pk>/edit/", views.edit, name="edit"),
    path("desk/patients/<int:pk>/portal/", views.link_portal, name="link-portal"),
    path("portal/access/", views.my_access_log, name="my-access-log"),
]

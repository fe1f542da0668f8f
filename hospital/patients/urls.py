"""HTML routes of the desk."""

from django.urls import path

from patients import views

app_name = "patients"

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/patients/new/", views.register, name="register"),
    path("desk/patients/<int:pk>/", views.detail, name="detail"),
    path("desk/patients/<int:pk>/edit/", views.edit, name="edit"),
    path("desk/patients/<int:pk>/portal/", views.link_portal, name="link-portal"),
    path("portal/access/", views.my_access_log, name="my-access-log"),
]

"""Certificate pages; /certificates/<code>/ is public."""

from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/<str:code>/", views.verify, name="verify"),
    path("certificates/<str:code>/pdf/", views.certificate_download, name="pdf"),
]

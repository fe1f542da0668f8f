from django.urls import include, path

from shared.web.urls import shared_urlpatterns

urlpatterns = [
    path("lab/", include("shared.tests.project.lab.urls")),
    path("doors/", include("shared.tests.project.doors.urls")),
    *shared_urlpatterns(),
]

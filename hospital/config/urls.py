"""The hospital's URLs: its pages, its API under /api/v1/, then the shared URLs."""

from django.urls import include, path

from config.api import api_urlpatterns
from core import views as core_views
from shared.web.urls import shared_urlpatterns

urlpatterns = [
    path("", core_views.home, name="home"),
    path("", include("patients.urls")),
    path("", include("scheduling.urls")),
    path("", include("reports.urls")),
    path("", include("clinical.urls")),
    path("", include("billing.urls")),
    path("api/v1/", include(api_urlpatterns)),
    *shared_urlpatterns(),
]

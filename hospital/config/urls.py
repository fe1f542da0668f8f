"""The hospital's URLs: its pages, its API under /api/v1/, then the shared URLs."""

from django.urls import include, path

# Each app's api.py registers its viewsets on the router when imported.
import billing.api  # noqa: F401
import clinical.api  # noqa: F401
import patients.api  # noqa: F401
import reports.api  # noqa: F401
import scheduling.api  # noqa: F401
import staff.api  # noqa: F401
from config.api import router
from shared.web.urls import shared_urlpatterns
from staff import views as staff_views

urlpatterns = [
    path("", staff_views.home, name="home"),
    path("", include("patients.urls")),
    path("", include("scheduling.urls")),
    path("", include("staff.urls")),
    path("", include("reports.urls")),
    path("", include("clinical.urls")),
    path("", include("billing.urls")),
    path("api/v1/", include(router.urls)),
    *shared_urlpatterns(),
]

"""The LMS's URLs: its pages, its API under /api/v1/ (config/api.py), then the shared URLs."""

from django.urls import include, path

from config.api import api_urlpatterns
from core.views import favicon, home
from shared.web.urls import shared_urlpatterns

urlpatterns = [
    path("", home, name="home"),
    # Browsers ask for /favicon.ico on pages that name no icon (the shared login page).
    path("favicon.ico", favicon, name="favicon"),
    # The language switcher posts to i18n/setlang/ (Django's set_language view).
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("courses.urls")),
    path("", include("enrollments.urls")),
    path("", include("quizzes.urls")),
    path("", include("assignments.urls")),
    path("", include("certificates.urls")),
    path("", include("gradebook.urls")),
    path("", include("classroom.urls")),
    path("api/v1/", include(api_urlpatterns)),
    *shared_urlpatterns(),
]

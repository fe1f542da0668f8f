"""The URLs every capstone has: admin, accounts pages, auth API, task progress,
API schema and docs, health checks and metrics. A project's urls.py adds its own
routes and then ``*shared_urlpatterns()``."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from shared.web import health


def shared_urlpatterns() -> list:
    patterns = [
        path("admin/", admin.site.urls),
        path("accounts/", include("shared.accounts.urls")),
        path("api/v1/auth/", include("shared.accounts.api_urls")),
        path("", include("shared.tasks.urls")),
        path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
        path("healthz", health.healthz, name="healthz"),
        path("readyz", health.readyz, name="readyz"),
        path("", include("django_prometheus.urls")),  # /metrics
    ]
    if settings.DEBUG_TOOLBAR:
        from debug_toolbar.toolbar import debug_toolbar_urls

        patterns += debug_toolbar_urls()
    return patterns

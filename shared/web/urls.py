"""The URLs every capstone has: admin, accounts pages, auth API, task progress,
API schema and docs, health checks and metrics. A project's urls.py adds its own
routes and then ``*shared_urlpatterns()``."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shared.web import health, views
from shared.web.api import api_not_found


def shared_urlpatterns() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = [
        path("admin/", admin.site.urls),
        path("accounts/", include("shared.accounts.urls")),
        path("api/v1/auth/", include("shared.accounts.api_urls")),
        path("", include("shared.tasks.urls")),
        path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
        # The split view serves Swagger UI's start-up script from its own URL (?script), so
        # the page runs no inline script; its template drops the inline style (CSP). No
        # ReDoc: its styled-components write <style> elements, which the CSP refuses.
        path(
            "api/docs/",
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="shared/api_docs/swagger_ui.html"
            ),
            name="api-docs",
        ),
        path("favicon.ico", views.favicon, name="favicon"),
        path("healthz", health.healthz, name="healthz"),
        path("readyz", health.readyz, name="readyz"),
        path("", include("django_prometheus.urls")),  # /metrics
    ]
    if settings.DEBUG_TOOLBAR:
        from debug_toolbar.toolbar import debug_toolbar_urls

        patterns += debug_toolbar_urls()
    # Last: any other URL under /api/ answers the API's JSON 404, not Django's HTML page.
    patterns.append(re_path(r"^api/", api_not_found, name="api-not-found"))
    return patterns

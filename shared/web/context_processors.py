"""Template context every page needs."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": getattr(settings, "SITE_NAME", "Capstone"),
        # The layout the shared pages (login, register, password, errors) extend: the
        # project's own base, so they show its navigation (Catalog, Cart...) like its pages.
        "SITE_BASE_TEMPLATE": getattr(settings, "SITE_BASE_TEMPLATE", "base.html"),
        "DEBUG_TOOLBAR": settings.DEBUG_TOOLBAR,
        # The login page lists the demo accounts on a laptop (DEBUG), never in production.
        "DEMO_LOGINS": getattr(settings, "DEMO_LOGINS", []) if settings.DEBUG else [],
    }

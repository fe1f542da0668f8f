"""Template context every page needs."""

from django.conf import settings


def site(request) -> dict:
    return {
        "SITE_NAME": getattr(settings, "SITE_NAME", "Capstone"),
        "DEBUG_TOOLBAR": settings.DEBUG_TOOLBAR,
        # The login page lists the demo accounts on a laptop (DEBUG), never in production.
        "DEMO_LOGINS": getattr(settings, "DEMO_LOGINS", []) if settings.DEBUG else [],
    }

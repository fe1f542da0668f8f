"""Template context every page needs."""

from django.conf import settings


def site(request) -> dict:
    return {
        "SITE_NAME": getattr(settings, "SITE_NAME", "Capstone"),
        "DEBUG_TOOLBAR": settings.DEBUG_TOOLBAR,
    }

"""The home page: a door per role, and the demo logins on a laptop."""

from django.conf import settings
from django.shortcuts import render


def home(request):
    """Links to the pages the user's roles can use; the demo logins in DEBUG."""
    demo_logins = settings.DEMO_LOGINS if settings.DEBUG else []
    return render(request, "home.html", {"demo_logins": demo_logins})

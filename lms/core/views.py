"""The home page (what the LMS is, a search box, the newest courses) and the favicon."""

from django.shortcuts import redirect, render
from django.templatetags.static import static

from courses.models import Course


def home(request):
    courses = Course.objects.published().prefetch_related("tags").order_by("-created_at")[:6]
    return render(request, "home.html", {"courses": courses})


def favicon(request):
    """The icon, for the pages that name none (the shared login page): browsers ask anyway.
    Resolved per request: the hashed static name exists only after collectstatic."""
    return redirect(static("lms/favicon.svg"), permanent=True)

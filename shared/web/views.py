"""Small pages every capstone serves: the favicon at the address browsers and bots ask for."""

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """``/favicon.ico`` -> the static icon (pages link the SVG one; old clients ask here).

    A temporary redirect, computed per request: the static URL carries a content hash in
    production (ManifestStaticFilesStorage), so a permanent one would outlive the file."""
    return HttpResponseRedirect(static("shared/favicon.ico"))

"""The capstones' own middleware: Django's counterpart of an Express ``app.use(fn)``.

A middleware wraps every request: code before ``get_response`` runs on the way in, code
after it on the way out, and ``process_exception`` sees what a view raised (Express's
error-handling middleware, ``(err, req, res, next)``). Order matters: settings.MIDDLEWARE
lists them outermost first.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from shared.errors import DomainError
from shared.web.guards import as_domain_error


def client_ip_of(request: HttpRequest) -> str | None:
    """The caller's address, trusting X-Forwarded-For only as far as ``TRUSTED_PROXY_COUNT``.

    Behind nginx, REMOTE_ADDR is nginx. Each trusted proxy appends the address it saw, so
    with N proxies the client is the N-th address from the right; anything further left
    was written by the client and proves nothing. The same rule as django-axes and DRF's
    throttles (both read TRUSTED_PROXY_COUNT), so every part agrees on who is calling.
    """
    proxies: int = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [a.strip() for a in header.split(",")]
        forwarded = [address for address in forwarded if address]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    remote_addr: str | None = request.META.get("REMOTE_ADDR")
    return remote_addr or None


class ClientIPMiddleware:
    """Set ``request.client_ip`` once, for views to hand to services (``client_ip=...``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_ip_of(request)  # type: ignore[attr-defined]
        return self.get_response(request)


class DomainErrorMiddleware:
    """A service's refusal that a page view did not catch becomes a page saying why.

    A button ("Cancel order", "Check in") posts, the view calls the service, the service
    raises ``Conflict("This order is already paid")``: the user sees that sentence with a
    409, not a 500. API views never get here: DRF's exception handler answers them first.
    A database error meaning "value out of range" or "two requests raced, try again" is
    shown the same way (shared.web.guards.as_domain_error).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        exception = as_domain_error(exception) or exception
        if not isinstance(exception, DomainError):
            return None
        back = request.META.get("HTTP_REFERER", "")
        if not back.startswith(request.build_absolute_uri("/")):
            back = ""  # only link back to our own pages
        context = {"error": exception, "back_url": back}
        return render(request, "shared/domain_error.html", context, status=exception.status_code)


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in user sees is kept in a cache: ``Cache-Control: no-store, private``.

    Behind a login, pages and API answers show someone's data (a patient's chart, a
    customer's orders, a student's grades). ``no-store`` tells the browser, and any proxy
    on the way, not to keep a copy: the next person at a shared computer cannot bring the
    page back with the Back button. One middleware, so a page added later cannot forget
    it; a response that already says how to cache itself (``cache_control``,
    ``never_cache``) is left alone, and anonymous pages stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # DRF copies the user it authenticated (a JWT) onto the Django request too.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response

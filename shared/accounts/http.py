"""The request types of views only signed-in users reach, for mypy and the editor.

django-stubs types ``request.user`` as ``User | AnonymousUser``: behind ``@login_required``
it is always a ``User``, which a service's ``by: User`` needs. Annotate such a view's
request with this class (it is only a type: Django still passes its own HttpRequest)::

    @login_required
    def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        services.cancel_order(order_id=pk, by=request.user)

``AuthenticatedRequest`` is the same for a DRF view behind ``IsAuthenticated``.
"""

from django.http import HttpRequest
from rest_framework.request import Request

from shared.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose ``user`` is signed in."""

    user: User


class AuthenticatedRequest(Request):
    """A DRF Request whose ``user`` is signed in."""

    user: User

"""The sandbox provider's hosted payment page.

The webhook endpoint that settles orders is in orders/api.py: what a payment event means for
an order is the orders app's business, and payments never import orders (.importlinter).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from payments import services
from payments.gateway import get_gateway
from payments.models import Payment
from shared.errors import DomainError


@never_cache  # shows a customer's order and amount
def sandbox_page(request, reference: str):
    """Plays the provider's hosted checkout: shows the amount, offers Pay and Decline.

    A real provider's page lives on its own domain; this one only exists with the sandbox.
    Anyone holding the (unguessable) reference may pay, as with a real hosted checkout link.
    """
    if get_gateway().name != "sandbox":
        raise Http404("The sandbox is not the configured payment provider.")
    payment = get_object_or_404(Payment.objects.select_related("order"), reference=reference)
    error, status_code = None, 200
    if request.method == "POST":
        try:
            services.submit_sandbox_choice(
                payment=payment,
                outcome=request.POST.get("outcome", ""),
                webhook_url=request.build_absolute_uri(reverse("payments-webhook")),
            )
        except DomainError as refusal:  # shown on the page itself, with its 400, 409 or 503
            error, status_code = refusal.message, refusal.status_code
        else:
            return redirect(
                _return_address(request)
                or reverse("orders:confirmation", args=[payment.order.number])
            )
    return render(
        request, "payments/sandbox.html", {"payment": payment, "error": error}, status=status_code
    )


def _return_address(request) -> str | None:
    """``?return_to=/app/orders/12``: where the client that sent the customer here wants them
    back (the SPA), as a real provider's success URL. Only an address on this site, so the
    page cannot be used to bounce a customer to somewhere else (an open redirect)."""
    url = request.GET.get("return_to", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None

"""Customer pages: checkout, the payment redirect, confirmation, order history and detail.

Ownership is part of every query (``Order.objects.for_customer(request.user)``), so another
customer's order number gives a 404: we do not even confirm that it exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from cart.services import get_cart
from orders import services
from orders.forms import CheckoutForm
from orders.invoices import render_invoice_pdf
from orders.models import Invoice, Order, OrderStatus
from payments.gateway import get_gateway


@login_required
def checkout(request):
    """GET: the review (lines, totals) and the address form. POST: place the order."""
    cart = get_cart(request)
    if request.method == "POST":
        form = CheckoutForm(request.POST)
        if form.is_valid():
            try:
                order = services.place_order(
                    cart=cart,
                    user=request.user,
                    address=form.address(),
                    coupon_code=form.cleaned_data["coupon_code"] or None,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except services.CheckoutError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return redirect("orders:pay", number=order.number)
    else:
        form = CheckoutForm()
    # Only a validated code reaches the database (raw POST data could hold anything).
    coupon_code = form.cleaned_data.get("coupon_code") if form.is_bound else None
    quote, problem = _review(cart, coupon_code=coupon_code)
    if quote is None and not form.is_bound:
        messages.info(request, problem)
        return redirect("cart:detail")
    status = 400 if form.is_bound else 200
    return render(request, "orders/checkout.html", {"form": form, "quote": quote}, status=status)


def _review(cart, *, coupon_code: str | None) -> tuple[services.Quote | None, str]:
    """The totals to show, with the coupon when it is valid (the form says why when not);
    or no quote and the reason (an empty cart, an item no longer sold)."""
    try:
        return services.quote_cart(cart=cart, coupon_code=coupon_code or None), ""
    except services.CouponError:
        return _review(cart, coupon_code=None)
    except services.CheckoutError as error:
        return None, error.message


@login_required
def pay(request, number: str):
    """Send the customer to the provider's hosted payment page (or to the order if settled)."""
    order = get_object_or_404(
        Order.objects.for_customer(request.user).select_related("payment"), number=number
    )
    payment = getattr(order, "payment", None)
    if order.status != OrderStatus.PENDING_PAYMENT or payment is None:
        return redirect("orders:confirmation", number=order.number)
    return redirect(get_gateway().checkout_url(payment.reference))


@login_required
def confirmation(request, number: str):
    """After the payment page. Until the webhook arrives the order is pending: the page
    refreshes itself every few seconds (a <meta> refresh, no script needed)."""
    order = get_object_or_404(
        Order.objects.for_customer(request.user).with_details(), number=number
    )
    waiting = order.status == OrderStatus.PENDING_PAYMENT
    return render(request, "orders/confirmation.html", {"order": order, "waiting": waiting})


class OrderHistoryView(ListView):
    template_name = "orders/order_list.html"
    context_object_name = "orders"
    paginate_by = 10

    def get_queryset(self):
        return Order.objects.for_customer(self.request.user).with_lines()


order_history = login_required(OrderHistoryView.as_view())


@login_required
def order_detail(request, number: str):
    order = get_object_or_404(
        Order.objects.for_customer(request.user).with_details(), number=number
    )
    return render(request, "orders/order_detail.html", {"order": order})


@require_POST
@login_required
def cancel(request, number: str):
    order = get_object_or_404(
        Order.objects.for_customer(request.user).prefetch_related("lines"), number=number
    )
    try:
        services.cancel_unpaid_order(order=order, by=request.user)
    except services.TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Order {order.number} is cancelled.")
    return redirect("orders:detail", number=order.number)


@login_required
def invoice_pdf(request, number: str):
    invoice = get_object_or_404(
        Invoice.objects.select_related("order"), order__number=number, order__user=request.user
    )
    return pdf_response(invoice)


def pdf_response(invoice: Invoice) -> HttpResponse:
    response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.filename}"'
    return response

"""Order pages: the customer's (checkout, pay, confirmation, history, detail, cancel, invoice)
and the staff's (dashboard, order handling, report downloads).

Every read starts from ``Order.objects.visible_to(request.user)``, so another customer's
order number gives a 404: we do not even confirm that it exists. Every page here shows a
customer's data, so each says ``Cache-Control: no-store`` (``never_cache``): no browser
back-button cache, no shared proxy, keeps a copy. A refused button press
(cancel a paid order) raises a domain error that shared.web.middleware.DomainErrorMiddleware
renders with its 409; only the checkout form catches it, to show it on the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from cart.views import current_cart
from catalog.models import Stock
from core.roles import BACK_OFFICE
from orders import services
from orders.charts import bar_chart, daily_sales
from orders.exceptions import CheckoutError, CouponError
from orders.forms import CheckoutForm, StaffActionForm
from orders.invoices import render_invoice_pdf
from orders.models import Invoice, Order, OrderStatus, SalesReport
from payments.gateway import get_gateway
from shared.accounts.roles import RoleRequiredMixin, role_required
from shared.errors import DomainError
from shared.web.forms import add_domain_error, form_status
from shared.web.pagination import TimedCountPaginator

# --- Customer pages --------------------------------------------------------------------------


@never_cache
@login_required
def checkout(request):
    """GET: the review (lines, totals) and the address form. POST: place the order."""
    cart = current_cart(request)
    if request.method == "POST":
        form = CheckoutForm(request.POST)
        if form.is_valid():
            try:
                order = services.place_order(
                    by=request.user,
                    cart=cart,
                    address=form.address(),
                    coupon_code=form.cleaned_data["coupon_code"] or None,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except DomainError as error:
                add_domain_error(form, error)
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
    return render(
        request, "orders/checkout.html", {"form": form, "quote": quote}, status=form_status(form)
    )


def _review(cart, *, coupon_code: str | None) -> tuple[services.Quote | None, str]:
    """The totals to show, with the coupon when it is valid (the form says why when not);
    or no quote and the reason (an empty cart, an item no longer sold)."""
    try:
        return services.quote_cart(cart=cart, coupon_code=coupon_code or None), ""
    except CouponError:
        return _review(cart, coupon_code=None)
    except CheckoutError as error:
        return None, error.message


@never_cache
@login_required
def pay(request, number: str):
    """Send the customer to the provider's hosted payment page (or to the order if settled)."""
    order = get_object_or_404(
        Order.objects.visible_to(request.user).select_related("payment"), number=number
    )
    payment = getattr(order, "payment", None)
    if order.status != OrderStatus.PENDING_PAYMENT or payment is None:
        return redirect("orders:confirmation", number=order.number)
    return redirect(get_gateway().checkout_url(payment.reference))


@never_cache
@login_required
def confirmation(request, number: str):
    """After the payment page. Until the webhook arrives the order is pending: the page
    refreshes itself every few seconds (a <meta> refresh, no script needed)."""
    order = get_object_or_404(Order.objects.visible_to(request.user).with_details(), number=number)
    waiting = order.status == OrderStatus.PENDING_PAYMENT
    return render(request, "orders/confirmation.html", {"order": order, "waiting": waiting})


class OrderHistoryView(ListView):
    template_name = "orders/order_list.html"
    context_object_name = "orders"
    paginate_by = 10

    def get_queryset(self):
        return Order.objects.visible_to(self.request.user).with_lines()


order_history = never_cache(login_required(OrderHistoryView.as_view()))


@never_cache
@login_required
def order_detail(request, number: str):
    order = get_object_or_404(Order.objects.visible_to(request.user).with_details(), number=number)
    return render(request, "orders/order_detail.html", {"order": order})


@require_POST
@login_required
def cancel(request, number: str):
    """The customer's "Cancel order" button; a paid order is refused (409, by the middleware)."""
    order = get_object_or_404(
        Order.objects.visible_to(request.user).prefetch_related("lines"), number=number
    )
    services.cancel_unpaid_order(order=order, by=request.user)
    messages.success(request, f"Order {order.number} is cancelled.")
    return redirect("orders:detail", number=order.number)


@never_cache
@login_required
def invoice_pdf(request, number: str):
    invoice = get_object_or_404(
        Invoice.objects.select_related("order").filter(
            order__in=Order.objects.visible_to(request.user)
        ),
        order__number=number,
    )
    return pdf_response(invoice)


def pdf_response(invoice: Invoice) -> HttpResponse:
    response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.filename}"'
    return response


# --- Staff pages -----------------------------------------------------------------------------


@never_cache
@role_required(*BACK_OFFICE)
def dashboard(request):
    context = {
        "to_fulfil": list(Order.objects.visible_to(request.user).to_fulfil().with_lines()[:20]),
        "low_stock": list(
            Stock.objects.low().select_related("variant__product").order_by("available_units")[:20]
        ),
        "chart": bar_chart(daily_sales(days=30)),
        "reports": list(SalesReport.objects.defer("csv")[:14]),
    }
    return render(request, "orders/staff/dashboard.html", context)


@method_decorator(never_cache, name="dispatch")
class StaffOrderListView(RoleRequiredMixin, ListView):
    required_roles = BACK_OFFICE
    template_name = "orders/staff/order_list.html"
    context_object_name = "orders"
    paginate_by = 25
    paginator_class = TimedCountPaginator  # every order ever: counted once a minute

    def get_queryset(self):
        orders = Order.objects.visible_to(self.request.user).with_lines()
        status = self.request.GET.get("status")
        if status in OrderStatus.values:
            orders = orders.filter(status=status)
        return orders

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=OrderStatus.choices,
            current_status=self.request.GET.get("status", ""),
            **kwargs,
        )


@never_cache
@role_required(*BACK_OFFICE)
def staff_order_detail(request, number: str):
    order = get_object_or_404(Order.objects.visible_to(request.user).with_details(), number=number)
    return render(request, "orders/staff/order_detail.html", {"order": order})


@require_POST
@role_required(*BACK_OFFICE)
def staff_order_action(request, number: str):
    """A staff button (fulfil, deliver, cancel, refund). A transition the status no longer
    allows is refused with a 409 page (DomainErrorMiddleware); a bad action is a 400."""
    order = get_object_or_404(
        Order.objects.visible_to(request.user).prefetch_related("lines"), number=number
    )
    form = StaffActionForm(request.POST)
    if not form.is_valid():  # a hand-made POST: the page's buttons only send known actions
        raise DomainError("Unknown action.", field="action", code="unknown_action")
    services.apply_staff_action(
        order=order,
        action=form.cleaned_data["action"],
        by=request.user,
        note=form.cleaned_data["note"],
    )
    messages.success(request, f"Order {order.number} is now {order.get_status_display().lower()}.")
    return redirect("orders:staff-order", number=number)


@never_cache
@role_required(*BACK_OFFICE)
def staff_invoice_pdf(request, number: str):
    order = get_object_or_404(
        Order.objects.visible_to(request.user).select_related("invoice"), number=number
    )
    if not hasattr(order, "invoice"):
        messages.error(request, "This order has no invoice yet.")
        return redirect("orders:staff-order", number=number)
    return pdf_response(order.invoice)


@never_cache
@role_required(*BACK_OFFICE)
def report_download(request, day: str):
    report = get_object_or_404(SalesReport, day=day)
    response = HttpResponse(report.csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response

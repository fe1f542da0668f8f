"""Staff pages: the dashboard, order handling (allowed transitions only) and report downloads."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from catalog.models import Stock
from orders import services
from orders.charts import bar_chart, daily_sales
from orders.forms import StaffActionForm
from orders.models import Order, OrderStatus, SalesReport
from orders.views import pdf_response
from shared.accounts.roles import RoleRequiredMixin, role_required


@role_required("staff")
def dashboard(request):
    context = {
        "to_fulfil": list(Order.objects.to_fulfil().with_lines()[:20]),
        "low_stock": list(
            Stock.objects.low().select_related("variant__product").order_by("available_units")[:20]
        ),
        "chart": bar_chart(daily_sales(days=30)),
        "reports": list(SalesReport.objects.defer("csv")[:14]),
    }
    return render(request, "orders/staff/dashboard.html", context)


class StaffOrderListView(RoleRequiredMixin, ListView):
    required_roles = ("staff",)
    template_name = "orders/staff/order_list.html"
    context_object_name = "orders"
    paginate_by = 25

    def get_queryset(self):
        orders = Order.objects.with_lines()
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


@role_required("staff")
def order_detail(request, number: str):
    order = get_object_or_404(Order.objects.with_details(), number=number)
    return render(request, "orders/staff/order_detail.html", {"order": order})


@require_POST
@role_required("staff")
def order_action(request, number: str):
    order = get_object_or_404(Order.objects.prefetch_related("lines"), number=number)
    form = StaffActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Unknown action.")
        return redirect("orders:staff-order", number=number)
    action = form.cleaned_data["action"]
    try:
        services.apply_staff_action(
            order=order, action=action, by=request.user, note=form.cleaned_data["note"]
        )
    except services.TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Order {order.number} is now {order.get_status_display().lower()}."
        )
    return redirect("orders:staff-order", number=number)


@role_required("staff")
def invoice_pdf(request, number: str):
    order = get_object_or_404(Order.objects.select_related("invoice"), number=number)
    if not hasattr(order, "invoice"):
        messages.error(request, "This order has no invoice yet.")
        return redirect("orders:staff-order", number=number)
    return pdf_response(order.invoice)


@role_required("staff")
def report_download(request, day: str):
    report = get_object_or_404(SalesReport, day=day)
    response = HttpResponse(report.csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response

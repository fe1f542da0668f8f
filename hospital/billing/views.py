"""Billing pages: the desk's invoice list and invoice page, and the portal's "my invoices"."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from billing import services
from billing.forms import InvoiceFilterForm, InvoiceLineForm, PaymentForm
from billing.models import Invoice
from billing.services import LineInput
from clinical.models import Encounter
from core.roles import BILLING, PATIENT
from patients.models import AccessAction
from patients.services import log_access
from shared.accounts.roles import role_required
from shared.errors import DomainError
from shared.web.forms import add_domain_error


def _invoice(request, pk: int) -> Invoice:
    return get_object_or_404(Invoice.objects.visible_to(request.user).with_details(), pk=pk)


@role_required(*BILLING)
def invoice_list(request):
    """Invoices (filter by status) and the recent visits that have no invoice yet."""
    filters = InvoiceFilterForm(request.GET or None)
    invoices = Invoice.objects.visible_to(request.user).with_related()
    if filters.is_valid() and filters.cleaned_data["status"]:
        invoices = invoices.filter(status=filters.cleaned_data["status"])
    unbilled = (
        Encounter.objects.filter(~Exists(Invoice.objects.filter(encounter=OuterRef("pk"))))
        .select_related("patient", "doctor__profile__user")
        .order_by("-opened_at")[:20]
    )
    return render(
        request,
        "billing/invoice_list.html",
        {"invoices": invoices[:100], "filters": filters, "unbilled": unbilled},
    )


@require_POST
@role_required(*BILLING)
def invoice_create(request, encounter_pk: int):
    encounter = get_object_or_404(Encounter.objects.select_related("patient"), pk=encounter_pk)
    invoice = services.create_invoice(
        by=request.user, encounter=encounter, client_ip=request.client_ip
    )
    messages.success(request, "Draft invoice created: add its lines, then issue it.")
    return redirect("billing:detail", pk=invoice.pk)


@role_required(*BILLING, PATIENT)
def invoice_detail(request, pk: int):
    """The invoice page; the desk's forms appear only for the billing roles."""
    invoice = _invoice(request, pk)
    log_access(
        user=request.user,
        patient=invoice.patient,
        action=AccessAction.READ,
        obj=invoice,
        client_ip=request.client_ip,
    )
    context = {
        "invoice": invoice,
        "can_bill": services.can_bill(request.user),
        "line_form": InvoiceLineForm(),
        "payment_form": PaymentForm(initial={"amount": invoice.balance}),
    }
    return render(request, "billing/invoice_detail.html", context)


def _render_with_errors(request, invoice: Invoice, **forms):
    context = {
        "invoice": invoice,
        "can_bill": True,
        "line_form": InvoiceLineForm(),
        "payment_form": PaymentForm(initial={"amount": invoice.balance}),
        **forms,
    }
    return render(request, "billing/invoice_detail.html", context, status=400)


@require_POST
@role_required(*BILLING)
def invoice_add_line(request, pk: int):
    invoice = _invoice(request, pk)
    form = InvoiceLineForm(request.POST)
    if form.is_valid():
        try:
            services.add_line(
                by=request.user,
                invoice=invoice,
                line=LineInput(**form.cleaned_data),
                client_ip=request.client_ip,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("billing:detail", pk=invoice.pk)
    return _render_with_errors(request, invoice, line_form=form)


@require_POST
@role_required(*BILLING)
def invoice_pay(request, pk: int):
    invoice = _invoice(request, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.record_payment(
                by=request.user, invoice=invoice, client_ip=request.client_ip, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Payment recorded.")
            return redirect("billing:detail", pk=invoice.pk)
    invoice.refresh_from_db()
    return _render_with_errors(request, invoice, payment_form=form)


# Status changes without input: one POST each, the same shape.
STATUS_ACTIONS = {"issue": services.issue_invoice, "void": services.void_invoice}


@require_POST
@role_required(*BILLING)
def invoice_action(request, pk: int, action: str):
    """Issue or void: a refusal is answered by DomainErrorMiddleware with its message (409)."""
    invoice = _invoice(request, pk)
    service = STATUS_ACTIONS.get(action)
    if service is None:
        return redirect("billing:detail", pk=invoice.pk)
    invoice = service(by=request.user, invoice=invoice, client_ip=request.client_ip)
    messages.success(request, f"Invoice {invoice.number}: {invoice.get_status_display().lower()}.")
    return redirect("billing:detail", pk=invoice.pk)


@role_required(PATIENT)
def my_invoices(request):
    """The portal: the patient's own issued, paid and void invoices."""
    invoices = Invoice.objects.visible_to(request.user).with_related()
    return render(request, "billing/my_invoices.html", {"invoices": invoices})

"""Billing use cases: draft an invoice for a visit, add lines, issue it, take payments, void it.

The status machine: draft -> issued -> paid, and issued (nothing paid yet) -> void.
Every change of status is a conditional UPDATE whose WHERE clause names the status
it expects, so two clerks clicking at once cannot both win.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Sum, Value, When
from django.http import HttpRequest
from django.utils import timezone

from billing.models import BILLING_ROLES, ZERO, Invoice, InvoiceLine, InvoiceSequence, Payment
from patients.models import AccessAction
from patients.services import log_access
from shared.accounts.roles import user_has_role

CENT = Decimal("0.01")


def can_bill(user) -> bool:
    return user_has_role(user, *BILLING_ROLES)


def _require_billing(user) -> None:
    if not can_bill(user):
        raise PermissionDenied("Only the front desk and administrators handle invoices.")


def _money(value: Decimal, field: str) -> Decimal:
    """Round to the cent; refuse a negative or absurd amount with a field message."""
    if value is None:
        raise ValidationError({field: "Enter an amount."})
    value = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValidationError({field: "The amount cannot be negative."})
    if value >= Decimal("100000000"):
        raise ValidationError({field: "The amount is too large."})
    return value


def _log_write(*, by, invoice: Invoice, request: HttpRequest | None, obj=None) -> None:
    log_access(
        user=by,
        patient=invoice.patient,
        action=AccessAction.WRITE,
        obj=obj or invoice,
        request=request,
    )


@dataclass(frozen=True)
class LineInput:
    description: str
    unit_price: Decimal
    quantity: int = 1


@transaction.atomic
def create_invoice(
    *, by, encounter, lines: list[LineInput] = (), request: HttpRequest | None = None
) -> Invoice:
    """A draft invoice for one visit, with its first lines."""
    _require_billing(by)
    invoice = Invoice.objects.create(patient=encounter.patient, encounter=encounter, created_by=by)
    for line in lines:
        _add_line(invoice, line)
    _recompute_total(invoice)
    _log_write(by=by, invoice=invoice, request=request)
    return invoice


def _add_line(invoice: Invoice, line: LineInput) -> InvoiceLine:
    description = (line.description or "").strip()
    if not description:
        raise ValidationError({"description": "Describe what is billed."})
    if line.quantity is None or line.quantity < 1:
        raise ValidationError({"quantity": "The quantity is at least 1."})
    unit_price = _money(line.unit_price, "unit_price")
    return InvoiceLine.objects.create(
        invoice=invoice,
        description=description,
        quantity=line.quantity,
        unit_price=unit_price,
        amount=unit_price * line.quantity,
    )


def _recompute_total(invoice: Invoice) -> None:
    invoice.total = invoice.lines.aggregate(total=Sum("amount"))["total"] or ZERO
    Invoice.objects.filter(pk=invoice.pk, status=Invoice.Status.DRAFT).update(total=invoice.total)


def _locked(invoice: Invoice) -> Invoice:
    """The invoice row, locked for the rest of the transaction (SELECT ... FOR UPDATE)."""
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


@transaction.atomic
def add_line(
    *, by, invoice: Invoice, line: LineInput, request: HttpRequest | None = None
) -> InvoiceLine:
    """Add a line to a draft; issued invoices are frozen (send a new invoice instead)."""
    _require_billing(by)
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise ValidationError("Only a draft invoice can change; this one is already issued.")
    created = _add_line(invoice, line)
    _recompute_total(invoice)
    _log_write(by=by, invoice=invoice, request=request, obj=created)
    return created


def _next_number(year: int) -> str:
    """The next gap-free number of ``year``, taken under a row lock on the year's counter."""
    InvoiceSequence.objects.get_or_create(year=year)
    sequence = InvoiceSequence.objects.select_for_update().get(pk=year)
    sequence.last_number = F("last_number") + 1
    sequence.save(update_fields=["last_number"])
    sequence.refresh_from_db(fields=["last_number"])
    return f"INV-{year}-{sequence.last_number:06d}"


@transaction.atomic
def issue_invoice(*, by, invoice: Invoice, request: HttpRequest | None = None) -> Invoice:
    """Give the draft its number and send it to the patient (it appears in the portal)."""
    _require_billing(by)
    # Lock order, always the same: the invoice, then the year's counter.
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise ValidationError("This invoice is already issued.")
    if invoice.total <= 0:
        raise ValidationError("Add at least one line with a price before issuing.")
    now = timezone.now()
    invoice.number = _next_number(now.year)
    invoice.status, invoice.issued_at = Invoice.Status.ISSUED, now
    invoice.save(update_fields=["number", "status", "issued_at"])
    _log_write(by=by, invoice=invoice, request=request)
    return invoice


@transaction.atomic
def record_payment(
    *,
    by,
    invoice: Invoice,
    amount: Decimal,
    method: str,
    reference: str = "",
    request: HttpRequest | None = None,
) -> Payment:
    """Apply a payment to an issued invoice; it may not exceed the balance.

    One conditional UPDATE does the check and the write together:
    ``SET amount_paid = amount_paid + x WHERE status = 'issued' AND amount_paid + x <= total``.
    PostgreSQL locks the row while updating it, and a concurrent payment re-checks the
    WHERE clause against the new balance once the first one commits, so two payments
    of 60 on a balance of 100 can never both pass. The invoice turns "paid" in the
    same statement when the balance reaches zero.
    """
    _require_billing(by)
    amount = _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": "A payment is more than zero."})
    if method not in Payment.Method.values:
        raise ValidationError({"method": "Choose how the patient paid."})
    settles = Case(
        When(total=F("amount_paid") + amount, then=Value(Invoice.Status.PAID)),
        default=Value(Invoice.Status.ISSUED),
    )
    applied = Invoice.objects.filter(
        pk=invoice.pk, status=Invoice.Status.ISSUED, amount_paid__lte=F("total") - amount
    ).update(amount_paid=F("amount_paid") + amount, status=settles)
    if not applied:
        invoice.refresh_from_db()
        if invoice.status != Invoice.Status.ISSUED:
            raise ValidationError(
                f"A {invoice.get_status_display().lower()} invoice takes no payment."
            )
        raise ValidationError({"amount": f"The payment exceeds the balance of {invoice.balance}."})
    payment = Payment.objects.create(
        invoice=invoice, amount=amount, method=method, reference=reference.strip(), received_by=by
    )
    invoice.refresh_from_db()
    _log_write(by=by, invoice=invoice, request=request, obj=payment)
    return payment


@transaction.atomic
def void_invoice(*, by, invoice: Invoice, request: HttpRequest | None = None) -> Invoice:
    """Cancel an issued invoice on which nothing was paid (its number stays used)."""
    _require_billing(by)
    now = timezone.now()
    voided = Invoice.objects.filter(
        pk=invoice.pk, status=Invoice.Status.ISSUED, amount_paid=0
    ).update(status=Invoice.Status.VOID, voided_at=now)
    if not voided:
        raise ValidationError("Only an issued invoice with no payment can be voided.")
    invoice.refresh_from_db()
    _log_write(by=by, invoice=invoice, request=request)
    return invoice

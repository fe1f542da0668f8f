"""Billing use cases: draft an invoice for a visit, add lines, issue it, take payments, void it.

The status machine: draft -> issued -> paid, and issued (nothing paid yet) -> void.
Every change of status is a conditional UPDATE whose WHERE clause names the status
it expects, so two clerks clicking at once cannot both win.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, F, Sum, Value, When
from django.utils import timezone

from billing.models import ZERO, Invoice, InvoiceLine, Payment
from clinical.models import Encounter
from core.roles import BILLING
from patients.models import AccessAction
from patients.services import log_access
from shared.accounts.models import User
from shared.accounts.roles import user_has_role
from shared.errors import Conflict, DomainError
from shared.numbering.services import next_number

CENT = Decimal("0.01")
# The largest amount the money columns hold (DecimalField(max_digits=10, decimal_places=2)):
# anything larger would be a database error (a 500), so the service refuses it first.
_amount = InvoiceLine._meta.get_field("amount")
MONEY_MAX = Decimal(10) ** (_amount.max_digits - _amount.decimal_places) - CENT
# A line's quantity: as many as the forms and the API accept.
QUANTITY_MAX = 1000


def can_bill(user: User) -> bool:
    return user_has_role(user, *BILLING)


def _require_billing(user: User) -> None:
    if not can_bill(user):
        raise PermissionDenied("Only the front desk and administrators handle invoices.")


def _money(value: Decimal | None, field: str) -> Decimal:
    """Round to the cent; refuse a negative or absurd amount with a field message."""
    if value is None:
        raise DomainError("Enter an amount.", field=field, code="required")
    value = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    if value < 0:
        raise DomainError("The amount cannot be negative.", field=field, code="negative")
    if value > MONEY_MAX:
        raise DomainError(f"The amount is at most {MONEY_MAX}.", field=field, code="too_large")
    return value


def _log_write(*, by: User, invoice: Invoice, client_ip: str | None, obj: object = None) -> None:
    log_access(
        user=by,
        patient=invoice.patient,
        action=AccessAction.WRITE,
        obj=obj or invoice,
        client_ip=client_ip,
    )


@dataclass(frozen=True)
class LineInput:
    description: str
    unit_price: Decimal
    quantity: int = 1


@transaction.atomic
def create_invoice(
    *,
    by: User,
    encounter: Encounter,
    lines: Sequence[LineInput] = (),
    client_ip: str | None = None,
) -> Invoice:
    """A draft invoice for one visit, with its first lines."""
    _require_billing(by)
    invoice = Invoice.objects.create(patient=encounter.patient, encounter=encounter, created_by=by)
    for line in lines:
        _add_line(invoice, line)
    _recompute_total(invoice)
    _log_write(by=by, invoice=invoice, client_ip=client_ip)
    return invoice


def _add_line(invoice: Invoice, line: LineInput) -> InvoiceLine:
    description = (line.description or "").strip()
    if not description:
        raise DomainError("Describe what is billed.", field="description", code="required")
    if line.quantity is None or line.quantity < 1:
        raise DomainError("The quantity is at least 1.", field="quantity", code="min_value")
    if line.quantity > QUANTITY_MAX:
        raise DomainError(
            f"The quantity is at most {QUANTITY_MAX}.", field="quantity", code="max_value"
        )
    unit_price = _money(line.unit_price, "unit_price")
    amount = unit_price * line.quantity
    if amount > MONEY_MAX:
        raise DomainError(
            f"The line comes to {amount}; a line is at most {MONEY_MAX}.",
            field="quantity",
            code="too_large",
        )
    so_far = invoice.lines.aggregate(total=Sum("amount"))["total"] or ZERO
    if so_far + amount > MONEY_MAX:
        raise DomainError(
            f"The invoice would come to {so_far + amount}; an invoice is at most {MONEY_MAX}.",
            field="unit_price",
            code="total_too_large",
        )
    return InvoiceLine.objects.create(
        invoice=invoice,
        description=description,
        quantity=line.quantity,
        unit_price=unit_price,
        amount=amount,
    )


def _recompute_total(invoice: Invoice) -> None:
    invoice.total = invoice.lines.aggregate(total=Sum("amount"))["total"] or ZERO
    Invoice.objects.filter(pk=invoice.pk, status=Invoice.Status.DRAFT).update(total=invoice.total)


def _locked(invoice: Invoice) -> Invoice:
    """The invoice row, locked for the rest of the transaction (SELECT ... FOR UPDATE)."""
    locked: Invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    return locked


@transaction.atomic
def add_line(
    *, by: User, invoice: Invoice, line: LineInput, client_ip: str | None = None
) -> InvoiceLine:
    """Add a line to a draft; issued invoices are frozen (send a new invoice instead)."""
    _require_billing(by)
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise Conflict(
            "Only a draft invoice can change; this one is already issued.", code="not_draft"
        )
    created = _add_line(invoice, line)
    _recompute_total(invoice)
    _log_write(by=by, invoice=invoice, client_ip=client_ip, obj=created)
    return created


def _next_number(year: int) -> str:
    """The next gap-free number of ``year``: the series' counter row stays locked until
    the caller's transaction ends, so a rollback gives the number back."""
    return f"INV-{year}-{next_number(f'invoice-{year}'):06d}"


@transaction.atomic
def issue_invoice(*, by: User, invoice: Invoice, client_ip: str | None = None) -> Invoice:
    """Give the draft its number and send it to the patient (it appears in the portal)."""
    _require_billing(by)
    # Lock order, always the same: the invoice, then the year's counter.
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise Conflict("This invoice is already issued.", code="not_draft")
    if invoice.total <= 0:
        raise Conflict("Add at least one line with a price before issuing.", code="empty")
    now = timezone.now()
    invoice.number = _next_number(now.year)
    invoice.status, invoice.issued_at = Invoice.Status.ISSUED, now
    invoice.save(update_fields=["number", "status", "issued_at"])
    _log_write(by=by, invoice=invoice, client_ip=client_ip)
    return invoice


@transaction.atomic
def record_payment(
    *,
    by: User,
    invoice: Invoice,
    amount: Decimal,
    method: str,
    reference: str = "",
    client_ip: str | None = None,
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
        raise DomainError("A payment is more than zero.", field="amount", code="min_value")
    if method not in Payment.Method.values:
        raise DomainError("Choose how the patient paid.", field="method", code="invalid_choice")
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
            raise Conflict(
                f"A {invoice.get_status_display().lower()} invoice takes no payment.",
                code="not_issued",
            )
        raise Conflict(
            f"The payment exceeds the balance of {invoice.balance}.",
            field="amount",
            code="exceeds_balance",
        )
    payment = Payment.objects.create(
        invoice=invoice, amount=amount, method=method, reference=reference.strip(), received_by=by
    )
    invoice.refresh_from_db()
    _log_write(by=by, invoice=invoice, client_ip=client_ip, obj=payment)
    return payment


@transaction.atomic
def void_invoice(*, by: User, invoice: Invoice, client_ip: str | None = None) -> Invoice:
    """Cancel an issued invoice on which nothing was paid (its number stays used)."""
    _require_billing(by)
    now = timezone.now()
    voided = Invoice.objects.filter(
        pk=invoice.pk, status=Invoice.Status.ISSUED, amount_paid=0
    ).update(status=Invoice.Status.VOID, voided_at=now)
    if not voided:
        raise Conflict("Only an issued invoice with no payment can be voided.", code="not_voidable")
    invoice.refresh_from_db()
    _log_write(by=by, invoice=invoice, client_ip=client_ip)
    return invoice

"""Billing rules through the services: totals in Decimal, numbering, payments within the balance."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from billing import services
from billing.models import Invoice, Payment
from billing.services import LineInput
from patients.models import AccessLog
from shared.errors import Conflict, DomainError

CONSULTATION = LineInput(description="Consultation", unit_price=Decimal("80.00"))
BLOOD_TEST = LineInput(description="Blood test", unit_price=Decimal("12.35"), quantity=2)


@pytest.fixture
def issued(ward):
    invoice = services.create_invoice(
        by=ward.receptionist, encounter=ward.encounter, lines=[CONSULTATION, BLOOD_TEST]
    )
    return services.issue_invoice(by=ward.receptionist, invoice=invoice)


def test_an_invoice_adds_up_to_the_cent(ward):
    invoice = services.create_invoice(
        by=ward.receptionist, encounter=ward.encounter, lines=[CONSULTATION]
    )
    services.add_line(
        by=ward.receptionist,
        invoice=invoice,
        line=LineInput(description="Dressing", unit_price=Decimal("0.10"), quantity=3),
    )
    invoice.refresh_from_db()
    assert invoice.total == Decimal("80.30")
    assert invoice.status == Invoice.Status.DRAFT and invoice.number is None
    assert (
        AccessLog.objects.filter(patient=ward.patient, object_type__startswith="billing.").count()
        == 2
    )


def test_issuing_gives_gap_free_numbers_and_freezes_the_lines(ward, issued):
    assert issued.status == Invoice.Status.ISSUED
    year = issued.issued_at.year
    assert issued.number == f"INV-{year}-000001"
    second = services.create_invoice(by=ward.admin, encounter=ward.encounter, lines=[CONSULTATION])
    assert services.issue_invoice(by=ward.admin, invoice=second).number == f"INV-{year}-000002"
    with pytest.raises(Conflict):
        services.add_line(by=ward.receptionist, invoice=issued, line=CONSULTATION)
    with pytest.raises(Conflict):
        services.issue_invoice(by=ward.receptionist, invoice=issued)


def test_an_empty_invoice_cannot_be_issued(ward):
    invoice = services.create_invoice(by=ward.receptionist, encounter=ward.encounter)
    with pytest.raises(Conflict):
        services.issue_invoice(by=ward.receptionist, invoice=invoice)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (LineInput(description=" ", unit_price=Decimal("1")), "description"),
        (LineInput(description="x", unit_price=Decimal("1"), quantity=0), "quantity"),
        (LineInput(description="x", unit_price=Decimal("-1")), "unit_price"),
        (LineInput(description="x", unit_price=Decimal("1e9")), "unit_price"),
        (LineInput(description="x", unit_price=None), "unit_price"),
    ],
)
def test_bad_lines_get_a_field_message(ward, line, field):
    with pytest.raises(DomainError) as caught:
        services.create_invoice(by=ward.receptionist, encounter=ward.encounter, lines=[line])
    assert caught.value.field == field
    assert not Invoice.objects.exists()


def test_payments_settle_the_invoice_and_never_exceed_the_balance(ward, issued):
    assert issued.total == Decimal("104.70")
    services.record_payment(
        by=ward.receptionist, invoice=issued, amount=Decimal("100"), method="card"
    )
    with pytest.raises(DomainError) as caught:
        services.record_payment(
            by=ward.receptionist, invoice=issued, amount=Decimal("4.71"), method="cash"
        )
    assert caught.value.field == "amount" and "4.70" in caught.value.message
    assert caught.value.status_code == 409
    services.record_payment(
        by=ward.receptionist, invoice=issued, amount=Decimal("4.70"), method="cash"
    )
    issued.refresh_from_db()
    assert (issued.status, issued.amount_paid, issued.balance) == (
        "paid",
        Decimal("104.70"),
        Decimal("0"),
    )
    with pytest.raises(Conflict):
        services.record_payment(
            by=ward.receptionist, invoice=issued, amount=Decimal("1"), method="cash"
        )
    assert Payment.objects.filter(invoice=issued).count() == 2


@pytest.mark.parametrize(
    ("amount", "method"), [(Decimal("0"), "cash"), (Decimal("-5"), "cash"), (Decimal("5"), "gold")]
)
def test_bad_payments_are_refused(ward, issued, amount, method):
    with pytest.raises(DomainError) as caught:
        services.record_payment(by=ward.receptionist, invoice=issued, amount=amount, method=method)
    assert caught.value.status_code == 400
    assert not Payment.objects.exists()


def test_a_draft_takes_no_payment(ward):
    draft = services.create_invoice(
        by=ward.receptionist, encounter=ward.encounter, lines=[CONSULTATION]
    )
    with pytest.raises(Conflict):
        services.record_payment(
            by=ward.receptionist, invoice=draft, amount=Decimal("1"), method="cash"
        )


def test_void_only_unpaid_issued_invoices(ward, issued):
    draft = services.create_invoice(
        by=ward.receptionist, encounter=ward.encounter, lines=[CONSULTATION]
    )
    with pytest.raises(Conflict):
        services.void_invoice(by=ward.receptionist, invoice=draft)
    services.record_payment(
        by=ward.receptionist, invoice=issued, amount=Decimal("1"), method="cash"
    )
    with pytest.raises(Conflict):
        services.void_invoice(by=ward.receptionist, invoice=issued)
    services.issue_invoice(by=ward.receptionist, invoice=draft)
    voided = services.void_invoice(by=ward.admin, invoice=draft)
    assert voided.status == Invoice.Status.VOID and voided.voided_at is not None


@pytest.mark.parametrize("who", ["nurse", "doctor_user", "patient_user"])
def test_only_the_desk_and_admins_bill(ward, issued, who):
    user = getattr(ward, who)
    with pytest.raises(PermissionDenied):
        services.create_invoice(by=user, encounter=ward.encounter)
    with pytest.raises(PermissionDenied):
        services.record_payment(by=user, invoice=issued, amount=Decimal("1"), method="cash")


def test_the_database_refuses_overpayment_whatever_the_code_path(ward, issued):
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=issued.pk).update(amount_paid=issued.total + 1)


def test_visibility_of_invoices(ward, issued):
    draft = services.create_invoice(
        by=ward.receptionist, encounter=ward.encounter, lines=[CONSULTATION]
    )
    assert set(Invoice.objects.visible_to(ward.receptionist)) == {issued, draft}
    assert set(Invoice.objects.visible_to(ward.admin)) == {issued, draft}
    assert list(Invoice.objects.visible_to(ward.patient_user)) == [issued]  # drafts stay in-house
    assert not Invoice.objects.visible_to(ward.doctor_user).exists()
    assert not Invoice.objects.visible_to(ward.nurse).exists()


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        # One line whose amount overflows the column (quantity x price).
        ([LineInput(description="MRI", unit_price=Decimal("99999999.99"), quantity=2)], "quantity"),
        # Each line fits, their total does not.
        (
            [
                LineInput(description="Ward", unit_price=Decimal("60000000.00")),
                LineInput(description="Theatre", unit_price=Decimal("60000000.00")),
            ],
            "unit_price",
        ),
        ([LineInput(description="Pills", unit_price=Decimal("1"), quantity=10**10)], "quantity"),
    ],
)
def test_money_and_quantities_are_checked_against_their_columns(ward, lines, field):
    with pytest.raises(DomainError) as caught:
        services.create_invoice(by=ward.receptionist, encounter=ward.encounter, lines=lines)
    assert caught.value.field == field and caught.value.status_code == 400
    assert not Invoice.objects.exists()

"""Billing races on real PostgreSQL: parallel payments and parallel numbering."""

from decimal import Decimal

import pytest

from billing import services
from billing.models import Invoice, Payment
from billing.services import LineInput

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_payments_never_exceed_the_balance(ward, concurrently):
    invoice = services.create_invoice(
        by=ward.receptionist,
        encounter=ward.encounter,
        lines=[LineInput(description="Surgery", unit_price=Decimal("100.00"))],
    )
    services.issue_invoice(by=ward.receptionist, invoice=invoice)

    def pay():
        return services.record_payment(
            by=ward.receptionist,
            invoice=Invoice.objects.get(pk=invoice.pk),
            amount=Decimal("30"),
            method="card",
        )

    outcomes = concurrently(*[pay for _ in range(5)])
    assert sum(outcome.error is None for outcome in outcomes) == 3  # 3 x 30 <= 100 < 4 x 30
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("90.00") == sum(p.amount for p in Payment.objects.all())
    assert invoice.status == Invoice.Status.ISSUED


def test_parallel_issuing_gives_distinct_gap_free_numbers(ward, concurrently):
    drafts = [
        services.create_invoice(
            by=ward.receptionist,
            encounter=ward.encounter,
            lines=[LineInput(description="Visit", unit_price=Decimal("10"))],
        )
        for _ in range(4)
    ]
    outcomes = concurrently(
        *[
            lambda d=draft: services.issue_invoice(by=ward.receptionist, invoice=d)
            for draft in drafts
        ]
    )
    assert [o.error for o in outcomes] == [None] * 4
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == [1, 2, 3, 4]

"""The billing app's demo data (``seed_demo``, called by core's `manage.py seed_demo`):
every closed visit without an invoice gets one, issued through the services; every other
one is paid in full, the rest half paid."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef

from billing import services
from billing.models import Invoice
from billing.services import LineInput
from clinical.models import Encounter
from core.roles import RECEPTIONIST
from staff.seed import demo_user

LINES = [
    LineInput(description="Consultation", unit_price=Decimal("85.00")),
    LineInput(description="Blood test (haemoglobin)", unit_price=Decimal("12.50")),
]


@transaction.atomic
def seed_demo() -> None:
    clerk = demo_user(RECEPTIONIST)
    unbilled = (
        Encounter.objects.filter(closed_at__isnull=False, appointment__isnull=False)
        .filter(~Exists(Invoice.objects.filter(encounter=OuterRef("pk"))))
        .order_by("opened_at")
    )
    for index, encounter in enumerate(unbilled.select_related("patient")):
        invoice = services.create_invoice(by=clerk, encounter=encounter, lines=LINES)
        invoice = services.issue_invoice(by=clerk, invoice=invoice)
        amount = invoice.total if index % 2 == 0 else (invoice.total / 2).quantize(Decimal("0.01"))
        services.record_payment(by=clerk, invoice=invoice, amount=amount, method="card")

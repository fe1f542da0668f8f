"""The demo seed adds visits with records and invoices, once."""

import io

from django.core.management import call_command

from billing.models import Invoice
from clinical.models import Encounter, LabResult, Observation


def test_seed_demo_adds_records_and_invoices_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    encounters = Encounter.objects.count()
    assert encounters >= 5
    assert Observation.objects.filter(supersedes__isnull=False).count() == encounters
    assert LabResult.objects.filter(abnormal=True).count() == encounters
    assert Invoice.objects.exclude(number=None).count() == encounters
    assert (
        Invoice.objects.filter(status="paid").exists()
        and Invoice.objects.filter(status="issued").exists()
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert Encounter.objects.count() == encounters and Invoice.objects.count() == encounters

"""The admin is a door too: append-only records are read-only there."""

from django.urls import reverse

from billing import services as billing
from billing.services import LineInput
from clinical.models import Observation
from clinical.tests.factories import LabResultFactory, ObservationFactory, PrescriptionItemFactory


def test_admin_lists_and_shows_records_read_only(ward, client, django_user_model):
    from decimal import Decimal

    superuser = django_user_model.objects.create_superuser(email="root@h.example", password="x")
    client.force_login(superuser)
    observation = ObservationFactory(encounter=ward.encounter)
    LabResultFactory(order__encounter=ward.encounter)
    PrescriptionItemFactory(prescription__encounter=ward.encounter)
    invoice = billing.create_invoice(
        by=ward.receptionist,
        encounter=ward.encounter,
        lines=[LineInput(description="A", unit_price=Decimal("1"))],
    )
    for name in ["encounter", "observation", "labresult", "laborder", "prescription"]:
        assert client.get(reverse(f"admin:clinical_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:billing_invoice_changelist")).status_code == 200
    assert client.get(reverse("admin:billing_invoice_change", args=[invoice.pk])).status_code == 200
    assert client.get(reverse("admin:reports_departmentreport_changelist")).status_code == 200
    page = client.get(reverse("admin:clinical_observation_change", args=[observation.pk]))
    assert page.status_code == 200 and b'name="value"' not in page.content  # shown, not editable
    assert client.get(reverse("admin:clinical_observation_add")).status_code == 403
    response = client.post(
        reverse("admin:clinical_observation_delete", args=[observation.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Observation.objects.filter(pk=observation.pk).exists()

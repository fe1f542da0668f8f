"""factory_boy factories for billing."""

from decimal import Decimal

import factory

from billing.models import Invoice, InvoiceLine
from clinical.tests.factories import EncounterFactory
from shared.testing.factories import UserFactory


class InvoiceFactory(factory.django.DjangoModelFactory):
    """A draft invoice for a visit; use the services to issue and pay it."""

    class Meta:
        model = Invoice

    encounter = factory.SubFactory(EncounterFactory)
    patient = factory.LazyAttribute(lambda o: o.encounter.patient)
    created_by = factory.SubFactory(UserFactory, roles=["receptionist"])


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    description = "Consultation"
    quantity = 1
    unit_price = Decimal("80.00")
    amount = factory.LazyAttribute(lambda o: o.unit_price * o.quantity)

"""factory_boy factories for clinical records: rows written directly (the rules are tested
through the services)."""

from decimal import Decimal

import factory

from clinical.models import (
    Encounter,
    LabOrder,
    LabResult,
    Observation,
    Prescription,
    PrescriptionItem,
)
from patients.tests.factories import PatientFactory
from staff.tests.factories import DoctorFactory


class EncounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Encounter

    patient = factory.SubFactory(PatientFactory)
    doctor = factory.SubFactory(DoctorFactory)
    reason = "Check-up"


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    encounter = factory.SubFactory(EncounterFactory)
    kind = Observation.Kind.TEMPERATURE
    value = Decimal("37.2")
    unit = "°C"
    recorded_by = factory.LazyAttribute(lambda o: o.encounter.doctor.profile.user)


class PrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prescription

    encounter = factory.SubFactory(EncounterFactory)
    prescribed_by = factory.LazyAttribute(lambda o: o.encounter.doctor.profile.user)


class PrescriptionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrescriptionItem

    prescription = factory.SubFactory(PrescriptionFactory)
    drug = "Amoxicillin"
    dose = "500 mg"
    frequency = "three times a day"
    duration_days = 7


class LabOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabOrder

    encounter = factory.SubFactory(EncounterFactory)
    test_name = "Haemoglobin"
    ordered_by = factory.LazyAttribute(lambda o: o.encounter.doctor.profile.user)


class LabResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabResult

    order = factory.SubFactory(LabOrderFactory)
    value = Decimal("13.5")
    unit = "g/dL"
    reference_low = Decimal("12")
    reference_high = Decimal("16")
    entered_by = factory.LazyAttribute(lambda o: o.order.ordered_by)

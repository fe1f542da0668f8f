"""factory_boy factories for patients."""

from datetime import date

import factory

from patients.models import Patient
from shared.testing.factories import UserFactory


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(1980, 5, 17)
    phone = factory.Sequence(lambda n: f"+44 20 7946 {n:04d}")
    email = factory.Sequence(lambda n: f"patient{n}@example.org")
    user = None


class PortalPatientFactory(PatientFactory):
    """A patient with a portal login holding the ``patient`` role."""

    user = factory.SubFactory(UserFactory, roles=["patient"])

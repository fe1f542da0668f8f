"""factory_boy factories for appointments."""

from datetime import timedelta

import factory
from django.utils import timezone

from patients.tests.factories import PatientFactory
from scheduling.models import Appointment, AppointmentStatus
from staff.tests.factories import DoctorFactory


def _tomorrow_at_ten():
    tomorrow = timezone.localtime() + timedelta(days=1)
    return tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A scheduled 20-minute appointment, tomorrow at 10:00 unless told otherwise.

    It writes the row directly (no overlap check): tests of the rules call the services.
    """

    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    doctor = factory.SubFactory(DoctorFactory)
    start = factory.LazyFunction(_tomorrow_at_ten)
    end = factory.LazyAttribute(lambda appointment: appointment.start + timedelta(minutes=20))
    status = AppointmentStatus.SCHEDULED

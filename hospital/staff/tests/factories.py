"""factory_boy factories for departments, staff and doctors."""

from datetime import time

import factory

from shared.accounts.roles import grant_role
from shared.testing.factories import UserFactory
from staff.models import Availability, Department, Doctor, StaffProfile, StaffRole


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Department {n}")
    code = factory.Sequence(lambda n: f"dept{n}")


class StaffProfileFactory(factory.django.DjangoModelFactory):
    """``StaffProfileFactory(role="nurse")``: a user holding the role group, with a profile."""

    class Meta:
        model = StaffProfile

        skip_postgeneration_save = True

    role = StaffRole.RECEPTIONIST
    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def role_group(self, create, extracted, **kwargs):
        # The profile's role and the permission group always go together.
        grant_role(self.user, self.role)


class DoctorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Doctor

    profile = factory.SubFactory(StaffProfileFactory, role=StaffRole.DOCTOR)
    specialty = "General medicine"
    licence_number = factory.Sequence(lambda n: f"LIC-{n:06d}")


class AvailabilityFactory(factory.django.DjangoModelFactory):
    """Monday 09:00-12:00 in 20-minute slots unless told otherwise."""

    class Meta:
        model = Availability

    doctor = factory.SubFactory(DoctorFactory)
    weekday = 0
    start_time = time(9, 0)
    end_time = time(12, 0)
    slot_minutes = 20


def staff_user(role: str, **kwargs):
    """A user with a staff profile and the matching role group (a doctor also gets a Doctor row)."""
    if role == StaffRole.DOCTOR:
        return DoctorFactory(**kwargs).profile.user
    return StaffProfileFactory(role=role, **kwargs).user

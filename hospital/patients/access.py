"""Who may see which patient, and which part of the record: one module both doors use.

Two questions, kept apart on purpose:

* ``visible_patients(user)``: may this user see that the patient exists at all
  (registration record, appointments)? Anything outside it answers 404.
* ``can_read_clinical(user, patient)`` / ``clinical_patients(user)``: may they read the
  clinical record (encounters, observations, prescriptions, results)? A receptionist
  sees every registration record but no clinical note; a hospital admin runs the
  hospital (billing, reports) and does not read notes either.

The clinical apps filter with ``clinical_patients(user)`` so that a record of a
patient outside it is a 404, exactly like a patient outside ``visible_patients``.
"""

from django.db.models import QuerySet

from patients.models import Patient
from shared.accounts.roles import user_has_role

CLINICAL_ROLES = ("doctor", "nurse")
# Roles that may write clinical records; the clinical apps narrow this further
# (a nurse records observations, a doctor prescribes and orders labs).
CLINICAL_WRITE_ROLES = ("doctor", "nurse")
# Roles that manage registrations and appointments at the desk.
DESK_ROLES = ("receptionist", "hospital_admin")


def visible_patients(user) -> QuerySet[Patient]:
    """The patients ``user`` may see at all (see ``PatientQuerySet.visible_to``)."""
    return Patient.objects.visible_to(user)


def clinical_patients(user) -> QuerySet[Patient]:
    """The patients whose clinical record ``user`` may read.

    Doctors and nurses: the patients visible to them (treated by them / checked in today).
    A portal patient: themselves (their own results). Everyone else: nobody.
    """
    if user_has_role(user, *CLINICAL_ROLES) or user_has_role(user, "patient"):
        queryset = Patient.objects.visible_to(user)
        if not user_has_role(user, *CLINICAL_ROLES):
            queryset = queryset.filter(user=user)  # a patient reads only their own chart
        return queryset
    return Patient.objects.none()


def can_read_clinical(user, patient: Patient) -> bool:
    return clinical_patients(user).filter(pk=patient.pk).exists()


def can_write_clinical(user, patient: Patient) -> bool:
    """Staff who treat the patient; a patient never writes their own clinical record."""
    return (
        user_has_role(user, *CLINICAL_WRITE_ROLES)
        and Patient.objects.visible_to(user).filter(pk=patient.pk).exists()
    )


def can_manage_registration(user) -> bool:
    """Register patients, edit demographics, book for anyone: the desk."""
    return user_has_role(user, *DESK_ROLES)

"""Who may see which patient, and which part of the record: one module both doors use.

Two questions, kept apart on purpose:

* ``Patient.objects.visible_to(user)``: may this user see that the patient exists at all
  (registration record, appointments)? Anything outside it answers 404.
* ``clinical_patients(user)`` / ``can_read_clinical(user, patient)``: may they read the
  clinical record (encounters, observations, prescriptions, results)? A receptionist
  sees every registration record but no clinical note; a hospital admin runs the
  hospital (billing, reports) and does not read notes either.

The clinical apps filter with ``clinical_patients(user)`` so that a record of a
patient outside it is a 404, exactly like a patient outside ``visible_to``.
"""

from django.db.models import QuerySet

from core.roles import CLINICIANS, DESK, PATIENT
from patients.models import Patient
from shared.accounts.roles import user_has_role


def clinical_patients(user) -> QuerySet[Patient]:
    """The patients whose clinical record ``user`` may read.

    Doctors and nurses: the patients visible to them (treated by them / checked in today).
    A portal patient: themselves (their own results). Everyone else: nobody.
    """
    if user_has_role(user, *CLINICIANS):
        return Patient.objects.visible_to(user)
    if user_has_role(user, PATIENT):
        return Patient.objects.visible_to(user).filter(user=user)  # only their own chart
    return Patient.objects.none()


def can_read_clinical(user, patient: Patient) -> bool:
    return clinical_patients(user).filter(pk=patient.pk).exists()


def can_manage_registration(user) -> bool:
    """Register patients, edit demographics, book for anyone: the desk."""
    return user_has_role(user, *DESK)

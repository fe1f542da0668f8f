"""Who may read and write which clinical record: one module, used by pages, API and services.

Reads are QuerySets (``chart_patients(user)``, ``Encounter.objects.visible_to(user)``
and the like on each model), so a record outside them answers 404 through both
doors, exactly like a record that does not exist. Writes are yes/no functions the
services call before touching anything; under every chart write lies the permission
``clinical.write_record`` (clinical/rules.py), asked with ``user.has_perm(perm, patient)``.

The clinical rules, on top of ``Patient.objects.visible_to`` (who may see a patient at all):

* doctor: the charts of the patients they treat; writes orders only in their own encounters;
* nurse: the charts of patients checked in today; records observations only while the
  patient is checked in;
* hospital admin: runs the lab desk (the order queue and result entry), no clinical notes;
* receptionist: no clinical record at all;
* patient: their own lab results and prescriptions in the portal, not the staff's notes.
"""

from django.db.models import QuerySet

from core.roles import CLINICIANS, DOCTOR, LAB_DESK, NURSE, PATIENT
from patients.access import clinical_patients
from patients.models import Patient
from scheduling.models import AppointmentStatus
from shared.accounts.roles import user_has_role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def chart_patients(user) -> QuerySet:
    """The patients whose staff chart (encounters, observations, notes) ``user`` may read:
    clinicians only. A portal patient reads their own results and prescriptions through
    ``clinical_patients``, never the staff's notes."""
    if not user_has_role(user, *CLINICIANS):
        return Patient.objects.none()
    return clinical_patients(user)


def portal_patient(user) -> Patient | None:
    """The patient record behind a portal login, or None."""
    if not _active(user) or not user_has_role(user, PATIENT):
        return None
    return Patient.objects.filter(user=user).first()


def can_read_chart(user, patient: Patient) -> bool:
    return chart_patients(user).filter(pk=patient.pk).exists()


def treats(user, patient: Patient) -> bool:
    """A clinician who may see the patient at all (treats them, or sees them today)."""
    return (
        user_has_role(user, *CLINICIANS)
        and Patient.objects.visible_to(user).filter(pk=patient.pk).exists()
    )


def is_treating_doctor(user, encounter) -> bool:
    return _active(user) and (user.is_superuser or encounter.doctor.profile.user_id == user.pk)


def is_checked_in(patient: Patient) -> bool:
    """The patient has an appointment checked in right now (not yet completed)."""
    return patient.appointments.filter(status=AppointmentStatus.CHECKED_IN).exists()


def can_open_encounter(user, *, patient: Patient, doctor) -> bool:
    """A doctor opens their own encounters; a nurse opens one at triage (patient checked in)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if user_has_role(user, DOCTOR) and doctor.profile.user_id == user.pk:
        return can_read_chart(user, patient)
    if user_has_role(user, NURSE):
        return is_checked_in(patient) and can_read_chart(user, patient)
    return False


def can_write_orders(user, *, encounter) -> bool:
    """Prescriptions, lab orders and closing the visit: the treating doctor only."""
    return user_has_role(user, DOCTOR) and is_treating_doctor(user, encounter)


def can_record_observation(user, *, encounter, correcting: bool = False) -> bool:
    """The treating doctor, or a nurse while the patient is checked in.

    A correction of an earlier entry is allowed to a nurse who can still read the
    chart even after check-out the same day: mistakes are often noticed late.
    """
    if is_treating_doctor(user, encounter) and user_has_role(user, DOCTOR):
        return True
    if not user_has_role(user, NURSE) or not can_read_chart(user, encounter.patient):
        return False
    return correcting or is_checked_in(encounter.patient)


def can_enter_lab_results(user, *, order) -> bool:
    """The lab desk (hospital admin) or the doctor who treats the patient in that encounter."""
    if user_has_role(user, *LAB_DESK):
        return True
    return user_has_role(user, DOCTOR) and is_treating_doctor(user, order.encounter)

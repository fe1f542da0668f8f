"""Appointments, their status machine and its history."""

from datetime import datetime

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.roles import DOCTOR
from patients.models import Patient, sees_every_patient
from scheduling.constraints import PostgresExclusionConstraint, TsTzRange
from shared.transitions import Transition, transition_table


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Scheduled"
    CHECKED_IN = "checked_in", "Checked in"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


S = AppointmentStatus
# The status machine, keyed by the action a button or an API call names. Anything else is
# refused; scheduling.services applies one with a conditional UPDATE.
TRANSITIONS = transition_table(
    Transition("confirm", sources=(S.REQUESTED,), target=S.SCHEDULED, label="Confirm"),
    Transition("check_in", sources=(S.SCHEDULED,), target=S.CHECKED_IN, label="Check in"),
    Transition("complete", sources=(S.CHECKED_IN,), target=S.COMPLETED, label="Complete"),
    Transition("cancel", sources=(S.REQUESTED, S.SCHEDULED), target=S.CANCELLED, label="Cancel"),
    Transition("no_show", sources=(S.SCHEDULED,), target=S.NO_SHOW, label="No-show"),
)
# Appointments that hold their time: a cancelled one frees its slot, and so does a
# no-show (the patient did not come; the rest of the slot may go to a walk-in).
ACTIVE_STATUSES = [S.REQUESTED, S.SCHEDULED, S.CHECKED_IN, S.COMPLETED]


class AppointmentQuerySet(models.QuerySet):
    def active(self) -> "AppointmentQuerySet":
        return self.filter(status__in=ACTIVE_STATUSES)

    def overlapping(self, start: datetime, end: datetime) -> "AppointmentQuerySet":
        """Half-open ranges [start, end) overlap when each starts before the other ends."""
        return self.filter(start__lt=end, end__gt=start)

    def on_day(self, day_start: datetime, day_end: datetime) -> "AppointmentQuerySet":
        return self.filter(start__gte=day_start, start__lt=day_end)

    def with_people(self) -> "AppointmentQuerySet":
        """What every appointment list shows (patient, doctor, department) in one query."""
        return self.select_related(
            "patient", "doctor__profile__user", "doctor__profile__department"
        )

    def visible_to(self, user) -> "AppointmentQuerySet":
        """Appointments of the patients ``user`` may see (Patient.objects.visible_to).

        A doctor sees only their own appointments, even for a patient they share with a colleague.
        """
        if sees_every_patient(user):
            # No "patient IN (every patient)" subquery: the database would join the
            # patients table for nothing, in the page query and in its COUNT(*).
            return self.all()
        queryset = self.filter(patient__in=Patient.objects.visible_to(user))
        if user.is_authenticated and user.has_role(DOCTOR):
            queryset = queryset.filter(Q(doctor__profile__user=user) | Q(patient__user=user))
        return queryset


class Appointment(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointments"
    )
    doctor = models.ForeignKey(
        "staff.Doctor", on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.SCHEDULED
    )
    reason = models.CharField(max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Claimed with a conditional UPDATE by the reminder job, so a reminder goes out once.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            # Serves the default ordering, so a list's first page is an index scan, not a
            # sort of every row (docs/performance.md).
            models.Index(fields=["start", "id"], name="appointment_start_id_idx"),
            models.Index(fields=["doctor", "start"]),
            models.Index(fields=["patient", "start"]),
            models.Index(fields=["status", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="appointment_end_after_start"
            ),
            # The guarantee behind "no double booking" (PostgreSQL only, see constraints.py).
            # btree_gist (migration 0001) lets a gist index compare plain columns with "=".
            PostgresExclusionConstraint(
                name="appointment_no_doctor_overlap",
                expressions=[
                    ("doctor", RangeOperators.EQUAL),
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=ACTIVE_STATUSES),
            ),
            PostgresExclusionConstraint(
                name="appointment_no_patient_overlap",
                expressions=[
                    ("patient", RangeOperators.EQUAL),
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=ACTIVE_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} with {self.doctor} at {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_today(self) -> bool:
        """On today's date in the hospital's time zone: the only day it can be checked in."""
        return timezone.localdate(self.start) == timezone.localdate()

    @property
    def has_started(self) -> bool:
        """Started already: only then can it be a no-show."""
        return self.start <= timezone.now()

    def clean(self):
        """The friendly side of the exclusion constraints (the admin's forms call it too)."""
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The appointment must end after it starts."})
        if not (self.start and self.end and self.status in ACTIVE_STATUSES):
            return
        others = Appointment.objects.active().overlapping(self.start, self.end).exclude(pk=self.pk)
        if self.doctor_id and others.filter(doctor_id=self.doctor_id).exists():
            raise ValidationError(DOCTOR_BUSY, code="doctor_busy")
        if self.patient_id and others.filter(patient_id=self.patient_id).exists():
            raise ValidationError(PATIENT_BUSY, code="patient_busy")


DOCTOR_BUSY = "The doctor already has an appointment at that time; pick another slot."
PATIENT_BUSY = "The patient already has an appointment at that time."


class AppointmentStatusChange(models.Model):
    """One row per status change: who moved the appointment, from what to what, when."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=AppointmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=AppointmentStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.appointment_id}: {self.from_status or '-'} -> {self.to_status}"

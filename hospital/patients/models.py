"""Patients, who may see them (the read side of access control), and the access log."""

import hashlib
import secrets
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.roles import ALL_PATIENTS, DOCTOR, NURSE, PATIENT
from shared.accounts.roles import user_has_role

# Patients know nothing of scheduling's code: scheduling depends on patients, never the
# reverse. The rule below reads appointments through the reverse relation ``appointments``
# that scheduling's foreign key gives every patient, and names two groups of scheduling's
# AppointmentStatus values (scheduling/tests/test_models.py checks they still match).
# A doctor treats the patients of every appointment with them that was not cancelled.
TREATED_STATUSES = ("requested", "scheduled", "checked_in", "completed", "no_show")
# A nurse sees the patients checked in, or seen, today.
SEEN_TODAY_STATUSES = ("checked_in", "completed")


def new_medical_record_number() -> str:
    """``MRN-`` and 8 random characters from an alphabet without 0/O or 1/I.

    Random rather than sequential, so that a number says nothing about how many
    patients the hospital has or who registered before whom. The unique
    constraint is the guarantee; at 32^8 values a collision is vanishingly rare.
    """
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "MRN-" + "".join(secrets.choice(alphabet) for _ in range(8))


def sees_every_patient(user) -> bool:
    """Whether ``user`` may see every patient's registration record (the desk roles and
    superusers): their lists need no patient filter at all."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user_has_role(user, *ALL_PATIENTS)


class PatientQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PatientQuerySet":
        """The patients ``user`` may see at all: the one rule both doors (and the clinical
        apps) filter by. A record outside it answers 404, as if it did not exist.

        * receptionist, hospital admin: every patient's registration record;
        * doctor: the patients they treat, i.e. who have a (not cancelled) appointment with them;
        * nurse: patients checked in or seen today, in the nurse's department if they have one;
        * patient: their own record, through the portal link;
        * anyone else: nobody.
        """
        if sees_every_patient(user):
            return self.all()
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        rules = Q(user=user) if user_has_role(user, PATIENT) else Q(pk__in=[])
        if user_has_role(user, DOCTOR):
            # One filter() call: both conditions hold for the same appointment row.
            treated = Patient.objects.filter(
                pk=OuterRef("pk"),
                appointments__doctor__profile__user=user,
                appointments__status__in=TREATED_STATUSES,
            )
            rules |= Q(Exists(treated))
        if user_has_role(user, NURSE):
            start, end = today_bounds()
            seen = {
                "appointments__status__in": SEEN_TODAY_STATUSES,
                "appointments__start__gte": start,
                "appointments__start__lt": end,
            }
            department_id = getattr(getattr(user, "staff_profile", None), "department_id", None)
            if department_id:
                seen["appointments__doctor__profile__department_id"] = department_id
            rules |= Q(Exists(Patient.objects.filter(pk=OuterRef("pk"), **seen)))
        return self.filter(rules)

    def search(self, text: str) -> "PatientQuerySet":
        """Find by medical record number, name, email or phone (the desk's search box)."""
        text = (text or "").strip()
        if not text:
            return self
        query = (
            Q(medical_record_number__iexact=text) | Q(email__iexact=text) | Q(phone__icontains=text)
        )
        for word in text.split():
            query |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        return self.filter(query)


def today_bounds():
    """The start and end of today in the hospital's time zone, as aware datetimes."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class Patient(models.Model):
    medical_record_number = models.CharField(
        "medical record number",
        max_length=12,
        unique=True,
        default=new_medical_record_number,
        editable=False,
    )
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    # The portal login, when the patient has one. SET_NULL: closing a login never deletes a record.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient",
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.medical_record_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": "The date of birth cannot be in the future."})


# --- The access log ------------------------------------------------------------------

GENESIS_HASH = "0" * 64


class AccessAction(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Write"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused: the log only grows."""

    def for_patient(self, patient) -> "AppendOnlyQuerySet":
        """A patient's entries, newest first, with who looked (one query)."""
        return (
            self.filter(patient=patient).select_related("user__staff_profile").order_by("-sequence")
        )

    def update(self, **kwargs):
        raise TypeError("The access log is append-only: entries are never updated.")

    def delete(self):
        raise TypeError("The access log is append-only: entries are never deleted.")


class AccessLog(models.Model):
    """Who read or wrote which part of a patient's record, when, and from where.

    Tamper-evident: each entry stores the hash of the entry before it and its own
    hash over that and its fields, so changing or removing any entry breaks every
    hash after it (``manage.py verify_access_log``). Written only by
    ``patients.services.log_access``.
    """

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, editable=False)
    # PROTECT: an entry must never change, so neither the user nor the patient it names may vanish.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="access_log", editable=False
    )
    action = models.CharField(max_length=5, choices=AccessAction.choices, editable=False)
    object_type = models.CharField(
        max_length=60, editable=False, help_text="app_label.model, e.g. scheduling.appointment"
    )
    object_id = models.CharField(max_length=40, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The access log is append-only: entries are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The access log is append-only: entries are never deleted.")

    def compute_hash(self) -> str:
        """sha256 over the previous hash and every field of this entry, in a fixed order."""
        at = self.at.astimezone(UTC).isoformat()
        parts = [
            self.prev_hash,
            str(self.sequence),
            at,
            str(self.user_id or ""),
            str(self.patient_id),
            self.action,
            self.object_type,
            self.object_id,
            self.ip_address or "",
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()


class AccessLogHead(models.Model):
    """The one row that says where the chain ends.

    Every writer locks it (SELECT ... FOR UPDATE) before appending, so two
    concurrent writers queue up instead of both chaining onto the same entry
    and forking the chain. It also lets the verifier notice a deleted last entry.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="accesslog_head_single_row")]

    def __str__(self) -> str:
        return f"access log head at #{self.last_sequence}"

"""Clinical records: encounters, observations, prescriptions, lab orders and results.

Observations and lab results are *append-only*: a row, once written, is never
updated or deleted. A correction is a new row that ``supersedes`` the old one, so
the chart can always show what was recorded, by whom and when, and what replaced
it. Three layers keep that promise:

1. Python: ``save()`` refuses to update an existing row, ``delete()`` raises, and
   the QuerySet's bulk ``update()``/``delete()`` raise too.
2. The database: a ``UniqueConstraint`` on ``supersedes`` (an entry is corrected
   at most once, so history is a simple chain) and, on PostgreSQL, a trigger that
   rejects any UPDATE or DELETE on the table, even from raw SQL or a psql session
   (see migration 0002).
3. The admin shows these models read-only.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from clinical.access import chart_patients
from core.roles import LAB_DESK
from patients.access import clinical_patients
from shared.accounts.roles import user_has_role
from shared.errors import Conflict


class ImmutableRecordError(Conflict):
    """Raised when code tries to change or delete an append-only clinical record (409)."""

    default_code = "append_only"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk ``update()``/``delete()`` skip ``save()``/``delete()``, so they are refused here too."""

    def update(self, **kwargs):
        raise ImmutableRecordError(
            f"{self.model.__name__} rows are append-only: supersede instead."
        )

    def delete(self):
        raise ImmutableRecordError(
            f"{self.model.__name__} rows are append-only: supersede instead."
        )

    def current(self):
        """The entries no later entry supersedes: what the chart shows by default."""
        corrected = self.model.objects.filter(supersedes=OuterRef("pk"))
        return self.filter(~Exists(corrected))

    def with_history_flag(self):
        """Annotate ``is_superseded`` in the same query, for lists showing the full history."""
        corrected = self.model.objects.filter(supersedes=OuterRef("pk"))
        return self.annotate(is_superseded=Exists(corrected))


class ObservationQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user):
        return self.filter(encounter__patient__in=chart_patients(user))


class LabResultQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user):
        """Results the user may read: clinicians' charts, the lab desk, the patient's own."""
        return self.filter(order__in=LabOrder.objects.visible_to(user))


class AppendOnlyModel(models.Model):
    """Base for clinical entries that are written once and corrected by superseding."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecordError(
                f"{type(self).__name__} #{self.pk} is append-only: record a correction instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"{type(self).__name__} rows are never deleted.")


# --- Encounters ------------------------------------------------------------------


class EncounterQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def for_patient(self, patient):
        return self.filter(patient=patient)

    def visible_to(self, user):
        """Encounters in the charts ``user`` may read (see clinical/access.py)."""
        return self.filter(patient__in=chart_patients(user))

    def with_related(self):
        """What a list of encounters shows: patient, doctor's name and department, appointment."""
        return self.select_related(
            "patient", "doctor__profile__user", "doctor__profile__department", "appointment"
        )

    def for_chart(self):
        """Encounters with everything the chart shows, in a fixed number of queries
        (one per kind of record, whatever the number of rows)."""
        observations = (
            Observation.objects.with_history_flag()
            .select_related("recorded_by")
            .order_by("recorded_at", "id")
        )
        results = LabResult.objects.with_history_flag().select_related("entered_by")
        return self.with_related().prefetch_related(
            models.Prefetch("observations", queryset=observations),
            models.Prefetch(
                "prescriptions",
                queryset=Prescription.objects.select_related("prescribed_by").prefetch_related(
                    "items"
                ),
            ),
            models.Prefetch(
                "lab_orders",
                queryset=LabOrder.objects.select_related("ordered_by").prefetch_related(
                    models.Prefetch("results", queryset=results.order_by("entered_at", "id"))
                ),
            ),
        )


class Encounter(models.Model):
    """A clinical visit: opened when the patient is seen, closed when the visit ends."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="encounters"
    )
    doctor = models.ForeignKey("staff.Doctor", on_delete=models.PROTECT, related_name="encounters")
    # A walk-in has no appointment; a booked visit has exactly one encounter.
    appointment = models.OneToOneField(
        "scheduling.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="encounter",
    )
    reason = models.CharField(max_length=200, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="The doctor's closing summary.")

    objects = EncounterQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["patient", "-opened_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("opened_at")),
                name="clinical_encounter_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"Encounter #{self.pk} · {self.patient} · {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


# --- Observations ------------------------------------------------------------------


class Observation(AppendOnlyModel):
    """A vital sign or a note taken during an encounter. Never edited: corrected by superseding."""

    class Kind(models.TextChoices):
        TEMPERATURE = "temperature", "Temperature"
        HEART_RATE = "heart_rate", "Heart rate"
        SYSTOLIC_BP = "systolic_bp", "Blood pressure, systolic"
        DIASTOLIC_BP = "diastolic_bp", "Blood pressure, diastolic"
        RESPIRATORY_RATE = "respiratory_rate", "Respiratory rate"
        OXYGEN_SATURATION = "oxygen_saturation", "Oxygen saturation"
        WEIGHT = "weight", "Weight"
        HEIGHT = "height", "Height"
        NOTE = "note", "Clinical note"

    # The unit is fixed per kind, so values stay comparable across the whole chart.
    UNITS = {
        Kind.TEMPERATURE: "°C",
        Kind.HEART_RATE: "bpm",
        Kind.SYSTOLIC_BP: "mmHg",
        Kind.DIASTOLIC_BP: "mmHg",
        Kind.RESPIRATORY_RATE: "breaths/min",
        Kind.OXYGEN_SATURATION: "%",
        Kind.WEIGHT: "kg",
        Kind.HEIGHT: "cm",
    }

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="observations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True, help_text="The note, or a comment on a measurement.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    correction_reason = models.CharField(max_length=200, blank=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            # One correction per entry: the history of an observation is a chain, not a tree.
            models.UniqueConstraint(
                fields=["supersedes"], name="clinical_observation_superseded_once"
            ),
            # A note has text and no number; a vital sign has a number.
            models.CheckConstraint(
                condition=(Q(kind="note") & Q(value__isnull=True) & ~Q(text=""))
                | (~Q(kind="note") & Q(value__isnull=False)),
                name="clinical_observation_note_or_value",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="clinical_observation_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.NOTE:
            return f"Note #{self.pk}"
        return f"{self.get_kind_display()} {self.value} {self.unit}"


# --- Prescriptions -----------------------------------------------------------------


class PrescriptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The clinicians' charts, and a portal patient's own prescriptions."""
        return self.filter(encounter__patient__in=clinical_patients(user))

    def with_items(self):
        return self.select_related("encounter__patient", "prescribed_by").prefetch_related("items")


class Prescription(models.Model):
    """What a doctor prescribed during an encounter, as one or more items."""

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="prescriptions")
    prescribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prescribed_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-prescribed_at", "-id"]

    def __str__(self) -> str:
        return f"Prescription #{self.pk}"


class PrescriptionItem(models.Model):
    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="items")
    drug = models.CharField(max_length=120)
    dose = models.CharField(max_length=60, help_text="e.g. 500 mg")
    frequency = models.CharField(max_length=60, help_text="e.g. twice a day")
    duration_days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_days__gte=1),
                name="clinical_prescriptionitem_duration_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.drug} {self.dose}, {self.frequency}, {self.duration_days} days"


# --- Lab orders and results ----------------------------------------------------------


class LabOrderQuerySet(models.QuerySet):
    def pending(self):
        """Orders still waiting for their first result: the lab's work queue."""
        return self.filter(~Exists(LabResult.objects.filter(order=OuterRef("pk"))))

    def visible_to(self, user):
        """Clinicians' charts, every order for the lab desk, a portal patient's own orders."""
        if user_has_role(user, *LAB_DESK):
            return self.all()
        return self.filter(encounter__patient__in=clinical_patients(user))

    def with_related(self):
        return self.select_related(
            "encounter__patient", "encounter__doctor__profile__user", "ordered_by"
        )


class LabOrder(models.Model):
    """A test a doctor ordered during an encounter."""

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="lab_orders")
    test_name = models.CharField(max_length=120)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ordered_at = models.DateTimeField(default=timezone.now)
    notes = models.CharField(max_length=200, blank=True)

    objects = LabOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.test_name} (order #{self.pk})"


class LabResult(AppendOnlyModel):
    """A result for a lab order. Final when written; a correction supersedes it."""

    order = models.ForeignKey(LabOrder, on_delete=models.PROTECT, related_name="results")
    value = models.DecimalField(max_digits=12, decimal_places=4)
    unit = models.CharField(max_length=30)
    reference_low = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    reference_high = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    # Computed by the service from the value and the range, never typed in.
    abnormal = models.BooleanField(default=False)
    comment = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    correction_reason = models.CharField(max_length=200, blank=True)

    objects = LabResultQuerySet.as_manager()

    class Meta:
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supersedes"], name="clinical_labresult_superseded_once"
            ),
            # One original result per order; every later one is a correction of it.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(supersedes__isnull=True),
                name="clinical_labresult_one_original_per_order",
            ),
            models.CheckConstraint(
                condition=Q(reference_low__isnull=True)
                | Q(reference_high__isnull=True)
                | Q(reference_low__lte=models.F("reference_high")),
                name="clinical_labresult_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="clinical_labresult_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.test_name}: {self.value} {self.unit}"

    @property
    def direction(self) -> str:
        """'low', 'high' or '' (in range, or no range given) for display."""
        if self.reference_low is not None and self.value < self.reference_low:
            return "low"
        if self.reference_high is not None and self.value > self.reference_high:
            return "high"
        return ""


def is_abnormal(value: Decimal, low: Decimal | None, high: Decimal | None) -> bool:
    """Outside the reference range (either bound may be missing) means abnormal."""
    return (low is not None and value < low) or (high is not None and value > high)

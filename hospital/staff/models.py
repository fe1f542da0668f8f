"""Departments, staff profiles, doctors and their weekly availability."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=20, unique=True, help_text="Short code, e.g. 'cardio'.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffRole(models.TextChoices):
    # The same names as the role groups in settings.ROLES: the profile says what the person
    # does in the hospital, the group says what the software lets them do.
    DOCTOR = "doctor", "Doctor"
    NURSE = "nurse", "Nurse"
    RECEPTIONIST = "receptionist", "Receptionist"
    HOSPITAL_ADMIN = "hospital_admin", "Hospital administrator"


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.get_role_display()})"


class DoctorQuerySet(models.QuerySet):
    def with_people(self) -> "DoctorQuerySet":
        """What every list of doctors shows: name and department, in one query."""
        return self.select_related("profile__user", "profile__department")

    def for_user(self, user) -> "DoctorQuerySet":
        return self.filter(profile__user=user) if user.is_authenticated else self.none()


class Doctor(models.Model):
    """A doctor is a staff profile with a specialty and a licence to practise."""

    profile = models.OneToOneField(StaffProfile, on_delete=models.CASCADE, related_name="doctor")
    specialty = models.CharField(max_length=120)
    licence_number = models.CharField(max_length=40, unique=True)

    objects = DoctorQuerySet.as_manager()

    class Meta:
        ordering = ["profile__user__full_name"]

    def __str__(self) -> str:
        return f"Dr {self.name}"

    @property
    def name(self) -> str:
        return self.profile.user.get_full_name()

    @property
    def user(self):
        return self.profile.user

    @property
    def department(self) -> Department | None:
        return self.profile.department


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so `day.weekday()` finds the right rows.
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Availability(models.Model):
    """A weekly window when a doctor sees patients, cut into slots of ``slot_minutes``.

    A doctor may have several windows on one day (a morning and an afternoon clinic).
    """

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="availabilities")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()
    slot_minutes = models.PositiveSmallIntegerField(default=20)

    class Meta:
        ordering = ["doctor", "weekday", "start_time"]
        verbose_name_plural = "availabilities"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="availability_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="availability_weekday_range"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=240),
                name="availability_slot_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        window = f"{self.start_time:%H:%M}-{self.end_time:%H:%M}"
        return f"{self.doctor} {self.get_weekday_display()} {window}"
